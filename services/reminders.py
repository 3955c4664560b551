"""The stations' day-before reminders, as the core's scan finds them (portal.core.reminders): hall appointments,
events, culture classes, room bookings and the free-physical appointments. Each source returns the reminders of
things held on `day` by residents with an account; the core sends each once."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.capacity import SeatStatus
from portal.core.models import Kind
from portal.core.notify import message
from portal.core.reminders import Due, reminder_key
from services.culture.models import ClassEnrolment, ClassSession, RoomBooking
from services.events.models import EventRegistration
from services.hall.actions import booking_reminders_due
from services.health.models import CheckupBooking


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local (Asia/Shanghai) day as [start, end) in aware datetimes."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), zone)
    return start, start + dt.timedelta(days=1)


def _clock(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def event_reminders(day: dt.date) -> list[Due]:
    start, end = day_bounds(day)
    registrations = EventRegistration.objects.filter(
        status=SeatStatus.ACTIVE,
        event__published=True,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
        resident__user__isnull=False,
    ).select_related("event", "resident__user")
    return [
        Due(
            kind=Kind.EVENTS,
            key=reminder_key("event", r.pk, day),
            recipient=r.resident.user,
            title=message(
                _("Reminder: “%(event)s” tomorrow at %(time)s"), event=r.event.title, time=_clock(r.event.starts_at)
            ),
            body=message(_("Place: %(place)s"), place=r.event.place),
            url=reverse("services:stations:event", args=[r.event_id]),
        )
        for r in registrations
    ]


def class_reminders(day: dt.date) -> list[Due]:
    start, end = day_bounds(day)
    sessions = ClassSession.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related("klass__room")
    first = {}
    for session in sessions.order_by("starts_at"):
        first.setdefault(session.klass_id, session)  # one reminder a day per class: its first session
    if not first:
        return []
    enrolments = ClassEnrolment.objects.filter(
        klass_id__in=list(first), status=SeatStatus.ACTIVE, resident__user__isnull=False
    ).select_related("resident__user")
    dues = []
    for enrolment in enrolments:
        session = first[enrolment.klass_id]
        dues.append(
            Due(
                kind=Kind.EVENTS,
                key=reminder_key("class", enrolment.pk, day),
                recipient=enrolment.resident.user,
                title=message(
                    _("Reminder: class “%(name)s” tomorrow at %(time)s"),
                    name=session.klass.name,
                    time=_clock(session.starts_at),
                ),
                body=message(_("Place: %(place)s"), place=session.klass.room.name),
                url=reverse("services:culture:my"),
            )
        )
    return dues


def room_reminders(day: dt.date) -> list[Due]:
    start, end = day_bounds(day)
    bookings = (
        RoomBooking.objects.active()
        .filter(starts_at__gte=start, starts_at__lt=end, resident__user__isnull=False, class_session__isnull=True)
        .select_related("room", "resident__user")
    )
    return [
        Due(
            kind=Kind.EVENTS,
            key=reminder_key("room", b.pk, day),
            recipient=b.resident.user,
            title=message(
                _("Reminder: %(room)s booked tomorrow %(start)s–%(end)s"),
                room=b.room.name,
                start=_clock(b.starts_at),
                end=_clock(b.ends_at),
            ),
            body=message(_("Purpose: %(purpose)s"), purpose=b.purpose),
            url=reverse("services:culture:my"),
        )
        for b in bookings
    ]


def checkup_reminders(day: dt.date) -> list[Due]:
    start, end = day_bounds(day)
    bookings = CheckupBooking.objects.filter(
        status=SeatStatus.ACTIVE, slot__starts_at__gte=start, slot__starts_at__lt=end, resident__user__isnull=False
    ).select_related("slot__campaign", "resident__user")
    return [
        Due(
            kind=Kind.BOOKINGS,
            key=reminder_key("checkup", b.pk, day),
            recipient=b.resident.user,
            title=message(_("Reminder: your free physical tomorrow at %(time)s"), time=_clock(b.slot.starts_at)),
            body=message(
                _("%(title)s, %(place)s. Please come with an empty stomach and bring your ID card."),
                title=b.slot.campaign.title,
                place=b.slot.campaign.place,
            ),
            url=reverse("services:health:my_checkup"),
        )
        for b in bookings
    ]


SOURCES = {
    "booking": booking_reminders_due,
    "event": event_reminders,
    "class": class_reminders,
    "room": room_reminders,
    "checkup": checkup_reminders,
}
