"""The two search engines behind one contract (`search(SearchRequest) -> Page`, `changed(ids)`).

- PostgreSQL (production): a generated tsvector column with a GIN index, ranked with ts_rank; facet
  filters and counts over a generated text[] column with a GIN index. Always current: the columns are
  generated from the search document in the same transaction.
- Tantivy (embedded mode, next to SQLite): see tantivy_engine.py. SQLite's own FTS5 was the first
  embedded engine; measured at a million partnerships it could not rank a broad query's matches and
  count its facets fast enough (docs/search.md), so Tantivy took its place as DESIGN.md foresees.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from ..models import SearchOutbox
from .query import ParsedQuery, to_tsquery

# The facets whose counts a search returns (org and level only filter).
FACETS_COUNTED = (
    "goal", "target", "country", "region", "subregion", "group", "orgtype", "category", "stage", "compliance",
    "smart",
)  # fmt: skip


class BadCursor(Exception):
    """The cursor does not fit the search (tampered, or from another sort)."""


@dataclass
class SearchRequest:
    query: ParsedQuery
    filters: list[list[str]]  # every group must match; a group matches if any of its facet tokens does
    sort: str
    cursor: list | None  # [sort, *engine keys] as handed out in Page.next_cursor
    limit: int
    facets: bool
    exclude: list[str] = field(default_factory=list)  # facet tokens no result may carry


@dataclass
class Page:
    ids: list[int]
    total: int
    facets: dict[str, dict[str, int]]
    next_cursor: list | None  # the engine's keys after the last row; None on the last page


@dataclass
class Aggregation:
    """What `aggregate` counts: partnerships per value of one counted facet, optionally per value of a
    second one inside each (goal × region), each bucket with its financial commitments summed per
    currency and its distinct partner organisations."""

    by: list[str]  # one or two of FACETS_COUNTED
    money: bool = True
    partners: bool = True


@dataclass
class Bucket:
    count: int = 0
    money: dict[str, float] = field(default_factory=dict)
    partners: int | None = None
    sub: dict[str, "Bucket"] = field(default_factory=dict)


def facet_counts(pairs) -> dict[str, dict[str, int]]:
    """{"goal": {"14": 3}, …} from ("goal:14", 3) pairs, keeping the counted facets."""
    counts: dict[str, dict[str, int]] = {}
    for token, count in pairs:
        facet, _, value = token.partition(":")
        if facet in FACETS_COUNTED:
            counts.setdefault(facet, {})[value] = count
    return counts


class PostgresEngine:
    name = "postgresql-tsvector"
    match_sql = (
        "SELECT partnership_id AS id, -ts_rank(vector, q, 1)::float8 AS rank "
        "FROM registry_searchdocument, to_tsquery('simple', %s) q WHERE vector @@ q"
    )

    def changed(self, ids: list[int] | None, *, catch_up: bool = True) -> None:
        """The tsvector and facet columns are generated from the row itself; the outbox tells the
        aggregation columns of every process what to re-read (columns.py), and keeps its last rows."""
        from .columns import OUTBOX_KEPT, outbox_record

        last = outbox_record(ids)
        if last > OUTBOX_KEPT:
            SearchOutbox.objects.filter(seq__lte=last - OUTBOX_KEPT).delete()

    def sync(self, progress=None) -> None:
        """Always current (see `changed`)."""

    def _matching(self, request: SearchRequest) -> tuple[str, str, str, list, list]:
        """(CTE prefix, FROM clause, WHERE clause, prefix arguments, WHERE arguments) of a request."""
        clauses = ["d.visible"] + ["d.facet_array && %s::text[]"] * len(request.filters)
        args: list = list(request.filters)
        if request.exclude:
            clauses.append("NOT (d.facet_array && %s::text[])")
            args.append(list(request.exclude))
        prefix, prefix_args, source = "", [], "registry_searchdocument d"
        if not request.query.is_empty:
            # The match and its rank are computed once (MATERIALIZED), not again for every join and sort.
            prefix, prefix_args = f"WITH m AS MATERIALIZED ({self.match_sql}) ", [to_tsquery(request.query)]
            source = "m JOIN registry_searchdocument d ON d.partnership_id = m.id"
        return prefix, source, " AND ".join(clauses), prefix_args, args

    def search(self, request: SearchRequest) -> Page:
        prefix, source, where, prefix_args, args = self._matching(request)
        rank = "0" if request.query.is_empty else "m.rank"
        order, key_cols, cmp, key = {
            "relevance": (f"{rank} ASC, d.partnership_id ASC", f"({rank}, d.partnership_id)", ">", rank),
            "newest": ("d.published_at DESC, d.partnership_id DESC", "(d.published_at, d.partnership_id)", "<",
                       "d.published_at"),
            "title": ("d.sort_title ASC, d.partnership_id ASC", "(d.sort_title, d.partnership_id)", ">",
                      "d.sort_title"),
        }[request.sort]  # fmt: skip
        page_where, page_args = where, [*prefix_args, *args]
        if request.cursor:
            if len(request.cursor) != 3 or not isinstance(request.cursor[2], int):
                raise BadCursor
            page_where += f" AND {key_cols} {cmp} (%s, %s)"
            page_args += request.cursor[1:]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{prefix}SELECT d.partnership_id, {key} FROM {source} WHERE {page_where} ORDER BY {order} LIMIT %s",
                [*page_args, request.limit + 1],
            )
            rows = cursor.fetchall()
            cursor.execute(f"{prefix}SELECT COUNT(*) FROM {source} WHERE {where}", [*prefix_args, *args])
            total = cursor.fetchone()[0]
            facets = {}
            if request.facets:
                cursor.execute(
                    f"{prefix}SELECT t, COUNT(*) FROM {source}, unnest(d.facet_array) t WHERE {where} "
                    "AND split_part(t, ':', 1) = ANY(%s) GROUP BY t",
                    [*prefix_args, *args, list(FACETS_COUNTED)],
                )
                facets = facet_counts(cursor.fetchall())
        next_cursor = None
        if len(rows) > request.limit:
            rows = rows[: request.limit]
            last_id, last_key = rows[-1]
            next_cursor = [last_key.isoformat() if hasattr(last_key, "isoformat") else last_key, last_id]
        return Page(ids=[row[0] for row in rows], total=total, facets=facets, next_cursor=next_cursor)

    def aggregate(self, request: SearchRequest, aggregation: Aggregation) -> tuple[Bucket, dict[str, Bucket]]:
        """The matched set's totals and its buckets (see Aggregation), from this process's columns
        (columns.py: GROUP BY over the facet arrays took seconds at 100,000 partnerships); a text query's
        matches come from the tsvector."""
        from .columns import PROCESS_COLUMNS, PROCESS_LOCK

        only = None
        if not request.query.is_empty:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT partnership_id FROM registry_searchdocument, to_tsquery('simple', %s) q "
                    "WHERE visible AND vector @@ q",
                    [to_tsquery(request.query)],
                )
                only = [row[0] for row in cursor.fetchall()]
        with PROCESS_LOCK:
            return PROCESS_COLUMNS.answer(request, aggregation, only)


def current_engine():
    """The engine of the default database: PostgreSQL's own, or the Tantivy index next to SQLite."""
    if connection.vendor == "postgresql":
        return PostgresEngine()
    from .tantivy_engine import TantivyEngine

    return TantivyEngine.at(settings.SEARCH_INDEX_DIR)
