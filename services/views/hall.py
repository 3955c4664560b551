"""Pages of the one-stop service hall: catalogue, booking, my bookings, cases, the counter desk and the board.

Every object loads through a scoped query (`visible_to`, `scope_to_staff`): another resident's booking or another
community's counter is a 404. Views parse a form, call one action from services.actions.hall, and redirect.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.access import scope_to_staff
from portal.core.models import Community
from portal.core.pagecache import public_page, remember, scoped_version, version
from residents.models import Resident
from residents.search import document_contains, search_words
from services.actions import hall as actions
from services.forms.hall import (
    BookingConfirmForm,
    CaseFileForm,
    CaseNoteForm,
    CaseRateForm,
    CheckInForm,
    FinishForm,
    RescheduleForm,
    ResidentSearchForm,
    SearchForm,
)
from services.models import Booking, Case, CaseAttachment, ClosedDay, Counter, ServiceCategory, ServiceItem, Slot
from services.signals import bookings_scope

BOOKING_DAYS = 14

# ------------------------------------------------------------------------------------------------
# Helpers


def _community(request: HttpRequest) -> Community | None:
    """The community whose hall is shown: ?c=slug, else the user's own, else the first one."""
    slug = request.GET.get("c")
    if slug:
        return get_object_or_404(Community, slug=slug)
    if request.user.is_authenticated and request.user.community_id:
        return Community.objects.filter(pk=request.user.community_id).first()
    return Community.objects.order_by("pk").first()


class _NoSubject(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


def _subject(request: HttpRequest) -> tuple[Resident, bool]:
    """Whom the user acts for: themselves (a resident), or with ?for=<id> a resident of their community (代办, staff)."""
    resident_id = request.POST.get("for") or request.GET.get("for")
    user = request.user
    if resident_id:
        if not user.has_perm("services.book_on_behalf"):
            raise PermissionDenied
        residents = scope_to_staff(Resident.objects.current(), user).select_related("user")
        try:
            return get_object_or_404(residents, pk=int(resident_id)), True
        except ValueError as exc:
            raise Http404 from exc
    resident = getattr(user, "resident", None)
    if resident is not None:
        return resident, False
    if user.has_perm("services.book_on_behalf"):
        messages.info(request, _("Choose the resident you are acting for."))
        raise _NoSubject(redirect("services:desk_residents"))
    messages.warning(
        request, _("Your account is not linked to a household yet; the community office will confirm it soon.")
    )
    raise _NoSubject(redirect("portal:my"))


def _for_query(resident: Resident, acting: bool) -> str:
    return f"?{urlencode({'for': resident.pk})}" if acting else ""


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


# ------------------------------------------------------------------------------------------------
# Catalogue (public)


@public_page(depends=("portal.Community", "services.ServiceItem", "services.ServiceCategory", "services.Counter"))
def catalogue(request: HttpRequest) -> HttpResponse:
    """办事指南: every category with its items."""
    community = _community(request)
    items = ServiceItem.objects.active().filter(community=community).select_related("counter")
    categories = (
        ServiceCategory.objects.filter(Exists(items.filter(category=OuterRef("pk"))))
        .prefetch_related(Prefetch("items", queryset=items, to_attr="offered"))
        .order_by("order", "name")
    )
    return render(
        request,
        "services/hall/catalogue.html",
        {"community": community, "categories": categories, "form": SearchForm()},
    )


@public_page(depends=("services.ServiceItem", "services.ServiceCategory", "services.Counter"))
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceItem.objects.active().select_related("category", "counter", "community"), pk=pk)
    return render(request, "services/hall/item.html", {"item": item})


def search(request: HttpRequest) -> HttpResponse:
    """Search over names and keywords; one- and two-character queries (户, 低保) work."""
    community = _community(request)
    form = SearchForm(request.GET or None)
    results = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        results = (
            ServiceItem.objects.active()
            .filter(community=community)
            .search(query)
            .select_related("category", "counter")
            .order_by("category__order", "order", "name")[:50]
        )
    return render(
        request, "services/hall/search.html", {"form": form, "query": query, "results": results, "community": community}
    )


