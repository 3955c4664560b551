"""Staff admin of the volunteers app: every page opens for the director, scoped to the community, in few queries."""

import pytest
from django.urls import reverse

from portal.core.models import AuditLog, SensitiveAccessLog
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


def test_opening_a_person_served_in_the_admin_is_a_logged_read(client, director, community):
    person = PersonServedFactory(community=community)
    client.force_login(director)
    assert client.get(reverse("admin:volunteers_personserved_change", args=[person.pk])).status_code == 200
    log = SensitiveAccessLog.objects.get()
    assert (log.actor, log.subject_id, log.field) == (director, person.resident_id, "volunteers.person_served")


def test_an_activity_changed_in_the_admin_is_audited(client, director, community):
    activity = ActivityFactory(community=community)
    client.force_login(director)
    url = reverse("admin:volunteers_activity_change", args=[activity.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"title": "楼道清扫", "signups-TOTAL_FORMS": 0, "signups-INITIAL_FORMS": 0})
    data["date"], data["start_time"], data["end_time"] = f"{activity.date}", "09:00", "11:00"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    audit = AuditLog.objects.get(action="activity_change")
    assert (audit.actor, audit.object_id, audit.community_id) == (director, str(activity.pk), community.pk)
