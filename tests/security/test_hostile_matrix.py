"""Every URL × every role, with hostile values in every query parameter the view reads and in every field its
forms take: never a 500.

Which parameters: a normal GET (and an empty POST) is sent with tests.security.reads recording each key the view,
its forms and its templates ask request.GET / request.POST for; the fields of every form in the page's context
are added. Then each key is sent again with each hostile value. Malformed input (a NUL byte, bytes that are not
UTF-8, a lone surrogate, a query value of 5,000 characters) must be the core middleware's 400; well-formed wrong
values (negative, zero, huge or non-numeric numbers, dates that do not exist or sit at the calendar's ends, an
unknown choice) must get the view's own answer — a page, a message, a redirect or a 404 — never a server error.

Asked: anonymous and every role that may use the page. The first of those roles gets every value; every other
one a well-formed value in turn, so that a run stays within minutes on two cores. The URLs come from the URLconf
(test_url_matrix's EXPECTED must name each): a new URL is covered as soon as it exists.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.test import Client

from tests.security.conftest import WHO
from tests.security.test_url_matrix import EXPECTED, PUBLIC_SAMPLE, P, _url, may, url_names

# Sent raw (already percent-encoded): what the middleware must turn into a 400.
MALFORMED = {"NUL": "%00", "0xFF": "%FF", "lone surrogate": "%ED%A0%80"}
LONG = "x" * 5000  # a 400 in a query string; in a form field the form's own max_length has to say no
# "²" passes str.isdigit() but not int(); 0001-01 and 9999-12 are months whose neighbours do not exist.
WRONG = ["-1", "99999999999999999999", "0", "2026-13-45", "0001-01", "9999-12", "abc", "²", "no-such-choice"]

ROLES = [who for who, _, _ in WHO]


def _askers(world, name: str, method: str) -> list[str]:
    """Who sends hostile input to this URL: anonymous, and every role that may use it (the URL matrix already
    proves that the others are refused before a view reads anything)."""
    rule = EXPECTED[name]
    audience = rule.post if (method == "POST" and rule.post is not None) else rule.get
    roles = [w for w in ROLES if w == "anonymous" or may(audience, rule, w, world.users[w])]
    public = rule.get == P and rule.post is None and not rule.post_only
    return [w for w in roles if w in PUBLIC_SAMPLE] if public else roles


def _values(name: str, askers: list[str], who: str, method: str) -> tuple[dict[str, str], list[str]]:
    """(malformed values sent raw, well-formed wrong values) for one role: the first role that may use the page
    (after anonymous) gets them all, every other one well-formed value in turn."""
    designated = askers[1] if len(askers) > 1 else askers[0]
    if who == designated:
        malformed = dict(MALFORMED)
        if method == "GET":
            malformed["5,000 characters"] = LONG
        return malformed, [*WRONG, *([LONG] if method == "POST" else [])]
    return {}, [WRONG[(ROLES.index(who) + len(name)) % len(WRONG)]]


def _cells():
    for name in url_names():
        if name.startswith("admin:") or name not in EXPECTED:
            continue
        rule = EXPECTED[name]
        for method in ("GET", "POST"):
            if method == "GET" and rule.post_only or method == "POST" and rule.get_only:
                continue
            yield pytest.param(name, method, id=f"{name}|{method}")


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.security.reads.RecordReadsMiddleware"]


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if who in world.cookies:
        client.cookies["sessionid"] = world.cookies[who]
    return client


def form_fields(response) -> set[str]:
    """The HTML names of every field of every form (and formset) in the page's context."""
    context = response.context
    if context is None:
        return set()
    names = set()
    for ctx in context if isinstance(context, list) else [context]:
        for layer in ctx.dicts:
            for value in layer.values():
                forms = []
                if isinstance(value, BaseForm):
                    forms = [value]
                elif isinstance(value, BaseFormSet):
                    forms = [value.management_form, *value.forms]
                for form in forms:
                    names.update(form.add_prefix(field) for field in form.fields)
    return names


def _encode(pairs: list[tuple[str, str]], raw: bool) -> str:
    return "&".join(f"{quote(k)}={v if raw else quote(v)}" for k, v in pairs)


@pytest.mark.parametrize(("name", "method"), list(_cells()))
@pytest.mark.sweep
def test_hostile_input(world, db, recording, name, method):
    url = _url(world, name)
    askers = _askers(world, name, method)
    failures = []
    for who in askers:
        failures += _ask(world, url, name, who, method, askers)
    assert failures == [], "\n".join(failures)


def _ask(world, url: str, name: str, who: str, method: str, askers: list[str]) -> list[str]:
    client = _client(world, who)
    if method == "GET":
        first = client.get(url)
        keys = set(first.reads["GET"]) if hasattr(first, "reads") else set()
    else:
        first = client.post(url, {})
        keys = set(first.reads["POST"]) if hasattr(first, "reads") else set()
        page = client.get(url) if not EXPECTED[name].post_only else None
        if page is not None and page.status_code == 200:
            keys |= form_fields(page)
    if first.status_code >= 500:
        return [f"{method} {url} as {who}: {first.status_code}"]
    malformed, wrong = _values(name, askers, who, method)
    failures = []

    def send(label, pairs, raw, want_400):
        body = _encode(pairs, raw)
        if method == "GET":
            response = client.get(f"{url}?{body}")
        else:
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        code = response.status_code
        if code >= 500 or (want_400 and code != 400):
            failures.append(f"{method} {url} {label} as {who}: {code}")

    for value in wrong:
        if method == "GET":
            for key in sorted(keys):
                send(f"?{key}={value[:30]!r}", [(key, value)], False, False)
        elif keys:
            send(f"every field = {value[:30]!r}", [(key, value) for key in sorted(keys)], False, False)
    for label, raw in malformed.items():
        if method == "GET":
            for key in sorted(keys) or ["x"]:
                send(f"?{key}={label}", [(key, raw)], True, True)
        else:
            send(f"every field = {label}", [(key, raw) for key in sorted(keys) or ["x"]], True, True)
    return failures


def test_reads_are_recorded(world, db, recording):
    """The recorder sees what a view reads: the notices list reads ?c=, ?q= and ?page=."""
    response = _client(world, "anonymous").get("/notices/")
    assert {"c", "page"} <= response.reads["GET"], response.reads
