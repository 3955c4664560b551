"""Dashboard panels of the stations: hall bookings and no-shows, cases and their on-time rate, health follow-ups,
room use, the year's large fun events against the culture station's plan. Each panel is one or two grouped queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.core.capacity import SeatStatus
from portal.core.panels import Panel, percent, week_start
from services.culture.models import CulturePlan, RoomBooking
from services.events.models import StationEvent
from services.hall.models import Booking, Case
from services.health.models import FocusGroup, FollowUpPlan


def panels(community_id: int, today: dt.date) -> list[Panel]:
    return [_bookings(community_id, today), _cases(community_id, today), _followups(community_id, today),
            _rooms(community_id, today), _large_events(community_id, today)]  # fmt: skip


def _bookings(community_id: int, today: dt.date) -> Panel:
    first = week_start(today) - dt.timedelta(weeks=7)
    rows = (
        Booking.objects.filter(community_id=community_id, date__gte=first, date__lte=today)
        .exclude(status=SeatStatus.CANCELLED)
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(
            n=Count("pk"),
            served=Count("pk", filter=Q(desk=Booking.Desk.SERVED)),
            no_show=Count("pk", filter=Q(desk=Booking.Desk.NO_SHOW)),
        )
        .order_by("week")
    )
    by_week = {r["week"]: r for r in rows}
    weeks = [first + dt.timedelta(weeks=i) for i in range(8)]
    table = []
    for week in weeks:
        r = by_week.get(week, {"n": 0, "served": 0, "no_show": 0})
        table.append([f"{week:%m-%d}", r["n"], r["no_show"], percent(r["no_show"], r["served"] + r["no_show"])])
    return Panel(
        title=_("Hall bookings per week"),
        columns=[_("Week of"), _("Bookings"), _("No-shows"), _("No-show rate")],
        rows=table,
        chart=[(row[0], row[1]) for row in table],
        value_label=_("Bookings (number)"),
    )


def _cases(community_id: int, today: dt.date) -> Panel:
    since = timezone.now() - dt.timedelta(days=365)
    by_status = dict(
        Case.objects.filter(community_id=community_id)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    closed = Case.objects.filter(community_id=community_id, status=Case.Status.DONE, closed_at__gte=since).aggregate(
        done=Count("pk"), on_time=Count("pk", filter=Q(closed_at__date__lte=F("deadline")))
    )
    rows = [[label, by_status.get(value, 0)] for value, label in Case.Status.choices]
    return Panel(
        title=_("Cases by status"),
        columns=[_("Status"), _("Cases")],
        rows=rows,
        chart=[(r[0], r[1]) for r in rows],
        value_label=_("Cases (number)"),
        note=_("Done on time in the last 12 months: %(rate)s of %(n)s.")
        % {"rate": percent(closed["on_time"], closed["done"]), "n": closed["done"]},
    )


def _followups(community_id: int, today: dt.date) -> Panel:
    rows = (
        FollowUpPlan.objects.filter(community_id=community_id, active=True)
        .values("group")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(next_due__lt=today)))
        .order_by("group")
    )
    labels = dict(FocusGroup.choices)
    table = [[labels.get(r["group"], r["group"]), r["n"], r["overdue"]] for r in rows]
    return Panel(
        title=_("Health follow-ups"),
        columns=[_("Focus group"), _("Plans"), _("Overdue")],
        rows=table,
        chart=[(r[0], r[2]) for r in table],
        value_label=_("Overdue follow-ups (people)"),
    )


def _rooms(community_id: int, today: dt.date) -> Panel:
    start = timezone.now() - dt.timedelta(days=30)
    rows = (
        RoomBooking.objects.filter(room__community_id=community_id, starts_at__gte=start, starts_at__lte=timezone.now())
        .active()
        .values("room__name")
        .annotate(n=Count("pk"), hours=Sum(F("ends_at") - F("starts_at")))
        .order_by("room__name")
    )
    table = [[r["room__name"], r["n"], round(r["hours"].total_seconds() / 3600, 1) if r["hours"] else 0] for r in rows]
    return Panel(
        title=_("Room use, last 30 days"),
        columns=[_("Room"), _("Bookings"), _("Hours")],
        rows=table,
        chart=[(r[0], r[2]) for r in table],
        value_label=_("Hours booked (h)"),
    )


def _large_events(community_id: int, today: dt.date) -> Panel:
    """The year's large fun events (大型趣味性活动): held and still to come, against the culture station's plan."""
    plan = CulturePlan.objects.filter(community_id=community_id, year=today.year).values_list("large_events", flat=True)
    planned = plan.first()
    now = timezone.now()
    events = StationEvent.objects.filter(
        community_id=community_id, large=True, published=True, starts_at__year=today.year
    ).aggregate(held=Count("pk", filter=Q(ends_at__lt=now)), coming=Count("pk", filter=Q(ends_at__gte=now)))
    rows = [
        [_("Planned"), planned if planned is not None else "—"],
        [pgettext("event", "Held"), events["held"]],
        [_("Still to come"), events["coming"]],
    ]
    if planned is None:
        note = _("No plan for %(year)s yet: the culture station plans 2 to 3 large fun events a year.") % {
            "year": today.year
        }
    else:
        done = events["held"] + events["coming"]
        note = _("%(done)s of %(planned)s planned large fun events held or scheduled in %(year)s.") % {
            "done": done,
            "planned": planned,
            "year": today.year,
        }
    return Panel(
        title=_("Large fun events in %(year)s against the plan") % {"year": today.year},
        columns=[_("Large fun events"), _("Number")],
        rows=rows,
        chart=[
            (_("Planned"), planned or 0),
            (pgettext("event", "Held"), events["held"]),
            (_("Still to come"), events["coming"]),
        ],
        value_label=_("Large fun events (number)"),
        note=note,
    )
