"""Scoring the 1000-point assessment (千分考核): metrics from every app, scores per community, yearly snapshots.

A metric is `func(community_ids, year) -> {community_id: value}`: one grouped query for all communities, so
the district page costs the same for 1 community as for 29. Every app (the site too) lists its metrics in
`<app>/assessment_metrics.py` (see portal.core.metrics).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import pagecache
from portal.core.metrics import Metric, Section, all_metrics, metric_depends
from portal.site.models.assessment import RUBRIC_TOTAL, AssessmentSnapshot, Criterion, ManualScore, Rubric


@dataclass
class CommunityScore:
    community_id: int
    total: float
    stars: int
    rows: list[dict]

    @property
    def missing(self) -> int:
        """Criteria without a value (not entered, not scored, no data yet): they earn nothing until they have one."""
        return sum(1 for row in self.rows if row.get("missing"))


# Where a criterion's value comes from, as stored in each row (and in a snapshot's detail).
COMPUTED, ENTERED, MANUAL = "computed", "entered", "manual"


def criterion_source(criterion: Criterion, metrics: dict[str, Metric]) -> str:
    if criterion.kind == Criterion.Kind.MANUAL:
        return MANUAL
    metric = metrics.get(criterion.metric)
    return ENTERED if metric and metric.entered else COMPUTED


def criterion_section(criterion: Criterion, metrics: dict[str, Metric]) -> str:
    """The criterion's own section, else its metric's, else "other"."""
    if criterion.section:
        return criterion.section
    metric = metrics.get(criterion.metric) if criterion.kind == Criterion.Kind.COMPUTED else None
    return str(metric.section) if metric else Section.OTHER.value


def assessment_scores(*, rubric: Rubric, community_ids: list[int]) -> dict[int, CommunityScore]:
    """Every community's points per criterion for the rubric's year: one query per metric, not per community.

    Each row says where its value comes from (computed, entered by hand, scored by hand), its section, its rule,
    and whether the value is missing: a missing value earns no points and is shown as missing, never as a zero.
    """
    criteria = list(rubric.criteria.all())
    metrics = all_metrics()
    values = _computed_values(criteria, metrics, community_ids, rubric.year)
    manual = {
        (m.criterion_id, m.community_id): m
        for m in ManualScore.objects.filter(criterion__rubric=rubric, community_id__in=community_ids)
    }
    described = {
        c.pk: {
            "criterion": c.name,
            "points": c.points,
            "source": criterion_source(c, metrics),
            "section": criterion_section(c, metrics),
            "rule": c.rule_text(),
        }
        for c in criteria
    }
    scores = {}
    for cid in community_ids:
        rows, total = [], 0.0
        for criterion in criteria:
            if criterion.kind == Criterion.Kind.COMPUTED:
                value = values.get(criterion.metric, {}).get(cid)
                earned = criterion.earned(value) if value is not None else 0.0
                row = {"value": None if value is None else round(value, 3), "earned": earned, "reason": ""}
            else:
                score = manual.get((criterion.pk, cid))
                earned = float(min(score.points, criterion.points)) if score else 0.0
                value = score
                row = {"value": None, "earned": earned, "reason": score.reason if score else ""}
            rows.append({**described[criterion.pk], **row, "missing": value is None})
            total += earned
        total = round(total, 1)
        scores[cid] = CommunityScore(cid, total, rubric.stars_for(total), rows)
    return scores


METRIC_SECONDS = 300  # what changes with the clock alone (a deadline passing) waits this long at most


def _computed_values(criteria, metrics, community_ids: list[int], year: int) -> dict[str, dict[int, float]]:
    """{metric: {community: value}} for the computed criteria, kept until a model the metrics read changes."""

    def compute() -> dict[str, dict[int, float]]:
        values: dict[str, dict[int, float]] = {}
        for criterion in criteria:
            if criterion.kind == Criterion.Kind.COMPUTED and criterion.metric not in values:
                metric = metrics.get(criterion.metric)
                values[criterion.metric] = metric.compute(community_ids, year) if metric else {}
        return values

    depends = metric_depends()
    if depends is None:
        return compute()
    asked = sorted({c.metric for c in criteria if c.kind == Criterion.Kind.COMPUTED})
    named = hashlib.sha256(f"{year}|{','.join(asked)}|{','.join(map(str, sorted(community_ids)))}".encode())
    key = f"assessment-values:{named.hexdigest()}:{timezone.localdate().isoformat()}"
    return pagecache.remember(key, depends, compute, METRIC_SECONDS)


def sections_of(rows: list[dict]) -> list[dict]:
    """A community's rows grouped by section in the order of `Section`, each with its points and what it earned."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row.get("section") or Section.OTHER.value, []).append(row)
    return [
        {
            "key": key,
            "label": label,
            "rows": grouped[key],
            "points": sum(r["points"] for r in grouped[key]),
            "earned": round(sum(r["earned"] for r in grouped[key]), 1),
        }
        for key, label in Section.choices
        if key in grouped
    ]


def metrics_outside(rubric: Rubric | None, community_id: int, year: int) -> dict[str, list[dict]]:
    """Metrics the apps offer that this year's rubric does not score yet, by section, with the community's value:
    a metric an app adds is seen where it belongs before the district gives it points."""
    used = set(rubric.criteria.values_list("metric", flat=True)) if rubric else set()
    found: dict[str, list[dict]] = {}
    for key, metric in sorted(all_metrics().items()):
        if key in used:
            continue
        value = metric.compute([community_id], year).get(community_id)
        found.setdefault(str(metric.section), []).append(
            {"key": key, "label": metric.label, "value": value, "entered": metric.entered}
        )
    return found


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
