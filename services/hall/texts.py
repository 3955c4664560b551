"""Times and dates in the hall's notifications, rendered when the notification is: in the recipient's language
(date format) and in Asia/Shanghai time (portal.core.notify.notify renders lazy text that way)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy


def _short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M}"


def _clock(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def day_text(day: dt.date) -> Promise:
    """A date in the reader's short date format."""
    return lazy(_short_date, str)(day)


def when_text(moment: dt.datetime) -> Promise:
    """A date and time (an appointment's start) in the reader's date format and local time."""
    return lazy(_when, str)(moment)


def clock_text(moment: dt.datetime) -> Promise:
    """A time of day, in local time."""
    return lazy(_clock, str)(moment)


def lines(*parts) -> Promise:
    """Lazy lines (texts, messages) joined into one text when it is rendered."""
    return lazy(lambda: "\n".join(str(part) for part in parts), str)()
