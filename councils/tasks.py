"""Celery beat tasks of the councils: thin, they call the actions."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from councils import actions
from councils.models import Council, Meeting


@shared_task
def plan_regular_meetings() -> int:
    """Daily: create each council's next regular meeting in draft (per its rhythm) and remind the convenor."""
    created = 0
    for council_id in Council.objects.values_list("pk", flat=True):
        council = Council.objects.select_related("community", "convenor").get(pk=council_id)
        if actions.meeting_plan_next_regular(council=council) is not None:
            created += 1
    return created


@shared_task
def send_due_notices() -> int:
    """Hourly: send the notice of each scheduled meeting whose notice is due (its council's days ahead)."""
    sent = 0
    now = timezone.now()
    for meeting in Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, notice_sent_at__isnull=True, starts_at__gt=now
    ).select_related("council"):
        if meeting.notice_due_at <= now:
            sent += actions.meeting_send_notice(meeting=meeting)
    return sent


@shared_task
def remind_overdue_resolutions() -> int:
    """Daily: remind executors and convenors of overdue resolutions (weekly per resolution)."""
    return actions.resolutions_remind_overdue()


@shared_task
def remind_triage() -> int:
    """Daily: tell council secretaries about suggestions waiting for a reply."""
    return actions.suggestions_remind_triage()
