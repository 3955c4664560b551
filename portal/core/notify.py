"""Notifications go through one function (DESIGN.md rule 6): an inbox entry, plus e-mail and SMS deliveries
sent by Celery after the transaction commits. Deliveries are sent at most once each (see portal.core.tasks).

Each notification has a kind (`Kind`); the recipient's `NotificationPreference` says which channels besides the
inbox carry each kind, and their quiet hours: an SMS due in them waits until they end (it is not dropped). Those
choices are honoured here, once, not by the callers. `notify_phone` texts someone who has no account (a council
member) under the default quiet hours."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from portal.core.account_cache import unread_key
from portal.core.models import Delivery, Kind, Notification, NotificationPreference, User
from portal.core.tasks import enqueue, send_delivery

logger = logging.getLogger("portal.core.notify")

DEFAULT_CHANNELS = (Delivery.Channel.EMAIL, Delivery.Channel.SMS)


def message(text, **values) -> Promise:
    """A notification text that stays lazy until notify() renders it in the recipient's language:
    `message(_lazy("Case %(number)s is done"), number=case.number)`. Values that are themselves lazy (a status
    label, another message) are rendered in that language too; dates and times in Asia/Shanghai."""

    def render() -> str:
        return (
            str(text) % {k: str(v) if isinstance(v, Promise) else v for k, v in values.items()} if values else str(text)
        )

    return lazy(render, str)()


def _require_lazy(name: str, text) -> None:
    if text and not isinstance(text, Promise):
        raise TypeError(
            f"notify({name}=...) takes lazy text (gettext_lazy or portal.core.notify.message), not {type(text).__name__}:"
            " text rendered in the sender's language reaches the recipient in the wrong one"
        )


def preference_of(user: User) -> NotificationPreference:
    """The user's settings (unsaved defaults when they never chose: every channel on, default quiet hours)."""
    found = NotificationPreference.objects.filter(user_id=user.pk).first()
    return found or NotificationPreference(user_id=user.pk)


def quiet_until(now: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime | None:
    """When quiet hours (local time, Asia/Shanghai) that hold at `now` end; None when `now` is not in them."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    t = local.time()
    if start == end:
        return None
    spans_midnight = start > end
    inside = (t >= start or t < end) if spans_midnight else (start <= t < end)
    if not inside:
        return None
    day = local.date() + dt.timedelta(days=1) if spans_midnight and t >= start else local.date()
    return timezone.make_aware(dt.datetime.combine(day, end), timezone.get_default_timezone())


def _sms_not_before(preference: NotificationPreference | None, now: dt.datetime) -> dt.datetime | None:
    """When an SMS made `now` may go out: None for at once. Someone who never chose (or has no account) follows
    settings.SMS_QUIET_HOURS; a saved preference, its own quiet hours."""
    if preference is None or preference.pk is None:
        default = settings.SMS_QUIET_HOURS
        if not default:
            return None
        start, end = (dt.time.fromisoformat(value) for value in default)
        return quiet_until(now, start, end)
    if not preference.quiet_hours:
        return None
    return quiet_until(now, preference.quiet_start, preference.quiet_end)


def notify(
    *,
    recipient: User,
    title: Promise,
    body: Promise | str = "",
    url: str = "",
    kind: str = Kind.ACCOUNT,
    channels: Iterable[str] = DEFAULT_CHANNELS,
) -> Notification:
    """Put a message in `recipient`'s inbox and queue its e-mail/SMS copies (where the user has an address and
    has not switched that channel off for this `kind`; an SMS in their quiet hours waits until those end).

    `title` and `body` are lazy (see message()): they are rendered here, in the recipient's language and in
    Asia/Shanghai time, whatever language the sender's request used.
    """
    _require_lazy("title", title)
    _require_lazy("body", body)
    with translation.override(recipient.language or settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        notification = Notification.objects.create(recipient=recipient, title=str(title)[:200], body=str(body), url=url)
    addresses = {Delivery.Channel.EMAIL: recipient.email, Delivery.Channel.SMS: recipient.phone}
    wanted = [channel for channel in channels if addresses.get(channel) and recipient.is_active]
    if not wanted:
        return notification
    preference = preference_of(recipient)
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            notification=notification,
            channel=channel,
            address=addresses[channel],
            kind=kind,
            not_before=_sms_not_before(preference, now) if channel == Delivery.Channel.SMS else None,
        )
        for channel in wanted
        if preference.wants(kind, channel)
    )
    _queue(deliveries)
    return notification


def notify_phone(*, phone: str, text: Promise, kind: str, language: str = "") -> Delivery | None:
    """Text someone who has no account (a council member known by phone only): an SMS, under the default quiet
    hours, in `language` (the site's by default). None when there is no number."""
    _require_lazy("text", text)
    if not phone:
        return None
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        rendered = str(text)[:300]
    delivery = Delivery.objects.create(
        notification=None,
        channel=Delivery.Channel.SMS,
        address=phone,
        text=rendered,
        kind=kind,
        not_before=_sms_not_before(None, timezone.now()),
    )
    _queue([delivery])
    return delivery


def _queue(deliveries: Iterable[Delivery]) -> None:
    for delivery in deliveries:
        if delivery.not_before is None:
            transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
        # else: the minutely sweep (portal.core.tasks.retry_pending_deliveries) sends it when its time comes


def _enqueue(delivery_id: int) -> None:
    """Hand a delivery to Celery. With the broker away it stays pending; the minutely sweep sends it later."""
    enqueue(send_delivery, delivery_id)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) unread notification of `user` as read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    changed = qs.update(read_at=timezone.now())
    _forget_unread(user.pk)
    return changed


def unread_count(user: User) -> int:
    """The badge in the navigation bar: how many of `user`'s notifications are unread. Kept in the cache until one
    of them changes, so a page view costs no query for it."""
    count = getattr(user, "_unread_count", None)  # read with the account (portal.core.backends)
    if count is not None:
        return count
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, 60 * 60)
    return count


def _forget_unread(user_id: int) -> None:
    cache.delete(unread_key(user_id))
    # Also once the change is visible to others, so that no request re-reads the old figure in between.
    transaction.on_commit(lambda: cache.delete(unread_key(user_id)))


@receiver(post_save, sender=Notification, dispatch_uid="notify-unread-save")
@receiver(post_delete, sender=Notification, dispatch_uid="notify-unread-delete")
def _notification_changed(sender, instance: Notification, **kwargs) -> None:
    _forget_unread(instance.recipient_id)
