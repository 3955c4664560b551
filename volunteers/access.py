"""Who coordinates volunteers where: decided here, used by every coordinator view (DESIGN.md rules 1 and 2).

A residents'-committee director coordinates every team of their community; a volunteer team leader
coordinates the teams they lead. The gate is the core's (portal.core.access.staff_required): sign in first,
then the permissions a page names (403 without them), then a coordination scope (403 without one); records
load through the scope, so another community's (or another team's) are a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from portal.core.access import is_community_staff, staff_required
from volunteers.models import Activity, PersonServed, SignUp, Team, Volunteer


@dataclass(frozen=True)
class Coordination:
    """What one coordinator may work on: a community, and every team in it or only some."""

    community_id: int
    team_ids: frozenset[int] | None  # None: every team of the community
    can_approve: bool = False

    @property
    def is_director(self) -> bool:
        return self.team_ids is None

    def activities(self, qs: QuerySet | None = None) -> QuerySet:
        qs = (qs if qs is not None else Activity.objects.all()).filter(community_id=self.community_id)
        return qs if self.team_ids is None else qs.filter(team_id__in=self.team_ids)

    def signups(self) -> QuerySet:
        qs = SignUp.objects.filter(activity__community_id=self.community_id)
        return qs if self.team_ids is None else qs.filter(activity__team_id__in=self.team_ids)

    def volunteers(self) -> QuerySet:
        qs = Volunteer.objects.filter(community_id=self.community_id)
        return qs if self.team_ids is None else qs.filter(team_id__in=self.team_ids)

    def teams(self) -> QuerySet:
        qs = Team.objects.filter(community_id=self.community_id)
        return qs if self.team_ids is None else qs.filter(pk__in=self.team_ids)

    def people_served(self) -> QuerySet:
        qs = PersonServed.objects.filter(community_id=self.community_id)
        if self.team_ids is None:
            return qs
        return qs.filter(Q(plans__team_id__in=self.team_ids)).distinct()


def coordination_for(user) -> Coordination | None:
    """The user's coordination scope, or None. Cached on the user object for the request."""
    if not (user.is_authenticated and user.is_active):
        return None
    if hasattr(user, "_volunteer_coordination"):
        return user._volunteer_coordination
    scope = None
    if user.has_perm("volunteers.coordinate") and is_community_staff(user):
        scope = Coordination(user.community_id, None, can_approve=user.has_perm("volunteers.approve_volunteer"))
    elif user.has_perm("volunteers.lead_team"):
        led = list(
            Team.objects.filter(
                is_active=True, leader__resident__user=user, leader__status=Volunteer.Status.APPROVED
            ).values_list("pk", "community_id")
        )
        if led:
            scope = Coordination(led[0][1], frozenset(pk for pk, community_id in led if community_id == led[0][1]))
    user._volunteer_coordination = scope
    return scope


def require_coordination(user) -> Coordination:
    """The coordinator's scope, or 403 for anyone else (coordinator_required has made them sign in first)."""
    scope = coordination_for(user)
    if scope is None:
        raise PermissionDenied
    return scope


def coordinator_required(*perms: str) -> Callable:
    """Decorate a coordinator's view: the core's gate (sign in, then every one of `perms`, else 403), then a
    coordination scope (403 without one). The view finds its scope with require_coordination(request.user)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def gated(request, *args, **kwargs):
            require_coordination(request.user)
            return view(request, *args, **kwargs)

        return staff_required(*perms)(gated)

    return decorator
