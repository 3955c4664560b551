"""The volunteers' block on the staff workbench: applications to decide and hours to confirm, for the coordinators
(the residents'-committee director; a team leader sees the same on the coordination page)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.access import is_community_staff
from portal.core.capacity import SeatStatus
from portal.core.waiting import Block, Tally
from volunteers.access import coordination_for
from volunteers.models import StationedReport, Wish

DEPENDS = (
    "volunteers.Activity",
    "volunteers.SignUp",
    "volunteers.StationedReport",
    "volunteers.Team",
    "volunteers.Volunteer",
    "volunteers.Wish",
)


def blocks(user, today: dt.date) -> list[Block]:
    return _coordination_blocks(user) + _stationed_blocks(user)


def _stationed_blocks(user) -> list[Block]:
    """在职党员报到 and 微心愿: report-ins and wishes waiting for the office, and its pages."""
    if not (is_community_staff(user) and user.has_perm("volunteers.view_stationedreport")):
        return []
    register = reverse("volunteers:stationed_register")
    waiting = StationedReport.objects.filter(community_id=user.community_id, status=StationedReport.Status.SUBMITTED)
    tallies = [Tally(_("report-ins to confirm"), waiting.count(), f"{register}?status=submitted")]
    links = [(_("Report-in register"), register)]
    if user.has_perm("volunteers.add_stationedreport"):
        links.append((_("Record a report-in"), reverse("volunteers:report_new")))
    if user.has_perm("volunteers.view_wish"):
        queue = reverse("volunteers:wish_queue")
        counts = Wish.objects.filter(community_id=user.community_id).aggregate(
            review=Count("pk", filter=Q(status=Wish.Status.SUBMITTED)),
            confirm=Count("pk", filter=Q(status=Wish.Status.FULFILLED)),
        )
        tallies += [
            Tally(_("small wishes to review"), counts["review"], f"{queue}?status=submitted"),
            Tally(_("small wishes to confirm"), counts["confirm"], f"{queue}?status=fulfilled", urgent=True),
        ]
        links.append((_("Small wishes"), queue))
        if user.has_perm("volunteers.add_wish"):
            links.append((_("Record a wish"), reverse("volunteers:wish_new")))
    if user.has_perm("volunteers.view_unitsummary"):
        links.append((_("Summaries for the units"), reverse("volunteers:summaries")))
    return [
        Block(
            key="volunteers.stationed", title=_("Stationed party members"), url=register, tallies=tallies, links=links
        )
    ]


def _coordination_blocks(user) -> list[Block]:
    scope = coordination_for(user)
    if scope is None:
        return []
    dashboard = reverse("volunteers:dashboard")
    tallies = []
    links = [(_("Volunteer coordination"), dashboard)]
    if scope.can_approve:
        applications = reverse("volunteers:applications")
        tallies.append(Tally(_("applications to decide"), scope.volunteers().pending().count(), applications))
        links.append((_("Applications"), applications))
    to_confirm = scope.signups().filter(status=SeatStatus.ACTIVE, hours__isnull=False, hours_confirmed_at__isnull=True)
    tallies.append(Tally(_("hours to confirm"), to_confirm.count(), dashboard, urgent=True))
    links += [
        (_("New activity"), reverse("volunteers:activity_new")),
        (_("Volunteers"), reverse("volunteers:volunteer_list")),
        (_("People served"), reverse("volunteers:served_list")),
        (_("Statistics"), reverse("volunteers:stats")),
    ]
    return [Block(key="volunteers", title=_("Volunteers"), url=dashboard, tallies=tallies, links=links)]
