"""Forms of property management. They parse and check input; they never write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from residents.models import Building
from services.hall.models import Case
from services.property.models import PropertyCompany, Repair


class BuildingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, building: Building) -> str:
        return f"{building.area.name} {building.name}"


def _buildings(community_id: int):
    return Building.objects.filter(community_id=community_id).select_related("area").order_by("area__name", "name")


class RepairReportForm(forms.Form):
    """A resident reports a fault from their phone."""

    kind = forms.ChoiceField(label=_("What has failed?"), choices=Repair.Kind.choices, widget=forms.RadioSelect)
    building = BuildingChoiceField(label=_("Building or courtyard"), queryset=Building.objects.none())
    location = forms.CharField(label=_("Where (unit, room, or the spot)"), max_length=100, required=False)
    description = forms.CharField(
        label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, strip=True
    )

    def __init__(self, *args, community_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = _buildings(community_id)

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Say what is wrong."))
        return text


STAFF_SOURCES = [(value, label) for value, label in Case.Source.choices if value != Case.Source.ONLINE]


class RepairIntakeForm(RepairReportForm):
    """Staff enter a report taken by phone, at the counter or from another channel (the hall's channels)."""

    source = forms.ChoiceField(label=pgettext_lazy("case", "Came in"), choices=STAFF_SOURCES, initial=Case.Source.PHONE)
    caller = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    caller_phone = forms.CharField(
        label=_("Call-back phone"),
        max_length=20,
        required=False,
        help_text=_("A resident of the register with this number is linked, and told of each step."),
    )

    field_order = ["source", "caller", "caller_phone", "kind", "building", "location", "description"]

    def clean_caller_phone(self) -> str:
        phone = "".join(self.cleaned_data["caller_phone"].split())
        if phone and not phone.replace("-", "").isdigit():
            raise forms.ValidationError(_("Enter a phone number: digits only."))
        return phone


class DispatchForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Property company"), queryset=PropertyCompany.objects.none())

    def __init__(self, *args, community_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = PropertyCompany.objects.filter(community_id=community_id, is_active=True)


class FixForm(forms.Form):
    note = forms.CharField(label=_("What was done (optional)"), max_length=300, required=False)


class RepairRateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the repair?"),
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=300, required=False)


class RepairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("open")), ("overdue", _("past its promise")), ("all", _("all")), *Repair.Status.choices],
        required=False,
    )
