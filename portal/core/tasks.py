"""Celery tasks of the portal core: thin wrappers that take ids and call the operation."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.core.idempotency import TTL as IDEMPOTENCY_TTL
from portal.core.models import Delivery, IdempotencyKey, PhoneCode
from portal.core.search import search_reindex
from portal.core.sms import get_backend

logger = logging.getLogger("portal.core.tasks")


def enqueue(task, *args) -> bool:
    """Hand `task` to Celery; False, logged, when the broker is away. A person's request never fails over
    background work: what was saved stays saved, and the work is done once it is asked for again."""
    try:
        task.delay(*args)
    except Exception as exc:
        logger.warning("%s%r not queued, broker unavailable: %s", task.name, args, exc)
        return False
    return True


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_delivery(delivery_id: int) -> str:
    """Send one e-mail/SMS delivery. Idempotent: a delivery already sent is not sent again."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status == Delivery.Status.SENT:
            return "skipped"
        if delivery.not_before is not None and delivery.not_before > timezone.now():
            return "deferred"  # the recipient's quiet hours: the minutely sweep sends it once they end
        note = delivery.notification
        delivery.attempts += 1
        if note is None:
            get_backend().send(phone=delivery.address, text=delivery.text, idempotency_key=f"delivery-{delivery.pk}")
        elif delivery.channel == Delivery.Channel.EMAIL:
            body = f"{note.body}\n\n{note.url}" if note.url else note.body
            send_mail(note.title, body, settings.DEFAULT_FROM_EMAIL, [delivery.address])
        else:
            text = f"{note.title} {note.body}".strip()
            get_backend().send(phone=delivery.address, text=text[:300], idempotency_key=f"delivery-{delivery.pk}")
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
        delivery.save(update_fields=["status", "sent_at", "attempts", "error"])
    return "sent"


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_text(phone: str, text: str, key: str) -> str:
    """Send one SMS that is not a notification (a one-time code). An empty text is dropped: portal.core.codes
    hands one over for a number that gets no SMS, so that both cases cost the request the same."""
    if not text:
        return "dropped"
    get_backend().send(phone=phone, text=text[:300], idempotency_key=key)
    return "sent"


def dispatch_text(phone: str, text: str, key: str) -> None:
    """Queue `send_text`; with the broker away, send it from here (a code is useless five minutes later)."""
    if enqueue(send_text, phone, text, key):
        return
    try:
        send_text(phone, text, key)
    except Exception as exc:  # the person is told to ask again; the request never fails over the gateway
        logger.warning("SMS %s not sent: %s", key, exc)


@shared_task
def purge_phone_codes(older_than_days: int = 2) -> int:
    """Delete SMS-code rows older than the longest limit they serve (a day). Idempotent."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _unused = PhoneCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@shared_task
def purge_idempotency_keys() -> int:
    """Delete idempotency keys older than their lifetime (portal.core.idempotency.TTL). Idempotent."""
    deleted, _unused = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_TTL).delete()
    return deleted


@shared_task(ignore_result=False)
def ping(value: int) -> int:
    """Round-trip check used by tests and /healthz tooling: returns value + 1 from a worker (the one task whose
    result is read)."""
    return value + 1


@shared_task
def rebuild_search_index() -> int:
    """Nightly rebuild of the public search index (content published by date appears without an edit)."""
    return search_reindex()


@shared_task
def retry_pending_deliveries(older_than_seconds: int = 60) -> int:
    """Re-enqueue deliveries still pending after a while (the broker was away when they were made), and those held
    back by quiet hours once these are over. Idempotent."""
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    pending = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(Q(not_before__isnull=True, created_at__lt=cutoff) | Q(not_before__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in pending:
        send_delivery.delay(pk)
    return len(pending)
