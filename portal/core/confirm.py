"""Irreversible actions ask first: a GET of an action's URL shows what will happen and a button that POSTs to the
same URL; only the POST acts. No script is involved, so the question is asked on every browser, and a link, a
prefetch or a crawler that follows the URL changes nothing.

    @login_required
    @confirm_first
    def booking_cancel(request, code):
        booking = ...
        if request.method != "POST":
            return confirm_page(request, title=..., what=..., button=..., back=...)
        ...act...
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

confirm_first = require_http_methods(["GET", "POST"])  # GET asks, POST acts; anything else is a 405


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    what: str,
    button: str,
    back: str,
    details: Iterable[tuple[str, str]] = (),
    fields: dict[str, object] | None = None,
    reason: str | None = None,
    reason_label: str = "",
    problem: str = "",
) -> HttpResponse:
    """The page that asks: `title`, `what` will happen (a sentence), `details` (label, value) of the record, the
    `button` that POSTs `fields` (hidden) to this URL, and `back` (where "keep it" leads). `reason`: the name of an
    optional text field sent with the POST (a reason for the resident). `problem`: why it cannot be done now —
    then no button is shown."""
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "what": what,
            "details": list(details),
            "button": button,
            "back": back,
            "fields": (fields or {}).items(),
            "reason": reason,
            "reason_label": reason_label,
            "problem": problem,
        },
    )


def admin_confirmed(request: HttpRequest) -> bool:
    """Whether a bulk admin action comes back from its confirmation page (see `admin_confirm_page`)."""
    return request.POST.get("confirmed") == "yes"


def admin_confirm_page(model_admin, request: HttpRequest, queryset, *, title: str, what: str, button: str):
    """The admin's page that asks before a bulk action acts on `queryset`, as Django's own delete does: it lists
    the records and posts the same action again, with `confirmed`."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "what": what,
        "button": button,
        "objects": list(queryset[:100]),
        "count": queryset.count(),
        "action": request.POST.get("action", ""),
        "select_across": request.POST.get("select_across", "0"),
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/confirm_action.html", context)
