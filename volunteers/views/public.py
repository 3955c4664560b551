"""Pages for residents and volunteers: apply, activities, sign-up, hours, badge; public badge check and party network."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core.capacity import LIVE_STATUSES, SeatStatus
from portal.core.confirm import confirm_first, confirm_page
from portal.core.requests import community_of, error_text, form_errors, paginate
from portal.core.uploads import serve_file
from residents.models import Branch, GeneralBranch, PartyGroup, PartyMember
from volunteers import actions, reports
from volunteers.access import coordination_for
from volunteers.badges import badge_from_token
from volunteers.forms import ApplicationForm
from volunteers.models import Activity, Badge, DutyPost, SignUp, Team, Volunteer


def _my_volunteer(request: HttpRequest) -> Volunteer | None:
    if not request.user.is_authenticated:
        return None
    return Volunteer.objects.of_user(request.user).select_related("team", "community").with_hours().first()


def index(request: HttpRequest) -> HttpResponse:
    """志愿服务: what the corps does, upcoming activities, and the signed-in person's own standing."""
    community = community_of(request, required=False)
    volunteer = _my_volunteer(request)
    upcoming = Activity.objects.upcoming().filter(community=community).select_related("team")[:6] if community else []
    teams = (
        Team.objects.filter(community=community, is_active=True)
        .select_related("leader__resident")
        .annotate(member_count=Count("members", filter=Q(members__status=Volunteer.Status.APPROVED)))
        if community
        else []
    )
    my_signups = []
    if volunteer is not None:
        my_signups = list(
            volunteer.signups.filter(status=SeatStatus.ACTIVE, activity__date__gte=timezone.localdate())
            .select_related("activity")
            .order_by("activity__date", "activity__start_time")[:10]
        )
    return render(
        request,
        "volunteers/index.html",
        {
            "community": community,
            "volunteer": volunteer,
            "upcoming": upcoming,
            "teams": teams,
            "my_signups": my_signups,
            "coordination": coordination_for(request.user),
            "approved_count": Volunteer.objects.filter(community=community).approved().count() if community else 0,
        },
    )


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """A resident applies to volunteer: skills, availability, photo."""
    resident = getattr(request.user, "resident", None)
    if resident is None:
        messages.info(request, _("Your account must be linked to your household before you can apply."))
        return redirect("volunteers:index")
    existing = Volunteer.objects.filter(resident=resident).first()
    if existing is not None and existing.status in (Volunteer.Status.APPLIED, Volunteer.Status.APPROVED):
        return redirect("volunteers:index")
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.volunteer_apply(
                resident=resident,
                skills=data["skills"],
                skill_note=data["skill_note"],
                availability=data["availability"],
                photo=data["photo"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("Thank you! Your application was received; the community office will review it.")
            )
            return redirect("volunteers:index")
    return render(request, "volunteers/apply.html", {"form": form})


def activity_list(request: HttpRequest) -> HttpResponse:
    """Upcoming activities of the community, with places left; volunteers see which they joined."""
    community = community_of(request, required=False)
    qs = (
        Activity.objects.upcoming().filter(community=community).select_related("team")
        if community
        else Activity.objects.none()
    )
    page = paginate(request, qs)
    volunteer = _my_volunteer(request)
    joined = set()
    if volunteer is not None:
        joined = set(
            volunteer.signups.filter(status=SeatStatus.ACTIVE, activity__in=[a.pk for a in page]).values_list(
                "activity_id", flat=True
            )
        )
    for activity in page:
        activity.joined = activity.pk in joined
    return render(
        request,
        "volunteers/activity_list.html",
        {"community": community, "page": page, "joined": joined, "volunteer": volunteer},
    )


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("team", "community"), pk=pk)
    volunteer = _my_volunteer(request)
    signup = None
    if volunteer is not None:
        signup = volunteer.signups.filter(activity=activity, status=SeatStatus.ACTIVE).first()
    return render(
        request, "volunteers/activity_detail.html", {"activity": activity, "volunteer": volunteer, "signup": signup}
    )


