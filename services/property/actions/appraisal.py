"""The street office's appraisal of mixed-courtyard property management (《街道杂居院物业管理考评办法》): each
company's score for a period from its repairs (the share fixed within the promise), the residents' ratings and the
inspections, and the ranking the district's competition mechanism (物业公司管理竞争机制) uses. Published, a period's
scores are final (portal.core.locks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.core.models import User
from services.property.models import PropertyAppraisal, PropertyCompany, PropertyInspection, PropertyScore, Repair

# The weights of the three parts (out of 100); a part with nothing to measure in the period is left out and the
# others count in proportion.
WEIGHTS = {"in_promise": 40, "rating": 30, "inspection": 30}
PUBLISH_PERMISSION = "services.publish_propertyappraisal"


@dataclass
class CompanyScore:
    company: PropertyCompany
    repairs: int  # fixed in the period
    in_promise: float | None  # share of those fixed within the promise (0–1)
    average_rating: float | None  # 1–5
    inspection: float | None  # 0–100
    score: float = 0.0
    rank: int = 0


def combine(in_promise: float | None, average_rating: float | None, inspection: float | None) -> float:
    """The score out of 100: 40 % the share within the promise, 30 % the rating (5 stars = 100), 30 % the
    inspections; parts without data are left out, the others weighed up to 100."""
    parts = {
        "in_promise": None if in_promise is None else 100 * in_promise,
        "rating": None if average_rating is None else 20 * average_rating,
        "inspection": inspection,
    }
    present = {k: v for k, v in parts.items() if v is not None}
    if not present:
        return 0.0
    weight = sum(WEIGHTS[k] for k in present)
    return round(sum(WEIGHTS[k] * v for k, v in present.items()) / weight, 1)


def _bounds(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(starts_on, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def rank(scores: list[CompanyScore]) -> list[CompanyScore]:
    """Highest score first; equal scores share a rank (1, 1, 3)."""
    ordered = sorted(scores, key=lambda s: (-s.score, s.company.name, s.company.pk))
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and ordered[i - 1].score == s.score else i + 1
    return ordered


def compute_scores(starts_on: dt.date, ends_on: dt.date, companies: QuerySet | None = None) -> list[CompanyScore]:
    """Every active company's score for the period (three queries whatever the number of companies), ranked."""
    companies = list(
        (companies if companies is not None else PropertyCompany.objects.all())
        .filter(is_active=True)
        .select_related("community")
    )
    ids = [c.pk for c in companies]
    start, end = _bounds(starts_on, ends_on)
    repairs: dict[int, list[tuple]] = {}
    for row in Repair.objects.filter(company_id__in=ids, fixed_at__gte=start, fixed_at__lt=end).values_list(
        "company_id", "arrived_at", "arrive_by", "fixed_at", "fix_by", "rating"
    ):
        repairs.setdefault(row[0], []).append(row)
    inspections = {
        r["company_id"]: r["avg"]
        for r in PropertyInspection.objects.filter(
            company_id__in=ids, inspected_on__gte=starts_on, inspected_on__lte=ends_on
        )
        .values("company_id")
        .annotate(avg=Avg("score"), n=Count("pk"))
    }
    scores = []
    for company in companies:
        rows = repairs.get(company.pk, [])
        kept = sum(1 for _c, arrived, arrive_by, fixed, fix_by, _r in rows if arrived <= arrive_by and fixed <= fix_by)
        ratings = [r[5] for r in rows if r[5] is not None]
        found = CompanyScore(
            company=company,
            repairs=len(rows),
            in_promise=kept / len(rows) if rows else None,
            average_rating=sum(ratings) / len(ratings) if ratings else None,
            inspection=round(inspections[company.pk], 1) if company.pk in inspections else None,
        )
        found.score = combine(found.in_promise, found.average_rating, found.inspection)
        scores.append(found)
    return rank(scores)


def appraisal_publish(*, appraisal: PropertyAppraisal, by: User) -> PropertyAppraisal:
    """Compute and keep every company's score and rank for the period; from now on it is final."""
    if not by.has_perm(PUBLISH_PERMISSION):
        raise ValidationError(_("Only the district publishes appraisals."), code="forbidden")
    with transaction.atomic():
        appraisal = PropertyAppraisal.objects.select_for_update().get(pk=appraisal.pk)
        refuse_locked(appraisal, _("This appraisal is published: its scores are final."))
        if appraisal.ends_on >= timezone.localdate():
            raise ValidationError(_("A period can be published only after it has ended."), code="not_ended")
        scores = compute_scores(appraisal.starts_on, appraisal.ends_on)
        PropertyScore.objects.bulk_create(
            PropertyScore(
                appraisal=appraisal,
                company=s.company,
                repairs=s.repairs,
                in_promise=s.in_promise,
                average_rating=s.average_rating,
                inspection=s.inspection,
                score=s.score,
                rank=s.rank,
            )
            for s in scores
        )
        appraisal.published_at = timezone.now()
        appraisal.published_by = by
        appraisal.save(update_fields=["published_at", "published_by"])
        audit(actor=by, action="property_appraisal_publish", obj=appraisal, summary=f"{len(scores)} companies")
        return appraisal
