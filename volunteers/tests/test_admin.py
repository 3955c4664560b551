"""Staff admin of the volunteers app: every page opens for the director, scoped to the community, in few queries."""

import pytest
from django.urls import reverse

from volunteers.models import HourCorrection, SignUp
from volunteers.tests.factories import (
    ActivityFactory,
    PersonServedFactory,
    SignUpFactory,
    TeamFactory,
    VolunteerFactory,
)

MODELS = [
    "team",
    "volunteer",
    "activity",
    "signup",
    "hourcorrection",
    "badge",
    "personserved",
    "visitrecord",
    "dutypost",
    "partytask",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_opens_for_the_director(client, director, community, model):
    team = TeamFactory(community=community)
    signup = SignUpFactory(activity__community=community, activity__team=team)
    HourCorrection.objects.create(signup=signup, corrected_by=director, new_hours=2, reason="补录")
    PersonServedFactory(community=community)
    client.force_login(director)
    assert client.get(reverse(f"admin:volunteers_{model}_changelist")).status_code == 200


def test_hour_corrections_cannot_be_edited_or_deleted_in_admin(client, director, community):
    signup = SignUpFactory(activity__community=community)
    correction = HourCorrection.objects.create(signup=signup, corrected_by=director, new_hours=2, reason="补录")
    client.force_login(director)
    client.post(reverse("admin:volunteers_hourcorrection_delete", args=[correction.pk]), {"post": "yes"})
    assert HourCorrection.objects.filter(pk=correction.pk).exists()


def test_volunteer_changelist_query_count_is_flat(client, director, community, django_assert_max_num_queries):
    client.force_login(director)
    url = reverse("admin:volunteers_volunteer_changelist")
    VolunteerFactory.create_batch(2, community=community, team=TeamFactory(community=community))
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    VolunteerFactory.create_batch(30, community=community, team=TeamFactory(community=community))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_signups_changelist_query_count_is_flat(client, director, community, django_assert_max_num_queries):
    client.force_login(director)
    url = reverse("admin:volunteers_signup_changelist")
    activity = ActivityFactory(community=community, capacity=50)
    for _ in range(2):
        SignUp.objects.create(activity=activity, volunteer=VolunteerFactory(community=community))
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _ in range(20):
        SignUp.objects.create(activity=activity, volunteer=VolunteerFactory(community=community))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
