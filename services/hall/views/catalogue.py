"""办事指南: the hall's catalogue of service items and its search (public)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from portal.core.pagecache import public_page
from portal.core.requests import community_of
from services.hall.forms import SearchForm
from services.hall.models import ServiceCategory, ServiceItem


@public_page(depends=("portal.Community", "services.ServiceItem", "services.ServiceCategory", "services.Counter"))
def catalogue(request: HttpRequest) -> HttpResponse:
    """办事指南: every category with its items."""
    community = community_of(request, required=False)
    items = ServiceItem.objects.active().filter(community=community).select_related("counter")
    categories = (
        ServiceCategory.objects.filter(Exists(items.filter(category=OuterRef("pk"))))
        .prefetch_related(Prefetch("items", queryset=items, to_attr="offered"))
        .order_by("order", "name")
    )
    return render(
        request,
        "services/hall/catalogue.html",
        {"community": community, "categories": categories, "form": SearchForm()},
    )


@public_page(depends=("services.ServiceItem", "services.ServiceCategory", "services.Counter"))
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceItem.objects.active().select_related("category", "counter", "community"), pk=pk)
    return render(request, "services/hall/item.html", {"item": item})


def search(request: HttpRequest) -> HttpResponse:
    """Search over names and keywords; one- and two-character queries (户, 低保) work."""
    community = community_of(request, required=False)
    form = SearchForm(request.GET or None)
    results = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        results = (
            ServiceItem.objects.active()
            .filter(community=community)
            .search(query)
            .select_related("category", "counter")
            .order_by("category__order", "order", "name")[:50]
        )
    return render(
        request, "services/hall/search.html", {"form": form, "query": query, "results": results, "community": community}
    )
