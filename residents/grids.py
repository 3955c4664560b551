"""Grid work (网格化管理): which households are due for a visit, recording door-to-door visits and patrols, and which
buildings form a grid. Each write is audited here; the pages (services/grids/) and the admin call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import pagecache
from portal.core.audit import audit
from portal.core.models import User
from portal.core.uploads import IMAGE_EXTENSIONS, ImageProblem, probe_image, validate_size
from residents.models import Building, Household
from residents.models_grids import Grid, HomeVisit, Patrol, PatrolPhoto

MAX_PATROL_PHOTOS = 5
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def with_last_visit(households: QuerySet) -> QuerySet:
    """`households` with `last_visit`: the day of each one's latest visit (None: never visited)."""
    latest = HomeVisit.objects.filter(household=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    return households.annotate(last_visit=Subquery(latest))


def due_for_visit(households: QuerySet, grids: Iterable[Grid], today: dt.date) -> QuerySet:
    """The households of `grids` (among `households`) not visited for their grid's interval: never visited, or last
    visited before `today` minus the interval. A visit exactly `interval` days ago is not due yet."""
    due = Q(pk__in=[])
    for grid in grids:
        cutoff = grid.visit_cutoff(today)
        due |= Q(building__grid=grid) & (Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff))
    return with_last_visit(households).filter(due).order_by("last_visit", "number")


def _refuse_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def visit_record(
    *,
    household: Household,
    by: User,
    visited_on: dt.date,
    kind: str,
    notes: str = "",
    issue: str = "",
) -> HomeVisit:
    """Record a door-to-door visit of `household` (the caller loads it through the user's scope)."""
    _refuse_future(visited_on, "visited_on")
    if not (notes.strip() or issue.strip()):
        raise ValidationError({"notes": _("Say how the household is doing, or the issue found.")})
    with transaction.atomic():
        visit = HomeVisit(
            community_id=household.community_id,
            household=household,
            visited_by=by,
            visited_on=visited_on,
            kind=kind,
            notes=notes.strip(),
            issue=issue.strip(),
        )
        visit.full_clean()
        visit.save()
        audit(actor=by, action="visit_record", obj=visit, summary=f"household #{household.pk}, {kind}")
    return visit


def _checked_photo(upload: UploadedFile) -> tuple[UploadedFile, str]:
    """A photo of at most 5 MB that Pillow reads whole as JPEG, PNG or WebP, renamed by what it is."""
    try:
        validate_size(upload)
        image_format = probe_image(upload)
    except ImageProblem as problem:
        message = _("The photo has too many pixels.") if problem.code == "pixels" else _("This file is not a photo.")
        raise ValidationError({"photos": message}) from None
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None
    if image_format not in PHOTO_TYPES:
        raise ValidationError({"photos": _("Only JPEG, PNG or WebP photos are accepted.")})
    upload.name = f"photo.{IMAGE_EXTENSIONS[image_format]}"
    return upload, PHOTO_TYPES[image_format]


def patrol_record(
    *,
    grid: Grid,
    by: User,
    location: str,
    notes: str = "",
    issue: str = "",
    photos: Sequence[UploadedFile] = (),
    patrolled_at: dt.datetime | None = None,
) -> Patrol:
    """Record a patrol of `grid` (loaded through the user's scope) with its photos, each checked by its content."""
    if len(photos) > MAX_PATROL_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PATROL_PHOTOS}})
    checked = [_checked_photo(upload) for upload in photos]
    if patrolled_at is not None and patrolled_at > timezone.now():
        raise ValidationError({"patrolled_at": _("This time is in the future.")})
    with transaction.atomic():
        patrol = Patrol(
            community_id=grid.community_id,
            grid=grid,
            patrolled_by=by,
            patrolled_at=patrolled_at or timezone.now(),
            location=location.strip(),
            notes=notes.strip(),
            issue=issue.strip(),
        )
        patrol.full_clean()
        patrol.save()
        for upload, content_type in checked:
            photo = PatrolPhoto(patrol=patrol, content_type=content_type)
            photo.image.save(upload.name, upload, save=False)
            photo.save()
        audit(actor=by, action="patrol_record", obj=patrol, summary=f"grid #{grid.pk}, {len(checked)} photos")
    return patrol


def grid_set_buildings(*, grid: Grid, buildings: Iterable[Building], by: User) -> None:
    """Make `buildings` (of the grid's community) exactly the grid's: a building taken from another grid leaves it."""
    chosen = {b.pk for b in buildings}
    if Building.objects.filter(pk__in=chosen).exclude(community_id=grid.community_id).exists():
        raise ValidationError({"buildings": _("These buildings belong to another community.")})
    with transaction.atomic():
        Building.objects.filter(grid=grid).exclude(pk__in=chosen).update(grid=None)
        Building.objects.filter(pk__in=chosen).update(grid=grid)
        pagecache.bump(Building)  # an update() sends no post_save: the cached choices of buildings change too
        audit(actor=by, action="grid_set_buildings", obj=grid, summary=f"{len(chosen)} buildings")
