"""Oversight of property management: the companies of the community with the courtyards they serve, cleaners against
the quota and owners' committees; the appraisal ranking (物业公司管理竞争机制) and its publication by the district."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.core.access import scope_to_staff, sees_all_communities, staff_required
from residents.models import Building
from services.property import actions
from services.property.models import OwnersCommittee, OwnersCommitteeMember, PropertyAppraisal, PropertyCompany


@staff_required("services.view_propertycompany")
@require_safe
def companies(request: HttpRequest) -> HttpResponse:
    """Each company: its hotline and promise, courtyards served, cleaners against the quota; the share of the
    community's buildings and courtyards with a company; the owners' committees and their members."""
    user = request.user
    found = list(
        scope_to_staff(PropertyCompany.objects.all(), user)
        .select_related("community")
        .annotate(
            n_buildings=Count("coverage", distinct=True),
            n_cleaners=Count("cleaners", filter=Q(cleaners__left_on__isnull=True), distinct=True),
            n_open=Count("repairs", filter=Q(repairs__status__in=("reported", "dispatched", "arrived")), distinct=True),
        )
        .order_by("community_id", "name")
    )
    for company in found:
        company.quota = PropertyCompany.cleaner_quota(company.n_buildings)
    buildings = scope_to_staff(Building.objects.all(), user).aggregate(
        total=Count("pk"), covered=Count("pk", filter=Q(property_coverage__isnull=False))
    )
    committees = (
        scope_to_staff(OwnersCommittee.objects.all(), user)
        .select_related("area")
        .prefetch_related(Prefetch("members", queryset=OwnersCommitteeMember.objects.order_by("role", "name")))
        .order_by("area__name", "-elected_on")
    )
    return render(
        request,
        "services/property/companies.html",
        {
            "companies": found,
            "buildings": buildings,
            "uncovered": buildings["total"] - buildings["covered"],
            "committees": committees,
            "district": sees_all_communities(user),
        },
    )


@staff_required("services.view_propertyscore")
@require_safe
def ranking(request: HttpRequest) -> HttpResponse:
    """The ranking of a period: published scores as kept; an open period's as they stand (provisional)."""
    periods = list(PropertyAppraisal.objects.order_by("-starts_on"))
    chosen = request.GET.get("period", "")
    appraisal = next((p for p in periods if str(p.pk) == chosen), None) or next(
        (p for p in periods if p.published_at), periods[0] if periods else None
    )
    rows = []
    if appraisal is not None and appraisal.published_at:
        rows = list(appraisal.scores.select_related("company__community").order_by("rank", "company__name"))
    elif appraisal is not None:
        rows = actions.compute_scores(appraisal.starts_on, appraisal.ends_on)
    return render(
        request,
        "services/property/ranking.html",
        {
            "periods": periods,
            "appraisal": appraisal,
            "rows": rows,
            "own_community": request.user.community_id,
            "may_publish": appraisal is not None
            and not appraisal.published_at
            and appraisal.ends_on < timezone.localdate()
            and request.user.has_perm("services.publish_propertyappraisal"),
            "weights": actions.WEIGHTS,
        },
    )


@staff_required("services.publish_propertyappraisal")
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_object_or_404(PropertyAppraisal, pk=pk)
    try:
        actions.appraisal_publish(appraisal=appraisal, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s is published: its scores are final.") % {"name": appraisal.name})
    return redirect(f"{reverse('services:property:ranking')}?period={appraisal.pk}")
