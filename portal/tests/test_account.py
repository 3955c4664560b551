"""我的 → account: sessions, change of phone with re-authentication, download of my own data."""

import json

from django.test import Client
from django.urls import reverse

from portal.core import roles
from portal.core.models import Session
from portal.tests.second_step import sign_in


def logged_in_client(user, password, ua="Phone A"):
    client = Client(HTTP_USER_AGENT=ua)
    sign_in(client, user, password)  # staff pass the second step too
    return client


def test_sessions_lists_my_devices_and_ends_the_others(resident_user, password):
    a = logged_in_client(resident_user, password, "Phone A")
    b = logged_in_client(resident_user, password, "Tablet B")
    html = a.get(reverse("portal:sessions")).content.decode()
    assert "Phone A" in html and "Tablet B" in html
    asked = a.get(reverse("portal:sessions_end"))  # asks first, ends nothing
    assert asked.status_code == 200 and 'id="confirm-yes"' in asked.content.decode()
    assert Session.objects.filter(user=resident_user).count() == 2
    a.post(reverse("portal:sessions_end"))
    assert Session.objects.filter(user=resident_user).count() == 1
    # B was logged out; A still works.
    assert b.get(reverse("portal:my")).status_code == 302
    assert a.get(reverse("portal:my")).status_code == 200


def test_i_cannot_end_someone_elses_session(make_user, community, password):
    me = make_user(roles.RESIDENT, community)
    other = make_user(roles.RESIDENT, community)
    mine = logged_in_client(me, password)
    logged_in_client(other, password)
    theirs = Session.objects.get(user=other)
    mine.post(reverse("portal:sessions_end"), {"key": theirs.session_key})
    assert Session.objects.filter(pk=theirs.pk).exists()


def test_password_change_ends_the_other_sessions(resident_user, password):
    a = logged_in_client(resident_user, password)
    b = logged_in_client(resident_user, password)
    response = a.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Another-pass-2026", "new_password2": "Another-pass-2026"},
    )
    assert response.status_code == 302
    assert a.get(reverse("portal:my")).status_code == 200
    assert b.get(reverse("portal:my")).status_code == 302


def test_deactivating_a_user_ends_their_sessions(resident_user, password):
    a = logged_in_client(resident_user, password)
    resident_user.is_active = False
    resident_user.save()
    assert a.get(reverse("portal:my")).status_code == 302


def test_change_phone_needs_the_password(client, resident_user, password, sms_code):
    client.force_login(resident_user)
    code = sms_code(client, reverse("portal:change_phone"), "13700000000")
    data = {"phone": "13700000000", "code": code}
    response = client.post(reverse("portal:change_phone"), {**data, "password": "wrong"})
    assert "password" in response.context["form"].errors
    assert 'value="13700000000"' in response.content.decode()
    response = client.post(reverse("portal:change_phone"), {**data, "password": password})
    assert response.status_code == 302
    resident_user.refresh_from_db()
    assert resident_user.phone == "13700000000"


def test_change_phone_refuses_a_taken_number(client, make_user, community, password):
    me, other = make_user(roles.RESIDENT, community), make_user(roles.RESIDENT, community)
    client.force_login(me)
    client.post(reverse("portal:change_phone"), {"phone": other.phone, "send": "1"})  # it gets a notice, no code
    response = client.post(
        reverse("portal:change_phone"), {"phone": other.phone, "code": "123456", "password": password}
    )
    assert "code" in response.context["form"].errors
    me.refresh_from_db()
    assert me.phone != other.phone


def test_my_data_contains_my_records_and_nobody_elses(client, make_user, community):
    me, other = make_user(roles.RESIDENT, community), make_user(roles.RESIDENT, community)
    client.force_login(me)
    response = client.get(reverse("portal:my_data"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["account"]["phone"] == me.phone
    assert data["residents"]["id_number"] == me.resident.id_number
    text = response.content.decode()
    assert other.phone not in text and other.resident.id_number not in text


def test_staff_sessions_end_after_a_quiet_spell(hall_staff, password, settings):
    import time

    client = logged_in_client(hall_staff, password)
    assert client.get(reverse("portal:my")).status_code == 200
    session = client.session
    session["_last"] = int(time.time()) - settings.STAFF_SESSION_IDLE_SECONDS - 5
    session.save()
    assert client.get(reverse("portal:my")).status_code == 302  # logged out, back to the login page


def test_residents_sessions_do_not_time_out_for_idleness(resident_user, password, settings):
    import time

    client = logged_in_client(resident_user, password)
    session = client.session
    session["_last"] = int(time.time()) - settings.STAFF_SESSION_IDLE_SECONDS - 5
    session.save()
    assert client.get(reverse("portal:my")).status_code == 200


def test_my_page_links_every_record_of_mine(client, resident_user):
    client.force_login(resident_user)
    html = client.get(reverse("portal:my")).content.decode()
    for name in (
        "services:my_bookings",
        "services:my_cases",
        "councils:my_suggestions",
        "volunteers:my_hours",
        "services:health:my_access_log",
        "portal:sessions",
        "portal:my_data",
    ):
        assert f'href="{reverse(name)}"' in html


def test_ending_one_other_session_asks_first_without_putting_its_key_in_a_url(resident_user, password):
    a = logged_in_client(resident_user, password, "Phone A")
    b = logged_in_client(resident_user, password, "Tablet B")
    other = Session.objects.get(user=resident_user, user_agent="Tablet B")
    html = a.get(reverse("portal:sessions")).content.decode()
    assert other.session_key not in html.split("?device=")[1].split('"')[0]
    link = reverse("portal:sessions_end") + "?device=" + html.split("?device=")[1].split('"')[0]
    asked = a.get(link)
    body = asked.content.decode()
    assert asked.status_code == 200 and "Tablet B" in body and 'id="confirm-yes"' in body
    assert Session.objects.filter(user=resident_user).count() == 2
    a.post(reverse("portal:sessions_end"), {"key": other.session_key})
    assert b.get(reverse("portal:my")).status_code == 302 and a.get(reverse("portal:my")).status_code == 200
    gone = a.get(link).content.decode()  # that device is gone: no button any more
    assert 'id="confirm-yes"' not in gone
