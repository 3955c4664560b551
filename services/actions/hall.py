"""Writes of the one-stop service hall. Views, admin actions and tasks call these; nobody repeats them.

Every function is keyword-only, atomic, and raises ValidationError (with a `code`) carrying a translated message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.core import roles
from portal.core.capacity import Outcome, seat_cancel, seat_move, seat_take
from portal.core.models import Community, User
from portal.core.notify import notify
from residents.models import Resident
from services.models import (
    Booking,
    Case,
    CaseAttachment,
    CaseEvent,
    ClosedDay,
    Counter,
    Mediation,
    ServiceItem,
    Slot,
)
from services.models.hall import add_working_days, new_booking_code
from services.uploads import check_attachment

DEFAULT_DAYS_AHEAD = 14

# ------------------------------------------------------------------------------------------------
# Slots


def slots_generate(
    *, community: Community | None = None, days_ahead: int = DEFAULT_DAYS_AHEAD, today: dt.date | None = None
) -> int:
    """Cut slots from every active counter's opening hours for the next `days_ahead` days; returns how many are new.

    Idempotent: existing slots are kept (one slot per counter and start time, by constraint). Closed days get none.
    """
    today = today or timezone.localdate()
    last = today + dt.timedelta(days=days_ahead)
    counters = Counter.objects.active().prefetch_related("hours")
    closures = ClosedDay.objects.filter(date__gte=today, date__lte=last)
    if community is not None:
        counters = counters.filter(community=community)
        closures = closures.filter(community=community)
    closed_hall: set[tuple[int, dt.date]] = set()
    closed_counter: set[tuple[int, dt.date]] = set()
    for closure in closures:
        if closure.counter_id is None:
            closed_hall.add((closure.community_id, closure.date))
        else:
            closed_counter.add((closure.counter_id, closure.date))
    tz = timezone.get_current_timezone()
    slots = []
    for counter in counters:
        length = dt.timedelta(minutes=counter.slot_minutes)
        for offset in range(days_ahead + 1):
            day = today + dt.timedelta(days=offset)
            if (counter.community_id, day) in closed_hall or (counter.pk, day) in closed_counter:
                continue
            for hours in counter.hours.all():
                if hours.weekday != day.weekday():
                    continue
                start = dt.datetime.combine(day, hours.opens, tzinfo=tz)
                end_of_period = dt.datetime.combine(day, hours.closes, tzinfo=tz)
                while start + length <= end_of_period:
                    slots.append(
                        Slot(
                            community_id=counter.community_id,
                            counter=counter,
                            date=day,
                            starts_at=start,
                            ends_at=start + length,
                            capacity=counter.seats_per_slot,
                        )
                    )
                    start += length
    window = Slot.objects.filter(date__gte=today, date__lte=last)
    if community is not None:
        window = window.filter(community=community)
    before = window.count()
    Slot.objects.bulk_create(slots, batch_size=1000, ignore_conflicts=True)
    return window.count() - before


def is_closed(*, counter_id: int, community_id: int, day: dt.date) -> ClosedDay | None:
    """The closure that shuts this counter on `day`, if any."""
    return ClosedDay.objects.filter(community_id=community_id, date=day).affecting(counter_id).first()


def closed_day_add(
    *, community_id: int, day: dt.date, reason: str, by: User, counter: Counter | None = None
) -> ClosedDay:
    """Close the hall (or one counter) on `day`: its appointments are cancelled and the residents told."""
    with transaction.atomic():
        closure = ClosedDay(community_id=community_id, counter=counter, date=day, reason=reason)
        closure.full_clean()
        closure.save()
        affected = Booking.objects.active().filter(community_id=community_id, date=day)
        if counter is not None:
            affected = affected.filter(slot__counter=counter)
        for booking in affected.exclude(desk__in=[Booking.Desk.SERVED, Booking.Desk.NO_SHOW]):
            booking_cancel(
                booking=booking,
                by=by,
                reason=str(
                    _("The hall is closed that day (%(reason)s). Please book another time.") % {"reason": reason}
                ),
            )
        return closure


def slots_nearest_free(*, slot: Slot, limit: int = 4) -> list[Slot]:
    """The bookable slots of the same counter closest in time to `slot` (for "this one is full")."""
    base = Slot.objects.filter(counter_id=slot.counter_id).bookable().exclude(pk=slot.pk)
    later = list(base.filter(starts_at__gte=slot.starts_at).order_by("starts_at")[:limit])
    earlier = list(base.filter(starts_at__lt=slot.starts_at).order_by("-starts_at")[:limit])
    nearest = sorted(later + earlier, key=lambda s: abs((s.starts_at - slot.starts_at).total_seconds()))
    return sorted(nearest[:limit], key=lambda s: s.starts_at)


# ------------------------------------------------------------------------------------------------
# Bookings


def _when(slot: Slot) -> str:
    start = timezone.localtime(slot.starts_at)
    return f"{date_format(start, 'SHORT_DATE_FORMAT')} {start:%H:%M}"


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
            % {"when": _when(existing.slot), "code": existing.code},
            code="same_day",
            params={"code": existing.code},
        )


def _lock_resident(resident: Resident) -> Resident:
    # One resident's bookings are decided one at a time: the same-day rule cannot be raced.
    return Resident.objects.select_for_update().get(pk=resident.pk)


def _notify_resident(resident: Resident, *, title, body="", url="") -> None:
    if resident.user_id:
        notify(recipient=resident.user, title=title, body=body, url=url)


def _booking_body(booking: Booking) -> str:
    slot = booking.slot
    lines = [
        str(_("Service: %(item)s") % {"item": booking.item.name}),
        str(_("Time: %(when)s, %(counter)s") % {"when": _when(slot), "counter": slot.counter}),
        str(_("Booking code: %(code)s") % {"code": booking.code}),
    ]
    if booking.item.documents:
        lines.append(str(_("Please bring: %(docs)s") % {"docs": "、".join(booking.item.documents)}))
    return "\n".join(lines)


def booking_create(
    *, resident: Resident, item: ServiceItem, slot: Slot, booked_by: User | None, note: str = ""
) -> Booking:
    """Book `slot` for `resident` (the resident acting, or staff on their behalf). Never overbooks.

    ValidationError codes: inactive, community, counter, past, closed, already, same_day, full.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                resident = _lock_resident(resident)
                _check_slot_for(slot=slot, item=item, resident=resident)
                result = seat_take(
                    thing=slot,
                    holder=resident,
                    waiting_list=False,
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
                _notify_resident(
                    resident,
                    title=_("Appointment confirmed: %(item)s, %(when)s") % {"item": item.name, "when": _when(slot)},
                    body=_booking_body(booking),
                    url=reverse("services:booking", args=[booking.code]),
                )
                return booking
        except IntegrityError:
            # Only a clash of the random booking code gets here (one in a billion): draw another.
            continue
    raise ValidationError(_("Could not book just now; please try again."), code="retry")


def booking_cancel(*, booking: Booking, by: User, reason: str = "") -> Booking:
    """Cancel an appointment. The resident may until the cut-off; staff at any time before it is served (and the
    resident is told)."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("slot__counter", "item", "resident").get(pk=booking.pk)
        )
        by_staff = by.has_perm("services.change_booking")
        if booking.status != "active":
            raise ValidationError(_("This appointment is already cancelled."), code="cancelled")
        if booking.desk in (Booking.Desk.SERVED, Booking.Desk.NO_SHOW):
            raise ValidationError(_("This appointment is over and can no longer be cancelled."), code="over")
        if not by_staff and not booking.can_change:
            raise ValidationError(
                _("Appointments can be cancelled online until %(hours)s hours before; please call the hall.")
                % {"hours": int(Booking.CUTOFF.total_seconds() // 3600)},
                code="cutoff",
            )
        seat_cancel(seat=booking)
        Booking.objects.filter(pk=booking.pk).update(cancelled_by=by)
        booking.refresh_from_db()
        if by_staff:
            _notify_resident(
                booking.resident,
                title=_("Appointment cancelled by the hall: %(item)s, %(when)s")
                % {"item": booking.item.name, "when": _when(booking.slot)},
                body=(reason or str(_("Please book another time or call the hall."))),
                url=reverse("services:my_bookings"),
            )
        return booking


def booking_reschedule(*, booking: Booking, slot: Slot, by: User) -> Booking:
    """Move an appointment to another slot: the new seat is taken before the old one is freed, or nothing changes."""
    with transaction.atomic():
        resident = _lock_resident(booking.resident)
        booking = Booking.objects.select_for_update().select_related("slot", "item").get(pk=booking.pk)
        if booking.status != "active":
            raise ValidationError(_("This appointment is already cancelled."), code="cancelled")
        if not by.has_perm("services.change_booking") and not booking.can_change:
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
        result = seat_move(
            seat=booking,
            to=slot,
            community_id=slot.community_id,
            item=booking.item,
            date=slot.date,
            booked_by=by,
            note=booking.note,
            code=new_booking_code(),
            rescheduled_from=booking,
        )
        if result.outcome is Outcome.FULL:
            raise ValidationError(_("Sorry, this time is fully booked."), code="full")
        if result.outcome is not Outcome.TAKEN:
            raise ValidationError(_("You already have this appointment."), code="already")
        Booking.objects.filter(pk=booking.pk).update(cancelled_by=by)
        new = result.seat
        new.slot, new.item, new.resident = slot, booking.item, resident
        _notify_resident(
            resident,
            title=_("Appointment moved: %(item)s, now %(when)s") % {"item": booking.item.name, "when": _when(slot)},
            body=_booking_body(new),
            url=reverse("services:booking", args=[new.code]),
        )
        return new


def bookings_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind everyone with an appointment tomorrow (once each: `reminded_at`); returns how many were reminded."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    sent = 0
    ids = list(
        Booking.objects.active()
        .filter(date=tomorrow, reminded_at__isnull=True, desk=Booking.Desk.BOOKED)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("slot__counter", "item", "resident__user")
                .filter(pk=pk, reminded_at__isnull=True, status="active")
                .first()
            )
            if booking is None:
                continue
            _notify_resident(
                booking.resident,
                title=_("Reminder: %(item)s tomorrow at %(time)s")
                % {"item": booking.item.name, "time": f"{booking.slot.local_start:%H:%M}"},
                body=_booking_body(booking),
                url=reverse("services:booking", args=[booking.code]),
            )
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at"])
            sent += 1
    return sent


# ------------------------------------------------------------------------------------------------
# The counter desk


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
        return booking


def booking_finish(*, booking: Booking, served: bool, by: User) -> Booking:
    """Mark an appointment served, or a no-show (counted against the resident)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != "active" or booking.desk in (Booking.Desk.SERVED, Booking.Desk.NO_SHOW):
            raise ValidationError(_("This appointment is already finished."), code="finished")
        if served and booking.desk == Booking.Desk.BOOKED:
            raise ValidationError(_("Check the resident in before marking them served."), code="not_checked_in")
        booking.desk = Booking.Desk.SERVED if served else Booking.Desk.NO_SHOW
        booking.finished_at = timezone.now()
        booking.save(update_fields=["desk", "finished_at"])
        return booking


# ------------------------------------------------------------------------------------------------
# Cases

DEFAULT_TIME_LIMIT = {
    Case.Kind.APPLICATION: 10,
    Case.Kind.REPAIR: 2,
    Case.Kind.MEDIATION: 15,
    Case.Kind.RIGHTS: 10,
}


def case_deadline(*, community_id: int, start: dt.date, days: int) -> dt.date:
    closed = set(
        ClosedDay.objects.filter(community_id=community_id, counter__isnull=True, date__gt=start).values_list(
            "date", flat=True
        )
    )
    return add_working_days(start, days, closed)


def _event(case: Case, *, by: User | None, kind: str, text: str = "", internal: bool = False, old: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        actor=by,
        kind=kind,
        text=str(text),
        internal=internal,
        from_status=old if kind == CaseEvent.Kind.STATUS else "",
        to_status=case.status if kind == CaseEvent.Kind.STATUS else "",
    )


def case_file(
    *,
    resident: Resident,
    kind: str,
    title: str,
    description: str,
    filed_by: User | None,
    item: ServiceItem | None = None,
    location: str = "",
    other_party: str = "",
    attachments: Iterable[UploadedFile] = (),
) -> Case:
    """File a case for `resident` (by the resident, or by staff on their behalf); its deadline follows the item's time limit."""
    if item is not None and item.community_id != resident.community_id:
        raise ValidationError({"item": _("This service belongs to another community.")})
    checked = [(upload, check_attachment(upload)) for upload in attachments]
    days = item.time_limit_days if item is not None else DEFAULT_TIME_LIMIT[Case.Kind(kind)]
    with transaction.atomic():
        case = Case(
            community_id=resident.community_id,
            resident=resident,
            item=item,
            counter_id=item.counter_id if item else None,
            kind=kind,
            title=title,
            description=description,
            location=location,
            filed_by=filed_by,
            deadline=case_deadline(community_id=resident.community_id, start=timezone.localdate(), days=days),
        )
        case.full_clean()
        case.save()
        on_behalf = filed_by is not None and filed_by.pk != resident.user_id
        _event(
            case,
            by=filed_by,
            kind=CaseEvent.Kind.FILED,
            text=_("Filed by staff on behalf of the resident (代办).") if on_behalf else "",
        )
        if case.kind == Case.Kind.MEDIATION:
            parties = "\n".join(p for p in (resident.name, other_party.strip()) if p)
            Mediation.objects.create(case=case, parties=parties, dispute=description)
        for upload, info in checked:
            _attach(case, upload, info, by=filed_by, internal=False)
        _notify_resident(
            resident,
            title=_("Case %(number)s received: %(title)s") % {"number": case.number, "title": case.title},
            body=_("We will handle it by %(day)s.") % {"day": date_format(case.deadline, "SHORT_DATE_FORMAT")},
            url=reverse("services:case", args=[case.pk]),
        )
        return case


def _attach(case: Case, upload: UploadedFile, info, *, by: User | None, internal: bool) -> CaseAttachment:
    attachment = CaseAttachment(
        case=case,
        original_name=(upload.name or "")[-200:],
        content_type=info.content_type,
        size=upload.size,
        internal=internal,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{info.extension}", upload, save=False)
    attachment.save()
    _event(case, by=by, kind=CaseEvent.Kind.ATTACHMENT, text=attachment.original_name, internal=internal)
    return attachment


def case_add_attachment(*, case: Case, upload: UploadedFile, by: User, internal: bool = False) -> CaseAttachment:
    """Attach an image or PDF (checked by content and size) under a generated name."""
    info = check_attachment(upload)
    with transaction.atomic():
        return _attach(case, upload, info, by=by, internal=internal)


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("resident__user").get(pk=case.pk)


def _status_changed(case: Case, *, by: User, old: str, text: str = "") -> None:
    _event(case, by=by, kind=CaseEvent.Kind.STATUS, text=text, old=old)
    body = str(_("Status: %(status)s") % {"status": case.get_status_display()})
    if case.status == Case.Status.REJECTED:
        body += "\n" + str(_("Reason: %(reason)s") % {"reason": case.rejection_reason})
    _notify_resident(
        case.resident,
        title=_("Case %(number)s is now %(status)s") % {"number": case.number, "status": case.get_status_display()},
        body=body,
        url=reverse("services:case", args=[case.pk]),
    )


def case_accept(*, case: Case, by: User) -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.accept()
        if case.assignee_id is None:
            case.assignee = by
        case.save()
        _status_changed(case, by=by, old=old)
        return case


def case_start(*, case: Case, by: User) -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.start()
        case.save()
        _status_changed(case, by=by, old=old)
        return case


def case_complete(*, case: Case, by: User, note: str = "") -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.complete()
        case.save()
        _status_changed(case, by=by, old=old, text=note)
        return case


def case_reject(*, case: Case, by: User, reason: str) -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.reject(reason)
        case.save()
        _status_changed(case, by=by, old=old, text=case.rejection_reason)
        return case


def case_assign(*, case: Case, assignee: User, by: User) -> Case:
    """Give a case to a member of staff of its community."""
    if not (assignee.is_active and assignee.is_staff and assignee.community_id == case.community_id):
        raise ValidationError({"assignee": _("Cases can only be assigned to staff of the same community.")})
    with transaction.atomic():
        case = _lock_case(case)
        if not case.is_open:
            raise ValidationError(_("A closed case cannot be reassigned."), code="closed")
        case.assignee = assignee
        case.save(update_fields=["assignee"])
        _event(case, by=by, kind=CaseEvent.Kind.ASSIGNED, text=assignee.name, internal=True)
        return case


def case_add_note(*, case: Case, by: User, text: str, internal: bool = True) -> CaseEvent:
    """A note on the timeline; internal notes are for staff, the others the resident sees (and is told of)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    with transaction.atomic():
        event = CaseEvent.objects.create(case=case, actor=by, kind=CaseEvent.Kind.NOTE, text=text, internal=internal)
        if not internal and by.pk != case.resident.user_id:
            _notify_resident(
                case.resident,
                title=_("New message on case %(number)s") % {"number": case.number},
                body=text,
                url=reverse("services:case", args=[case.pk]),
            )
        return event


def case_rate(*, case: Case, by: User, rating: int, comment: str = "") -> Case:
    """The resident rates a finished case (once)."""
    with transaction.atomic():
        case = _lock_case(case)
        if case.resident.user_id != by.pk:
            raise ValidationError(_("Only the resident can rate their case."), code="not_owner")
        case.rate(rating, comment)
        case.save(update_fields=["rating", "rating_comment"])
        _event(case, by=by, kind=CaseEvent.Kind.RATED, text=f"{'★' * case.rating} {comment}".strip())
        return case


def cases_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Tell each community's residents'-committee director about its overdue cases (once per case)."""
    today = today or timezone.localdate()
    overdue = list(
        Case.objects.overdue(today)
        .filter(escalated_at__isnull=True)
        .select_related("assignee")
        .order_by("community_id", "deadline")
    )
    if not overdue:
        return 0
    community_ids = {c.community_id for c in overdue}
    directors: dict[int, list[User]] = {}
    for user in User.objects.filter(
        groups__name=roles.COMMITTEE_DIRECTOR, community_id__in=community_ids, is_active=True
    ).distinct():
        directors.setdefault(user.community_id, []).append(user)
    now = timezone.now()
    with transaction.atomic():
        for case in overdue:
            for director in directors.get(case.community_id, []):
                notify(
                    recipient=director,
                    title=_("Overdue case %(number)s: %(title)s") % {"number": case.number, "title": case.title},
                    body=_("Deadline %(day)s; assigned to %(who)s.")
                    % {
                        "day": date_format(case.deadline, "SHORT_DATE_FORMAT"),
                        "who": case.assignee.name if case.assignee else _("nobody"),
                    },
                    url=reverse("admin:services_case_change", args=[case.pk]),
                )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.ESCALATED,
                internal=True,
                at=now,
                text=str(_("Past its deadline: escalated to the residents'-committee director.")),
            )
            for case in overdue
        )
        Case.objects.filter(pk__in=[c.pk for c in overdue], escalated_at__isnull=True).update(escalated_at=now)
    return len(overdue)
