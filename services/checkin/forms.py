from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.tokens import MAX_LENGTH


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code or booking code"),
        max_length=MAX_LENGTH,
        help_text=_("Scan the resident's QR code (the scanner types it here), or type the 6-character booking code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()
