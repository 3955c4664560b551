"""The councils' blocks on the staff workbench: minutes waiting for my approval (or to be finished, for the council's
secretary), resolutions past their deadline, suggestions to triage, comments residents reported, ended surveys whose
results wait to be published. One or two queries a block."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from councils.models import Comment, CommentReport, Minutes, Resolution, Suggestion, Survey
from portal.core.waiting import FIRST_ROWS, Block, Row, Tally

# The models these blocks read: the workbench keeps them until one changes (portal.core.waiting).
DEPENDS = (
    "councils.Comment",
    "councils.CommentReport",
    "councils.Minutes",
    "councils.Resolution",
    "councils.Suggestion",
    "councils.Survey",
)


def blocks(user, today: dt.date) -> list[Block]:
    found = []
    if user.has_perm("councils.view_minutes"):
        found.append(_minutes(user))
    if user.has_perm("councils.view_resolution"):
        found.append(_resolutions(user, today))
    if user.has_perm("councils.change_suggestion"):
        found.append(_suggestions(user))
    if user.has_perm("councils.hide_comment"):
        found.append(_reported_comments(user))
    if user.has_perm("councils.change_survey"):
        found.append(_surveys(user))
    return found


def _minutes(user) -> Block:
    """Submitted minutes of councils I convene (to approve); drafts of councils I am secretary of (to finish)."""
    approve = (
        Q(status=Minutes.Status.SUBMITTED, meeting__council__convenor=user)
        if user.has_perm("councils.approve_minutes")
        else Q(pk__isnull=True)
    )
    finish = Q(status=Minutes.Status.DRAFT, meeting__council__secretary=user)
    mine = Minutes.objects.for_staff(user).filter(approve | finish)
    counts = mine.aggregate(approve=Count("pk", filter=approve), finish=Count("pk", filter=finish))
    first = mine.select_related("meeting__council").order_by("meeting__starts_at", "pk")[:FIRST_ROWS]
    work = reverse("councils:work")
    return Block(
        key="councils.minutes",
        title=_("Minutes"),
        url=work,
        tallies=[
            Tally(_("waiting for my approval"), counts["approve"], work, urgent=True),
            Tally(_("drafts to finish"), counts["finish"], work),
        ],
        rows=[
            Row(
                str(m.meeting),
                reverse("councils:minutes_edit", args=[m.meeting_id]),
                m.get_status_display(),
                urgent=m.status == Minutes.Status.SUBMITTED,
            )
            for m in first
        ],
        links=[(_("Council work"), work), (_("Open ledger"), reverse("councils:ledger"))],
        empty=_("No minutes wait for you."),
    )


def _resolutions(user, today: dt.date) -> Block:
    overdue = Resolution.objects.for_staff(user).overdue(today)
    first = overdue.order_by("deadline", "pk")[:FIRST_ROWS]
    count = overdue.count()  # always: the same number of queries whatever the data
    work = reverse("councils:work")
    return Block(
        key="councils.resolutions",
        title=_("Resolutions past their deadline"),
        url=work,
        tallies=[Tally(_("past deadline"), count, work, urgent=True)],
        rows=[
            Row(
                f"{r.number} {r.title}",
                reverse("councils:resolution", args=[r.pk]),
                _("due %(day)s") % {"day": f"{r.deadline:%Y-%m-%d}"},
                urgent=True,
            )
            for r in first
        ],
        empty=_("Every resolution is on time."),
    )


def _suggestions(user) -> Block:
    new = Suggestion.objects.for_staff(user).filter(status=Suggestion.Status.SUBMITTED)
    first = new.order_by("created_at", "pk")[:FIRST_ROWS]
    count = new.count()
    triage = reverse("councils:triage")
    return Block(
        key="councils.suggestions",
        title=_("Suggestions to triage"),
        url=triage,
        tallies=[Tally(_("new"), count, triage)],
        rows=[
            Row(
                f"{s.tracking_number} {s.title}",
                reverse("councils:suggestion", args=[s.tracking_number]),
                f"{s.created_at:%Y-%m-%d}",
            )
            for s in first
        ],
        empty=_("No new suggestion."),
    )


def _reported_comments(user) -> Block:
    """Comments that residents reported as abusive and nobody has handled yet: hide them or dismiss the reports."""
    open_reports = CommentReport.objects.for_staff(user).open()
    counts = open_reports.aggregate(reports=Count("pk"), comments=Count("comment", distinct=True))
    first = (
        Comment.objects.filter(pk__in=open_reports.values("comment"))
        .annotate(reports_open=Count("reports", filter=Q(reports__handled_at__isnull=True)))
        .order_by("created_at", "pk")[:FIRST_ROWS]
    )
    work = reverse("councils:comment_reports")
    return Block(
        key="councils.comments",
        title=_("Reported comments"),
        url=work,
        tallies=[Tally(_("comments reported"), counts["comments"], work, urgent=True)],
        rows=[
            Row(
                c.text[:40],
                reverse("councils:comment_hide", args=[c.pk]),
                _("reports: %(n)d") % {"n": c.reports_open},
                urgent=True,
            )
            for c in first
        ],
        empty=_("No reported comment waits."),
    )


def _surveys(user) -> Block:
    """Surveys that have ended and whose results are not yet published."""
    ended = Survey.objects.for_staff(user).filter(
        Q(status=Survey.Status.CLOSED) | Q(status=Survey.Status.OPEN, closes_at__lte=timezone.now())
    )
    first = ended.order_by("closes_at", "pk")[:FIRST_ROWS]
    count = ended.count()
    work = reverse("councils:survey_staff_list")
    return Block(
        key="councils.surveys",
        title=pgettext("survey", "Surveys"),
        url=work,
        tallies=[Tally(_("ended, results not published"), count, work, urgent=True)],
        rows=[
            Row(
                s.title,
                reverse("councils:survey_work", args=[s.pk]),
                _("ended %(day)s") % {"day": f"{timezone.localtime(s.closes_at):%Y-%m-%d}"},
                urgent=True,
            )
            for s in first
        ],
        links=[(pgettext("survey", "Surveys"), work)],
        empty=_("No survey waits for its results to be published."),
    )
