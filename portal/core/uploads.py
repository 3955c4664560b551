"""Upload checks shared by every app: judge a file by its content and size, never by its name."""

from __future__ import annotations

import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: any phone photo, no decompression bomb
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_size(upload, limit: int = MAX_UPLOAD_BYTES) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            params={"size": round(upload.size / 1048576, 1), "limit": limit // 1048576},
            code="too_large",
        )


class ImageProblem(Exception):
    """What is wrong with an uploaded image: `code` is "pixels" (too many, or a decompression bomb) or
    "unreadable" (not an image Pillow can read whole). Each form says it in its own words."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def probe_image(upload, max_pixels: int = MAX_IMAGE_PIXELS) -> str:
    """The format of the image in `upload` ("JPEG", "PNG" …), read by Pillow from its bytes and checked whole;
    ImageProblem otherwise. The file is rewound either way. Every app's image upload is checked here."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format or ""
                too_many_pixels = image.width * image.height > max_pixels
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem("pixels") from None
    except Exception:  # a damaged or foreign file makes Pillow raise many kinds of error
        raise ImageProblem("unreadable") from None
    finally:
        upload.seek(0)
    if too_many_pixels:
        raise ImageProblem("pixels")
    return image_format


def validate_image(upload, limit: int = MAX_UPLOAD_BYTES) -> None:
    """A real JPEG/PNG/WebP/GIF within size and pixel limits."""
    validate_size(upload, limit)
    try:
        image_format = probe_image(upload)
    except ImageProblem as problem:
        if problem.code == "pixels":
            raise ValidationError(_("The image has too many pixels."), code="pixels") from None
        raise ValidationError(_("This file is not a valid image."), code="invalid_image") from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("Only JPEG, PNG, WebP or GIF images are accepted."), code="format")


def validate_document(upload, limit: int = MAX_UPLOAD_BYTES) -> None:
    """A PDF (by its signature) or a real image."""
    validate_size(upload, limit)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return
    try:
        validate_image(upload, limit)
    except ValidationError as exc:
        if exc.code in {"too_large", "pixels"}:
            raise
        raise ValidationError(_("Only PDF files or images are accepted."), code="format") from None


IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def rename_image(upload) -> None:
    """Give a checked image a generated name with the extension of what it really is (the uploader's name and
    extension are never used: a PNG called report.pdf or ../../etc/passwd.jpg is stored as <random>.png)."""
    upload.seek(0)
    with Image.open(upload) as image:
        extension = IMAGE_EXTENSIONS.get(image.format or "", "img")
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}.{extension}"


class PrivateFileStorage(FileSystemStorage):
    """Storage with no URL: asking a private file for one is a programming error, not a link to a 404."""

    def url(self, name):
        raise ValueError(f"{name} is a private file: serve it through a view that checks who asks")


def private_storage() -> FileSystemStorage:
    """Files of people (case attachments, volunteers' photos and badges) live outside MEDIA_ROOT's public URL space:
    no URL reaches them; each is served only through a view that checks who asks."""
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (settings.MEDIA_ROOT.parent / "private-media")
    return PrivateFileStorage(location=root)
