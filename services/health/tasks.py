"""Celery tasks of the health station: thin, call the actions. Scheduled by celery beat (see `schedules.py`)."""

from __future__ import annotations

from celery import shared_task

from services.health.actions import health_anonymise_past_retention


@shared_task
def health_retention_run() -> int:
    """Nightly: anonymise health files past their retention date."""
    return health_anonymise_past_retention()