# ------------------------------------------------------------------------------------------------
# Booking (resident, or staff on a resident's behalf)


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 and 2: pick a day, then a time (seats left shown)."""
    try:
        resident, acting = _subject(request)
    except _NoSubject as exc:
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
            "for_query": _for_query(resident, acting),
            "days": _days(item.counter, today),
            "days_version": version(DAYS_DEPEND_ON),
            "day": day,
            "problem": problem,
            "slots": slots,
        },
    )


@login_required
def book_confirm(request: HttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    """Step 3: confirm against the documents checklist → booking code."""
    try:
        resident, acting = _subject(request)
    except _NoSubject as exc:
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
    if request.method == "POST" and form.is_valid():
        try:
            booking = actions.booking_create(
                resident=resident, item=item, slot=slot, booked_by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            if exc.code == "already":
                messages.info(request, exc.messages[0])
                return redirect("services:booking", exc.params["code"])
            form.add_error(None, exc)
            if exc.code == "full":
                suggestions = actions.slots_nearest_free(slot=slot)
        else:
            messages.success(request, _("Booked. Your booking code is %(code)s.") % {"code": booking.code})
            return redirect(reverse("services:booking", args=[booking.code]))
    elif request.method == "GET":
        problem = None
        if slot.is_past:
            problem = _("This time has already passed. Please choose a later one.")
        elif slot.is_full:
            problem = _("Sorry, this time is fully booked.")
            suggestions = actions.slots_nearest_free(slot=slot)
        else:
            problem = _day_problem(item.counter, slot.date, timezone.localdate())
        if problem:
            form.add_error(None, problem)
    return render(
        request,
        "services/hall/confirm.html",
        {
            "item": item,
            "slot": slot,
            "form": form,
            "resident": resident,
            "acting": acting,
            "for_query": _for_query(resident, acting),
            "suggestions": suggestions,
        },
    )


def _booking_for(request: HttpRequest, code: str) -> Booking:
    return get_object_or_404(Booking.objects.visible_to(request.user).for_listing(), code=code)


@login_required
def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking_for(request, code)
    return render(request, "services/hall/booking.html", {"booking": booking})


@login_required
@require_POST
def booking_cancel(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking_for(request, code)
    try:
        actions.booking_cancel(booking=booking, by=request.user, reason=request.POST.get("reason", "")[:200])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
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
                error = exc.messages[0]
                if exc.code == "full":
                    suggestions = actions.slots_nearest_free(slot=slot)
                day = slot.date
            else:
                messages.success(request, _("Moved. Your new booking code is %(code)s.") % {"code": new.code})
                return redirect("services:booking", new.code)
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


@login_required
def booking_ics(request: HttpRequest, code: str) -> HttpResponse:
    """The appointment as an .ics calendar file."""
    from icalendar import Calendar, Event

    booking = _booking_for(request, code)
    slot = booking.slot
    calendar = Calendar()
    calendar.add("prodid", "-//Community service portal//services//ZH")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"booking-{booking.code}@community-portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.local_start)
    event.add("dtend", slot.local_end)
    event.add("summary", f"{booking.item.name} · {slot.counter.label}")
    event.add("location", str(slot.counter))
    lines = [_("Booking code: %(code)s") % {"code": booking.code}]
    if booking.item.documents:
        lines.append(_("Please bring: %(docs)s") % {"docs": "、".join(booking.item.documents)})
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.code}.ics"'
    return response


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
    """我的预约: upcoming and past appointments."""
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
            "upcoming": listed(mine.active().upcoming(now).order_by("slot__starts_at")),
            "past": listed(
                mine.filter(Q(slot__starts_at__lt=now) | ~Q(status="active")).order_by("-slot__starts_at")[:30]
            ),
            "bookings_version": scoped_version("services.Booking", bookings_scope(resident.pk)),
        },
    )


# ------------------------------------------------------------------------------------------------
# Cases


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        messages.info(request, _("Only residents have cases of their own."))
        return redirect("portal:my")
    cases = Case.objects.filter(resident=resident).select_related("item").order_by("-submitted_at")[:50]
    return render(request, "services/hall/my_cases.html", {"cases": cases})


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """File a case (application, repair, mediation, complaint); staff may file one on a resident's behalf."""
    try:
        resident, acting = _subject(request)
    except _NoSubject as exc:
        return exc.response
    initial = {}
    item_id = request.GET.get("item")
    if item_id and item_id.isdigit():
        item = ServiceItem.objects.filter(pk=int(item_id), community_id=resident.community_id).first()
        if item is not None:
            initial = {"item": item, "kind": item.case_kind, "title": item.name}
    form = CaseFileForm(
        request.POST or None, request.FILES or None, community_id=resident.community_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.case_file(
                resident=resident,
                kind=data["kind"],
                item=data["item"],
                title=data["title"],
                description=data["description"],
                location=data["location"],
                other_party=data["other_party"],
                filed_by=request.user,
                attachments=[data["attachment"]] if data.get("attachment") else [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Case %(number)s is filed. We will handle it by %(day)s.")
                % {"number": case.number, "day": case.deadline.strftime("%Y-%m-%d")},
            )
            return redirect("services:case", case.pk)
    return render(
        request,
        "services/hall/case_new.html",
        {"form": form, "resident": resident, "acting": acting, "for_query": _for_query(resident, acting)},
    )


def _case_for(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("item", "counter", "assignee", "resident"), pk=pk
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    staff = request.user.has_perm("services.view_case")
    events = case.events.select_related("actor").order_by("at", "id")
    attachments = case.attachments.order_by("uploaded_at")
    if not staff:
        events = events.filter(internal=False)
        attachments = attachments.filter(internal=False)
    is_owner = case.resident.user_id == request.user.pk
    return render(
        request,
        "services/hall/case.html",
        {
            "case": case,
            "events": events,
            "attachments": attachments,
            "is_owner": is_owner,
            "rate_form": CaseRateForm() if is_owner and case.can_rate else None,
            "note_form": CaseNoteForm() if is_owner and case.is_open else None,
        },
    )


@login_required
@require_POST
def case_rate(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = CaseRateForm(request.POST)
    if form.is_valid():
        try:
            actions.case_rate(
                case=case, by=request.user, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose from 1 to 5 stars."))
    return redirect("services:case", case.pk)


@login_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident writes to the hall about their open case."""
    case = _case_for(request, pk)
    if case.resident.user_id != request.user.pk or not case.is_open:
        raise Http404
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        actions.case_add_note(case=case, by=request.user, text=form.cleaned_data["text"], internal=False)
        messages.success(request, _("Your message was added to the case."))
    else:
        messages.error(request, _("Write the message."))
    return redirect("services:case", case.pk)


@login_required
def attachment_download(request: HttpRequest, case_pk: int, pk: int) -> FileResponse:
    """Case files are never public: the case must be visible to you, and internal files only to staff."""
    case = _case_for(request, case_pk)
    files = CaseAttachment.objects.filter(case=case)
    if not request.user.has_perm("services.view_case"):
        files = files.filter(internal=False)
    attachment = get_object_or_404(files, pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    disposition = "inline" if attachment.content_type != "application/pdf" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="case-{case.pk}-{attachment.pk}.{attachment.file.name.rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------------------
# The counter desk (staff)

desk_required = permission_required("services.work_desk", raise_exception=True)


def _staff_counters(request: HttpRequest):
    return scope_to_staff(Counter.objects.active(), request.user)


@login_required
@desk_required
def desk(request: HttpRequest) -> HttpResponse:
    """The counters of my community, with today's numbers."""
    today = timezone.localdate()
    todays = Booking.objects.active().filter(date=today, slot__counter=OuterRef("pk"))
    counters = _staff_counters(request).annotate(
        booked=Coalesce(Subquery(todays.values("slot__counter").annotate(n=Count("pk")).values("n")), 0),
        waiting=Coalesce(
            Subquery(
                todays.filter(desk=Booking.Desk.CHECKED_IN).values("slot__counter").annotate(n=Count("pk")).values("n")
            ),
            0,
        ),
    )
    return render(request, "services/hall/desk.html", {"counters": counters, "form": CheckInForm(), "today": today})


@login_required
@desk_required
def desk_counter(request: HttpRequest, pk: int) -> HttpResponse:
    """Today's queue at one counter: check in, call next, served / no-show."""
    counter = get_object_or_404(_staff_counters(request), pk=pk)
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
        {"counter": counter, "queue": queue, "form": CheckInForm(), "finish_form": FinishForm(), "today": today},
    )


@login_required
@desk_required
@require_POST
def desk_check_in(request: HttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the booking code."))
        return redirect("services:desk")
    if not request.user.community_id:
        raise Http404
    try:
        booking = actions.booking_check_in(
            community_id=request.user.community_id, code=form.cleaned_data["code"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        back = request.POST.get("counter", "")
        return redirect("services:desk_counter", int(back)) if back.isdigit() else redirect("services:desk")
    messages.success(
        request,
        _("%(name)s is checked in: number %(ticket)s at %(counter)s.")
        % {"name": booking.resident.name, "ticket": booking.ticket, "counter": booking.slot.counter.label},
    )
    return redirect("services:desk_counter", booking.slot.counter_id)


@login_required
@desk_required
@require_POST
def desk_call_next(request: HttpRequest, pk: int) -> HttpResponse:
    counter = get_object_or_404(_staff_counters(request), pk=pk)
    booking = actions.booking_call_next(counter=counter, by=request.user)
    if booking is None:
        messages.info(request, _("Nobody is waiting at this counter."))
    else:
        messages.success(
            request,
            _("Calling number %(ticket)s: %(name)s.") % {"ticket": booking.ticket, "name": booking.resident.name},
        )
    return redirect("services:desk_counter", counter.pk)


@login_required
@desk_required
@require_POST
def desk_finish(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(scope_to_staff(Booking.objects.all(), request.user), pk=pk)
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            actions.booking_finish(booking=booking, served=form.cleaned_data["outcome"] == "served", by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Saved."))
    return redirect("services:desk_counter", booking.slot.counter_id)


@login_required
@permission_required("services.book_on_behalf", raise_exception=True)
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


@login_required
@permission_required("services.book_on_behalf", raise_exception=True)
def desk_resident(request: HttpRequest, pk: int) -> HttpResponse:
    """One resident's appointments and cases, with links to act on their behalf."""
    resident = get_object_or_404(
        scope_to_staff(Resident.objects.all(), request.user).select_related("household__building"), pk=pk
    )
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
    community = get_object_or_404(Community, slug=slug)
    today = timezone.localdate()
    counters = list(Counter.objects.active().filter(community=community).order_by("number"))
    todays = Booking.objects.active().filter(community=community, date=today)
    called = todays.filter(called_at__isnull=False).select_related("slot__counter").order_by("-called_at")[:50]
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
