"""SMS codes in a browser on a phone (375 px), with the file SMS backend: register with a code, sign in with a
code, reset a forgotten password; the lockout page's way out. The codes are read from the SMS file."""

from __future__ import annotations

import json
import re
import time

import pytest

from portal.core.models import User

pytestmark = pytest.mark.e2e

NUMBER = "13912345601"
PASSWORD = "Qz-garden-2026"  # noqa: S105 - the journey's own account


@pytest.fixture
def sms_file(settings, tmp_path, monkeypatch):
    path = tmp_path / "sms.jsonl"
    monkeypatch.setenv("SMS_FILE", str(path))
    settings.SMS_BACKEND = "portal.core.sms.FileBackend"
    # One browser signs up, in, and resets within a minute from one address: the per-address limit of one send
    # a minute (tests/…/test_sms_codes.py proves it) would stop the journey itself.
    settings.SMS_CODE_PER_MINUTE = 10
    return path


def code_from(path, number: str, after: int) -> str:
    """The code in the newest SMS to `number` beyond the first `after` lines of the file."""
    masked = f"{number[:3]}****{number[-4:]}"
    for _ in range(50):
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        found = [json.loads(line) for line in lines[after:] if masked in line]
        if found:
            return re.search(r"\b(\d{6})\b", found[-1]["text"]).group(1)
        time.sleep(0.1)
    raise AssertionError(f"no SMS to {masked} in {path}")


def lines(path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide on a 375 px phone"


def test_register_sign_in_and_reset_with_codes_on_a_phone(phone, community, sms_file, screenshot, transactional_db):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # Register: the number first, its code, then the rest.
    phone.goto("/register/")
    phone.fill("#id_phone", NUMBER)
    before = lines(sms_file)
    press(phone, "获取验证码")
    assert "验证码已发送" in phone.content() and phone.input_value("#id_phone") == NUMBER
    code = code_from(sms_file, NUMBER, before)
    screenshot(phone, "sms-register-code-sent-phone")
    fits(phone)
    phone.fill("#id_code", code)
    phone.fill("#id_name", "刘芳")
    phone.select_option("#id_community", label=community.name)
    phone.fill("#id_address", "华苑小区 3号楼 2单元 301")
    phone.fill("#id_password1", PASSWORD)
    phone.fill("#id_password2", PASSWORD)
    press(phone, "创建账号")
    phone.wait_for_url("**/my/")
    assert User.objects.filter(phone=NUMBER).exists()

    # Sign in with a code: from the login page's link.
    phone.context.clear_cookies()
    phone.goto("/accounts/login/")
    screenshot(phone, "sms-login-page-phone")
    phone.get_by_role("link", name="短信验证码登录").click()
    phone.fill("#id_phone", NUMBER)
    phone.fill("#id_code", "000000")
    press(phone, "登录")  # no code asked for yet: said next to the code field, the number kept
    assert "获取验证码" in phone.locator("#id_code_error").inner_text()
    assert phone.input_value("#id_phone") == NUMBER
    screenshot(phone, "sms-login-no-code-yet-phone")
    before = lines(sms_file)
    press(phone, "获取验证码")
    code = code_from(sms_file, NUMBER, before)
    phone.fill("#id_code", code)
    screenshot(phone, "sms-login-code-phone")
    fits(phone)
    press(phone, "登录")
    phone.wait_for_url("**/my/")

    # Forgot the password: a code and a new password, then sign in with it.
    phone.context.clear_cookies()
    phone.goto("/accounts/login/")
    phone.get_by_role("link", name="忘记密码").click()
    phone.fill("#id_phone", NUMBER)
    before = lines(sms_file)
    press(phone, "获取验证码")
    code = code_from(sms_file, NUMBER, before)
    phone.fill("#id_code", code)
    phone.fill("#id_new_password1", "Lotus-pond-2026")
    phone.fill("#id_new_password2", "Lotus-pond-2026")
    screenshot(phone, "sms-reset-phone")
    fits(phone)
    press(phone, "设置新密码")
    phone.wait_for_url("**/accounts/login/")
    assert "密码已重设" in phone.content()
    phone.fill("#id_username", NUMBER)
    phone.fill("#id_password", "Lotus-pond-2026")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/my/")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_wrong_passwords_warn_then_the_lockout_page_offers_a_code(
    phone, resident_user, sms_file, screenshot, transactional_db
):
    phone.goto("/accounts/login/")
    for n in range(5):
        phone.fill("#id_username", resident_user.phone)
        phone.fill("#id_password", "wrong-password")
        phone.locator("main form button[type=submit]").click()
        phone.wait_for_load_state()
        if n == 0:
            assert "再错 4 次" in phone.locator("#id_password_error").inner_text()
            screenshot(phone, "sms-login-tries-left-phone")
    assert "短信验证码登录" in phone.content()
    screenshot(phone, "sms-lockout-phone")
    fits(phone)
    phone.get_by_role("link", name="短信验证码登录").click()
    phone.fill("#id_phone", resident_user.phone)
    before = lines(sms_file)
    press(phone, "获取验证码")
    phone.fill("#id_code", code_from(sms_file, resident_user.phone, before))
    press(phone, "登录")
    phone.wait_for_url("**/my/")


def test_the_code_sign_in_page_at_1280(desktop, transactional_db, screenshot):
    desktop.goto("/accounts/login/code/")
    screenshot(desktop, "sms-login-code-desktop")
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_code_pages_have_no_serious_accessibility_violations(browser, live_server, community, transactional_db):
    from tests.e2e.test_accessibility import audit

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, bypass_csp=True, locale="zh-CN"
    )
    page = context.new_page()
    try:
        problems = {}
        for url in ("/accounts/login/code/", "/accounts/password/reset/", "/register/"):
            page.goto(url)
            page.fill("#id_phone", "123")
            page.get_by_role("button", name="获取验证码").click()  # the page with an error next to the number
            page.wait_for_load_state()
            found = audit(page)
            if found:
                problems[url] = found
        assert problems == {}
    finally:
        context.close()
