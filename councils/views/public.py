"""The open ledger (公开议事) and residents' suggestions (献计献策): what anyone may read, and what a resident does."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import actions, pdf
from councils.cadence import cadence_for
from councils.forms import AddendumForm, ProgressForm, RatingForm, ReturnForm, SuggestionForm
from councils.models import (
    Council,
    Meeting,
    Minutes,
    MinutesItem,
    Resolution,
    ResolutionProgress,
    ResourcePledge,
    Suggestion,
)
from councils.views.common import flash_errors, minutes_context, staff_of, triage_context
from councils.views.thread import comments_context
from portal.core.idempotency import idempotent
from portal.core.models import Community
from portal.core.pagecache import public_page
from portal.core.replica import reads_replica
from portal.core.requests import community_of, paginate


def _public_minutes(request, community):
    return (
        Minutes.objects.visible_to(request.user)
        .published()
        .filter(meeting__council__community=community)
        .select_related("meeting__council")
        .annotate(items_count=Count("items", distinct=True))
        .order_by("-meeting__starts_at")
    )


def _public_resolutions(request, community):
    return (
        Resolution.objects.public()
        .filter(community=community)
        .select_related("council", "executor_unit")
        .annotate(progress_count=Count("progress"))
        .order_by("-year", "-seq")
    )


def _public_suggestions(request, community):
    return Suggestion.objects.public().filter(community=community).order_by("-created_at", "-id")


LEDGER_DEPENDS = (
    "portal.Community",
    "councils.Council",
    "councils.Meeting",
    "councils.AgendaItem",
    "councils.Minutes",
    "councils.Resolution",
    "councils.ResolutionProgress",
    "councils.Suggestion",
    "councils.SuggestionSupport",
)


@reads_replica
@public_page(depends=LEDGER_DEPENDS)
def ledger(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """公开议事: a community's published minutes, resolutions with their progress, suggestions with their status."""
    community = community_of(request, slug)
    councils = list(Council.objects.filter(community=community).order_by("kind"))
    context = {
        "community": community,
        "councils": councils,
        "minutes_list": _public_minutes(request, community)[:8],
        "resolutions": _public_resolutions(request, community)[:8],
        "suggestions": _public_suggestions(request, community)[:8],
        "coming": Meeting.objects.filter(council__community=community, status=Meeting.Status.SCHEDULED)
        .upcoming()
        .select_related("council")
        .prefetch_related("agenda")
        .order_by("starts_at")[:5],
        "communities": Community.objects.only("name", "slug").order_by("name")[:40],
    }
    return render(request, "councils/ledger.html", context)


LEDGER_LISTS = {
    "minutes": (_public_minutes, "councils/ledger_minutes.html"),
    "resolutions": (_public_resolutions, "councils/ledger_resolutions.html"),
    "suggestions": (_public_suggestions, "councils/ledger_suggestions.html"),
}


