"""Pages of the culture station: rooms and booking, classes and enrolment, teams, and my bookings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.capacity import LIVE_STATUSES
from portal.core.confirm import confirm_first, confirm_page
from portal.core.idempotency import idempotent
from portal.core.requests import community_of, error_text, form_errors
from residents.models import Resident
from services.culture import actions
from services.culture.forms import MAX_DAYS_AWAY, RoomBookingForm
from services.culture.models import ClassEnrolment, ClassSession, CultureClass, Room, RoomBooking, Team, TeamMember
from services.events.actions import event_registration_cancel
from services.events.models import EventRegistration


def _own_resident(request: HttpRequest) -> Resident:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        raise Http404
    return resident


def rooms(request: HttpRequest) -> HttpResponse:
    """The activity rooms with opening hours, capacity and rules."""
    community = community_of(request)
    items = Room.objects.filter(community=community).order_by("name")
    return render(request, "services/culture/rooms.html", {"community": community, "rooms": items})


def _day_param(value: str | None) -> dt.date:
    """?day=YYYY-MM-DD within a year of today; anything else (2026-02-30, year 1 or 9999) means today."""
    today = timezone.localdate()
    try:
        day = parse_date(value or "")
    except ValueError:
        return today
    if day is None or abs((day - today).days) > MAX_DAYS_AWAY:
        return today
    return day


@idempotent
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One room: its bookings on a day, and (for a resident of the community) a booking form."""
    room = get_object_or_404(Room, pk=pk)
    day = _day_param(request.GET.get("day"))
    resident = getattr(request.user, "resident", None) if request.user.is_authenticated else None
    may_book = resident is not None and resident.community_id == room.community_id and room.bookable
    form = RoomBookingForm(request.POST or None, initial={"day": day})
    if request.method == "POST":
        if not may_book:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.room_book(
                    room=room,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    purpose=data["purpose"],
                    resident=resident,
                    by=request.user,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        mapped = {"starts_at": "start", "ends_at": "end"}.get(field, field)
                        form.add_error(mapped if mapped in form.fields else None, errors)
                else:
                    form_errors(form, exc)
            else:
                messages.success(request, _("The room is booked for you."))
                return redirect("services:culture:my")
        if hasattr(form, "cleaned_data") and form.cleaned_data.get("day"):
            day = form.cleaned_data["day"]
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    bookings = (
        room.bookings.active().between(start, start + dt.timedelta(days=1)).select_related("team").order_by("starts_at")
    )
    return render(
        request,
        "services/culture/room_detail.html",
        {
            "room": room,
            "day": day,
            "bookings": bookings,
            "form": form,
            "may_book": may_book,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
        },
    )


def classes(request: HttpRequest) -> HttpResponse:
    community = community_of(request)
    now = timezone.now()
    items = (
        CultureClass.objects.filter(community=community)
        .select_related("room")
        .prefetch_related(Prefetch("sessions", queryset=_upcoming_sessions(now)))
        .order_by("name")
    )
    mine = set()
    resident = getattr(request.user, "resident", None) if request.user.is_authenticated else None
    if resident is not None:
        mine = set(
            ClassEnrolment.objects.filter(resident=resident, status__in=LIVE_STATUSES).values_list(
                "klass_id", flat=True
            )
        )
    return render(request, "services/culture/classes.html", {"community": community, "classes": items, "mine": mine})


def _upcoming_sessions(now):
    return ClassSession.objects.filter(ends_at__gte=now).order_by("starts_at")


@login_required
@require_POST
def class_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _own_resident(request)
    klass = get_object_or_404(CultureClass.objects.filter(community_id=resident.community_id), pk=pk)
    try:
        result = actions.class_enrol(klass=klass, resident=resident)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        (messages.success if result.ok else messages.warning)(request, result.message)
    return redirect("services:culture:classes")


def teams(request: HttpRequest) -> HttpResponse:
    """Teams with their leaders and their next room bookings."""
    community = community_of(request)
    now = timezone.now()
    items = (
        Team.objects.filter(community=community)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=TeamMember.objects.filter(is_leader=True).select_related("resident"),
                to_attr="leaders",
            ),
            Prefetch(
                "bookings",
                queryset=RoomBooking.objects.active()
                .filter(ends_at__gte=now)
                .select_related("room")
                .order_by("starts_at"),
                to_attr="next_bookings",
            ),
        )
        .order_by("name")
    )
    return render(request, "services/culture/teams.html", {"community": community, "teams": items})


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    """My room bookings, event registrations and class enrolments, with cancel buttons."""
    resident = _own_resident(request)
    now = timezone.now()
    bookings = resident.room_bookings.active().filter(ends_at__gte=now).select_related("room").order_by("starts_at")
    registrations = (
        EventRegistration.objects.filter(resident=resident, status__in=LIVE_STATUSES, event__ends_at__gte=now)
        .select_related("event")
        .order_by("event__starts_at")
    )
    enrolments = ClassEnrolment.objects.filter(resident=resident, status__in=LIVE_STATUSES).select_related("klass")
    return render(
        request,
        "services/culture/my.html",
        {"bookings": bookings, "registrations": registrations, "enrolments": enrolments},
    )


def _ask(request: HttpRequest, *, title: str, what: str, details: list, button: str, live: bool) -> HttpResponse:
    return confirm_page(
        request,
        title=title,
        what=what,
        details=details,
        button=button,
        back=reverse("services:culture:my"),
        problem="" if live else _("This is already cancelled."),
    )


def _span(start, end) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{start:%Y-%m-%d} {start:%H:%M}\u2060–\u2060{end:%H:%M}"  # word joiners: the range never breaks


@login_required
@confirm_first
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _own_resident(request)
    booking = get_object_or_404(RoomBooking.objects.filter(resident=resident).select_related("room"), pk=pk)
    if request.method != "POST":
        return _ask(
            request,
            title=_("Cancel the room booking?"),
            what=_("The room will be free for others at this time."),
            details=[(_("Room"), booking.room.name), (_("Time"), _span(booking.starts_at, booking.ends_at))],
            button=_("Yes, cancel the booking"),
            live=booking.status == "active",
        )
    actions.room_booking_cancel(booking=booking, by=request.user)
    messages.success(request, _("Your room booking is cancelled."))
    return redirect("services:culture:my")


@login_required
@confirm_first
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _own_resident(request)
    registration = get_object_or_404(EventRegistration.objects.filter(resident=resident).select_related("event"), pk=pk)
    if request.method != "POST":
        event = registration.event
        return _ask(
            request,
            title=_("Cancel your registration?"),
            what=_("Your place goes to the next person on the waiting list; to come later you would register again."),
            details=[(_("Event"), event.title), (_("Time"), _span(event.starts_at, event.ends_at))],
            button=_("Yes, cancel my registration"),
            live=registration.status in LIVE_STATUSES,
        )
    event_registration_cancel(registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("services:culture:my")


@login_required
@confirm_first
def enrolment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _own_resident(request)
    enrolment = get_object_or_404(ClassEnrolment.objects.filter(resident=resident).select_related("klass"), pk=pk)
    if request.method != "POST":
        return _ask(
            request,
            title=_("Leave the class?"),
            what=_("Your place in the class goes to the next person on the waiting list."),
            details=[(_("Class"), enrolment.klass.name)],
            button=_("Yes, leave the class"),
            live=enrolment.status in LIVE_STATUSES,
        )
    actions.class_enrolment_cancel(enrolment=enrolment)
    messages.success(request, _("Your enrolment is cancelled."))
    return redirect("services:culture:my")
