"""The culture station's yearly plan of large fun events (大型趣味性活动, 2–3 a year in the source) and the year's
count against it on the community dashboard; the seed is true to the source."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from portal.core import roles
from residents.tests.factories import HouseholdFactory, ResidentFactory
from services.culture.models import CulturePlan
from services.dashboard import _large_events
from services.models import StationEvent
from services.seed import seed_stations
from services.tests.factories_stations import StationEventFactory


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_the_panel_counts_the_years_large_events_against_the_plan(community, other_community):
    today = timezone.localdate()
    CulturePlan.objects.create(community=community, year=today.year, large_events=3)
    past = today - dt.timedelta(days=1)
    StationEventFactory(community=community, large=True, starts_at=_at(past, 9), ends_at=_at(past, 10))
    StationEventFactory(community=community, large=True, starts_at=timezone.now() + dt.timedelta(hours=1),
                        ends_at=timezone.now() + dt.timedelta(hours=3))  # fmt: skip
    StationEventFactory(community=community, large=False, starts_at=_at(past, 9), ends_at=_at(past, 10))
    StationEventFactory(community=community, large=True, published=False, starts_at=_at(past, 9),
                        ends_at=_at(past, 10))  # fmt: skip
    last_year = dt.date(today.year - 1, 6, 1)
    StationEventFactory(community=community, large=True, starts_at=_at(last_year, 9), ends_at=_at(last_year, 10))
    StationEventFactory(community=other_community, large=True, starts_at=_at(past, 9), ends_at=_at(past, 10))
    with translation.override("en"):
        panel = _large_events(community.pk, today)
    figures = {row[0]: row[1] for row in panel.rows}
    assert figures == {"Planned": 3, "Held": 1, "Still to come": 1}
    assert "2 of 3" in panel.note


def test_without_a_plan_the_panel_says_what_the_source_asks(community):
    with translation.override("zh-hans"):
        panel = _large_events(community.pk, timezone.localdate())
    assert panel.rows[0][1] == "—" and "2至3次" in panel.note


def test_one_plan_a_year_between_one_and_twelve_events(community):
    year = timezone.localdate().year
    CulturePlan.objects.create(community=community, year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        CulturePlan.objects.create(community=community, year=year)
    with pytest.raises(ValidationError):
        CulturePlan(community=community, year=year + 1, large_events=0).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        CulturePlan.objects.create(community=community, year=year + 2, large_events=40)


def test_the_dashboard_shows_the_panel(client, make_user, community):
    CulturePlan.objects.create(community=community, year=timezone.localdate().year, large_events=2)
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    with translation.override("zh-hans"):
        html = client.get(reverse("portal:dashboard")).content.decode()
    assert "大型趣味性活动" in html


def test_the_seed_plans_two_to_three_large_fun_events_a_year_as_the_source_says(community):
    today = timezone.localdate()
    households = HouseholdFactory.create_batch(5, community=community)
    for i in range(40):
        ResidentFactory(community=community, household=households[i % 5])
    seed_stations(community, rng=random.Random(2), scale_index=0)
    plans = dict(CulturePlan.objects.filter(community=community).values_list("year", "large_events"))
    assert plans == {today.year - 1: 2, today.year: 3}
    large = StationEvent.objects.filter(community=community, large=True)
    assert set(large.values_list("kind", flat=True)) == {"games"}
    assert large.filter(starts_at__year=today.year - 1).count() == 2
    assert 2 <= large.filter(starts_at__year__gte=today.year).count() <= 3
    titles = " ".join(large.values_list("title", flat=True))
    assert "和谐杯" in titles and "农行杯" in titles and "老年乐" in titles


def test_the_seeded_games_name_their_sponsors_on_the_event_page(client, community):
    """The source: 沧县实验学校与农行还赞助举办了“和谐杯”、“农行杯”、“老年乐”等大型趣味运动会."""
    from residents.tests.factories import StationedUnitFactory

    school = StationedUnitFactory(community=community, name="沧县实验学校")
    bank = StationedUnitFactory(community=community, name="中国农业银行沧州新华支行")
    StationedUnitFactory(community=community, name="新华区人民医院")
    households = HouseholdFactory.create_batch(5, community=community)
    for i in range(40):
        ResidentFactory(community=community, household=households[i % 5])
    seed_stations(community, rng=random.Random(3), scale_index=0)
    sponsored = StationEvent.objects.filter(community=community, sponsors__isnull=False).distinct()
    assert {t.split("“")[1].split("”")[0] for t in sponsored.values_list("title", flat=True)} == {
        "和谐杯",
        "农行杯",
        "老年乐",
    }
    for event in sponsored:
        assert set(event.sponsors.all()) == {school, bank}
    html = client.get(reverse("services:stations:event", args=[sponsored.first().pk])).content.decode()
    assert 'id="sponsors"' in html and "沧县实验学校" in html and "中国农业银行沧州新华支行" in html
