"""No page runs more SQL queries when there is more data: every page is measured at two sizes of community A.

The pages: every URL of the permission matrix (test_url_matrix.EXPECTED and its admin sample) that answers a
GET, and every registered ModelAdmin's list. Each is read (GET) by the first person of WHO allowed to, and also
by the first of each other kind of reader who may (a resident, community staff). The cache is cleared before
every measured request, so that both sizes are measured cold and alike (a page-cache hit runs no query).

The sizes: the seeded world plus a few rows in every list (grow.grow(world, SMALL)), then many more rows
(grow.grow(world, LARGE)). At the small size every list shows at most SMALL rows (slices of querysets, pages of
a Paginator and of the admin's lists are cut short), so that a query per row shows even in a list the seed
already fills beyond a page. A page may not run more queries at the large size, except the bounded ALLOWANCE
below.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.security import grow
from tests.security.conftest import WHO, module_changes
from tests.security.test_url_matrix import P, _client, _url, all_expected, may

SMALL, LARGE = 2, 20

# URLs of the matrix that are not measured, with the reason (post_only URLs answer a GET with 405: not listed).
SKIPPED: dict[str, str] = {
    # The question before ending one staff session, named by its device token: the matrix's token names none (404);
    # the list it comes from (portal:staff_sessions) is measured.
    "portal:staff_session_end": "a confirm step for one session found by its token; the session list is measured",
    # Nobody of the matrix is half-way through a staff sign-in: the page sends them to log in (or on, signed in).
    "login_second": "the second step of a staff sign-in half-way, kept in the session; the matrix has none",
    # Only grid workers (a role the sweep's world does not sign in) hold these; each is a form about one record.
    "services:grids:patrol_new": "a blank form for grid workers only; residents/tests/test_grids.py posts it",
    "services:grids:visit_hand_over": "a form about one visit, for grid workers only; tested in test_grids.py",
    "services:grids:patrol_hand_over": "a form about one patrol, for grid workers only; tested in test_grids.py",
}

# Query strings that make a page show what it exists to list (without them: an empty form), by URL name or by
# measurement id ("name|reader").
QUERY: dict[str, str] = {
    "portal:search": f"q={grow.TAG}",
    "services:search": f"q={grow.TAG}",
    "services:desk_residents": f"q={grow.TAG}",
    "services:book": "day={slot_date}",
    "services:book|hall_a": "for={resident_a}&day={slot_date}",  # staff book on a resident's behalf
    "services:book_confirm|hall_a": "for={resident_a}",
    "services:booking_reschedule": "day={slot_date}",
    "services:health:file": "purpose=care",  # without a purpose: the form that asks for one
}

# Who reads a page instead of the first allowed of each kind, and why.
READERS: dict[str, tuple[tuple[str, ...], str]] = {
    "volunteers:apply": (("resident_b",), "resident A is a volunteer already and staff have no household: redirects"),
    "login": (("anonymous",), "a signed-in person is sent on"),
    "login_code": (("anonymous",), "a signed-in person is sent on"),
    "portal:workbench": (("hall_a", "director_a"), "residents and the district are sent on (to 我的, to the overview)"),
    "portal:register": (("anonymous",), "a signed-in person is sent on"),
    "portal:data_request": (("resident_a",), "a correction request is a resident's: staff are sent back to 我的"),
    "portal:calendar_feed_new": (("resident_a",), "only residents have a calendar: staff are sent back to 我的"),
    "volunteers:my_wishes": (("resident_a",), "a small wish is a resident's: staff are sent back to 我的"),
    "volunteers:stationed_report": (("resident_b",), "resident A has reported in this year: sent to the home page"),
}

# Another record than the matrix's in a URL, and why.
URLS = {
    # The matrix's unpublished minutes wait for approval (the editing page redirects to them): minutes in draft.
    "councils:minutes_edit": lambda world: reverse(
        "councils:minutes_edit", kwargs={"meeting_pk": grow.draft_minutes(world.a).meeting_id}
    ),
}

# Pages measured although they do not answer 200, with the answers they may give and why.
NOT_200: dict[str, tuple[tuple[int, ...], str]] = {
    "portal:contact": ((302,), "sends the reader to their building's board, or to the community's boards"),
    "set_language": ((302,), "a GET without a language goes back"),
    "councils:minutes_pdf": ((200, 302), "without Chromium on the machine: to the print page"),
}

# Bounded extra queries a page may run at the large size, per measurement id ("name|reader"), and why.
ALLOWANCE: dict[str, tuple[int, str]] = {}

# Readers by kind: the first allowed of each kind reads the page.
ANONYMOUS = ("anonymous",)
RESIDENTS = ("resident_a", "resident_b")
COMMUNITY_STAFF = ("hall_a", "health_a", "culture_a", "council_sec_a", "branch_sec_a", "director_a", "volunteer_a")
SUPERUSER = "superuser"  # made here: some admin lists are a superuser's only


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    who: str
    url: str


@dataclass
class Measure:
    status: int
    sql: list[str]
    size: int


# --------------------------------------------------------------------------------------------------
# What is measured, by whom


def admin_changelists() -> list[str]:
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
    )


def matrix_names() -> list[str]:
    """The matrix's URLs that answer a GET, but the admin lists (measured with all the others)."""
    lists = set(admin_changelists())
    return [n for n, rule in all_expected().items() if not (rule.post_only or n in SKIPPED or n in lists)]


