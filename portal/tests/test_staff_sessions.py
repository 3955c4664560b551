"""Staff see their previous sign-in (time and address) on every staff page; the district administrator sees every
live staff session and can end any; idle staff sessions end after 30 minutes."""

import time

from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal.core import roles
from portal.core.models import AuditLog, Session, User
from portal.tests import second_step


def sign_in(phone, password, ip):
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=f"Browser from {ip}")
    second_step.sign_in(client, User.objects.get(phone=phone), password)
    return client


def test_staff_pages_show_the_previous_sign_in(make_user, community, password):
    staff = make_user(roles.HALL_STAFF, community)
    sign_in(staff.phone, password, "10.0.0.5")
    client = sign_in(staff.phone, password, "10.0.0.9")
    staff.refresh_from_db()
    assert (staff.previous_sign_in_from, staff.signed_in_from) == ("10.0.0.5", "10.0.0.9")
    assert staff.previous_sign_in_at <= staff.signed_in_at
    for url in (reverse("portal:workbench"), reverse("admin:index")):
        page = client.get(url).content.decode()
        assert "10.0.0.5" in page and "上次登录" in page, url


def test_the_district_administrator_sees_and_ends_a_staff_session(make_user, community, password):
    staff = make_user(roles.HALL_STAFF, community)
    district = make_user(roles.DISTRICT_ADMIN, None)
    staff_client = sign_in(staff.phone, password, "10.0.0.7")
    admin_client = sign_in(district.phone, password, "10.0.0.1")
    page = admin_client.get(reverse("portal:staff_sessions"))
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r.user_id == staff.pk)
    assert "10.0.0.7" in page.content.decode()
    end = reverse("portal:staff_session_end", args=[row.device])
    assert admin_client.get(end).status_code == 200  # asks first: nothing ended yet
    assert Session.objects.filter(user=staff).exists()
    assert admin_client.post(end).status_code == 302
    assert not Session.objects.filter(user=staff).exists()
    assert AuditLog.objects.filter(action="staff_session_end", actor=district).exists()
    assert staff_client.get(reverse("portal:workbench")).status_code == 302  # signed out: to the login page
    assert admin_client.post(end).status_code == 404  # already ended
    assert admin_client.post(reverse("portal:staff_session_end", args=["nonsense"])).status_code == 404


def test_only_the_district_administrator_may_see_staff_sessions(make_user, community, password):
    staff = make_user(roles.COMMITTEE_DIRECTOR, community)
    client = sign_in(staff.phone, password, "10.0.0.8")
    assert client.get(reverse("portal:staff_sessions")).status_code == 403
    resident = User.objects.get(pk=make_user(roles.RESIDENT, community).pk)
    client = sign_in(resident.phone, password, "10.0.0.3")
    assert client.get(reverse("portal:staff_sessions")).status_code in (302, 403)


def test_idle_staff_sessions_end_after_30_minutes(make_user, community, password):
    assert settings.STAFF_SESSION_IDLE_SECONDS == 30 * 60
    staff = make_user(roles.HALL_STAFF, community)
    client = sign_in(staff.phone, password, "10.0.0.4")
    session = client.session
    session["_last"] = int(time.time()) - 31 * 60
    session.save()
    assert client.get(reverse("portal:workbench")).status_code == 302
