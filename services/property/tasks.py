"""Celery tasks of property management: thin wrappers that call actions. Scheduled by celery beat (`schedules.py`)."""

from __future__ import annotations

from celery import shared_task

from services.property import actions


@shared_task(acks_late=True)
def flag_overdue_repairs() -> int:
    """Flag open repairs past their company's promise and tell the company and the director (once per repair)."""
    return actions.repairs_flag_overdue()
