"""The volunteers' block on the staff workbench: applications to decide and hours to confirm, for the coordinators
(the residents'-committee director; a team leader sees the same on the coordination page)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.capacity import SeatStatus
from portal.core.waiting import Block, Tally
from volunteers.access import coordination_for


def blocks(user, today: dt.date) -> list[Block]:
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
