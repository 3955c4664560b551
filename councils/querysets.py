"""Reusable, chainable queries of the councils app: community scope, what is public, what a user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from portal.core.access import ScopedQuerySet


class CouncilQuerySet(ScopedQuerySet):
    community_path = "community"


class CouncilScopedQuerySet(ScopedQuerySet):
    community_path = "council__community"


class PledgeQuerySet(CouncilScopedQuerySet):
    pass


class MemberQuerySet(CouncilScopedQuerySet):
    def active_on(self, day: dt.date | None = None):
        """Members whose term covers `day` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=day), term_start__lte=day)


class MeetingQuerySet(CouncilScopedQuerySet):
    def held(self):
        return self.filter(status="held")

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).exclude(status="cancelled")

    def with_counts(self):
        return self.annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
            agenda_count=Count("agenda", distinct=True),
        )


class MinutesQuerySet(ScopedQuerySet):
    community_path = "meeting__council__community"

    def published(self):
        return self.filter(status="published")

    def visible_to(self, user):
        """Everyone reads published minutes; council staff of the community read every state."""
        if user.is_authenticated and user.has_perm("councils.view_minutes"):
            return self.filter(Q(status="published") | Q(pk__in=self.for_staff(user).values("pk")))
        return self.published()


class ResolutionQuerySet(ScopedQuerySet):
    community_path = "community"

    def public(self):
        """Resolutions whose minutes are published."""
        return self.filter(minutes_item__minutes__status="published")

    def visible_to(self, user):
        if user.is_authenticated and user.has_perm("councils.view_resolution"):
            return self.filter(
                Q(minutes_item__minutes__status="published") | Q(pk__in=self.for_staff(user).values("pk"))
            )
        return self.public()

    def overdue(self, today: dt.date | None = None):
        return self.exclude(status="done").filter(deadline__lt=today or timezone.localdate())


class SuggestionQuerySet(ScopedQuerySet):
    community_path = "community"

    def public(self):
        return self.filter(status__in=self.model.PUBLIC)

    def visible_to(self, user):
        """Public suggestions, one's own, and (for council staff) every suggestion of the community."""
        if not user.is_authenticated:
            return self.public()
        query = Q(status__in=self.model.PUBLIC) | Q(proposer=user)
        if user.has_perm("councils.change_suggestion"):
            query |= Q(pk__in=self.for_staff(user).values("pk"))
        return self.filter(query)


class CommentQuerySet(ScopedQuerySet):
    community_path = "community"

    def on(self, subject):
        """The comments of one suggestion, resolution or minutes."""
        return self.filter(**{subject._meta.model_name: subject})


class CommentReportQuerySet(ScopedQuerySet):
    community_path = "comment__community"

    def open(self):
        return self.filter(handled_at__isnull=True)


class SurveyQuerySet(ScopedQuerySet):
    community_path = "community"

    def for_resident(self, user):
        """Surveys put to this resident: of their community, open or with published results, and (when a survey
        names buildings / courtyards) only where they live."""
        if not user.is_authenticated or not user.community_id:
            return self.none()
        building = (
            user.resident.household.building_id if hasattr(user, "resident") and user.resident.household_id else None
        )
        return (
            self.filter(community_id=user.community_id, status__in=("open", "closed", "published"))
            .filter(Q(buildings__isnull=True) | Q(buildings=building))
            .distinct()
        )
