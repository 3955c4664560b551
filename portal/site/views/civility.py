"""Civility appraisals (文明家庭 / 文明楼院评选): the ballot, nominating, voting, the results."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.core.access import scope_to_staff
from portal.core.audit import sensitive_read
from portal.core.requests import error_text, form_errors
from portal.core.uploads import rename_image, serve_file, validate_image
from portal.site.actions import nomination_create, vote_cast
from portal.site.models import Appraisal, Nomination, Vote
from residents.models import Building, Resident


class NominationForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building or courtyard"), queryset=Building.objects.none())
    title = forms.CharField(
        label=_("Nominee"), max_length=100, help_text=_("e.g. 3号楼 张家, or the courtyard's name.")
    )
    reasons = forms.CharField(label=_("Why they deserve it"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)

    def __init__(self, *args, appraisal: Appraisal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = (
            Building.objects.filter(community=appraisal.community_id)
            .select_related("area")
            .order_by("area__name", "name")
        )
        self.fields["building"].label_from_instance = lambda b: f"{b.area.name} {b.name}"

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_image(photo)
            rename_image(photo)  # stored as <random>.<real format>, whatever the uploader called it
        return photo


def _appraisals(request: HttpRequest):
    return Appraisal.objects.public().select_related("community")


def appraisal_list(request: HttpRequest) -> HttpResponse:
    rows = _appraisals(request)
    if request.user.is_authenticated and request.user.community_id:
        rows = rows.filter(community=request.user.community_id)
    return render(request, "portal/appraisal_list.html", {"appraisals": rows[:50]})


def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_object_or_404(_appraisals(request), pk=pk)
    ballot = appraisal.nominations.filter(status=Nomination.Status.ACCEPTED).select_related("building__area")
    voted_for = None
    resident = getattr(request.user, "resident", None) if request.user.is_authenticated else None
    if resident is not None:
        voted_for = (
            Vote.objects.filter(appraisal=appraisal, household_id=resident.household_id)
            .values_list("nomination_id", flat=True)
            .first()
        )
    context = {
        "appraisal": appraisal,
        "ballot": ballot,
        "published": appraisal.status == Appraisal.Status.PUBLISHED,
        "can_vote": resident is not None and resident.community_id == appraisal.community_id and appraisal.voting,
        "voted_for": voted_for,
    }
    return render(request, "portal/appraisal_detail.html", context)


@login_required
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_object_or_404(_appraisals(request), pk=pk)
    form = NominationForm(request.POST or None, request.FILES or None, appraisal=appraisal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination_create(
                appraisal=appraisal,
                by=request.user,
                title=data["title"],
                reasons=data["reasons"],
                building=data["building"],
                photo=data["photo"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you! Staff will review the nomination before it goes on the ballot."))
            return redirect("portal:appraisal", pk=appraisal.pk)
    return render(request, "portal/appraisal_nominate.html", {"appraisal": appraisal, "form": form})


def nomination_photo(request: HttpRequest, pk: int, nomination_pk: int) -> FileResponse:
    """A nomination's photo (a household's or a courtyard's): anyone's once it is on the ballot of an appraisal
    that is not a draft, as portal:appraisal shows it; before that its nominator's and the community staff's who
    review nominations (a staff read of a household's photo is logged as a sensitive read)."""
    nomination = get_object_or_404(Nomination.objects.select_related("appraisal"), pk=nomination_pk, appraisal_id=pk)
    user = request.user
    on_ballot = (
        nomination.status == Nomination.Status.ACCEPTED and nomination.appraisal.status != Appraisal.Status.DRAFT
    )
    if not on_ballot and not (user.is_authenticated and nomination.nominated_by_id == user.pk):
        reviewers = scope_to_staff(Nomination.objects.filter(pk=nomination.pk), user, path="appraisal__community")
        if not (user.has_perm("site.view_nomination") and reviewers.exists()):
            raise Http404
        if nomination.household_id and nomination.photo:
            sensitive_read(
                actor=user,
                subjects=Resident.objects.filter(household_id=nomination.household_id).values_list("pk", flat=True),
                field="site.nomination_photo",
                purpose=_("Review of a civility nomination"),
            )
    return serve_file(nomination.photo, cache="private, max-age=3600")


@login_required
@require_POST
def vote(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.select_related("appraisal").filter(appraisal__in=_appraisals(request)),
        pk=nomination_pk,
        appraisal_id=pk,
    )
    try:
        vote_cast(nomination=nomination, voter=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your household's vote has been counted."))
    return redirect("portal:appraisal", pk=pk)
