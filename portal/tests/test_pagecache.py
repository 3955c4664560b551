"""The whole-page cache of public pages: anonymous visitors get a stored page with their own CSP nonce and CSRF
token; a change to what the page shows retires it; signed-in people and sessions never see a stored page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.site.models import Notice

NONCE = re.compile(r'<script [^>]*nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def header_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


@pytest.fixture
def notice(community):
    return Notice.objects.create(community=community, title="停水通知", body="明日 8:00-12:00 停水")


def test_a_second_anonymous_visit_is_served_without_a_query_and_with_its_own_nonce_and_token(
    client, community, notice, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert "停水通知" in first.content.decode()

    other = type(client)()  # another visitor, no cookies
    with django_assert_num_queries(0):
        second = other.get("/")
    page = second.content.decode()
    assert second.status_code == 200
    assert "停水通知" in page
    nonces = set(NONCE.findall(page))
    assert len(nonces) == 1
    assert nonces == {header_nonce(second)}
    assert nonces != set(NONCE.findall(first.content.decode()))
    assert "\x00" not in page
    # The visitor's own CSRF token works: the cookie is set and the footer form posts.
    token = TOKEN.search(page).group(1)
    assert "csrftoken" in second.cookies
    other_csrf = type(client)(enforce_csrf_checks=True)
    other_csrf.cookies = second.cookies
    toggle = other_csrf.post(reverse("portal:elder_mode"), {"on": "1", "next": "/", "csrfmiddlewaretoken": token})
    assert toggle.status_code == 302


def test_a_changed_notice_shows_at_once(client, community, notice):
    client.get("/")
    notice.title = "停电通知"
    notice.save()
    page = type(client)().get("/").content.decode()
    assert "停电通知" in page
    assert "停水通知" not in page


def test_each_language_and_the_elder_mode_have_their_own_page(client, community, notice):
    zh = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = type(client)().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-Hans"' in zh
    assert 'lang="en"' in en
    elder = type(client)()
    elder.cookies["elder"] = "1"
    assert 'class="elder' in elder.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'class="elder' not in type(client)().get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_signed_in_residents_share_a_copy_with_their_own_badge_and_token(
    client, community, notice, resident_user, make_user, hall_staff, django_assert_num_queries
):
    from portal.core import roles
    from portal.core.notify import message, notify

    type(client)().get("/")  # the anonymous copy: never shown to a signed-in person
    client.force_login(resident_user)
    page = client.get("/").content.decode()
    assert reverse("logout") in page
    assert reverse("services:my_bookings") in page

    neighbour = make_user(roles.RESIDENT, community)
    other = type(client)(enforce_csrf_checks=True)
    other.force_login(neighbour)
    other.get("/")  # reads the neighbour's roles and badge once
    with django_assert_num_queries(0):  # the account is read through the cache; the page is the shared copy
        shared = other.get("/")
    text = shared.content.decode()
    assert reverse("services:my_bookings") in text and "\x00" not in text
    token = TOKEN.search(text).group(1)
    assert other.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302  # their own token

    notify(recipient=resident_user, title=message("新消息"), channels=())
    assert 'class="badge' in client.get("/").content.decode()  # the badge is the reader's own
    assert 'class="badge' not in type(client)().get("/").content.decode()

    client.force_login(hall_staff)
    staff_page = client.get("/").content.decode()
    assert reverse("admin:index") in staff_page  # staff links: another copy


def test_a_visitor_with_a_session_cookie_is_served_a_fresh_page(client, community, notice):
    type(client)().get("/")
    session_client = type(client)()
    session_client.cookies["sessionid"] = "x" * 32  # e.g. a session that carries a message
    with CaptureQueriesContext(connection) as rendered:
        response = session_client.get("/")
    assert response.status_code == 200
    assert len(rendered) > 0  # rendered, not stored
    assert set(NONCE.findall(response.content.decode())) == {header_nonce(response)}


def test_service_item_and_ledgers_are_served_from_the_store(client, community, django_assert_max_num_queries):
    from services.models import ServiceItem
    from services.seed import seed_catalogue

    seed_catalogue(community)
    item = ServiceItem.objects.filter(community=community).first()
    urls = [
        reverse("services:item", args=[item.pk]),
        reverse("services:catalogue"),
        reverse("councils:ledger_minutes", args=[community.slug]),
        reverse("councils:ledger_suggestions", args=[community.slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(0):
            assert type(client)().get(url).status_code == 200
    item.name = "新名称的事项"
    item.save()
    assert "新名称的事项" in type(client)().get(urls[0]).content.decode()


def test_csrf_holes_are_filled_in_pages_only(rf):
    from django.http import HttpResponse

    from portal.core.middleware import CsrfHoleMiddleware
    from portal.core.pagecache import CSRF_MARK

    body = b'<input name="csrfmiddlewaretoken" value="' + CSRF_MARK + b'">'
    page = CsrfHoleMiddleware(lambda request: HttpResponse(body))(rf.get("/"))
    assert CSRF_MARK not in page.content and len(page.content) > len(body)
    download = CsrfHoleMiddleware(lambda request: HttpResponse(body, content_type="application/octet-stream"))(
        rf.get("/")
    )
    assert download.content == body  # a file is never rewritten
