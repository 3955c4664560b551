"""Scoring the 1000-point assessment (千分考核): metrics from every app, scores per community, yearly snapshots.

A metric is `func(community_ids, year) -> {community_id: value}`: one grouped query for all communities, so
the district page costs the same for 1 community as for 29. Apps list theirs in `<app>/assessment_metrics.py`
as METRICS = {"key": Metric(label, func)}; the portal's own are below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models.assessment import RUBRIC_TOTAL, AssessmentSnapshot, Criterion, ManualScore, Rubric


@dataclass(frozen=True)
class Metric:
    label: str
    compute: Callable[[list[int], int], dict[int, float]]


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def _contact_board_coverage(ids: list[int], year: int) -> dict[int, float]:
    """Share of buildings whose board names a community worker (or a worker covers the whole community)."""
    from residents.models import Building

    rows = (
        Building.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(
            total=Count("pk", distinct=True), covered=Count("pk", filter=Q(contacts__kind="worker"), distinct=True)
        )
    )
    return {r["community_id"]: (r["covered"] / r["total"]) if r["total"] else 0.0 for r in rows}


def _notices_per_month(ids: list[int], year: int) -> dict[int, float]:
    from portal.models import Notice

    start, end = year_range(year)
    rows = (
        Notice.objects.filter(community_id__in=ids, publish_at__gte=start, publish_at__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"))
    )
    return {r["community_id"]: r["n"] / 12 for r in rows}


def _appraisal_turnout(ids: list[int], year: int) -> dict[int, float]:
    """Share of households that voted in the year's civility appraisals."""
    from portal.models import Vote
    from residents.models import Household

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


METRICS = {
    "contact_board_coverage": Metric(
        gettext_lazy("contact boards with a worker (share of courtyards)"), _contact_board_coverage
    ),
    "notices_per_month": Metric(gettext_lazy("notices published per month"), _notices_per_month),
    "appraisal_turnout": Metric(gettext_lazy("households voting in civility appraisals (share)"), _appraisal_turnout),
}


def all_metrics() -> dict[str, Metric]:
    found: dict[str, Metric] = {}
    for app_config in apps.get_app_configs():
        name = "portal.assessment" if app_config.name == "portal" else f"{app_config.name}.assessment_metrics"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.update(getattr(module, "METRICS", {}))
    return found


@dataclass
class CommunityScore:
    community_id: int
    total: float
    stars: int
    rows: list[dict]


def assessment_scores(*, rubric: Rubric, community_ids: list[int]) -> dict[int, CommunityScore]:
    """Every community's points per criterion for the rubric's year: one query per metric, not per community."""
    criteria = list(rubric.criteria.all())
    metrics = all_metrics()
    values: dict[str, dict[int, float]] = {}
    for criterion in criteria:
        if criterion.kind == Criterion.Kind.COMPUTED and criterion.metric not in values:
            metric = metrics.get(criterion.metric)
            values[criterion.metric] = metric.compute(community_ids, rubric.year) if metric else {}
    manual = {
        (m.criterion_id, m.community_id): m
        for m in ManualScore.objects.filter(criterion__rubric=rubric, community_id__in=community_ids)
    }
    scores = {}
    for cid in community_ids:
        rows, total = [], 0.0
        for criterion in criteria:
            if criterion.kind == Criterion.Kind.COMPUTED:
                value = values.get(criterion.metric, {}).get(cid, 0.0)
                earned = criterion.earned(value)
                rows.append(
                    {
                        "criterion": criterion.name,
                        "points": criterion.points,
                        "value": round(value, 3),
                        "earned": earned,
                        "reason": "",
                    }
                )
            else:
                score = manual.get((criterion.pk, cid))
                earned = float(min(score.points, criterion.points)) if score else 0.0
                rows.append(
                    {
                        "criterion": criterion.name,
                        "points": criterion.points,
                        "value": None,
                        "earned": earned,
                        "reason": score.reason if score else "",
                    }
                )
            total += earned
        total = round(total, 1)
        scores[cid] = CommunityScore(cid, total, rubric.stars_for(total), rows)
    return scores


def rubric_check(rubric: Rubric) -> None:
    total = rubric.criteria.aggregate(total=Sum("points"))["total"] or 0
    if total != RUBRIC_TOTAL:
        raise ValidationError(
            _("The criteria add up to %(total)s points; they must add up to %(expected)s.")
            % {"total": total, "expected": RUBRIC_TOTAL},
            code="rubric_total",
        )


@transaction.atomic
def assessment_snapshot_take(*, rubric: Rubric, community_ids: list[int], by) -> list[AssessmentSnapshot]:
    """Freeze the year's result for these communities. A year once frozen is never recomputed."""
    rubric_check(rubric)
    if AssessmentSnapshot.objects.filter(rubric=rubric, community_id__in=community_ids).exists():
        raise ValidationError(_("This year's assessment has already been frozen."), code="frozen")
    scores = assessment_scores(rubric=rubric, community_ids=community_ids)
    return AssessmentSnapshot.objects.bulk_create(
        AssessmentSnapshot(
            rubric=rubric,
            community_id=cid,
            total=Decimal(str(s.total)),
            stars=s.stars,
            detail=s.rows,
            taken_by=by,
        )
        for cid, s in scores.items()
    )
