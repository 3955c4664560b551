"""Writes of the culture station: room bookings (never overlapping), team series, classes and attendance.

Every staff write goes into the audit log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit
from portal.core.capacity import SeatResult, SeatStatus, seat_cancel, seat_take
from portal.core.models import Kind, User
from portal.core.notify import message, notify
from residents.models import Resident
from services.culture.models import (
    ClassEnrolment,
    ClassSession,
    CultureClass,
    Room,
    RoomBooking,
    SessionAttendance,
    Team,
)

MAX_BOOKING_HOURS = 4


def _check_times(room: Room, starts_at: dt.datetime, ends_at: dt.datetime, *, by_staff: bool) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date() or start.time() < room.opens_at or end.time() > room.closes_at:
        raise ValidationError(
            _("%(room)s is open from %(opens)s to %(closes)s; please book within those hours.")
            % {"room": room.name, "opens": room.opens_at.strftime("%H:%M"), "closes": room.closes_at.strftime("%H:%M")},
            code="hours",
        )
    if not by_staff and ends_at - starts_at > dt.timedelta(hours=MAX_BOOKING_HOURS):
        raise ValidationError(
            _("A booking can last at most %(hours)s hours.") % {"hours": MAX_BOOKING_HOURS}, code="too_long"
        )
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("This time has already passed.")})


def _clashes(room: Room, starts_at: dt.datetime, ends_at: dt.datetime, excluding: RoomBooking | None = None):
    clashes = RoomBooking.objects.active().filter(room=room).between(starts_at, ends_at)
    return clashes.exclude(pk=excluding.pk) if excluding is not None and excluding.pk else clashes


def _clash_exists(room: Room, starts_at: dt.datetime, ends_at: dt.datetime, excluding=None) -> bool:
    return _clashes(room, starts_at, ends_at, excluding).exists()


def _overlap_message(room: Room, starts_at: dt.datetime, ends_at: dt.datetime, excluding=None) -> str:
    clash = _clashes(room, starts_at, ends_at, excluding).order_by("starts_at").first()
    if clash is None:
        return _("%(room)s is already booked at this time. Please choose another time.") % {"room": room.name}
    return _("%(room)s is already booked from %(start)s to %(end)s. Please choose another time.") % {
        "room": room.name,
        "start": timezone.localtime(clash.starts_at).strftime("%H:%M"),
        "end": timezone.localtime(clash.ends_at).strftime("%H:%M"),
    }


def room_booking_check(
    *,
    room: Room,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    resident: Resident | None = None,
    team: Team | None = None,
    by_staff: bool = False,
    booking: RoomBooking | None = None,
) -> None:
    """The checks of a booking of `room` from `starts_at` to `ends_at` (a new one, or `booking` moved there): who may
    book the room, the community, the room's hours, not in the past, and no other live booking at that time. The
    page's booking (room_book) and the admin's form both ask here; a ValidationError names the field where it can."""
    if not room.bookable and not by_staff:
        raise ValidationError(_("This room cannot be booked by residents."))
    for field, who in (("resident", resident), ("team", team)):
        if who is not None and who.community_id != room.community_id:
            raise ValidationError({field: _("This room belongs to another community.")})
    _check_times(room, starts_at, ends_at, by_staff=by_staff)
    if _clash_exists(room, starts_at, ends_at, excluding=booking):
        raise ValidationError(_overlap_message(room, starts_at, ends_at, excluding=booking), code="overlap")


def room_book(
    *,
    room: Room,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    by: User | None,
    resident: Resident | None = None,
    team: Team | None = None,
    by_staff: bool = False,
) -> RoomBooking:
    """Book a room for a time range. Overlaps are refused by the database; the caller gets a clear message."""
    booking = RoomBooking(
        room=room, starts_at=starts_at, ends_at=ends_at, purpose=purpose, resident=resident, team=team, booked_by=by
    )
    try:
        with transaction.atomic():
            # One booking of a room at a time: concurrent inserts checking the exclusion constraint against each
            # other can deadlock (PostgreSQL aborts one with an error); queueing on the room's row avoids that.
            list(Room.objects.select_for_update().filter(pk=room.pk).values_list("pk", flat=True))
            # A friendly early answer; the exclusion constraint is what holds under concurrency (on PostgreSQL).
            room_booking_check(
                room=room, starts_at=starts_at, ends_at=ends_at, resident=resident, team=team, by_staff=by_staff
            )
            booking.save()
            if by_staff:
                audit(
                    actor=by,
                    action="room_book",
                    obj=booking,
                    community_id=room.community_id,
                    summary=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}–{timezone.localtime(ends_at):%H:%M}",
                )
    except IntegrityError as exc:
        if "room_booking_no_overlap" in str(exc):
            raise ValidationError(_overlap_message(room, starts_at, ends_at), code="overlap") from exc
        raise
    return booking


def room_booking_cancel(*, booking: RoomBooking, by: User | None) -> RoomBooking:
    """Cancel a room booking: the room is free again. Cancelled by someone else than the resident who booked it
    (the station), it is audited and the resident is told."""
    with transaction.atomic():
        booking = (
            RoomBooking.objects.select_for_update(of=("self",)).select_related("room", "resident").get(pk=booking.pk)
        )
        if booking.status == RoomBooking.Status.CANCELLED:
            return booking
        booking.status = RoomBooking.Status.CANCELLED
        booking.save(update_fields=["status"])
        resident = booking.resident
        if by is not None and (resident is None or resident.user_id != by.pk):
            audit(actor=by, action="room_booking_cancel", obj=booking, community_id=booking.room.community_id)
            if resident is not None and resident.user_id:
                start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
                notify(
                    recipient=resident.user,
                    kind=Kind.EVENTS,
                    title=message(
                        gettext_lazy("Room booking cancelled by the culture station: %(room)s"), room=booking.room.name
                    ),
                    body=message(
                        gettext_lazy("Your booking of %(room)s on %(when)s is cancelled. Please book another time."),
                        room=booking.room.name,
                        when=f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}",
                    ),
                    url=reverse("services:culture:my"),
                )
    return booking


@transaction.atomic
def team_book_weekly(
    *, team: Team, room: Room, first_day: dt.date, weeks: int, start: dt.time, end: dt.time, by: User | None
) -> list[RoomBooking]:
    """A team's regular booking: the same time every week, all or nothing."""
    tz = timezone.get_current_timezone()
    bookings = []
    for week in range(weeks):
        day = first_day + dt.timedelta(weeks=week)
        bookings.append(
            room_book(
                room=room,
                starts_at=dt.datetime.combine(day, start, tzinfo=tz),
                ends_at=dt.datetime.combine(day, end, tzinfo=tz),
                purpose=_("Team practice: %(team)s") % {"team": team.name},
                team=team,
                by=by,
                by_staff=True,
            )
        )
    return bookings


