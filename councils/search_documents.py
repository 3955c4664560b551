"""The councils' searchable documents: published minutes and the resolutions they adopted."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from councils.models import Minutes, Resolution
from portal.core.search import SearchDocument


def minutes_document(m: Minutes) -> SearchDocument:
    parts = [m.summary]
    for item in m.items.all():
        parts += [str(item.agenda_item), item.discussion, item.decision]
    return SearchDocument(
        kind="minutes",
        object_id=m.pk,
        title=m.meeting.title,
        text=" ".join(p for p in parts if p),
        url=reverse("councils:minutes", args=[m.pk]),
        community_id=m.meeting.council.community_id,
        published_at=m.published_at,
    )


def resolution_document(r: Resolution) -> SearchDocument:
    return SearchDocument(
        kind="resolution",
        object_id=r.pk,
        title=r.title,
        text=r.text,
        url=reverse("councils:resolution", args=[r.pk]),
        community_id=r.community_id,
        published_at=r.created_at,
    )


def documents() -> Iterator[SearchDocument]:
    minutes = (
        Minutes.objects.published()
        .select_related("meeting__council")
        .prefetch_related("items__agenda_item")
        .order_by("pk")
    )
    for m in minutes.iterator(chunk_size=200):
        yield minutes_document(m)
    for r in Resolution.objects.public().order_by("pk").iterator(chunk_size=500):
        yield resolution_document(r)
