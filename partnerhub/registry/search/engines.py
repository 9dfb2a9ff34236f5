"""The two search engines behind one contract (`search(SearchRequest) -> Page`, `changed(ids)`).

- PostgreSQL (production): a generated tsvector column with a GIN index, ranked with ts_rank; facet
  filters over a generated text[] column with a GIN index. Always current: the columns are generated
  from the search document in the same transaction. The totals and facet counts come from the columns
  each process keeps (columns.py), which follow the outbox.
- Tantivy (embedded mode, next to SQLite): see tantivy_engine.py. SQLite's own FTS5 was the first
  embedded engine; measured at a million partnerships it could not rank a broad query's matches and
  count its facets fast enough (docs/search.md), so Tantivy took its place as DESIGN.md foresees.
"""

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import connection

from ..models import SearchOutbox
from .query import ParsedQuery, to_any_tsquery, to_tsquery

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
    """Full-text search in PostgreSQL; the filters, totals and facet counts come from this process's
    columns (columns.py), as the insights' figures do: counting the facets of a broad query's matches with
    `unnest … GROUP BY`, and again their total, took most of a second at 100,000 partnerships, and every
    such statement matched and ranked the text once more (docs/search.md). PostgreSQL matches the text
    once; by relevance it ranks every match in that pass and the page is chosen among them here."""

    name = "postgresql-tsvector"
    # The text match, with the filters too so that only the rows they keep are ranked (the columns apply
    # them again, and answer the counts).
    match_sql = (
        "SELECT d.partnership_id, -ts_rank(d.vector, r, 1)::float8 FROM registry_searchdocument d, "
        "to_tsquery('simple', %s) r, "
    )
    ids_sql = "SELECT d.partnership_id FROM registry_searchdocument d, "

    def changed(self, ids: list[int] | None, *, catch_up: bool = True) -> None:
        """The tsvector and facet columns are generated from the row itself; the outbox tells the
        aggregation columns of every process what to re-read (columns.py), and keeps its last rows."""
        from .columns import OUTBOX_KEPT, outbox_record

        last = outbox_record(ids)
        if last > OUTBOX_KEPT:
            SearchOutbox.objects.filter(seq__lte=last - OUTBOX_KEPT).delete()

    def sync(self, progress=None) -> None:
        """Always current (see `changed`)."""

    def search(self, request: SearchRequest) -> Page:
        from .columns import PROCESS_COLUMNS, PROCESS_LOCK

        by_relevance = request.sort == "relevance" and not request.query.is_empty
        if by_relevance and request.cursor and not _relevance_cursor(request.cursor):
            raise BadCursor
        matches = None
        if not request.query.is_empty:
            where, args = filter_clause(request)
            with connection.cursor() as cursor:
                text = to_tsquery(request.query)
                rank = to_any_tsquery(request.query) if request.query.rank_any else text
                cursor.execute(
                    f"{self.match_sql if by_relevance else self.ids_sql}to_tsquery('simple', %s) q "
                    f"WHERE d.vector @@ q AND {where}",
                    [rank, text, *args] if by_relevance else [text, *args],
                )
                matches = np.array(cursor.fetchall(), np.float64).reshape(-1, 2 if by_relevance else 1)
        ids = matches[:, 0].astype(np.int64) if matches is not None else None
        with PROCESS_LOCK:
            PROCESS_COLUMNS.refresh()
            chosen = PROCESS_COLUMNS.mask(request.filters, request.exclude, ids)
            total = int(chosen.sum())
            facets = PROCESS_COLUMNS.counts(chosen, FACETS_COUNTED) if request.facets else {}
            if by_relevance:
                assert ids is not None and matches is not None
                keep = PROCESS_COLUMNS.chosen_among(chosen, ids)
                return _ranked_page(ids[keep], matches[keep, 1], request, total, facets)
        return Page(total=total, facets=facets, **self._sorted_page(request))

    def _sorted_page(self, request: SearchRequest) -> dict:
        """The page of a search sorted by newest or title, and the cursor after it, from the sort's index."""
        where, args = filter_clause(request)
        clauses = [where]
        if not request.query.is_empty:
            clauses.append("d.vector @@ to_tsquery('simple', %s)")
            args.append(to_tsquery(request.query))
        order, key_cols, cmp, key = {
            "title": ("d.sort_title ASC, d.partnership_id ASC", "(d.sort_title, d.partnership_id)", ">",
                      "d.sort_title"),
        }.get(request.sort, ("d.published_at DESC, d.partnership_id DESC", "(d.published_at, d.partnership_id)",
                             "<", "d.published_at"))  # fmt: skip
        if request.cursor:
            if not _sorted_cursor(request.cursor):
                raise BadCursor
            clauses.append(f"{key_cols} {cmp} (%s, %s)")
            args += request.cursor[1:]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.partnership_id, {key} FROM registry_searchdocument d WHERE {' AND '.join(clauses)} "
                f"ORDER BY {order} LIMIT %s",
                [*args, request.limit + 1],
            )
            rows = cursor.fetchall()
        next_cursor = None
        if len(rows) > request.limit:
            rows = rows[: request.limit]
            last_id, last_key = rows[-1]
            next_cursor = [last_key.isoformat() if hasattr(last_key, "isoformat") else last_key, last_id]
        return {"ids": [row[0] for row in rows], "next_cursor": next_cursor}

    def aggregate(self, request: SearchRequest, aggregation: Aggregation) -> tuple[Bucket, dict[str, Bucket]]:
        """The matched set's totals and its buckets (see Aggregation), from this process's columns
        (columns.py: GROUP BY over the facet arrays took seconds at 100,000 partnerships); a text query's
        matches come from the tsvector."""
        from .columns import PROCESS_COLUMNS, PROCESS_LOCK

        only = self._text_matches(request)
        with PROCESS_LOCK:
            return PROCESS_COLUMNS.answer(request, aggregation, only)

    def ids(self, request: SearchRequest) -> list[int]:
        """Every partnership id a request matches, in id order, from the columns (paging through a goal's
        30,000 matches by date took 0.4 s at 200,000 partnerships)."""
        from .columns import PROCESS_COLUMNS, PROCESS_LOCK

        only = self._text_matches(request)
        with PROCESS_LOCK:
            return PROCESS_COLUMNS.matching(request, only)

    def _text_matches(self, request: SearchRequest) -> list[int] | None:
        """The ids of the visible documents the text query matches (None: no text query)."""
        if request.query.is_empty:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                f"{self.ids_sql}to_tsquery('simple', %s) q WHERE d.vector @@ q AND d.visible",
                [to_tsquery(request.query)],
            )
            return [row[0] for row in cursor.fetchall()]


