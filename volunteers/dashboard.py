"""Dashboard panel of the volunteers: activities per month and the average hours served (source: ≥ 3 h)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from portal.core.panels import Panel, month_starts
from volunteers.models import Activity


def panels(community_id: int, today: dt.date) -> list[Panel]:
    months = month_starts(today, 12)
    rows = (
        Activity.objects.filter(community_id=community_id, date__gte=months[0], date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            n=Count("pk", distinct=True),
            hours=Avg("signups__hours", filter=Q(signups__hours_confirmed_at__isnull=False)),
        )
        .order_by("month")
    )
    by_month = {r["month"]: r for r in rows}
    table = []
    for month in months:
        r = by_month.get(month, {"n": 0, "hours": None})
        table.append([f"{month:%Y-%m}", r["n"], f"{r['hours']:.1f}" if r["hours"] is not None else "—"])
    return [
        Panel(
            title=_("Volunteer activities per month"),
            columns=[_("Month"), _("Activities"), _("Average hours per volunteer")],
            rows=table,
            chart=[(row[0][5:], row[1]) for row in table],
            value_label=_("Activities (number)"),
            category_label=_("Month"),
        )
    ]
