"""Columnar aggregation for both engines: the figures of coverage, gaps and interlinkages.

Tantivy counts the values of a facet fast, but summing money per currency and estimating distinct
partners in its per-bucket sub-aggregations took most of a second over a million partnerships, and
PostgreSQL's GROUP BY over the facet arrays took seconds at 100,000 (docs/insights.md). So each process
keeps the facet tokens and the money of the visible search
documents as numpy arrays: per facet, the (row, value) pairs in row order with each row's first pair
(compressed sparse rows), and the same for money (row, currency, amount). Filters are row masks; the
figures are two compiled loops over the chosen rows (kernels.py), one counting and summing money per
bucket, one counting distinct partner organisations exactly (not estimated).

Kept true like the index (tantivy_engine.py): the columns record the outbox row (seq, token) they
reflect; before answering they re-read the documents of the partnerships changed since, or rebuild
from all documents when that row is gone (pruned, or reused after a rollback).
"""

import ctypes
import json
import os
import secrets
import threading
from array import array
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from ..models import SearchDocument, SearchOutbox
from .engines import Aggregation, Bucket, SearchRequest

Figures = tuple[Bucket, dict[str, Bucket]]  # the totals, and the buckets by value of the first facet

BATCH = 5000
JOIN_EVERY = 16  # batches' parts kept apart before they are joined
# Outbox rows kept: enough for the columns of every process to catch up from (one further behind rebuilds).
OUTBOX_KEPT = 100_000
# The largest seen-bitmap (a bit per bucket and partner organisation) counting partners uses; more
# buckets are counted in several passes.
BITMAP_BITS = 64_000_000


def outbox_record(ids: list[int] | None) -> int:
    """Record changed partnerships (None: all) in the outbox, inside the caller's transaction; returns the
    last row's seq (0 when there was nothing to record)."""
    token = secrets.token_hex(8)
    if ids is None:
        return SearchOutbox.objects.create(token=token, partnership_id=None).seq
    rows = SearchOutbox.objects.bulk_create([SearchOutbox(token=token, partnership_id=pid) for pid in ids])
    return max((row.seq for row in rows), default=0)


def outbox_head() -> tuple[int, str]:
    row = SearchOutbox.objects.order_by("-seq").values_list("seq", "token").first()
    return (row[0], row[1]) if row else (0, "")


def outbox_changes(since: tuple[int, str] | None, head: tuple[int, str]) -> set[int] | None:
    """The partnerships changed after the outbox row `since` up to `head`; None when everything must be
    rebuilt (no row to start from, it is gone, or a change says "all")."""
    seq, token = since or (0, "")
    if not seq or not SearchOutbox.objects.filter(seq=seq, token=token).exists():
        return None
    changes = set(
        SearchOutbox.objects.filter(seq__gt=seq, seq__lte=head[0]).values_list("partnership_id", flat=True)
    )
    return None if None in changes else {pid for pid in changes if pid is not None}


@dataclass
class Pairs:
    """The (row, value) pairs of one facet (or of money), in row order, with each row's first pair."""

    rows: np.ndarray
    values: np.ndarray
    names: list[str]  # value number -> value
    starts: np.ndarray  # row -> index of its first pair (one more entry than rows)

    @classmethod
    def of(cls, rows: np.ndarray, values: np.ndarray, names: list[str], size: int) -> "Pairs":
        starts = np.zeros(size + 1, np.int32)
        np.cumsum(np.bincount(rows, minlength=size), out=starts[1:])
        return cls(rows, values, names, starts)


