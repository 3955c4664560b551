"""The stations' admin: who sees which model, community scoping, the overlap message, query counts."""

import pytest

from portal.core import roles
from services.models import RoomBooking
from services.tests.factories_stations import HealthFileFactory, RoomFactory, StationEventFactory, at

HEALTH_ADMIN = ["healthfile", "healthconsent", "followupplan"]
CULTURE_ADMIN = ["room", "roombooking", "team", "cultureclass", "classenrolment", "stationevent", "eventregistration"]


@pytest.mark.parametrize(
    "role, model, expected",
    [
        *[(roles.HEALTH_STAFF, m, 200) for m in HEALTH_ADMIN + ["stationevent", "checkupcampaign"]],
        *[(roles.CULTURE_STAFF, m, 200) for m in CULTURE_ADMIN],
        *[(roles.CULTURE_STAFF, m, 403) for m in HEALTH_ADMIN],
        *[(roles.HALL_STAFF, m, 403) for m in HEALTH_ADMIN + ["room", "stationevent"]],
        *[(roles.DISTRICT_ADMIN, m, 403) for m in HEALTH_ADMIN],
        (roles.DISTRICT_ADMIN, "checkupcampaign", 200),
    ],
)
def test_admin_changelists_by_role(client, make_user, community, role, model, expected):
    client.force_login(make_user(role, None if role == roles.DISTRICT_ADMIN else community))
    assert client.get(f"/admin/services/{model}/").status_code == expected


def test_another_communitys_room_is_a_404_in_admin(client, make_user, community, other_community):
    room = RoomFactory(community=other_community)
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    assert client.get(f"/admin/services/room/{room.pk}/change/").status_code == 404


def test_an_overlapping_booking_in_admin_gets_the_message_next_to_the_form(client, make_user, community):
    room = RoomFactory(community=community)
    RoomBooking.objects.create(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a")
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    day = at(2, 9).date().isoformat()
    response = client.post(
        "/admin/services/roombooking/add/",
        {
            "room": room.pk,
            "starts_at_0": day,
            "starts_at_1": "10:00",
            "ends_at_0": day,
            "ends_at_1": "12:00",
            "purpose": "b",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "该活动室此时段已被预约" in response.content.decode()
    assert RoomBooking.objects.count() == 1


def test_admin_lists_query_counts_do_not_grow(client, make_user, community, django_assert_max_num_queries):
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    HealthFileFactory.create_batch(2, consent__resident__community=community)
    StationEventFactory.create_batch(2, community=community)
    urls = ["/admin/services/healthfile/", "/admin/services/healthconsent/", "/admin/services/stationevent/"]
    for url in urls:
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    HealthFileFactory.create_batch(25, consent__resident__community=community)
    StationEventFactory.create_batch(25, community=community)
    for url in urls:
        with django_assert_max_num_queries(14):
            client.get(url)


def test_anonymous_visitors_to_admin_pages_are_sent_to_the_login_page(client, db):
    """Regression: the health admin asked an anonymous user for its community and answered 500."""
    for url in ("/admin/", "/admin/residents/resident/", "/admin/services/healthfile/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/login/").status_code == 200
