"""Search across the public content (services, notices, minutes, resolutions, events)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.search import search

KIND_LABELS = {
    "service": _("Service"),
    "notice": _("Notice"),
    "minutes": _("Minutes"),
    "resolution": _("Resolution"),
    "event": _("Event"),
    "suggestion": _("Suggestion"),
}


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # NUL: no database stores it
    community_id = request.user.community_id if request.user.is_authenticated else None
    results = search(query, community_id=community_id) if query else None
    page = Paginator(results, 20).get_page(request.GET.get("page")) if results is not None else None
    for entry in page.object_list if page else []:
        entry.label = KIND_LABELS.get(entry.kind, entry.kind)
    extra = urlencode({"q": query}) + "&"
    return render(request, "portal/search.html", {"query": query, "page": page, "extra": extra})
