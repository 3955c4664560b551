"""Minutes as a PDF for the paper archive: the print page rendered by headless Chromium, when it is installed.

Approved minutes never change (corrections are addenda), so each PDF is made once per version — the count of
addenda is part of the file name — and kept in private storage (approved minutes are not public until published;
minutes_pdf is served only by the view of the minutes). Without Chromium the print page remains, and the
browser's own "save as PDF" does the same job.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from portal.core.pdf import chromium_path, html_to_pdf, pdf_available
from portal.core.uploads import private_storage

__all__ = ["chromium_path", "minutes_pdf", "pdf_available"]


def minutes_pdf(minutes, context: dict) -> bytes | None:
    """The PDF of approved minutes (made once per version), or None when it cannot be made here."""
    if not minutes.is_locked:
        return None
    version = f"{minutes.approved_at:%Y%m%d%H%M%S%f}-{len(context.get('addenda') or [])}"
    name = f"councils/pdf/minutes-{minutes.pk}-{version}.pdf"
    storage = private_storage()
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            return stored.read()
    data = _render(context)
    if data is not None:
        storage.save(name, ContentFile(data))
    return data


def _render(context: dict) -> bytes | None:
    if chromium_path() is None:
        return None
    css = Path(finders.find("councils/print.css")).read_text(encoding="utf-8")
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("councils/minutes_print.html", {**context, "inline_css": css, "for_pdf": True})
    return html_to_pdf(html)
