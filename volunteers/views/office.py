"""The community office's pages of 在职党员报到 and 微心愿 (党总支书记, 居委会主任; the district reads):
the register of report-ins per unit and year, the counter forms, the wish queue, and the units' yearly summaries.

The gate is the core's: staff_required(view permission) for the page, require_perm(change permission) for its
POST; records load through scope_to_staff, so another community's are a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.access import require_community, require_perm, staff_object, staff_required
from portal.core.requests import community_of, error_text, form_errors, id_of, paginate
from residents.models import PartyMember, Resident, StationedUnit
from volunteers.models import StationedReport, UnitSummary, Wish
from volunteers.stationed import actions, summary
from volunteers.stationed.forms import (
    ConfirmReportForm,
    ConfirmWishForm,
    CounterReportForm,
    CounterWishForm,
    PublishWishForm,
    ReasonForm,
    SentForm,
    ThanksForm,
)

VIEW_REPORT, CHANGE_REPORT = "volunteers.view_stationedreport", "volunteers.change_stationedreport"
VIEW_WISH, CHANGE_WISH = "volunteers.view_wish", "volunteers.change_wish"
VIEW_SUMMARY, CHANGE_SUMMARY = "volunteers.view_unitsummary", "volunteers.change_unitsummary"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _community(request: HttpRequest):
    community = community_of(request)
    require_community(request.user, community.pk)
    return community


def _year(request: HttpRequest) -> int:
    year = id_of(request.GET.get("year"))
    return year if year is not None and 2000 <= year <= 2100 else actions.this_year()


@staff_required(VIEW_REPORT)
def register(request: HttpRequest) -> HttpResponse:
    """Who reported in, per unit and per year; the report-ins waiting for the office."""
    community = _community(request)
    year = _year(request)
    units = (
        StationedUnit.objects.filter(community=community)
        .annotate(
            filed=Count(
                "party_members",
                filter=Q(party_members__category=PartyMember.Category.STATIONED),
                distinct=True,
            ),
            reported=Count(
                "reports",
                filter=Q(reports__year=year, reports__status=StationedReport.Status.CONFIRMED),
                distinct=True,
            ),
            waiting=Count(
                "reports",
                filter=Q(reports__year=year, reports__status=StationedReport.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    reports = StationedReport.objects.filter(community=community, year=year).select_related("unit", "group")
    unit_id = id_of(request.GET.get("unit"))
    if unit_id is not None:
        reports = reports.filter(unit_id=unit_id)
    status = request.GET.get("status", "")
    if status in StationedReport.Status.values:
        reports = reports.filter(status=status)
    waiting = StationedReport.objects.filter(community=community, status=StationedReport.Status.SUBMITTED)
    return render(
        request,
        "volunteers/stationed/register.html",
        {
            "community": community,
            "year": year,
            "years": range(actions.this_year(), actions.this_year() - 4, -1),
            "units": units,
            "unit_id": unit_id,
            "status": status,
            "statuses": StationedReport.Status.choices,
            "waiting": waiting.select_related("unit").order_by("reported_at")[:10],
            "waiting_count": waiting.count(),
            "page": paginate(request, reports.order_by("unit__name", "name", "pk"), 25),
        },
    )


@staff_required(VIEW_REPORT, "volunteers.add_stationedreport")
def report_new(request: HttpRequest) -> HttpResponse:
    """At the counter: record a member's report-in (and confirm it at once when a group is chosen)."""
    community = _community(request)
    form = CounterReportForm(request.POST or None, community_id=community.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group = data.pop("group")
        try:
            report = actions.stationed_report_submit(community=community, by=request.user, **data)
            if group is not None and request.user.has_perm(CHANGE_REPORT):
                actions.stationed_report_confirm(report=report, by=request.user, group=group)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The report-in of %(name)s is recorded.") % {"name": report.name})
            return redirect("volunteers:report_work", pk=report.pk)
    return render(request, "volunteers/stationed/report_new.html", {"form": form, "community": community})


@staff_required(VIEW_REPORT)
def report_work(request: HttpRequest, pk: int) -> HttpResponse:
    """One report-in: confirm it into a courtyard party group, or decline it with a reason."""
    report = staff_object(
        StationedReport.objects.select_related("unit", "group", "member", "wished_group"), request.user, pk=pk
    )
    confirm_form = ConfirmReportForm(community_id=report.community_id, initial={"group": report.wished_group_id})
    decline_form = ReasonForm()
    if request.method == "POST":
        require_perm(request.user, CHANGE_REPORT)
        step = request.POST.get("step")
        try:
            if step == "confirm":
                confirm_form = ConfirmReportForm(request.POST, community_id=report.community_id)
                if confirm_form.is_valid():
                    actions.stationed_report_confirm(
                        report=report, by=request.user, group=confirm_form.cleaned_data["group"]
                    )
                    messages.success(request, _("Confirmed: %(name)s is in the party group.") % {"name": report.name})
                    return redirect("volunteers:report_work", pk=report.pk)
            elif step == "decline":
                decline_form = ReasonForm(request.POST)
                if decline_form.is_valid():
                    actions.stationed_report_decline(
                        report=report, by=request.user, reason=decline_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The report-in was declined."))
                    return redirect("volunteers:report_work", pk=report.pk)
            else:
                messages.error(request, _("Unknown step."))
        except ValidationError as exc:
            form_errors(confirm_form if step == "confirm" else decline_form, exc)
    return render(
        request,
        "volunteers/stationed/report_work.html",
        {"report": report, "confirm_form": confirm_form, "decline_form": decline_form},
    )


@staff_required(VIEW_WISH)
def wish_queue(request: HttpRequest) -> HttpResponse:
    """Small wishes by state: to review, claimed, reported fulfilled (to confirm), done."""
    community = _community(request)
    status = request.GET.get("status") or Wish.Status.SUBMITTED
    if status not in Wish.Status.values:
        status = Wish.Status.SUBMITTED
    counts = dict(
        Wish.objects.filter(community=community)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    wishes = (
        Wish.objects.filter(community=community, status=status)
        .select_related("resident__household__building", "claimed_by__unit")
        .order_by("posted_at", "pk")
    )
    return render(
        request,
        "volunteers/stationed/wish_queue.html",
        {
            "community": community,
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Wish.Status.choices],
            "page": paginate(request, wishes, 25),
        },
    )


@staff_required(VIEW_WISH, "volunteers.add_wish")
def wish_new(request: HttpRequest) -> HttpResponse:
    """At the counter (or on a home visit): post a small wish for a resident, found by the register's phone."""
    community = _community(request)
    form = CounterWishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = (
            Resident.objects.filter(community=community, phone=data["phone"].strip()).current().order_by("pk").first()
        )
        if resident is None:
            form.add_error("phone", _("No resident of this community has this phone number in the register."))
        else:
            try:
                wish = actions.wish_post(
                    resident=resident, by=request.user, title=data["title"], details=data["details"]
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("The wish is recorded; review it to publish it."))
                return redirect("volunteers:wish_work", pk=wish.pk)
    return render(request, "volunteers/stationed/wish_new.html", {"form": form, "community": community})


WISH_STEPS = ("publish", "decline", "confirm", "return", "thank")


@staff_required(VIEW_WISH)
def wish_work(request: HttpRequest, pk: int) -> HttpResponse:
    """One small wish and its next step: publish (details rewritten without personal data) or decline; confirm a
    fulfilled one with the hours, or send it back; record the resident's thanks."""
    wish = staff_object(
        Wish.objects.select_related("resident__household__building", "claimed_by__unit", "reviewed_by", "task"),
        request.user,
        pk=pk,
    )
    forms = {
        "publish": PublishWishForm(initial={"title": wish.title}),
        "decline": ReasonForm(),
        "confirm": ConfirmWishForm(initial={"hours": 2}),
        "return": ReasonForm(),
        "thank": ThanksForm(),
    }
    if request.method == "POST":
        require_perm(request.user, CHANGE_WISH)
        step = request.POST.get("step", "")
        if step not in WISH_STEPS:
            messages.error(request, _("Unknown step."))
            return redirect("volunteers:wish_work", pk=wish.pk)
        form = forms[step] = type(forms[step])(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if step == "publish":
                    actions.wish_publish(
                        wish=wish, by=request.user, title=data["title"], public_details=data["public_details"]
                    )
                elif step == "decline":
                    actions.wish_decline(wish=wish, by=request.user, reason=data["reason"])
                elif step == "confirm":
                    actions.wish_confirm(wish=wish, by=request.user, hours=data["hours"])
                elif step == "return":
                    actions.wish_return(wish=wish, by=request.user, reason=data["reason"])
                else:
                    actions.wish_thank(wish=wish, by=request.user, thanks=data["thanks"])
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("volunteers:wish_work", pk=wish.pk)
    return render(request, "volunteers/stationed/wish_work.html", {"wish": wish, "forms": forms})


@staff_required(VIEW_SUMMARY)
def summaries(request: HttpRequest) -> HttpResponse:
    """The year's summaries per unit: prepare them, download the PDF and Excel, mark each sent."""
    community = _community(request)
    year = _year(request)
    if request.method == "POST":
        require_perm(request.user, CHANGE_SUMMARY)
        count = actions.unit_summaries_prepare(community=community, year=year, by=request.user)
        messages.success(request, _("%(count)d summaries are ready for %(year)s.") % {"count": count, "year": year})
        return redirect(f"{request.path}?year={year}")
    rows = (
        UnitSummary.objects.filter(community=community, year=year)
        .select_related("unit", "sent_by")
        .order_by("unit__name")
    )
    return render(
        request,
        "volunteers/stationed/summaries.html",
        {
            "community": community,
            "year": year,
            "years": range(actions.this_year(), actions.this_year() - 4, -1),
            "rows": rows,
            "sent_form": SentForm(),
        },
    )


@staff_required(VIEW_SUMMARY)
def summary_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The summary as a PDF (when Chromium is there) or an Excel workbook."""
    record = staff_object(UnitSummary.objects.select_related("unit", "community"), request.user, pk=pk)
    if fmt == "xlsx":
        data, content_type = summary.workbook(summary.figures(record.unit, record.year)), XLSX
    elif fmt == "pdf":
        data, content_type = summary.pdf(record), "application/pdf"
        if data is None:
            html = summary.print_html(record, summary.figures(record.unit, record.year))
            return HttpResponse(html)  # no Chromium here: the print page, which the browser saves as PDF
    else:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{summary.filename(record, fmt)}"'
    return response


@staff_required(CHANGE_SUMMARY)
@require_POST
def summary_sent(request: HttpRequest, pk: int) -> HttpResponse:
    record = staff_object(UnitSummary.objects.all(), request.user, pk=pk)
    form = SentForm(request.POST)
    try:
        actions.unit_summary_mark_sent(
            summary=record, by=request.user, note=form.cleaned_data["note"] if form.is_valid() else ""
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Marked sent."))
    return redirect(f"{reverse('volunteers:summaries')}?year={record.year}")
