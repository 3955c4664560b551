"""The property hotline's repairs on the site: a resident reports a fault from the phone and follows it in 我的;
staff enter a report taken by phone or at the counter; the company's staff (and the community) move it on; the
resident rates it once it is fixed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.core.access import staff_required
from portal.core.idempotency import idempotent
from portal.core.requests import form_errors, paginate
from residents.models import Resident
from services.property import actions
from services.property.forms import (
    DispatchForm,
    FixForm,
    RepairFilterForm,
    RepairIntakeForm,
    RepairRateForm,
    RepairReportForm,
)
from services.property.models import Repair

RELATED = ("building__area", "company", "resident")


def _resident_of(request: HttpRequest) -> Resident | None:
    return getattr(request.user, "resident", None)


@login_required
@idempotent
def report(request: HttpRequest) -> HttpResponse:
    """A resident reports a fault of water, electricity or gas (for their building, or another of the community)."""
    resident = _resident_of(request)
    if resident is None:
        messages.info(request, _("Only residents report repairs here; staff enter reports on the repair desk."))
        return redirect("portal:my")
    resident = Resident.objects.select_related("household__building", "community").get(pk=resident.pk)
    form = RepairReportForm(
        request.POST or None,
        community_id=resident.community_id,
        initial={"building": resident.household.building_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            repair = actions.repair_report(
                resident.community,
                data["building"],
                data["kind"],
                data["description"],
                Repair.Source.ONLINE,
                request.user,
                resident,
                location=data["location"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Repair %(number)s is reported.") % {"number": repair.number})
            return redirect("services:property:repair", repair.pk)
    return render(request, "services/property/report.html", {"form": form})


@login_required
def my_repairs(request: HttpRequest) -> HttpResponse:
    resident = _resident_of(request)
    if resident is None:
        messages.info(request, _("Only residents have repairs of their own."))
        return redirect("portal:my")
    repairs = Repair.objects.filter(resident=resident).select_related(*RELATED).order_by("-reported_at")[:50]
    return render(request, "services/property/my_repairs.html", {"repairs": repairs})


@staff_required("services.dispatch_repair")
def desk(request: HttpRequest) -> HttpResponse:
    """Staff enter a report taken by phone, at the counter or from another channel; a resident of the register
    with the call-back number is linked to it (and told of each step)."""
    community = request.user.community
    if community is None:
        raise Http404
    form = RepairIntakeForm(request.POST or None, community_id=community.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = (
            Resident.objects.current().filter(community=community, phone=data["caller_phone"]).order_by("pk").first()
            if data["caller_phone"]
            else None
        )
        try:
            repair = actions.repair_report(
                community,
                data["building"],
                data["kind"],
                data["description"],
                data["source"],
                request.user,
                resident,
                caller=data["caller"],
                caller_phone=data["caller_phone"],
                location=data["location"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Repair %(number)s is recorded.") % {"number": repair.number})
            return redirect("services:property:repair", repair.pk)
    return render(request, "services/property/desk.html", {"form": form})


@staff_required("services.view_repair")
def repairs(request: HttpRequest) -> HttpResponse:
    """The repairs this member of staff may see (a company's staff: their company's), open first by promise."""
    form = RepairFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    found = Repair.objects.for_staff(request.user).select_related(*RELATED)
    if status == "overdue":
        found = found.overdue()
    elif status in Repair.Status.values:
        found = found.filter(status=status)
    elif status != "all":
        found = found.open()
    found = (
        found.order_by("fix_by", "reported_at", "pk")
        if status in ("", "overdue")
        else found.order_by("-reported_at", "-pk")
    )
    return render(
        request,
        "services/property/repairs.html",
        {"form": form, "page": paginate(request, found), "now": timezone.now()},
    )


def _repair_for(request: HttpRequest, pk: int) -> Repair:
    """The reporting resident's own repair, or one this member of staff may see; 404 for anyone else."""
    user = request.user
    visible = Repair.objects.for_staff(user) if user.has_perm("services.view_repair") else Repair.objects.none()
    resident = _resident_of(request)
    if resident is not None:
        visible = Repair.objects.filter(Q(pk__in=visible.values("pk")) | Q(resident=resident))
    return get_object_or_404(visible.select_related(*RELATED, "reported_by"), pk=pk)


def _page(request: HttpRequest, repair: Repair, **bound) -> HttpResponse:
    works = actions.may_work(request.user, repair)
    is_owner = repair.resident is not None and repair.resident.user_id == request.user.pk
    staff = request.user.has_perm("services.view_repair") and not is_owner
    context = {
        "repair": repair,
        "staff": staff,
        "works": works,
        "dispatch_form": DispatchForm(community_id=repair.community_id)
        if works and repair.status == Repair.Status.REPORTED and request.user.has_perm("services.dispatch_repair")
        else None,
        "fix_form": FixForm() if works and repair.status in (Repair.Status.DISPATCHED, Repair.Status.ARRIVED) else None,
        "may_close": works
        and repair.status == Repair.Status.FIXED
        and request.user.has_perm("services.dispatch_repair"),
        "rate_form": RepairRateForm() if is_owner and repair.can_rate else None,
    }
    context.update(bound)
    return render(request, "services/property/repair.html", context)


@login_required
@require_safe
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _repair_for(request, pk))


@login_required
@require_POST
def repair_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Dispatch, arrived, fixed or close: by the company's staff or the community (the action decides who may)."""
    repair = _repair_for(request, pk)
    if not actions.may_work(request.user, repair):
        raise Http404
    bound = {}
    try:
        if step == "dispatch":
            form = bound["dispatch_form"] = DispatchForm(request.POST, community_id=repair.community_id)
            if not form.is_valid():
                return _page(request, repair, **bound)
            actions.repair_dispatch(repair=repair, company=form.cleaned_data["company"], by=request.user)
        elif step == "arrive":
            actions.repair_arrive(repair=repair, by=request.user)
        elif step == "fix":
            form = bound["fix_form"] = FixForm(request.POST)
            if not form.is_valid():
                return _page(request, repair, **bound)
            actions.repair_fix(repair=repair, by=request.user, note=form.cleaned_data["note"])
        elif step == "close":
            actions.repair_close(repair=repair, by=request.user)
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("services:property:repair", repair.pk)


@login_required
@require_POST
def repair_rate(request: HttpRequest, pk: int) -> HttpResponse:
    repair = _repair_for(request, pk)
    form = RepairRateForm(request.POST)
    if form.is_valid():
        try:
            actions.repair_rate(
                repair=repair, by=request.user, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("services:property:repair", repair.pk)
    return _page(request, repair, rate_form=form)
