"""Pluggable SMS backends (settings.SMS_BACKEND). The default writes to the console (the log)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from portal.models import mask_phone

logger = logging.getLogger("portal.sms")


class BaseBackend:
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
