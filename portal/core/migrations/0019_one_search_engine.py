"""One bigram search engine for the whole portal (portal/core/search.py): the tokenizer moves into two SQL functions
of the core, the public search index becomes a generated text[] column of the same kind as the register's, and the
register's triggers use the core's functions (residents 0005). Only on PostgreSQL; SQLite scans."""

from django.db import migrations

FUNCTIONS = r"""
-- Every character and every pair of adjacent characters of each run between spaces and U+001F separators.
-- Callers upper-case the document (the search is case-insensitive, as icontains).
CREATE FUNCTION portal_bigrams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT t.token), '{}')
    FROM regexp_split_to_table(doc, '[[:space:]' || chr(31) || ']+') AS run,
         generate_series(1, length(run)) AS i,
         LATERAL (VALUES (substr(run, i, 1)), (CASE WHEN i < length(run) THEN substr(run, i, 2) END)) AS t(token)
    WHERE t.token IS NOT NULL AND t.token <> ''
$$;

-- What a query word needs: all of its pairs, or its one character (upper-cased here).
CREATE FUNCTION portal_bigram_query(word text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT CASE WHEN length(run) = 1 THEN run ELSE substr(run, i, 2) END), '{}')
    FROM regexp_split_to_table(upper(word), '[[:space:]' || chr(31) || ']+') AS run,
         generate_series(1, greatest(length(run) - 1, 1)) AS i
    WHERE run <> ''
$$;
"""

PUBLIC_INDEX = r"""
ALTER TABLE portal_searchentry
    ADD COLUMN search_tokens text[] GENERATED ALWAYS AS (portal_bigrams(upper(title || ' ' || text))) STORED;
CREATE INDEX search_entry_tokens_gin ON portal_searchentry USING gin (search_tokens);
"""


def install_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)


def uninstall_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_bigram_query(text); DROP FUNCTION IF EXISTS portal_bigrams(text);")


def install_public_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PUBLIC_INDEX)


def uninstall_public_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE portal_searchentry DROP COLUMN IF EXISTS search_tokens")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0018_schedules"),
    ]

    operations = [
        migrations.RunPython(install_functions, uninstall_functions),
        migrations.RemoveField(model_name="searchentry", name="tokens"),
        migrations.RunPython(install_public_index, uninstall_public_index),
    ]
