"""Staff sign in with two factors (等保 2.0 level 3): the password or an SMS code, then a second factor; residents
never see a second step. The rules (portal.core.second_factor), the pages, and the abuse they refuse."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core import roles, second_factor
from portal.core.models import AuditLog, PhoneCode, RecoveryCode, SecondFactor
from portal.core.sms import MemoryBackend
from portal.site.views.second_step import PENDING
from portal.tests.second_step import second_code, set_up_app, sign_in

SECOND = "/accounts/login/second/"


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()
    yield
    MemoryBackend.outbox.clear()


def sent_code(phone: str) -> str:
    texts = [m["text"] for m in MemoryBackend.outbox if m["phone"] == phone]
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def password_step(client, user, password, **extra):
    response = client.post(reverse("login"), {"username": user.phone, "password": password}, **extra)
    assert response.status_code == 302, response.content[:300]
    return response


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_of(secret: str, steps_from_now: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(timezone.now()) + steps_from_now)


# --- who is asked ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", roles.STAFF_ROLES)
def test_every_staff_role_is_asked_for_a_second_factor_after_the_password(client, make_user, community, role, password):
    user = make_user(role, None if role == roles.DISTRICT_ADMIN else community)
    assert user.is_staff
    response = password_step(client, user, password)
    assert response["Location"] == SECOND
    assert not is_signed_in(client)
    assert client.session[PENDING]["user"] == user.pk


@pytest.mark.parametrize("role", [roles.RESIDENT, roles.VOLUNTEER])
def test_a_resident_is_never_asked_for_a_second_factor(client, make_user, community, role, password):
    user = make_user(role, community)
    response = password_step(client, user, password)
    assert response["Location"] != SECOND and is_signed_in(client)
    assert client.get(SECOND).status_code == 302  # nothing to do there


def test_a_resident_signing_in_by_sms_code_is_signed_in_at_once(
    client, resident_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login_code"), {"phone": resident_user.phone, "send": "1"})
    response = client.post(
        reverse("login_code"), {"phone": resident_user.phone, "code": sent_code(resident_user.phone)}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:my")
    assert is_signed_in(client)


# --- between the two steps -------------------------------------------------------------------------------


def test_nothing_is_open_between_the_first_and_the_second_step(client, district_admin, hall_staff, password):
    for user in (hall_staff, district_admin):
        client = Client()
        password_step(client, user, password)
        for url in (
            reverse("portal:workbench"),
            reverse("portal:district"),
            reverse("portal:staff_sessions"),
            reverse("portal:my_data"),
            reverse("portal:second_factor"),
            reverse("admin:index"),
            "/admin/residents/resident/",
            "/admin/portal/user/",
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(("/accounts/login/", "/admin/login/")), url
        assert client.post("/admin/portal/user/", {}).status_code == 302
        assert not is_signed_in(client)


def test_the_admin_login_is_the_portals_two_step_sign_in(client, hall_staff, password):
    response = client.get("/admin/login/?next=/admin/services/case/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    # The admin's own form takes nobody in: a POST with the right password only sends to the portal's page.
    posted = client.post("/admin/login/", {"username": hall_staff.phone, "password": password})
    assert posted.status_code == 302 and not is_signed_in(client)
    # Through the portal's page, with both steps, the admin opens; `next` is kept across the second step.
    first = client.post(
        reverse("login") + "?next=/admin/services/case/", {"username": hall_staff.phone, "password": password}
    )
    assert first["Location"] == SECOND
    method, code = second_code(hall_staff)
    done = client.post(SECOND, {"method": method, "code": code})
    assert done["Location"] == "/admin/services/case/"
    assert client.get("/admin/services/case/").status_code == 200
    assert client.get("/admin/login/")["Location"] == reverse("admin:index")


def test_a_signed_in_resident_is_refused_at_the_admin_login(client, resident_user):
    client.force_login(resident_user)
    assert client.get("/admin/login/").status_code == 403


def test_the_half_way_sign_in_expires_after_ten_minutes(client, hall_staff, password):
    password_step(client, hall_staff, password)
    session = client.session
    session[PENDING] = {**session[PENDING], "at": session[PENDING]["at"] - 601}
    session.save()
    response = client.get(SECOND)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert PENDING not in client.session


# --- password, then an SMS code ---------------------------------------------------------------------------


def test_staff_sign_in_with_password_and_sms_code(client, hall_staff, password, django_capture_on_commit_callbacks):
    password_step(client, hall_staff, password, REMOTE_ADDR="10.2.0.1")
    page = client.get(SECOND + "?method=sms").content.decode()
    assert "第二步验证" in page and hall_staff.phone not in page and f"{hall_staff.phone[-4:]}" in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(SECOND, {"method": "sms", "send": "1"}, REMOTE_ADDR="10.2.0.1")
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    row = PhoneCode.objects.get(phone=hall_staff.phone)
    assert row.purpose == PhoneCode.Purpose.SECOND_STEP and row.sent
    response = client.post(SECOND, {"method": "sms", "code": sent_code(hall_staff.phone)}, REMOTE_ADDR="10.2.0.1")
    assert response.status_code == 302 and response["Location"] == reverse("portal:workbench")
    assert is_signed_in(client) and PENDING not in client.session
    hall_staff.refresh_from_db()
    assert hall_staff.signed_in_from == "10.2.0.1"
    assert client.get(reverse("portal:workbench")).status_code == 200


def test_a_second_step_sms_code_does_not_sign_in_on_the_code_page(
    client, hall_staff, password, django_capture_on_commit_callbacks
):
    password_step(client, hall_staff, password)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SECOND, {"method": "sms", "send": "1"})
    other = Client()
    response = other.post(reverse("login_code"), {"phone": hall_staff.phone, "code": sent_code(hall_staff.phone)})
    assert response.status_code == 200 and not is_signed_in(other)


# --- an SMS code, then the password ----------------------------------------------------------------------


def test_staff_signing_in_by_sms_code_must_still_give_the_password(
    client, hall_staff, password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login_code"), {"phone": hall_staff.phone, "send": "1"})
    response = client.post(reverse("login_code"), {"phone": hall_staff.phone, "code": sent_code(hall_staff.phone)})
    assert response["Location"] == SECOND and not is_signed_in(client)
    page = client.get(SECOND)
    assert page.context["method"] == "password"
    assert [name for name, _label in page.context["others"]] == []  # no second SMS, no recovery code after a code
    # Asking for the SMS way anyway gets the password form.
    assert client.get(SECOND + "?method=sms").context["method"] == "password"
    wrong = client.post(SECOND, {"method": "password", "password": "not-the-password"})
    assert wrong.status_code == 200 and not is_signed_in(client)
    assert "密码不正确" in wrong.content.decode()
    right = client.post(SECOND, {"method": "password", "password": password})
    assert right.status_code == 302 and is_signed_in(client)


def test_after_an_sms_code_the_authenticator_app_is_offered_too(client, hall_staff, django_capture_on_commit_callbacks):
    secret = set_up_app(hall_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login_code"), {"phone": hall_staff.phone, "send": "1"})
    client.post(reverse("login_code"), {"phone": hall_staff.phone, "code": sent_code(hall_staff.phone)})
    page = client.get(SECOND)
    assert page.context["method"] == "totp"
    assert [name for name, _label in page.context["others"]] == ["password"]
    assert client.post(SECOND, {"method": "totp", "code": code_of(secret)}).status_code == 302
    assert is_signed_in(client)


# --- the authenticator app --------------------------------------------------------------------------------


def test_staff_set_up_the_app_with_a_qr_code_and_the_key_is_never_shown_again(client, hall_staff):
    client.force_login(hall_staff)
    page = client.get(reverse("portal:second_factor"))
    html = page.content.decode()
    assert page.status_code == 200 and "data:image/svg+xml;base64," in html
    secret = client.session["_totp_setup"]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    wrong = client.post(reverse("portal:second_factor"), {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 200 and not second_factor.has_totp(hall_staff)
    done = client.post(reverse("portal:second_factor"), {"action": "confirm", "code": code_of(secret)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    row = SecondFactor.objects.get(user=hall_staff)
    assert row.has_totp and secret not in row.totp_secret and second_factor.decrypt(row.totp_secret) == secret
    assert all(code.replace("-", "") not in r.code_hash for code in codes for r in RecoveryCode.objects.all())
    again = client.get(reverse("portal:second_factor")).content.decode()
    assert secret[:4] not in again and "data:image" not in again and codes[0] not in again
    assert AuditLog.objects.filter(action="second_factor_totp_set", object_id=str(hall_staff.pk)).exists()


def test_a_resident_has_no_second_factor_page(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("portal:second_factor"))["Location"] == reverse("portal:my")


def test_staff_sign_in_with_the_app_and_the_same_code_is_refused_twice(client, hall_staff, password):
    secret = set_up_app(hall_staff)
    password_step(client, hall_staff, password)
    assert client.get(SECOND).context["method"] == "totp"  # the app first, once it is set up
    code = code_of(secret)
    assert client.post(SECOND, {"method": "totp", "code": code}).status_code == 302
    replay = Client()
    password_step(replay, hall_staff, password)
    response = replay.post(SECOND, {"method": "totp", "code": code})
    assert response.status_code == 200 and not is_signed_in(replay)
    assert "已经用过" in response.content.decode()
    # An older step than the last used is refused too.
    assert replay.post(SECOND, {"method": "totp", "code": code_of(secret, -1)}).status_code == 200


def test_codes_are_compared_in_constant_time(monkeypatch, hall_staff):
    secret = set_up_app(hall_staff)
    calls = []
    real = second_factor.constant_time_compare
    monkeypatch.setattr(second_factor, "constant_time_compare", lambda a, b: calls.append(1) or real(a, b))
    assert second_factor.check_totp(hall_staff, code_of(secret)) is None
    assert len(calls) == 3  # every step of the window, not only until a match


# --- wrong tries ------------------------------------------------------------------------------------------


def test_wrong_app_codes_are_refused_and_pause_the_second_step(client, hall_staff, password, settings):
    secret = set_up_app(hall_staff)
    password_step(client, hall_staff, password)
    good = code_of(secret)
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        page = client.post(SECOND, {"method": "totp", "code": wrong}).content.decode()
        assert f"还可以再试 {left} 次" in page
    locked = client.post(SECOND, {"method": "totp", "code": wrong}).content.decode()
    assert "暂停" in locked
    # The right code, a recovery code and an SMS are all refused while paused.
    assert client.post(SECOND, {"method": "totp", "code": good}).status_code == 200
    assert not is_signed_in(client)
    codes = second_factor.issue_recovery_codes(hall_staff)
    assert client.post(SECOND, {"method": "recovery", "code": codes[0]}).status_code == 200
    assert client.post(SECOND, {"method": "sms", "send": "1"}).status_code == 200
    assert not PhoneCode.objects.filter(phone=hall_staff.phone).exists()
    assert not is_signed_in(client)
    # Fifteen minutes later it works again.
    SecondFactor.objects.filter(user=hall_staff).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert client.post(SECOND, {"method": "totp", "code": code_of(secret, 1)}).status_code == 302


def test_wrong_sms_codes_count_towards_the_pause(client, hall_staff, password, django_capture_on_commit_callbacks):
    password_step(client, hall_staff, password)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SECOND, {"method": "sms", "send": "1"})
    good = sent_code(hall_staff.phone)
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    for _ in range(5):
        client.post(SECOND, {"method": "sms", "code": wrong})
    response = client.post(SECOND, {"method": "sms", "code": good})
    assert response.status_code == 200 and not is_signed_in(client)
    assert SecondFactor.objects.get(user=hall_staff).locked_until > timezone.now()


def test_wrong_passwords_at_the_second_step_count_too(client, hall_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login_code"), {"phone": hall_staff.phone, "send": "1"})
    client.post(reverse("login_code"), {"phone": hall_staff.phone, "code": sent_code(hall_staff.phone)})
    for _ in range(5):
        client.post(SECOND, {"method": "password", "password": "wrong-password-1"})
    assert SecondFactor.objects.get(user=hall_staff).locked_until > timezone.now()


# --- recovery codes ---------------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client, hall_staff, password):
    codes = second_factor.issue_recovery_codes(hall_staff)
    password_step(client, hall_staff, password)
    response = client.post(SECOND, {"method": "recovery", "code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302 and is_signed_in(client)
    again = Client()
    password_step(again, hall_staff, password)
    assert again.post(SECOND, {"method": "recovery", "code": codes[3]}).status_code == 200
    assert not is_signed_in(again)
    assert second_factor.recovery_codes_left(hall_staff) == 9
    assert AuditLog.objects.filter(action="second_factor_recovery_used").count() == 1


def test_new_recovery_codes_end_the_old_ones(client, hall_staff):
    old = second_factor.issue_recovery_codes(hall_staff)
    client.force_login(hall_staff)
    new = client.post(reverse("portal:second_factor"), {"action": "recovery"}).context["codes"]
    assert second_factor.check_recovery_code(hall_staff, old[0]) is not None
    assert second_factor.check_recovery_code(hall_staff, new[0]) is None


# --- the district administrator's reset -------------------------------------------------------------------


def test_the_district_administrator_resets_a_staff_members_second_factor(client, district_admin, hall_staff):
    set_up_app(hall_staff)
    second_factor.issue_recovery_codes(hall_staff)
    client.force_login(district_admin)
    listing = client.get(reverse("portal:second_factor_staff"))
    assert listing.status_code == 200
    row = next(r for r in listing.context["page"] if r.pk == hall_staff.pk)
    assert row.has_app and row.codes_left == 10
    url = reverse("portal:second_factor_reset", args=[hall_staff.pk])
    asked = client.get(url)
    assert asked.status_code == 200 and 'id="confirm-yes"' in asked.content.decode()
    assert second_factor.has_totp(hall_staff)  # a GET changes nothing
    assert client.post(url).status_code == 302
    assert not second_factor.has_totp(hall_staff) and not RecoveryCode.objects.filter(user=hall_staff).exists()
    log = AuditLog.objects.get(action="second_factor_reset")
    assert log.actor == district_admin and log.object_id == str(hall_staff.pk)


def test_only_the_district_administrator_resets(client, hall_staff, make_user, community, resident_user):
    director = make_user(roles.COMMITTEE_DIRECTOR, community)
    url = reverse("portal:second_factor_reset", args=[hall_staff.pk])
    for who in (hall_staff, director):
        client.force_login(who)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        assert client.get(reverse("portal:second_factor_staff")).status_code == 403
    client.force_login(resident_user)
    assert client.post(url).status_code == 403


def test_a_reset_only_names_staff(client, district_admin, resident_user):
    client.force_login(district_admin)
    assert client.get(reverse("portal:second_factor_reset", args=[resident_user.pk])).status_code == 404


# --- the shared helper ------------------------------------------------------------------------------------


def test_the_test_helper_signs_staff_in_through_both_steps(hall_staff, password):
    for _ in range(4):  # more sign-ins than the app has unused steps: the helper falls back to recovery codes
        client = Client()
        assert sign_in(client, hall_staff, password)["Location"] == reverse("portal:workbench")
        assert is_signed_in(client)
