"""The full-text index of each engine over registry_searchdocument.

SQLite: an FTS5 table with external content, kept in step by triggers (same transaction, cannot drift).
PostgreSQL: a generated tsvector column (title A, organisations B, body D) with a GIN index.
"""

from django.db import migrations

# The SQL is frozen here: later migrations change the search schema (0004 replaces FTS5 by Tantivy).
SQLITE_INSERT_TRIGGER = """CREATE TRIGGER registry_searchdocument_ai AFTER INSERT ON registry_searchdocument BEGIN
        INSERT INTO registry_search_fts(rowid, title, orgs, body)
        VALUES (new.partnership_id, new.title, new.orgs, new.body); END"""

SQLITE = [
    """CREATE VIRTUAL TABLE registry_search_fts USING fts5(
        title, orgs, body, content='registry_searchdocument', content_rowid='partnership_id',
        tokenize="unicode61 remove_diacritics 0")""",
    SQLITE_INSERT_TRIGGER,
    """CREATE TRIGGER registry_searchdocument_ad AFTER DELETE ON registry_searchdocument BEGIN
        INSERT INTO registry_search_fts(registry_search_fts, rowid, title, orgs, body)
        VALUES ('delete', old.partnership_id, old.title, old.orgs, old.body); END""",
    """CREATE TRIGGER registry_searchdocument_au AFTER UPDATE OF title, orgs, body ON registry_searchdocument BEGIN
        INSERT INTO registry_search_fts(registry_search_fts, rowid, title, orgs, body)
        VALUES ('delete', old.partnership_id, old.title, old.orgs, old.body);
        INSERT INTO registry_search_fts(rowid, title, orgs, body)
        VALUES (new.partnership_id, new.title, new.orgs, new.body); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS registry_searchdocument_au",
    "DROP TRIGGER IF EXISTS registry_searchdocument_ad",
    "DROP TRIGGER IF EXISTS registry_searchdocument_ai",
    "DROP TABLE IF EXISTS registry_search_fts",
]
POSTGRES = [
    """ALTER TABLE registry_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', orgs), 'B')
        || setweight(to_tsvector('simple', body), 'D')) STORED""",
    "CREATE INDEX registry_searchdocument_vector ON registry_searchdocument USING gin (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS registry_searchdocument_vector",
    "ALTER TABLE registry_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
