"""SMS one-time codes: the rules of portal.core.codes, the pages that use them, and the abuse they refuse."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from portal.core import codes
from portal.core.models import PhoneCode, Session, User
from portal.core.sms import MemoryBackend

UNKNOWN = "13700001111"


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()
    yield
    MemoryBackend.outbox.clear()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send(phone, purpose, ip) → the refusal or None, with the SMS delivered (after commit) to the outbox."""

    def ask(phone, purpose=PhoneCode.Purpose.LOGIN, ip="10.1.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return codes.request_code(phone=phone, purpose=purpose, ip=ip)

    return ask


def sent_code(phone: str) -> str:
    texts = [m["text"] for m in MemoryBackend.outbox if m["phone"] == phone]
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def age(phone: str, seconds: int) -> None:
    """Make every code of `phone` `seconds` older (as if that much time had passed)."""
    for row in PhoneCode.objects.filter(phone=phone):
        PhoneCode.objects.filter(pk=row.pk).update(
            created_at=row.created_at - dt.timedelta(seconds=seconds),
            expires_at=row.expires_at - dt.timedelta(seconds=seconds),
        )


# --- the rules ------------------------------------------------------------------------------------------


def test_a_code_is_six_digits_stored_only_as_a_keyed_hash(resident_user, send):
    assert send(resident_user.phone) is None
    code = sent_code(resident_user.phone)
    row = PhoneCode.objects.get(phone=resident_user.phone)
    assert re.fullmatch(r"\d{6}", code)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert row.code_hash == codes.code_hash(row, code)
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)
    assert "5分钟" in MemoryBackend.outbox[-1]["text"]  # the SMS is in Chinese


def test_a_code_is_accepted_once(resident_user, send):
    send(resident_user.phone)
    code = sent_code(resident_user.phone)
    assert codes.check_code(phone=resident_user.phone, purpose="login", code=code) is None
    again = codes.check_code(phone=resident_user.phone, purpose="login", code=code)
    assert again.reason == "used" and "已使用" in str(again.message)


def test_a_code_expires_after_five_minutes(resident_user, send):
    send(resident_user.phone)
    code = sent_code(resident_user.phone)
    age(resident_user.phone, 301)
    refusal = codes.check_code(phone=resident_user.phone, purpose="login", code=code)
    assert refusal.reason == "expired" and "过期" in str(refusal.message)


def test_a_code_is_for_its_purpose_only(resident_user, send):
    send(resident_user.phone, PhoneCode.Purpose.RESET)
    code = sent_code(resident_user.phone)
    assert codes.check_code(phone=resident_user.phone, purpose="login", code=code).reason == "none"
    assert codes.check_code(phone=resident_user.phone, purpose="reset", code=code) is None


def test_only_the_latest_code_counts(resident_user, send):
    send(resident_user.phone)
    first = sent_code(resident_user.phone)
    age(resident_user.phone, 61)
    send(resident_user.phone)
    latest = sent_code(resident_user.phone)
    if first != latest:
        assert codes.check_code(phone=resident_user.phone, purpose="login", code=first).reason == "wrong"
    assert codes.check_code(phone=resident_user.phone, purpose="login", code=latest) is None


def test_the_code_is_compared_in_constant_time(monkeypatch, resident_user, send):
    seen = []
    real = codes.constant_time_compare
    monkeypatch.setattr(codes, "constant_time_compare", lambda a, b: seen.append((a, b)) or real(a, b))
    send(resident_user.phone)
    codes.check_code(phone=resident_user.phone, purpose="login", code="000000")
    assert seen


def test_one_send_a_minute_per_number(resident_user, send):
    assert send(resident_user.phone) is None
    refusal = send(resident_user.phone, ip="10.9.9.9")
    assert refusal.reason == "phone_minute" and refusal.field == "phone"
    assert re.search(r"\d+ 秒", str(refusal.message))
    age(resident_user.phone, 61)
    assert send(resident_user.phone, ip="10.9.9.9") is None
    assert len(MemoryBackend.outbox) == 2


