"""The councils' private files, each served after the check of its record's own page (404 for whoever may not read
the record): minutes' attachments, photos of resolutions' progress, photos of residents' suggestions."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404

from councils.models import Minutes, MinutesAttachment, Resolution, ResolutionProgress, Suggestion
from portal.core.uploads import serve_file


def minutes_attachment(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """As councils:minutes: published minutes for everyone, every state for council staff of the community."""
    minutes = get_object_or_404(Minutes.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(MinutesAttachment.objects.filter(minutes=minutes), pk=file_pk)
    return serve_file(attachment.file)


def progress_photo(request: HttpRequest, pk: int, progress_pk: int) -> FileResponse:
    """As councils:resolution: public once its minutes are published, before that for council staff."""
    resolution = get_object_or_404(Resolution.objects.visible_to(request.user), pk=pk)
    progress = get_object_or_404(ResolutionProgress.objects.filter(resolution=resolution), pk=progress_pk)
    return serve_file(progress.photo)


def suggestion_photo(request: HttpRequest, number: str) -> FileResponse:
    """As councils:suggestion: public once staff have looked at it; before that its proposer and council staff."""
    suggestion = get_object_or_404(Suggestion.objects.visible_to(request.user), tracking_number=number)
    return serve_file(suggestion.photo)
