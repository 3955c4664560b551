"""People served: drawn from register tags; only coordination roles see them; masked in lists; reads logged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.models import AuditLog, SensitiveAccessLog
from residents.tests.factories import ResidentFactory
from volunteers import actions
from volunteers.models import PersonServed, VisitPlan
from volunteers.models.served import mask_name
from volunteers.tests.factories import PersonServedFactory, TeamFactory, VolunteerFactory


def test_sync_draws_people_from_the_register_tags(community):
    elderly = ResidentFactory(community=community, lives_alone=True, birth_date=dt.date(1940, 3, 1))
    young_alone = ResidentFactory(community=community, lives_alone=True, birth_date=dt.date(1995, 3, 1))
    disabled = ResidentFactory(community=community, is_disabled=True)
    poor = ResidentFactory(community=community, is_low_income=True)
    ResidentFactory(community=community)
    assert actions.people_served_sync(community=community) == 3
    kinds = dict(PersonServed.objects.values_list("resident_id", "kind"))
    assert kinds == {elderly.pk: "elderly_alone", disabled.pk: "disabled", poor.pk: "difficulty"}
    assert young_alone.pk not in kinds
    assert actions.people_served_sync(community=community) == 0  # idempotent


@pytest.mark.parametrize(
    ("name", "masked"), [("王秀英", "王*英"), ("李明", "李*"), ("欧阳建国", "欧**国"), ("王", "王")]
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_list_is_masked_and_detail_read_is_logged(client, director, community):
    person = PersonServedFactory(community=community, resident__name="张桂兰")
    client.force_login(director)
    listing = client.get(reverse("volunteers:served_list")).content.decode()
    assert "张*兰" in listing and "张桂兰" not in listing
    assert not SensitiveAccessLog.objects.exists()  # a masked list is not a read
    detail = client.get(reverse("volunteers:served_detail", args=[person.pk]))
    assert "张桂兰" in detail.content.decode()
    log = SensitiveAccessLog.objects.get()
    assert (log.actor, log.subject_id, log.denied) == (director, person.resident_id, False)
    assert (log.field, log.purpose) == ("volunteers.person_served", "志愿服务")  # kept in the site's language


def test_urls_carry_ids_only(client, director, community):
    person = PersonServedFactory(community=community, resident__name="张桂兰")
    url = reverse("volunteers:served_detail", args=[person.pk])
    assert "张" not in url and str(person.resident_id) not in url.replace(str(person.pk), "")


@pytest.mark.parametrize(
    "role", [roles.RESIDENT, roles.HALL_STAFF, roles.HEALTH_STAFF, roles.CULTURE_STAFF, roles.COUNCIL_SECRETARY]
)
def test_other_roles_are_refused(client, make_user, community, role):
    person = PersonServedFactory(community=community)
    client.force_login(make_user(role, community))
    assert client.get(reverse("volunteers:served_list")).status_code == 403
    assert client.get(reverse("volunteers:served_detail", args=[person.pk])).status_code == 403
    assert not SensitiveAccessLog.objects.exists()


def test_plain_volunteer_is_refused(client, volunteer_user, community):
    client.force_login(volunteer_user)
    assert client.get(reverse("volunteers:served_list")).status_code == 403


def test_district_admin_works_with_figures_not_people(client, district_admin, community):
    client.force_login(district_admin)
    assert client.get(reverse("volunteers:served_list")).status_code == 403


def test_anonymous_is_sent_to_log_in(client, community):
    person = PersonServedFactory(community=community)
    response = client.get(reverse("volunteers:served_detail", args=[person.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_communitys_person_is_a_404(client, other_director, community):
    person = PersonServedFactory(community=community)
    client.force_login(other_director)
    assert client.get(reverse("volunteers:served_detail", args=[person.pk])).status_code == 404
    assert not SensitiveAccessLog.objects.exists()


def test_team_leader_sees_only_people_their_team_visits(client, leader_user, community):
    ours = PersonServedFactory(community=community)
    VisitPlan.objects.create(person=ours, team=leader_user.led_team, every_days=7)
    theirs = PersonServedFactory(community=community)
    VisitPlan.objects.create(person=theirs, team=TeamFactory(community=community))
    client.force_login(leader_user)
    assert client.get(reverse("volunteers:served_detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("volunteers:served_detail", args=[theirs.pk])).status_code == 404


def test_recording_a_visit_moves_the_plan_on(client, director, community):
    person = PersonServedFactory(community=community)
    plan = VisitPlan.objects.create(person=person, every_days=14)
    visitor = VolunteerFactory(community=community)
    client.force_login(director)
    today = timezone.localdate()
    response = client.post(
        reverse("volunteers:served_detail", args=[person.pk]),
        {
            "visited_on": today.isoformat(),
            "what_was_done": "量血压，打扫卫生",
            "needs_next": "换灯泡",
            "visitors": [visitor.pk],
        },
    )
    assert response.status_code == 302
    record = person.visits.get()
    assert list(record.visitors.all()) == [visitor] and record.recorded_by == director
    plan.refresh_from_db()
    assert plan.next_visit_on == today + dt.timedelta(days=14)
    audit = AuditLog.objects.get(action="visit_record")
    assert (audit.actor, audit.community_id, audit.object_id) == (director, community.pk, str(record.pk))


def test_a_visit_in_the_future_is_refused_next_to_the_field(client, director, community):
    person = PersonServedFactory(community=community)
    client.force_login(director)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("volunteers:served_detail", args=[person.pk]),
        {"visited_on": tomorrow.isoformat(), "what_was_done": "x"},
    )
    assert response.status_code == 200 and response.context["form"].errors["visited_on"]


def test_visitors_of_another_community_are_not_offered(client, director, community, other_community):
    person = PersonServedFactory(community=community)
    stranger = VolunteerFactory(community=other_community)
    client.force_login(director)
    response = client.post(
        reverse("volunteers:served_detail", args=[person.pk]),
        {"visited_on": timezone.localdate().isoformat(), "what_was_done": "x", "visitors": [stranger.pk]},
    )
    assert response.status_code == 200 and response.context["form"].errors["visitors"]
