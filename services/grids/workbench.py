"""The grid worker's block on the staff workbench: my grid, the households due for a visit (the first of them), the
patrols of the last week and the issues found not yet handed over. Shown to grid workers and to the director."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.waiting import FIRST_ROWS, Block, Row, Tally
from residents import grids as actions
from residents.models import Grid, HomeVisit, Household, Patrol

RECENT_DAYS = 7

# The models these blocks read: the workbench keeps them until one changes (portal.core.waiting).
DEPENDS = ("residents.Grid", "residents.HomeVisit", "residents.Household", "residents.Patrol")


def blocks(user, today: dt.date) -> list[Block]:
    if not (user.has_perm("residents.add_homevisit") or user.has_perm("residents.change_grid")):
        return []
    grids = list(Grid.objects.for_staff(user).order_by("name"))
    if not grids:
        return []
    households = Household.objects.for_staff(user).filter(building__grid__isnull=False)
    due = list(actions.due_for_visit(households.select_related("building"), grids, today)[: FIRST_ROWS + 1])
    due_count = actions.due_for_visit(households, grids, today).count()  # one query whatever the grids hold
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    patrols = Patrol.objects.for_staff(user).aggregate(
        recent=Count("pk", filter=Q(patrolled_at__gte=since)),
        open=Count("pk", filter=~Q(issue="") & Q(handed_over_at__isnull=True)),
    )
    open_visits = HomeVisit.objects.for_staff(user).filter(handed_over_at__isnull=True).exclude(issue="").count()
    home, due_url, patrols_url = (
        reverse("services:grids:home"),
        reverse("services:grids:due"),
        reverse("services:grids:patrols"),
    )
    links = [(_("Patrols"), patrols_url)]
    if user.has_perm("residents.add_patrol"):
        links.insert(0, (_("Record a patrol"), reverse("services:grids:patrol_new")))
    return [
        Block(
            key="grids.mine",
            title=_("My grid") + ": " + "、".join(g.name for g in grids[:3]) + ("…" if len(grids) > 3 else ""),
            url=home,
            tallies=[
                Tally(_("due for a visit"), due_count, due_url, urgent=True),
                Tally(_("patrols this week"), patrols["recent"], patrols_url),
                Tally(_("issues not handed over"), patrols["open"] + open_visits, home),
            ],
            rows=[
                Row(
                    f"{h.number} · {h.building.name}",
                    reverse("services:grids:household", args=[h.pk]),
                    _("last visited %(day)s") % {"day": h.last_visit.isoformat()}
                    if h.last_visit
                    else _("never visited"),
                )
                for h in due[:FIRST_ROWS]
            ],
            links=links,
            empty=_("Every household has been visited in time."),
        )
    ]
