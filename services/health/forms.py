"""Forms of the health station (no side effects; the actions do the work)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from services.health.access import Purpose
from services.health.models import MaternalVisit, Reading


class ConsentAndOpenForm(forms.Form):
    notice_read = forms.BooleanField(
        label=_("The privacy notice was given and read, and the person agrees separately to a health file."),
        required=True,
    )
    guardian_name = forms.CharField(
        label=_("Guardian who consents (for a child under 14)"), max_length=50, required=False
    )
    chronic_conditions = forms.CharField(
        label=_("Chronic conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    allergies = forms.CharField(label=_("Allergies"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    medications = forms.CharField(label=_("Medications"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReadingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measurement"), choices=Reading.Kind.choices)
    taken_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    value = forms.DecimalField(
        label=_("Value (systolic for blood pressure)"), max_digits=6, decimal_places=1, min_value=0.1
    )
    value2 = forms.DecimalField(
        label=_("Diastolic (blood pressure only)"), max_digits=6, decimal_places=1, min_value=0.1, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Reading.Kind.BLOOD_PRESSURE and data.get("value2") is None:
            self.add_error("value2", _("Blood pressure needs both values (systolic and diastolic)."))
        return data


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why are you opening this file?"), choices=Purpose.choices)


class AttendanceForm(forms.Form):
    attended = forms.BooleanField(
        label=_("Came"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    results = forms.CharField(
        label=pgettext_lazy("checkup", "Results"),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Results (kept in the file)")}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("results", "").strip() and not data.get("attended"):
            # Results of someone who did not come would be dropped without a word.
            self.add_error("results", _("Tick “Came” to record results."))
        return data


class MaternalVisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaternalVisit.Kind.choices)
    visited_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
