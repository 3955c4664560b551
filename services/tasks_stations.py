"""Celery tasks of the health and culture stations: thin, take ids, call the actions."""

from __future__ import annotations

from celery import shared_task

from services.actions.events import event_photo_thumbnail_make
from services.actions.health import health_anonymise_past_retention
from services.models import EventPhoto


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def event_photo_thumbnail(photo_id: int) -> str:
    """Make one photo's thumbnail with Pillow (idempotent: a redo overwrites)."""
    photo = EventPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return "gone"
    event_photo_thumbnail_make(photo=photo)
    return "ok"


@shared_task
def health_retention_run() -> int:
    """Nightly: anonymise health files past their retention date (schedule it in django-celery-beat)."""
    return health_anonymise_past_retention()


def schedule_stations_tasks() -> None:
    """Put the nightly retention run in django-celery-beat's schedule (idempotent; seed_demo calls it)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="health files: anonymise past retention",
        defaults={"task": "services.tasks_stations.health_retention_run", "crontab": crontab},
    )


@shared_task
def make_pending_thumbnails(older_than_seconds: int = 60) -> int:
    """Every minute: queue again the photos of the last day still without a thumbnail (uploaded while the broker
    was away)."""
    import datetime as dt

    from django.utils import timezone

    from portal.core.tasks import enqueue

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
