"""Staff sign in with two factors, in chromium on a phone (375 px) with the file SMS backend: the password and an SMS
code; setting up an authenticator app from its QR code's key; the password and the app's code. A resident is never
asked for a second step. The district administrator's list of staff second factors at 1280 px."""

from __future__ import annotations

import pyotp
import pytest
from django.utils import timezone

from portal.core import roles, second_factor
from tests.e2e.conftest import login
from tests.e2e.test_sms_codes import code_from, fits, lines, press

pytestmark = pytest.mark.e2e


@pytest.fixture
def sms_file(settings, tmp_path, monkeypatch):
    path = tmp_path / "sms.jsonl"
    monkeypatch.setenv("SMS_FILE", str(path))
    settings.SMS_BACKEND = "portal.core.sms.FileBackend"
    return path


def password_step(page, user, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.phone)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_staff_sign_in_with_an_sms_code_then_set_up_and_use_an_authenticator_app(
    phone, make_user, community, password, sms_file, screenshot, transactional_db
):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    staff = make_user(roles.HALL_STAFF, community)

    # The password, then the second step: an SMS code to the account's number.
    password_step(phone, staff, password)
    phone.wait_for_url("**/accounts/login/second/")
    assert "第二步验证" in phone.content()
    phone.goto("/work/")
    assert phone.url.split("?")[0].endswith("/accounts/login/")  # nothing is open half-way
    phone.goto("/accounts/login/second/")
    screenshot(phone, "second-step-sms-phone")
    fits(phone)
    before = lines(sms_file)
    press(phone, "获取验证码")
    assert "验证码已发送" in phone.content()
    phone.fill("#id_code", "000000")
    press(phone, "确认并登录")
    assert "还可以再试 4 次" in phone.locator("#id_code_error").inner_text()
    screenshot(phone, "second-step-wrong-code-phone")
    fits(phone)
    phone.fill("#id_code", code_from(sms_file, staff.phone, before))
    press(phone, "确认并登录")
    phone.wait_for_url("**/work/")
    assert "身份验证器" in phone.content()  # the nudge to set up an app

    # 我的 → 两步验证: scan the QR code (here: read the key under it), confirm with a code.
    phone.goto("/my/")
    phone.locator("#second-factor-link").click()
    phone.wait_for_url("**/my/second-factor/")
    assert phone.locator("img[src^='data:image/svg+xml']").count() == 1
    screenshot(phone, "second-factor-setup-phone")
    fits(phone)
    key = phone.locator("#totp-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    phone.fill("#id_code", totp.now())
    press(phone, "确认启用")
    codes = phone.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    screenshot(phone, "second-factor-recovery-codes-phone")
    fits(phone)
    phone.get_by_role("link", name="我已保存好").click()
    phone.wait_for_url("**/my/second-factor/")
    assert key[:8] not in phone.content()  # never shown again

    # Sign in again: the password, then the app's code (the next one: the code used to confirm is spent).
    phone.context.clear_cookies()
    password_step(phone, staff, password)
    phone.wait_for_url("**/accounts/login/second/")
    assert phone.locator("input[name=method]").input_value() == "totp"
    screenshot(phone, "second-step-app-phone")
    fits(phone)
    phone.fill("#id_code", totp.generate_otp(totp.timecode(timezone.now()) + 1))
    press(phone, "确认并登录")
    phone.wait_for_url("**/work/")
    assert second_factor.has_totp(staff)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_resident_is_never_asked_for_a_second_step(phone, resident_user, password, transactional_db):
    login(phone, resident_user.phone, password)
    phone.wait_for_url("**/my/")
    assert "/accounts/login/second/" not in phone.url


def test_the_district_list_of_staff_second_factors(
    desktop, make_user, community, password, screenshot, transactional_db
):
    make_user(roles.HALL_STAFF, community)
    district = make_user(roles.DISTRICT_ADMIN, None)
    login(desktop, district.phone, password)  # the shared helper passes the second step with the app
    desktop.goto("/district/second-factor/")
    assert "工作人员两步验证" in desktop.content()
    screenshot(desktop, "second-factor-staff-desktop")
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280
    desktop.get_by_role("link", name="重置").first.click()
    press(desktop, "确定重置")
    assert "已重置" in desktop.content()


def test_the_second_step_pages_have_no_serious_accessibility_violations(
    browser, live_server, make_user, community, password, transactional_db
):
    from tests.e2e.test_accessibility import audit

    staff = make_user(roles.HALL_STAFF, community)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, bypass_csp=True, locale="zh-CN"
    )
    page = context.new_page()
    try:
        problems = {}
        password_step(page, staff, password)
        for method in ("sms", "recovery"):
            page.goto(f"/accounts/login/second/?method={method}")
            page.fill("#id_code", "12")
            press(page, "确认并登录")  # the page with an error next to the code
            found = audit(page)
            if found:
                problems[method] = found
        login(page, staff.phone, password)
        page.goto("/my/second-factor/")
        found = audit(page)
        if found:
            problems["/my/second-factor/"] = found
        assert problems == {}
    finally:
        context.close()
