"""The hall's blocks on the staff workbench: today's appointments and the queue at each counter; cases assigned to
me, unassigned, due soon and overdue; mediation follow-up visits (回访) due. One or two queries a block."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.access import scope_to_staff
from portal.core.waiting import FIRST_ROWS, Block, Row, Tally
from services.hall.models import Booking, Case, Counter, Mediation
from services.hall.querysets import CaseQuerySet

DUE_SOON_DAYS = 2  # "due soon": open, deadline today or within this many days

# The models these blocks read: the workbench keeps them until one changes (portal.core.waiting).
DEPENDS = ("services.Booking", "services.Case", "services.Counter", "services.Mediation")


def blocks(user, today: dt.date) -> list[Block]:
    found = []
    if user.has_perm("services.work_desk"):
        found.append(_desk(user, today))
    if user.has_perm("services.view_case"):
        found.append(_cases(user, today))
        found.append(_follow_ups(user, today))
    return found


def _desk(user, today: dt.date) -> Block:
    counters = list(
        scope_to_staff(Counter.objects.active(), user)
        .annotate(
            booked=Count("slots__bookings", filter=Q(slots__date=today, slots__bookings__status="active")),
            waiting=Count(
                "slots__bookings",
                filter=Q(
                    slots__date=today,
                    slots__bookings__status="active",
                    slots__bookings__desk=Booking.Desk.CHECKED_IN,
                ),
            ),
        )
        .order_by("number")
    )
    desk = reverse("services:desk")
    return Block(
        key="hall.desk",
        title=_("Today's appointments"),
        url=desk,
        tallies=[
            Tally(_("booked today"), sum(c.booked for c in counters), desk),
            Tally(_("waiting at the counters"), sum(c.waiting for c in counters), desk, urgent=True),
        ],
        rows=[
            Row(
                f"{c.number} · {c.name}",
                reverse("services:desk_counter", args=[c.pk]),
                _("%(waiting)s waiting, %(booked)s booked") % {"waiting": c.waiting, "booked": c.booked},
                urgent=c.waiting > 0,
            )
            for c in counters
        ],
        links=[(_("Act for a resident (代办)"), reverse("services:desk_residents"))]
        if user.has_perm("services.book_on_behalf")
        else [],
        empty=_("No counter is open."),
    )


def case_list(**filters) -> str:
    """The admin list of cases narrowed by these filters (fields of the case, as the admin's list filters take)."""
    return f"{reverse('admin:services_case_changelist')}?{urlencode(filters)}"


OPEN = ",".join(CaseQuerySet.OPEN)


def _cases(user, today: dt.date) -> Block:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    open_cases = scope_to_staff(Case.objects.open(), user)
    counts = open_cases.aggregate(
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        soon=Count("pk", filter=Q(deadline__gte=today, deadline__lte=soon)),
        overdue=Count("pk", filter=Q(deadline__lt=today)),
    )
    first = (
        open_cases.filter(Q(assignee=user) | Q(assignee__isnull=True))
        .select_related("resident")
        .order_by("deadline", "pk")[:FIRST_ROWS]
    )
    return Block(
        key="hall.cases",
        title=_("Cases"),
        url=case_list(status__in=OPEN),
        tallies=[
            Tally(_("assigned to me"), counts["mine"], case_list(status__in=OPEN, assignee__id__exact=user.pk)),
            Tally(_("unassigned"), counts["unassigned"], case_list(status__in=OPEN, assignee__isnull="True")),
            Tally(
                _("due soon"),
                counts["soon"],
                case_list(status__in=OPEN, deadline__gte=today.isoformat(), deadline__lte=soon.isoformat()),
            ),
            Tally(_("overdue"), counts["overdue"], case_list(overdue="yes"), urgent=True),
        ],
        rows=[
            Row(
                f"{case.number} {case.title} · {case.resident.name}",
                reverse("admin:services_case_change", args=[case.pk]),
                _("due %(day)s") % {"day": f"{case.deadline:%Y-%m-%d}"},
                urgent=case.deadline < today,
            )
            for case in first
        ],
        links=[(_("Reports by channel"), reverse("services:case_channels"))],
        empty=_("No open case waits for you."),
    )


def _follow_ups(user, today: dt.date) -> Block:
    due = (
        scope_to_staff(Mediation.objects.all(), user, "case__community")
        .filter(follow_up_due__lte=today, follow_up_done_on__isnull=True)
        .select_related("case")
        .order_by("follow_up_due", "pk")
    )
    count = due.count()
    url = case_list(follow_up="due")
    return Block(
        key="hall.follow_ups",
        title=_("Mediation follow-up visits (回访) due"),
        url=url,
        tallies=[Tally(_("visits due"), count, url, urgent=True)],
        rows=[
            Row(
                f"{m.case.number} {m.case.title}",
                reverse("admin:services_case_change", args=[m.case_id]),
                _("due %(day)s") % {"day": f"{m.follow_up_due:%Y-%m-%d}"},
                urgent=m.follow_up_due < today,
            )
            for m in due[:FIRST_ROWS]
        ],
        empty=_("No follow-up visit is due."),
    )
