"""Figures of the volunteer corps: monthly statistics against the source's rule, growth, hours, Excel export.

Every function runs a fixed number of queries, whatever the size of the community.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from volunteers.models import PartyTask, SignUp, Volunteer, star_level

# The source: volunteers serve 2–3 times a month, at least 3 hours on average each time.
RULE_MIN_ACTIVITIES = 2
RULE_MAX_ACTIVITIES = 3
RULE_MIN_AVERAGE_HOURS = Decimal(3)


@dataclass
class MonthRow:
    volunteer_id: int
    number: str
    name: str
    team: str
    activities: int
    hours: Decimal

    @property
    def average(self) -> Decimal:
        return (self.hours / self.activities).quantize(Decimal("0.01")) if self.activities else Decimal(0)

    @property
    def meets_frequency(self) -> bool:
        return self.activities >= RULE_MIN_ACTIVITIES

    @property
    def meets_average(self) -> bool:
        return self.activities > 0 and self.average >= RULE_MIN_AVERAGE_HOURS

    @property
    def meets_rule(self) -> bool:
        return self.meets_frequency and self.meets_average


@dataclass
class MonthStats:
    year: int
    month: int
    rows: list[MonthRow]
    volunteers: int  # approved volunteers in scope

    @property
    def active(self) -> int:
        return len(self.rows)

    @property
    def meeting_rule(self) -> int:
        return sum(1 for r in self.rows if r.meets_rule)

    @property
    def total_hours(self) -> Decimal:
        return sum((r.hours for r in self.rows), Decimal(0))

    @property
    def average_hours(self) -> Decimal:
        count = sum(r.activities for r in self.rows)
        return (self.total_hours / count).quantize(Decimal("0.01")) if count else Decimal(0)


def monthly_stats(signups: QuerySet, volunteers: QuerySet, year: int, month: int) -> MonthStats:
    """Per volunteer: confirmed activities and hours in the month, and whether the source's rule is met."""
    rows = (
        signups.confirmed()
        .filter(activity__date__year=year, activity__date__month=month)
        .values("volunteer_id", "volunteer__number", "volunteer__resident__name", "volunteer__team__name")
        .annotate(activities=Count("pk"), hours=Sum("hours"))
        .order_by("volunteer__number")
    )
    return MonthStats(
        year=year,
        month=month,
        rows=[
            MonthRow(
                volunteer_id=r["volunteer_id"],
                number=r["volunteer__number"],
                name=r["volunteer__resident__name"],
                team=r["volunteer__team__name"] or "",
                activities=r["activities"],
                hours=r["hours"] or Decimal(0),
            )
            for r in rows
        ],
        volunteers=volunteers.approved().count(),
    )


@dataclass
class GrowthRow:
    period: dt.date
    new: int
    total: int


def growth(volunteers: QuerySet) -> tuple[list[GrowthRow], list[GrowthRow]]:
    """Registered volunteers by month and by year: new approvals and the running total (revoked ones included)."""
    monthly = (
        volunteers.filter(approved_on__isnull=False)
        .annotate(period=TruncMonth("approved_on"))
        .values("period")
        .annotate(new=Count("pk"))
        .order_by("period")
    )
    months: list[GrowthRow] = []
    years: dict[int, int] = defaultdict(int)
    total = 0
    for row in monthly:
        period = row["period"]
        period = period.date() if isinstance(period, dt.datetime) else period
        total += row["new"]
        months.append(GrowthRow(period, row["new"], total))
        years[period.year] += row["new"]
    year_rows = []
    total = 0
    for year in sorted(years):
        total += years[year]
        year_rows.append(GrowthRow(dt.date(year, 1, 1), years[year], total))
    return months, year_rows


def statement(volunteer: Volunteer) -> dict:
    """Everything an hour statement shows: confirmed activities and party tasks, totals, stars."""
    signups = list(
        volunteer.signups.confirmed()
        .select_related("activity__team")
        .order_by("activity__date", "activity__start_time")
    )
    tasks = list(PartyTask.objects.filter(assignee__resident__volunteer=volunteer).completed().order_by("completed_on"))
    total = sum((s.hours for s in signups), Decimal(0)) + sum((t.hours for t in tasks), Decimal(0))
    return {"signups": signups, "tasks": tasks, "total": total, "stars": star_level(total)}


def hours_workbook(signups: QuerySet) -> bytes:
    """Excel workbook of confirmed hours: by volunteer, by team, by month (three sheets)."""
    confirmed = signups.confirmed()
    by_volunteer = (
        confirmed.values("volunteer__number", "volunteer__resident__name", "volunteer__team__name")
        .annotate(activities=Count("pk"), hours=Sum("hours"))
        .order_by("volunteer__number")
    )
    by_team = (
        confirmed.values("activity__team__name")
        .annotate(activities=Count("pk"), volunteers=Count("volunteer", distinct=True), hours=Sum("hours"))
        .order_by("activity__team__name")
    )
    by_month = (
        confirmed.annotate(year=ExtractYear("activity__date"), month=ExtractMonth("activity__date"))
        .values("year", "month")
        .annotate(activities=Count("pk"), volunteers=Count("volunteer", distinct=True), hours=Sum("hours"))
        .order_by("year", "month")
    )
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(ws, header, rows):
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = max(
                12, *(len(str(c.value or "")) * 2 for c in column)
            )

    ws = wb.active
    ws.title = _("By volunteer")[:31]
    sheet(
        ws,
        [_("Volunteer number"), _("Name"), _("Team"), _("Activities"), _("Hours"), _("Stars")],
        (
            [
                r["volunteer__number"],
                r["volunteer__resident__name"],
                r["volunteer__team__name"] or "",
                r["activities"],
                float(r["hours"] or 0),
                star_level(r["hours"]),
            ]
            for r in by_volunteer
        ),
    )
    sheet(
        wb.create_sheet(_("By team")[:31]),
        [_("Team"), _("Activities"), _("Volunteers"), _("Hours")],
        (
            [r["activity__team__name"] or _("No team"), r["activities"], r["volunteers"], float(r["hours"] or 0)]
            for r in by_team
        ),
    )
    sheet(
        wb.create_sheet(_("By month")[:31]),
        [_("Month"), _("Sign-ups"), _("Volunteers"), _("Hours")],
        ([f"{r['year']}-{r['month']:02d}", r["activities"], r["volunteers"], float(r["hours"] or 0)] for r in by_month),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def team_hours(teams: QuerySet) -> QuerySet:
    """Teams with their members' count and confirmed hours of their activities."""
    return teams.annotate(
        member_count=Count("members", filter=Q(members__status=Volunteer.Status.APPROVED), distinct=True),
    )


__all__ = ["SignUp", "growth", "hours_workbook", "monthly_stats", "statement", "team_hours"]
