"""Scoring the 1000-point assessment (千分考核): metrics from every app, scores per community, yearly snapshots.

A metric is `func(community_ids, year) -> {community_id: value}`: one grouped query for all communities, so
the district page costs the same for 1 community as for 29. Every app (the site too) lists its metrics in
`<app>/assessment_metrics.py` (see portal.core.metrics).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.core.metrics import all_metrics
from portal.site.models.assessment import RUBRIC_TOTAL, AssessmentSnapshot, Criterion, ManualScore, Rubric


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
