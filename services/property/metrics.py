"""Property management's part of the 1000-point assessment (services/assessment_metrics.py): one grouped query per
metric for all communities."""

from __future__ import annotations

from django.db.models import Count, F, Q

from portal.core.metrics import year_range
from residents.models import Building
from services.property.models import Repair


def property_coverage(ids: list[int], year: int) -> dict[int, float]:
    """Share of the community's buildings and courtyards served by a property company (today: coverage has no
    history, so every year reads the same)."""
    rows = (
        Building.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(n=Count("pk"), covered=Count("pk", filter=Q(property_coverage__company__is_active=True)))
    )
    return {r["community_id"]: r["covered"] / r["n"] for r in rows if r["n"]}


def repairs_within_promise(ids: list[int], year: int) -> dict[int, float]:
    """Share of the year's fixed repairs where the repairer arrived and fixed it within the company's promise."""
    start, end = year_range(year)
    rows = (
        Repair.objects.filter(community_id__in=ids, fixed_at__gte=start, fixed_at__lt=end)
        .values("community_id")
        .annotate(
            n=Count("pk"),
            kept=Count("pk", filter=Q(arrived_at__lte=F("arrive_by"), fixed_at__lte=F("fix_by"))),
        )
    )
    return {r["community_id"]: r["kept"] / r["n"] for r in rows if r["n"]}
