"""Session bookkeeping: when a session was last used (every few minutes, not every request), and the staff idle
timeout. The device is recorded once, at login (portal.core.sessions.record_device).

One gate for malformed input: a request whose query string, form fields, cookies, headers or path hold a NUL
byte, bytes that are not UTF-8 (a lone surrogate included) or an over-long value is answered 400 before any view,
session or database sees it. Well-formed but wrong values (a date that does not exist, an id that is not a number,
an unknown choice) are the views' and the forms' to answer, with their own message or a 404."""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation

from portal.core.pagecache import CSRF_MARK

TOUCH_EVERY = 300  # seconds: how stale "last seen" may get before the session row is written again


class SessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            last = request.session.get("_last")
            if last is not None:
                now = int(time.time())
                if user.is_staff and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                    # Staff sessions end after a quiet spell: the admin holds other people's data.
                    logout(request)
                elif now - last >= TOUCH_EVERY:
                    request.session["_last"] = now
        return self.get_response(request)


class CsrfHoleMiddleware:
    """Fill the CSRF markers of `{% csrf_hole %}` (and of pages from the page cache) with this request's token.
    Sits after CsrfViewMiddleware in MIDDLEWARE, so that the token it hands out also gets its cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and CSRF_MARK in response.content
        ):
            response.content = response.content.replace(CSRF_MARK, get_token(request).encode())
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


# ----- malformed input

logger = logging.getLogger("portal.security")

QUERY_VALUE_MAX = 2048  # characters in one query-string name or value (no link of the portal comes near)
FIELD_MAX = 100_000  # characters in one form field (the longest text typed is a meeting's minutes)
HEADER_MAX = 8192  # characters in one header, the cookie header included (as gunicorn's own limit)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Malformed(ValueError):
    """What is wrong with a request, in words for the log (never shown: the page says it generally)."""


def _text(raw: bytes, where: str, limit: int | None = None) -> str:
    try:
        text = raw.decode("utf-8")  # strict: invalid UTF-8 and encoded surrogates both fail
    except UnicodeDecodeError:
        raise Malformed(f"{where}: not UTF-8") from None
    if "\x00" in text:
        raise Malformed(f"{where}: NUL byte")
    if limit is not None and len(text) > limit:
        raise Malformed(f"{where}: {len(text)} characters")
    return text


def _wsgi_bytes(value: str) -> bytes:
    """A WSGI string (bytes decoded as latin-1, PEP 3333) back to its bytes."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:  # a str made in-process (the test client): its own characters
        return value.encode("utf-8", "surrogatepass")


def _pairs(raw: bytes, where: str, limit: int) -> None:
    text = _text(raw, where)
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Malformed(f"{where}: not UTF-8 once decoded") from None
    for name, value in pairs:
        for part in (name, value):
            if "\x00" in part:
                raise Malformed(f"{where} {name[:40]!r}: NUL byte")
            if len(part) > limit:
                raise Malformed(f"{where} {name[:40]!r}: {len(part)} characters")


def check(request: HttpRequest) -> None:
    """Raise Malformed if the request carries input no page can take."""
    meta = request.META
    _text(_wsgi_bytes(meta.get("PATH_INFO", "")), "path")
    _pairs(_wsgi_bytes(meta.get("QUERY_STRING", "")), "query", QUERY_VALUE_MAX)
    for key, value in meta.items():
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if isinstance(value, str):
                _text(_wsgi_bytes(value), key, HEADER_MAX)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = meta.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type == FORM_TYPES[0]:
        _pairs(request.body, "form", FIELD_MAX)
    elif content_type == FORM_TYPES[1]:
        # The parser has already replaced bytes that are not UTF-8; NUL and length are left to look at.
        for name, values in request.POST.lists():
            for value in (name, *values):
                if "\x00" in value or len(value) > FIELD_MAX:
                    raise Malformed(f"form {name[:40]!r}: NUL byte or {len(value)} characters")


def bad_request(request: HttpRequest) -> HttpResponse:
    """A small page on its own (no session, no user, no database): the request is the thing that is broken."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        html = render_to_string("400_malformed.html", {"LANGUAGE_CODE": translation.get_language()})
    response = HttpResponse(html, status=400)
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response["X-Frame-Options"] = "DENY"
    response["Cache-Control"] = "no-store"
    return response


class MalformedInputMiddleware:
    """Early in MIDDLEWARE (before sessions, locale and CSRF read anything): malformed input is a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check(request)
        except Malformed as exc:
            logger.info("400 for malformed input on %s: %s", request.META.get("PATH_INFO", "")[:200], exc)
            return bad_request(request)
        return self.get_response(request)
