"""A real Redis stop while residents book: the portal as deployed (gunicorn) and a Celery worker share a private
redis-server (cache, broker and result backend, as REDIS_URL sets them in production). It is shut down with
`redis-cli shutdown nosave` — open connections cut, every queue and cached page lost — while a resident books,
and started again empty on the same port.

Checked: a booking made while Redis is away succeeds quickly and its page says nothing alarming; its notification
is kept pending, not lost; once Redis is back the portal and the worker reconnect by themselves (a new booking's
notification goes straight out), and the minutely sweep (portal.core.tasks.retry_pending_deliveries, run by celery beat)
sends what was left pending — every message reaches the SMS gateway exactly once.

This test found that a booking made while Redis was away could wait ~20 s: publishing its delivery first subscribed
to the task's result in the result store (the same, stopped, Redis) and sat in Celery's reconnection loop. Tasks now
keep no results (CELERY_TASK_IGNORE_RESULT; unit test in portal/tests/test_notify.py).

test_redis_down.py covers the other case: a Redis that was never there (connection refused from the start).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import subprocess
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import spawn_worker
from portal.core.models import Delivery, NotificationPreference
from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday
from tests.faults.servers import PY, ROOT, clean_env, gunicorn, redis_server, wait_until

pytestmark = pytest.mark.services

ALARMING = ("Redis", "Error", "错误", "Traceback", "Connection refused", "broker")
BOOKING_BOUND = 5.0  # seconds a booking may take while Redis is away
OUTAGE = 4.0  # seconds Redis stays away (the worker's reconnection attempts back off meanwhile)


class Browser:
    """A resident's browser against the gunicorn: cookies kept, redirects not followed."""

    def __init__(self, base: str, session_key: str) -> None:
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        self.cookies = {"sessionid": session_key}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            conn.close()

    def book(self, item: ServiceItem, slot) -> tuple[str, str, float]:
        """Confirm the booking form as a resident does; return (booking code, booking page, seconds the POST took)."""
        path = reverse("services:book_confirm", args=[item.pk, slot.pk])
        status, _, form = self.request("GET", path)
        assert status == 200, form[:1000]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        started = time.monotonic()
        status, headers, text = self.request(
            "POST", path, {"csrfmiddlewaretoken": token, "documents_ready": "on", "note": ""}
        )
        took = time.monotonic() - started
        assert status == 302, f"{status}: {text[:1000]}"
        location = urlsplit(headers["Location"]).path
        code = location.rstrip("/").rsplit("/", 1)[1]
        status, _, page = self.request("GET", location)
        assert status == 200, page[:1000]
        return code, page, took


def deliveries_of(code: str):
    return Delivery.objects.filter(notification__url=reverse("services:booking", args=[code]))


