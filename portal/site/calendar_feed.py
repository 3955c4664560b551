"""我的日历: a resident's private iCal feed (portal.core.ical) with everything they hold — hall appointments, events,
class sessions, room bookings, free-physical times and volunteer shifts — from a month back to a year ahead.

The URL's token is the only credential (phone calendars fetch without a session): `calendar_feed_issue` makes a new
one (the old URL stops at once), `calendar_feed_revoke` ends it. The feed holds only its owner's records."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import ical
from portal.core.capacity import LIVE_STATUSES, SeatStatus
from portal.core.models import CalendarFeed, User
from residents.models import Resident
from services.culture.models import ClassEnrolment, ClassSession, RoomBooking
from services.events.models import EventRegistration
from services.hall.calendar import booking_entry
from services.hall.models import Booking
from services.health.models import CheckupBooking
from volunteers.models import SignUp

BACK = dt.timedelta(days=31)
AHEAD = dt.timedelta(days=366)
UID = "@community-portal"


@transaction.atomic
def calendar_feed_issue(*, user: User) -> CalendarFeed:
    """A new private feed URL for `user` (a regenerated one replaces the old: the old URL answers 404)."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def calendar_feed_revoke(*, user: User) -> bool:
    """Stop `user`'s feed; True when there was one."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def feed_entries(resident: Resident, now: dt.datetime | None = None) -> list[ical.Entry]:
    """Everything `resident` holds between a month ago and a year ahead, as calendar entries."""
    now = now or timezone.now()
    start, end = now - BACK, now + AHEAD
    entries = [
        booking_entry(b)
        for b in Booking.objects.of_resident(resident.pk)
        .filter(status__in=LIVE_STATUSES, slot__starts_at__gte=start, slot__starts_at__lt=end)
        .select_related("slot__counter", "item")
    ]
    for r in EventRegistration.objects.filter(
        resident=resident, status=SeatStatus.ACTIVE, event__starts_at__gte=start, event__starts_at__lt=end
    ).select_related("event"):
        entries.append(
            ical.Entry(
                uid=f"event-{r.pk}{UID}",
                title=r.event.title,
                starts_at=r.event.starts_at,
                ends_at=r.event.ends_at,
                place=r.event.place,
                url=reverse("services:stations:event", args=[r.event_id]),
            )
        )
    classes = ClassEnrolment.objects.filter(resident=resident, status=SeatStatus.ACTIVE).values("klass_id")
    for session in ClassSession.objects.filter(
        klass_id__in=classes, starts_at__gte=start, starts_at__lt=end
    ).select_related("klass__room"):
        entries.append(
            ical.Entry(
                uid=f"class-session-{session.pk}-{resident.pk}{UID}",
                title=session.klass.name + (f" · {session.topic}" if session.topic else ""),
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                place=session.klass.room.name,
            )
        )
    for b in (
        RoomBooking.objects.active()
        .filter(resident=resident, class_session__isnull=True, starts_at__gte=start, starts_at__lt=end)
        .select_related("room")
    ):
        entries.append(
            ical.Entry(
                uid=f"room-booking-{b.pk}{UID}",
                title=f"{b.room.name} · {b.purpose}",
                starts_at=b.starts_at,
                ends_at=b.ends_at,
                place=b.room.name,
            )
        )
    for b in CheckupBooking.objects.filter(
        resident=resident, status__in=LIVE_STATUSES, slot__starts_at__gte=start, slot__starts_at__lt=end
    ).select_related("slot__campaign"):
        entries.append(
            ical.Entry(
                uid=f"checkup-{b.pk}{UID}",
                title=b.slot.campaign.title,
                starts_at=b.slot.starts_at,
                ends_at=b.slot.ends_at,
                place=b.slot.campaign.place,
                status="TENTATIVE" if b.status == SeatStatus.WAITING else "CONFIRMED",
                description=_("On the waiting list") if b.status == SeatStatus.WAITING else "",
            )
        )
    for s in (
        SignUp.objects.active()
        .filter(volunteer__resident=resident, activity__date__gte=start.date(), activity__date__lt=end.date())
        .select_related("activity")
    ):
        if s.activity.status != "open":
            continue
        entries.append(
            ical.Entry(
                uid=f"volunteer-signup-{s.pk}{UID}",
                title=_("Volunteer: %(title)s") % {"title": s.activity.title},
                starts_at=s.activity.starts_at,
                ends_at=s.activity.ends_at,
                place=s.activity.place,
                url=reverse("volunteers:activity_detail", args=[s.activity_id]),
            )
        )
    return sorted(entries, key=lambda entry: entry.starts_at)
