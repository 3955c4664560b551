"""The one .ics builder: every calendar file and feed the portal serves is made here, so that each carries the
same `VTIMEZONE` for Asia/Shanghai and its events' times are written in that zone (DTSTART;TZID=Asia/Shanghai).

China has kept UTC+8 without daylight saving since 1991, so the zone is one STANDARD rule: a phone calendar that
does not know the TZID still shows the right hour.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneStandard

TZID = "Asia/Shanghai"
ZONE = zoneinfo.ZoneInfo(TZID)
PRODID = "-//Community service portal//ZH"


@dataclass
class Entry:
    """One event of a calendar. `sequence` and `status` follow RFC 5545 (a moved or cancelled event replaces the
    one a calendar already has with the same `uid`)."""

    uid: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    description: str = ""
    url: str = ""
    sequence: int = 0
    status: str = "CONFIRMED"  # CONFIRMED | TENTATIVE | CANCELLED
    categories: list[str] = field(default_factory=list)


def vtimezone() -> Timezone:
    """Asia/Shanghai as a VTIMEZONE: UTC+8 all year (CST)."""
    zone = Timezone()
    zone.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def build(entries: Iterable[Entry], *, name: str = "") -> Calendar:
    """A VCALENDAR with the Asia/Shanghai VTIMEZONE and one VEVENT per entry, times in that zone."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(vtimezone())
    stamp = timezone.now().astimezone(dt.UTC)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("sequence", entry.sequence)
        event.add("status", entry.status)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.starts_at.astimezone(ZONE))
        event.add("dtend", entry.ends_at.astimezone(ZONE))
        event.add("summary", entry.title)
        if entry.place:
            event.add("location", entry.place)
        if entry.description:
            event.add("description", entry.description)
        if entry.url:
            event.add("url", entry.url)
        if entry.categories:
            event.add("categories", entry.categories)
        calendar.add_component(event)
    return calendar


def response(calendar: Calendar, *, filename: str, attachment: bool = True) -> HttpResponse:
    """The calendar as a text/calendar response (a download, or inline for a subscribed feed)."""
    reply = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    reply["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return reply
