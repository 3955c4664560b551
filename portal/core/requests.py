"""What a request is about, and how its errors and lists are shown: one helper each, used by every app's views."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from portal.core.models import Community

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def community_of(request: HttpRequest, slug: str | None = None, *, required: bool = True) -> Community | None:
    """The community a page is about: the slug given (in the URL or as ?c=), else the signed-in person's own,
    else the first one. An unknown slug is a 404; so is a portal with no community at all, unless not `required`
    (then None: the home page of an empty portal still answers)."""
    slug = slug or request.GET.get("c")
    queryset = Community.objects.select_related("district")
    if slug:
        if not SLUG.fullmatch(slug):  # NUL bytes, slashes …: no community has such a name (and no 500 for it)
            raise Http404
        return get_object_or_404(queryset, slug=slug)
    user = request.user
    if user.is_authenticated and user.community_id:
        community = queryset.filter(pk=user.community_id).first()
    else:
        community = queryset.order_by("pk").first()
    if community is None and required:
        raise Http404
    return community


def id_of(value: str | None) -> int | None:
    """A record's id sent as a query parameter or form field, or None if it is not one ("abc", "-1", "²", a date):
    views look it up only when it is, so that a wrong value finds nothing instead of failing in the database."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdecimal() and len(value) <= 18 else None


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a ValidationError, field errors included, as plain strings in the active language."""
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.message_dict.values() for m in errors]
    return [str(m) for m in exc.messages]


def error_text(exc: ValidationError) -> str:
    """A ValidationError as one line of text, for a message or a flash."""
    return " ".join(error_messages(exc))


def form_errors(form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: each message next to its field, the rest above the form.
    A field the form does not have (a model field set by the action) never makes a 500 of it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def paginate(request: HttpRequest, items, per_page: int = 20) -> Page:
    """One page of `items` from ?page= (an invalid or out-of-range number gives the nearest page, never a 500).

    Templates show it with {% include "partials/pager.html" with page=page %}: the pager keeps every other
    query parameter of the request (filters, search) in its links."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
