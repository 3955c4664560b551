"""Querysets of property management: which repairs a member of staff may see (a property company's staff only
their company's), open and overdue repairs."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from portal.core.access import ScopedQuerySet, scope_to_staff, sees_all_communities

DISPATCH_PERMISSION = "services.dispatch_repair"  # community staff: every repair of the community


class RepairQuerySet(ScopedQuerySet):
    OPEN = ("reported", "dispatched", "arrived")

    def for_staff(self, user):
        """Community staff who dispatch repairs see all of the community's; a property company's staff (who hold
        no such permission) only those dispatched to their company."""
        scoped = scope_to_staff(self, user)
        if user.is_authenticated and not sees_all_communities(user) and not user.has_perm(DISPATCH_PERMISSION):
            scoped = scoped.filter(company__staff__user=user)
        return scoped

    def open(self):
        return self.filter(status__in=self.OPEN)

    def overdue(self, now=None):
        """Open repairs past a promise: not arrived by `arrive_by`, or not fixed by `fix_by`."""
        now = now or timezone.now()
        return self.filter(
            Q(status="dispatched", arrive_by__lt=now) | Q(status__in=("dispatched", "arrived"), fix_by__lt=now)
        )


class CompanyScopedQuerySet(ScopedQuerySet):
    """Rows under a property company (cleaners, inspections …): the company's community."""

    community_path = "company__community"


class CommitteeScopedQuerySet(ScopedQuerySet):
    """Members of an owners' committee: the committee's community."""

    community_path = "committee__community"
