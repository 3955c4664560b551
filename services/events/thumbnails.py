"""Thumbnails of event photos, made by a Celery task after the upload commits (see `tasks.py`)."""

from __future__ import annotations

from io import BytesIO

from django.core.files.base import ContentFile

from services.events.images import make_thumbnail
from services.events.models import EventPhoto


def event_photo_thumbnail_make(*, photo: EventPhoto) -> EventPhoto:
    """Make (or remake) the thumbnail of one photo. Idempotent."""
    out = BytesIO()
    with photo.image.open("rb") as source:
        make_thumbnail(source, out)
    if photo.thumbnail:
        photo.thumbnail.delete(save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(out.getvalue()), save=False)
    photo.save(update_fields=["thumbnail"])
    return photo
