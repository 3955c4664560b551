"""Celery tasks of the site: thin wrappers. Scheduled by celery beat (see `schedules.py`)."""

from __future__ import annotations

from celery import shared_task

from portal.core.reminders import send_day_before


@shared_task(acks_late=True)
def send_day_before_reminders() -> dict[str, int]:
    """Remind everyone of what they hold tomorrow: hall appointments, events, classes, room bookings, checkups and
    volunteer shifts (each app's `reminders.py`); each reminder goes out once, however often the scan runs."""
    return send_day_before()