def _readers(world, name: str, rule) -> list[str]:
    """The first person allowed, then the first allowed of each other kind; the district administrator only where
    they are the first allowed."""
    if name in READERS:
        return list(READERS[name][0])
    allowed = [who for who, _, _ in WHO if may(rule.get, rule, who, world.users[who])]
    if not allowed:
        return []
    readers = [allowed[0]]
    kinds = [ANONYMOUS, RESIDENTS] if rule.get == P else [ANONYMOUS, RESIDENTS, COMMUNITY_STAFF]
    for kind in kinds:
        found = next((w for w in allowed if w in kind and (kind != COMMUNITY_STAFF or world.users[w].is_staff)), None)
        if found is not None and found not in readers and allowed[0] not in kind:
            readers.append(found)
    return readers


def _admin_readers(world, model_admin) -> list[str]:
    """The first community-A staff member who may see the list, and the district administrator if they may;
    a superuser when nobody else may."""
    factory = RequestFactory()
    readers = []
    for group in (COMMUNITY_STAFF, ("district",)):
        for who in group:
            request = factory.get("/admin/")
            request.user = world.users[who]
            if model_admin.has_view_or_change_permission(request):
                readers.append(who)
                break
    return readers or [SUPERUSER]


def _query(world, key: str, name: str) -> str:
    template = QUERY.get(key, QUERY.get(name))
    if template is None:
        return ""
    o = world.objects
    return "?" + template.format(slot_date=o.slot.date.isoformat(), resident_a=o.resident_a.pk)


def targets(world) -> list[Target]:
    found = []
    lists = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist": model_admin
        for model, model_admin in admin.site._registry.items()
    }
    for name in matrix_names():
        rule = all_expected()[name]
        url = URLS[name](world) if name in URLS else _url(world, name)
        for who in _readers(world, name, rule):
            key = f"{name}|{who}"
            found.append(Target(key, name, who, url + _query(world, key, name)))
    for name, model_admin in lists.items():
        found += [Target(f"{name}|{w}", name, w, reverse(name)) for w in _admin_readers(world, model_admin)]
    return found


# --------------------------------------------------------------------------------------------------
# Measuring


def _forget_minutes_pdfs(world) -> None:
    """The minutes' PDF is kept in private storage once made: without it, both sizes render the minutes."""
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "councils" / "pdf"
    for path in folder.glob(f"minutes-{world.objects.published_minutes.pk}-*.pdf"):
        path.unlink()


# What a page keeps elsewhere than in the cache, forgotten before each measured request.
COLD = {"councils:minutes_pdf": _forget_minutes_pdfs}


def measure(world, target: Target) -> Measure:
    client = _client(world, target.who)
    if target.name in COLD:
        COLD[target.name](world)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target.url)
        if response.streaming:
            # Read to the end: the test client then closes the response without closing the connection.
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
    return Measure(response.status_code, [q["sql"] for q in ctx.captured_queries], size)


@contextmanager
def narrow_lists(rows: int):
    """Every list shows at most `rows` rows: a slice of a queryset ([:50], a page of a Paginator) is cut to that
    many, and so is every admin list's page."""
    original_slice = QuerySet.__getitem__
    original_paginator = Paginator.__init__

    def getitem(self, key):
        if isinstance(key, slice) and key.step is None and key.stop is not None:
            start = key.start or 0
            key = slice(start, min(key.stop, start + rows))
        return original_slice(self, key)

    def paginator(self, object_list, per_page, *args, **kwargs):
        original_paginator(self, object_list, min(int(per_page), rows), *args, **kwargs)

    saved = {model_admin: model_admin.list_per_page for model_admin in admin.site._registry.values()}
    with mock.patch.object(QuerySet, "__getitem__", getitem), mock.patch.object(Paginator, "__init__", paginator):
        for model_admin in saved:
            model_admin.list_per_page = rows
        try:
            yield
        finally:
            for model_admin, per_page in saved.items():
                model_admin.list_per_page = per_page


def _superuser(world) -> None:
    from portal.tests.factories import UserFactory

    user = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    world.users[SUPERUSER] = user
    world.cookies[SUPERUSER] = client.cookies["sessionid"].value


