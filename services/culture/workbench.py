"""The culture station's blocks on the staff workbench: room bookings today and this week, and the stations' coming
events with their sign-ups and waiting lists. One or two queries a block."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.access import scope_to_staff
from portal.core.capacity import SeatStatus
from portal.core.waiting import FIRST_ROWS, Block, Row, Tally
from services.culture.models import RoomBooking
from services.events.models import StationEvent

EVENT_DAYS = 14

# The models these blocks read: the workbench keeps them until one changes (portal.core.waiting).
DEPENDS = ("services.RoomBooking", "services.StationEvent")


def blocks(user, today: dt.date) -> list[Block]:
    found = []
    if user.has_perm("services.view_roombooking"):
        found.append(_rooms(user, today))
    if user.has_perm("services.change_eventregistration"):
        found.append(_events(user))
    return found


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _rooms(user, today: dt.date) -> Block:
    start, tomorrow = _day_start(today), _day_start(today + dt.timedelta(days=1))
    week = _day_start(today + dt.timedelta(days=7))
    bookings = scope_to_staff(RoomBooking.objects.active(), user, "room__community").filter(
        starts_at__lt=week, ends_at__gt=start
    )
    counts = bookings.aggregate(today=Count("pk", filter=Q(starts_at__lt=tomorrow)), week=Count("pk"))
    first = bookings.filter(starts_at__lt=tomorrow).select_related("room").order_by("starts_at", "pk")[:FIRST_ROWS]
    rooms = reverse("services:culture:rooms")
    return Block(
        key="culture.rooms",
        title=_("Room bookings"),
        url=rooms,
        tallies=[Tally(_("today"), counts["today"], rooms), Tally(_("next 7 days"), counts["week"], rooms)],
        rows=[
            Row(
                f"{b.room.name} · {b.purpose}",
                reverse("services:culture:room", args=[b.room_id]),
                f"{timezone.localtime(b.starts_at):%H:%M}–{timezone.localtime(b.ends_at):%H:%M}",
            )
            for b in first
        ],
        links=[
            (_("Rooms"), rooms),
            (_("Classes"), reverse("services:culture:classes")),
            (_("Teams"), reverse("services:culture:teams")),
        ],
        empty=_("No room is booked today."),
    )


def _events(user) -> Block:
    now = timezone.now()
    coming = scope_to_staff(StationEvent.objects.all(), user).filter(
        ends_at__gte=now, starts_at__lt=now + dt.timedelta(days=EVENT_DAYS)
    )
    waiting = Count("registrations", filter=Q(registrations__status=SeatStatus.WAITING))
    counts = coming.aggregate(n=Count("pk", distinct=True), waiting=waiting)
    events = coming.annotate(waiting=waiting).order_by("starts_at", "pk")[:FIRST_ROWS]
    listing = reverse("services:stations:events")
    return Block(
        key="events.signups",
        title=_("Events and sign-ups"),
        url=listing,
        tallies=[
            Tally(_("events in the next two weeks"), counts["n"], listing),
            Tally(_("on waiting lists"), counts["waiting"], listing),
        ],
        rows=[
            Row(
                e.title,
                reverse("services:stations:event", args=[e.pk]),
                _("%(taken)s of %(capacity)s signed up, %(waiting)s waiting · %(day)s")
                % {
                    "taken": e.seats_taken,
                    "capacity": e.capacity,
                    "waiting": e.waiting,
                    "day": f"{timezone.localtime(e.starts_at):%m-%d %H:%M}",
                },
                urgent=e.waiting > 0,
            )
            for e in events
        ],
        links=[(_("Events"), listing), (_("Calendar"), reverse("services:stations:calendar"))],
        empty=_("No event in the next two weeks."),
    )