def test_a_real_redis_stop_while_residents_book(
    services_required, transactional_db, settings, tmp_path, client, resident_user, community
):
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    first_day = next_weekday(3)
    slots = [
        SlotFactory(
            counter=item.counter,
            date=day,
            starts_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone()),
            capacity=3,
        )
        for day in (first_day + dt.timedelta(weeks=w) for w in range(3))
    ]
    client.force_login(resident_user)
    # Texts wait out the quiet hours (21:00–08:00): this test is about Redis, not the hour it runs at.
    NotificationPreference.objects.create(user=resident_user, quiet_hours=False)
    outbox = tmp_path / "sms.jsonl"
    gateway = {"SMS_BACKEND": "portal.core.sms.FileBackend", "SMS_FILE": str(outbox)}
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    with redis_server(tmp_path / "redis") as redis:
        settings.REDIS_URL = redis.url  # spawn_worker puts its worker on this Redis
        env = clean_env(
            PORTAL_ENV="test",
            DJANGO_SETTINGS_MODULE="portal.settings",
            DEBUG="0",
            DATABASE_URL=database_url,
            REDIS_URL=redis.url,
            CELERY_TASK_ALWAYS_EAGER="false",
            LOG_LEVEL="WARNING",
            **gateway,
        )
        t0 = time.monotonic()
        worker = spawn_worker("celery", settings, tmp_path / "worker.log", **gateway)
        worker_log = tmp_path / "worker.log"
        try:
            with gunicorn(env, tmp_path, workers=2) as server:
                resident = Browser(server.base, client.cookies["sessionid"].value)
                marks = {"ready": time.monotonic() - t0}

                # --- Redis up: booked, and the text message goes out through the worker --------------------------
                before, _, _ = resident.book(item, slots[0])
                assert deliveries_of(before).exists()
                assert wait_until(lambda: not deliveries_of(before).exclude(status="sent").exists(), 30), (
                    worker_log.read_text()[-3000:]
                )

                # --- Redis stopped: the booking still succeeds, fast, and its page is calm ----------------------
                marks["first sent"] = time.monotonic() - t0
                redis.shutdown()
                stopped = time.monotonic()
                during, page, took = resident.book(item, slots[1])
                assert took < BOOKING_BOUND, f"the booking waited {took:.1f} s on the stopped Redis"
                assert during in page
                for alarming in ALARMING:
                    assert alarming not in page, f"{alarming!r} on the booking page while Redis is away"
                status, _, home = resident.request("GET", "/")
                assert status == 200 and "Traceback" not in home
                status, _, health = resident.request("GET", "/healthz")
                assert status == 503 and json.loads(health)["cache"] == "down"
                assert json.loads(health)["broker"] == "down"
                pending = deliveries_of(during).filter(status=Delivery.Status.PENDING)
                assert pending.exists()  # kept, not lost
                assert resident_user.notifications.filter(url__endswith=f"/{during}/").exists()  # inbox has it

                time.sleep(max(0.0, OUTAGE - (time.monotonic() - stopped)))  # an outage, not a blip

                # --- Redis back (empty): the portal and the worker reconnect by themselves ---------------------
                redis.start()
                back = time.monotonic()
                assert wait_until(lambda: resident.request("GET", "/healthz")[0] == 200, 15)
                after, _, _ = resident.book(item, slots[2])
                assert wait_until(lambda: not deliveries_of(after).exclude(status="sent").exists(), 60), (
                    "a booking made after the restart was not sent: " + worker_log.read_text()[-3000:]
                )
                marks["after sent"] = time.monotonic() - back
                assert pending.exists()  # nothing re-sent the outage's deliveries on its own

                # --- the minutely sweep (celery beat) hands the pending ones to the worker ----------------------
                sweep = subprocess.run(
                    [PY, "-m", "celery", "-A", "portal", "call", "portal.core.tasks.retry_pending_deliveries",
                     "--kwargs", json.dumps({"older_than_seconds": 0})],
                    cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
                )  # fmt: skip
                assert sweep.returncode == 0, sweep.stdout + sweep.stderr
                assert wait_until(lambda: not pending.exists(), 60), worker_log.read_text()[-3000:]
                marks["swept"] = time.monotonic() - back
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)

    assert Booking.objects.filter(resident=resident_user.resident, status="active").count() == 3
    sent = Delivery.objects.filter(notification__recipient=resident_user)
    assert sent.count() >= 3 and not sent.exclude(status=Delivery.Status.SENT).exists()
    sms = [json.loads(line) for line in outbox.read_text().splitlines()]
    delivered = [r["key"] for r in sms if r["delivered"]]
    expected = {f"delivery-{pk}" for pk in sent.filter(channel=Delivery.Channel.SMS).values_list("pk", flat=True)}
    assert len(expected) == 3
    assert len(delivered) == len(set(delivered)) and set(delivered) == expected  # each text once, none lost
    print(
        f"booking while Redis was away took {took:.2f} s; seconds: {json.dumps({k: round(v, 1) for k, v in marks.items()})}"
    )
