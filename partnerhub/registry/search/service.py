"""The search service: text query + facet filters → a page of partnership ids, total, facet counts.

Same query language and result contract on both engines (engines.py): Tantivy in the embedded mode,
PostgreSQL full-text search in production. Paging is cursor-based: a cursor carries the sort key of the
last row, so a deep page costs about what the first does and no row is skipped or repeated while the
data changes.
"""

import base64
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .engines import Aggregation, BadCursor, Bucket, SearchRequest, current_engine
from .query import ParsedQuery, parse

# Public filter name -> facets whose values it matches. "region" accepts regions and sub-regions alike.
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
    "compliance": ("compliance",),
    "smart": ("smart",),
}
# Facet values ("goal:13", "region:002") that every result must have as well as the other filters: how a
# figure of the insights (goal 14 × goal 13) links to exactly the partnerships it counts.
ALSO = "also"
ALSO_FACETS = frozenset(f for facets in FILTER_FACETS.values() for f in facets)
# Delisted partnerships leave the default search and its counts; filtering on the reporting status
# (compliance=delisted) finds them.
DELISTED = "compliance:delisted"
SORTS = ("relevance", "newest", "title")
MAX_LIMIT = 200


@dataclass
class SearchParams:
    q: str = ""
    lang: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = ""
    cursor: str | None = None
    limit: int = 20
    facets: bool = True
    parsed: ParsedQuery | None = None  # a query built by code (query.at_least_two), instead of `q`


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    facets: dict[str, dict[str, int]]
    next_cursor: str | None
    sort: str
    query: ParsedQuery


def _encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list:
    padded = cursor + "=" * (-len(cursor) % 4)
    values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    if not isinstance(values, list):
        raise ValueError(cursor)
    return values


def _bad_cursor() -> ValidationError:
    return ValidationError({"cursor": [_("This page link is invalid or has expired; start again.")]})


def search_request(params: SearchParams) -> SearchRequest:
    """Plan a search: parse the query, choose the sort, turn filters into facet tokens. Raises
    ValidationError for an unknown sort, a bad cursor or an over-long query."""
    query = params.parsed if params.parsed is not None else parse(params.q, params.lang)
    sort = params.sort or ("relevance" if not query.is_empty else "newest")
    if sort not in SORTS:
        raise ValidationError({"sort": [_("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)}]})
    if sort == "relevance" and query.is_empty:
        sort = "newest"
    filters = [
        [f"{facet}:{value}" for facet in FILTER_FACETS[name] for value in values]
        for name, values in params.filters.items()
        if values and name != ALSO
    ]
    filters += [[token] for token in params.filters.get(ALSO, [])]
    cursor = None
    if params.cursor:
        try:
            cursor = _decode(params.cursor)
        except (ValueError, UnicodeDecodeError):
            raise _bad_cursor() from None
        if not cursor or cursor[0] != sort:
            raise _bad_cursor()
    return SearchRequest(
        query=query,
        filters=filters,
        sort=sort,
        cursor=cursor,
        limit=max(1, min(params.limit, MAX_LIMIT)),
        facets=params.facets,
        exclude=[] if params.filters.get("compliance") else [DELISTED],
    )


def search(params: SearchParams) -> SearchResult:
    """Run a search. Raises ValidationError for an unknown sort, a bad cursor or an over-long query."""
    request = search_request(params)
    try:
        page = current_engine().search(request)
    except BadCursor:
        raise _bad_cursor() from None
    return SearchResult(
        ids=page.ids,
        total=page.total,
        facets=page.facets,
        next_cursor=_encode([request.sort, *page.next_cursor]) if page.next_cursor else None,
        sort=request.sort,
        query=request.query,
    )


def search_ids(params: SearchParams) -> list[int]:
    """Every partnership id a search matches (bulk export of a filtered list), in id order."""
    request = search_request(params)
    request.facets = False
    return current_engine().ids(request)


def aggregate(
    params: SearchParams, by: list[str], *, money: bool = True, partners: bool = True
) -> tuple[Bucket, dict[str, Bucket]]:
    """Partnerships matching a search, counted per value of one counted facet (or two, nested), with
    their financial commitments per currency and distinct partners: the totals and the buckets."""
    request = search_request(params)
    request.facets = False
    return current_engine().aggregate(request, Aggregation(by=by, money=money, partners=partners))
