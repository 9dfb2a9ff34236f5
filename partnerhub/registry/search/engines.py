"""The two full-text engines behind one contract: given a parsed query, SQL that yields (id, rank),
lower rank = better. Everything else (filters, facets, paging) is plain SQL shared by both."""

from django.db import connection

from .query import ParsedQuery, to_fts5, to_tsquery


class SQLiteFTS5:
    name = "sqlite-fts5"
    # bm25 column weights: title, organisations, body.
    match_sql = (
        "SELECT rowid AS id, bm25(registry_search_fts, 10.0, 4.0, 1.0) AS rank "
        "FROM registry_search_fts WHERE registry_search_fts MATCH %s"
    )

    def match(self, query: ParsedQuery) -> tuple[str, list]:
        return self.match_sql, [to_fts5(query)]


class PostgresFTS:
    name = "postgresql-tsvector"
    match_sql = (
        "SELECT partnership_id AS id, -ts_rank(vector, q, 1)::float8 AS rank "
        "FROM registry_searchdocument, to_tsquery('simple', %s) q WHERE vector @@ q"
    )

    def match(self, query: ParsedQuery) -> tuple[str, list]:
        return self.match_sql, [to_tsquery(query)]


def current_engine() -> SQLiteFTS5 | PostgresFTS:
    return PostgresFTS() if connection.vendor == "postgresql" else SQLiteFTS5()
