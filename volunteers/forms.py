"""Forms of the volunteers app: parse and validate only; the actions do the writing."""

from __future__ import annotations

import io
from decimal import Decimal

from django import forms
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from portal.core.uploads import ImageProblem, probe_image
from volunteers.models import AVAILABILITY_CHOICES, SKILL_CHOICES, Activity

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_BOX = (600, 800)


def clean_photo_upload(upload) -> ContentFile:
    """Check an uploaded photo with Pillow and return a clean JPEG (no EXIF, so no GPS), at most 600 × 800."""
    if upload.size > MAX_PHOTO_BYTES:
        raise forms.ValidationError(_("The photo is larger than 5 MB; please choose a smaller one."))
    try:
        kind = probe_image(upload, MAX_PHOTO_PIXELS)
    except ImageProblem as problem:
        if problem.code == "pixels":
            raise forms.ValidationError(_("The photo has too many pixels; please choose a smaller one.")) from None
        raise forms.ValidationError(_("This file is not a photo we can read.")) from None
    if kind not in PHOTO_FORMATS:
        raise forms.ValidationError(_("Please upload a JPEG, PNG or WebP photo."))
    try:
        with Image.open(upload) as im:
            im = ImageOps.exif_transpose(im).convert("RGB")
            im.thumbnail(PHOTO_BOX)
            out = io.BytesIO()
            im.save(out, format="JPEG", quality=85)
    except Exception as exc:  # verified, yet damaged further in
        raise forms.ValidationError(_("This file is not a photo we can read.")) from exc
    return ContentFile(out.getvalue(), name=f"{timezone.now():%Y%m%d%H%M%S%f}.jpg")


class ApplicationForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label=_("What can you help with?"), choices=SKILL_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    skill_note = forms.CharField(
        label=_("Your special skill (一技之长)"),
        max_length=200,
        required=False,
        help_text=_("E.g. retired barber, 30 years as an electrician."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you free?"), choices=AVAILABILITY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    photo = forms.FileField(
        label=_("Photo for your badge"),
        help_text=_("A clear photo of your face, JPEG or PNG, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    agree = forms.BooleanField(
        label=_("I agree that the community office keeps these details to organise volunteer service."),
    )

    def clean_photo(self) -> ContentFile:
        return clean_photo_upload(self.cleaned_data["photo"])


class TimeForm(forms.Form):
    """Check-in or check-out time; empty means now."""

    at = forms.TimeField(
        label=_("Time"),
        required=False,
        error_messages={"invalid": _("Enter the time as hours and minutes, e.g. 09:30.")},
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control form-control-sm"}, format="%H:%M"),
    )


class ScanForm(forms.Form):
    """A badge's QR (its verification URL) or a volunteer number, scanned or typed."""

    code = forms.CharField(
        label=_("Badge code or volunteer number"),
        max_length=400,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "autofocus": True}),
    )


class CorrectionForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Correct hours"),
        min_value=Decimal(0),
        max_value=Decimal(24),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.25"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    what_was_done = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    needs_next = forms.CharField(
        label=_("What is needed next"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    visitors = forms.ModelMultipleChoiceField(label=_("Visitors"), queryset=None, required=False)

    def __init__(self, *args, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = volunteers
        self.fields["visitors"].label_from_instance = lambda v: f"{v.number} {v.resident.name}"

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return day


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month", "class": "form-control"}, format="%Y-%m"),
    )


class ActivityForm(forms.ModelForm):
    """A coordinator plans an activity (the team is limited to the teams they coordinate)."""

    skills_wanted = forms.MultipleChoiceField(
        label=_("Skills wanted"), choices=SKILL_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "team",
            "date",
            "start_time",
            "end_time",
            "place",
            "capacity",
            "skills_wanted",
            "serves",
            "description",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].required = True

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Plan activities for today or later."))
        return day

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if not 1 <= capacity <= 500:
            raise forms.ValidationError(_("Between 1 and 500 places."))
        return capacity
