"""Forms that take an SMS code (短信验证码): sign-in by code, password reset, and the shared "Get code" step.

Each form has a `phone` and a `code` field and a purpose (portal.core.codes). Its "Get code" button posts the
same form with `send`: only the number is checked and a code asked for (`send_code`), everything typed comes back.
The code itself is checked last in `clean()`, once every other field is right, so that a weak password does not
use up a code or a try. They validate and return domain values; they never write.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.codes import Purpose, check_code, request_code, seconds_valid
from portal.core.models import User, mask_phone, normalize_mobile, validate_mobile

FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def clean_mobile_field(value: str) -> str:
    phone = normalize_mobile(value)
    validate_mobile(phone)
    return phone


def phone_field(help_text=None) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=help_text,
    )


class CodeField(forms.CharField):
    """Six digits from the SMS; spaces and full-width digits are forgiven."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("SMS code"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        code = "".join(value.translate(FULL_WIDTH).split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise ValidationError(_("Type the 6 digits of the code in the SMS."), code="code_format")
        return code


def client_ip(request: HttpRequest) -> str | None:
    """The address the lockout counts by (the same proxy settings), so both limits see the same person."""
    return get_client_ip_address(request) or None


class CodeFormMixin:
    """A form with `phone` and `code` for one purpose; the view calls `send_code()` for the "Get code" button."""

    purpose: str = ""
    code_sent = False

    def __init__(self, *args, request: HttpRequest, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def number_for_code(self, phone: str) -> str:
        """More checks of the number before a code is sent (a form may add some)."""
        return phone

    def send_code(self) -> bool:
        """The "Get code" button: check the number alone and ask for a code; the answer goes next to the fields."""
        self.cleaned_data = {}
        self._errors = ErrorDict()
        try:
            phone = self.number_for_code(clean_mobile_field(self.data.get("phone", "")))
        except ValidationError as exc:
            self.add_error("phone", exc)
            return False
        refusal = request_code(phone=phone, purpose=self.purpose, ip=client_ip(self.request))
        if refusal is not None:
            self.add_error(refusal.field, refusal.message)
            return False
        self.code_sent = True
        self.fields["code"].help_text = _(
            "A code has been sent to %(phone)s; it is valid for %(minutes)s minutes. Nothing arrived? Check the "
            "number; you can ask again in a minute."
        ) % {"phone": mask_phone(phone), "minutes": seconds_valid() // 60}
        return True

    def check_the_code(self, phone: str | None) -> bool:
        """Use up the code, if everything else is right. Called at the end of `clean()`."""
        code = self.cleaned_data.get("code")
        if self._errors or not phone or not code:
            return False
        refusal = check_code(phone=phone, purpose=self.purpose, code=code)
        if refusal is not None:
            self.add_error(refusal.field, refusal.message)
            return False
        return True


def wrong_code_message() -> str:
    """What a code that matched no account says: the same words as a wrong code, so nobody learns which it was."""
    return _("The code is wrong. Tap “Get code” for a new one.")


class CodeLoginForm(CodeFormMixin, forms.Form):
    """Sign in with the mobile number and a code from an SMS (the password stays available on the other page)."""

    purpose = Purpose.LOGIN
    phone = phone_field()
    code = CodeField()

    def clean_phone(self) -> str:
        return clean_mobile_field(self.cleaned_data["phone"])

    def clean(self) -> dict:
        cleaned = super().clean()
        self.user = None
        phone = cleaned.get("phone")
        if self.check_the_code(phone):
            self.user = User.objects.filter(phone=phone, is_active=True).first()
            if self.user is None:
                self.add_error("code", wrong_code_message())
        return cleaned


class PasswordResetCodeForm(CodeFormMixin, forms.Form):
    """忘记密码: a code to the account's number, and a new password."""

    purpose = Purpose.RESET
    phone = phone_field()
    code = CodeField()
    new_password1 = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_phone(self) -> str:
        return clean_mobile_field(self.cleaned_data["phone"])

    def clean(self) -> dict:
        cleaned = super().clean()
        self.user = None
        phone, p1, p2 = cleaned.get("phone"), cleaned.get("new_password1"), cleaned.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("The two passwords do not match."))
        elif p1 and phone:
            account = User.objects.filter(phone=phone).first() or User(phone=phone)
            try:
                password_validation.validate_password(p1, account)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        if self.check_the_code(phone):
            self.user = User.objects.filter(phone=phone, is_active=True).first()
            if self.user is None:
                self.add_error("code", wrong_code_message())
        return cleaned
