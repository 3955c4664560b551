"""Pages of the health station: the resident's own file, access log, download and checkup booking; the staff's
file list (by household), file page (each open is logged), consent and opening, focus groups and campaigns.

Staff pages: a role without `portal.see_health` gets a 403, a record outside the user's own community a
404 (`services.health.access`). The file page is the exception: whoever may not read a real file gets a 404 and a
denied entry in the access log, so that the file's existence is not confirmed to them.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.access import staff_object
from portal.core.audit import sensitive_read
from portal.core.capacity import LIVE_STATUSES, Outcome, SeatStatus
from portal.core.confirm import confirm_first, confirm_page
from portal.core.models import SensitiveAccessLog
from portal.core.requests import error_text, form_errors, id_of, paginate
from residents.models import Resident
from services.checkin.qr import checkin_qr
from services.health import actions
from services.health.access import (
    LOG_FIELD,
    Purpose,
    health_file_for_proxy,
    health_file_open,
    health_files_for,
    health_scope,
    health_staff_required,
    log_health_read,
    may_read_health,
)
from services.health.charts import reading_charts
from services.health.forms import (
    AttendanceForm,
    ConsentAndOpenForm,
    FollowUpForm,
    MaternalVisitForm,
    PurposeForm,
    ReadingForm,
)
from services.health.models import (
    CampaignInvitation,
    CheckupBooking,
    CheckupCampaign,
    CheckupSlot,
    FocusGroup,
    FollowUpPlan,
    HealthFile,
)
from services.health.records import health_data_of, with_entries


def _own_resident(request: HttpRequest) -> Resident:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        raise Http404
    return resident


# --- the resident's own pages -----------------------------------------------------------------


@login_required
def my_file(request: HttpRequest) -> HttpResponse:
    """My health file: read-only, with charts and tables. With ?for=<id>, a family proxy's view of the file of the
    resident who granted them the health file (logged); anyone else gets a 404 (logged as denied)."""
    for_id = request.GET.get("for")
    if for_id:
        if not for_id.isdecimal():
            raise Http404
        resident, found = health_file_for_proxy(actor=request.user, resident_id=int(for_id))
        file = with_entries(HealthFile.objects.filter(pk=found.pk)).first() if found else None
    else:
        resident = _own_resident(request)
        file = with_entries(HealthFile.objects.live().filter(resident=resident)).first()
    reads = SensitiveAccessLog.objects.filter(subject=resident, field=LOG_FIELD).count()
    return render(
        request,
        "services/health/my_file.html",
        {
            "file": file,
            "resident": resident,
            "acting": bool(for_id),
            "charts": reading_charts(file.readings.all()) if file else [],
            "reads": reads,
        },
    )


@login_required
def my_access_log(request: HttpRequest) -> HttpResponse:
    """Who read my health file, and when (denied attempts included)."""
    resident = _own_resident(request)
    entries = (
        SensitiveAccessLog.objects.filter(subject=resident, field=LOG_FIELD)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    page = paginate(request, entries, 50)
    return render(request, "services/health/my_access_log.html", {"page": page})


@login_required
def my_download(request: HttpRequest) -> HttpResponse:
    """My health data as JSON (PIPL: a copy of one's own personal information)."""
    data = health_data_of(_own_resident(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-health-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_checkup(request: HttpRequest) -> HttpResponse:
    """The physicals I am invited to: book, see or cancel my time."""
    resident = _own_resident(request)
    now = timezone.now()
    invitations = (
        CampaignInvitation.objects.filter(resident=resident, campaign__ends_on__gte=timezone.localdate())
        .select_related("campaign")
        .prefetch_related(Prefetch("campaign__slots", queryset=CheckupSlot.objects.filter(ends_at__gt=now)))
    )
    bookings = {
        b.slot.campaign_id: b
        for b in CheckupBooking.objects.filter(resident=resident, status__in=LIVE_STATUSES).select_related("slot")
    }
    for booking in bookings.values():
        # The check-in QR code, until the appointment is over or the resident has been checked in.
        live = booking.status == SeatStatus.ACTIVE and not booking.attended and booking.slot.ends_at > now
        booking.qr = checkin_qr(booking) if live else None
        booking.waiting_place = actions.checkup_waiting_place(booking)
    rows = [(inv.campaign, bookings.get(inv.campaign_id)) for inv in invitations]
    return render(request, "services/health/my_checkup.html", {"rows": rows})


@login_required
@require_POST
def my_checkup_book(request: HttpRequest, slot_id: int) -> HttpResponse:
    resident = _own_resident(request)
    slot = get_object_or_404(CheckupSlot.objects.filter(campaign__community_id=resident.community_id), pk=slot_id)
    try:
        result = actions.checkup_book(slot=slot, resident=resident, waiting_list=request.POST.get("waitlist") == "1")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if result.outcome is Outcome.WAITING:
            place = actions.checkup_waiting_place(result.seat)
            messages.success(
                request,
                _("You are number %(place)s on the waiting list. We will tell you when a place is yours.")
                % {"place": place},
            )
        else:
            (messages.success if result.ok else messages.warning)(request, result.message)
    return redirect("services:health:my_checkup")


@login_required
@confirm_first
def my_checkup_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    resident = _own_resident(request)
    booking = get_object_or_404(
        CheckupBooking.objects.filter(resident=resident).select_related("slot__campaign"), pk=booking_id
    )
    if request.method != "POST":
        waiting = booking.status == SeatStatus.WAITING
        return confirm_page(
            request,
            title=_("Leave the waiting list?") if waiting else _("Cancel your physical?"),
            what=(
                _("You lose your place on the waiting list; you can pick a time while places are left.")
                if waiting
                else _("Your time will be offered to other residents; you can pick another time while places are left.")
            ),
            details=[
                (_("Physical"), booking.slot.campaign.title),
                (_("Time"), f"{timezone.localtime(booking.slot.starts_at):%Y-%m-%d %H:%M}"),
            ],
            button=_("Yes, leave the waiting list") if waiting else _("Yes, cancel my booking"),
            back=reverse("services:health:my_checkup"),
            problem="" if booking.status in LIVE_STATUSES else _("This is already cancelled."),
        )
    actions.checkup_booking_cancel(booking=booking)
    messages.success(request, _("Your booking is cancelled."))
    return redirect("services:health:my_checkup")


# --- staff pages --------------------------------------------------------------------------------


@health_staff_required
def files(request: HttpRequest) -> HttpResponse:
    """Health files of the community, grouped by household; search by name only (never by a health value)."""
    qs = health_files_for(request.user).select_related("resident", "household", "household__building")
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(resident__name__icontains=query)
    qs = qs.order_by("household__number", "resident_id")
    page = paginate(request, qs, 50)
    without = health_scope(Resident.objects.current(), request.user).filter(health_file__isnull=True)
    if query:
        without = without.filter(name__icontains=query)
    return render(
        request,
        "services/health/files.html",
        {"page": page, "query": query, "without": without.select_related("household")[:20]},
    )


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A file, for health staff of its community. Each open writes one access-log entry; a refused one, a denied entry."""
    purpose = request.GET.get("purpose", "")
    if purpose not in Purpose.values:
        # Ask why first; the read (and its log entry) happens once the purpose is given.
        file = HealthFile.objects.live().only("pk", "community_id", "resident_id").filter(pk=pk).first()
        if file is None:
            raise Http404
        if not may_read_health(request.user, file.community_id):
            log_health_read(actor=request.user, file=file, purpose="", denied=True)
            raise Http404
        return render(request, "services/health/file_purpose.html", {"form": PurposeForm(), "pk": pk})
    return _file_page(request, pk, purpose)


def _file_page(request: HttpRequest, pk: int, purpose: str, **bound_forms) -> HttpResponse:
    """The file page (a logged read). `bound_forms` put back a form that failed, with what was typed and its errors
    next to the fields, in place of the empty one."""
    file = health_file_open(actor=request.user, file_id=pk, purpose=purpose)
    file = with_entries(HealthFile.objects.filter(pk=file.pk)).prefetch_related("plans").get()
    context = {
        "file": file,
        "charts": reading_charts(file.readings.all()),
        "reading_form": ReadingForm(),
        "followup_form": FollowUpForm(),
        "maternal_form": MaternalVisitForm() if file.maternal_care else None,
        "purpose": purpose,
    }
    context.update(bound_forms)
    return render(request, "services/health/file_detail.html", context)


def _file_to_write(request: HttpRequest, pk: int) -> HealthFile:
    """A file to write to (no read is logged: the form posts and redirects to the logged page)."""
    return staff_object(health_files_for(request.user).select_related("consent"), request.user, pk=pk)


def _entry_add(request: HttpRequest, pk: int, form_class, record, purpose: str, form_name: str, done: str):
    """Record one entry in a file through `record(file=, by=, **cleaned_data)`. A refused entry shows the file page
    again with what was typed and the message next to the field; a recorded one goes back to the page."""
    file = _file_to_write(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            record(file=file, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(f"{reverse('services:health:file', args=[pk])}?purpose={purpose}")
    return _file_page(request, pk, purpose, **{form_name: form})


@health_staff_required
@require_POST
def reading_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_add(
        request, pk, ReadingForm, actions.reading_record, Purpose.CARE, "reading_form", _("Reading recorded.")
    )


@health_staff_required
@require_POST
def followup_add(request: HttpRequest, pk: int) -> HttpResponse:
    def record(*, file, by, **data):
        plan = FollowUpPlan.objects.filter(file=file, pk=request.POST.get("plan") or 0).first()
        return actions.follow_up_record(file=file, by=by, plan=plan, **data)

    return _entry_add(
        request, pk, FollowUpForm, record, Purpose.FOLLOW_UP, "followup_form", _("Follow-up visit recorded.")
    )


@health_staff_required
@require_POST
def maternal_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_add(
        request,
        pk,
        MaternalVisitForm,
        actions.maternal_visit_record,
        Purpose.MATERNAL,
        "maternal_form",
        _("Maternal-care visit recorded."),
    )


@health_staff_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file_to_write(request, pk)
    actions.health_consent_withdraw(consent=file.consent, by=request.user)
    messages.success(request, _("Consent withdrawn: nothing more will be recorded, and the file will be anonymised."))
    return redirect("services:health:files")


@health_staff_required
def file_open(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Record the separate consent and open the file, in one step."""
    resident = staff_object(
        health_scope(Resident.objects.current(), request.user).select_related("household"), request.user, pk=resident_id
    )
    form = ConsentAndOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = actions.health_consent_record(
                resident=resident, recorded_by=request.user, guardian_name=data["guardian_name"]
            )
            file = actions.health_file_create(
                resident=resident,
                consent=consent,
                created_by=request.user,
                chronic_conditions=data["chronic_conditions"],
                allergies=data["allergies"],
                medications=data["medications"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded and health file opened."))
            return redirect(f"{reverse('services:health:file', args=[file.pk])}?purpose={Purpose.CARE}")
    return render(request, "services/health/file_open.html", {"form": form, "resident": resident})


@health_staff_required
def focus_groups(request: HttpRequest) -> HttpResponse:
    """Focus groups (by register tags) with their sizes and plans, and the list of overdue follow-ups."""
    community_id = request.user.community_id
    if request.method == "POST":
        group = request.POST.get("group", "")
        if group in FocusGroup.values:
            made = actions.follow_up_plans_create(
                community_id=community_id, group=group, interval_days=30, by=request.user
            )
            messages.success(request, _("%(n)s follow-up plans started.") % {"n": made})
        return redirect("services:health:focus")
    plan_counts = dict(
        FollowUpPlan.objects.active().filter(community_id=community_id).values_list("group").annotate(n=Count("pk"))
    )
    groups = [
        {
            "value": value,
            "label": label,
            "members": actions.focus_group_residents(community_id=community_id, group=value).count(),
            "plans": plan_counts.get(value, 0),
        }
        for value, label in FocusGroup.choices
    ]
    overdue = (
        FollowUpPlan.objects.overdue()
        .filter(community_id=community_id)
        .select_related("file__resident", "file__household")
        .order_by("next_due", "pk")
    )
    page = paginate(request, overdue, 50)
    # The list names people with their health follow-ups: each listed person's file counts as read.
    sensitive_read(
        actor=request.user,
        subjects=[plan.file.resident_id for plan in page],
        field=LOG_FIELD,
        purpose=Purpose.FOLLOW_UP.label,
    )
    return render(
        request, "services/health/focus.html", {"groups": groups, "page": page, "today": timezone.localdate()}
    )


@health_staff_required
def campaigns(request: HttpRequest) -> HttpResponse:
    items = health_scope(CheckupCampaign.objects.all(), request.user)
    return render(request, "services/health/campaigns.html", {"campaigns": items})


@health_staff_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Invited / booked / attended, the slots, and the buttons to invite and to chase no-shows."""
    campaign = staff_object(health_scope(CheckupCampaign.objects.all(), request.user), request.user, pk=pk)
    if request.method == "POST":
        if request.POST.get("do") == "invite":
            n = actions.campaign_invite(campaign=campaign, by=request.user)
            messages.success(request, _("%(n)s residents invited.") % {"n": n})
        elif request.POST.get("do") == "chase":
            n = actions.campaign_chase_no_shows(campaign=campaign, by=request.user)
            messages.success(request, _("%(n)s no-shows reminded.") % {"n": n})
        return redirect("services:health:campaign", pk=pk)
    slots = campaign.slots.annotate(
        attended=Count("bookings", filter=Q(bookings__attended=True, bookings__status=SeatStatus.ACTIVE))
    ).order_by("starts_at")
    return render(
        request,
        "services/health/campaign.html",
        {
            "campaign": campaign,
            "report": actions.campaign_report(campaign),
            "slots": slots,
            "eligible": actions.campaign_eligible(campaign).count(),
        },
    )


@health_staff_required
def slot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The bookings of one slot, with attendance (and results, for residents with a file)."""
    slot = staff_object(
        health_scope(CheckupSlot.objects.select_related("campaign"), request.user, "campaign__community"),
        request.user,
        pk=pk,
    )
    failed = None
    if request.method == "POST":
        booking = get_object_or_404(slot.bookings.all(), pk=id_of(request.POST.get("booking")) or 0)
        form = AttendanceForm(request.POST, auto_id=f"%s-{booking.pk}")
        if form.is_valid():
            try:
                actions.checkup_attendance_record(booking=booking, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Attendance recorded."))
                return redirect("services:health:slot", pk=pk)
        failed = (booking.pk, form)  # shown again as typed, with the reason next to the field
    bookings = slot.bookings.filter(status=SeatStatus.ACTIVE).select_related("resident").order_by("resident__name")
    rows = [
        (
            b,
            failed[1]
            if failed and failed[0] == b.pk
            else AttendanceForm(initial={"attended": b.attended}, auto_id=f"%s-{b.pk}"),
        )
        for b in bookings
    ]
    return render(request, "services/health/slot.html", {"slot": slot, "rows": rows})
