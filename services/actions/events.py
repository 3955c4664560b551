"""Writes for station events (lectures, free clinics, fun games …): registration and the photo gallery."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.capacity import SeatResult, seat_cancel, seat_take
from portal.core.models import User
from residents.models import Resident
from services.images import check_image_upload
from services.models import EventPhoto, EventRegistration, StationEvent


def event_register(*, event: StationEvent, resident: Resident) -> SeatResult:
    """Register a resident for an event of their community; a full event offers its waiting list."""
    if event.community_id != resident.community_id or not event.published:
        raise ValidationError(_("This event is not open to you."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event is over."))
    return seat_take(thing=event, holder=resident)


def event_registration_cancel(*, registration: EventRegistration) -> None:
    seat_cancel(seat=registration)


@transaction.atomic
def event_photo_add(*, event: StationEvent, upload, caption: str, by: User) -> EventPhoto:
    """Store a checked photo; the thumbnail is made by a Celery task after commit."""
    ext = check_image_upload(upload)
    photo = EventPhoto(event=event, caption=caption, uploaded_by=by, image_format=ext)
    photo.image.save(f"upload.{ext}", upload, save=False)
    photo.save()

    def enqueue(pk: int = photo.pk) -> None:
        from portal.core.tasks import enqueue
        from services.tasks_stations import event_photo_thumbnail

        enqueue(event_photo_thumbnail, pk)

    transaction.on_commit(enqueue)
    return photo


def event_photo_thumbnail_make(*, photo: EventPhoto) -> EventPhoto:
    """Make (or remake) the thumbnail of one photo. Idempotent."""
    from io import BytesIO

    from django.core.files.base import ContentFile

    from services.images import make_thumbnail

    out = BytesIO()
    with photo.image.open("rb") as source:
        make_thumbnail(source, out)
    if photo.thumbnail:
        photo.thumbnail.delete(save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(out.getvalue()), save=False)
    photo.save(update_fields=["thumbnail"])
    return photo