def filter_clause(request: SearchRequest) -> tuple[str, list]:
    """The WHERE clause (and its arguments) of the documents a request's filters keep."""
    clauses = ["d.visible"] + ["d.facet_array && %s::text[]"] * len(request.filters)
    args: list = list(request.filters)
    if request.exclude:
        clauses.append("NOT (d.facet_array && %s::text[])")
        args.append(list(request.exclude))
    return " AND ".join(clauses), args


def is_int(value) -> bool:
    """An int from a cursor, and not a bool (JSON true would pass for 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _relevance_cursor(cursor: list) -> bool:
    """A relevance cursor is [sort, rank (a number), id]."""
    return (
        len(cursor) == 3
        and isinstance(cursor[1], int | float)
        and not isinstance(cursor[1], bool)
        and is_int(cursor[2])
    )


def _sorted_cursor(cursor: list) -> bool:
    """A title cursor is [sort, sort title, id]; a newest cursor [sort, publication time (ISO 8601), id]."""
    if len(cursor) != 3 or not is_int(cursor[2]):
        return False
    if cursor[0] == "title":
        return isinstance(cursor[1], str)
    if cursor[1] is None:  # the last row had no publication time
        return True
    try:
        datetime.fromisoformat(cursor[1])
    except (TypeError, ValueError):
        return False
    return True


def _ranked_page(
    ids: np.ndarray, ranks: np.ndarray, request: SearchRequest, total: int, facets: dict
) -> Page:
    """The page of the chosen matches in (rank, id) order after the cursor (ranks are negated: lower is
    better), and the cursor after it."""
    if request.cursor:
        rank, last = request.cursor[1], request.cursor[2]
        after = (ranks > rank) | ((ranks == rank) & (ids > last))
        ids, ranks = ids[after], ranks[after]
    take = request.limit + 1
    if len(ids) > 4 * take:  # a broad query: sort only the best few (every rank up to the cut's ties)
        cut = np.partition(ranks, take - 1)[take - 1]
        near = ranks <= cut
        ids, ranks = ids[near], ranks[near]
    order = np.lexsort((ids, ranks))[:take]
    page_ids, page_ranks = ids[order].tolist(), ranks[order].tolist()
    next_cursor = None
    if len(page_ids) > request.limit:
        page_ids, page_ranks = page_ids[: request.limit], page_ranks[: request.limit]
        next_cursor = [page_ranks[-1], page_ids[-1]]
    return Page(ids=page_ids, total=total, facets=facets, next_cursor=next_cursor)


def current_engine():
    """The engine of the default database: PostgreSQL's own, or the Tantivy index next to SQLite."""
    if connection.vendor == "postgresql":
        return PostgresEngine()
    from .tantivy_engine import TantivyEngine

    return TantivyEngine.at(settings.SEARCH_INDEX_DIR)
