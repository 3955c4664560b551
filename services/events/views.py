"""Pages shared by the health and culture stations: events with registration and a photo gallery, and the public
month calendar of everything happening at both stations, with an iCal feed."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core import ical
from portal.core.access import is_community_staff, require_perm
from portal.core.capacity import LIVE_STATUSES
from portal.core.models import Community
from portal.core.pagecache import public_page
from portal.core.requests import community_of, error_text
from portal.core.uploads import serve_file
from residents.models_proxies import Right
from services.checkin.qr import checkin_qr
from services.culture.models import ClassSession
from services.events.actions import event_photo_add, event_register
from services.events.forms import PhotoUploadForm
from services.events.models import EventPhoto, EventRegistration, Station, StationEvent
from services.hall.views.acting import for_query, for_whom, subject_of


@public_page(depends=("portal.Community", "services.StationEvent"))
def events(request: HttpRequest) -> HttpResponse:
    """Upcoming events of both stations."""
    community = community_of(request)
    items = StationEvent.objects.published().upcoming().filter(community=community).order_by("starts_at")[:100]
    return render(request, "services/stations/events.html", {"community": community, "events": items})


PHOTO_PERM = "services.add_eventphoto"


def _may_upload(user, event: StationEvent) -> bool:
    """Station staff of the event's own community."""
    return is_community_staff(user) and user.community_id == event.community_id and user.has_perm(PHOTO_PERM)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(StationEvent.objects.published(), pk=pk)
    mine = None
    resident = getattr(request.user, "resident", None) if request.user.is_authenticated else None
    acting, choices = False, []
    if request.user.is_authenticated and request.GET.get("for"):
        resident, acting = subject_of(request, Right.SIGN_UP)  # 代办: 403/404 as on the booking page
    if resident is not None:
        mine = (
            EventRegistration.objects.filter(event=event, resident=resident, status__in=LIVE_STATUSES)
            .select_related("registered_by", "resident")
            .first()
        )
        choices = for_whom(request, resident, Right.SIGN_UP)
    may_upload = request.user.is_authenticated and _may_upload(request.user, event)
    form = PhotoUploadForm(request.POST or None, request.FILES or None) if may_upload else None
    if request.method == "POST":
        require_perm(request.user, PHOTO_PERM)  # a role without it: 403
        if not may_upload:
            raise Http404  # another community's event
        if form.is_valid():
            event_photo_add(
                event=event, upload=form.cleaned_data["image"], caption=form.cleaned_data["caption"], by=request.user
            )
            messages.success(request, _("Photo added; its thumbnail is being made."))
            return redirect("services:stations:event", pk=pk)
    return render(
        request,
        "services/stations/event_detail.html",
        {
            "event": event,
            "mine": mine,
            "resident": resident,
            "acting": acting,
            "for_whom": choices,
            "photos": event.photos.all(),
            "form": form,
            "ended": event.ends_at <= timezone.now(),
            # The check-in QR code of a confirmed place, until the resident is checked in or the event is over.
            "qr": checkin_qr(mine)
            if mine and mine.status == "active" and mine.checked_in_at is None and event.ends_at > timezone.now()
            else None,
        },
    )


def event_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> FileResponse:
    """A photo of an event's gallery (or its thumbnail), as services:stations:event: only while it is published."""
    event = get_object_or_404(StationEvent.objects.published(), pk=pk)
    photo = get_object_or_404(EventPhoto.objects.filter(event=event), pk=photo_pk)
    return serve_file(getattr(photo, size), cache="private, max-age=3600")


@login_required
@require_POST
def event_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("for"):
        resident, acting = subject_of(request, Right.SIGN_UP)  # 代办: a family proxy, or staff
    else:
        resident, acting = getattr(request.user, "resident", None), False
    if resident is None:
        raise Http404
    event = get_object_or_404(StationEvent.objects.published().filter(community_id=resident.community_id), pk=pk)
    try:
        result = event_register(event=event, resident=resident, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        (messages.success if result.ok else messages.warning)(request, result.message)
    return redirect(reverse("services:stations:event", args=[pk]) + for_query(resident, acting))


# --- calendar -----------------------------------------------------------------------------------


@dataclass
class Entry:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    station: str
    kind: str
    url: str
    uid: str


def calendar_entries(community: Community, start: dt.datetime, end: dt.datetime) -> list[Entry]:
    """Everything public at both stations between two times: events and class sessions. Two queries."""
    entries = [
        Entry(
            title=e.title,
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            place=e.place,
            station=e.get_station_display(),
            kind=e.get_kind_display(),
            url=reverse("services:stations:event", args=[e.pk]),
            uid=f"event-{e.pk}@portal",
        )
        for e in StationEvent.objects.published().filter(community=community).between(start, end)
    ]
    sessions = ClassSession.objects.filter(
        klass__community=community, starts_at__lt=end, ends_at__gt=start
    ).select_related("klass", "klass__room")
    entries += [
        Entry(
            title=s.klass.name + (f" · {s.topic}" if s.topic else ""),
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            place=s.klass.room.name,
            station=str(Station.CULTURE.label),
            kind=_("class"),
            url=reverse("services:culture:classes") + f"?c={community.slug}",
            uid=f"session-{s.pk}@portal",
        )
        for s in sessions
    ]
    entries.sort(key=lambda e: (e.starts_at, e.title))
    return entries


MAX_YEARS_AWAY = 10  # ?month= further away than this (year 1, year 9999 …) shows this month


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)
    return first if abs(first.year - today.year) <= MAX_YEARS_AWAY else today.replace(day=1)


def month_calendar(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The month at both stations, as a list of days (readable on a phone) — public."""
    community = community_of(request, slug)
    first = _month(request.GET.get("month"))
    days_in_month = pycalendar.monthrange(first.year, first.month)[1]
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=days_in_month)
    by_day = defaultdict(list)
    for entry in calendar_entries(community, start, end):
        by_day[timezone.localtime(entry.starts_at).date()].append(entry)
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = first + dt.timedelta(days=days_in_month)
    return render(
        request,
        "services/stations/calendar.html",
        {
            "community": community,
            "month": first,
            "days": sorted(by_day.items()),
            "prev_month": prev_month,
            "next_month": next_month,
            "today": timezone.localdate(),
        },
    )


def ical_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """An iCal feed of the stations' events and class sessions, from a month back to six months ahead."""
    community = community_of(request, slug)
    now = timezone.now()
    entries = [
        ical.Entry(
            uid=entry.uid,
            title=entry.title,
            starts_at=entry.starts_at,
            ends_at=entry.ends_at,
            place=entry.place,
            categories=[str(entry.station)],
            url=request.build_absolute_uri(entry.url),
        )
        for entry in calendar_entries(community, now - dt.timedelta(days=31), now + dt.timedelta(days=183))
    ]
    name = _("%(community)s · health and culture stations") % {"community": community.name}
    return ical.response(ical.build(entries, name=name), filename=f"{community.slug}-stations.ics", attachment=False)
