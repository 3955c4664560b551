"""Celery tasks of the hall: thin wrappers that call actions. Scheduled by celery beat (see `schedules.py`)."""

from __future__ import annotations

from celery import shared_task

from services.hall import actions


@shared_task(acks_late=True)
def generate_slots(days_ahead: int = actions.DEFAULT_DAYS_AHEAD) -> int:
    """Keep every counter's slots generated `days_ahead` days ahead (idempotent)."""
    return actions.slots_generate(days_ahead=days_ahead)


@shared_task(acks_late=True)
def send_booking_reminders() -> int:
    """Remind residents of tomorrow's appointments; each booking is reminded once (`reminded_at`)."""
    return actions.bookings_send_reminders()


@shared_task(acks_late=True)
def escalate_overdue_cases() -> int:
    """Tell the residents'-committee director about cases past their deadline (once per case)."""
    return actions.cases_escalate_overdue()


@shared_task(acks_late=True)
def remind_mediation_follow_ups() -> int:
    """Remind the assigned staff of mediations whose follow-up visit (回访) is due (once per due date)."""
    return actions.mediations_remind_follow_up()
