"""Site pages: home from the database, registration, login and lockout, health check, headers, error pages."""

import re

import pytest
from django.urls import reverse

from portal.core import roles
from portal.core.models import User
from residents.tests.factories import HouseholdFactory, ResidentFactory


def test_home_shows_the_community_from_the_database(client, community):
    community.boundary_east = "长芦大道"
    community.area_km2 = "1.20"
    community.save()
    ResidentFactory.create_batch(3, community=community)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert community.name in html and "长芦大道" in html
    assert re.search(r"<dd>3</dd>", html)  # residents (and households) counted from the register


def test_home_query_count_does_not_grow_with_the_register(client, community, django_assert_max_num_queries):
    HouseholdFactory.create_batch(2, community=community)
    with django_assert_max_num_queries(14):
        client.get("/")
    HouseholdFactory.create_batch(40, community=community)
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(14):
        client.get("/")


def test_registration_creates_a_pending_resident_account(client, community, password, sms_code):
    code = sms_code(client, reverse("portal:register"), "13812345678")
    response = client.post(
        reverse("portal:register"),
        {
            "phone": "138 1234 5678",
            "code": code,
            "name": "张三",
            "community": community.pk,
            "address": "华苑小区 3号楼 301",
            "password1": "Qz-garden-2026",
            "password2": "Qz-garden-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(phone="13812345678")
    assert user.groups.filter(name=roles.RESIDENT).exists()
    assert not hasattr(user, "resident")  # pending until staff link it
    page = client.get(reverse("portal:my")).content.decode()
    assert "等待社区" in page or "waiting" in page


@pytest.mark.parametrize(
    "phone, field_error",
    [("12345", "11"), ("23812345678", "11"), ("", "")],
)
def test_registration_rejects_a_bad_number_and_keeps_what_was_typed(client, community, phone, field_error):
    response = client.post(
        reverse("portal:register"),
        {
            "phone": phone,
            "name": "李四",
            "community": community.pk,
            "address": "华苑小区",
            "password1": "Qz-garden-2026",
            "password2": "Qz-garden-2026",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "phone" in form.errors
    assert field_error in str(form.errors["phone"])
    assert 'value="李四"' in response.content.decode()
    assert not User.objects.filter(name="李四").exists()


def test_registration_of_a_taken_phone_is_told_only_to_the_phone(client, community, resident_user):
    """A registered number gets a notice by SMS instead of a code; the page does not say it is registered."""
    from portal.core.sms import MemoryBackend

    MemoryBackend.outbox.clear()
    client.post(reverse("portal:register"), {"phone": resident_user.phone, "send": "1"})
    response = client.post(
        reverse("portal:register"),
        {
            "phone": resident_user.phone,
            "code": "123456",
            "name": "王五",
            "community": community.pk,
            "address": "x",
            "password1": "Qz-garden-2026",
            "password2": "Qz-garden-2026",
        },
    )
    errors = response.context["form"].errors
    assert "phone" not in errors and "code" in errors


def test_registration_rejects_a_weak_password(client, community):
    response = client.post(
        reverse("portal:register"),
        {
            "phone": "13912345678",
            "name": "赵六",
            "community": community.pk,
            "address": "x",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(phone="13912345678").exists()


def test_login_with_phone_creates_a_new_session_key(client, resident_user, password):
    client.get(reverse("login"))
    before = client.session.session_key
    response = client.post(reverse("login"), {"username": resident_user.phone, "password": password})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == resident_user.pk


def test_login_rejects_a_malformed_number_next_to_the_field(client):
    response = client.post(reverse("login"), {"username": "abc", "password": "whatever1"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_repeated_failures_lock_out_the_phone_from_this_address(client, resident_user, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": resident_user.phone, "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": resident_user.phone, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out (lockout is keyed on phone + IP).
    response = client.post(
        reverse("login"), {"username": resident_user.phone, "password": password}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_my_page_requires_login(client):
    response = client.get(reverse("portal:my"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_healthz_reports_every_service(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_broker_is_down(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down" and response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_cache_is_down(client, db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "down"


def test_security_headers_and_a_nonce_on_every_script(client, community):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    script_part = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_part and "frame-ancestors 'none'" in csp
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert client.get("/").headers["Content-Security-Policy"] != csp  # a fresh nonce per response


def test_unknown_page_answers_the_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() or "找不到" in response.content.decode()


def test_language_switch_to_english(client, community):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Households" in client.get("/").content.decode()


def test_the_home_page_shows_each_of_the_four_stations_once():
    from portal.core.stations import Station
    from portal.site.views.site import STATIONS

    assert [key for key, *_ in STATIONS] == list(Station.values)
