"""SQL of the full-text indexes (used by migration 0003 and by the bulk generator)."""

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