@transaction.atomic
def class_session_add(
    *, klass: CultureClass, starts_at: dt.datetime, ends_at: dt.datetime, by: User | None, topic: str = ""
) -> ClassSession:
    """Schedule a session of a class; it takes its room like any other booking."""
    booking = room_book(
        room=klass.room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=_("Class: %(name)s") % {"name": klass.name},
        by=by,
        by_staff=True,
    )
    session = ClassSession.objects.create(
        klass=klass, booking=booking, starts_at=starts_at, ends_at=ends_at, topic=topic
    )
    audit(actor=by, action="class_session_add", obj=session, community_id=klass.community_id)
    return session


def class_enrol(*, klass: CultureClass, resident: Resident) -> SeatResult:
    if klass.community_id != resident.community_id:
        raise ValidationError(_("This class is not open to you."))
    return seat_take(thing=klass, holder=resident)


def class_enrolment_cancel(*, enrolment: ClassEnrolment) -> None:
    seat_cancel(seat=enrolment)


@transaction.atomic
def session_attendance_record(*, session: ClassSession, present_enrolment_ids: set[int], by: User | None) -> int:
    """Record who came to a session (every active enrolment gets a row: present or not)."""
    enrolments = list(session.klass.enrolments.filter(status=SeatStatus.ACTIVE).values_list("pk", flat=True))
    SessionAttendance.objects.filter(session=session).delete()
    SessionAttendance.objects.bulk_create(
        SessionAttendance(session=session, enrolment_id=pk, present=pk in present_enrolment_ids) for pk in enrolments
    )
    present = sum(1 for pk in enrolments if pk in present_enrolment_ids)
    audit(
        actor=by,
        action="session_attendance",
        obj=session,
        community_id=session.klass.community_id,
        summary=f"{present} of {len(enrolments)} present",
    )
    return present


@transaction.atomic
def class_sessions_add_weekly(
    *, klass: CultureClass, first_day: dt.date, weeks: int, start: dt.time, end: dt.time, by: User | None
) -> list[ClassSession]:
    """A class's series of weekly sessions in its room: all or nothing (one clash cancels the whole series)."""
    tz = timezone.get_current_timezone()
    return [
        class_session_add(
            klass=klass,
            starts_at=dt.datetime.combine(first_day + dt.timedelta(weeks=week), start, tzinfo=tz),
            ends_at=dt.datetime.combine(first_day + dt.timedelta(weeks=week), end, tzinfo=tz),
            topic=_("Lesson %(n)s") % {"n": week + 1},
            by=by,
        )
        for week in range(weeks)
    ]
