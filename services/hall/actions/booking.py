"""Appointments at the hall: book (the resident, or staff on their behalf), cancel, reschedule, remind, and the
closure of a day (which cancels its appointments)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.capacity import LIVE_STATUSES, Outcome, seat_cancel, seat_move, seat_take
from portal.core.models import Kind, User
from portal.core.notify import message
from portal.core.reminders import Due, reminder_key, send_day_before
from residents.models import Resident
from residents.proxies import acted_by_note
from services.hall.actions.notices import booking_body, notify_resident
from services.hall.actions.slots import is_closed
from services.hall.links import manage_url
from services.hall.models import Booking, ClosedDay, Counter, ServiceItem, Slot, new_booking_code
from services.hall.texts import clock_text, when_text

STAFF_PERM = "services.change_booking"  # hall staff: cancel and move any appointment of their community


def _check_slot_for(
    *, slot: Slot, item: ServiceItem, resident: Resident, exclude_booking_id: int | None = None
) -> None:
    """Why this resident cannot have this slot for this item, as a ValidationError; nothing when they can."""
    if not item.is_active:
        raise ValidationError(_("This service is not offered at the moment."), code="inactive")
    if slot.community_id != resident.community_id or item.community_id != resident.community_id:
        raise ValidationError(_("Appointments are made at the hall of your own community."), code="community")
    if slot.counter_id != item.counter_id:
        raise ValidationError(_("This time belongs to another counter."), code="counter")
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This time has already passed. Please choose a later one."), code="past")
    closure = is_closed(counter_id=slot.counter_id, community_id=slot.community_id, day=slot.date)
    if closure is not None:
        raise ValidationError(
            _("The hall is closed on %(day)s (%(reason)s). Please choose another day.")
            % {"day": date_format(slot.date, "SHORT_DATE_FORMAT"), "reason": closure.reason},
            code="closed",
        )
    same_day = Booking.objects.active().filter(resident=resident, item=item, date=slot.date)
    if exclude_booking_id is not None:
        same_day = same_day.exclude(pk=exclude_booking_id)
    existing = same_day.select_related("slot").first()
    if existing is not None:
        if existing.slot_id == slot.pk:
            raise ValidationError(
                _("You already have this appointment."), code="already", params={"code": existing.code}
            )
        raise ValidationError(
            _("You already have an appointment for this service on that day (%(when)s, code %(code)s).")
            % {"when": when_text(existing.slot.starts_at), "code": existing.code},
            code="same_day",
            params={"code": existing.code},
        )


def _lock_resident(resident: Resident) -> Resident:
    # One resident's bookings are decided one at a time: the same-day rule cannot be raced.
    return Resident.objects.select_for_update().get(pk=resident.pk)


def _acts_for(user: User | None, resident: Resident) -> bool:
    """A member of staff acting on a resident's appointment (代办), not the resident themselves."""
    return user is not None and user.pk != resident.user_id


def booking_create(
    *, resident: Resident, item: ServiceItem, slot: Slot, booked_by: User | None, note: str = ""
) -> Booking:
    """Book `slot` for `resident` (the resident acting, or staff on their behalf). Never overbooks.

    ValidationError codes: inactive, community, counter, past, closed, already, same_day, full.
    """
    return _take_slot(resident=resident, item=item, slot=slot, booked_by=booked_by, note=note, waiting_list=False)


def booking_wait(
    *, resident: Resident, item: ServiceItem, slot: Slot, booked_by: User | None, note: str = ""
) -> Booking:
    """Put `resident` on the waiting list (排队候补) of a full slot: the first place freed by a cancellation or a
    move goes to the longest-waiting resident, who is told (portal.core.capacity). If a place is free by now, it is
    booked at once. ValidationError codes as booking_create."""
    return _take_slot(resident=resident, item=item, slot=slot, booked_by=booked_by, note=note, waiting_list=True)


