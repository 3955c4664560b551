"""The core's gate for malformed input (portal.core.middleware.MalformedInputMiddleware): NUL bytes, bytes that are
not UTF-8, lone surrogates and over-long values in the query string, form fields, cookies, headers and path are a
400 with a small page of its own, before any session, view or database sees them; good input passes untouched."""

from __future__ import annotations

import pytest
from django.test import Client

QUERY = {
    "NUL": "c=%00",
    "NUL in a name": "a%00b=1",
    "not UTF-8": "q=%FF",
    "a lone surrogate": "q=%ED%A0%80",
    "over-long": "q=" + "x" * 5000,
}


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("query", list(QUERY.values()), ids=list(QUERY))
def test_a_malformed_query_string_is_a_400(client, query):
    response = client.get("/notices/?" + query)
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_400_page_is_translated(client):
    zh = client.get("/notices/?q=%00", headers={"accept-language": "zh-hans"}).content.decode()
    en = client.get("/notices/?q=%00", headers={"accept-language": "en"}).content.decode()
    assert "请求" in zh and "Bad request" in en


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"title=a%00b", b"title=%FF", b"title=%ED%A0%80", b"title=\xff", b"ti%00tle=x"],
    ids=["NUL", "not UTF-8", "lone surrogate", "raw byte", "NUL in a name"],
)
def test_a_malformed_form_field_is_a_400(client, body):
    response = client.post("/elder-mode/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_malformed_multipart_field_is_a_400(client):
    assert client.post("/elder-mode/", {"next": "a\x00b", "on": "1"}).status_code == 400
    assert client.post("/elder-mode/", {"next": "x" * 100_001, "on": "1"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"cookie": "sessionid=ab\x00cdefghijkl"},
        {"cookie": "sessionid=" + "x" * 9000},
        {"user-agent": "Mozilla\x00"},
        {"user-agent": "\xed\xa0\x80"},  # a lone surrogate's UTF-8 bytes, as a WSGI server hands them over
        {"accept-language": "\xff\xfe"},
        {"referer": "https://x/" + "a" * 9000},
    ],
    ids=[
        "NUL in the session cookie",
        "over-long cookie",
        "NUL user agent",
        "surrogate user agent",
        "not UTF-8 language",
        "over-long referer",
    ],
)
def test_a_malformed_header_or_cookie_is_a_400(client, headers):
    assert client.get("/notices/", headers=headers).status_code == 400


@pytest.mark.django_db
def test_a_nul_in_the_path_is_a_400(client):
    assert client.get("/volunteers/badge/v/a%00b/").status_code == 400
    assert client.get("/volunteers/badge/v/a\x00b/").status_code == 400


@pytest.mark.django_db
def test_good_input_passes(client):
    assert client.get("/notices/", {"q": "南环东路 社区 " * 20, "page": "2"}).status_code == 200
    response = client.post("/elder-mode/", {"on": "1", "next": "/notices/?q=南环"})
    assert response.status_code == 302
    response = client.post("/elder-mode/", "on=1&next=%2F%E5%8D%97", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert client.get("/notices/", headers={"user-agent": "Mozilla/5.0 (iPhone) 微信"}).status_code == 200
