"""Links to admin change pages, one reverse() per kind of page instead of one per row of a list."""

from __future__ import annotations

from django.urls import get_script_prefix, get_urlconf, reverse

SENTINEL = 987654321987
_patterns: dict[tuple, tuple[str, str] | None] = {}


def change_url(viewname: str, pk, current_app: str | None = None) -> str:
    """reverse(viewname, args=[pk]) for a whole-number pk: the URL is reversed once with a stand-in and the key put
    in its place (any other pk, or a pattern the stand-in does not survive, is reversed as usual)."""
    if not isinstance(pk, int) or isinstance(pk, bool):
        return reverse(viewname, args=[pk], current_app=current_app)
    key = (viewname, current_app, get_script_prefix(), get_urlconf())
    pattern = _patterns.get(key, False)
    if pattern is False:
        parts = reverse(viewname, args=[SENTINEL], current_app=current_app).split(str(SENTINEL))
        pattern = _patterns[key] = (parts[0], parts[1]) if len(parts) == 2 else None
    if pattern is None:
        return reverse(viewname, args=[pk], current_app=current_app)
    return f"{pattern[0]}{pk}{pattern[1]}"
