"""Pages for coordinators (居委会主任 and team leaders): applications, rosters with check-in/out and hours,
statistics, growth, statements, exports, badge sheets, and people served (sensitive, logged).

The gate is volunteers.access.coordinator_required (the core's sign-in and permission check, then a coordination
scope: 403 without); records load through the scope (404 outside it)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.audit import sensitive_read
from portal.core.capacity import SeatStatus
from portal.core.confirm import confirm_first, confirm_page
from portal.core.replica import reads_replica
from portal.core.requests import error_text, form_errors, id_of, paginate
from volunteers import actions, reports
from volunteers.access import coordinator_required, require_coordination
from volunteers.badges import badge_sheet_pdf
from volunteers.forms import ActivityForm, CorrectionForm, MonthForm, ScanForm, TimeForm, VisitForm
from volunteers.models import Badge, SignUp, VisitPlan, Volunteer

PAGE_SIZE = 25
SHEET_LIMIT = 45  # five A4 pages
APPROVE = "volunteers.approve_volunteer"


@coordinator_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Activities of the last two weeks and the next month, with sign-up counts; pending applications."""
    scope = require_coordination(request.user)
    today = timezone.localdate()
    activities = (
        scope.activities()
        .select_related("team")
        .annotate(
            checked_in=Count(
                "signups", filter=Q(signups__checked_in_at__isnull=False, signups__status=SeatStatus.ACTIVE)
            ),
            to_confirm=Count(
                "signups",
                filter=Q(
                    signups__hours__isnull=False,
                    signups__hours_confirmed_at__isnull=True,
                    signups__status=SeatStatus.ACTIVE,
                ),
            ),
        )
    )
    coming = activities.filter(date__gte=today, date__lte=today + dt.timedelta(days=31)).order_by("date", "start_time")
    page = paginate(request, coming, PAGE_SIZE)
    recent = activities.filter(date__lt=today, date__gte=today - dt.timedelta(days=14)).order_by(
        "-date", "-start_time"
    )[:PAGE_SIZE]
    pending = scope.volunteers().pending().count() if scope.can_approve else 0
    return render(
        request,
        "volunteers/coordinate/dashboard.html",
        {"scope": scope, "page": page, "recent": recent, "pending": pending},
    )


