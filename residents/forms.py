"""Forms of the family proxies (子女代办): granted by the resident on 我的, or set up at the counter by staff."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.models import normalize_mobile, validate_mobile
from residents.models_proxies import ProxyGrant, Right


def _in_a_year() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=365)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProxyGrantForm(forms.Form):
    """What the resident grants, to whom (found by mobile number), and for how long."""

    phone = forms.CharField(
        label=_("Family member's mobile number"),
        max_length=20,
        help_text=_("The number they use to log in to the portal."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    relation = forms.CharField(label=_("Relation"), max_length=20, required=False, help_text=_("e.g. 儿子, 女儿"))
    can_book = forms.BooleanField(label=Right.BOOK.label, required=False, initial=True)
    can_file_cases = forms.BooleanField(label=Right.CASES.label, required=False, initial=True)
    can_sign_up = forms.BooleanField(label=Right.SIGN_UP.label, required=False, initial=True)
    can_see_health = forms.BooleanField(
        label=Right.HEALTH.label,
        required=False,
        initial=False,
        help_text=_("Separate from the rest: tick only if they may read your health file."),
    )
    starts_on = forms.DateField(
        label=pgettext_lazy("proxy period", "From"), initial=timezone.localdate, widget=_date_widget()
    )
    ends_on = forms.DateField(label=pgettext_lazy("proxy period", "Until"), initial=_in_a_year, widget=_date_widget())

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        if not any(data.get(right.value) for right in Right):
            raise forms.ValidationError(_("Choose at least one thing the family member may do."), code="no_rights")
        return data

    def rights(self) -> dict[str, bool]:
        return {right.value: bool(self.cleaned_data.get(right.value)) for right in Right}


class CounterProxyGrantForm(ProxyGrantForm):
    """At the counter: the same, and how the resident gave their consent (recorded with who and when)."""

    consent = forms.ChoiceField(
        label=_("The resident's consent"),
        choices=[c for c in ProxyGrant.Consent.choices if c[0] != ProxyGrant.Consent.ONLINE],
        widget=forms.RadioSelect,
    )
