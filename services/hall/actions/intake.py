"""Every intake channel into one queue (接诉即办): how a report came in is kept on its case; a new report that
looks like an open case (the same kind at the same place within days) is offered for merging into it; and the
figures by channel — how many came in, how fast they were taken up and closed, how many in time."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet, Value
from django.db.models.functions import Lower, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.core.models import User
from services.hall.actions.cases import CLOSED_MESSAGE
from services.hall.models import Case, CaseEvent
from services.hall.querysets import CaseQuerySet

DUPLICATE_DAYS = 7
_SPACE = re.compile(r"\s+")


def _place(location: str) -> str:
    return _SPACE.sub("", location or "").lower()


def likely_duplicates(*, community_id: int, kind: str, location: str, days: int = DUPLICATE_DAYS) -> QuerySet:
    """Open cases of the community of the same kind at the same place (spaces and case aside), filed within `days`."""
    place = _place(location)
    if not place:
        return Case.objects.none()
    squeezed = Replace(Replace(Lower("location"), Value(" "), Value("")), Value("\u3000"), Value(""))
    return (
        Case.objects.open()
        .filter(community_id=community_id, kind=kind, submitted_at__gte=timezone.now() - dt.timedelta(days=days))
        .annotate(place=squeezed)
        .filter(place=place)
        .select_related("resident")
        .order_by("submitted_at")
    )


def case_add_report(*, case: Case, by: User, source: str, caller: str, text: str) -> CaseEvent:
    """Another report of what `case` already holds (a neighbour's call, a 12345 ticket about the same burst pipe): a
    line on its timeline for staff — the caller's name is not the resident's business — not a second case."""
    refuse_locked(case, CLOSED_MESSAGE)
    line = _("Reported again (%(source)s) by %(caller)s: %(text)s") % {
        "source": Case.Source(source).label,
        "caller": caller,
        "text": text.strip(),
    }
    event = CaseEvent.objects.create(case=case, actor=by, kind=CaseEvent.Kind.NOTE, text=line, internal=True)
    audit(actor=by, action="case_add_report", obj=case, community_id=case.community_id, summary=str(source))
    return event


@dataclass
class ChannelFigures:
    source: str
    label: str
    received: int
    still_open: int
    accept_hours: float | None  # median time from report to acceptance
    close_hours: float | None  # median time from report to closing (done or rejected)
    in_time: int  # done by the deadline
    done: int

    @property
    def in_time_percent(self) -> int | None:
        return round(100 * self.in_time / self.done) if self.done else None


def _median_hours(spans: list[dt.timedelta]) -> float | None:
    return round(statistics.median(s.total_seconds() for s in spans) / 3600, 1) if spans else None


def figures_by_channel(cases: QuerySet, *, days: int) -> list[ChannelFigures]:
    """The cases of `cases` reported in the last `days` days, by the channel they came in through (every channel
    listed, also those with none)."""
    rows = cases.filter(submitted_at__gte=timezone.now() - dt.timedelta(days=days)).values_list(
        "source", "status", "submitted_at", "accepted_at", "closed_at", "deadline"
    )
    by_source: dict[str, list] = {source: [] for source in Case.Source.values}
    for row in rows:
        by_source.setdefault(row[0], []).append(row)
    figures = []
    for source, found in by_source.items():
        done = [r for r in found if r[1] == Case.Status.DONE and r[4] is not None]
        figures.append(
            ChannelFigures(
                source=source,
                label=str(Case.Source(source).label),
                received=len(found),
                still_open=sum(1 for r in found if r[1] in CaseQuerySet.OPEN),
                accept_hours=_median_hours([r[3] - r[2] for r in found if r[3]]),
                close_hours=_median_hours([r[4] - r[2] for r in found if r[4]]),
                in_time=sum(1 for r in done if timezone.localtime(r[4]).date() <= r[5]),
                done=len(done),
            )
        )
    return figures
