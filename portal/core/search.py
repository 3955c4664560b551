"""The one search engine: substring search for Chinese text, one- and two-character queries included.

Chinese has no spaces, so word-based full-text search misses 低保 inside 申请低保救助, and a trigram index cannot
help a query of two characters. Each document is indexed instead as the set of its characters and adjacent
character pairs (bigrams), upper-cased, in a `text[]` column under a GIN index: stock PostgreSQL, no extension.
A query word of one character needs that character; a longer one needs all of its pairs (`@>`), and the few
candidates are then checked for the word itself. That finds exactly what a substring scan finds, without one.

The tokenizer lives in the database (migration portal 0019: `portal_bigrams(doc)`, `portal_bigram_query(word)`)
so that every way of writing keeps an index fresh, bulk writes included. Two indexes use it:
- the public content (SearchEntry.search_tokens, a generated column of title and text), fed by every app's
  `search_documents.documents()`: `search_index_update` after an action publishes, `search_reindex` nightly;
- the register (residents_resident.search_tokens, kept by triggers: residents/search.py).
`BigramContains` is the query side of both. On SQLite (the embedded default) there is no index: a substring scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.functions import Least, Length, Replace, Upper
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from portal.core.bulk import bulk_insert
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


def index_available() -> bool:
    return connection.vendor == "postgresql"


class BigramContains(models.Expression):
    """True when the row's bigram index (`tokens`, a text[] column) holds every pair of `word`, and, with `text`
    (an upper-cased document column), the document holds the word itself. Columns of the query's base table."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, word: str, *, tokens: str = "search_tokens", text: str | None = None):
        super().__init__()
        self.word, self.tokens, self.text = word, tokens, text

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.word!r}, tokens={self.tokens!r}, text={self.text!r})"

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = f"{table}.{self.tokens} @> portal_bigram_query(%s)"
        params = [self.word]
        if self.text:
            sql = f"({sql} AND strpos({table}.{self.text}, upper(%s)) > 0)"
            params.append(self.word)
        return sql, params

    def get_group_by_cols(self):
        return []


def search_index_update(documents: Iterable[SearchDocument]) -> int:
    """Insert or refresh the index entries of these documents."""
    count = 0
    with transaction.atomic():
        for doc in documents:
            SearchEntry.objects.update_or_create(
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
            count += 1
    return count


def search_index_remove(*, kind: str, object_ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def discover_documents() -> Iterator[SearchDocument]:
    for _app, module in app_modules("search_documents"):
        yield from module.documents()


def search_reindex() -> int:
    """Rebuild the whole index from every app's `search_documents.documents()`: the table emptied, then every
    entry inserted at once (COPY on PostgreSQL; a document given twice counts once, the last one read)."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        entries = {(doc.kind, doc.object_id): _entry(doc) for doc in discover_documents()}
        bulk_insert(entries.values())
        return len(entries)


def _entry(doc: SearchDocument) -> SearchEntry:
    return SearchEntry(
        kind=doc.kind,
        object_id=doc.object_id,
        title=doc.title[:300],
        text=doc.text,
        url=doc.url,
        community_id=doc.community_id,
        published_at=doc.published_at,
    )


def query_words(query: str) -> list[str]:
    return [word for word in normalize(query)[:100].split(" ") if word]


def search(query: str, *, community_id: int | None = None) -> models.QuerySet:
    """Entries whose title or text contains `query` (case-insensitive), in the community and the district, the
    best match first: the word as the whole title, then at its start, then inside it; then how often the text
    says it (up to three times); a shorter title before a longer one; the newest first. One query, ranked by the
    database (`relevance`)."""
    words = query_words(query)
    qs = SearchEntry.objects.all()
    if community_id is not None:
        qs = qs.filter(models.Q(community_id=community_id) | models.Q(community__isnull=True))
    if not words:
        return qs.none()
    relevance = models.Value(0)
    for word in words:
        if index_available():  # the index narrows to the few candidates; the substring test below decides
            qs = qs.filter(BigramContains(word))
        qs = qs.filter(models.Q(title__icontains=word) | models.Q(text__icontains=word))
        relevance = relevance + _title_score(word) + _text_score(word)
    if len(words) > 1:  # the words together, as typed, in the title
        relevance = relevance + models.Case(
            models.When(title__icontains=" ".join(words), then=models.Value(10)), default=models.Value(0)
        )
    return qs.annotate(relevance=relevance).order_by(
        "-relevance", Length("title"), models.F("published_at").desc(nulls_last=True), "-id"
    )


def _title_score(word: str) -> models.Expression:
    return models.Case(
        models.When(title__iexact=word, then=models.Value(40)),
        models.When(title__istartswith=word, then=models.Value(30)),
        models.When(title__icontains=word, then=models.Value(20)),
        default=models.Value(0),
    )


def _text_score(word: str) -> models.Expression:
    """How many times the text says `word`, up to 3 (a long text that says it once is not a better match)."""
    text = Upper("text")
    said = (Length(text) - Length(Replace(text, models.Value(word.upper()), models.Value("")))) / len(word)
    return Least(said, models.Value(3))


def _pattern(words: Iterable[str]) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)  # the longest first: 管道维修 before 管道
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def highlight(text: str, words: Iterable[str]) -> SafeString:
    """`text`, escaped, with every occurrence of the words in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 -- every piece above is escaped


def snippet(text: str, words: Iterable[str], *, width: int = 80, before: int = 20) -> SafeString:
    """About `width` characters of `text` around the first occurrence of a word, highlighted (the start of the text
    when no word occurs in it, e.g. when only the title matched). '…' where the text is cut."""
    words = list(words)
    text = SPACE.sub(" ", text or "").strip()
    pattern = _pattern(words)
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - before) if found else 0
    end = min(len(text), start + width)
    if found and end < found.end():
        end = found.end()
    piece = highlight(text[start:end], words)
    return mark_safe(("…" if start else "") + piece + ("…" if end < len(text) else ""))  # noqa: S308 -- escaped
