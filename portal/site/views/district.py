"""The district administrator's view: every community side by side, and the 1000-point assessment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from portal.core.access import is_community_staff, sees_all_communities, staff_required
from portal.core.metrics import metric_depends
from portal.core.models import Community
from portal.core.pagecache import own_page
from portal.core.panels import community_panels
from portal.core.replica import reads_replica
from portal.site.assessment import METRIC_SECONDS, assessment_scores, sections_of
from portal.site.models import AssessmentSnapshot, Rubric
from residents.models import Household, Resident


def _district_depends() -> tuple[str, ...] | None:
    """What the overview shows: the assessment's metrics (each app's DEPENDS), its rubric and scores, the counts."""
    metrics = metric_depends()
    if metrics is None:
        return None
    shown = ("portal.Community", "residents.Household", "residents.Resident")
    assessment = ("site.AssessmentSnapshot", "site.Criterion", "site.ManualScore", "site.Rubric")
    return tuple(dict.fromkeys((*metrics, *shown, *assessment)))


@reads_replica
@staff_required("portal.view_all_communities")
@own_page(depends=_district_depends, timeout=METRIC_SECONDS)
def district(request: HttpRequest) -> HttpResponse:
    communities = list(Community.objects.select_related("district").order_by("name"))
    ids = [c.pk for c in communities]
    households = Household.objects.counts()
    residents = Resident.objects.current_counts()
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdecimal() and 2000 <= int(raw_year) <= 2100 else timezone.localdate().year
    rubric = Rubric.objects.filter(year=year).prefetch_related("criteria").first()
    scores = assessment_scores(rubric=rubric, community_ids=ids) if rubric else {}
    snapshots = {s.community_id: s for s in AssessmentSnapshot.objects.filter(rubric=rubric)} if rubric else {}
    rows = [
        {
            "community": c,
            "households": households.get(c.pk, 0),
            "residents": residents.get(c.pk, 0),
            "score": scores.get(c.pk),
            "snapshot": snapshots.get(c.pk),
        }
        for c in communities
    ]
    rows.sort(key=lambda r: -(r["score"].total if r["score"] else 0))
    # The points per section of the 1000 (each criterion is on the community's own assessment page).
    for r in rows:
        r["sections"] = [
            {**s, "missing": sum(1 for row in s["rows"] if row.get("missing"))}
            for s in (sections_of(r["score"].rows) if r["score"] else [])
        ]
    heads = next((r["sections"] for r in rows if r["sections"]), [])
    starred = sum(1 for r in rows if (r["snapshot"] or r["score"]) and (r["snapshot"] or r["score"]).stars > 0)
    context = {
        "rows": rows,
        "rubric": rubric,
        "criteria": list(rubric.criteria.all()) if rubric else [],
        "section_heads": heads,
        "year": year,
        "starred": starred,
        "years": list(Rubric.objects.values_list("year", flat=True)),
    }
    return render(request, "portal/district.html", context)


@reads_replica
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The community dashboard for its staff (the district administrator picks a community)."""
    if sees_all_communities(request.user):
        slug = request.GET.get("community")
        community = get_object_or_404(Community, slug=slug) if slug else Community.objects.order_by("pk").first()
    elif is_community_staff(request.user):
        community = get_object_or_404(Community, pk=request.user.community_id)
    else:
        raise PermissionDenied
    panels = community_panels(community.pk, timezone.localdate()) if community else []
    return render(request, "portal/dashboard.html", {"community": community, "panels": panels})
