"""A case's timeline as people read it: every step in order, with labels (办理中, not `in_progress`) and local times
(Asia/Shanghai); for a mediation also its sessions, the agreement and the follow-up visit (回访). Read by the
resident's case page (public lines only) and by the staff's case page in the admin (every line)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from services.hall.models import Case, CaseEvent, Mediation


@dataclass
class Entry:
    at: dt.datetime  # aware; date-only steps (agreement, follow-up) sort at the end of their day
    what: str
    text: str = ""
    by: str = ""
    internal: bool = False
    date_only: bool = False

    @property
    def when(self) -> str:
        local = timezone.localtime(self.at)
        return f"{local:%Y-%m-%d}" if self.date_only else f"{local:%Y-%m-%d %H:%M}"


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _event_label(event: CaseEvent) -> str:
    if event.kind == CaseEvent.Kind.STATUS and event.to_status in Case.Status.values:
        return _("Status: %(status)s") % {"status": Case.Status(event.to_status).label}
    return str(event.get_kind_display())


def case_timeline(case: Case, *, staff: bool) -> list[Entry]:
    """The case's steps, oldest first; internal lines (and the mediation's own record) only for staff."""
    events = case.events.select_related("actor")
    if not staff:
        events = events.filter(internal=False)
    entries = [
        Entry(e.at, _event_label(e), e.text, e.actor.name if e.actor else "", e.internal)
        for e in events.order_by("at", "id")
    ]
    mediation = Mediation.objects.filter(case=case).first() if case.kind == Case.Kind.MEDIATION else None
    if mediation is not None:
        entries += _mediation_entries(mediation, staff=staff)
    return sorted(entries, key=lambda e: e.at)


def _mediation_entries(mediation: Mediation, *, staff: bool) -> list[Entry]:
    found = [
        Entry(
            s.held_at,
            _("Mediation session"),
            f"{s.place}: {s.summary}" if s.place else s.summary,
            s.mediator.name if s.mediator else "",
            internal=True,
        )
        for s in mediation.sessions.select_related("mediator")
        if staff
    ]
    if mediation.agreed_on:
        found.append(Entry(_end_of(mediation.agreed_on), _("Agreement reached"), mediation.agreement, date_only=True))
    if mediation.follow_up_done_on:
        found.append(
            Entry(
                _end_of(mediation.follow_up_done_on),
                _("Follow-up visit (回访) made"),
                mediation.follow_up_notes if staff else "",
                date_only=True,
            )
        )
    elif mediation.follow_up_due and staff:
        found.append(
            Entry(_end_of(mediation.follow_up_due), _("Follow-up visit (回访) due"), internal=True, date_only=True)
        )
    return found
