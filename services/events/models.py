"""Events of the health and culture stations: lectures, free clinics (义诊), performances and the large fun
games (趣味运动会). One model so that registration, the calendar and the iCal feed treat them alike."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.access import ScopedQuerySet
from portal.core.capacity import Seat, Seated, seat_unique_constraint
from portal.core.models import Kind
from portal.core.notify import message
from portal.core.stations import Station
from portal.core.uploads import private_storage

__all__ = ["EventPhoto", "EventRegistration", "Station", "StationEvent"]


# The stations that hold events (the core's enum names all four).
EVENT_STATIONS = [(station.value, station.label) for station in (Station.HEALTH, Station.CULTURE)]


class StationEventQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now())

    def between(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class StationEvent(Seated):
    """An event with registration: seats, and a waiting list when full."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("health lecture")
        FREE_CLINIC = "clinic", _("free clinic (义诊)")
        FUN_GAMES = "games", _("fun games (趣味运动会)")
        PERFORMANCE = "show", _("performance")
        OTHER = "other", _("other activity")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    station = models.CharField(_("station"), max_length=10, choices=EVENT_STATIONS)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=100)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    # The culture station holds 2–3 large fun events (大型趣味性活动) a year; they count against its plan.
    large = models.BooleanField(
        _("large fun event"),
        default=False,
        help_text=_(
            "One of the year's large fun events (大型趣味性活动) that count against the culture station's plan."
        ),
    )
    has_waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    published = models.BooleanField(_("published"), default=True)
    # 共驻共建: stationed units sponsor events (the source's 和谐杯, 农行杯 and 老年乐 games).
    sponsors = models.ManyToManyField(
        "residents.StationedUnit",
        blank=True,
        related_name="sponsored_events",
        verbose_name=_("sponsors"),
        help_text=_("Stationed units that sponsor the event (赞助单位)."),
    )

    objects = StationEventQuerySet.as_manager()

    class Meta(Seated.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            *Seated.Meta.constraints,
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def seat_model(cls):
        return EventRegistration


class EventRegistration(Seat):
    """A resident's registration (or place on the waiting list) for an event."""

    seat_thing_field = "event"
    seat_holder_field = "resident"

    event = models.ForeignKey(
        StationEvent, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="event_registrations", verbose_name=_("resident")
    )
    # Set when the resident is checked in at the door (the QR code of their registration, scanned by staff).
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [seat_unique_constraint("event", "resident", "event_registration_once")]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.resident_id}"

    @property
    def is_acted_for(self) -> bool:
        """Registered by someone else on the resident's behalf (代办: staff or a family proxy)."""
        return bool(self.registered_by_id) and self.registered_by_id != self.resident.user_id

    def promotion_notice(self):
        user = self.resident.user
        if user is None:
            return None
        return {
            "recipient": user,
            "title": message(_("A place at “%(event)s” is yours"), event=self.event.title),
            "body": _("You have moved up from the waiting list."),
            "kind": Kind.EVENTS,
        }


def photo_path(instance: EventPhoto, filename: str) -> str:
    # Never the uploader's file name: it may hold a person's name; the extension comes from the checked format.
    return f"events/{instance.event_id}/{timezone.now():%Y%m%d%H%M%S%f}.{instance.image_format}"


def thumb_path(instance: EventPhoto, filename: str) -> str:
    return f"events/{instance.event_id}/thumbs/{instance.pk}.jpg"


class EventPhoto(models.Model):
    """A photo in an event's gallery; its thumbnail is made by a Celery task."""

    event = models.ForeignKey(StationEvent, on_delete=models.CASCADE, related_name="photos", verbose_name=_("event"))
    # Private: photos of people at an event, shown only while the event is published (services:stations:event_photo).
    image = models.ImageField(
        _("photo"), upload_to=photo_path, width_field="width", height_field="height", storage=private_storage
    )
    image_format = models.CharField(max_length=5, editable=False, default="jpg")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=thumb_path, blank=True, storage=private_storage)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse(f"services:stations:event_{field_name}", args=[self.event_id, self.pk])
