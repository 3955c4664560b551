"""Reusable, chainable queries of the one-stop service hall (便民服务站)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from portal.core.access import ScopedQuerySet, is_community_staff, sees_all_communities
from residents.models_proxies import ProxyGrant, Right

if TYPE_CHECKING:
    from portal.core.models import User


def _resident_id(user: User) -> int | None:
    resident = getattr(user, "resident", None) if user.is_authenticated else None
    return resident.pk if resident is not None else None


def _own_or_granted(user: User, right: str) -> Q | None:
    """The user's own records, and those of residents who made them their family proxy for `right` (in force
    now); None for someone who is neither a resident nor anyone's proxy."""
    if not user.is_authenticated:
        return None
    resident_id = _resident_id(user)
    granted = ProxyGrant.objects.allowing(right).filter(grantee=user).values("grantor_id")
    return Q(resident_id=resident_id) | Q(resident_id__in=granted) if resident_id else Q(resident_id__in=granted)


class ServiceItemQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, query: str):
        """Substring match over name and keywords: one- and two-character Chinese queries (户, 低保) work."""
        query = (query or "").strip()
        if not query:
            return self.none()
        return self.filter(Q(name__icontains=query) | Q(keywords__icontains=query) | Q(category__name__icontains=query))


class CounterQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class ClosedDayQuerySet(ScopedQuerySet):
    def affecting(self, counter_id: int):
        """Closures of the whole hall (no counter) and of this counter."""
        return self.filter(Q(counter__isnull=True) | Q(counter_id=counter_id))


class SlotQuerySet(ScopedQuerySet):
    def upcoming(self, now: dt.datetime | None = None):
        return self.filter(starts_at__gt=now or timezone.now())

    def open(self):
        """Slots that can still be booked: in the future, with a seat left."""
        return self.upcoming().filter(seats_taken__lt=F("capacity"))

    def not_closed(self):
        """Leave out days on which the hall or the slot's counter is closed."""
        # The closures' model through the app registry: the models import these querysets, not the other way round.
        closed_days = apps.get_model("services", "ClosedDay")
        closed = closed_days.objects.filter(
            Q(counter__isnull=True, community=OuterRef("community")) | Q(counter=OuterRef("counter")),
            date=OuterRef("date"),
        )
        return self.exclude(Exists(closed))

    def bookable(self):
        return self.open().not_closed()

    def on(self, day: dt.date):
        return self.filter(date=day)


class BookingQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status="active")

    def upcoming(self, now: dt.datetime | None = None):
        return self.filter(slot__starts_at__gte=now or timezone.now())

    def past(self, now: dt.datetime | None = None):
        return self.filter(slot__starts_at__lt=now or timezone.now())

    def of_resident(self, resident_id: int):
        return self.filter(resident_id=resident_id)

    def visible_to(self, user: User):
        """Hall staff: their community's bookings; a resident: their own, and those of whom they are family proxy
        for bookings; anyone else: none."""
        if sees_all_communities(user) or is_community_staff(user):
            return self.for_staff(user) if user.has_perm("services.view_booking") else self.none()
        mine = _own_or_granted(user, Right.BOOK)
        return self.filter(mine) if mine is not None else self.none()

    def for_listing(self):
        return self.select_related("slot__counter", "item", "resident", "booked_by")


class CaseQuerySet(ScopedQuerySet):
    OPEN = ("submitted", "accepted", "in_progress")

    def open(self):
        return self.filter(status__in=self.OPEN)

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def visible_to(self, user: User):
        """Staff who work cases: their community's; a resident: the cases filed for them, and for those of whom
        they are family proxy for cases; anyone else: none."""
        if sees_all_communities(user) or is_community_staff(user):
            return self.for_staff(user) if user.has_perm("services.view_case") else self.none()
        mine = _own_or_granted(user, Right.CASES)
        return self.filter(mine) if mine is not None else self.none()

    def with_counts(self):
        return self.annotate(n_events=Count("events"))
