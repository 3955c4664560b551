"""seed_community builds a plausible corps on a small register, consistently and idempotently."""

import datetime as dt
import random

from django.db.models import F

from portal.core.capacity import SeatStatus
from residents.tests.factories import ResidentFactory
from volunteers import seed
from volunteers.models import Activity, DutyPost, PartyTask, PersonServed, SignUp, Team, VisitRecord, Volunteer
from volunteers.tests.test_party import make_network


def test_seed_community_builds_teams_council_activities_hours_people_served_and_duties(community):
    for i in range(160):
        ResidentFactory(
            community=community,
            birth_date=dt.date(1945 + i % 60, 1 + i % 12, 1 + i % 28),
            lives_alone=i % 9 == 0,
            is_disabled=i % 23 == 0,
            is_low_income=i % 31 == 0,
            is_retiree=i % 3 == 0,
        )
    make_network(community, members_per_group=3)
    seed.seed_community(community, rng=random.Random(1), scale_index=0)

    assert Team.objects.filter(community=community).count() == len(seed.TEAMS)
    assert Volunteer.objects.filter(community=community, is_council_member=True).count() == seed.COUNCIL_VOLUNTEERS
    assert Team.objects.filter(community=community, leader__isnull=False).count() == len(seed.TEAMS)
    approved = Volunteer.objects.filter(community=community, status="approved")
    assert approved.count() >= seed.COUNCIL_VOLUNTEERS
    numbers = list(approved.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) and all(numbers)
    # A year of activities, some at night across midnight, seats consistent with sign-ups.
    activities = Activity.objects.filter(community=community)
    assert activities.count() > 200
    assert activities.filter(end_time__lt=F("start_time")).exists()
    for activity in activities.order_by("?")[:30]:
        assert activity.seats_taken == activity.signups.filter(status=SeatStatus.ACTIVE).count() <= activity.capacity
    confirmed = SignUp.objects.filter(activity__community=community, hours_confirmed_at__isnull=False)
    assert confirmed.count() > 500
    assert all(0 < s.hours <= 6 for s in confirmed[:200])
    assert PersonServed.objects.filter(community=community).exists()
    assert VisitRecord.objects.filter(person__community=community).exists()
    assert DutyPost.objects.filter(community=community).count() == 4 + len(seed.DUTY_POSTS)
    assert PartyTask.objects.filter(community=community, completed_on__isnull=False).exists()

    before = seed.counts()
    seed.seed_community(community, rng=random.Random(2), scale_index=0)  # idempotent
    assert seed.counts() == before
