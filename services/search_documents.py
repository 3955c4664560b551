"""The stations' searchable documents: the hall's service items and the health and culture stations' events."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from portal.core.search import SearchDocument
from services.events.models import StationEvent
from services.hall.models import ServiceItem


def documents() -> Iterator[SearchDocument]:
    for item in ServiceItem.objects.filter(is_active=True).select_related("category").iterator():
        yield SearchDocument(
            kind="service",
            object_id=item.pk,
            title=item.name,
            # The description first: it is what a result shows when only the title matched.
            text=" ".join([item.description, *item.documents, item.category.name, item.keywords]),
            url=reverse("services:item", args=[item.pk]),
            community_id=item.community_id,
        )
    for event in StationEvent.objects.filter(published=True).iterator():
        yield SearchDocument(
            kind="event",
            object_id=event.pk,
            title=event.title,
            text=f"{event.place} {event.description}",
            url=reverse("services:stations:event", args=[event.pk]),
            community_id=event.community_id,
            published_at=event.starts_at,
        )