class Columns:
    """The facets and money of the visible search documents, one row per document version."""

    def __init__(self) -> None:
        self.meta: tuple[int, str] | None = None
        self.ids = np.empty(0, np.int64)  # row -> partnership
        self.live = np.empty(0, bool)  # False once the partnership changed or went
        self.row_of = np.empty(0, np.int32)  # partnership -> its live row, or -1
        self.tokens: dict[str, int] = {}  # facet token -> number
        self.token_facet = array("i")  # token number -> facet number
        self.token_value = array("i")  # token number -> value number within its facet
        self.facet_numbers: dict[str, int] = {}
        self.names: list[list[str]] = []  # facet number -> value number -> value
        self.currencies: list[str] = []
        self.chunks: dict[int, list[tuple[np.ndarray, ...]]] = {}  # facet number -> (rows, values)
        self.money_chunks: list[tuple[np.ndarray, ...]] = []  # rows, currency, amount

    # --- keeping them true ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Bring the columns up to the outbox head, reading it and the documents in one snapshot."""
        with transaction.atomic():
            head = outbox_head()
            if head == self.meta:
                return
            changes = outbox_changes(self.meta, head)
            rebuilt = changes is None
            if rebuilt:
                self.__init__()  # type: ignore[misc]
                self._add(SearchDocument.objects.filter(visible=True).order_by("partnership_id"))
            elif changes:
                ids = np.fromiter(changes, np.int64, len(changes))
                known = ids[ids < len(self.row_of)]
                gone = self.row_of[known]
                self.live[gone[gone >= 0]] = False
                self.row_of[known] = -1
                for start in range(0, len(ids), BATCH):
                    chunk = ids[start : start + BATCH].tolist()
                    self._add(SearchDocument.objects.filter(visible=True, partnership_id__in=chunk))
            self.meta = head
        for view in ("facets", "money", "no_pairs"):
            self.__dict__.pop(view, None)
        if rebuilt:  # join the batches' parts now, and give back the memory they leave free
            self.join()
            _give_back_memory()

    def _add(self, documents) -> None:
        """Append rows for these documents, a batch at a time."""
        batch: list[tuple] = []
        for document in documents.values_list("partnership_id", "facets", "money").iterator(BATCH):
            batch.append(document)
            if len(batch) == BATCH:
                self._add_batch(batch)
                batch = []
        self._add_batch(batch)

    def _add_batch(self, documents: list[tuple]) -> None:
        if not documents:
            return
        first = len(self.ids)
        numbers, lengths = array("i"), array("i")
        money_rows, money_currency, money_amount = array("i"), array("i"), array("d")
        known, number = self.tokens.get, self._number
        for row, (_pid, facets, money) in enumerate(documents, first):
            split = facets.split()
            lengths.append(len(split))
            numbers.extend([known(token) or number(token) for token in split])
            for currency, amount in (json.loads(money) if isinstance(money, str) else money or {}).items():
                if currency not in self.currencies:
                    self.currencies.append(currency)
                money_rows.append(row)
                money_currency.append(self.currencies.index(currency))
                money_amount.append(float(amount))
        new_ids = np.array([pid for pid, _, _ in documents], np.int64)
        self.ids = np.concatenate([self.ids, new_ids])
        self.live = np.concatenate([self.live, np.ones(len(new_ids), bool)])
        if new_ids.max() >= len(self.row_of):
            grown = np.full(max(int(new_ids.max()) + 1, 2 * len(self.row_of)), -1, np.int32)
            grown[: len(self.row_of)] = self.row_of
            self.row_of = grown
        self.row_of[new_ids] = np.arange(first, len(self.ids), dtype=np.int32)
        rows = np.repeat(np.arange(first, len(self.ids), dtype=np.int32), np.frombuffer(lengths, np.int32))
        numbers_ = np.frombuffer(numbers, np.int32)
        which = np.frombuffer(self.token_facet, np.int32)[numbers_]
        values = np.frombuffer(self.token_value, np.int32)[numbers_]
        for facet in range(len(self.names)):
            chosen = which == facet
            if chosen.any():
                _add_part(self.chunks.setdefault(facet, []), (rows[chosen], values[chosen]))
        if money_rows:
            _add_part(
                self.money_chunks, tuple(np.array(a) for a in (money_rows, money_currency, money_amount))
            )

    def _number(self, token: str) -> int:
        """Number a facet token not seen before (0 is never used, so `known(token) or …` works)."""
        if not self.tokens:
            self.token_facet.append(-1)
            self.token_value.append(-1)
        facet, _, value = token.partition(":")
        if facet not in self.facet_numbers:
            self.facet_numbers[facet] = len(self.names)
            self.names.append([])
        self.token_facet.append(self.facet_numbers[facet])
        self.token_value.append(len(self.names[self.facet_numbers[facet]]))
        self.names[self.facet_numbers[facet]].append(value)
        self.tokens[token] = len(self.token_facet) - 1
        return self.tokens[token]

    # --- views ------------------------------------------------------------------------------------------

    def join(self) -> None:
        """Build the views now (they join the parts each batch added)."""
        _ = self.facets, self.money

    @cached_property
    def facets(self) -> dict[str, Pairs]:
        """Facet name -> its (row, value) pairs (the parts joined once, and kept joined)."""
        out = {}
        for facet, number in self.facet_numbers.items():
            parts = self.chunks.get(number, [])
            _join(parts)
            rows, values = parts[0] if parts else (np.empty(0, np.int32), np.empty(0, np.int32))
            out[facet] = Pairs.of(rows, values, self.names[number], len(self.ids))
        return out

    @cached_property
    def money(self) -> tuple[Pairs, np.ndarray]:
        """Money's (row, currency) pairs and the amounts aligned with them."""
        parts = self.money_chunks
        _join(parts)
        rows, currency, amount = parts[0] if parts else (np.empty(0, np.int32),) * 2 + (np.empty(0),)
        return Pairs.of(rows, currency, self.currencies, len(self.ids)), amount

    @cached_property
    def no_pairs(self) -> Pairs:
        """A facet that no row carries."""
        empty = np.empty(0, np.int32)
        return Pairs.of(empty, empty, [], len(self.ids))

    def facet(self, name: str) -> Pairs:
        return self.facets.get(name) or self.no_pairs

    # --- answering --------------------------------------------------------------------------------------

    def answer(self, request: SearchRequest, aggregation: Aggregation, only: list[int] | None) -> Figures:
        """The figures of a request, up to date: `only` holds the ids its text query matched (None: no
        query). The caller holds the lock that guards these columns."""
        self.refresh()
        return self.aggregate(self.mask(request.filters, request.exclude, only), aggregation)

    def matching(self, request: SearchRequest, only: list[int] | None) -> list[int]:
        """Every partnership id a request matches, up to date, in id order (`only` as in `answer`). The
        caller holds the lock that guards these columns."""
        self.refresh()
        return np.sort(self.ids[self.mask(request.filters, request.exclude, only)]).tolist()

    def mask(
        self, filters: list[list[str]], exclude: list[str], only: list[int] | np.ndarray | None = None
    ) -> np.ndarray:
        """The rows that match every filter group (a group: any of its facet tokens), carry none of the
        excluded tokens and, given `only` (partnership ids), are among them."""
        chosen = self.live.copy()
        if only is not None:
            rows = self._rows_of(np.asarray(only, np.int64))
            among = np.zeros(len(self.ids), bool)
            among[rows[rows >= 0]] = True
            chosen &= among
        for group in filters:
            chosen &= self._carrying(group)
        if exclude:
            chosen &= ~self._carrying(exclude)
        return chosen

    def chosen_among(self, chosen: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """For each of these partnership ids, whether its row is among the chosen (False for an id the
        columns do not hold)."""
        rows = self._rows_of(ids)
        among = rows >= 0
        among[among] = chosen[rows[among]]
        return among

    def _rows_of(self, ids: np.ndarray) -> np.ndarray:
        """The live row of each of these partnership ids, or -1."""
        rows = np.full(len(ids), -1, np.int32)
        known = ids < len(self.row_of)
        rows[known] = self.row_of[ids[known]]
        return rows

    def counts(self, chosen: np.ndarray, facets: Iterable[str]) -> dict[str, dict[str, int]]:
        """The chosen rows counted per value of each of these facets ({"goal": {"14": 3}, …}; values no
        chosen row carries are left out)."""
        out = {}
        for name in facets:
            pairs = self.facets.get(name)
            if pairs is None:
                continue
            counted = np.bincount(pairs.values[chosen[pairs.rows]], minlength=len(pairs.names))
            if values := np.flatnonzero(counted).tolist():
                out[name] = {pairs.names[value]: int(counted[value]) for value in values}
        return out

    def _carrying(self, tokens: list[str]) -> np.ndarray:
        carrying = np.zeros(len(self.ids), bool)
        for token in tokens:
            number = self.tokens.get(token)
            if number is not None:
                pairs = self.facet(token.partition(":")[0])
                carrying[pairs.rows[pairs.values == self.token_value[number]]] = True
        return carrying

    def aggregate(self, chosen: np.ndarray, aggregation: Aggregation) -> Figures:
        """The chosen rows' totals and buckets (see engines.Aggregation), with exact distinct partners. The
        counts and money, and the partners, are two loops (kernels.py) that run at once on the two cores."""
        kernels = _kernels()
        first = self.facet(aggregation.by[0])
        second = self.facet(aggregation.by[1]) if len(aggregation.by) > 1 else self.no_pairs  # none: no cells
        width1, width2 = len(first.names), len(second.names)
        by = (first.starts, first.values, width1, second.starts, second.values, width2)
        money, amounts = self.money
        money_starts = money.starts if aggregation.money else self.no_pairs.starts

        def sums() -> tuple:
            return kernels.count_and_sum(chosen, *by, money_starts, money.values, amounts, len(money.names))

        def partners() -> tuple:
            orgs = self.facet("org")
            step = max(1, BITMAP_BITS // ((1 + width2) * max(1, len(orgs.names))))  # first values per pass
            total, partners1, partners2 = 0, np.zeros(width1, np.int64), np.zeros(width1 * width2, np.int64)
            for low in range(0, max(1, width1), step):
                total, some1, some2 = kernels.distinct_partners(
                    chosen, orgs.starts, orgs.values, len(orgs.names), *by, low, min(width1, low + step)
                )
                partners1 += some1
                partners2 += some2
            return total, partners1.tolist(), partners2.tolist()

        jobs = [sums, partners] if aggregation.partners else [sums]
        results = list(_pool().map(lambda job: job(), jobs))  # numba lets go of the GIL: both cores work
        total_money, count1, money1, count2, money2 = results[0]
        counted = results[1] if aggregation.partners else (None, [None] * width1, [None] * len(count2))
        show = aggregation.money and bool(money.names)

        def bucket(count: int, sums: np.ndarray, partners: int | None) -> Bucket:
            return Bucket(count=count, money=_money(money.names, sums.tolist()) if show else {},
                          partners=partners)  # fmt: skip

        total = bucket(int(chosen.sum()), total_money, counted[0])
        buckets = {}
        for number, count in enumerate(count1.tolist()):
            if count:
                buckets[first.names[number]] = bucket(count, money1[number], counted[1][number])
        for cell in np.flatnonzero(count2).tolist():
            outer = buckets[first.names[cell // width2]]
            outer.sub[second.names[cell % width2]] = bucket(int(count2[cell]), money2[cell], counted[2][cell])
        return total, buckets


# The columns of this process, for an engine that has no other place for them (PostgreSQL's is made anew
# for every request); the Tantivy engine keeps its own next to its index.
PROCESS_COLUMNS = Columns()
PROCESS_LOCK = threading.Lock()


def warm_process_columns() -> None:
    """Bring this process's columns up to date (PostgreSQL; the Tantivy engine keeps its own)."""
    if connection.vendor != "postgresql":
        return
    try:
        with PROCESS_LOCK:
            PROCESS_COLUMNS.refresh()
    finally:
        connection.close()  # this thread's own connection


def _add_part(parts: list[tuple[np.ndarray, ...]], part: tuple[np.ndarray, ...]) -> None:
    """Add a batch's arrays to a column's parts, joining them every JOIN_EVERY batches: the small parts'
    memory is then reused by the next batches instead of piling up until the end (at a million
    documents that pile, and the arrays joined from it, took the process to 500 MB for 221 MB of
    columns)."""
    parts.append(part)
    if len(parts) == JOIN_EVERY:
        _join(parts)


def _join(parts: list[tuple[np.ndarray, ...]]) -> None:
    if len(parts) > 1:
        parts[:] = [tuple(np.concatenate([part[n] for part in parts]) for n in range(len(parts[0])))]


def _give_back_memory() -> None:
    """Return the freed heap to the system (glibc keeps it otherwise: without this, and with the parts
    joined only at the end, a rebuild of a million documents left the process at 500 MB, not 330)."""
    with suppress(AttributeError, OSError):  # AttributeError: not glibc
        ctypes.CDLL(None).malloc_trim(0)


@lru_cache(maxsize=1)
def _kernels():
    """The compiled loops, loaded at the first figure asked for (kernels.py says why)."""
    os.environ.setdefault("NUMBA_CACHE_DIR", str(settings.NUMBA_CACHE_DIR))  # read when numba loads
    from . import kernels

    return kernels


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="columns")


def _money(currencies: list[str], sums: list) -> dict[str, float]:
    return dict(
        sorted((currency, amount) for currency, amount in zip(currencies, sums, strict=True) if amount)
    )
