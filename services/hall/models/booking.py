"""Bookable slots of the hall's counters and the residents' appointments in them (seats, see portal.core.capacity)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.capacity import Seat, Seated, seat_unique_constraint
from portal.core.models import Kind
from portal.core.notify import message
from services.hall.models.catalogue import Counter, ServiceItem
from services.hall.querysets import BookingQuerySet, SlotQuerySet
from services.hall.texts import when_text


class Slot(Seated):
    """A bookable time at one counter; its seats are appointments."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="slots", verbose_name=_("community")
    )
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="slots", verbose_name=_("counter"))
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    objects = SlotQuerySet.as_manager()

    class Meta(Seated.Meta):
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "counter_id"]
        constraints = [
            *Seated.Meta.constraints,
            models.UniqueConstraint(fields=["counter", "starts_at"], name="slot_unique_per_counter"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]
        indexes = [models.Index(fields=["counter", "date"]), models.Index(fields=["community", "date"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M}"

    @classmethod
    def seat_model(cls) -> type[Booking]:
        return Booking

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.ends_at)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud at the counter


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class Booking(Seat):
    """A resident's appointment in a slot, for one service item. `booked_by` is who acted (the resident, or staff: 代办)."""

    seat_thing_field = "slot"
    seat_holder_field = "resident"

    class Desk(models.TextChoices):
        BOOKED = "booked", _("booked")
        CHECKED_IN = "checked_in", _("checked in, waiting")
        CALLED = "called", _("called to the counter")
        SERVED = "served", _("served")
        NO_SHOW = "no_show", _("did not come")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="bookings", verbose_name=_("community")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resident")
    )
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("service"))
    date = models.DateField(_("date"))
    code = models.CharField(_("booking code"), max_length=8, unique=True, default=new_booking_code)
    note = models.CharField(_("note"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    rescheduled_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("rescheduled from")
    )
    # How many times the appointment was moved: its calendar event's SEQUENCE (the UID follows the code, which a
    # move keeps), so a calendar replaces the old event instead of adding a second one.
    sequence = models.PositiveSmallIntegerField(_("times moved"), default=0, editable=False)
    desk = models.CharField(_("at the counter"), max_length=12, choices=Desk.choices, default=Desk.BOOKED)
    queue_number = models.PositiveSmallIntegerField(_("queue number"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    # Residents may cancel or reschedule until this long before the slot starts.
    CUTOFF = dt.timedelta(hours=2)

    class Meta(Seat.Meta):
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("work_desk", _("Can work the counter desk (check in, call, serve)")),
            ("book_on_behalf", _("Can book and file cases on behalf of a resident (代办)")),
        ]
        constraints = [seat_unique_constraint("slot", "resident", name="booking_one_live_seat_per_slot")]
        indexes = [
            models.Index(fields=["resident", "status", "date"]),
            models.Index(fields=["community", "date", "desk"]),
            # The admin list, newest first: without it a district's list sorted every booking (240 ms at 44,000).
            models.Index(fields=["-created_at", "-id"], name="booking_newest_first"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_acted_for(self) -> bool:
        """Booked by staff on the resident's behalf (代办)."""
        return bool(self.booked_by_id) and self.booked_by_id != self.resident.user_id

    @property
    def waiting_place(self) -> int | None:
        """This resident's place on the slot's waiting list (1 = next to move up); None unless waiting."""
        if self.status != "waiting":
            return None
        ahead = Booking.objects.filter(slot_id=self.slot_id, status="waiting").filter(
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        )
        return ahead.count() + 1

    @property
    def can_change(self) -> bool:
        """The resident may still cancel or reschedule it."""
        return (
            self.status == "active"
            and self.desk == self.Desk.BOOKED
            and timezone.now() < self.slot.starts_at - self.CUTOFF
        )

    def promotion_notice(self) -> dict | None:
        """Tell the resident when a waiting seat is confirmed (hall slots book without a waiting list by default)."""
        if not self.resident.user_id:
            return None
        return {
            "recipient": self.resident.user,
            "title": message(
                _("A place freed up: %(item)s, %(when)s is confirmed"),
                item=self.item.name,
                when=when_text(self.slot.starts_at),
            ),
            "body": message(_("Booking code: %(code)s"), code=self.code),
            "url": reverse("services:booking", args=[self.code]),
            "kind": Kind.BOOKINGS,
        }

    @property
    def ticket(self) -> str:
        """The number called on the board: counter letter-free, e.g. 2-007."""
        if self.queue_number is None:
            return ""
        return f"{self.slot.counter.number}-{self.queue_number:03d}"
