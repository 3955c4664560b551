"""Background work of the volunteers app: thin wrappers that take ids and call actions."""

from __future__ import annotations

from celery import shared_task

from volunteers import actions


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=10)
def render_badge(self, badge_id: int) -> str:
    """Draw a badge PNG (idempotent: a retry of a drawn badge does nothing)."""
    try:
        badge = actions.badge_render(badge_id=badge_id)
    except OSError as exc:  # storage hiccup: try again
        raise self.retry(exc=exc) from exc
    return badge.status
