"""Upload checks shared by every app: judge a file by its content and size, never by its name."""

from __future__ import annotations

import shutil
import uuid
import warnings
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import migrations
from django.db.models import FileField
from django.http import FileResponse, Http404
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


class PublicFileStorage(FileSystemStorage):
    """MEDIA_ROOT, served at MEDIA_URL to anyone (nginx in production): only for files whose record everyone may see."""


class PrivateFileStorage(FileSystemStorage):
    """Storage with no URL: asking a private file for one is a programming error, not a link to a 404."""

    def url(self, name):
        raise ValueError(f"{name} is a private file: serve it through a view that checks who asks")


def public_storage() -> FileSystemStorage:
    """Declares a file public: anyone who has its name may fetch it under MEDIA_URL, signed in or not. Only for a
    record everyone may see, for as long as it exists (say why next to the field)."""
    return PublicFileStorage()  # no location: it follows settings.MEDIA_ROOT


def private_storage() -> FileSystemStorage:
    """Files whose record not everyone may see (files of people, drafts, anything before publication) live outside
    MEDIA_ROOT's public URL space: no URL reaches them; each is served only through a view (`serve_file`) that
    applies the check of the record's own page."""
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (settings.MEDIA_ROOT.parent / "private-media")
    return PrivateFileStorage(location=root)


def is_private(field) -> bool:
    return isinstance(field.storage, PrivateFileStorage)


def file_fields(models) -> list:
    """Every FileField (ImageField included) of `models`, as (model, field)."""
    return [(m, f) for m in models for f in m._meta.get_fields() if isinstance(f, FileField) and f.model is m]


def check_file_storages(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """portal.E001: every file field says whether its files are public (public_storage) or private
    (private_storage); Django's default storage would put them, unannounced, under the public MEDIA_URL."""
    models = apps.get_models() if app_configs is None else [m for c in app_configs for m in c.get_models()]
    return [
        checks.Error(
            f"{model._meta.label}.{field.name} does not declare whether its files are public.",
            hint="Give it storage=public_storage (with the reason in a comment) or storage=private_storage "
            "(and a view that serves it after the record's own check).",
            obj=field,
            id="portal.E001",
        )
        for model, field in file_fields(models)
        if not isinstance(field.storage, (PublicFileStorage, PrivateFileStorage))
    ]


def serve_file(
    field_file,
    *,
    as_attachment: bool = False,
    filename: str = "",
    content_type: str | None = None,
    cache: str = "private, no-store",
):
    """A stored file as the answer of a view that has already checked who asks (404 when there is none)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=as_attachment,
        filename=filename or field_file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = cache
    return response


def _roots() -> tuple[Path, Path]:
    public = Path(settings.MEDIA_ROOT)
    return public, Path(getattr(settings, "PRIVATE_MEDIA_ROOT", None) or public.parent / "private-media")


def move_files_private(app_label: str, fields: list[tuple[str, str]]) -> migrations.RunPython:
    """The data migration of file fields that become private: files already stored under MEDIA_ROOT move to
    PRIVATE_MEDIA_ROOT (and back on reverse); their names in the database stay the same."""

    def move(apps, to_private: bool) -> None:
        public, private = _roots()
        source, target = (public, private) if to_private else (private, public)
        for model_name, field in fields:
            model = apps.get_model(app_label, model_name)
            for name in model.objects.exclude(**{field: ""}).values_list(field, flat=True).iterator():
                old, new = source / name, target / name
                if old.is_file() and not new.exists():
                    new.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(old, new)

    return migrations.RunPython(
        lambda apps, schema_editor: move(apps, True), lambda apps, schema_editor: move(apps, False), elidable=False
    )
