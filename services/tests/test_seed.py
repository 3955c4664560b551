"""The hall's demo data: catalogue, counters, two weeks of slots, bookings that agree with the seat counts, cases."""

import random

from django.db.models import Count, Q

from portal.core import roles
from residents.tests.factories import ResidentFactory
from services.models import Booking, Case, Counter, ServiceItem, Slot
from services.seed import ITEMS, counts
from services.seed import seed_hall as seed_community


def test_seed_community_builds_the_hall_and_is_idempotent(community, make_user, django_assert_max_num_queries):
    for _ in range(40):
        ResidentFactory(community=community)
    make_user(roles.HALL_STAFF, community)

    with django_assert_max_num_queries(60):  # bulk inserts: no per-row queries
        seed_community(community, rng=random.Random(1), scale_index=0)

    assert ServiceItem.objects.filter(community=community).count() == len(ITEMS)
    assert Counter.objects.filter(community=community).count() == 4
    assert Slot.objects.filter(community=community).values("date").distinct().count() >= 19  # ±14 days, weekdays
    assert Booking.objects.filter(community=community).exists()
    assert Case.objects.filter(community=community).count() == 300
    slots = Slot.objects.filter(community=community).annotate(
        active=Count("bookings", filter=Q(bookings__status="active"))
    )
    assert [(s.pk, s.seats_taken) for s in slots if s.seats_taken != s.active] == []
    assert not Case.objects.filter(status="rejected", rejection_reason="").exists()
    before = counts()
    seed_community(community, rng=random.Random(1), scale_index=0)
    assert counts() == before
