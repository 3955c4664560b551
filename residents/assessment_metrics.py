"""Assessment metrics of the register (see portal.site.assessment): grid visit coverage (网格入户走访覆盖率)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.core.metrics import Metric, Section
from residents.models import HomeVisit, Household


def _grid_visit_coverage(ids: list[int], year: int) -> dict[int, float]:
    """Share of the community's households visited door to door at least once in the year (every household
    counts, in a grid or not: a household outside every grid is one nobody visits)."""
    households = dict(
        Household.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    visited = dict(
        HomeVisit.objects.filter(community_id__in=ids, visited_on__year=year)
        .values("community_id")
        .annotate(n=Count("household", distinct=True))
        .values_list("community_id", "n")
    )
    return {cid: min(visited.get(cid, 0) / n, 1.0) for cid, n in households.items() if n}


# The models its metrics read (the district page keeps their values until one changes).
DEPENDS = ("residents.HomeVisit", "residents.Household")

METRICS = {
    "grid_visit_coverage": Metric(
        _("households visited door to door by their grid worker (share)"),
        _grid_visit_coverage,
        section=Section.GOVERNANCE,
    ),
}
