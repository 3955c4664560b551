"""Forms of the staff sign-in's second step and of setting up an authenticator app. They validate the shape of what
is typed; the factor itself is checked by portal.core.second_factor (and portal.core.codes for an SMS code)."""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.codes import Refusal
from portal.core.second_factor import normalise_recovery
from portal.site.code_forms import CodeField


class StepForm(forms.Form):
    """A second-step form; `refuse` puts a refusal next to its field, whether the form was checked or not."""

    def refuse(self, refusal: Refusal) -> None:
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
            self._errors = ErrorDict()
        field = refusal.field if refusal.field in self.fields else next(iter(self.fields))
        self.add_error(field, refusal.message)


class SmsStepForm(StepForm):
    code = CodeField()


class TotpStepForm(StepForm):
    code = CodeField(
        label=gettext_lazy("Code from the authenticator app"),
        help_text=gettext_lazy("The 6 digits the app shows now for this portal; a new code comes every 30 seconds."),
    )


class RecoveryStepForm(StepForm):
    code = forms.CharField(
        label=gettext_lazy("Recovery code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        help_text=gettext_lazy("One of the ten codes you kept on paper, e.g. abcde-23456. Each works once."),
    )

    def clean_code(self) -> str:
        code = normalise_recovery(self.cleaned_data["code"])
        if len(code) != 10:
            raise forms.ValidationError(_("A recovery code has 10 letters and digits."), code="recovery_format")
        return code


class PasswordStepForm(StepForm):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpSetupForm(StepForm):
    code = CodeField(
        label=gettext_lazy("Code from the authenticator app"),
        help_text=gettext_lazy("After scanning, type the 6 digits the app shows for this portal."),
    )


STEP_FORMS: dict[str, type[StepForm]] = {
    "sms": SmsStepForm,
    "totp": TotpStepForm,
    "recovery": RecoveryStepForm,
    "password": PasswordStepForm,
}
