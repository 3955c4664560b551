"""Assessment metrics of the councils (see portal.site.assessment): one grouped query each for all communities."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from councils.cadence import cadence_for
from councils.models import Council, Resolution, Suggestion
from portal.core.metrics import Metric, Section, year_range


def _meetings_on_time(ids: list[int], year: int) -> dict[int, float]:
    """Share of the year's rhythm periods in which each council held its regular meeting."""
    councils = list(Council.objects.filter(community_id__in=ids))
    end_of_year = min(dt.date(year, 12, 31), dt.date.today())
    due: dict[int, int] = {}
    held: dict[int, int] = {}
    for c in cadence_for(councils, years=max(dt.date.today().year - year, 0) + 1, today=end_of_year):
        periods = [p for p in c.periods if p.start.year == year and not p.current]
        due[c.council.community_id] = due.get(c.council.community_id, 0) + len(periods)
        held[c.council.community_id] = held.get(c.council.community_id, 0) + sum(1 for p in periods if p.held_regular)
    return {cid: held[cid] / n for cid, n in due.items() if n}


def _resolutions_completed(ids: list[int], year: int) -> dict[int, float]:
    """Share of resolutions due in the year that were carried out."""
    rows = (
        Resolution.objects.filter(community_id__in=ids, deadline__year=year)
        .values("community_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=Resolution.Status.DONE)))
    )
    return {r["community_id"]: r["done"] / r["n"] for r in rows if r["n"]}


def _suggestions_answered(ids: list[int], year: int) -> dict[int, float]:
    start, end = year_range(year)
    rows = (
        Suggestion.objects.filter(community_id__in=ids, created_at__gte=start, created_at__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(replied_at__isnull=False)))
    )
    return {r["community_id"]: r["answered"] / r["n"] for r in rows if r["n"]}


# The models its metrics read (the district page keeps their values until one changes).
DEPENDS = ("councils.Council", "councils.Meeting", "councils.Resolution", "councils.Suggestion")

METRICS = {
    "meetings_on_time": Metric(
        _("council meetings held in their period (share)"), _meetings_on_time, section=Section.PARTY
    ),
    "resolutions_completed": Metric(
        _("resolutions carried out by their deadline year (share)"), _resolutions_completed, section=Section.PARTY
    ),
    "suggestions_answered": Metric(
        _("residents' suggestions answered (share)"), _suggestions_answered, section=Section.PARTY
    ),
}
