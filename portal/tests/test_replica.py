"""The read replica's router (portal/core/replica.py) on the suite's one database: with no replica configured it
is a no-op; the routing decisions, read-your-writes pinning and the fall-back to the primary with one pretended."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.core import replica
from portal.core.models import Community, User

FORM = {"category": "environment", "title": "垃圾分类箱", "text": "建议在3号楼增设垃圾分类箱。", "location": "3号楼"}
router = replica.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """A replica that is configured and answers (the suite has no second database: the routing is what's tested)."""
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "_probe", lambda: ("ok", 0.0))
    monkeypatch.setitem(replica._state, "checked", -replica.CHECK_EVERY * 10)


def _inside(view, request):
    """What the router says for a Community read inside `view` (a report view or not)."""
    seen = {}

    def probe(request):
        seen["db"] = router.db_for_read(Community)
        seen["user_db"] = router.db_for_read(User)
        return HttpResponse("ok")

    view(probe)(request)
    return seen


def test_without_a_replica_the_router_answers_nothing(rf):
    assert not replica.configured()
    seen = _inside(replica.reads_replica, rf.get("/dashboard/"))
    assert seen == {"db": None, "user_db": None}
    assert router.db_for_write(Community) is None
    assert router.allow_relation(Community(), Community()) is None
    assert router.allow_migrate("default", "portal") is None


def test_without_a_replica_a_write_sets_no_cookie_and_healthz_is_as_before(client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("councils:suggestion_new"), FORM)
    assert response.status_code == 302 and replica.PIN_COOKIE not in response.cookies
    assert "replica" not in client.get("/healthz").json()


def test_report_views_read_the_replica_and_everything_else_the_primary(with_replica, rf):
    assert _inside(replica.reads_replica, rf.get("/district/")) == {"db": "replica", "user_db": "default"}
    assert _inside(lambda view: view, rf.get("/my/")) == {"db": "default", "user_db": "default"}
    assert router.db_for_read(Session) == "default"
    assert router.db_for_write(Community) == "default"
    assert router.allow_migrate("replica", "portal") is False
    # A report view asked with POST reads the primary.
    assert _inside(replica.reads_replica, rf.post("/district/"))["db"] == "default"


def test_a_lagging_or_stopped_replica_sends_reports_to_the_primary(with_replica, monkeypatch, rf):
    monkeypatch.setattr(replica, "_probe", lambda: ("lagging", 120.0))
    assert _inside(replica.reads_replica, rf.get("/district/"))["db"] == "default"
    monkeypatch.setitem(replica._state, "checked", -replica.CHECK_EVERY * 10)
    monkeypatch.setattr(replica, "_probe", lambda: ("down", None))
    assert _inside(replica.reads_replica, rf.get("/district/"))["db"] == "default"


def test_a_report_whose_replica_fails_mid_way_is_run_again_on_the_primary(with_replica, monkeypatch, rf):
    calls = []

    @replica.reads_replica
    def report(request):
        calls.append(router.db_for_read(Community))
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("ok")

    monkeypatch.setattr(replica, "_close_replica", lambda: None)
    probes = iter([("down", None)])
    monkeypatch.setattr(replica, "_probe", lambda: next(probes, ("down", None)))
    monkeypatch.setitem(replica._state, "state", "ok")
    monkeypatch.setitem(replica._state, "checked", 10**9)  # checked "just now": usable
    assert report(rf.get("/district/")).status_code == 200
    assert calls == ["replica", "default"]
    assert replica.status()["state"] == "down"  # marked down: the next reports go straight to the primary


def test_a_write_pins_that_persons_reads_to_the_primary_for_a_few_seconds(with_replica, client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("councils:suggestion_new"), FORM)
    assert response.status_code == 302
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]
    seen = {}

    def probe(request):
        seen["pinned"] = replica.pinned()
        seen["db"] = router.db_for_read(Community)
        return HttpResponse("ok")

    middleware = replica.ReadYourWritesMiddleware(replica.reads_replica(probe))
    request = RequestFactory().get("/councils/c/nanhuan/suggestions/")
    request.COOKIES[replica.PIN_COOKIE] = cookie.value
    middleware(request)
    assert seen == {"pinned": True, "db": "default"}
    # Someone else (no cookie), or the same person once it has expired, reads the replica.
    middleware(RequestFactory().get("/councils/c/nanhuan/suggestions/"))
    assert seen == {"pinned": False, "db": "replica"}
    for stale_or_forged in ("1000", str(int(time.time()) + 3600), "soon"):
        request = RequestFactory().get("/councils/c/nanhuan/suggestions/")
        request.COOKIES[replica.PIN_COOKIE] = stale_or_forged
        middleware(request)
        assert seen["db"] == "replica"


def test_the_person_who_wrote_sees_the_public_list_fresh_not_a_cached_copy(
    with_replica, monkeypatch, client, resident_user
):
    """The page cache may hold a copy built before the write reached it (or from a lagging replica): pinned, the
    person gets the page fresh from the primary."""
    monkeypatch.setattr(replica, "ALIAS", "default")  # the "replica" mirrors the one test database
    client.force_login(resident_user)
    url = reverse("councils:ledger_suggestions", args=[resident_user.community.slug])
    pin = client.post(reverse("councils:suggestion_new"), FORM).cookies[replica.PIN_COOKIE].value
    del client.cookies[replica.PIN_COOKIE]
    client.get(url)  # shows the message of the write: never cached
    client.cookies.pop("messages", None)  # the test client keeps the emptied cookie; a browser drops it
    client.get(url)  # a copy without the suggestion (not public yet)
    with connection.cursor() as cursor:  # a write the portal does not see (SQL by hand): nothing retires the copy
        cursor.execute("UPDATE councils_suggestion SET status = 'accepted'")
    assert FORM["title"] not in client.get(url).content.decode()  # others get the cached copy for a while
    client.cookies[replica.PIN_COOKIE] = pin
    assert FORM["title"] in client.get(url).content.decode()


def test_healthz_shows_the_replica_and_its_lag(with_replica, client, db, monkeypatch):
    monkeypatch.setattr(replica, "_probe", lambda: ("ok", 0.25))
    body = client.get("/healthz").json()
    assert body["replica"] == "ok" and body["replica_lag_seconds"] == 0.25
    monkeypatch.setattr(replica, "_probe", lambda: ("down", None))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["replica"] == "down"  # no outage: reports use the primary


def test_every_report_view_is_marked():
    from django.urls import resolve

    for name, args in (
        ("portal:dashboard", []),
        ("portal:district", []),
        ("portal:notices", []),
        ("councils:ledger", []),
        ("councils:ledger_suggestions", ["nanhuan"]),
        ("councils:meeting_export", [1]),
        ("councils:survey_export", [1]),
        ("volunteers:export_hours", []),
        ("services:case_channels", []),
    ):
        assert getattr(resolve(reverse(name, args=args)).func, "reads_replica", False), name
