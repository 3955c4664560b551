"""Finding residents by name, phone, household number or building without scanning the register.

The staff search is a substring search ("洪金" finds 洪金凤, "1号楼" finds every resident of 11号楼), and
one- and two-character Chinese queries must work, so word-based full-text search and trigram indexes do not
fit (a trigram index cannot help a query of two characters). The core's bigram engine (portal.core.search) serves:
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

from django.db import models
from django.utils.text import smart_split, unescape_string_literal

from portal.core.search import BigramContains, index_available

# The fields of the search document, in the order the migration joins them. The ResidentAdmin searches
# exactly these (a test keeps the two lists equal).
DOCUMENT_FIELDS = ("name", "phone", "household__number", "household__building__name")
SEPARATOR = "\x1f"


def search_words(search_term: str) -> list[str]:
    """The words of a search as Django admin splits them: on spaces, with quoted phrases kept whole."""
    words = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            words.append(bit)
    return words


def document_contains(word: str) -> models.Q:
    """Residents with `word` in their name, phone, household number or building (case-insensitive)."""
    if not index_available() or SEPARATOR in word:
        # No index (SQLite), or a word no document can hold whole: Django's own lookups, with their joins.
        return models.Q.create([(f"{field}__icontains", word) for field in DOCUMENT_FIELDS], connector=models.Q.OR)
    return models.Q(BigramContains(word, tokens="search_tokens", text="search_text"))
