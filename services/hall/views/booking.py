"""Booking an appointment (the resident, or staff on their behalf): pick a day, a time, confirm against the
documents list; then see, cancel, reschedule or download it; and 我的预约, the resident's own list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.core import ical
from portal.core.capacity import LIVE_STATUSES
from portal.core.confirm import confirm_first, confirm_page
from portal.core.idempotency import idempotent
from portal.core.pagecache import remember, scoped_version, version
from portal.core.requests import error_text, form_errors
from services.checkin.qr import checkin_qr
from services.hall import actions
from services.hall.calendar import booking_entry
from services.hall.forms import BookingConfirmForm, RescheduleForm
from services.hall.models import Booking, ClosedDay, Counter, ServiceItem, Slot
from services.hall.signals import bookings_scope
from services.hall.views.acting import NoSubject, for_query, for_whom, subject_of

BOOKING_DAYS = 14


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


DAYS_DEPEND_ON = ("services.Slot", "services.ClosedDay")
ITEM_DEPENDS_ON = ("services.ServiceItem", "services.ServiceCategory", "services.Counter")


def _bookable_item(pk: int, community_id: int) -> ServiceItem:
    """The item of the booking page, with its counter and category: public data, the same for every resident,
    so it is cached until an item, category or counter changes. 404 unless it is offered by appointment in the
    resident's community."""
    item = remember(
        f"bookable-item:{pk}",
        ITEM_DEPENDS_ON,
        lambda: ServiceItem.objects.active().select_related("counter", "category").filter(pk=pk).first() or False,
        300,
    )
    if not item or item.community_id != community_id or not item.needs_appointment:
        raise Http404
    return item


def _days(counter: Counter, today: dt.date) -> list[dict]:
    """The next BOOKING_DAYS days of a counter: free seats, or why it is closed. The same for every resident, so
    it is cached until a slot, a seat or a closure changes (and for a minute at most: slots start and pass)."""
    return remember(
        f"booking-days:{counter.pk}:{today.isoformat()}", DAYS_DEPEND_ON, lambda: _days_uncached(counter, today), 60
    )


def _days_uncached(counter: Counter, today: dt.date) -> list[dict]:
    last = today + dt.timedelta(days=BOOKING_DAYS - 1)
    free = dict(
        Slot.objects.filter(counter=counter, date__gte=today, date__lte=last)
        .upcoming()
        .values("date")
        .annotate(free=Sum(F("capacity") - F("seats_taken")))
        .values_list("date", "free")
    )
    closures = {
        c.date: c.reason
        for c in ClosedDay.objects.filter(community_id=counter.community_id, date__gte=today, date__lte=last).affecting(
            counter.pk
        )
    }
    days = []
    for offset in range(BOOKING_DAYS):
        day = today + dt.timedelta(days=offset)
        days.append({"date": day, "free": free.get(day), "closed": closures.get(day), "has_slots": day in free})
    return days


def _slots_of_day(counter: Counter, day: dt.date) -> list[Slot]:
    return list(Slot.objects.filter(counter=counter, date=day).upcoming().order_by("starts_at"))


