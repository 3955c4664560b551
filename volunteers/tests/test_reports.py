"""Monthly statistics against the source's rule, growth per month and year, statements, the Excel export."""

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from volunteers import reports
from volunteers.models import SignUp, Volunteer
from volunteers.tests.factories import ActivityFactory, TeamFactory, VolunteerFactory


def served(volunteer, day, hours, team=None):
    activity = ActivityFactory(community=volunteer.community, date=day, team=team)
    return SignUp.objects.create(activity=activity, volunteer=volunteer, hours=hours, hours_confirmed_at=timezone.now())


def test_monthly_rule_two_or_three_activities_and_three_hours_on_average(community):
    keen = VolunteerFactory(community=community)
    short = VolunteerFactory(community=community)
    rare = VolunteerFactory(community=community)
    for day, hours in ((3, 3), (12, 4), (20, Decimal("3.5"))):
        served(keen, dt.date(2026, 3, day), hours)
    served(short, dt.date(2026, 3, 3), 2)
    served(short, dt.date(2026, 3, 9), Decimal("2.5"))
    served(rare, dt.date(2026, 3, 3), 6)
    served(rare, dt.date(2026, 4, 3), 6)  # another month
    stats = reports.monthly_stats(SignUp.objects.all(), Volunteer.objects.all(), 2026, 3)
    rows = {r.volunteer_id: r for r in stats.rows}
    assert (rows[keen.pk].activities, rows[keen.pk].hours, rows[keen.pk].average) == (
        3,
        Decimal("10.50"),
        Decimal("3.50"),
    )
    assert rows[keen.pk].meets_rule
    assert rows[short.pk].meets_frequency and not rows[short.pk].meets_average
    assert not rows[rare.pk].meets_frequency
    assert stats.meeting_rule == 1 and stats.volunteers == 3


def test_unconfirmed_hours_are_not_counted(community):
    volunteer = VolunteerFactory(community=community)
    SignUp.objects.create(
        activity=ActivityFactory(community=community, date=dt.date(2026, 3, 3)), volunteer=volunteer, hours=3
    )
    assert reports.monthly_stats(SignUp.objects.all(), Volunteer.objects.all(), 2026, 3).rows == []


def test_growth_by_month_and_year_runs_a_total(community):
    for day in (dt.date(2025, 11, 5), dt.date(2025, 11, 20), dt.date(2026, 1, 2)):
        VolunteerFactory(community=community, approved_on=day)
    VolunteerFactory(community=community, status="applied", number="", approved_on=None)
    months, years = reports.growth(Volunteer.objects.all())
    assert [(m.period, m.new, m.total) for m in months] == [(dt.date(2025, 11, 1), 2, 2), (dt.date(2026, 1, 1), 1, 3)]
    assert [(y.period.year, y.new, y.total) for y in years] == [(2025, 2, 2), (2026, 1, 3)]


def test_stats_and_growth_pages(client, director, community):
    volunteer = VolunteerFactory(community=community)
    served(volunteer, dt.date(2026, 3, 3), 3)
    client.force_login(director)
    page = client.get(reverse("volunteers:stats"), {"month": "2026-03"})
    assert page.status_code == 200 and volunteer.number in page.content.decode()
    assert client.get(reverse("volunteers:stats"), {"month": "bad"}).status_code == 200
    assert client.get(reverse("volunteers:growth")).status_code == 200


def test_excel_export_has_hours_by_volunteer_team_and_month(client, director, community, other_community):
    team = TeamFactory(community=community, name="理发服务队")
    volunteer = VolunteerFactory(community=community, team=team)
    served(volunteer, dt.date(2026, 3, 3), 3, team=team)
    served(volunteer, dt.date(2026, 4, 3), Decimal("2.5"), team=team)
    stranger = VolunteerFactory(community=other_community)
    served(stranger, dt.date(2026, 3, 3), 9)
    client.force_login(director)
    response = client.get(reverse("volunteers:export_hours"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    by_volunteer, by_team, by_month = wb.worksheets
    assert [c.value for c in by_volunteer[2]][:5] == [volunteer.number, volunteer.resident.name, "理发服务队", 2, 5.5]
    assert by_volunteer.max_row == 2  # the other community's volunteer is not exported
    assert [c.value for c in by_team[2]] == ["理发服务队", 2, 1, 5.5]
    assert [[c.value for c in row] for row in by_month.iter_rows(min_row=2)] == [
        ["2026-03", 1, 1, 3],
        ["2026-04", 1, 1, 2.5],
    ]


def test_statement_lists_confirmed_activities_with_total_and_stars(client, director, community):
    volunteer = VolunteerFactory(community=community)
    for day in range(1, 6):
        served(volunteer, dt.date(2026, 3, day), 20)
    client.force_login(director)
    page = client.get(reverse("volunteers:volunteer_statement", args=[volunteer.pk]))
    assert page.status_code == 200
    assert page.context["total"] == Decimal(100) and page.context["stars"] == 1
    assert len(page.context["signups"]) == 5
