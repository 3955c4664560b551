"""Culture-station staff pages: team weekly bookings, a class's session series, attendance — scoped and role-checked."""

import pytest
from django.urls import reverse

from portal.core import roles
from residents.tests.factories import ResidentFactory
from services.culture.actions import class_enrol, class_session_add
from services.models import ClassSession, RoomBooking, SessionAttendance
from services.tests.factories_stations import CultureClassFactory, RoomFactory, TeamFactory, at


def series(day, **extra):
    return {"first_day": day.isoformat(), "weeks": 3, "start": "19:00", "end": "20:30", **extra}


def test_a_team_gets_weekly_bookings_and_a_clash_cancels_the_series(client, culture_staff, community):
    room = RoomFactory(community=community)
    team = TeamFactory(community=community)
    client.force_login(culture_staff)
    url = reverse("services:culture:team_weekly", args=[team.pk])
    RoomBooking.objects.create(room=room, starts_at=at(9, 19), ends_at=at(9, 20), purpose="x")
    response = client.post(url, series(at(2, 9).date(), room=room.pk))
    assert response.status_code == 200 and "在 19:00 至 20:00 已被预约" in response.content.decode()
    assert not RoomBooking.objects.filter(team=team).exists()
    response = client.post(url, series(at(3, 9).date(), room=room.pk))
    assert response.status_code == 302 and RoomBooking.objects.filter(team=team).count() == 3


def test_a_class_gets_its_sessions_and_attendance_is_ticked(client, culture_staff, community):
    klass = CultureClassFactory(room__community=community, community=community)
    people = ResidentFactory.create_batch(3, community=community)
    enrolments = [class_enrol(klass=klass, resident=p).seat for p in people]
    client.force_login(culture_staff)
    response = client.post(reverse("services:culture:class_sessions", args=[klass.pk]), series(at(2, 9).date()))
    assert response.status_code == 302 and klass.sessions.count() == 3
    session = klass.sessions.first()
    url = reverse("services:culture:session_attendance", args=[session.pk])
    client.post(url, {"present": [enrolments[0].pk, enrolments[2].pk]})
    assert SessionAttendance.objects.filter(session=session, present=True).count() == 2
    assert people[0].name in client.get(url).content.decode()


@pytest.mark.parametrize("role", [roles.HALL_STAFF, roles.HEALTH_STAFF, roles.RESIDENT])
def test_staff_pages_are_for_culture_staff_only(client, make_user, community, role):
    """Other roles are refused with a 403 (the role lacks the permission); another community's records are 404s."""
    team = TeamFactory(community=community)
    klass = CultureClassFactory(room__community=community, community=community)
    session = class_session_add(klass=klass, starts_at=at(2, 9), ends_at=at(2, 10), by=None)
    client.force_login(make_user(role, community))
    for url in (
        reverse("services:culture:team_weekly", args=[team.pk]),
        reverse("services:culture:class_sessions", args=[klass.pk]),
        reverse("services:culture:session_attendance", args=[session.pk]),
    ):
        assert client.get(url).status_code == 403


def test_another_communitys_class_is_a_404(client, culture_staff, other_community):
    klass = CultureClassFactory(room__community=other_community, community=other_community)
    client.force_login(culture_staff)
    assert client.get(reverse("services:culture:class_sessions", args=[klass.pk])).status_code == 404
    assert not ClassSession.objects.exists()


def test_attendance_page_query_count_does_not_grow(client, culture_staff, community, django_assert_max_num_queries):
    klass = CultureClassFactory(room__community=community, community=community, capacity=50)
    session = class_session_add(klass=klass, starts_at=at(2, 9), ends_at=at(2, 10), by=None)
    client.force_login(culture_staff)
    url = reverse("services:culture:session_attendance", args=[session.pk])
    for p in ResidentFactory.create_batch(2, community=community):
        class_enrol(klass=klass, resident=p)
    with django_assert_max_num_queries(10):
        client.get(url)
    for p in ResidentFactory.create_batch(30, community=community):
        class_enrol(klass=klass, resident=p)
    with django_assert_max_num_queries(10):
        client.get(url)