def _day_problem(counter: Counter, day: dt.date, today: dt.date) -> str | None:
    if day < today:
        return _("That day has already passed. Please choose a later one.")
    closure = actions.is_closed(counter_id=counter.pk, community_id=counter.community_id, day=day)
    if closure is not None:
        return _("The hall is closed on %(day)s (%(reason)s). Please choose another day.") % {
            "day": day.strftime("%Y-%m-%d"),
            "reason": closure.reason,
        }
    return None


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 and 2: pick a day, then a time (seats left shown)."""
    try:
        resident, acting = subject_of(request)
    except NoSubject as exc:
        return exc.response
    item = _bookable_item(pk, resident.community_id)
    today = timezone.localdate()
    day = _parse_day(request.GET.get("day"))
    problem = _day_problem(item.counter, day, today) if day else None
    slots = _slots_of_day(item.counter, day) if day and not problem else []
    return render(
        request,
        "services/hall/book.html",
        {
            "item": item,
            "resident": resident,
            "acting": acting,
            "for_query": for_query(resident, acting),
            "for_whom": for_whom(request, resident),
            "days": _days(item.counter, today),
            "days_version": version(DAYS_DEPEND_ON),
            "day": day,
            "problem": problem,
            "slots": slots,
        },
    )


@login_required
@idempotent
def book_confirm(request: HttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    """Step 3: confirm against the documents checklist → booking code."""
    try:
        resident, acting = subject_of(request)
    except NoSubject as exc:
        return exc.response
    item = get_object_or_404(
        ServiceItem.objects.active()
        .filter(community_id=resident.community_id, needs_appointment=True)
        .select_related("counter", "category"),
        pk=pk,
    )
    slot = get_object_or_404(Slot.objects.filter(counter_id=item.counter_id).select_related("counter"), pk=slot_pk)
    form = BookingConfirmForm(request.POST or None)
    suggestions: list[Slot] = []
    problem = None
    wait = request.POST.get("waitlist") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            create = actions.booking_wait if wait else actions.booking_create
            booking = create(
                resident=resident, item=item, slot=slot, booked_by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            if exc.code == "already":
                messages.info(request, error_text(exc))
                return redirect("services:booking", exc.params["code"])
            form_errors(form, exc)
            if exc.code == "full":
                suggestions = actions.slots_nearest_free(slot=slot)
        else:
            if booking.status == "waiting":
                messages.success(
                    request,
                    _("You are number %(place)s on the waiting list. We will tell you when a place is yours.")
                    % {"place": booking.waiting_place},
                )
            else:
                messages.success(request, _("Booked. Your booking code is %(code)s.") % {"code": booking.code})
            return redirect(reverse("services:booking", args=[booking.code]))
    elif request.method == "GET":
        # Told before the resident confirms (the unbound form cannot carry an error).
        if slot.is_past:
            problem = _("This time has already passed. Please choose a later one.")
        elif slot.is_full:
            problem = _("Sorry, this time is fully booked.")
            suggestions = actions.slots_nearest_free(slot=slot)
        else:
            problem = _day_problem(item.counter, slot.date, timezone.localdate())
    return render(
        request,
        "services/hall/confirm.html",
        {
            "item": item,
            "slot": slot,
            "form": form,
            "resident": resident,
            "acting": acting,
            "for_query": for_query(resident, acting),
            "suggestions": suggestions,
            "problem": problem,
            # A full slot offers its waiting list (排队候补) instead of the booking button.
            "waitlist": slot.is_full and not slot.is_past,
            "waiting": Booking.objects.filter(slot=slot, status="waiting").count() if slot.is_full else 0,
        },
    )


def _booking_for(request: HttpRequest, code: str) -> Booking:
    return get_object_or_404(Booking.objects.visible_to(request.user).for_listing(), code=code)


@login_required
def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking_for(request, code)
    # Its history: the time it was moved from, or (left behind by a move) the appointment it became.
    moved_from = (
        Slot.objects.filter(bookings__pk=booking.rescheduled_from_id).first() if booking.rescheduled_from_id else None
    )
    moved_to = None
    if booking.status != "active":
        moved_to = Booking.objects.filter(rescheduled_from=booking).only("code").first()
    # The check-in QR code, while the appointment is still to come (the counter or the door scans it).
    qr = None
    if booking.status == "active" and booking.desk == Booking.Desk.BOOKED and booking.date >= timezone.localdate():
        qr = checkin_qr(booking)
    return render(
        request,
        "services/hall/booking.html",
        {"booking": booking, "moved_from": moved_from, "moved_to": moved_to, "qr": qr},
    )


def _span(start: dt.datetime, end: dt.datetime) -> str:
    """2026-12-07 星期一 09:00–09:30; the time range never breaks across lines (word joiners around the dash)."""
    return f"{date_format(start, 'Y-m-d D')} {start:%H:%M}\u2060–\u2060{end:%H:%M}"


def _when(booking: Booking) -> str:
    return _span(booking.slot.local_start, booking.slot.local_end)


@login_required
@confirm_first
def booking_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """GET: what cancelling means (the place goes to someone else); POST: cancel."""
    booking = _booking_for(request, code)
    if request.method != "POST":
        by_staff = request.user.has_perm("services.change_booking")
        problem = ""
        if booking.status == "cancelled":
            problem = _("This appointment is already cancelled.")
        elif booking.status == "active" and not (booking.can_change or by_staff):
            problem = _("It is too late to change this appointment online; please call the hall.")
        waiting = booking.status == "waiting"
        return confirm_page(
            request,
            title=_("Leave the waiting list?") if waiting else _("Cancel the appointment?"),
            what=(
                _("You lose your place on the waiting list; you can pick a time while places are left.")
                if waiting
                else _("Your place will be given to someone else. To come later you will need to book again.")
            ),
            details=[
                (_("Booking code"), booking.code),
                (_("Service"), booking.item.name),
                (_("Time"), _when(booking)),
                (_("For"), booking.resident.name),
            ],
            button=_("Yes, leave the waiting list") if waiting else _("Yes, cancel the appointment"),
            back=reverse("services:booking", args=[code]),
            reason="reason" if by_staff else None,
            reason_label=_("Reason, sent to the resident (optional)"),
            problem=problem,
        )
    try:
        actions.booking_cancel(booking=booking, by=request.user, reason=request.POST.get("reason", "")[:200])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("services:booking", code)
    messages.success(request, _("The appointment %(code)s is cancelled.") % {"code": code})
    if request.user.has_perm("services.change_booking"):
        return redirect("services:booking", code)
    return redirect("services:my_bookings")


@login_required
def booking_reschedule(request: HttpRequest, code: str) -> HttpResponse:
    """Pick another day and time; the new seat is taken before the old one is freed."""
    booking = _booking_for(request, code)
    if booking.status != "active":
        raise Http404
    counter = booking.slot.counter
    today = timezone.localdate()
    day = _parse_day(request.POST.get("day") or request.GET.get("day"))
    error = None
    suggestions: list[Slot] = []
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            slot = get_object_or_404(Slot.objects.filter(counter=counter), pk=form.cleaned_data["slot"])
            try:
                new = actions.booking_reschedule(booking=booking, slot=slot, by=request.user)
            except ValidationError as exc:
                error = error_text(exc)
                if exc.code == "full":
                    suggestions = actions.slots_nearest_free(slot=slot)
                day = slot.date
            else:
                messages.success(
                    request,
                    _("Moved to %(when)s. Your booking code stays %(code)s.") % {"when": _when(new), "code": new.code},
                )
                return redirect("services:booking", new.code)
    elif (chosen := RescheduleForm(request.GET)).is_valid():
        return _reschedule_ask(request, booking, chosen.cleaned_data["slot"])
    problem = _day_problem(counter, day, today) if day else None
    return render(
        request,
        "services/hall/reschedule.html",
        {
            "booking": booking,
            "days": _days(counter, today),
            "day": day,
            "problem": problem,
            "slots": _slots_of_day(counter, day) if day and not problem else [],
            "error": error,
            "suggestions": suggestions,
        },
    )


def _reschedule_ask(request: HttpRequest, booking: Booking, slot_pk: int) -> HttpResponse:
    """The confirmation of a move: from which time to which, and that the code stays."""
    slot = get_object_or_404(Slot.objects.filter(counter=booking.slot.counter_id), pk=slot_pk)
    problem = ""
    if slot.pk == booking.slot_id:
        problem = _("That is the time you already have.")
    elif slot.is_past:
        problem = _("This time has already passed. Please choose a later one.")
    elif slot.is_full:
        problem = _("Sorry, this time is fully booked.")
    new_time = _span(slot.local_start, slot.local_end)
    return confirm_page(
        request,
        title=_("Move the appointment?"),
        what=_("Your current time is given up and the new one is yours; the booking code stays the same."),
        details=[
            (_("Service"), booking.item.name),
            (pgettext("appointment moved", "From"), _when(booking)),
            (pgettext("appointment moved", "To"), new_time),
            (_("Booking code"), booking.code),
        ],
        button=_("Yes, move it"),
        back=f"{reverse('services:booking_reschedule', args=[booking.code])}?day={slot.date.isoformat()}",
        fields={"slot": slot.pk},
        problem=problem,
    )


@login_required
def booking_ics(request: HttpRequest, code: str) -> HttpResponse:
    """The appointment as an .ics calendar file."""
    booking = _booking_for(request, code)
    calendar = ical.build([booking_entry(booking)])
    return ical.response(calendar, filename=f"booking-{booking.code}.ics")


class LazyRows:
    """A list computed on first use: the template reads it only when its fragment cache misses."""

    def __init__(self, compute):
        self._compute = compute
        self._rows = None

    def _get(self) -> list:
        if self._rows is None:
            self._rows = self._compute()
        return self._rows

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __getitem__(self, index):
        return self._get()[index]


MY_BOOKING_FIELDS = (
    "code",
    "status",
    "desk",
    "resident_id",
    "booked_by",
    "item",
    "slot",
    "slot__counter",
    "booked_by__name",
    "item__name",
    "slot__starts_at",
    "slot__counter__number",
)


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    """我的预约: upcoming and past appointments; with ?for=<id>, those of the resident the user acts for (a family
    proxy, or staff: the same acting path as the booking page)."""
    acting = False
    if request.GET.get("for"):
        try:
            resident, acting = subject_of(request)
        except NoSubject as exc:
            return exc.response
    else:
        resident = getattr(request.user, "resident", None)
    if resident is None:
        messages.info(request, _("Only residents have appointments of their own."))
        return redirect("portal:my")
    now = timezone.now()
    # Only what the list shows: composing a six-table join costs more than running it.
    mine = (
        Booking.objects.of_resident(resident.pk)
        .select_related("slot__counter", "item", "booked_by")
        .only(*MY_BOOKING_FIELDS)
    )

    def listed(queryset):
        def rows():
            found = list(queryset)
            for booking in found:
                booking.resident = resident  # is_acted_for compares with the resident's account
            return found

        return LazyRows(rows)  # run only when the template's cached copy of the lists is out of date

    return render(
        request,
        "services/hall/my_bookings.html",
        {
            "resident": resident,
            "acting": acting,
            "for_whom": for_whom(request, resident),
            "upcoming": listed(mine.filter(status__in=LIVE_STATUSES).upcoming(now).order_by("slot__starts_at")),
            "past": listed(
                mine.filter(Q(slot__starts_at__lt=now) | Q(status="cancelled")).order_by("-slot__starts_at")[:30]
            ),
            "bookings_version": scoped_version("services.Booking", bookings_scope(resident.pk)),
        },
    )
