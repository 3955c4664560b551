"""Upload checks for photos: real images only, within size limits, no decompression bombs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from portal.core.uploads import ImageProblem, probe_image

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is already more than a gallery needs
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMB_SIZE = (400, 400)


def check_image_upload(upload) -> str:
    """Validate an uploaded file as a photo; return its file extension. Raises ValidationError with a clear message."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo is too large: at most %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="size"
        )
    try:
        fmt = probe_image(upload, MAX_PIXELS)
    except ImageProblem as problem:
        if problem.code == "pixels":
            raise ValidationError(_("The picture has too many pixels."), code="pixels") from None
        raise ValidationError(
            _("This file is not a picture we can read (JPEG, PNG or WebP)."), code="invalid"
        ) from None
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("This file is not a picture we can read (JPEG, PNG or WebP)."), code="format")
    return ALLOWED_FORMATS[fmt]


def make_thumbnail(source, target) -> None:
    """Write a JPEG thumbnail of `source` (a file object) to `target` (a file object)."""
    with Image.open(source) as img:
        img.draft("RGB", THUMB_SIZE)
        img = img.convert("RGB")
        img.thumbnail(THUMB_SIZE)
        img.save(target, "JPEG", quality=82, optimize=True)
