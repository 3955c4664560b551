"""Notifications go through one function (DESIGN.md rule 6): an inbox entry, plus e-mail and SMS deliveries
sent by Celery after the transaction commits. Deliveries are sent at most once each (see portal.tasks)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from portal.models import Delivery, Notification, User

logger = logging.getLogger("portal.notify")

DEFAULT_CHANNELS = (Delivery.Channel.EMAIL, Delivery.Channel.SMS)


def notify(
    *,
    recipient: User,
    title: str,
    body: str = "",
    url: str = "",
    channels: Iterable[str] = DEFAULT_CHANNELS,
) -> Notification:
    """Put a message in `recipient`'s inbox and queue its e-mail/SMS copies (where the user has an address).

    Lazy strings are rendered in Chinese and Asia/Shanghai time, whatever language the caller's request used.
    """
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        notification = Notification.objects.create(recipient=recipient, title=str(title)[:200], body=str(body), url=url)
    addresses = {Delivery.Channel.EMAIL: recipient.email, Delivery.Channel.SMS: recipient.phone}
    deliveries = Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel, address=addresses[channel])
        for channel in channels
        if addresses.get(channel) and recipient.is_active
    )
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return notification


def _enqueue(delivery_id: int) -> None:
    """Hand a delivery to Celery. With the broker away it stays pending; the minutely sweep sends it later."""
    from portal.tasks import send_delivery

    try:
        send_delivery.delay(delivery_id)
    except Exception as exc:  # the broker is down: never fail the resident's request over a notification
        logger.warning("delivery %s left pending, broker unavailable: %s", delivery_id, exc)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) unread notification of `user` as read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
