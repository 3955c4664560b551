"""The badge is drawn by a real Celery worker (Redis broker), after the request's transaction commits."""

import time

import pytest
from django.db import transaction

from volunteers import actions
from volunteers.models import Badge

pytestmark = pytest.mark.services


@pytest.fixture
def shared_media(monkeypatch, settings):
    """The worker process must write where the test reads."""
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))


def test_a_real_worker_draws_the_badge_after_commit(shared_media, celery_worker_process, volunteer_user):
    queue, proc = celery_worker_process
    from portal.celery import app

    app.conf.task_default_queue = queue
    try:
        with transaction.atomic():
            badge = actions.badge_request(volunteer=volunteer_user.resident.volunteer, base_url="http://testserver/")
            assert Badge.objects.get(pk=badge.pk).status == Badge.Status.PENDING
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Badge.objects.get(pk=badge.pk).status == Badge.Status.PENDING:
            time.sleep(0.3)
        badge.refresh_from_db()
        assert badge.status == Badge.Status.READY, proc.log.read_text()[-2000:]
        with badge.image.open("rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    finally:
        app.conf.task_default_queue = "celery"
