"""Assessment metric of the volunteers (see portal.site.assessment)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from portal.core.metrics import Metric, Section
from residents.models import PartyMember, Resident
from volunteers.models import DutyPost, PartyTask, SignUp, StationedReport, Wish


def _hours_per_100_residents(ids: list[int], year: int) -> dict[int, float]:
    hours = dict(
        SignUp.objects.filter(
            activity__community_id__in=ids, activity__date__year=year, hours_confirmed_at__isnull=False
        )
        .values("activity__community_id")
        .annotate(h=Sum("hours"))
        .values_list("activity__community_id", "h")
    )
    people = Resident.objects.current_counts()
    return {cid: float(hours.get(cid) or 0) * 100 / people[cid] for cid in ids if people.get(cid)}


def _stationed_reported_and_active(ids: list[int], year: int) -> dict[int, float]:
    """Per cent of the stationed party members filed in the community who reported in for `year` (confirmed) and
    were active in it: hold a duty post, fulfilled a small wish (confirmed), or completed a service task."""
    filed = dict(
        PartyMember.objects.filter(community_id__in=ids, category=PartyMember.Category.STATIONED)
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    member = OuterRef("member_id")
    active = (
        StationedReport.objects.filter(
            community_id__in=ids, year=year, status=StationedReport.Status.CONFIRMED, member__isnull=False
        )
        .filter(
            Q(Exists(DutyPost.holders.through.objects.filter(partymember_id=member)))
            | Q(
                Exists(
                    Wish.objects.filter(
                        claimed_by_id=member,
                        status__in=(Wish.Status.CONFIRMED, Wish.Status.THANKED),
                        confirmed_at__year=year,
                    )
                )
            )
            | Q(Exists(PartyTask.objects.filter(assignee_id=member, completed_on__year=year)))
        )
        .values("community_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("community_id", "n")
    )
    counts = dict(active)
    return {cid: counts.get(cid, 0) * 100 / filed[cid] for cid in ids if filed.get(cid)}


# The models its metrics read (the district page keeps their values until one changes).
DEPENDS = (
    "residents.PartyMember",
    "residents.Resident",
    "volunteers.Activity",
    "volunteers.DutyPost",
    "volunteers.PartyTask",
    "volunteers.SignUp",
    "volunteers.StationedReport",
    "volunteers.Volunteer",
    "volunteers.Wish",
)

METRICS = {
    "volunteer_hours_per_100_residents": Metric(
        _("confirmed volunteer hours per 100 residents"), _hours_per_100_residents, section=Section.CIVILITY
    ),
    "stationed_members_reported_active": Metric(
        _("share of stationed party members reported in and active (%)"),
        _stationed_reported_and_active,
        section=Section.PARTY,
    ),
}
