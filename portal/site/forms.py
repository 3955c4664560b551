"""Forms for logging in and registering. They validate and return domain values; they never write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core.codes import Purpose
from portal.core.models import Community, User
from portal.site.code_forms import CodeField, CodeFormMixin, clean_mobile_field

__all__ = ["PhoneLoginForm", "RegistrationForm", "clean_mobile_field"]


class PhoneLoginForm(AuthenticationForm):
    """Django's login form, with the username being a mainland mobile number."""

    username = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "tel", "inputmode": "tel"}),
    )

    error_messages = {
        "invalid_login": _("The mobile number or password is wrong. Both are case-sensitive."),
        "inactive": _("This account is disabled. Please contact your community office."),
    }

    def clean_username(self) -> str:
        return clean_mobile_field(self.cleaned_data["username"])


class RegistrationForm(CodeFormMixin, forms.Form):
    """Self-registration of a resident; the account stays pending until staff link it to the register.

    The number is proved with an SMS code. Whether it is already registered is said only after the code is
    right: a number with an account receives a notice instead of a code, so only its owner ever learns that."""

    purpose = Purpose.REGISTER

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("You will log in with this number."),
    )
    code = CodeField()
    name = forms.CharField(label=_("Name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.order_by("name"), empty_label=_("Choose your community")
    )
    address = forms.CharField(
        label=_("Home address"),
        max_length=200,
        help_text=_("Area, building, unit and room, e.g. 华苑小区 3号楼 2单元 301."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_phone(self) -> str:
        return clean_mobile_field(self.cleaned_data["phone"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if any(ord(ch) < 32 for ch in name):
            raise ValidationError(_("The name contains characters that are not allowed."), code="invalid")
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            probe = User(phone=cleaned.get("phone", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        phone = cleaned.get("phone")
        if self.check_the_code(phone) and User.objects.filter(phone=phone).exists():
            self.add_error(
                "phone",
                ValidationError(
                    _("This mobile number is already registered. Log in, or reset your password with a code."),
                    code="taken",
                ),
            )
        return cleaned
