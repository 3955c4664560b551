"""Forms of the stations' events."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from services.events.images import check_image_upload


class PhotoUploadForm(forms.Form):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        check_image_upload(upload)
        return upload