def _take_slot(
    *, resident: Resident, item: ServiceItem, slot: Slot, booked_by: User | None, note: str, waiting_list: bool
) -> Booking:
    """A seat of `slot` for `resident` (or, with `waiting_list`, a place in its queue when it is full), audited when
    someone acts for them, and the resident told which it is."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                resident = _lock_resident(resident)
                _check_slot_for(slot=slot, item=item, resident=resident)
                result = seat_take(
                    thing=slot,
                    holder=resident,
                    waiting_list=waiting_list,
                    community_id=slot.community_id,
                    item=item,
                    date=slot.date,
                    booked_by=booked_by,
                    note=note,
                    code=new_booking_code(),
                )
                if result.outcome is Outcome.FULL:
                    raise ValidationError(_("Sorry, this time is fully booked."), code="full")
                if result.outcome is Outcome.ALREADY:
                    raise ValidationError(
                        _("You already have an appointment at this time."),
                        code="already",
                        params={"code": result.seat.code},
                    )
                booking = result.seat
                booking.slot, booking.item, booking.resident = slot, item, resident
                if _acts_for(booked_by, resident):
                    action = "booking_wait_for" if waiting_list else "booking_create_for"
                    audit(actor=booked_by, action=action, obj=booking, summary=f"for resident #{resident.pk}")
                if result.outcome is Outcome.TAKEN:
                    _leave_waiting_lists(booking)
                    title = message(
                        _("Appointment confirmed: %(item)s, %(when)s"), item=item.name, when=when_text(slot.starts_at)
                    )
                    body = booking_body(booking, link=manage_url(booking))
                else:
                    title = message(
                        _("On the waiting list: %(item)s, %(when)s (number %(place)s)"),
                        item=item.name,
                        when=when_text(slot.starts_at),
                        place=booking.waiting_place,
                    )
                    body = booking_body(booking)
                notify_resident(
                    resident,
                    kind=Kind.BOOKINGS,
                    title=title,
                    body=body,
                    url=reverse("services:booking", args=[booking.code]),
                )
                return booking
        except IntegrityError:
            # Only a clash of the random booking code gets here (one in a billion): draw another.
            continue
    raise ValidationError(_("Could not book just now; please try again."), code="retry")


def _leave_waiting_lists(booking: Booking) -> None:
    """A confirmed appointment ends the resident's other waits for the same service that day (one a day)."""
    for waiting in Booking.objects.filter(
        resident_id=booking.resident_id, item_id=booking.item_id, date=booking.date, status="waiting"
    ).exclude(pk=booking.pk):
        seat_cancel(seat=waiting)


def booking_cancel(*, booking: Booking, by: User, reason: str = "") -> Booking:
    """Cancel an appointment. The resident may until the cut-off; staff at any time before it is served (and the
    resident is told)."""
    return _cancel(booking=booking, by=by, reason=reason, by_staff=by.has_perm(STAFF_PERM))


