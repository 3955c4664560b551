"""Forms of 在职党员报到 and 微心愿: parse and validate only; volunteers.stationed.actions does the writing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.models.users import normalize_mobile, validate_mobile
from residents.models import PartyGroup, StationedUnit
from volunteers.models import StationedReport, Wish


class _GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: PartyGroup) -> str:
        return f"{obj.branch.name} · {obj.name}" if obj.branch_id else obj.name


def _groups(community_id: int):
    return (
        PartyGroup.objects.filter(community_id=community_id).select_related("branch").order_by("branch__name", "name")
    )


class ReportForm(forms.Form):
    """A member reports in from their phone: the unit, what they can offer, where they would like to serve."""

    unit = forms.ModelChoiceField(label=_("Your unit (驻区单位)"), queryset=StationedUnit.objects.none())
    name = forms.CharField(label=_("Full name"), max_length=50)
    speciality = forms.CharField(
        label=_("Speciality"), max_length=100, required=False, help_text=_("E.g. teacher, electrician, doctor.")
    )
    offer = forms.CharField(
        label=_("What I can offer"),
        max_length=200,
        required=False,
        help_text=StationedReport._meta.get_field("offer").help_text,
    )
    wished_group = _GroupChoice(
        label=_("Courtyard I would like to serve (optional)"), queryset=PartyGroup.objects.none(), required=False
    )

    def __init__(self, *args, community_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = StationedUnit.objects.filter(community_id=community_id).order_by("name")
        self.fields["wished_group"].queryset = _groups(community_id)


class CounterReportForm(ReportForm):
    """Staff at the counter record a member's report-in (and may confirm it at once, placing them in a group)."""

    phone = forms.CharField(label=_("Mobile number"), max_length=11)
    group = _GroupChoice(
        label=_("Confirm now in party group (optional)"), queryset=PartyGroup.objects.none(), required=False
    )
    field_order = ["unit", "name", "phone", "speciality", "offer", "wished_group", "group"]

    def __init__(self, *args, community_id: int, **kwargs) -> None:
        super().__init__(*args, community_id=community_id, **kwargs)
        self.fields["group"].queryset = _groups(community_id)

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone


class ConfirmReportForm(forms.Form):
    group = _GroupChoice(label=_("Courtyard party group (楼院党小组)"), queryset=PartyGroup.objects.none())

    def __init__(self, *args, community_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = _groups(community_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class WishForm(forms.Form):
    title = forms.CharField(label=_("My small wish"), max_length=60, help_text=Wish._meta.get_field("title").help_text)
    details = forms.CharField(
        label=pgettext_lazy("stationed", "Details"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the community office reads this; party members see what the office writes for them."),
    )


class CounterWishForm(WishForm):
    phone = forms.CharField(
        label=_("Resident's phone"), max_length=20, help_text=_("As in the register; finds the resident.")
    )
    field_order = ["phone", "title", "details"]


class PublishWishForm(forms.Form):
    title = forms.CharField(label=_("Wish"), max_length=60)
    public_details = forms.CharField(
        label=_("Details shown to party members"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Wish._meta.get_field("public_details").help_text,
    )


class ConfirmWishForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours of service"), min_value=Decimal(0), max_value=Decimal(24), max_digits=4, decimal_places=2
    )


class FulfilForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=200)


class ThanksForm(forms.Form):
    thanks = forms.CharField(label=_("Words of thanks"), max_length=200)


class SentForm(forms.Form):
    note = forms.CharField(
        label=_("How it was sent"), max_length=200, required=False, help_text=_("E.g. handed to the unit's secretary.")
    )
