"""Suite-wide fixtures: two communities and a user of every role in each."""

import os

import pytest

from portal import roles
from portal.tests.factories import PASSWORD, UserFactory
from residents.tests.factories import CommunityFactory, ResidentFactory


def pytest_configure(config):
    # With CI=true a missing PostgreSQL or Redis is a failure, never a skip.
    os.environ.setdefault("CI", "")


@pytest.fixture
def community(db):
    return CommunityFactory(name="南环东路社区", slug="nanhuan")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="北环社区", slug="beihuan")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db):
    """make_user(role, community) → a user of that role working or living in that community."""

    def make(role=roles.RESIDENT, community=None, **kwargs):
        user = UserFactory(role=role, community=community, **kwargs)
        if role == roles.RESIDENT and community is not None:
            ResidentFactory(community=community, user=user, name=user.name, phone=user.phone)
        return user

    return make


@pytest.fixture
def resident_user(make_user, community):
    return make_user(roles.RESIDENT, community)


@pytest.fixture
def hall_staff(make_user, community):
    return make_user(roles.HALL_STAFF, community)


@pytest.fixture
def other_hall_staff(make_user, other_community):
    return make_user(roles.HALL_STAFF, other_community)


@pytest.fixture
def district_admin(make_user):
    return make_user(roles.DISTRICT_ADMIN, None)
