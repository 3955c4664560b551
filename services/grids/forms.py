"""Forms of the grid worker's pages: short, for a phone, each field's problem shown next to it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residents.grids import MAX_PATROL_PHOTOS
from residents.models import Grid, HomeVisit, Household, Resident
from services.grids.handover import destination_choices
from services.hall.models import Case
from services.property.models import Repair

HAND_OVER_KINDS = [(k, label) for k, label in Case.Kind.choices if k != Case.Kind.MEDIATION]


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label=_("Household number, building or member's name"), max_length=50, required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date of the visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=HomeVisit.Kind.choices, initial=HomeVisit.Kind.ROUTINE)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)
    issue = forms.CharField(
        label=_("Issue found (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
        help_text=_("A problem to be dealt with: it can then become a case in one step."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos from one input (a phone's camera or gallery); each is checked by residents.grids."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class PatrolForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none())
    location = forms.CharField(
        label=_("Where"), max_length=100, help_text=_("Building, courtyard, street or landmark.")
    )
    notes = forms.CharField(
        label=_("What was seen"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    issue = forms.CharField(
        label=_("Issue found (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
        help_text=_("A problem to be dealt with: it can then become a case in one step."),
    )
    photos = MultipleImageField(label=_("Photos (optional, at most %(n)s)") % {"n": MAX_PATROL_PHOTOS}, required=False)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        if len(grids) == 1:
            self.fields["grid"].initial = grids[0].pk


class HandOverForm(forms.Form):
    """Where the issue goes, for whom, and what kind of case it is: one step."""

    destination = forms.ChoiceField(label=_("Hand over as"), choices=destination_choices, initial="case")
    kind = forms.ChoiceField(label=_("Kind of case"), choices=HAND_OVER_KINDS, initial=Case.Kind.REPAIR)
    fault = forms.ChoiceField(
        label=_("Kind of fault (for a repair)"), choices=Repair.Kind.choices, initial=Repair.Kind.WATER, required=False
    )
    resident = forms.ModelChoiceField(label=_("For resident"), queryset=Resident.objects.none(), required=False)
    household = forms.CharField(
        label=_("Household concerned (number)"),
        max_length=30,
        required=False,
        help_text=_("The household that reported the issue or is most affected by it."),
    )

    def __init__(self, *args, members=None, households=None, **kwargs):
        """A visit offers the household's members; a patrol asks for the number of a household of the grid."""
        super().__init__(*args, **kwargs)
        self.households = households
        if members is not None:
            self.fields["resident"].queryset = members
            self.fields["resident"].required = True
            self.fields["resident"].empty_label = None
            del self.fields["household"]
        else:
            del self.fields["resident"]
            self.fields["household"].required = True

    def clean_household(self):
        number = self.cleaned_data["household"].strip()
        household = self.households.filter(number=number).first()
        if household is None:
            raise forms.ValidationError(_("No household of your grid has this number."))
        resident = head_of(household)
        if resident is None:
            raise forms.ValidationError(_("Nobody lives in this household now."))
        self.cleaned_data["resident"] = resident
        return number


def head_of(household: Household) -> Resident | None:
    """Who a case about the household is filed for: the head, else the first member living there."""
    members = Resident.objects.current().filter(household=household)
    return members.filter(relation=Resident.Relation.HEAD).order_by("pk").first() or members.order_by("pk").first()
