"""Day-before reminders for every seat (hall appointments, events, classes, checkups, room bookings, volunteer
shifts): one scan, one pattern, each reminder sent once.

An app declares what is due in its `reminders.py` (found by name, portal.core.plugins):

    SOURCES = {"<kind>": due}   # due(day) → iterable of Due: the reminders for things happening on `day`

`send_day_before()` asks every source for tomorrow's reminders and sends each through `remind_once`: the marker
row (`ReminderSent`, unique `key`) is inserted in the same transaction as the notification. A second scan, or a
second worker running the same scan at the same moment, inserts the same key: PostgreSQL makes it wait for the first
transaction and then refuses it, so nobody is told twice, and a reminder whose sending failed (rolled back) is
sent by the next scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise

from portal.core.models import ReminderSent, User
from portal.core.notify import notify
from portal.core.plugins import app_modules


@dataclass
class Due:
    """One reminder to send: `key` is unique for what it is about (kind, record, day)."""

    key: str
    recipient: User
    title: Promise
    body: Promise | str = ""
    url: str = ""
    kind: str = "account"  # portal.core.models.Kind: which of the recipient's notification settings apply
    # Run in the same transaction once sent (e.g. a record's own `reminded_at`).
    mark: Callable[[], object] | None = None


def reminder_key(kind: str, pk: int, day: dt.date) -> str:
    return f"{kind}:{pk}:{day.isoformat()}"


def remind_once(due: Due, *, now: dt.datetime | None = None) -> bool:
    """Send `due` unless it was sent already; True when this call sent it."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(key=due.key, recipient=due.recipient, sent_at=now or timezone.now())
        except IntegrityError:
            return False  # sent before, or by a scan running at this very moment
        notify(recipient=due.recipient, title=due.title, body=due.body, url=due.url, kind=due.kind)
        if due.mark is not None:
            due.mark()
    return True


def send_all(dues: Iterable[Due], *, now: dt.datetime | None = None) -> int:
    """Send every reminder of `dues` not sent yet; returns how many this call sent."""
    dues = list(dues)
    already = set(ReminderSent.objects.filter(key__in=[d.key for d in dues]).values_list("key", flat=True))
    return sum(remind_once(due, now=now) for due in dues if due.key not in already)


def sources() -> dict[str, Callable[[dt.date], Iterable[Due]]]:
    """Every app's reminder sources, by kind."""
    found: dict[str, Callable[[dt.date], Iterable[Due]]] = {}
    for _app, module in app_modules("reminders"):
        found.update(getattr(module, "SOURCES", {}))
    return found


def send_day_before(*, now: dt.datetime | None = None, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Remind everyone of what they hold tomorrow (Asia/Shanghai); returns how many were sent, by kind."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    wanted = set(kinds) if kinds is not None else None
    return {
        kind: send_all(due(tomorrow), now=now) for kind, due in sources().items() if wanted is None or kind in wanted
    }
