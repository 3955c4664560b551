"""Meetings held vs due per rhythm period (quarter, two months …), computed from one query per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Council, Meeting


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive
    held_regular: int
    held_other: int
    current: bool

    @property
    def label(self) -> str:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        if months == 3:
            return _("%(year)d Q%(quarter)d") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        return f"{self.start:%Y-%m}"

    @property
    def missed(self) -> bool:
        return not self.current and self.held_regular == 0


@dataclass(frozen=True)
class Cadence:
    council: Council
    periods: list[Period]

    @property
    def due(self) -> int:
        return sum(1 for p in self.periods if not p.current)

    @property
    def held(self) -> int:
        return sum(1 for p in self.periods if not p.current and p.held_regular)


def cadence_for(councils: list[Council], *, years: int = 2, today: dt.date | None = None) -> list[Cadence]:
    """Per council, the rhythm periods of the last `years` years up to the current one, oldest first."""
    today = today or timezone.localdate()
    since = today.replace(year=today.year - years, month=1, day=1)
    held: dict[int, list[tuple[dt.date, str]]] = {c.pk: [] for c in councils}
    rows = Meeting.objects.filter(
        council__in=councils, status=Meeting.Status.HELD, starts_at__date__gte=since
    ).values_list("council_id", "starts_at", "kind")
    for council_id, starts_at, kind in rows:
        held[council_id].append((timezone.localtime(starts_at).date(), kind))
    result = []
    for council in councils:
        periods = []
        # Due from the first whole period of the council's life (a council set up mid-quarter owes nothing for it).
        created = min([timezone.localtime(council.created_at).date(), *(day for day, _kind in held[council.pk])])
        start, end = council.period_of(max(since, created))
        if created > start and not any(start <= day < end for day, _kind in held[council.pk]):
            start, end = council.period_of(end)
        while start <= today:
            in_period = [kind for day, kind in held[council.pk] if start <= day < end]
            regular = sum(1 for kind in in_period if kind == Meeting.Kind.REGULAR)
            periods.append(Period(start, end, regular, len(in_period) - regular, start <= today < end))
            start, end = council.period_of(end)
        result.append(Cadence(council, periods))
    return result
