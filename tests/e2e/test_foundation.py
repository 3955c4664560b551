"""A resident on a phone: register, see the pending notice, log out and back in; no console errors (CSP)."""

import re

import pytest

from portal.core.models import User
from portal.core.sms import MemoryBackend
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_resident_registers_and_logs_in_on_a_phone(phone, community, screenshot, transactional_db):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    phone.goto("/")
    assert community.name in phone.content()
    screenshot(phone, "home-phone")

    phone.goto("/register/")
    phone.fill("#id_phone", "13912340000")
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_load_state()
    code = re.search(r"\b(\d{6})\b", MemoryBackend.outbox[-1]["text"]).group(1)
    phone.fill("#id_code", code)
    phone.fill("#id_name", "刘芳")
    phone.select_option("#id_community", label=community.name)
    phone.fill("#id_address", "华苑小区 3号楼 2单元 301")
    phone.fill("#id_password1", "Qz-garden-2026")
    phone.fill("#id_password2", "Qz-garden-2026")
    phone.get_by_role("button", name="创建账号").click()
    phone.wait_for_url("**/my/")
    assert "等待社区" in phone.content()
    screenshot(phone, "my-pending-phone")
    assert User.objects.filter(phone="13912340000").exists()

    # Log out from the collapsed menu, log back in.
    phone.get_by_role("button", name="打开菜单").click()
    phone.get_by_role("button", name="退出").click()
    login(phone, "13912340000", "Qz-garden-2026")
    assert "/my/" in phone.url
    assert not [e for e in errors if "Content Security Policy" in e], errors
