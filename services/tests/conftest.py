import datetime as dt

import pytest
from django.utils import timezone

from portal.core import roles
from services.hall import actions
from services.models import ServiceItem, Slot
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday


@pytest.fixture
def catalogue(community):
    """The demo catalogue of `community`: four counters with hours and 26 service items."""
    return seed_catalogue(community)


@pytest.fixture
def item(catalogue, community):
    """户籍证明开具 at counter 3 (needs an appointment)."""
    return ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")


@pytest.fixture
def day():
    return next_weekday(2)


@pytest.fixture
def slot(item, day) -> Slot:
    return SlotFactory(
        counter=item.counter,
        date=day,
        starts_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone()),
        capacity=3,
    )


@pytest.fixture
def resident(resident_user):
    return resident_user.resident


@pytest.fixture
def other_resident_user(make_user, community):
    return make_user(roles.RESIDENT, community)


@pytest.fixture
def health_staff(make_user, community):
    return make_user(roles.HEALTH_STAFF, community)


@pytest.fixture
def director(make_user, community):
    return make_user(roles.COMMITTEE_DIRECTOR, community)


@pytest.fixture
def admin_client_for(client):
    """admin_client_for(user) → the test client logged in as that member of staff."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def other_health_staff(make_user, other_community):
    return make_user(roles.HEALTH_STAFF, other_community)


@pytest.fixture
def culture_staff(make_user, community):
    return make_user(roles.CULTURE_STAFF, community)


@pytest.fixture
def repair(catalogue, community):
    """The catalogue's water-pipe repair (自来水管道维修)."""
    return ServiceItem.objects.get(community=community, name="自来水管道维修")


@pytest.fixture
def case(resident, repair, resident_user):
    """A repair case the resident filed themselves."""
    return actions.case_file(
        resident=resident,
        kind="repair",
        item=repair,
        title="厨房漏水",
        description="水管接口漏水",
        filed_by=resident_user,
    )
