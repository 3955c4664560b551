"""Search across the public content (services, notices, minutes, resolutions, events)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.core.requests import paginate
from portal.core.search import highlight, query_words, search, snippet

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
    page = paginate(request, results) if results is not None else None
    words = query_words(query)
    for entry in page.object_list if page else []:
        entry.label = KIND_LABELS.get(entry.kind, entry.kind)
        entry.title_html = highlight(entry.title, words)
        entry.snippet = snippet(entry.text, words)
    return render(request, "portal/search.html", {"query": query, "page": page})
