"""Culture-station staff pages: a team's weekly bookings, a class's series of sessions, attendance per session.

A role without `services.add_roombooking` gets a 403; a team, class or session of another community a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.core.access import staff_object, staff_required
from portal.core.capacity import SeatStatus
from portal.core.requests import form_errors
from services.culture import actions
from services.culture.forms import WeeklySeriesForm
from services.culture.models import ClassSession, CultureClass, Room, Team

culture_staff_required = staff_required("services.add_roombooking")


@culture_staff_required
def team_weekly(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a room for a team at the same time every week."""
    team = staff_object(Team.objects.all(), request.user, pk=pk)
    rooms = Room.objects.filter(community_id=team.community_id)
    form = WeeklySeriesForm(request.POST or None, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.team_book_weekly(
                team=team,
                room=data["room"],
                first_day=data["first_day"],
                weeks=data["weeks"],
                start=data["start"],
                end=data["end"],
                by=request.user,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("%(n)s weekly bookings made for %(team)s.") % {"n": len(made), "team": team.name}
            )
            return redirect("services:culture:teams")
    return render(request, "services/culture/staff_series.html", {"form": form, "title": team.name})


@culture_staff_required
def class_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule a class's weekly sessions in its room; list the sessions with a link to their attendance."""
    klass = staff_object(CultureClass.objects.select_related("room"), request.user, pk=pk)
    rooms = Room.objects.filter(pk=klass.room_id)
    form = WeeklySeriesForm(request.POST or None, rooms=rooms, fixed_room=klass.room)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.class_sessions_add_weekly(
                klass=klass,
                first_day=data["first_day"],
                weeks=data["weeks"],
                start=data["start"],
                end=data["end"],
                by=request.user,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(n)s sessions scheduled.") % {"n": len(made)})
            return redirect("services:culture:class_sessions", pk=pk)
    sessions = klass.sessions.order_by("starts_at")
    return render(
        request, "services/culture/staff_series.html", {"form": form, "title": klass.name, "sessions": sessions}
    )


@culture_staff_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick who came to one session."""
    session = staff_object(ClassSession.objects.select_related("klass"), request.user, pk=pk)
    enrolments = (
        session.klass.enrolments.filter(status=SeatStatus.ACTIVE).select_related("resident").order_by("resident__name")
    )
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdecimal()}
        n = actions.session_attendance_record(session=session, present_enrolment_ids=present, by=request.user)
        messages.success(request, _("Attendance saved: %(n)s present.") % {"n": n})
        return redirect("services:culture:session_attendance", pk=pk)
    present = set(session.attendance.filter(present=True).values_list("enrolment_id", flat=True))
    return render(
        request,
        "services/culture/staff_attendance.html",
        {"session": session, "enrolments": enrolments, "present": present},
    )
