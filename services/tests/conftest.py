import pytest

from portal import roles


@pytest.fixture
def health_staff(make_user, community):
    return make_user(roles.HEALTH_STAFF, community)


@pytest.fixture
def other_health_staff(make_user, other_community):
    return make_user(roles.HEALTH_STAFF, other_community)


@pytest.fixture
def culture_staff(make_user, community):
    return make_user(roles.CULTURE_STAFF, community)


@pytest.fixture
def resident(resident_user):
    return resident_user.resident
