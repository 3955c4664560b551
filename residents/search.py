"""Finding residents by name, phone, household number or building without scanning the register.

The staff search is a substring search ("洪金" finds 洪金凤, "1号楼" finds every resident of 11号楼), and
one- and two-character Chinese queries must work, so word-based full-text search and trigram indexes do not
fit (a trigram index cannot help a query of two characters). As for the public content (portal.core.search),
each resident is indexed as the set of characters and adjacent character pairs of their search document:
name, phone, household number and building name, upper-cased and separated by U+001F. PostgreSQL keeps it
up to date by itself — migration residents 0003 adds two columns that Django does not know about
(`search_text`, the document, and `search_tokens`, its characters and pairs under a GIN index) and triggers
on residents, households and buildings, so every way of writing (admin, Excel import, seeding, bulk updates)
refreshes the document.

A query word matches when the index holds all of its pairs (its one character, for a word of one character)
and the document holds the word itself: exactly what `icontains` on the four fields finds, without a join.
On SQLite (the embedded default) there is no index and the admin scans as Django does.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils.text import smart_split, unescape_string_literal

# The fields of the search document, in the order the migration joins them. The ResidentAdmin searches
# exactly these (a test keeps the two lists equal).
DOCUMENT_FIELDS = ("name", "phone", "household__number", "household__building__name")
SEPARATOR = "\x1f"


def index_available() -> bool:
    return connection.vendor == "postgresql"


def search_words(search_term: str) -> list[str]:
    """The words of a search as Django admin splits them: on spaces, with quoted phrases kept whole."""
    words = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            words.append(bit)
    return words


class DocumentContains(models.Expression):
    """True when one of the document fields of the resident contains `word`, case-insensitively (index-backed)."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, word: str):
        super().__init__()
        self.word = word

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.word!r})"

    def as_sql(self, compiler, connection):
        # The hidden columns belong to the query's base table (residents_resident, or its alias in a subquery).
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = f"({table}.search_tokens @> residents_search_query(%s) AND strpos({table}.search_text, upper(%s)) > 0)"
        return sql, [self.word, self.word]

    def get_group_by_cols(self):
        return []


def document_contains(word: str) -> models.Q:
    """Residents with `word` in their name, phone, household number or building (case-insensitive)."""
    if not index_available() or SEPARATOR in word:
        # No index (SQLite), or a word no document can hold whole: Django's own lookups, with their joins.
        return models.Q.create([(f"{field}__icontains", word) for field in DOCUMENT_FIELDS], connector=models.Q.OR)
    return models.Q(DocumentContains(word))
