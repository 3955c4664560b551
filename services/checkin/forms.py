from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.tokens import MAX_LENGTH

LAST_TOKEN = re.compile(r"[a-z]\.[1-9][0-9]*\.[0-9a-f]{1,12}:[A-Za-z0-9_-]{43}$")


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code or booking code"),
        max_length=2 * MAX_LENGTH,
        help_text=_("Scan the resident's QR code (the scanner types it here), or type the 6-character booking code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        text = self.cleaned_data["code"].strip()
        # A refused code stays in the field (nothing typed is lost), so the scanner's next code is typed after it:
        # the last whole token read is the one meant (the kinds of services.checkin.kinds are one letter each).
        last = LAST_TOKEN.search(text)
        return last.group(0) if last and last.start() > 0 else text
