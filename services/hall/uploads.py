"""Checking uploaded files by what they contain, not by what they are called."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from portal.core.uploads import ImageProblem, probe_image

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_PIXELS = 40_000_000  # any phone photo; a decompression bomb is far beyond
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str


def check_attachment(upload: UploadedFile) -> CheckedFile:
    """An image (JPEG, PNG, WebP) or a PDF of at most 5 MB, judged by its bytes; ValidationError otherwise."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}, code="size"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return CheckedFile("application/pdf", "pdf")
    try:
        fmt = probe_image(upload, MAX_ATTACHMENT_PIXELS)
    except ImageProblem as problem:
        if problem.code == "pixels":
            raise ValidationError(_("The picture has too many pixels."), code="pixels") from None
        raise ValidationError(_("Upload a photo (JPEG, PNG, WebP) or a PDF document."), code="type") from None
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(_("Upload a photo (JPEG, PNG, WebP) or a PDF document."), code="type")
    content_type, extension = IMAGE_FORMATS[fmt]
    return CheckedFile(content_type, extension)
