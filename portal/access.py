"""Who may see what: community scoping and roles, decided here and nowhere else (DESIGN.md rules 1 and 2).

Staff see and change only their own community's records; a district administrator sees every community;
a resident sees public records and their own (each app's `visible_to` adds the "own" part).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from portal.models import User

Q = TypeVar("Q", bound=models.QuerySet)


def sees_all_communities(user: User) -> bool:
    """District administrators (and superusers) work across the whole district."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("portal.view_all_communities"))


def is_community_staff(user: User) -> bool:
    """Staff bound to one community (hall, health, culture, secretaries, directors)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.community_id)


def scope_to_staff(qs: Q, user: User, path: str = "community") -> Q:
    """Narrow `qs` to the records this member of staff may work on; nothing for anyone else."""
    if sees_all_communities(user):
        return qs
    if is_community_staff(user):
        return qs.filter(**{path: user.community_id})
    return qs.none()


def require_community(user: User, community_id: int | None) -> None:
    """404 (not 403: another community's records do not exist for you) unless the user works there."""
    if sees_all_communities(user):
        return
    if not is_community_staff(user) or user.community_id != community_id:
        raise Http404


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a community reached through `community_path`."""

    community_path = "community"

    def in_community(self, community_id: int):
        return self.filter(**{self.community_path: community_id})

    def for_staff(self, user: User):
        return scope_to_staff(self, user, self.community_path)
