"""Writes for station events (lectures, free clinics, fun games …): registration and the photo gallery."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.capacity import SeatResult, SeatStatus, seat_cancel, seat_take
from portal.core.models import Kind, User
from portal.core.notify import message, notify
from portal.core.tasks import enqueue
from residents.models import Resident
from residents.proxies import acted_by_note
from services.events.images import check_image_upload
from services.events.models import EventPhoto, EventRegistration, StationEvent
from services.events.tasks import event_photo_thumbnail


def event_register(*, event: StationEvent, resident: Resident, by: User | None = None) -> SeatResult:
    """Register a resident for an event of their community; a full event offers its waiting list. `by` is who
    acted: the resident, or someone on their behalf (代办: staff or a family proxy) — then the resident is told."""
    if event.community_id != resident.community_id or not event.published:
        raise ValidationError(_("This event is not open to you."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event is over."))
    with transaction.atomic():
        result = seat_take(thing=event, holder=resident, registered_by=by)
        if result.ok and by is not None and by.pk != resident.user_id:
            audit(actor=by, action="event_register_for", obj=result.seat, community_id=event.community_id)
            if resident.user_id:
                notify(
                    recipient=resident.user,
                    kind=Kind.EVENTS,
                    title=message(_("Signed up: %(event)s"), event=event.title),
                    body=acted_by_note(by, resident),
                    url=reverse("services:stations:event", args=[event.pk]),
                )
    return result


def event_registration_cancel(*, registration: EventRegistration) -> None:
    seat_cancel(seat=registration)


def event_check_in(*, registration: EventRegistration, by: User) -> EventRegistration:
    """Check a registered resident in at the door (on the event's day, once; not from the waiting list)."""
    with transaction.atomic():
        registration = (
            EventRegistration.objects.select_for_update(of=("self",))
            .select_related("event", "resident")
            .get(pk=registration.pk)
        )
        event = registration.event
        if registration.status != SeatStatus.ACTIVE:
            raise ValidationError(_("This registration is not a confirmed place."), code="not_active")
        now = timezone.now()
        if event.ends_at <= now:
            raise ValidationError(_("This event is over."), code="over")
        if timezone.localdate(event.starts_at) > timezone.localdate(now):
            raise ValidationError(_("This event is not today."), code="not_today")
        if registration.checked_in_at is not None:
            raise ValidationError(_("Already checked in."), code="checked_in")
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at"])
        audit(actor=by, action="event_check_in", obj=registration, community_id=event.community_id)
        return registration


@transaction.atomic
def event_photo_add(*, event: StationEvent, upload, caption: str, by: User) -> EventPhoto:
    """Store a checked photo (staff); the thumbnail is made by a Celery task after commit."""
    ext = check_image_upload(upload)
    photo = EventPhoto(event=event, caption=caption, uploaded_by=by, image_format=ext)
    photo.image.save(f"upload.{ext}", upload, save=False)
    photo.save()
    audit(actor=by, action="event_photo_add", obj=photo, community_id=event.community_id)
    transaction.on_commit(lambda pk=photo.pk: enqueue(event_photo_thumbnail, pk))
    return photo