@reads_replica
@public_page(depends=LEDGER_DEPENDS)
def ledger_list(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    """All published minutes / resolutions / public suggestions of a community, 20 a page."""
    community = community_of(request, slug)
    query, template = LEDGER_LISTS[what]
    qs = query(request, community)
    if what == "suggestions" and request.GET.get("status") in Suggestion.PUBLIC:
        qs = qs.filter(status=request.GET["status"])
    page = paginate(request, qs)
    return render(
        request,
        template,
        {
            "community": community,
            "page": page,
            "statuses": Suggestion.Status.choices,
            "current": request.GET.get("status"),
        },
    )


def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A council: members, meetings, rhythm (held vs due) and, for the joint council, the units' resources."""
    council = get_object_or_404(Council.objects.select_related("community", "convenor", "secretary"), pk=pk)
    is_staff = staff_of(request.user, council.community_id)
    members = council.members.active_on().select_related("unit").order_by("role", "name")
    meetings = council.meetings.select_related("minutes").with_counts().order_by("-starts_at")
    if not is_staff:
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    resources = None
    if council.kind == Council.Kind.JOINT:
        pledges = ResourcePledge.objects.filter(council=council)
        resources = {
            "by_unit": pledges.values("unit__name", "donor", "kind")
            .annotate(pledged=Sum("pledged"), delivered=Sum("delivered"))
            .order_by("unit__name", "donor", "kind"),
            "by_year": pledges.values("year", "kind")
            .annotate(pledged=Sum("pledged"), delivered=Sum("delivered"))
            .order_by("-year", "kind"),
            "projects": council.projects.annotate(delivered=Sum("pledges__delivered")).order_by("-year", "title")[:20],
        }
    context = {
        "council": council,
        "members": members,
        "meetings": meetings[:30],
        "cadence": cadence_for([council])[0],
        "resources": resources,
        "is_staff": is_staff,
        "may_run": council.may_run_meetings(request.user),
        "nominations": council.nominations.select_related("member").order_by("-nominated_on")[:20]
        if is_staff
        else None,
    }
    return render(request, "councils/council.html", context)


def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Minutes as recorded: anyone reads published ones; council staff read every state."""
    minutes = get_object_or_404(
        Minutes.objects.visible_to(request.user).select_related("meeting__council__community", "approved_by"), pk=pk
    )
    return minutes_page(request, minutes)


def minutes_page(request: HttpRequest, minutes: Minutes, thread: dict | None = None, **bound_forms) -> HttpResponse:
    """The minutes' page; `bound_forms`: a correction or a return note that was refused, as typed, with the reason
    next to its field; `thread`: a refused comment (see comments_context)."""
    context = {**minutes_context(minutes), "addendum_form": AddendumForm(), "return_form": ReturnForm(), **bound_forms}
    context.update(comments_context(request, minutes, **(thread or {})))
    return render(request, "councils/minutes_detail.html", context)


def minutes_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Clean printable minutes in Chinese for the paper archive (print to PDF from the browser)."""
    minutes = get_object_or_404(
        Minutes.objects.visible_to(request.user).select_related("meeting__council__community", "approved_by"), pk=pk
    )
    context = {**minutes_context(minutes), "pdf_available": pdf.pdf_available()}
    with translation.override(settings.LANGUAGE_CODE):  # the paper archive is in Chinese
        return render(request, "councils/minutes_print.html", context)


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Approved minutes as a PDF (made once per version by headless Chromium); the print page when unavailable."""
    minutes = get_object_or_404(
        Minutes.objects.visible_to(request.user).select_related("meeting__council__community", "approved_by"), pk=pk
    )
    context = minutes_context(minutes)
    context["addenda"] = list(context["addenda"])
    data = pdf.minutes_pdf(minutes, context)
    if data is None:
        messages.info(request, _("A PDF cannot be made here: use the print page and your browser's “save as PDF”."))
        return redirect("councils:minutes_print", minutes.pk)
    response = HttpResponse(data, content_type="application/pdf")
    meeting = minutes.meeting
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.pk}-{meeting.starts_at:%Y%m%d}.pdf"'
    return response


def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return resolution_page(request, pk)


def resolution_page(
    request: HttpRequest, pk: int, form: ProgressForm | None = None, thread: dict | None = None
) -> HttpResponse:
    """A resolution with its progress, the suggestions it answers and the residents' comments; `form`: a progress
    report that was refused, as typed, with the reason next to its field; `thread`: a refused comment."""
    resolution = get_object_or_404(
        Resolution.objects.visible_to(request.user).select_related(
            "council", "executor_unit", "minutes_item__minutes__meeting"
        ),
        pk=pk,
    )
    may_report = actions.resolution_may_report(resolution, request.user) and resolution.status != "done"
    return render(
        request,
        "councils/resolution_detail.html",
        {
            "resolution": resolution,
            "progress": resolution.progress.select_related("recorded_by"),
            "suggestions": resolution.suggestions.filter(merged_into__isnull=True),
            "may_report": may_report,
            "form": (form or ProgressForm()) if may_report else None,
            **comments_context(request, resolution, **(thread or {})),
        },
    )


@login_required
@idempotent
def suggestion_new(request: HttpRequest) -> HttpResponse:
    """献计献策: a resident writes a suggestion and gets a tracking number."""
    if not request.user.has_perm("councils.add_suggestion") or not request.user.community_id:
        raise PermissionDenied
    form = SuggestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        suggestion = actions.suggestion_submit(
            proposer=request.user,
            community=request.user.community,
            category=data["category"],
            title=data["title"],
            text=data["text"],
            location=data["location"],
            photo=data.get("photo"),
        )
        messages.success(
            request, _("Thank you! Your tracking number is %(number)s.") % {"number": suggestion.tracking_number}
        )
        return redirect("councils:suggestion", suggestion.tracking_number)
    return render(request, "councils/suggestion_form.html", {"form": form})


@login_required
def my_suggestions(request: HttpRequest) -> HttpResponse:
    suggestions = Suggestion.objects.filter(proposer=request.user).select_related("resolution").order_by("-created_at")
    page = paginate(request, suggestions)
    return render(request, "councils/my_suggestions.html", {"page": page})


def suggestion_detail(request: HttpRequest, number: str) -> HttpResponse:
    return suggestion_page(request, number)


def suggestion_page(request: HttpRequest, number: str, thread: dict | None = None, **bound_forms) -> HttpResponse:
    """A suggestion and each step of its way: agenda, decision, resolution, progress, closing. `bound_forms` put
    back a staff form that was refused, as typed and with the reason next to its field, in place of the empty one."""
    suggestion = get_object_or_404(
        Suggestion.objects.visible_to(request.user).select_related(
            "community", "merged_into", "resolution__executor_unit", "proposer"
        ),
        tracking_number=number,
    )
    agenda_items = suggestion.agenda_items.select_related("meeting__council", "meeting__minutes").prefetch_related(
        Prefetch("minutes_item", queryset=MinutesItem.objects.all())
    )
    progress = (
        ResolutionProgress.objects.filter(resolution_id=suggestion.resolution_id) if suggestion.resolution_id else []
    )
    user = request.user
    is_staff = staff_of(user, suggestion.community_id) and user.has_perm("councils.change_suggestion")
    context = {
        "suggestion": suggestion,
        "agenda_items": agenda_items,
        "progress": progress,
        "is_proposer": user.is_authenticated and user.pk == suggestion.proposer_id,
        "is_staff": is_staff,
        "has_supported": user.is_authenticated and suggestion.supports.filter(user=user).exists(),
        "rating_form": RatingForm() if user.is_authenticated and user.pk == suggestion.proposer_id else None,
        "surveys": suggestion.surveys.exclude(status="draft").order_by("-opens_at"),
    }
    if is_staff:
        context.update(triage_context(suggestion))
        context.update(bound_forms)
    context.update(comments_context(request, suggestion, **(thread or {})))
    return render(request, "councils/suggestion_detail.html", context)


@login_required
@require_POST
def suggestion_support(request: HttpRequest, number: str) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.visible_to(request.user), tracking_number=number)
    if not request.user.has_perm("councils.add_suggestionsupport"):
        raise PermissionDenied
    try:
        actions.suggestion_support(suggestion=suggestion, user=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Thank you for your support."))
    return redirect("councils:suggestion", number)


@login_required
@require_POST
def suggestion_rate(request: HttpRequest, number: str) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.filter(proposer=request.user), tracking_number=number)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.suggestion_rate(
                suggestion=suggestion,
                user=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Thank you for rating the outcome."))
    else:
        messages.error(request, _("Choose 1 to 5 stars."))
    return redirect("councils:suggestion", number)