@coordinator_required()
def activity_new(request: HttpRequest) -> HttpResponse:
    """Plan a new activity for one of the teams the coordinator runs."""
    scope = require_coordination(request.user)
    form = ActivityForm(request.POST or None, teams=scope.teams().filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            activity = actions.activity_create(community_id=scope.community_id, by=request.user, **fields)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The activity is published; volunteers can sign up now."))
            return redirect("volunteers:roster", pk=activity.pk)
    return render(request, "volunteers/coordinate/activity_form.html", {"form": form})


@coordinator_required(APPROVE)
def applications(request: HttpRequest) -> HttpResponse:
    scope = require_coordination(request.user)
    pending = scope.volunteers().pending().select_related("resident__household__building").order_by("applied_at")
    page = paginate(request, pending, PAGE_SIZE)
    teams = scope.teams().filter(is_active=True)
    return render(request, "volunteers/coordinate/applications.html", {"page": page, "teams": teams})


@coordinator_required(APPROVE)
@confirm_first
def application_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Approve (a POST from the list) or decline (asked first: GET shows the question, with a note for the file)."""
    if request.method != "POST" and decision == "approve":
        return HttpResponseNotAllowed(["POST"])
    scope = require_coordination(request.user)
    volunteer = get_object_or_404(scope.volunteers().select_related("resident"), pk=pk)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Decline this application?"),
            what=_("The applicant is told that the office could not approve the application this time."),
            details=[(_("Applicant"), volunteer.resident.name), (_("Applied"), f"{volunteer.applied_at:%Y-%m-%d}")],
            button=_("Yes, decline the application"),
            back=reverse("volunteers:applications"),
            reason="note",
            reason_label=_("Note for the file (optional)"),
            problem=""
            if volunteer.status == Volunteer.Status.APPLIED
            else _("Only a received application can be declined."),
        )
    try:
        if decision == "approve":
            team = scope.teams().filter(pk=id_of(request.POST.get("team"))).first()
            volunteer = actions.volunteer_approve(volunteer=volunteer, by=request.user, team=team)
            messages.success(request, _("Approved: volunteer number %(number)s.") % {"number": volunteer.number})
        else:
            actions.volunteer_reject(volunteer=volunteer, by=request.user, note=request.POST.get("note", "")[:200])
            messages.success(request, _("The application was declined."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("volunteers:applications")


@coordinator_required()
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    scope = require_coordination(request.user)
    return _roster_page(request, get_object_or_404(scope.activities().select_related("team"), pk=pk))


def _roster_page(request: HttpRequest, activity, failed: SignUp | None = None, **bound_forms) -> HttpResponse:
    """One activity's sign-ups: check in, check out, confirm or correct hours. The sign-up `failed` shows the form
    that was refused (in `bound_forms`) as typed, with the reason next to the field."""
    signups = (
        activity.signups.filter(status=SeatStatus.ACTIVE)
        .select_related("volunteer__resident", "volunteer__team")
        .prefetch_related("corrections")
        .order_by("volunteer__number")
    )
    for s in signups:
        forms = bound_forms if failed is not None and s.pk == failed.pk else {}
        s.time_form = forms.get("time_form") or TimeForm(auto_id=f"%s-{s.pk}")
        s.correction_form = forms.get("correction_form") or CorrectionForm(auto_id=f"%s-{s.pk}")
    return render(request, "volunteers/coordinate/roster.html", {"activity": activity, "signups": signups})


def _scoped_signup(request: HttpRequest, pk: int) -> SignUp:
    scope = require_coordination(request.user)
    return get_object_or_404(scope.signups().select_related("activity"), pk=pk)


@coordinator_required()
@require_POST
def signup_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Check-in, check-out or confirmation of one sign-up."""
    signup = _scoped_signup(request, pk)
    form = TimeForm(request.POST, auto_id=f"%s-{signup.pk}")
    if form.is_valid():
        at = form.cleaned_data["at"]
        try:
            if step == "check_in":
                actions.signup_check_in(signup=signup, by=request.user, at=at)
                messages.success(request, _("Checked in."))
            elif step == "check_out":
                signup = actions.signup_check_out(signup=signup, by=request.user, at=at)
                messages.success(request, _("Checked out: %(hours)s hours to confirm.") % {"hours": signup.hours})
            else:
                actions.signup_confirm_hours(signup=signup, by=request.user)
                messages.success(request, _("Hours confirmed."))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect(f"{_roster_url(signup)}#signup-{signup.pk}")
    return _roster_page(request, signup.activity, signup, time_form=form)


def _roster_url(signup: SignUp) -> str:
    return reverse("volunteers:roster", args=[signup.activity_id])


@coordinator_required()
@require_POST
def signup_correct(request: HttpRequest, pk: int) -> HttpResponse:
    signup = _scoped_signup(request, pk)
    form = CorrectionForm(request.POST, auto_id=f"%s-{signup.pk}")
    if form.is_valid():
        try:
            actions.signup_correct_hours(
                signup=signup, by=request.user, hours=form.cleaned_data["hours"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Hours corrected; the change is logged."))
            return redirect(f"{_roster_url(signup)}#signup-{signup.pk}")
    return _roster_page(request, signup.activity, signup, correction_form=form)


@coordinator_required()
def scan(request: HttpRequest, pk: int) -> HttpResponse:
    """Check volunteers in and out by scanning their badge QR (phone camera) or typing their number."""
    scope = require_coordination(request.user)
    activity = get_object_or_404(scope.activities(), pk=pk)
    form = ScanForm(request.POST or None, auto_id="%s")
    if request.method == "POST" and form.is_valid():
        try:
            signup, step = actions.signup_scan(activity=activity, by=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)  # every reason is about the code scanned or typed
        else:
            name = signup.volunteer.resident.name
            if step == "check_in":
                messages.success(request, _("%(name)s checked in.") % {"name": name})
            else:
                messages.success(
                    request,
                    _("%(name)s checked out: %(hours)s hours to confirm.") % {"name": name, "hours": signup.hours},
                )
            return redirect("volunteers:scan", pk=activity.pk)
    return render(request, "volunteers/coordinate/scan.html", {"activity": activity, "form": form})


@coordinator_required()
def stats(request: HttpRequest) -> HttpResponse:
    """Monthly statistics against the source's rule: 2–3 activities a month, at least 3 hours on average."""
    scope = require_coordination(request.user)
    form = MonthForm(request.GET or None)
    month = form.cleaned_data["month"] if form.is_valid() else timezone.localdate().replace(day=1)
    if not form.is_bound or not form.is_valid():
        form = MonthForm(initial={"month": month})
    result = reports.monthly_stats(scope.signups(), scope.volunteers(), month.year, month.month)
    return render(
        request,
        "volunteers/coordinate/stats.html",
        {
            "form": form,
            "stats": result,
            "rule": (reports.RULE_MIN_ACTIVITIES, reports.RULE_MAX_ACTIVITIES, reports.RULE_MIN_AVERAGE_HOURS),
        },
    )


@coordinator_required()
def growth(request: HttpRequest) -> HttpResponse:
    scope = require_coordination(request.user)
    months, years = reports.growth(scope.volunteers())
    return render(request, "volunteers/coordinate/growth.html", {"months": months[-24:], "years": years})


@coordinator_required()
def volunteer_list(request: HttpRequest) -> HttpResponse:
    """Approved volunteers with total hours and stars."""
    scope = require_coordination(request.user)
    qs = scope.volunteers().approved().select_related("resident", "team").with_hours().order_by("number")
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(resident__name__icontains=query))
    page = paginate(request, qs, PAGE_SIZE)
    return render(request, "volunteers/coordinate/volunteers.html", {"page": page, "q": query})


@coordinator_required()
def volunteer_statement(request: HttpRequest, pk: int) -> HttpResponse:
    scope = require_coordination(request.user)
    volunteer = get_object_or_404(scope.volunteers().select_related("resident", "team", "community"), pk=pk)
    return render(
        request,
        "volunteers/statement.html",
        {"volunteer": volunteer, "today": timezone.localdate(), **reports.statement(volunteer)},
    )


@reads_replica
@coordinator_required()
def export_hours(request: HttpRequest) -> HttpResponse:
    scope = require_coordination(request.user)
    data = reports.hours_workbook(scope.signups())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="volunteer-hours-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@coordinator_required()
def badge_sheet(request: HttpRequest) -> HttpResponse:
    """A4 PDF of the current, drawn badges (of one team with ?team=)."""
    scope = require_coordination(request.user)
    badges = Badge.objects.filter(
        volunteer__in=scope.volunteers().approved(), revoked_at__isnull=True, status=Badge.Status.READY
    ).select_related("volunteer__resident", "volunteer__team", "volunteer__community")
    if request.GET.get("team"):  # an id that is not a number names no team: an empty sheet
        badges = badges.filter(volunteer__team_id=id_of(request.GET["team"]) or 0)
    pdf = badge_sheet_pdf(list(badges.order_by("volunteer__number")[:SHEET_LIMIT]))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="volunteer-badges.pdf"'
    return response


# --------------------------------------------------------------------------------------------------
# People served: masked in lists, each detail read logged


@coordinator_required()
def served_list(request: HttpRequest) -> HttpResponse:
    scope = require_coordination(request.user)
    qs = (
        scope.people_served()
        .current()
        .select_related("resident__household__building")
        .prefetch_related(Prefetch("plans", queryset=VisitPlan.objects.select_related("team")))
        .order_by("kind", "pk")
    )
    kind = request.GET.get("kind")
    if kind:
        qs = qs.filter(kind=kind)
    page = paginate(request, qs, PAGE_SIZE)
    return render(request, "volunteers/coordinate/served_list.html", {"page": page, "kind": kind})


@coordinator_required()
def served_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person served: who, needs, plans, visits; record a visit. Every read is logged for the resident to see."""
    scope = require_coordination(request.user)
    person = get_object_or_404(scope.people_served().select_related("resident__household__building"), pk=pk)
    volunteers = scope.volunteers().approved().select_related("resident").order_by("number")
    form = VisitForm(request.POST or None, volunteers=volunteers, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.visit_record_create(
                person=person,
                by=request.user,
                visited_on=data["visited_on"],
                what_was_done=data["what_was_done"],
                needs_next=data["needs_next"],
                visitors=data["visitors"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("volunteers:served_detail", pk=person.pk)
    with translation.override(settings.LANGUAGE_CODE):  # the log keeps the purpose in the site's language
        purpose = _("Volunteer service")
    sensitive_read(actor=request.user, subjects=[person.resident_id], field="volunteers.person_served", purpose=purpose)
    visits = person.visits.select_related("recorded_by").prefetch_related(
        Prefetch("visitors", queryset=Volunteer.objects.select_related("resident"))
    )[:20]
    plans = person.plans.select_related("team", "volunteer__resident")
    return render(
        request,
        "volunteers/coordinate/served_detail.html",
        {"person": person, "visits": visits, "plans": plans, "form": form},
    )
