"""Volunteer shifts' day-before reminders, as the core's scan finds them (portal.core.reminders)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.models import Kind
from portal.core.notify import message
from portal.core.reminders import Due, reminder_key
from volunteers.models import Activity, SignUp


def shift_reminders(day: dt.date) -> list[Due]:
    """Everyone signed up for an open activity on `day` (and with an account)."""
    signups = (
        SignUp.objects.active()
        .filter(activity__date=day, activity__status=Activity.Status.OPEN, volunteer__resident__user__isnull=False)
        .select_related("activity", "volunteer__resident__user")
    )
    return [
        Due(
            kind=Kind.VOLUNTEERS,
            key=reminder_key("shift", s.pk, day),
            recipient=s.volunteer.resident.user,
            title=message(
                _("Reminder: volunteer activity “%(title)s” tomorrow at %(time)s"),
                title=s.activity.title,
                time=f"{s.activity.start_time:%H:%M}",
            ),
            body=message(_("Place: %(place)s"), place=s.activity.place),
            url=reverse("volunteers:activity_detail", args=[s.activity_id]),
        )
        for s in signups
    ]


SOURCES = {"shift": shift_reminders}