@login_required
@require_POST
def activity_signup(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    volunteer = Volunteer.objects.of_user(request.user).first()
    if volunteer is None:
        messages.error(request, _("Only approved volunteers can sign up."))
        return redirect("volunteers:activity_detail", pk=pk)
    try:
        result = actions.signup_create(activity=activity, volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        (messages.success if result.ok else messages.warning)(request, result.message)
    return redirect("volunteers:activity_detail", pk=pk)


@login_required
@confirm_first
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    # Narrowed to the user's own sign-ups: anyone else's is a 404.
    signup = get_object_or_404(
        SignUp.objects.filter(volunteer__resident__user=request.user).select_related("activity"), pk=pk
    )
    if request.method != "POST":
        activity = signup.activity
        problem = ""
        if signup.status not in LIVE_STATUSES:
            problem = _("This is already cancelled.")
        elif signup.checked_in_at is not None:
            problem = _("You were already checked in; ask the coordinator to change your record.")
        return confirm_page(
            request,
            title=_("Cancel your place?"),
            what=_("Your place goes to another volunteer; the organisers will no longer count on you."),
            details=[
                (_("Activity"), activity.title),
                (_("Time"), f"{timezone.localtime(activity.starts_at):%Y-%m-%d %H:%M}"),
            ],
            button=_("Yes, cancel my place"),
            back=reverse("volunteers:activity_detail", args=[activity.pk]),
            problem=problem,
        )
    try:
        actions.signup_cancel(signup=signup)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your place was cancelled."))
    return redirect("volunteers:activity_detail", pk=signup.activity_id)


@login_required
def my_hours(request: HttpRequest) -> HttpResponse:
    """The volunteer's own hour statement (printable)."""
    volunteer = get_object_or_404(
        Volunteer.objects.of_user(request.user).select_related("resident", "team", "community")
    )
    return render(
        request,
        "volunteers/statement.html",
        {"volunteer": volunteer, "today": timezone.localdate(), **reports.statement(volunteer)},
    )


def _current_badge(volunteer: Volunteer) -> Badge | None:
    return volunteer.badges.filter(revoked_at__isnull=True).first()


@login_required
def my_badge(request: HttpRequest) -> HttpResponse:
    """The volunteer's badge: request one (drawn in the background), see it when ready."""
    volunteer = get_object_or_404(
        Volunteer.objects.of_user(request.user).select_related("resident", "team", "community")
    )
    if request.method == "POST":
        try:
            actions.badge_request(volunteer=volunteer, base_url=request.build_absolute_uri("/"), by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Your badge is being prepared."))
        return redirect("volunteers:my_badge")
    return render(request, "volunteers/my_badge.html", {"volunteer": volunteer, "badge": _current_badge(volunteer)})


@never_cache
@login_required
def my_badge_status(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the badge, or 'being prepared' (polled until ready)."""
    volunteer = get_object_or_404(Volunteer.objects.of_user(request.user))
    return render(request, "volunteers/_badge_status.html", {"badge": _current_badge(volunteer)})


@login_required
def badge_image(request: HttpRequest, pk: int) -> FileResponse:
    """The badge PNG, for its volunteer or a coordinator of the community (never a public media URL)."""
    badge = get_object_or_404(Badge.objects.select_related("volunteer__resident"), pk=pk, status=Badge.Status.READY)
    scope = coordination_for(request.user)
    own = badge.volunteer.resident.user_id == request.user.pk
    if not own and not (scope and scope.volunteers().filter(pk=badge.volunteer_id).exists()):
        raise Http404
    return serve_file(badge.image, content_type="image/png", filename=f"badge-{badge.volunteer.number}.png")


@never_cache
def badge_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: is this badge valid? Shows the number, team and community, never personal details."""
    badge = badge_from_token(token)
    return render(
        request,
        "volunteers/badge_verify.html",
        {"badge": badge, "valid": badge is not None and badge.is_valid},
        status=200 if badge is not None else 404,
    )


def party_network(request: HttpRequest) -> HttpResponse:
    """Public: the four-level network with the contact person at each level (no phones of ordinary members)."""
    community = community_of(request)
    general = GeneralBranch.objects.filter(community=community).first()
    branches = (
        Branch.objects.filter(community=community)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=PartyGroup.objects.order_by("name").prefetch_related(
                    Prefetch("members", queryset=PartyMember.objects.only("pk", "name", "group_id").order_by("name"))
                ),
            )
        )
    )
    counts = dict(
        PartyMember.objects.filter(community=community)
        .values_list("management")
        .annotate(n=Count("pk"))
        .values_list("management", "n")
    )
    return render(
        request,
        "volunteers/party_network.html",
        {
            "community": community,
            "general": general,
            "branches": branches,
            "self_count": counts.get(PartyMember.Management.SELF, 0),
            "stationed_count": counts.get(PartyMember.Management.STATIONED, 0),
        },
    )


def duty_posts(request: HttpRequest) -> HttpResponse:
    """Public: party members' areas of responsibility and model posts, with their holders."""
    community = community_of(request)
    posts = (
        DutyPost.objects.filter(community=community)
        .select_related("building", "area")
        .prefetch_related(Prefetch("holders", queryset=PartyMember.objects.only("pk", "name").order_by("name")))
    )
    return render(request, "volunteers/duty_posts.html", {"community": community, "posts": posts})
