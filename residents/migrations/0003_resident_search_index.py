"""The residents' search index (residents/search.py): a character/bigram index of each resident's name, phone,
household number and building, kept up to date by PostgreSQL triggers; and an index for the exact ID-number
search of the roles that may read ID numbers.

Only on PostgreSQL: SQLite (the embedded default) has neither and the admin scans instead.
"""

from django.db import migrations, models
from django.db.models.functions import Upper

FUNCTIONS = r"""
-- The document: name, phone, household number, building name; upper-cased (as icontains compares) and joined
-- by U+001F, which no query word holds, so that a word never matches across two fields.
CREATE FUNCTION residents_search_document(p_name text, p_phone text, p_household_id bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT upper(concat_ws(chr(31), p_name, p_phone, h.number, b.name))
    FROM (SELECT 1) AS one
    LEFT JOIN residents_household h ON h.id = p_household_id
    LEFT JOIN residents_building b ON b.id = h.building_id
$$;

-- Every character and every pair of adjacent characters of each run between spaces and separators.
CREATE FUNCTION residents_search_tokens(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT t.token), '{}')
    FROM regexp_split_to_table(doc, '[[:space:]' || chr(31) || ']+') AS run,
         generate_series(1, length(run)) AS i,
         LATERAL (VALUES (substr(run, i, 1)), (CASE WHEN i < length(run) THEN substr(run, i, 2) END)) AS t(token)
    WHERE t.token IS NOT NULL AND t.token <> ''
$$;

-- What a query word needs: all of its pairs, or its one character.
CREATE FUNCTION residents_search_query(word text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT CASE WHEN length(run) = 1 THEN run ELSE substr(run, i, 2) END), '{}')
    FROM regexp_split_to_table(upper(word), '[[:space:]' || chr(31) || ']+') AS run,
         generate_series(1, greatest(length(run) - 1, 1)) AS i
    WHERE run <> ''
$$;

CREATE FUNCTION residents_resident_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := residents_search_document(NEW.name, NEW.phone, NEW.household_id);
    NEW.search_tokens := residents_search_tokens(NEW.search_text);
    RETURN NEW;
END
$$;

-- A household's number or building changed (or it was inserted after its members: the foreign keys are
-- checked at commit): refresh its members.
CREATE FUNCTION residents_household_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE residents_resident r
       SET search_text = d.doc, search_tokens = residents_search_tokens(d.doc)
      FROM (SELECT id, residents_search_document(name, phone, household_id) AS doc
              FROM residents_resident WHERE household_id = NEW.id) d
     WHERE r.id = d.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION residents_building_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE residents_resident r
       SET search_text = d.doc, search_tokens = residents_search_tokens(d.doc)
      FROM (SELECT id, residents_search_document(name, phone, household_id) AS doc
              FROM residents_resident
             WHERE household_id IN (SELECT id FROM residents_household WHERE building_id = NEW.id)) d
     WHERE r.id = d.id;
    RETURN NULL;
END
$$;
"""

INSTALL = r"""
ALTER TABLE residents_resident ADD COLUMN search_text text, ADD COLUMN search_tokens text[];

UPDATE residents_resident r
   SET search_text = d.doc, search_tokens = residents_search_tokens(d.doc)
  FROM (SELECT r2.id, upper(concat_ws(chr(31), r2.name, r2.phone, h.number, b.name)) AS doc
          FROM residents_resident r2
          LEFT JOIN residents_household h ON h.id = r2.household_id
          LEFT JOIN residents_building b ON b.id = h.building_id) d
 WHERE r.id = d.id;

CREATE INDEX residents_resident_search_gin ON residents_resident USING gin (search_tokens);

CREATE TRIGGER residents_resident_search_insert BEFORE INSERT ON residents_resident
    FOR EACH ROW EXECUTE FUNCTION residents_resident_search_refresh();
CREATE TRIGGER residents_resident_search_update BEFORE UPDATE OF name, phone, household_id ON residents_resident
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.phone IS DISTINCT FROM NEW.phone
          OR OLD.household_id IS DISTINCT FROM NEW.household_id)
    EXECUTE FUNCTION residents_resident_search_refresh();
CREATE TRIGGER residents_household_search_insert AFTER INSERT ON residents_household
    FOR EACH ROW EXECUTE FUNCTION residents_household_search_refresh();
CREATE TRIGGER residents_household_search_update AFTER UPDATE OF number, building_id ON residents_household
    FOR EACH ROW
    WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.building_id IS DISTINCT FROM NEW.building_id)
    EXECUTE FUNCTION residents_household_search_refresh();
CREATE TRIGGER residents_building_search_insert AFTER INSERT ON residents_building
    FOR EACH ROW EXECUTE FUNCTION residents_building_search_refresh();
CREATE TRIGGER residents_building_search_update AFTER UPDATE OF name ON residents_building
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION residents_building_search_refresh();
"""

UNINSTALL = r"""
DROP TRIGGER IF EXISTS residents_building_search_update ON residents_building;
DROP TRIGGER IF EXISTS residents_building_search_insert ON residents_building;
DROP TRIGGER IF EXISTS residents_household_search_update ON residents_household;
DROP TRIGGER IF EXISTS residents_household_search_insert ON residents_household;
DROP TRIGGER IF EXISTS residents_resident_search_update ON residents_resident;
DROP TRIGGER IF EXISTS residents_resident_search_insert ON residents_resident;
DROP FUNCTION IF EXISTS residents_building_search_refresh();
DROP FUNCTION IF EXISTS residents_household_search_refresh();
DROP FUNCTION IF EXISTS residents_resident_search_refresh();
DROP FUNCTION IF EXISTS residents_search_query(text);
DROP FUNCTION IF EXISTS residents_search_tokens(text);
DROP FUNCTION IF EXISTS residents_search_document(text, text, bigint);
ALTER TABLE residents_resident DROP COLUMN IF EXISTS search_tokens, DROP COLUMN IF EXISTS search_text;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)
        schema_editor.execute(INSTALL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0002_person_name"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(Upper("id_number"), name="resident_id_number_upper"),
        ),
    ]
