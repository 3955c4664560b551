"""Search across the public content, for one- and two-character Chinese queries too.

Chinese has no spaces, so word-based full-text search misses 低保 inside 申请低保救助. Each document is
indexed as the set of its characters and of its adjacent character pairs (bigrams), stored as a PostgreSQL
tsvector under a GIN index: stock PostgreSQL, no extension. A query of one character looks up that
character; a longer one looks up all of its bigrams (AND), and the few candidates are then checked for the
exact substring. That finds exactly what a substring scan finds, without scanning.

Apps contribute documents through a `search` module with `documents()` yielding SearchDocument tuples; the
index is refreshed by `search_index_update` (called by actions that publish) and rebuilt by
`manage.py search_reindex`. On SQLite (the embedded default) the search falls back to a substring scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL

from portal.core.models.search import SearchEntry
from portal.core.plugins import app_modules

SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchDocument:
    kind: str  # "service", "notice", "minutes", "resolution", "event" …
    object_id: int
    title: str
    text: str
    url: str
    community_id: int | None  # None: the whole district
    published_at: object | None = None


def normalize(text: str) -> str:
    return SPACE.sub(" ", (text or "").lower()).strip()


def tokens(text: str) -> set[str]:
    """Every character and every pair of adjacent characters of each whitespace-separated run."""
    found: set[str] = set()
    for run in normalize(text).split(" "):
        found.update(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    found.discard("")
    return found


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(text: str) -> str:
    return " ".join(_lexeme(t) for t in sorted(tokens(text)))


def tsquery_literal(query: str) -> str:
    """AND of the query's bigrams (or its single character): every document containing it has them all."""
    parts: set[str] = set()
    for run in normalize(query).split(" "):
        if len(run) == 1:
            parts.add(run)
        else:
            parts.update(run[i : i + 2] for i in range(len(run) - 1))
    return " & ".join(_lexeme(p) for p in sorted(parts))


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def search_index_update(documents: Iterable[SearchDocument]) -> int:
    """Insert or refresh the index entries of these documents."""
    count = 0
    with transaction.atomic():
        for doc in documents:
            entry, _created = SearchEntry.objects.update_or_create(
                kind=doc.kind,
                object_id=doc.object_id,
                defaults={
                    "title": doc.title[:300],
                    "text": doc.text,
                    "url": doc.url,
                    "community_id": doc.community_id,
                    "published_at": doc.published_at,
                },
            )
            if _postgres():
                literal = tsvector_literal(f"{doc.title} {doc.text}")
                SearchEntry.objects.filter(pk=entry.pk).update(tokens=RawSQL("%s::tsvector", [literal]))
            count += 1
    return count


def search_index_remove(*, kind: str, object_ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def discover_documents() -> Iterator[SearchDocument]:
    for _app, module in app_modules("search_documents"):
        yield from module.documents()


def search_reindex() -> int:
    """Rebuild the whole index from every app's `search_documents.documents()`."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        return search_index_update(discover_documents())


def search(query: str, *, community_id: int | None = None) -> models.QuerySet:
    """Entries whose title or text contains `query` (case-insensitive), in the community and the district."""
    query = normalize(query)[:100]
    qs = SearchEntry.objects.all()
    if community_id is not None:
        qs = qs.filter(models.Q(community_id=community_id) | models.Q(community__isnull=True))
    if not query:
        return qs.none()
    if _postgres():
        match = RawSQL("tokens @@ %s::tsquery", [tsquery_literal(query)], output_field=models.BooleanField())
        qs = qs.annotate(index_match=match).filter(index_match=True)
    for word in query.split(" "):
        qs = qs.filter(models.Q(title__icontains=word) | models.Q(text__icontains=word))
    return qs.order_by("-published_at", "-id")
