"""The search service: text query + facet filters → a page of partnership ids, total, facet counts.

Same query language and result contract on SQLite FTS5 and PostgreSQL; only the text-matching
subquery differs (engines.py). Paging is keyset-based: a cursor carries the sort key of the last row,
so deep pages cost what the first does and no row is skipped or repeated while the data changes.
"""

import base64
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from ..models import SearchDocument
from .engines import current_engine
from .query import ParsedQuery, parse

# Public filter name -> facet rows it matches. "region" accepts regions and sub-regions alike.
FILTER_FACETS = {
    "goal": ("goal",),
    "target": ("target",),
    "country": ("country",),
    "region": ("region", "subregion"),
    "group": ("group",),
    "organisation_type": ("orgtype",),
    "organisation": ("org",),
    "category": ("category",),
    "stage": ("stage",),
    "geographic_level": ("level",),
}
FACETS_COUNTED = ("goal", "target", "country", "region", "subregion", "group", "orgtype", "category", "stage")
SORTS = ("relevance", "newest", "title")
# When the result set is more than this share of the registry, one pass over the facet index beats
# per-result lookups (measured at 100,000 partnerships: the crossover is near a fifth).
LARGE_SHARE = 0.2


@dataclass
class SearchParams:
    q: str = ""
    lang: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = ""
    cursor: str | None = None
    limit: int = 20
    facets: bool = True


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    facets: dict[str, dict[str, int]]
    next_cursor: str | None
    sort: str
    query: ParsedQuery


def visible_total() -> int:
    """How many partnerships are searchable (cached for a minute: it only steers the facet plan)."""
    total = cache.get_or_set(
        "search:visible-total", lambda: SearchDocument.objects.filter(visible=True).count(), 60
    )
    return int(total or 0)


def _encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != 2:
            raise ValueError
        return values
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(
            {"cursor": [_("This page link is invalid or has expired; start again.")]}
        ) from None


def _where(params: SearchParams) -> tuple[list[str], list]:
    clauses, args = ["d.visible"], []
    for name, values in params.filters.items():
        if not values:
            continue
        facets = FILTER_FACETS[name]
        marks = ", ".join(["%s"] * len(values))
        facet_marks = ", ".join(["%s"] * len(facets))
        clauses.append(
            f"d.partnership_id IN (SELECT partnership_id FROM registry_searchfacet "
            f"WHERE facet IN ({facet_marks}) AND value IN ({marks}))"
        )
        args += [*facets, *values]
    return clauses, args


@dataclass
class Statements:
    """The SQL a search runs (the benchmark replays it without Django to measure the engine's floor)."""

    page: tuple[str, list]
    count: tuple[str, list]
    facets: tuple[str, list] | None
    facets_large: tuple[str, list] | None
    query: ParsedQuery
    sort: str
    limit: int


def search_statements(params: SearchParams) -> Statements:
    """Plan a search: parse the query, choose the sort, build the page, count and facet SQL."""
    query = parse(params.q, params.lang)
    sort = params.sort or ("relevance" if not query.is_empty else "newest")
    if sort not in SORTS:
        raise ValidationError({"sort": [_("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)}]})
    if sort == "relevance" and query.is_empty:
        sort = "newest"
    clauses, args = _where(params)
    prefix_args: list = []
    if query.is_empty:
        prefix = ""
        source = "registry_searchdocument d"
        rank = "0"
    else:
        # The text match is computed once (MATERIALIZED): inlined, the rank function ran again for
        # the ORDER BY and every join, which cost ~7x on broad queries.
        match_sql, prefix_args = current_engine().match(query)
        prefix = f"WITH m AS MATERIALIZED ({match_sql}) "
        source = "m JOIN registry_searchdocument d ON d.partnership_id = m.id"
        rank = "m.rank"
    where = " AND ".join(clauses)
    base_args = [*prefix_args, *args]

    order, key_cols, cmp = {
        "relevance": (f"{rank} ASC, d.partnership_id ASC", f"({rank}, d.partnership_id)", ">"),
        "newest": ("d.published_at DESC, d.partnership_id DESC", "(d.published_at, d.partnership_id)", "<"),
        "title": ("d.sort_title ASC, d.partnership_id ASC", "(d.sort_title, d.partnership_id)", ">"),
    }[sort]
    key_select = {"relevance": rank, "newest": "d.published_at", "title": "d.sort_title"}[sort]
    page_where, page_args = where, list(base_args)
    if params.cursor:
        last_key, last_id = _decode(params.cursor)
        page_where += f" AND {key_cols} {cmp} (%s, %s)"
        page_args += [last_key, last_id]
    limit = max(1, min(params.limit, 200))
    facet_marks = ", ".join(["%s"] * len(FACETS_COUNTED))
    statements = Statements(
        page=(
            f"{prefix}SELECT d.partnership_id, {key_select} FROM {source} WHERE {page_where} "
            f"ORDER BY {order} LIMIT %s",
            [*page_args, limit + 1],
        ),
        count=(f"{prefix}SELECT COUNT(*) FROM {source} WHERE {where}", base_args),
        facets=(
            # Drive from a small result set into the per-partnership facet index (CROSS JOIN fixes the
            # join order in SQLite) …
            f"{prefix}SELECT f.facet, f.value, COUNT(*) FROM "
            f"(SELECT d.partnership_id AS pid FROM {source} WHERE {where}) s CROSS JOIN registry_searchfacet f "
            f"WHERE f.partnership_id = s.pid AND f.facet IN ({facet_marks}) GROUP BY f.facet, f.value",
            [*base_args, *FACETS_COUNTED],
        )
        if params.facets
        else None,
        # … and scan the facet index once when the result set is a large share of the registry.
        facets_large=(
            f"{prefix}SELECT f.facet, f.value, COUNT(*) FROM registry_searchfacet f WHERE f.facet IN ({facet_marks}) "
            f"AND f.partnership_id IN (SELECT d.partnership_id FROM {source} WHERE {where}) GROUP BY f.facet, f.value",
            [*prefix_args, *FACETS_COUNTED, *args],
        )
        if params.facets
        else None,
        query=query,
        sort=sort,
        limit=limit,
    )
    return statements


def search(params: SearchParams) -> SearchResult:
    """Run a search. Raises ValidationError for an unknown sort, a bad cursor or an over-long query."""
    statements = search_statements(params)
    limit = statements.limit
    with connection.cursor() as cursor:
        cursor.execute(*statements.page)
        rows = cursor.fetchall()
        cursor.execute(*statements.count)
        total = cursor.fetchone()[0]
        facets: dict[str, dict[str, int]] = {}
        if statements.facets and statements.facets_large:
            large = total > LARGE_SHARE * visible_total()
            cursor.execute(*(statements.facets_large if large else statements.facets))
            for facet, value, count in cursor.fetchall():
                facets.setdefault(facet, {})[value] = count
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last_id, last_key = rows[-1]
        # SQLite hands back the stored text, PostgreSQL a datetime: either way the database can compare it.
        next_cursor = _encode(
            [last_key.isoformat(sep=" ") if hasattr(last_key, "isoformat") else last_key, last_id]
        )
    return SearchResult(
        ids=[row[0] for row in rows],
        total=total,
        facets=facets,
        next_cursor=next_cursor,
        sort=statements.sort,
        query=statements.query,
    )
