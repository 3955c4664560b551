"""The grid worker's pages (网格员, on foot with a phone): my grid, households due for a visit, a household's visits,
patrols with photos, and handing an issue found over in one step.

Every record loads through the user's scope (portal.core.access): a grid worker reaches only their own grid — a
household, visit or patrol of another grid is a 404, as one of another community is; community staff with the
permission see every grid of their community. A role without the permission gets a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.core.access import require_perm, staff_object, staff_required
from portal.core.requests import form_errors, paginate
from portal.core.uploads import serve_file
from residents import grids as actions
from residents.models import Grid, HomeVisit, Household, Patrol, PatrolPhoto, Resident
from services.grids.forms import HandOverForm, HouseholdSearchForm, PatrolForm, VisitForm
from services.grids.handover import finding_hand_over
from services.property.models import Repair

grid_staff = staff_required("residents.view_homevisit")
patrol_staff = staff_required("residents.view_patrol")


def my_grids(user):
    return list(Grid.objects.for_staff(user).order_by("name"))


def my_households(user):
    """The households of the grids this user works (all of the community's grids for community staff)."""
    return Household.objects.for_staff(user).filter(building__grid__isnull=False)


@grid_staff
@require_safe
def grid_home(request: HttpRequest) -> HttpResponse:
    """My grid: its households (searchable) with each one's last visit, the counts, the way to the due list."""
    grids = my_grids(request.user)
    today = timezone.localdate()
    households = my_households(request.user)
    form = HouseholdSearchForm(request.GET or None)
    word = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if word:
        members = Resident.objects.for_staff(request.user).filter(name__icontains=word).values("household_id")
        households = households.filter(
            Q(number__icontains=word) | Q(building__name__icontains=word) | Q(pk__in=members)
        )
    listed = actions.with_last_visit(households.select_related("building__area")).order_by("building__name", "number")
    counts = Grid.objects.filter(pk__in=[g.pk for g in grids]).annotate(n=Count("buildings__households"))
    sizes = {g.pk: g.n for g in counts}
    due = actions.due_for_visit(my_households(request.user), grids, today).count()
    return render(
        request,
        "services/grids/home.html",
        {
            "grids": [(g, sizes.get(g.pk, 0)) for g in grids],
            "form": form,
            "page": paginate(request, listed, 30),
            "due": due,
            "searching": bool(word),
        },
    )


@grid_staff
@require_safe
def due(request: HttpRequest) -> HttpResponse:
    """Households not visited for their grid's interval, the longest waiting first."""
    grids = my_grids(request.user)
    rows = actions.due_for_visit(
        my_households(request.user).select_related("building__area"), grids, timezone.localdate()
    )
    return render(request, "services/grids/due.html", {"page": paginate(request, rows, 30), "grids": grids})


@grid_staff
def household(request: HttpRequest, pk: int) -> HttpResponse:
    """A household of my grid: who lives there, its visits, and a visit to record."""
    found = staff_object(
        my_households(request.user).select_related("building__area", "building__grid"), request.user, pk=pk
    )
    form = VisitForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "residents.add_homevisit")
        if form.is_valid():
            try:
                actions.visit_record(household=found, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Visit recorded."))
                return redirect("services:grids:household", found.pk)
    members = Resident.objects.current().filter(household=found).order_by("pk")
    visits = (
        HomeVisit.objects.filter(household=found).select_related("visited_by").prefetch_related("handed_over_to")[:20]
    )
    return render(
        request,
        "services/grids/household.html",
        {"household": found, "members": members, "visits": visits, "form": form},
    )


@patrol_staff
@require_safe
def patrols(request: HttpRequest) -> HttpResponse:
    """Recent patrols of my grid, the newest first."""
    rows = (
        Patrol.objects.for_staff(request.user)
        .select_related("grid", "patrolled_by")
        .annotate(n_photos=Count("photos"))
        .order_by("-patrolled_at", "-pk")  # a GROUP BY drops the model's ordering
    )
    return render(request, "services/grids/patrols.html", {"page": paginate(request, rows, 20)})


@staff_required("residents.add_patrol")
def patrol_new(request: HttpRequest) -> HttpResponse:
    """Record a patrol: where, what was seen, the issue found, photos from the phone."""
    grids = Grid.objects.for_staff(request.user).order_by("name")
    form = PatrolForm(request.POST or None, request.FILES or None, grids=grids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patrol = actions.patrol_record(
                grid=data["grid"],
                by=request.user,
                location=data["location"],
                notes=data["notes"],
                issue=data["issue"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Patrol recorded."))
            return redirect("services:grids:patrol", patrol.pk)
    return render(request, "services/grids/patrol_new.html", {"form": form})


@patrol_staff
@require_safe
def patrol(request: HttpRequest, pk: int) -> HttpResponse:
    found = staff_object(Patrol.objects.select_related("grid", "patrolled_by"), request.user, pk=pk)
    form = HandOverForm(households=my_households(request.user)) if found.can_hand_over else None
    return render(
        request,
        "services/grids/patrol.html",
        {"patrol": found, "photos": list(found.photos.all()), "form": form},
    )


@patrol_staff
@require_safe
def patrol_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A patrol's photo, to whoever may see the patrol (the same check as its page)."""
    found = staff_object(PatrolPhoto.objects.all(), request.user, pk=photo_pk, patrol_id=pk)
    return serve_file(found.image, content_type=found.content_type or None, cache="private, max-age=3600")


def _hand_over(request: HttpRequest, finding, form: HandOverForm, back: str, back_pk: int) -> HttpResponse | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        made = finding_hand_over(
            finding=finding,
            by=request.user,
            resident=data["resident"],
            kind=(data.get("fault") or Repair.Kind.OTHER) if data["destination"] == "repair" else data["kind"],
            destination=data["destination"],
        )
    except ValidationError as exc:
        form_errors(form, exc)
        return None
    messages.success(request, _("Handed over as %(what)s.") % {"what": getattr(made, "number", made)})
    return redirect(back, back_pk)


@staff_required("residents.view_homevisit", "services.add_case")
def visit_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue found on a visit becomes a case (for a member of the household) in one step."""
    visit = staff_object(HomeVisit.objects.select_related("household__building"), request.user, pk=pk)
    members = Resident.objects.current().filter(household_id=visit.household_id).order_by("pk")
    form = HandOverForm(request.POST or None, members=members)
    if request.method == "POST":
        done = _hand_over(request, visit, form, "services:grids:household", visit.household_id)
        if done is not None:
            return done
    return render(request, "services/grids/hand_over.html", {"finding": visit, "form": form, "visit": visit})


@staff_required("residents.view_patrol", "services.add_case")
def patrol_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue found on a patrol becomes a case (for the household concerned) in one step."""
    found = staff_object(Patrol.objects.select_related("grid"), request.user, pk=pk)
    form = HandOverForm(request.POST or None, households=my_households(request.user))
    if request.method == "POST":
        done = _hand_over(request, found, form, "services:grids:patrol", found.pk)
        if done is not None:
            return done
    return render(request, "services/grids/hand_over.html", {"finding": found, "form": form, "patrol": found})
