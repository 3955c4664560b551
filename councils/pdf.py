"""Minutes as a PDF for the paper archive: the print page rendered by headless Chromium, when it is installed.

Approved minutes never change (corrections are addenda), so each PDF is made once per version — the count of
addenda is part of the file name — and kept in private storage (approved minutes are not public until published;
minutes_pdf is served only by the view of the minutes). Without Chromium the print page remains, and the
browser's own "save as PDF" does the same job.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from portal.core.uploads import private_storage

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 60


def chromium_path() -> str | None:
    """The Chromium binary (settings.CHROMIUM_PATH, else chromium/chromium-browser on the PATH)."""
    configured = getattr(settings, "CHROMIUM_PATH", "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pdf_available() -> bool:
    return chromium_path() is not None


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
    binary = chromium_path()
    if binary is None:
        return None
    css = Path(finders.find("councils/print.css")).read_text(encoding="utf-8")
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("councils/minutes_print.html", {**context, "inline_css": css, "for_pdf": True})
    with tempfile.TemporaryDirectory(prefix="minutes-pdf-") as tmp:
        source, target = Path(tmp) / "minutes.html", Path(tmp) / "minutes.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as exc:
            logger.warning("minutes PDF failed: %s", exc)
            return None
        if not target.exists() or target.stat().st_size == 0:
            return None
        return target.read_bytes()
