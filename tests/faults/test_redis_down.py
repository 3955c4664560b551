"""Redis away while residents book: the booking still succeeds, the pages say nothing alarming, and the
notification goes out once Redis is back.

The outage is made by pointing this process's cache and Celery broker at a Redis port where nothing listens
(connection refused, as when the server is stopped) — the shared Redis of the test run keeps serving the other
test workers. The second half brings a real worker up on the real Redis.
"""

import datetime as dt
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import spawn_worker
from portal.core.models import Delivery
from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday

pytestmark = pytest.mark.services

DEAD_REDIS = "redis://127.0.0.1:1/0"


def use_broker(app, url: str) -> None:
    app.conf.broker_url = url
    # The connection and producer pools are built from broker_url on first use: drop them.
    app._pool = None
    app.amqp._producer_pool = None


def test_booking_succeeds_while_redis_is_down_and_its_notice_goes_out_after(
    services_required, transactional_db, settings, tmp_path, client, resident_user, community
):
    from portal.celery import app
    from portal.core.tasks import retry_pending_deliveries

    real_broker = app.conf.broker_url
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(3)
    slot = SlotFactory(
        counter=item.counter,
        date=day,
        starts_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone()),
        capacity=3,
    )
    client.force_login(resident_user)

    # --- Redis goes away --------------------------------------------------------------------------------------
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
        "settled": {"BACKEND": "portal.core.cache.SettledCache", "OPTIONS": {"SHARED": "default"}},
        "template_fragments": {"BACKEND": "portal.core.cache.SettledCache", "OPTIONS": {"SHARED": "default"}},
    }
    app.conf.task_always_eager = False
    use_broker(app, DEAD_REDIS)
    try:
        started = time.monotonic()
        response = client.post(
            reverse("services:book_confirm", args=[item.pk, slot.pk]), {"documents_ready": "on", "note": ""}
        )
        took = time.monotonic() - started
        assert response.status_code == 302, response.content.decode()[:500]
        booking = Booking.objects.get(resident=resident_user.resident)
        assert took < 5, f"the booking waited {took:.1f} s on the missing broker"
        home = client.get("/")
        assert home.status_code == 200
        page = client.get(response["Location"]).content.decode()
        assert booking.code in page
        for alarming in ("Redis", "Error", "错误", "Traceback"):
            assert alarming not in page
        pending = Delivery.objects.filter(notification__recipient=resident_user, status=Delivery.Status.PENDING)
        assert pending.exists()  # kept, not lost
        assert resident_user.notifications.exists()  # the inbox entry is already there
    finally:
        use_broker(app, real_broker)

    # --- Redis is back: the minutely sweep hands the pending deliveries to a real worker ----------------------
    queue = f"back-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    worker = spawn_worker(queue, settings, tmp_path / "worker.log")
    try:
        assert retry_pending_deliveries(older_than_seconds=0) >= 1
        deadline = time.monotonic() + 60
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert not pending.exists(), (tmp_path / "worker.log").read_text()[-2000:]
        assert Delivery.objects.filter(notification__recipient=resident_user, status=Delivery.Status.SENT).exists()
    finally:
        app.conf.task_always_eager = True
        app.conf.task_default_queue = "celery"
        worker.terminate()
        worker.wait(timeout=20)
