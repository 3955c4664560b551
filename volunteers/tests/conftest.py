import pytest
from django.contrib.auth.models import Group

from portal.core import roles
from volunteers.tests.factories import TeamFactory, VolunteerFactory


@pytest.fixture
def director(make_user, community):
    """The residents'-committee director (居委会主任): coordinates every team of the community."""
    return make_user(roles.COMMITTEE_DIRECTOR, community)


@pytest.fixture
def other_director(make_user, other_community):
    return make_user(roles.COMMITTEE_DIRECTOR, other_community)


@pytest.fixture
def volunteer_user(make_user, community):
    """A resident who is an approved volunteer (role 志愿者)."""
    user = make_user(roles.RESIDENT, community)
    user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
    VolunteerFactory(community=community, resident=user.resident)
    return user


@pytest.fixture
def leader_user(make_user, community):
    """A volunteer who leads a team: a coordinator of that team only."""

    user = make_user(roles.RESIDENT, community)
    user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
    volunteer = VolunteerFactory(community=community, resident=user.resident)
    team = TeamFactory(community=community, leader=volunteer)
    volunteer.team = team
    volunteer.save()
    user.led_team = team
    return user
