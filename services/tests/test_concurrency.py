"""The capacity primitive under real concurrency on PostgreSQL: threads released together by a barrier, each with
its own database connection, against a committed (TransactionTestCase-style) database — and the same over HTTP."""

import datetime as dt
import http.client
import secrets
import threading
from collections import Counter as Tally
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from residents.tests.factories import ResidentFactory
from services.hall import actions
from services.models import Booking, ServiceItem, Slot
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday

pytestmark = [pytest.mark.django_db(transaction=True)]

# The live server's listen backlog (5 by default) would turn a burst of 50 connections into resets.
ThreadedWSGIServer.request_queue_size = 128

FIGURES: dict[str, dict] = {}


def race(n: int, work) -> list[str]:
    """Run work(i) in n threads released at the same instant; each returns its outcome (or the error code)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    barrier = threading.Barrier(n)
    outcomes: list[str] = [""] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = work(i)
        except ValidationError as exc:
            outcomes[i] = exc.code or "invalid"
        except Exception as exc:  # any other error is a failure of the primitive
            outcomes[i] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def setup(community):
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(2)
    start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())
    return item, day, start


def _active(slot: Slot) -> int:
    return Booking.objects.filter(slot=slot, status="active").count()


def test_50_simultaneous_attempts_at_the_last_3_seats_give_exactly_3_bookings(community, setup):
    item, day, start = setup
    slot = SlotFactory(counter=item.counter, date=day, starts_at=start, capacity=10)
    for _ in range(7):
        actions.booking_create(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)
    residents = [ResidentFactory(community=community) for _ in range(50)]

    outcomes = race(
        50, lambda i: actions.booking_create(resident=residents[i], item=item, slot=slot, booked_by=None) and "taken"
    )

    tally = Tally(outcomes)
    FIGURES["last_3_seats"] = dict(tally)
    assert tally == {"taken": 3, "full": 47}, tally
    slot.refresh_from_db()
    assert slot.seats_taken == 10 == _active(slot)


def test_10_identical_submissions_from_one_resident_make_one_booking(community, setup):
    item, day, start = setup
    slot = SlotFactory(counter=item.counter, date=day, starts_at=start, capacity=5)
    resident = ResidentFactory(community=community)

    outcomes = race(
        10, lambda i: actions.booking_create(resident=resident, item=item, slot=slot, booked_by=None) and "taken"
    )

    tally = Tally(outcomes)
    FIGURES["identical_submissions"] = dict(tally)
    assert tally == {"taken": 1, "already": 9}, tally
    slot.refresh_from_db()
    assert Booking.objects.filter(resident=resident).count() == 1 == slot.seats_taken


def test_20_cancellations_racing_20_bookings_keep_the_counts_consistent(community, setup, hall_staff):
    item, day, start = setup
    slot = SlotFactory(counter=item.counter, date=day, starts_at=start, capacity=20)
    holders = [
        actions.booking_create(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)
        for _ in range(20)
    ]
    newcomers = [ResidentFactory(community=community) for _ in range(20)]

    def work(i: int) -> str:
        if i % 2:
            actions.booking_cancel(booking=holders[i // 2], by=hall_staff)
            return "cancelled"
        actions.booking_create(resident=newcomers[i // 2], item=item, slot=slot, booked_by=None)
        return "taken"

    outcomes = race(40, work)

    tally = Tally(outcomes)
    FIGURES["cancel_vs_book"] = dict(tally)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert tally["cancelled"] == 20
    slot.refresh_from_db()
    assert slot.seats_taken == _active(slot) == tally["taken"] <= slot.capacity


def test_50_simultaneous_http_bookings_of_the_last_3_seats(community, setup, live_server, make_user):
    item, day, start = setup
    slot = SlotFactory(counter=item.counter, date=day, starts_at=start, capacity=3)
    sessions = []
    for _ in range(50):
        client = Client()
        client.force_login(make_user(community=community))
        sessions.append(client.cookies["sessionid"].value)
    url = urlsplit(live_server.url)
    path = reverse("services:book_confirm", args=[item.pk, slot.pk])

    def post(i: int) -> str:
        token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        body = urlencode({"csrfmiddlewaretoken": token, "documents_ready": "on"})
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={sessions[i]}; csrftoken={token}",
            },
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        return {302: "taken", 200: "full"}.get(response.status, f"error: HTTP {response.status}")

    outcomes = race(50, post)

    tally = Tally(outcomes)
    FIGURES["http_last_3_seats"] = dict(tally)
    assert tally == {"taken": 3, "full": 47}, tally
    slot.refresh_from_db()
    assert slot.seats_taken == 3 == _active(slot)


def test_zz_print_the_figures():
    print("\nconcurrency figures:", FIGURES)
