"""One permission table for the app: (who, page) → status. Coordination pages are for the director and team leaders."""

import pytest
from django.urls import reverse

from portal.core import roles
from volunteers.tests.factories import TeamFactory, VolunteerFactory

COORDINATION = ["dashboard", "stats", "growth", "volunteer_list", "export_hours", "badge_sheet", "served_list"]
PUBLIC = ["index", "activity_list", "party_network", "duty_posts"]


@pytest.fixture
def who(request, make_user, community, leader_user, volunteer_user):
    name = request.param
    if name == "anonymous":
        return None
    if name == "leader":
        return leader_user
    if name == "volunteer":
        return volunteer_user
    if name == "district":
        return make_user(roles.DISTRICT_ADMIN, None)
    return make_user(name, community)


EXPECTED = {
    "anonymous": 302,
    roles.RESIDENT: 403,
    "volunteer": 403,
    roles.HALL_STAFF: 403,
    roles.HEALTH_STAFF: 403,
    roles.BRANCH_SECRETARY: 403,
    "district": 403,
    roles.COMMITTEE_DIRECTOR: 200,
    "leader": 200,
}


@pytest.mark.parametrize("who", list(EXPECTED), indirect=True, ids=str)
@pytest.mark.parametrize("page", COORDINATION)
def test_coordination_pages(client, who, page, request, community):
    expected = EXPECTED[request.node.callspec.params["who"]]
    if who is not None:
        client.force_login(who)
    assert client.get(reverse(f"volunteers:{page}")).status_code == expected


@pytest.mark.parametrize("who", list(EXPECTED), indirect=True, ids=str)
def test_applications_are_for_the_director_only(client, who, request):
    name = request.node.callspec.params["who"]
    expected = {"anonymous": 302, roles.COMMITTEE_DIRECTOR: 200}.get(name, 403)
    if who is not None:
        client.force_login(who)
    assert client.get(reverse("volunteers:applications")).status_code == expected


@pytest.mark.parametrize("who", ["anonymous", roles.RESIDENT, "volunteer", roles.COMMITTEE_DIRECTOR], indirect=True)
@pytest.mark.parametrize("page", PUBLIC)
def test_public_pages_are_open(client, who, page):
    if who is not None:
        client.force_login(who)
    assert client.get(reverse(f"volunteers:{page}")).status_code == 200


def test_revoked_team_leader_loses_coordination(client, leader_user, director):
    from volunteers import actions

    client.force_login(leader_user)
    assert client.get(reverse("volunteers:dashboard")).status_code == 200
    actions.volunteer_revoke(volunteer=leader_user.resident.volunteer, by=director, reason="退出")
    assert client.get(reverse("volunteers:dashboard")).status_code == 403


def test_a_leader_of_an_inactive_team_is_not_a_coordinator(client, make_user, community):
    from django.contrib.auth.models import Group

    user = make_user(roles.RESIDENT, community)
    user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
    TeamFactory(
        community=community, leader=VolunteerFactory(community=community, resident=user.resident), is_active=False
    )
    client.force_login(user)
    assert client.get(reverse("volunteers:dashboard")).status_code == 403


def test_staff_admin_is_scoped_to_the_community(client, director, other_director, community):
    volunteer = VolunteerFactory(community=community)
    client.force_login(other_director)
    assert client.get(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])).status_code == 404
    assert volunteer.number not in client.get(reverse("admin:volunteers_volunteer_changelist")).content.decode()
    client.force_login(director)
    assert client.get(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])).status_code == 200
