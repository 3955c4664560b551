"""The yearly summary of a unit's reporting members (在职党员报到情况反馈), sent back to the unit's party organisation:
each member's report-in date, courtyard party group, posts, wishes fulfilled and hours. One set of figures, two
files: Excel (openpyxl, like the volunteers' hour export) and PDF (the print page through portal.core.pdf).

Only confirmed records count: confirmed report-ins, wishes confirmed fulfilled, completed service tasks and
confirmed volunteer hours of the year. No phone numbers: the unit has them. A fixed number of queries per unit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db.models import Count, Prefetch, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.core.pdf import html_to_pdf
from portal.core.uploads import private_storage
from residents.models import StationedUnit
from volunteers.models import DutyPost, PartyTask, SignUp, StationedReport, UnitSummary, Wish

DONE = (Wish.Status.CONFIRMED, Wish.Status.THANKED)


@dataclass
class MemberRow:
    name: str
    reported_on: str
    channel: str
    group: str
    posts: list[str]
    wishes: int
    hours: Decimal


@dataclass
class Figures:
    unit: StationedUnit
    year: int
    rows: list[MemberRow] = field(default_factory=list)

    @property
    def members(self) -> int:
        return len(self.rows)

    @property
    def wishes(self) -> int:
        return sum(r.wishes for r in self.rows)

    @property
    def hours(self) -> Decimal:
        return sum((r.hours for r in self.rows), Decimal(0))

    @property
    def active(self) -> int:
        return sum(1 for r in self.rows if r.posts or r.wishes or r.hours)


def figures(unit: StationedUnit, year: int) -> Figures:
    """The unit's reporting members of `year` with what each did in it."""
    reports = list(
        StationedReport.objects.confirmed()
        .filter(unit=unit, year=year, member__isnull=False)
        .select_related("group")
        .prefetch_related(
            Prefetch("member__duty_posts", queryset=DutyPost.objects.only("pk", "title").order_by("title"))
        )
        .select_related("member")
        .order_by("reported_at", "pk")
    )
    members = [r.member_id for r in reports]
    wishes = dict(
        Wish.objects.filter(claimed_by_id__in=members, status__in=DONE, confirmed_at__year=year)
        .values("claimed_by")
        .annotate(n=Count("pk"))
        .values_list("claimed_by", "n")
    )
    task_hours = dict(
        PartyTask.objects.filter(assignee_id__in=members, completed_on__year=year)
        .values("assignee")
        .annotate(h=Sum("hours"))
        .values_list("assignee", "h")
    )
    signup_hours = dict(
        SignUp.objects.confirmed()
        .filter(volunteer__resident__party_member__in=members, activity__date__year=year)
        .values("volunteer__resident__party_member")
        .annotate(h=Sum("hours"))
        .values_list("volunteer__resident__party_member", "h")
    )
    result = Figures(unit=unit, year=year)
    for report in reports:
        pk = report.member_id
        result.rows.append(
            MemberRow(
                name=report.name,
                reported_on=f"{timezone.localtime(report.reported_at):%Y-%m-%d}",
                channel=report.get_channel_display(),
                group=report.group.name if report.group_id else "",
                posts=[post.title for post in report.member.duty_posts.all()],
                wishes=wishes.get(pk, 0),
                hours=(task_hours.get(pk) or Decimal(0)) + (signup_hours.get(pk) or Decimal(0)),
            )
        )
    return result


def filename(summary: UnitSummary, ext: str) -> str:
    return f"stationed-{summary.year}-unit-{summary.unit_id}.{ext}"


def workbook(data: Figures) -> bytes:
    """The summary as an Excel workbook: one sheet, a title row, a header and a row per member, then the totals."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(data.year)
    bold = Font(bold=True)
    ws.append(
        [_("%(unit)s: stationed party members reporting in, %(year)s") % {"unit": data.unit.name, "year": data.year}]
    )
    ws["A1"].font = bold
    header = [
        _("Name"),
        _("Reported in"),
        pgettext("stationed", "Channel"),
        _("Party group"),
        _("Posts"),
        _("Wishes fulfilled"),
        _("Hours"),
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = bold
    for r in data.rows:
        ws.append([r.name, r.reported_on, r.channel, r.group, "、".join(r.posts), r.wishes, float(r.hours)])
    ws.append([pgettext("stationed", "Total"), data.members, "", "", "", data.wishes, float(data.hours)])
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.freeze_panes = "A3"
    for letter, width in zip("ABCDEFG", (12, 12, 10, 18, 36, 10, 8), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def print_html(summary: UnitSummary, data: Figures, *, for_pdf: bool = False) -> str:
    """The print page of the summary (the PDF is this page; CSS inlined for Chromium)."""
    css = open(finders.find("volunteers/summary_print.css"), encoding="utf-8").read() if for_pdf else ""
    return render_to_string(
        "volunteers/stationed/summary_print.html",
        {"summary": summary, "data": data, "inline_css": css, "for_pdf": for_pdf, "community": summary.community},
    )


def pdf(summary: UnitSummary) -> bytes | None:
    """The summary as a PDF, made once per preparation (kept in private storage), or None without Chromium."""
    name = f"volunteers/summaries/{filename(summary, '')}{summary.prepared_at:%Y%m%d%H%M%S%f}.pdf"
    storage = private_storage()
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            return stored.read()
    with translation.override(settings.LANGUAGE_CODE):
        html = print_html(summary, figures(summary.unit, summary.year), for_pdf=True)
    data = html_to_pdf(html)
    if data is not None:
        storage.save(name, ContentFile(data))
    return data
