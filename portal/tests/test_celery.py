"""Tasks go through the real Redis broker to a real worker process."""

import time

import pytest
from django.db import transaction

from portal.core.models import Delivery
from portal.core.notify import message, notify
from portal.core.tasks import ping

pytestmark = pytest.mark.services


def test_a_task_round_trips_through_redis_to_a_real_worker(celery_worker_process):
    queue, _ = celery_worker_process
    result = ping.apply_async(args=[41], queue=queue)
    assert result.get(timeout=60) == 42


def test_notification_deliveries_are_sent_by_the_worker_after_commit(
    celery_worker_process, make_user, community, settings
):
    queue, proc = celery_worker_process
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    from portal.celery import app

    app.conf.task_default_queue = queue
    try:
        user = make_user(community=community, email="resident@example.org")
        with transaction.atomic():
            note = notify(recipient=user, title=message("预约已确认"), body=message("明天 9:00"))
            # Nothing leaves before the commit.
            assert not Delivery.objects.filter(notification=note, status=Delivery.Status.SENT).exists()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Delivery.objects.filter(notification=note, status=Delivery.Status.SENT).count() == 2:
                break
            time.sleep(0.3)
        statuses = sorted(Delivery.objects.filter(notification=note).values_list("channel", "status"))
        assert statuses == [("email", "sent"), ("sms", "sent")], proc.log.read_text()[-2000:]
    finally:
        app.conf.task_default_queue = "celery"
