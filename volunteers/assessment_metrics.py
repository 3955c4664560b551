"""Assessment metric of the volunteers (see portal.site.assessment)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from portal.core.metrics import Metric, Section
from residents.models import Resident
from volunteers.models import SignUp


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


METRICS = {
    "volunteer_hours_per_100_residents": Metric(
        _("confirmed volunteer hours per 100 residents"), _hours_per_100_residents, section=Section.CIVILITY
    ),
}