def _cancel(*, booking: Booking, by: User, reason, by_staff: bool) -> Booking:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__counter", "item", "resident")
            .get(pk=booking.pk)
        )
        if booking.status not in ("active", "waiting"):
            raise ValidationError(_("This appointment is already cancelled."), code="cancelled")
        if booking.desk in (Booking.Desk.SERVED, Booking.Desk.NO_SHOW):
            raise ValidationError(_("This appointment is over and can no longer be cancelled."), code="over")
        if not by_staff and booking.status == "active" and not booking.can_change:
            raise ValidationError(
                _("Appointments can be cancelled online until %(hours)s hours before; please call the hall.")
                % {"hours": int(Booking.CUTOFF.total_seconds() // 3600)},
                code="cutoff",
            )
        promoted = seat_cancel(seat=booking)
        if promoted is not None:
            _leave_waiting_lists(promoted)  # moved up from the waiting list (and told): their other waits end
        Booking.objects.filter(pk=booking.pk).update(cancelled_by=by)
        booking.refresh_from_db()
        if by_staff:
            audit(actor=by, action="booking_cancel", obj=booking, summary="cancelled by the hall")
            notify_resident(
                booking.resident,
                kind=Kind.BOOKINGS,
                title=message(
                    _("Appointment cancelled by the hall: %(item)s, %(when)s"),
                    item=booking.item.name,
                    when=when_text(booking.slot.starts_at),
                ),
                # A reason typed by staff reads the same in every language; the hall's own is translated.
                body=message(reason or _("Please book another time or call the hall.")),
                url=reverse("services:my_bookings"),
            )
        elif _acts_for(by, booking.resident):  # a family proxy cancelled it: the resident is told
            notify_resident(
                booking.resident,
                kind=Kind.BOOKINGS,
                title=message(
                    _("Appointment cancelled: %(item)s, %(when)s"),
                    item=booking.item.name,
                    when=when_text(booking.slot.starts_at),
                ),
                body=acted_by_note(by, booking.resident),
                url=reverse("services:booking", args=[booking.code]),
            )
        return booking


def booking_cancel_by_link(*, booking: Booking) -> Booking:
    """The resident cancels through the sign-in-free link of their SMS: the resident's own rules (the cut-off)."""
    booking = _cancel(booking=booking, by=booking.resident.user, reason="", by_staff=False)
    audit(actor=None, action="booking_cancel_link", obj=booking, summary="cancelled through the SMS link")
    return booking


def booking_reschedule(*, booking: Booking, slot: Slot, by: User) -> Booking:
    """Move an appointment to another slot: the new seat is taken before the old one is freed, or nothing changes.
    The moved appointment keeps its booking code; the old row (cancelled) gets a new one."""
    with transaction.atomic():
        resident = _lock_resident(booking.resident)
        booking = Booking.objects.select_for_update(of=("self",)).select_related("slot", "item").get(pk=booking.pk)
        if booking.status != "active":
            raise ValidationError(_("This appointment is already cancelled."), code="cancelled")
        by_staff = by.has_perm(STAFF_PERM)
        if not by_staff and not booking.can_change:
            raise ValidationError(
                _("Appointments can be changed online until %(hours)s hours before; please call the hall.")
                % {"hours": int(Booking.CUTOFF.total_seconds() // 3600)},
                code="cutoff",
            )
        if slot.pk == booking.slot_id:
            raise ValidationError(
                _("That is the time you already have."), code="already", params={"code": booking.code}
            )
        _check_slot_for(slot=slot, item=booking.item, resident=resident, exclude_booking_id=booking.pk)
        # The appointment keeps its code (the resident's notes, reminders, links and calendar event stay valid):
        # the row left behind takes a fresh one and links forward through `rescheduled_from`. If the move fails,
        # the transaction gives the code back.
        code = booking.code
        Booking.objects.filter(pk=booking.pk).update(code=new_booking_code())
        result = seat_move(
            seat=booking,
            to=slot,
            community_id=slot.community_id,
            item=booking.item,
            date=slot.date,
            booked_by=by,
            note=booking.note,
            code=code,
            sequence=booking.sequence + 1,
            rescheduled_from=booking,
        )
        if result.outcome is Outcome.FULL:
            raise ValidationError(_("Sorry, this time is fully booked."), code="full")
        if result.outcome is not Outcome.TAKEN:
            raise ValidationError(_("You already have this appointment."), code="already")
        Booking.objects.filter(pk=booking.pk).update(cancelled_by=by)
        new = result.seat
        new.slot, new.item, new.resident = slot, booking.item, resident
        if by_staff and _acts_for(by, resident):
            audit(actor=by, action="booking_reschedule", obj=new, summary=f"moved from booking #{booking.pk}")
        notify_resident(
            resident,
            kind=Kind.BOOKINGS,
            title=message(
                _("Appointment moved: %(item)s, now %(when)s"), item=booking.item.name, when=when_text(slot.starts_at)
            ),
            body=booking_body(new, link=manage_url(new)),
            url=reverse("services:booking", args=[new.code]),
        )
        return new


def booking_reminders_due(day: dt.date) -> list[Due]:
    """The day-before reminders of the appointments on `day` (portal.core.reminders; `reminded_at` marks them too)."""
    bookings = (
        Booking.objects.active()
        .filter(date=day, reminded_at__isnull=True, desk=Booking.Desk.BOOKED, resident__user__isnull=False)
        .select_related("slot__counter", "item", "resident__user")
    )
    return [
        Due(
            kind=Kind.BOOKINGS,
            key=reminder_key("booking", booking.pk, day),
            recipient=booking.resident.user,
            title=message(
                _("Reminder: %(item)s tomorrow at %(time)s"),
                item=booking.item.name,
                time=clock_text(booking.slot.starts_at),
            ),
            body=booking_body(booking),
            url=reverse("services:booking", args=[booking.code]),
            mark=lambda pk=booking.pk: Booking.objects.filter(pk=pk).update(reminded_at=timezone.now()),
        )
        for booking in bookings
    ]


def bookings_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind everyone with an appointment tomorrow (once each); returns how many were reminded. The site's
    day-before scan sends these with every other kind of reminder (portal.core.reminders)."""
    return send_day_before(now=now, kinds=["booking"])["booking"]


def closed_day_add(
    *, community_id: int, day: dt.date, reason: str, by: User, counter: Counter | None = None
) -> ClosedDay:
    """Close the hall (or one counter) on `day`: its appointments are cancelled and the residents told."""
    with transaction.atomic():
        closure = ClosedDay(community_id=community_id, counter=counter, date=day, reason=reason)
        closure.full_clean()
        closure.save()
        affected = Booking.objects.filter(community_id=community_id, date=day, status__in=LIVE_STATUSES)
        if counter is not None:
            affected = affected.filter(slot__counter=counter)
        affected = affected.exclude(desk__in=[Booking.Desk.SERVED, Booking.Desk.NO_SHOW])
        cancelled = 0
        # The waiting lists go first: a cancelled appointment would otherwise hand its place to someone waiting.
        for booking in sorted(affected, key=lambda b: (b.status != "waiting", b.pk)):
            _cancel(
                booking=booking,
                by=by,
                reason=message(_("The hall is closed that day (%(reason)s). Please book another time."), reason=reason),
                by_staff=True,  # the hall closes: whoever may close it cancels that day's appointments
            )
            cancelled += 1
        audit(actor=by, action="closed_day_add", obj=closure, summary=f"{day.isoformat()}: {cancelled} cancelled")
        return closure