def _files(world) -> list:
    """A photo for the matrix's contact person and an attachment for its notice (the seed has none)."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    o = world.objects
    image = BytesIO()
    Image.new("RGB", (30, 40), "white").save(image, "JPEG")
    o.contact.photo.save("photo.jpg", ContentFile(image.getvalue()), save=True)
    o.notice.attachment.save("notice.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return [o.contact.photo, o.notice.attachment]


@pytest.fixture(scope="module")
def measured(world, django_db_blocker):
    """{id: (target, small, large)}: every page measured at both sizes (rolled back when the module ends)."""
    with module_changes(django_db_blocker):
        _superuser(world)
        files = _files(world)
        grow.grow(world, SMALL)
        found = targets(world)
        for target in found:
            measure(world, target)  # warm: what a process loads once (content types, templates) is loaded now
        with narrow_lists(SMALL):
            small = {t.id: measure(world, t) for t in found}
        grow.grow(world, LARGE)
        large = {t.id: measure(world, t) for t in found}
        yield {t.id: (t, small[t.id], large[t.id]) for t in found}
    for file in files:
        file.storage.delete(file.name)


# --------------------------------------------------------------------------------------------------
# Checking

_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_NAMES = re.compile(r'"(?:_django_curs_\d+_sync_\d+|s\d+_x\d+)"')  # server-side cursors, savepoints


def _shape(sql: str) -> str:
    """A statement without its values (ids, times, cursor names): the same query at both sizes has one shape."""
    return _LITERAL.sub("?", _NAMES.sub('"name"', sql))


def _extra_sql(small: list[str], large: list[str]) -> list[str]:
    """The statements the large run has more of than the small one, one example of each with its count."""
    surplus = Counter(_shape(s) for s in large) - Counter(_shape(s) for s in small)
    lines = []
    for sql in large:
        shape = _shape(sql)
        if surplus.get(shape):
            lines.append(f"{surplus.pop(shape)} × {sql}")
    return lines


def _check(measured, name: str) -> None:
    found = {key: value for key, value in measured.items() if value[0].name == name}
    assert found, f"{name} was not measured"
    problems = []
    for key, (target, small, large) in sorted(found.items()):
        expected, _why = NOT_200.get(name, ((200,), ""))
        if small.status not in expected or large.status not in expected:
            problems.append(f"{key}: GET {target.url} answered {small.status}, then {large.status} (not {expected})")
            continue
        allowed, _reason = ALLOWANCE.get(key, (0, ""))
        if len(large.sql) > len(small.sql) + allowed:
            extra = "\n".join(f"    {line}" for line in _extra_sql(small.sql, large.sql))
            problems.append(
                f"{key}: {len(small.sql)} queries at the small size, {len(large.sql)} at the large one"
                f" (allowed: {allowed} more), GET {target.url}; the extra ones:\n{extra}"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", matrix_names())
def test_page_queries_do_not_grow(measured, db, name):
    """The page runs no more queries at the large size."""
    _check(measured, name)


@pytest.mark.parametrize("name", admin_changelists())
def test_admin_list_queries_do_not_grow(measured, db, name):
    """The admin list runs no more queries at the large size."""
    _check(measured, name)


def test_every_url_is_measured_or_skipped(measured, db):
    """Every URL of the matrix, and every admin list, is measured or skipped with a reason."""
    done = {target.name for target, _small, _large in measured.values()}
    expected = all_expected()
    missing = [n for n, rule in expected.items() if not rule.post_only and n not in SKIPPED and n not in done]
    assert missing == [], f"URLs neither measured nor in SKIPPED: {missing}"
    missing = [name for name in admin_changelists() if name not in done]
    assert missing == [], f"admin lists not measured: {missing}"
    stale = [n for n in (*QUERY, *READERS, *URLS, *NOT_200, *COLD, *ALLOWANCE) if n.split("|")[0] not in done]
    stale += [n for n in SKIPPED if n not in expected or n in done]
    assert stale == [], f"entries for URLs that are not measured (or no longer exist): {stale}"
    assert all(reason.strip() for reason in SKIPPED.values()), "every skipped URL needs its reason"


def test_growth_shows(measured, db):
    """The growth reaches the pages: most measured pages are bigger at the large size."""
    grown = [key for key, (_t, small, large) in measured.items() if large.size > small.size]
    assert len(grown) > 0.75 * len(measured), f"only {len(grown)} of {len(measured)} pages grew"


def test_report(measured, db):
    """The table of counts (shown with pytest -s)."""
    rows = [f"{'page|reader':70} {'status':>7} {'small':>5} {'large':>5} {'bytes+':>8}"]
    for key, (_t, small, large) in sorted(measured.items()):
        rows.append(
            f"{key:70} {small.status:>3}/{large.status:<3} {len(small.sql):>5} {len(large.sql):>5} "
            f"{large.size - small.size:>8}"
        )
    print("\n".join(rows))
