"""Assessment metrics of the stations (see portal.site.assessment)."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from portal.core.metrics import Metric, Section, year_range
from services.hall.models import Case
from services.health.models import CampaignInvitation, CheckupBooking
from services.property.metrics import property_coverage, repairs_within_promise


def _case_on_time_rate(ids: list[int], year: int) -> dict[int, float]:
    """Share of the year's completed cases that were done by their legal deadline."""
    start, end = year_range(year)
    rows = (
        Case.objects.filter(community_id__in=ids, status=Case.Status.DONE, closed_at__gte=start, closed_at__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(closed_at__date__lte=F("deadline"))))
    )
    return {r["community_id"]: r["on_time"] / r["n"] for r in rows if r["n"]}


def _retiree_checkup_coverage(ids: list[int], year: int) -> dict[int, float]:
    """Share of invited retirees who attended the year's free physical."""
    invited = dict(
        CampaignInvitation.objects.filter(campaign__community_id__in=ids, campaign__starts_on__year=year)
        .values("campaign__community_id")
        .annotate(n=Count("pk"))
        .values_list("campaign__community_id", "n")
    )
    came = dict(
        CheckupBooking.objects.filter(
            slot__campaign__community_id__in=ids, slot__campaign__starts_on__year=year, attended=True
        )
        .values("slot__campaign__community_id")
        .annotate(n=Count("resident", distinct=True))
        .values_list("slot__campaign__community_id", "n")
    )
    return {cid: min(came.get(cid, 0) / n, 1.0) for cid, n in invited.items() if n}


# The models its metrics read (the district page keeps their values until one changes).
DEPENDS = (
    "residents.Building",
    "services.CampaignInvitation",
    "services.Case",
    "services.CheckupBooking",
    "services.CheckupCampaign",
    "services.CheckupSlot",
    "services.PropertyCompany",
    "services.PropertyCoverage",
    "services.Repair",
)

METRICS = {
    "case_on_time_rate": Metric(
        _("cases done by their legal time limit (share)"), _case_on_time_rate, section=Section.SERVICES
    ),
    "retiree_checkup_coverage": Metric(
        _("invited retirees examined in the free physical (share)"), _retiree_checkup_coverage, section=Section.SERVICES
    ),
    # 物业进社区 (services/property)
    "property_coverage": Metric(
        _("buildings and courtyards served by a property company (share)"), property_coverage, section=Section.PROPERTY
    ),
    "repairs_within_promise": Metric(
        _("property repairs fixed within the company's promise (share)"),
        repairs_within_promise,
        section=Section.PROPERTY,
    ),
}
