"""Background work of the volunteers app: thin wrappers that take ids and call the operation."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from portal.core.models import Community
from portal.core.tasks import enqueue
from volunteers.badges import badge_render
from volunteers.models import Badge
from volunteers.stationed.actions import unit_summaries_prepare


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=10)
def render_badge(self, badge_id: int) -> str:
    """Draw a badge PNG (idempotent: a retry of a drawn badge does nothing)."""
    try:
        badge = badge_render(badge_id=badge_id)
    except OSError as exc:  # storage hiccup: try again
        raise self.retry(exc=exc) from exc
    return badge.status


@shared_task
def render_pending_badges(older_than_seconds: int = 60) -> int:
    """Every minute: queue again the badges still waiting to be drawn (asked for while the broker was away)."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    waiting = list(
        Badge.objects.filter(status=Badge.Status.PENDING, revoked_at__isnull=True, requested_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:200]
    )
    for pk in waiting:
        enqueue(render_badge, pk)
    return len(waiting)


@shared_task
def prepare_unit_summaries(year: int | None = None) -> int:
    """At year end: the year's summary of every stationed unit of every community, ready for the office to send."""
    year = year or timezone.localdate().year
    prepared = 0
    for community in Community.objects.filter(stationed_units__isnull=False).distinct().order_by("pk"):
        prepared += unit_summaries_prepare(community=community, year=year)
    return prepared
