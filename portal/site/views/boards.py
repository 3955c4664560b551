"""Community directory pages: contact boards (联系标牌) with their A4 posters, and nearby facilities."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from portal.core.models import Community
from portal.core.qr import qr_data_uri
from portal.core.uploads import serve_file
from portal.site.models import ContactPerson, Facility
from residents.models import Building, PartyGroup


def contact(request: HttpRequest) -> HttpResponse:
    """ "Contact my community worker": the board of my own building when the register knows it, else the list."""
    resident = getattr(request.user, "resident", None) if request.user.is_authenticated else None
    if resident is not None:
        return redirect("portal:board", pk=resident.household.building_id)
    community_id = request.user.community_id if request.user.is_authenticated else None
    community = Community.objects.filter(pk=community_id).first() or Community.objects.order_by("pk").first()
    if community is None:
        raise Http404
    return redirect("portal:boards", slug=community.slug)


def board_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every building and courtyard of a community, by area, linking to its board."""
    community = get_object_or_404(Community, slug=slug)
    buildings = Building.objects.filter(community=community).select_related("area").order_by("area__name", "name")
    return render(request, "portal/board_list.html", {"community": community, "buildings": buildings})


def _board(pk: int) -> tuple[Building, list[ContactPerson], list[PartyGroup]]:
    building = get_object_or_404(Building.objects.select_related("area", "community"), pk=pk)
    people = list(building.contacts.all())
    # People with no buildings listed cover the whole community (the police officer, deputies, …); they appear
    # on every board that has nobody of their kind of its own.
    own_kinds = {p.kind for p in people}
    people += [
        p
        for p in ContactPerson.objects.filter(community=building.community_id, buildings__isnull=True)
        if p.kind not in own_kinds
    ]
    groups = list(building.party_groups.all())
    order = {kind: i for i, kind in enumerate(ContactPerson.Kind.values)}
    people.sort(key=lambda p: (order[p.kind], p.order, p.name))
    return building, people, groups


def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The board of one building or courtyard: whom to call, with photo and phone."""
    building, people, groups = _board(pk)
    return render(request, "portal/board_detail.html", {"building": building, "people": people, "groups": groups})


def board_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable A4 poster of the board with a QR code to its page."""
    building, people, groups = _board(pk)
    url = request.build_absolute_uri(reverse("portal:board", args=[building.pk]))
    qr = qr_data_uri(url, box_size=12, border=2)
    context = {"building": building, "people": people, "groups": groups, "qr": qr, "url": url}
    return render(request, "portal/board_poster.html", context)


def facilities(request: HttpRequest, slug: str) -> HttpResponse:
    """The 10-minute life service circle: what is near, by kind, nearest first."""
    community = get_object_or_404(Community, slug=slug)
    rows = Facility.objects.filter(community=community).select_related("unit")
    return render(request, "portal/facilities.html", {"community": community, "rows": rows})


def contact_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A contact person's photo (public by design: it hangs on the courtyard's board)."""
    person = get_object_or_404(ContactPerson.objects.only("photo"), pk=pk)
    return serve_file(person.photo, content_type="image/jpeg", cache="public, max-age=86400")
