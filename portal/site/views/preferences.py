"""我的 → 消息设置 (notification settings): per kind, whether SMS and e-mail carry it (the inbox always does), and
quiet hours in which no SMS is sent (it waits until they end). Honoured by portal.core.notify, not by each sender."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit
from portal.core.models import Delivery, Kind, NotificationPreference
from portal.core.notify import preference_of

CHOSEN_KINDS = [k for k in Kind if k is not Kind.ACCOUNT]  # account notices always go out on every channel
CHANNELS = [Delivery.Channel.SMS, Delivery.Channel.EMAIL]


def _field(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class NotificationPreferenceForm(forms.Form):
    quiet_hours = forms.BooleanField(
        label=gettext_lazy("Quiet hours: no SMS at night"),
        required=False,
        help_text=gettext_lazy("An SMS due in these hours is sent when they end, not lost."),
    )
    quiet_start = forms.TimeField(
        label=gettext_lazy("Quiet from"),
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=gettext_lazy("Quiet until"),
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
    )

    def __init__(self, *args, preference: NotificationPreference, **kwargs):
        initial = {
            "quiet_hours": preference.quiet_hours,
            "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
        }
        for kind in CHOSEN_KINDS:
            for channel in CHANNELS:
                initial[_field(kind, channel)] = preference.wants(kind, channel)
        super().__init__(*args, initial=initial, **kwargs)
        for kind in CHOSEN_KINDS:
            for channel in CHANNELS:
                self.fields[_field(kind, channel)] = forms.BooleanField(
                    label=f"{kind.label}: {channel.label}", required=False
                )

    def grid(self) -> list[dict]:
        """One row per kind: its label and its channels' checkboxes (for the table)."""
        return [
            {"label": kind.label, "cells": [self[_field(kind, channel)] for channel in CHANNELS]}
            for kind in CHOSEN_KINDS
        ]

    def muted(self) -> list[str]:
        return [
            f"{kind}:{channel}"
            for kind in CHOSEN_KINDS
            for channel in CHANNELS
            if not self.cleaned_data.get(_field(kind, channel))
        ]


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    preference = preference_of(request.user)
    form = NotificationPreferenceForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        NotificationPreference.objects.update_or_create(
            user=request.user,
            defaults={
                "muted": form.muted(),
                "quiet_hours": data["quiet_hours"],
                "quiet_start": data["quiet_start"],
                "quiet_end": data["quiet_end"],
            },
        )
        audit(actor=request.user, action="notification_settings", obj=request.user, summary="changed by its owner")
        messages.success(request, _("Your notification settings are saved."))
        return redirect("portal:notification_settings")
    return render(
        request,
        "portal/notification_settings.html",
        {"form": form, "channels": [c.label for c in CHANNELS], "has_email": bool(request.user.email)},
    )
