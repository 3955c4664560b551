"""The portal's searchable documents: published notices."""

from __future__ import annotations

from collections.abc import Iterator

from portal.core.search import SearchDocument
from portal.site.models import Notice


def notice_document(notice: Notice) -> SearchDocument:
    return SearchDocument(
        kind="notice",
        object_id=notice.pk,
        title=notice.title,
        text=notice.body,
        url=notice.get_absolute_url(),
        community_id=notice.community_id,
        published_at=notice.publish_at,
    )


def documents() -> Iterator[SearchDocument]:
    for notice in Notice.objects.published().iterator():
        yield notice_document(notice)
