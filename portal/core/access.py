"""Who may see what: community scoping and roles, decided here and nowhere else.

Staff see and change only their own community's records; a district administrator sees every community;
a resident sees public records and their own (each app's `visible_to` adds the "own" part).

The one staff gate, the same in every app:
- not signed in: the sign-in page, then back (`staff_required`);
- signed in, but the role lacks the permission: 403 (`staff_required`, `require_perm`);
- the record belongs to another community, or is not theirs to see: 404, as if it did not exist
  (`staff_object`, `require_community`, `for_staff` querysets).

One level below the community, the grid (网格): a member of staff who holds `portal.only_own_grid` (the grid worker,
网格员) sees, of the models that declare where their grid is (`ScopedQuerySet.grid_worker_path`, the lookup from a
row to the user who works its grid), only the rows of their own grid — through the same `scope_to_staff`, so every
list, search, export, lookup, autocomplete and `staff_object` of those models narrows alike. Models that declare no
grid are not narrowed: the role's permissions keep a grid worker away from them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.dispatch import Signal
from django.http import Http404
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from portal.core.models import User

Q = TypeVar("Q", bound=models.QuerySet)


def sees_all_communities(user: User) -> bool:
    """District administrators (and superusers) work across the whole district."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("portal.view_all_communities"))


def is_community_staff(user: User) -> bool:
    """Staff bound to one community (hall, health, culture, secretaries, directors)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.community_id)


def works_one_grid(user: User) -> bool:
    """A grid worker (网格员): of the community, only the rows of their own grid (or grids)."""
    return is_community_staff(user) and user.has_perm("portal.only_own_grid") and not sees_all_communities(user)


def grid_worker_path(qs: models.QuerySet) -> str | None:
    """The lookup from a row of `qs` to the user who works its grid, as its queryset declares it (None: no grid)."""
    return getattr(qs, "grid_worker_path", None)


def scope_to_staff(qs: Q, user: User, path: str = "community") -> Q:
    """Narrow `qs` to the records this member of staff may work on; nothing for anyone else."""
    if sees_all_communities(user):
        return qs
    if is_community_staff(user):
        qs = qs.filter(**{path: user.community_id})
        grid_path = grid_worker_path(qs)
        if grid_path is not None and works_one_grid(user):
            qs = qs.filter(**{grid_path: user.pk})
        return qs
    return qs.none()


def require_community(user: User, community_id: int | None) -> None:
    """404 (not 403: another community's records do not exist for you) unless the user works there."""
    if sees_all_communities(user):
        return
    if not is_community_staff(user) or user.community_id != community_id:
        raise Http404


# Sent with the model after a write through ScopedQuerySet that sends no post_save: update(), bulk_update(),
# bulk_create().
bulk_written = Signal()


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a community reached through `community_path`."""

    community_path = "community"
    # The lookup from a row to the user who works its grid (a grid worker sees only those rows); None: no grid.
    grid_worker_path: str | None = None

    def in_community(self, community_id: int):
        return self.filter(**{self.community_path: community_id})

    def for_staff(self, user: User):
        return scope_to_staff(self, user, self.community_path)

    # Writes that send no post_save say so with `bulk_written`: the page cache retires the model's copies and
    # values (portal.core.pagecache.connect_signals), as after a save.
    def update(self, **kwargs):
        changed = super().update(**kwargs)
        if changed:
            bulk_written.send(sender=self.model)
        return changed

    def bulk_update(self, objs, fields, batch_size=None):
        changed = super().bulk_update(objs, fields, batch_size=batch_size)
        if changed:
            bulk_written.send(sender=self.model)
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bulk_written.send(sender=self.model)
        return created


def require_perm(user: User, *perms: str) -> None:
    """403 unless the user holds every one of `perms` (a role without the right, not a missing record)."""
    if not user.is_authenticated or not user.has_perms(perms):
        raise PermissionDenied


def staff_required(*perms: str) -> Callable:
    """Decorate a staff view: sign in first, then every one of `perms`, else 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def gated(request, *args, **kwargs):
            require_perm(request.user, *perms)
            return view(request, *args, **kwargs)

        return login_required(gated)

    return decorator


def staff_object(queryset: models.QuerySet, user: User, **lookup):
    """The record matching `lookup` among those this member of staff may work on; 404 for any other."""
    return get_object_or_404(scope_to_staff(queryset, user, getattr(queryset, "community_path", "community")), **lookup)
