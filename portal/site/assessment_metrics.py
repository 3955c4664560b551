"""The site's own metrics of the 1000-point assessment: contact boards, notices, civility appraisals, and the
indicators staff enter by hand (填报: staffing and premises, portal/site/models/indicators.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from portal.core.metrics import Metric, Section, year_range
from portal.site.models import Indicator, IndicatorEntry, Notice, Vote
from residents.models import Building, Household


def _contact_board_coverage(ids: list[int], year: int) -> dict[int, float]:
    """Share of buildings whose board names a community worker (or a worker covers the whole community)."""
    rows = (
        Building.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(
            total=Count("pk", distinct=True), covered=Count("pk", filter=Q(contacts__kind="worker"), distinct=True)
        )
    )
    return {r["community_id"]: (r["covered"] / r["total"]) if r["total"] else 0.0 for r in rows}


def _notices_per_month(ids: list[int], year: int) -> dict[int, float]:
    start, end = year_range(year)
    rows = (
        Notice.objects.filter(community_id__in=ids, publish_at__gte=start, publish_at__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"))
    )
    return {r["community_id"]: r["n"] / 12 for r in rows}


def _appraisal_turnout(ids: list[int], year: int) -> dict[int, float]:
    """Share of households that voted in the year's civility appraisals."""
    start, end = year_range(year)
    voted = dict(
        Vote.objects.filter(appraisal__community_id__in=ids, at__gte=start, at__lt=end)
        .values("appraisal__community_id")
        .annotate(n=Count("household", distinct=True))
        .values_list("appraisal__community_id", "n")
    )
    households = dict(
        Household.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    return {cid: voted.get(cid, 0) / n for cid, n in households.items() if n}


def _entered(indicator: str):
    """The metric of a hand-entered indicator: the entered value; a community without an entry is "not entered"."""

    def compute(ids: list[int], year: int) -> dict[int, float]:
        rows = IndicatorEntry.objects.filter(community_id__in=ids, rubric__year=year, indicator=indicator)
        return {cid: float(value) for cid, value in rows.values_list("community_id", "value")}

    compute.__name__ = f"entered_{indicator}"
    return compute


ENTERED_SECTIONS = {
    Indicator.RESERVE_CADRES: Section.STAFFING,
    Indicator.GRADUATES: Section.STAFFING,
    Indicator.WORKERS_4050: Section.STAFFING,
    Indicator.OFFICE_AREA: Section.PREMISES,
    Indicator.FACILITIES: Section.PREMISES,
}

# The models its metrics read (the district page keeps their values until one changes).
DEPENDS = (
    "residents.Building",
    "residents.Household",
    "site.Appraisal",
    "site.ContactPerson",
    "site.IndicatorEntry",
    "site.Notice",
    "site.Vote",
)

METRICS = {
    "contact_board_coverage": Metric(
        gettext_lazy("contact boards with a worker (share of courtyards)"),
        _contact_board_coverage,
        section=Section.GOVERNANCE,
    ),
    "notices_per_month": Metric(
        gettext_lazy("notices published per month"), _notices_per_month, section=Section.GOVERNANCE
    ),
    "appraisal_turnout": Metric(
        gettext_lazy("households voting in civility appraisals (share)"), _appraisal_turnout, section=Section.CIVILITY
    ),
    **{
        indicator.value: Metric(indicator.label, _entered(indicator.value), section=section, entered=True)
        for indicator, section in ENTERED_SECTIONS.items()
    },
}
