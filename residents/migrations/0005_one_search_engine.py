"""The register's search triggers use the core's bigram tokenizer (portal 0019): the register's own copy goes. The
tokens are the same, so no resident's index is rewritten."""

from django.db import migrations

REFRESH = r"""
CREATE OR REPLACE FUNCTION residents_resident_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := residents_search_document(NEW.name, NEW.phone, NEW.household_id);
    NEW.search_tokens := {tokens}(NEW.search_text);
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION residents_household_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE residents_resident r
       SET search_text = d.doc, search_tokens = {tokens}(d.doc)
      FROM (SELECT id, residents_search_document(name, phone, household_id) AS doc
              FROM residents_resident WHERE household_id = NEW.id) d
     WHERE r.id = d.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION residents_building_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE residents_resident r
       SET search_text = d.doc, search_tokens = {tokens}(d.doc)
      FROM (SELECT id, residents_search_document(name, phone, household_id) AS doc
              FROM residents_resident
             WHERE household_id IN (SELECT id FROM residents_household WHERE building_id = NEW.id)) d
     WHERE r.id = d.id;
    RETURN NULL;
END
$$;
"""

OWN_TOKENIZER = r"""
CREATE FUNCTION residents_search_tokens(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT portal_bigrams(doc) $$;
CREATE FUNCTION residents_search_query(word text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT portal_bigram_query(word) $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFRESH.replace("{tokens}", "portal_bigrams"))
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS residents_search_query(text); DROP FUNCTION IF EXISTS residents_search_tokens(text);"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OWN_TOKENIZER)
        schema_editor.execute(REFRESH.replace("{tokens}", "residents_search_tokens"))


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0004_tenancy_in_core"),
        ("portal", "0019_one_search_engine"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
