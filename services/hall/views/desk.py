"""The counter desk (hall staff): today's queue at each counter, check-in by booking code, call next, served or
no-show; finding a resident to act for (代办); and the public "now serving" board."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.access import scope_to_staff, staff_object, staff_required
from portal.core.confirm import confirm_first, confirm_page
from portal.core.requests import community_of, error_text
from residents.models import Resident
from residents.search import document_contains, search_words
from services.hall import actions
from services.hall.forms import CheckInForm, FinishForm, ResidentSearchForm
from services.hall.models import Booking, Case, Counter, ServiceItem
from services.hall.views.acting import ACT_FOR_PERM

DESK_PERM = "services.work_desk"


@staff_required(DESK_PERM)
def desk(request: HttpRequest) -> HttpResponse:
    return _desk_page(request, CheckInForm())


def _desk_page(request: HttpRequest, form: CheckInForm) -> HttpResponse:
    """The counters of my community, with today's numbers, and the check-in form (`form`: as typed, if refused)."""
    today = timezone.localdate()
    todays = Booking.objects.active().filter(date=today, slot__counter=OuterRef("pk"))
    counters = (
        Counter.objects.active()
        .for_staff(request.user)
        .annotate(
            booked=Coalesce(Subquery(todays.values("slot__counter").annotate(n=Count("pk")).values("n")), 0),
            waiting=Coalesce(
                Subquery(
                    todays.filter(desk=Booking.Desk.CHECKED_IN)
                    .values("slot__counter")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
    )
    return render(request, "services/hall/desk.html", {"counters": counters, "form": form, "today": today})


@staff_required(DESK_PERM)
def desk_counter(request: HttpRequest, pk: int) -> HttpResponse:
    return _counter_page(request, staff_object(Counter.objects.active(), request.user, pk=pk), CheckInForm())


def _counter_page(request: HttpRequest, counter: Counter, form: CheckInForm) -> HttpResponse:
    """Today's queue at one counter: check in (`form`: as typed, if refused), call next, served / no-show."""
    today = timezone.localdate()
    no_shows = (
        Booking.objects.filter(resident=OuterRef("resident"), desk=Booking.Desk.NO_SHOW)
        .values("resident")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queue = (
        Booking.objects.active()
        .filter(slot__counter=counter, date=today)
        .select_related("slot__counter", "item", "resident", "booked_by")
        .annotate(no_shows=Coalesce(Subquery(no_shows), 0))
        .order_by(F("queue_number").asc(nulls_last=True), "slot__starts_at", "id")
    )
    return render(
        request,
        "services/hall/desk_counter.html",
        {"counter": counter, "queue": queue, "form": form, "finish_form": FinishForm(), "today": today},
    )


@staff_required(DESK_PERM)
@require_POST
def desk_check_in(request: HttpRequest) -> HttpResponse:
    """Check a booking in by its code. A refused code comes back on the page it was typed on (the desk, or the
    counter named in `counter`), still typed, with the reason next to it."""
    if not request.user.community_id:
        raise Http404
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            booking = actions.booking_check_in(
                community_id=request.user.community_id, code=form.cleaned_data["code"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("code", exc)  # every reason is about the code typed
    if form.errors:
        back = request.POST.get("counter", "")
        counter = Counter.objects.active().for_staff(request.user).filter(pk=back).first() if back.isdecimal() else None
        return _counter_page(request, counter, form) if counter else _desk_page(request, form)
    messages.success(
        request,
        _("%(name)s is checked in: number %(ticket)s at %(counter)s.")
        % {"name": booking.resident.name, "ticket": booking.ticket, "counter": booking.slot.counter.label},
    )
    return redirect("services:desk_counter", booking.slot.counter_id)


@staff_required(DESK_PERM)
@require_POST
def desk_call_next(request: HttpRequest, pk: int) -> HttpResponse:
    counter = staff_object(Counter.objects.active(), request.user, pk=pk)
    booking = actions.booking_call_next(counter=counter, by=request.user)
    if booking is None:
        messages.info(request, _("Nobody is waiting at this counter."))
    else:
        messages.success(
            request,
            _("Calling number %(ticket)s: %(name)s.") % {"ticket": booking.ticket, "name": booking.resident.name},
        )
    return redirect("services:desk_counter", counter.pk)


@staff_required(DESK_PERM)
@confirm_first
def desk_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """Served (a POST from the queue) or did not come (asked first: a GET shows the question)."""
    booking = staff_object(Booking.objects.select_related("slot__counter", "item", "resident"), request.user, pk=pk)
    if request.method != "POST":
        problem = ""
        if booking.status != "active" or booking.desk in (Booking.Desk.SERVED, Booking.Desk.NO_SHOW):
            problem = _("This appointment is already finished.")
        elif not booking.slot.is_past:
            problem = _("The appointment has not begun yet (%(time)s): a no-show can only be marked after that.") % {
                "time": f"{booking.slot.local_start:%H:%M}"
            }
        return confirm_page(
            request,
            title=_("Mark as not come?"),
            what=_("The appointment is closed and counted as a no-show against the resident."),
            details=[
                (_("Resident"), booking.resident.name),
                (_("Service"), booking.item.name),
                (_("Time"), f"{booking.slot.local_start:%Y-%m-%d %H:%M}"),
                (_("Booking code"), booking.code),
            ],
            button=_("Yes, did not come"),
            back=reverse("services:desk_counter", args=[booking.slot.counter_id]),
            fields={"outcome": "no_show"},
            problem=problem,
        )
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            actions.booking_finish(booking=booking, served=form.cleaned_data["outcome"] == "served", by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Saved."))
    return redirect("services:desk_counter", booking.slot.counter_id)


@staff_required(ACT_FOR_PERM)
def desk_residents(request: HttpRequest) -> HttpResponse:
    """代办: find a resident of my community, then book or file a case for them."""
    form = ResidentSearchForm(request.GET or None)
    residents = []
    if form.is_valid():
        # Name, phone, household number or building, each word through the residents' search index (as the
        # register's admin search): not a scan of the community's register on every search.
        found = scope_to_staff(Resident.objects.current(), request.user)
        for word in search_words(form.cleaned_data["q"]):
            found = found.filter(document_contains(word))
        residents = found.select_related("household__building").order_by("name", "pk")[:30]
    items = (
        scope_to_staff(ServiceItem.objects.active(), request.user)
        .filter(needs_appointment=True)
        .order_by("category__order", "order", "name")
    )
    return render(request, "services/hall/desk_residents.html", {"form": form, "residents": residents, "items": items})


@staff_required(ACT_FOR_PERM)
def desk_resident(request: HttpRequest, pk: int) -> HttpResponse:
    """One resident's appointments and cases, with links to act on their behalf."""
    resident = staff_object(Resident.objects.select_related("household__building"), request.user, pk=pk)
    bookings = Booking.objects.of_resident(resident.pk).for_listing().order_by("-slot__starts_at")[:20]
    cases = Case.objects.filter(resident=resident).select_related("item").order_by("-submitted_at")[:20]
    items = (
        scope_to_staff(ServiceItem.objects.active(), request.user)
        .filter(needs_appointment=True)
        .order_by("category__order", "order", "name")
    )
    no_shows = Booking.objects.filter(resident=resident, desk=Booking.Desk.NO_SHOW).count()
    return render(
        request,
        "services/hall/desk_resident.html",
        {"resident": resident, "bookings": bookings, "cases": cases, "items": items, "no_shows": no_shows},
    )


# ------------------------------------------------------------------------------------------------
# The "now serving" board (public, for the hall's LED screen)


def board(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_of(request, slug)
    today = timezone.localdate()
    counters = list(Counter.objects.active().filter(community=community).order_by("number"))
    todays = Booking.objects.active().filter(community=community, date=today)
    # At the window now: called and not yet finished (served or did not come clears the counter's number).
    called = todays.filter(desk=Booking.Desk.CALLED).select_related("slot__counter").order_by("-called_at")[:50]
    waiting = dict(
        todays.filter(desk=Booking.Desk.CHECKED_IN)
        .values("slot__counter")
        .annotate(n=Count("pk"))
        .values_list("slot__counter", "n")
    )
    serving: dict[int, Booking] = {}
    for booking in called:
        serving.setdefault(booking.slot.counter_id, booking)
    rows = [{"counter": c, "serving": serving.get(c.pk), "waiting": waiting.get(c.pk, 0)} for c in counters]
    return render(
        request, "services/hall/board.html", {"community": community, "rows": rows, "now": timezone.localtime()}
    )
