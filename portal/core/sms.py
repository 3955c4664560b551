"""Pluggable SMS backends (settings.SMS_BACKEND). The default writes to the console (the log)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from portal.core.models import mask_phone

logger = logging.getLogger("portal.core.sms")


class BaseBackend:
    """The adapter interface for an SMS gateway (README: "SMS gateway").

    A gateway adapter subclasses this and implements `send`, and settings.SMS_BACKEND names it. `send` is called
    from a Celery task (portal.core.tasks), never from a resident's request: it may block on the network. It must
    send `text` (at most 300 characters, already in the recipient's language) to the mainland mobile number
    `phone` (11 digits, no prefix) once; pass `idempotency_key` to the gateway as its request/out-id, so that a
    retried task does not send twice. Raise OSError (or a subclass: ConnectionError, TimeoutError) for a failure
    worth retrying; anything else is logged and not retried. Never log the text: it may hold a one-time code.
    """

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        """Send one text. `idempotency_key` lets a real gateway drop a retried duplicate."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Logs the message (with the number masked) instead of sending it."""

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        logger.info("SMS %s to %s: %s", idempotency_key, mask_phone(phone), text)


class MemoryBackend(BaseBackend):
    """Keeps sent messages in `outbox` (tests)."""

    outbox: list[dict[str, str]] = []

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        MemoryBackend.outbox.append({"phone": phone, "text": text, "key": idempotency_key})


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


class FileBackend(BaseBackend):
    """Appends each message to the file named by SMS_FILE, as a gateway would receive it (development, fault tests).

    Like real SMS gateways it honours the idempotency key: a message whose key it has already accepted is
    recorded as a duplicate attempt and not delivered again. Set SMS_FILE_DELAY (seconds) to simulate a slow gateway.
    """

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        import json
        import os
        import time

        path = os.environ.get("SMS_FILE") or "sms-outbox.jsonl"
        time.sleep(float(os.environ.get("SMS_FILE_DELAY", "0") or 0))
        try:
            with open(path, encoding="utf-8") as handle:
                accepted = {json.loads(line)["key"] for line in handle if '"delivered": true' in line}
        except FileNotFoundError:
            accepted = set()
        record = {
            "key": idempotency_key,
            "to": mask_phone(phone),
            "delivered": idempotency_key not in accepted,
            "text": text,  # development and tests only: a browser test reads its code here
        }
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
