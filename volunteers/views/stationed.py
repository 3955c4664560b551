"""Phone pages of 在职党员报到 and 微心愿: a stationed member reports in, claims duty posts and small wishes and
reports them fulfilled; a resident posts small wishes and thanks the member who fulfilled one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.access import scope_to_staff
from portal.core.idempotency import idempotent
from portal.core.requests import community_of, error_text, form_errors, paginate
from residents.models import PartyMember
from volunteers.models import DutyPost, StationedReport, Wish
from volunteers.stationed import actions
from volunteers.stationed.forms import FulfilForm, ReportForm, ThanksForm, WishForm

MEMBER_STEPS = ("claim", "unclaim", "fulfil")


def _my_report(request: HttpRequest, community_id: int) -> StationedReport | None:
    return (
        StationedReport.objects.of_user(request.user)
        .filter(community_id=community_id, year=actions.this_year())
        .live()
        .select_related("unit", "group", "member")
        .order_by("-pk")
        .first()
    )


@login_required
def stationed_home(request: HttpRequest) -> HttpResponse:
    """在职党员报到: my report-in of the year, the wishes I claimed, open wishes and the duty posts I may join."""
    return _home(request)


def _home(request: HttpRequest, failed: FulfilForm | None = None) -> HttpResponse:
    """The home page; `failed`: a fulfilment note sent wrong, shown again with its message under its wish."""
    community = community_of(request)
    report = _my_report(request, community.pk)
    member: PartyMember | None = report.member if report is not None and report.is_confirmed else None
    mine, posts = [], []
    if member is not None:
        mine = list(
            Wish.objects.filter(claimed_by=member)
            .select_related("resident__household__building")
            .order_by("-claimed_at", "-pk")[:20]
        )
        for wish in mine:
            wish.fulfil_form = (
                failed if failed is not None and failed.prefix == f"w{wish.pk}" else FulfilForm(prefix=f"w{wish.pk}")
            )
        posts = list(
            DutyPost.objects.filter(community=community)
            .select_related("building")
            .annotate(holder_count=Count("holders", distinct=True))
            .order_by("kind", "title")
        )
        held = set(member.duty_posts.values_list("pk", flat=True))
        for post in posts:
            post.held = post.pk in held
    open_wishes = (
        Wish.objects.open().filter(community=community).select_related("resident__household__building")[:10]
        if member is not None
        else []
    )
    return render(
        request,
        "volunteers/stationed/home.html",
        {
            "community": community,
            "report": report,
            "member": member,
            "mine": mine,
            "posts": posts,
            "open_wishes": open_wishes,
        },
    )


@login_required
def stationed_report(request: HttpRequest) -> HttpResponse:
    """The member's report-in form (one a year)."""
    community = community_of(request)
    if _my_report(request, community.pk) is not None:
        messages.info(request, _("You have already reported in this year."))
        return redirect("volunteers:stationed_home")
    initial = {"name": request.user.name}
    form = ReportForm(request.POST or None, initial=initial, community_id=community.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.stationed_report_submit(
                community=community, phone=request.user.phone, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you for reporting in. The community office will confirm it soon."))
            return redirect("volunteers:stationed_home")
    return render(request, "volunteers/stationed/report.html", {"form": form, "community": community})


@login_required
def wish_wall(request: HttpRequest) -> HttpResponse:
    """Published small wishes (names masked, no phone or room): open ones first."""
    community = community_of(request)
    report = _my_report(request, community.pk)
    member = report.member if report is not None and report.is_confirmed else None
    status = request.GET.get("status") or Wish.Status.PUBLISHED
    if status not in Wish.PUBLIC_STATUSES:
        status = Wish.Status.PUBLISHED
    wishes = (
        Wish.objects.published()
        .filter(community=community, status=status)
        .select_related("resident__household__building", "claimed_by__unit")
        .order_by("-posted_at", "-pk")
    )
    return render(
        request,
        "volunteers/stationed/wishes.html",
        {
            "community": community,
            "page": paginate(request, wishes),
            "member": member,
            "status": status,
            "statuses": [(s, Wish.Status(s).label) for s in Wish.PUBLIC_STATUSES],
        },
    )


@login_required
@require_POST
def wish_step(request: HttpRequest, pk: int) -> HttpResponse:
    """A reporting member claims a wish, gives it back, or reports it fulfilled (with a note)."""
    wish = get_object_or_404(Wish.objects.published(), pk=pk)
    member = actions.reporting_member(request.user, community_id=wish.community_id)
    step = request.POST.get("step", "")
    if member is None:
        messages.error(request, _("Only stationed party members who have reported in this year can claim wishes."))
    elif step not in MEMBER_STEPS:
        messages.error(request, _("Unknown step."))
    else:
        try:
            if step == "claim":
                actions.wish_claim(wish=wish, member=member)
                messages.success(request, _("You claimed the wish. Thank you!"))
            elif step == "unclaim":
                actions.wish_unclaim(wish=wish, member=member)
                messages.success(request, _("The wish is open again."))
            else:
                form = FulfilForm(request.POST, prefix=f"w{wish.pk}")
                if not form.is_valid():
                    return _home(request, failed=form)
                try:
                    actions.wish_fulfil(wish=wish, member=member, note=form.cleaned_data["note"])
                except ValidationError as exc:
                    form_errors(form, exc)
                    return _home(request, failed=form)
                messages.success(request, _("Reported fulfilled; the community office will confirm it."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return redirect("volunteers:stationed_home")


@login_required
@require_POST
def post_step(request: HttpRequest, pk: int) -> HttpResponse:
    """A reporting member joins (or leaves) a duty post: an area of responsibility or a model post."""
    post = get_object_or_404(DutyPost, pk=pk)
    member = actions.reporting_member(request.user, community_id=post.community_id)
    if member is None:
        messages.error(request, _("Only stationed party members who have reported in this year can take a post."))
    elif request.POST.get("step") == "release":
        actions.duty_post_release(post=post, member=member)
        messages.success(request, _("You left the post %(post)s.") % {"post": post.title})
    else:
        try:
            actions.duty_post_claim(post=post, member=member)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("You joined the post %(post)s.") % {"post": post.title})
    return redirect("volunteers:stationed_home")


@login_required
@idempotent
def my_wishes(request: HttpRequest) -> HttpResponse:
    """A resident's small wishes: post one, follow each, thank the member who fulfilled it."""
    return _my_wishes(request)


def _my_wishes(request: HttpRequest, failed: ThanksForm | None = None) -> HttpResponse:
    """The page; `failed`: words of thanks sent wrong, shown again with the message under their wish."""
    resident = getattr(request.user, "resident", None)
    if resident is None:
        messages.info(request, _("Your account must be linked to your household before you can post a wish."))
        return redirect("portal:my")
    form = WishForm(request.POST if failed is None and request.method == "POST" else None)
    if failed is None and request.method == "POST" and form.is_valid():
        try:
            actions.wish_post(resident=resident, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your wish was received; the community office reviews it before publication."))
            return redirect("volunteers:my_wishes")
    wishes = list(Wish.objects.filter(resident=resident).select_related("claimed_by__unit").order_by("-posted_at")[:30])
    for wish in wishes:
        wish.thanks_form = (
            failed if failed is not None and failed.prefix == f"t{wish.pk}" else ThanksForm(prefix=f"t{wish.pk}")
        )
    return render(request, "volunteers/stationed/my_wishes.html", {"form": form, "wishes": wishes})


@login_required
@require_POST
def wish_thank(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident thanks the member (or staff of the community for a resident without an account)."""
    own = Wish.objects.filter(resident__user=request.user)
    staff = (
        scope_to_staff(Wish.objects.all(), request.user)
        if request.user.has_perm("volunteers.change_wish")
        else Wish.objects.none()
    )
    wish = get_object_or_404(own | staff, pk=pk)
    own = wish.resident.user_id == request.user.pk
    form = ThanksForm(request.POST, prefix=f"t{wish.pk}")
    if form.is_valid():
        try:
            actions.wish_thank(wish=wish, by=request.user, thanks=form.cleaned_data["thanks"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your thanks were sent to the party member."))
            return redirect(
                "volunteers:my_wishes" if own else "volunteers:wish_work", **({} if own else {"pk": wish.pk})
            )
    if own:
        return _my_wishes(request, failed=form)
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("volunteers:wish_work", pk=wish.pk)
