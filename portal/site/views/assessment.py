"""A community's 1000-point assessment (千分考核) by section, and the indicators its staff enter by hand (填报).

Who: the district administrator for every community; the community's staff who hold `site.view_indicatorentry`
(the residents'-committee director) for their own. Another community's page is a 404, as everywhere.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from portal.core.access import require_community, staff_object, staff_required
from portal.core.locks import LOCKED_MESSAGE
from portal.core.metrics import Section
from portal.core.models import Community
from portal.core.requests import form_errors
from portal.core.uploads import serve_file, validate_document
from portal.site.assessment import ENTERED, assessment_scores, metrics_outside, sections_of
from portal.site.indicators import indicator_enter
from portal.site.models import AssessmentSnapshot, FacilityItem, Indicator, IndicatorEntry, Rubric


class IndicatorForm(forms.Form):
    value = forms.DecimalField(label=pgettext_lazy("assessment", "Value"), min_value=0, max_digits=8, decimal_places=1)
    items = forms.MultipleChoiceField(
        label=_("Items in place"),
        choices=FacilityItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every item the community has; an item left unticked is recorded as missing."),
    )
    note = forms.CharField(
        label=_("Evidence"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the figure comes from: roster, lease, inspection on …"),
    )
    attachment = forms.FileField(
        label=_("Evidence file (PDF or image, optional)"),
        required=False,
        help_text=_("Kept private: only the district's and the community's assessment staff can open it."),
    )

    def __init__(self, *args, indicator: str, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator == Indicator.FACILITIES:
            del self.fields["value"]
        else:
            del self.fields["items"]
            self.fields["value"].label = Indicator(indicator).label

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_document(upload)
        return upload


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdecimal() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _community(request: HttpRequest, slug: str) -> Community:
    community = get_object_or_404(Community, slug=slug)
    require_community(request.user, community.pk)
    return community


@require_safe
@staff_required("site.view_indicatorentry")
def assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's points for the year, section by section: each criterion's source (computed, entered by
    hand, scored by hand), its rule, its value or "not entered", and the metrics not yet in the rubric."""
    community = _community(request, slug)
    year = _year(request)
    rubric = Rubric.objects.filter(year=year).prefetch_related("criteria").first()
    snapshot = AssessmentSnapshot.objects.filter(rubric=rubric, community=community).first() if rubric else None
    score = assessment_scores(rubric=rubric, community_ids=[community.pk])[community.pk] if rubric else None
    rows = snapshot.detail if snapshot else (score.rows if score else [])
    entries = {
        e.indicator: e
        for e in IndicatorEntry.objects.filter(rubric=rubric, community=community).select_related("entered_by")
    }
    outside = metrics_outside(rubric, community.pk, year)
    sections = sections_of(rows)
    for section in sections:
        section["outside"] = outside.pop(section["key"], [])
    sections += [
        {"key": key, "label": label, "rows": [], "points": 0, "earned": 0, "outside": outside[key]}
        for key, label in Section.choices
        if key in outside
    ]
    context = {
        "community": community,
        "year": year,
        "years": list(Rubric.objects.values_list("year", flat=True)),
        "rubric": rubric,
        "snapshot": snapshot,
        "total": snapshot.total if snapshot else (score.total if score else None),
        "stars": snapshot.stars if snapshot else (score.stars if score else 0),
        "missing": sum(1 for r in rows if r.get("missing")),
        "sections": sections,
        "entries": [(indicator, entries.get(indicator.value)) for indicator in Indicator],
        "can_enter": bool(rubric) and not snapshot and request.user.has_perm("site.change_indicatorentry"),
        "ENTERED": ENTERED,
    }
    return render(request, "portal/assessment.html", context)


@staff_required("site.add_indicatorentry", "site.change_indicatorentry")
def indicator_enter_view(request: HttpRequest, slug: str, year: int, indicator: str) -> HttpResponse:
    community = _community(request, slug)
    rubric = get_object_or_404(Rubric, year=year)
    if indicator not in Indicator.values:
        raise Http404
    entry = IndicatorEntry.objects.filter(rubric=rubric, community=community, indicator=indicator).first()
    locked = AssessmentSnapshot.objects.filter(rubric=rubric, community=community).exists()
    initial = {"value": entry.value, "items": entry.items, "note": entry.note} if entry else {}
    form = IndicatorForm(request.POST or None, request.FILES or None, indicator=indicator, initial=initial)
    if request.method == "POST":
        if locked:
            form.is_valid()
            form.add_error(None, LOCKED_MESSAGE)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                indicator_enter(
                    rubric=rubric,
                    community_id=community.pk,
                    indicator=indicator,
                    value=data.get("value"),
                    items=data.get("items"),
                    note=data["note"],
                    attachment=data.get("attachment") or None,
                    by=request.user,
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved. The assessment counts the new value."))
                return redirect(f"{reverse('portal:assessment', args=[community.slug])}?year={year}#entered")
    context = {
        "community": community,
        "rubric": rubric,
        "indicator": Indicator(indicator),
        "entry": entry,
        "locked": locked,
        "form": form,
    }
    return render(request, "portal/indicator_form.html", context)


@require_safe
@login_required
def indicator_file(request: HttpRequest, pk: int) -> FileResponse:
    """An entry's evidence file, for whoever may see the entry (its community's assessment staff, the district);
    a 404 to everyone else, like every private file."""
    if not request.user.has_perm("site.view_indicatorentry"):
        raise Http404
    entry = staff_object(IndicatorEntry.objects.all(), request.user, pk=pk)
    return serve_file(entry.attachment)
