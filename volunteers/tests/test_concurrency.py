"""On PostgreSQL, volunteers racing for the last places never overbook an activity."""

import threading

import pytest
from django.db import connection

from portal.core.capacity import Outcome
from volunteers import actions
from volunteers.models import Activity, SignUp
from volunteers.tests.factories import ActivityFactory, VolunteerFactory


@pytest.mark.django_db(transaction=True)
def test_twelve_volunteers_racing_for_three_places_get_exactly_three(community):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    activity = ActivityFactory(community=community, capacity=3)
    volunteers = [VolunteerFactory(community=community) for _ in range(12)]
    outcomes = []
    barrier = threading.Barrier(len(volunteers))

    def take(volunteer):
        from django.db import connections

        try:
            barrier.wait()
            outcomes.append(
                actions.signup_create(activity=Activity.objects.get(pk=activity.pk), volunteer=volunteer).outcome
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(v,)) for v in volunteers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    activity.refresh_from_db()
    assert outcomes.count(Outcome.TAKEN) == 3 and outcomes.count(Outcome.FULL) == 9
    assert activity.seats_taken == 3 == SignUp.objects.filter(activity=activity, status="active").count()
