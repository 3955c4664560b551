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


def _booking_form(room, start, end, purpose="b", **more):
    return {
        "room": room.pk,
        "starts_at_0": start.date().isoformat(),
        "starts_at_1": f"{start:%H:%M}",
        "ends_at_0": end.date().isoformat(),
        "ends_at_1": f"{end:%H:%M}",
        "purpose": purpose,
        **more,
    }


def test_an_overlapping_booking_in_admin_gets_the_message_next_to_the_form(client, make_user, community):
    """The status is not in the admin's form, so Django's own check of the overlap constraint is skipped: the form
    asks the page's check instead, and the message stands next to the start."""
    room = RoomFactory(community=community)
    RoomBooking.objects.create(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a")
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    response = client.post("/admin/services/roombooking/add/", _booking_form(room, at(2, 10), at(2, 12)))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "已被预约" in " ".join(errors["starts_at"]) and "09:00" in " ".join(errors["starts_at"])
    assert 'value="b"' in response.content.decode()  # what was typed is kept
    assert RoomBooking.objects.count() == 1


@pytest.mark.parametrize(
    "start, end, field, text",
    [
        ((-1, 9), (-1, 10), "starts_at", "该时间已过"),
        ((2, 6), (2, 9), "starts_at", "开放时间"),
        ((2, 11), (2, 10), "ends_at", "结束时间必须晚于开始时间"),
    ],
)
def test_the_admin_adds_a_room_booking_only_as_the_pages_would(client, make_user, community, start, end, field, text):
    room = RoomFactory(community=community)
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    response = client.post("/admin/services/roombooking/add/", _booking_form(room, at(*start), at(*end)))
    assert response.status_code == 200
    assert text in " ".join(response.context["adminform"].form.errors[field])
    assert not RoomBooking.objects.exists()


def test_a_booking_moved_in_the_admin_onto_another_is_refused_and_moved_within_itself_is_kept(
    client, make_user, community
):
    room = RoomFactory(community=community)
    RoomBooking.objects.create(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a")
    mine = RoomBooking.objects.create(room=room, starts_at=at(2, 14), ends_at=at(2, 16), purpose="b")
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    url = f"/admin/services/roombooking/{mine.pk}/change/"
    refused = client.post(url, _booking_form(room, at(2, 10), at(2, 12)))
    assert refused.status_code == 200 and "已被预约" in " ".join(refused.context["adminform"].form.errors["starts_at"])
    assert client.post(url, _booking_form(room, at(2, 15), at(2, 17))).status_code == 302
    mine.refresh_from_db()
    assert (mine.starts_at, mine.ends_at) == (at(2, 15), at(2, 17))


def test_a_room_bookings_status_is_read_only_in_the_admin(client, make_user, community):
    """Cancelled only by its action (the resident is told); a status posted with the form changes nothing, and a
    cancelled booking is not brought back to life over another one here."""
    room = RoomFactory(community=community)
    booking = RoomBooking.objects.create(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a")
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    url = f"/admin/services/roombooking/{booking.pk}/change/"
    page = client.get(url)
    assert "status" not in page.context["adminform"].form.fields
    assert client.post(url, _booking_form(room, at(2, 9), at(2, 11), "a", status="cancelled")).status_code == 302
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.ACTIVE


def test_the_admin_cancels_room_bookings_through_the_action_after_asking(client, make_user, community):
    from portal.core.models import AuditLog, Notification

    resident_user = make_user(roles.RESIDENT, community)
    room = RoomFactory(community=community)
    booking = RoomBooking.objects.create(
        room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a", resident=resident_user.resident
    )
    staff = make_user(roles.CULTURE_STAFF, community)
    client.force_login(staff)
    url = "/admin/services/roombooking/"
    chosen = {"action": "cancel_by_staff", "_selected_action": [booking.pk], "index": 0}
    asked = client.post(url, chosen)
    assert asked.status_code == 200 and 'id="confirm-yes"' in asked.content.decode()
    assert RoomBooking.objects.get(pk=booking.pk).status == RoomBooking.Status.ACTIVE
    assert client.post(url, {**chosen, "confirmed": "yes"}).status_code == 302
    assert RoomBooking.objects.get(pk=booking.pk).status == RoomBooking.Status.CANCELLED
    assert Notification.objects.filter(recipient=resident_user, title__contains=room.name).exists()
    assert AuditLog.objects.filter(actor=staff, action="room_booking_cancel").exists()


def test_a_resident_cancelling_their_own_room_booking_is_not_told_about_it(community, make_user):
    from portal.core.models import Notification
    from services.culture.actions import room_booking_cancel

    resident_user = make_user(roles.RESIDENT, community)
    booking = RoomBooking.objects.create(
        room=RoomFactory(community=community),
        starts_at=at(2, 9),
        ends_at=at(2, 11),
        purpose="a",
        resident=resident_user.resident,
    )
    room_booking_cancel(booking=booking, by=resident_user)
    assert RoomBooking.objects.get(pk=booking.pk).status == RoomBooking.Status.CANCELLED
    assert not Notification.objects.filter(recipient=resident_user).exists()


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
    login = client.get("/admin/login/")  # the portal's sign-in, with its second step for staff
    assert login.status_code == 302 and client.get(login["Location"]).status_code == 200