def test_ten_sends_a_day_per_number(resident_user, send):
    for n in range(10):
        assert send(resident_user.phone, ip=f"10.2.0.{n}") is None, n
        age(resident_user.phone, 61)
    refusal = send(resident_user.phone, ip="10.3.0.1")
    assert refusal.reason == "phone_day" and "10" in str(refusal.message) and "明天" in str(refusal.message)
    age(resident_user.phone, 24 * 3600)
    assert send(resident_user.phone, ip="10.3.0.1") is None


def test_one_send_a_minute_and_ten_a_day_per_address(db, send):
    assert send("13800000001", ip="10.4.0.1") is None
    refusal = send("13800000002", ip="10.4.0.1")
    assert refusal.reason == "ip_minute" and "网络" in str(refusal.message)
    for n in range(2, 11):
        PhoneCode.objects.filter(ip="10.4.0.1").update(created_at=timezone.now() - dt.timedelta(minutes=2))
        assert send(f"138000001{n:02d}", ip="10.4.0.1") is None, n
    PhoneCode.objects.filter(ip="10.4.0.1").update(created_at=timezone.now() - dt.timedelta(minutes=2))
    refusal = send("13800000999", ip="10.4.0.1")
    assert refusal.reason == "ip_day"
    assert PhoneCode.objects.filter(ip="10.4.0.1").count() == 10


def test_wrong_tries_are_limited_per_code(resident_user, send):
    send(resident_user.phone)
    code = sent_code(resident_user.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    messages = [codes.check_code(phone=resident_user.phone, purpose="login", code=wrong) for _ in range(5)]
    assert [m.reason for m in messages] == ["wrong", "wrong", "wrong", "wrong", "tries"]
    assert "还可以再试 4 次" in str(messages[0].message)
    # The right code no longer helps: the code is spent.
    assert codes.check_code(phone=resident_user.phone, purpose="login", code=code).reason == "tries"


# --- enumeration ------------------------------------------------------------------------------------


def test_an_unknown_number_gets_the_same_answer_and_no_sms(resident_user, send):
    assert send(resident_user.phone) is None
    assert send(UNKNOWN, ip="10.1.0.2") is None
    assert [m["phone"] for m in MemoryBackend.outbox] == [resident_user.phone]
    assert PhoneCode.objects.filter(phone=UNKNOWN, sent=False).count() == 1
    refusal = codes.check_code(phone=UNKNOWN, purpose="login", code="123456")
    assert refusal.reason == "wrong"  # as for a known number with a wrong code


def test_registration_code_to_a_registered_number_is_a_notice_not_a_code(resident_user, send):
    assert send(resident_user.phone, PhoneCode.Purpose.REGISTER) is None
    text = MemoryBackend.outbox[-1]["text"]
    assert "已有账号" in text and not re.search(r"\b\d{6}\b", text)


def test_the_pages_answer_known_and_unknown_numbers_alike(client, resident_user, django_capture_on_commit_callbacks):
    def page(phone, ip):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("login_code"), {"phone": phone, "send": "1"}, REMOTE_ADDR=ip)
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        html = re.sub(r"nonce-[^'\"]+|nonce=\"[^\"]+\"", "", html)
        return response.status_code, html.replace(phone, "PHONE").replace(f"{phone[:3]}****{phone[-4:]}", "MASKED")

    assert page(resident_user.phone, "10.5.0.1") == page(UNKNOWN, "10.5.0.2")
    known = client.post(reverse("login_code"), {"phone": resident_user.phone, "code": "000000"}, REMOTE_ADDR="10.5.0.3")
    unknown = client.post(reverse("login_code"), {"phone": UNKNOWN, "code": "000000"}, REMOTE_ADDR="10.5.0.3")
    assert known.context["form"].errors == unknown.context["form"].errors


def test_known_and_unknown_numbers_take_similar_time(client, resident_user, django_capture_on_commit_callbacks):
    def timed(phone, n):
        PhoneCode.objects.all().delete()
        start = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("password_reset_code"), {"phone": phone, "send": "1"}, REMOTE_ADDR=f"10.6.0.{n}")
        return time.perf_counter() - start

    for n in range(2):  # warm up: templates, catalogues, connections
        timed(resident_user.phone, n), timed(UNKNOWN, n)
    known, unknown = [], []
    for n in range(11):  # interleaved, so that the machine's other load falls on both alike
        known.append(timed(resident_user.phone, n))
        unknown.append(timed(UNKNOWN, n))
    known, unknown = statistics.median(known), statistics.median(unknown)
    assert abs(known - unknown) < max(0.03, 0.5 * min(known, unknown)), (known, unknown)


