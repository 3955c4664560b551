"""HTML to PDF for the paper archive: a print page rendered by headless Chromium, when it is installed.

One way for every app (the councils' minutes, the yearly summaries of stationed party members): render the page's
HTML with its CSS inlined, then `html_to_pdf`. Without Chromium it answers None and the page's print view remains
(the browser's own "save as PDF" does the same job).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

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


def html_to_pdf(html: str) -> bytes | None:
    """The PDF of a self-contained HTML page (CSS inlined, no external resources), or None when it cannot be made."""
    binary = chromium_path()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="portal-pdf-") as tmp:
        source, target = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
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
            logger.warning("PDF failed: %s", exc)
            return None
        if not target.exists() or target.stat().st_size == 0:
            return None
        return target.read_bytes()
