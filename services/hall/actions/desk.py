"""The counter desk: check residents in by booking code, call the next one to the counter, served or no-show.

Each of these is a staff write and goes into the audit log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.models import User
from services.hall.models import Booking, Counter


def booking_check_in(*, community_id: int, code: str, by: User, today: dt.date | None = None) -> Booking:
    """Check a resident in by booking code: they get the next queue number of their counter."""
    today = today or timezone.localdate()
    code = (code or "").strip().upper()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__counter", "item", "resident")
            .filter(community_id=community_id, code=code, status="active")
            .first()
        )
        if booking is None:
            raise ValidationError(_("No active appointment has the code %(code)s.") % {"code": code}, code="unknown")
        if booking.date != today:
            raise ValidationError(
                _("This appointment is for %(day)s, not today.")
                % {"day": date_format(booking.date, "SHORT_DATE_FORMAT")},
                code="not_today",
            )
        if booking.desk != Booking.Desk.BOOKED:
            raise ValidationError(
                _("Already checked in: number %(ticket)s.") % {"ticket": booking.ticket}, code="checked_in"
            )
        Counter.objects.select_for_update().get(pk=booking.slot.counter_id)  # queue numbers are handed out in turn
        last = Booking.objects.filter(slot__counter_id=booking.slot.counter_id, date=today).aggregate(
            n=Max("queue_number")
        )["n"]
        booking.queue_number = (last or 0) + 1
        booking.desk = Booking.Desk.CHECKED_IN
        booking.checked_in_at = timezone.now()
        booking.save(update_fields=["queue_number", "desk", "checked_in_at"])
        audit(actor=by, action="booking_check_in", obj=booking, summary=f"number {booking.ticket}")
        return booking


def booking_call_next(*, counter: Counter, by: User, today: dt.date | None = None) -> Booking | None:
    """Call the next checked-in resident of this counter to the window; None when nobody is waiting."""
    today = today or timezone.localdate()
    with transaction.atomic():
        Counter.objects.select_for_update().get(pk=counter.pk)
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .filter(slot__counter=counter, date=today, status="active", desk=Booking.Desk.CHECKED_IN)
            .select_related("slot__counter", "resident")
            .order_by("queue_number")
            .first()
        )
        if booking is None:
            return None
        booking.desk = Booking.Desk.CALLED
        booking.called_at = timezone.now()
        booking.save(update_fields=["desk", "called_at"])
        audit(actor=by, action="booking_call", obj=booking, summary=f"number {booking.ticket}")
        return booking


def booking_finish(*, booking: Booking, served: bool, by: User) -> Booking:
    """Mark an appointment served, or a no-show (counted against the resident)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("slot").get(pk=booking.pk)
        if booking.status != "active" or booking.desk in (Booking.Desk.SERVED, Booking.Desk.NO_SHOW):
            raise ValidationError(_("This appointment is already finished."), code="finished")
        if served and booking.desk == Booking.Desk.BOOKED:
            raise ValidationError(_("Check the resident in before marking them served."), code="not_checked_in")
        if not served and not booking.slot.is_past:
            raise ValidationError(
                _("The appointment has not begun yet: a no-show can only be marked after it starts."), code="early"
            )
        booking.desk = Booking.Desk.SERVED if served else Booking.Desk.NO_SHOW
        booking.finished_at = timezone.now()
        booking.save(update_fields=["desk", "finished_at"])
        audit(actor=by, action="booking_served" if served else "booking_no_show", obj=booking)
        return booking
