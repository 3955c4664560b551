"""Celery tasks of the stations' events: thin, take ids, call the writes."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from portal.core.tasks import enqueue
from services.events.models import EventPhoto
from services.events.thumbnails import event_photo_thumbnail_make


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def event_photo_thumbnail(photo_id: int) -> str:
    """Make one photo's thumbnail with Pillow (idempotent: a redo overwrites)."""
    photo = EventPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return "gone"
    event_photo_thumbnail_make(photo=photo)
    return "ok"


@shared_task
def make_pending_thumbnails(older_than_seconds: int = 60) -> int:
    """Every minute: queue again the photos of the last day still without a thumbnail (uploaded while the broker
    was away)."""
    now = timezone.now()
    waiting = list(
        EventPhoto.objects.filter(
            thumbnail="",
            uploaded_at__lt=now - dt.timedelta(seconds=older_than_seconds),
            uploaded_at__gte=now - dt.timedelta(days=1),
        ).values_list("pk", flat=True)[:200]
    )
    for pk in waiting:
        enqueue(event_photo_thumbnail, pk)
    return len(waiting)
