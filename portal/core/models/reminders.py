"""Markers of reminders sent (one row per reminder: the database makes "sent once" hold under any concurrency) and
the residents' personal calendar-feed tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReminderSent(models.Model):
    """A reminder that went out. `key` names what it was about (kind, record, day): a second insert of the same key
    waits for the first transaction and then fails, so a reminder is sent once even when two scans run at once."""

    key = models.CharField(_("reminder"), max_length=120, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    sent_at = models.DateTimeField(pgettext_lazy("time of", "sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("day-before reminder")
        verbose_name_plural = _("day-before reminders")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.key


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A resident's private iCal feed: the token in its URL is the only credential. Revoking deletes the row;
    regenerating replaces the token, so an old URL answers 404 at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed #{self.pk}"