# --- the pages ----------------------------------------------------------------------------------------


def test_sign_in_with_a_code(client, resident_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("login_code"), {"phone": resident_user.phone, "send": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "验证码已发送" in html and resident_user.phone in html
    response = client.post(
        reverse("login_code"), {"phone": resident_user.phone, "code": sent_code(resident_user.phone)}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == resident_user.pk


def test_a_wrong_code_keeps_the_number_and_says_why_in_chinese(client, resident_user, send):
    send(resident_user.phone, ip="127.0.0.1")
    response = client.post(reverse("login_code"), {"phone": resident_user.phone, "code": "12345"})
    html = response.content.decode()
    assert response.status_code == 200 and f'value="{resident_user.phone}"' in html
    assert "6位数字" in str(response.context["form"].errors["code"])
    response = client.post(reverse("login_code"), {"phone": resident_user.phone, "code": "abcdef"})
    assert "id_code_error" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_refused_send_says_why_next_to_the_number(client, resident_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login_code"), {"phone": resident_user.phone, "send": "1"})
        response = client.post(reverse("login_code"), {"phone": resident_user.phone, "send": "1"})
    html = response.content.decode()
    assert "秒后" in str(response.context["form"].errors["phone"]) and "id_phone_error" in html
    assert f'value="{resident_user.phone}"' in html
    response = client.post(reverse("login_code"), {"phone": "1380013", "send": "1"})
    assert "11" in str(response.context["form"].errors["phone"])
    assert len(MemoryBackend.outbox) == 1


def test_password_reset_by_code(client, resident_user, password, django_capture_on_commit_callbacks):
    other = Client_logged_in(resident_user, password)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset_code"), {"phone": resident_user.phone, "send": "1"})
    data = {
        "phone": resident_user.phone,
        "code": sent_code(resident_user.phone),
        "new_password1": "Lotus-pond-2026",
        "new_password2": "Lotus-pond-2026",
    }
    weak = client.post(
        reverse("password_reset_code"), {**data, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert "new_password1" in weak.context["form"].errors
    assert PhoneCode.objects.get(phone=resident_user.phone).used_at is None  # a weak password does not spend the code
    response = client.post(reverse("password_reset_code"), data)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    resident_user.refresh_from_db()
    assert check_password("Lotus-pond-2026", resident_user.password)
    assert not Session.objects.filter(user=resident_user).exists()  # every other session ended
    assert other.get(reverse("portal:my")).status_code == 302


def Client_logged_in(user, password):  # noqa: N802 - reads as a noun
    from django.test import Client

    other = Client()
    assert other.post(reverse("login"), {"username": user.phone, "password": password}).status_code == 302
    return other


def test_the_login_page_links_to_code_sign_in_and_forgotten_password(client, db):
    html = client.get(reverse("login")).content.decode()
    assert reverse("login_code") in html and reverse("password_reset_code") in html and "忘记密码" in html


def test_a_wrong_password_says_how_many_tries_are_left(client, resident_user, settings):
    response = client.post(reverse("login"), {"username": resident_user.phone, "password": "wrong-password"})
    message = str(response.context["form"].errors["password"])
    assert f"再错 {settings.AXES_FAILURE_LIMIT - 1} 次" in message and "15 分钟" in message
    unknown = client.post(reverse("login"), {"username": UNKNOWN, "password": "wrong-password"})
    assert str(unknown.context["form"].errors["password"]) == message  # the same for a number with no account


def test_the_lockout_page_offers_sign_in_by_code_and_the_code_lifts_it(
    client, resident_user, password, settings, django_capture_on_commit_callbacks
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": resident_user.phone, "password": "wrong-password"})
    assert response.status_code == 429
    html = response.content.decode()
    assert reverse("login_code") in html and "短信验证码登录" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login_code"), {"phone": resident_user.phone, "send": "1"})
    response = client.post(
        reverse("login_code"), {"phone": resident_user.phone, "code": sent_code(resident_user.phone)}
    )
    assert response.status_code == 302
    client.logout()
    assert client.post(reverse("login"), {"username": resident_user.phone, "password": password}).status_code == 302


def test_registration_needs_a_code_sent_to_the_number(client, community, django_capture_on_commit_callbacks):
    data = {
        "phone": "13912345670",
        "name": "赵六",
        "community": community.pk,
        "address": "华苑小区 3号楼 2单元 301",
        "password1": "Qz-garden-2026",
        "password2": "Qz-garden-2026",
    }
    response = client.post(reverse("portal:register"), data)
    assert "code" in response.context["form"].errors and not User.objects.filter(phone=data["phone"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:register"), {**data, "send": "1"})
    assert 'value="赵六"' in response.content.decode()  # what was typed stays
    response = client.post(reverse("portal:register"), {**data, "code": sent_code(data["phone"])})
    assert response.status_code == 302 and User.objects.filter(phone=data["phone"]).exists()


def test_registering_a_registered_number_never_says_so_without_its_code(client, resident_user, community, send):
    send(resident_user.phone, PhoneCode.Purpose.REGISTER, ip="127.0.0.1")
    data = {"phone": resident_user.phone, "name": "冒名", "community": community.pk, "address": "x", "code": "123456"}
    data |= {"password1": "Qz-garden-2026", "password2": "Qz-garden-2026"}
    errors = client.post(reverse("portal:register"), data).context["form"].errors
    assert "phone" not in errors and "code" in errors  # "already registered" is not revealed


def test_change_of_phone_needs_a_code_sent_to_the_new_number(
    client, resident_user, password, django_capture_on_commit_callbacks
):
    client.force_login(resident_user)
    new = "13912340000"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:change_phone"), {"phone": new, "send": "1"})
    assert MemoryBackend.outbox[-1]["phone"] == new
    wrong = client.post(reverse("portal:change_phone"), {"phone": new, "code": "000000", "password": password})
    assert "code" in wrong.context["form"].errors
    code = sent_code(new)
    if code == "000000":  # one in a million: the wrong code above was right
        return
    response = client.post(reverse("portal:change_phone"), {"phone": new, "code": code, "password": password})
    assert response.status_code == 302
    resident_user.refresh_from_db()
    assert resident_user.phone == new


# --- abuse ----------------------------------------------------------------------------------------------


def test_brute_forcing_a_code_is_refused(client, resident_user, send):
    send(resident_user.phone, ip="127.0.0.1")
    code = sent_code(resident_user.phone)
    guesses = [f"{n:06d}" for n in range(40) if f"{n:06d}" != code]
    answers = [
        client.post(reverse("login_code"), {"phone": resident_user.phone, "code": guess}).status_code
        for guess in guesses
    ]
    assert set(answers) == {200} and "_auth_user_id" not in client.session
    response = client.post(reverse("login_code"), {"phone": resident_user.phone, "code": code})
    assert response.status_code == 200 and "错误次数过多" in str(response.context["form"].errors["code"])
    assert PhoneCode.objects.get(phone=resident_user.phone).failures == 5


def test_flooding_one_number_from_many_addresses_is_refused(client, resident_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            client.post(reverse("login_code"), {"phone": resident_user.phone, "send": "1"}, REMOTE_ADDR=f"10.7.0.{n}")
    assert len(MemoryBackend.outbox) == 1


def test_flooding_many_numbers_from_one_address_is_refused(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            client.post(reverse("portal:register"), {"phone": f"139000000{n:02d}", "send": "1"}, REMOTE_ADDR="10.8.0.1")
    assert len(MemoryBackend.outbox) == 1 and PhoneCode.objects.count() == 1


def test_spent_codes_are_purged_after_two_days(resident_user, send):
    from portal.core.tasks import purge_phone_codes

    send(resident_user.phone)
    assert purge_phone_codes() == 0
    PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    assert purge_phone_codes() == 1 and not PhoneCode.objects.exists()
