"""seed_stations (services.seed): health files with consent for a realistic share, two finished years of physicals, rooms,
classes, teams, events — bulk, consistent with the seat counters and the no-overlap rule, and idempotent."""

import datetime as dt
import random

from django.db.models import Count, F
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal.core.capacity import SeatStatus
from residents.tests.factories import HouseholdFactory, ResidentFactory
from services.models import (
    CheckupBooking,
    CheckupCampaign,
    CheckupSlot,
    ClassSession,
    CultureClass,
    HealthConsent,
    HealthFile,
    Room,
    RoomBooking,
    StationEvent,
    Team,
)
from services.seed import counts
from services.seed import seed_stations as seed_community


def test_seeding_builds_both_stations_and_is_idempotent(community, django_assert_max_num_queries):
    today = timezone.localdate()
    households = HouseholdFactory.create_batch(20, community=community)
    for i in range(120):
        ResidentFactory(
            community=community,
            household=households[i % 20],
            birth_date=today - dt.timedelta(days=365 * (5 + (i * 7) % 85)),
            sex="MF"[i % 2],
            is_retiree=i % 3 == 0,
            is_veteran=i % 17 == 0,
        )
    schedules = PeriodicTask.objects.count()
    with django_assert_max_num_queries(60):  # bulk: the count does not depend on the number of residents
        seed_community(community, rng=random.Random(1), scale_index=0)
    assert PeriodicTask.objects.count() == schedules  # periodic tasks come from migrations, never from the seed
    files = HealthFile.objects.filter(community=community)
    assert 30 < files.count() < 100
    assert HealthConsent.objects.filter(community=community).count() == files.count()
    assert not HealthFile.objects.exclude(consent__resident_id=F("resident_id")).exists()
    assert (
        HealthConsent.objects.filter(given_by="guardian").exclude(guardian_name="").count()
        == HealthConsent.objects.filter(given_by="guardian").count()
    )
    # Two finished years (the source's "连续两年") and this year's campaign.
    assert CheckupCampaign.objects.filter(community=community).count() == 3
    for year in (today.year - 2, today.year - 1):
        campaign = CheckupCampaign.objects.get(year=year)
        # every retiree: fewer than the source's 913
        assert CheckupBooking.objects.filter(slot__campaign=campaign, attended=True).count() == 40
    for slot in CheckupSlot.objects.annotate(n=Count("bookings")):
        assert slot.seats_taken == slot.n <= slot.capacity
    assert Room.objects.filter(community=community).count() == 5
    assert Team.objects.filter(community=community).count() == 4
    assert CultureClass.objects.filter(community=community).count() == 2 and ClassSession.objects.exists()
    for klass in CultureClass.objects.annotate(n=Count("enrolments")):
        assert klass.seats_taken == klass.n <= klass.capacity
    for event in StationEvent.objects.annotate(n=Count("registrations")):
        assert event.seats_taken == event.n <= event.capacity
    assert StationEvent.objects.filter(kind="games").count() >= 3
    assert StationEvent.objects.filter(kind="clinic").exists() and StationEvent.objects.filter(kind="lecture").exists()
    before = RoomBooking.objects.count()
    seed_community(community, rng=random.Random(1), scale_index=0)
    assert RoomBooking.objects.count() == before and HealthFile.objects.count() == files.count()
    assert counts()["rooms"] == 5
    assert CheckupBooking.objects.filter(status=SeatStatus.ACTIVE).count() == CheckupBooking.objects.count()
