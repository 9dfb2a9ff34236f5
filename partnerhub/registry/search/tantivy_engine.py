"""The embedded search engine: a Tantivy index (BM25 with block-max WAND, columnar facet counts) in the
var directory, mirroring the visible rows of registry_searchdocument.

Kept true by a transactional outbox. Every search-document write adds SearchOutbox rows in the same
database transaction; the index stores, in a metadata document committed atomically with its changes,
the (seq, token) of the last outbox row it has applied. Before answering, a search compares that with
the outbox head (one indexed read) and, if behind, applies the missing changes under a file lock (after a
write this has usually been done already by the writer's on-commit hook). If the index's last row is no
longer in the outbox (a rolled-back transaction reused its seq, a restored database, a new index
directory) the index is rebuilt from the documents. So a search never answers from a stale index.
"""

import fcntl
import logging
import shutil
import threading
from collections.abc import Callable
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import tantivy
from django.db import transaction

from ..models import SearchDocument, SearchOutbox
from .columns import OUTBOX_KEPT, Columns, outbox_changes, outbox_head, outbox_record
from .engines import FACETS_COUNTED, Aggregation, BadCursor, Bucket, Page, SearchRequest, facet_counts, is_int
from .query import ParsedQuery, Phrase, phrase_options

log = logging.getLogger(__name__)

VERSION = 4  # of the index layout and analysis; an index of another version is rebuilt from the documents
FIELD_BOOSTS = (("title", 10.0), ("orgs", 4.0), ("body", 1.0))
# Relevance and title pages re-read this many rows before the cursor, so rows removed meanwhile
# cannot make the next page skip any.
MARGIN = 50
BATCH = 5000
Occur = tantivy.Occur
Q = tantivy.Query


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("kind", tokenizer_name="raw", index_option="basic")  # "p" partnership, "meta"
    for name, _boost in FIELD_BOOSTS:  # terms are analysed in Python (analysis.py)
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("facet", fast=True, tokenizer_name="raw", index_option="basic")  # counted facets
    sb.add_text_field("filter", tokenizer_name="raw", index_option="basic")  # organisation, level
    sb.add_integer_field("newest", indexed=True, fast=True)  # published second << 31 | id
    sb.add_text_field("title_key", fast=True, tokenizer_name="raw", index_option="basic")  # title \x1f id
    sb.add_integer_field("title_prefix", indexed=True, fast=True)  # first 7 bytes of title_key
    sb.add_integer_field("seq", stored=True)
    sb.add_text_field("token", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("version", stored=True)
    sb.add_tie_breaker_field("tie")  # equal scores keep one order across segment merges
    return sb.build()


def newest_key(published_at, pid: int) -> int:
    return (int(published_at.timestamp()) << 31) | pid


def title_key(sort_title: str, pid: int) -> str:
    return f"{sort_title}\x1f{pid:010d}"


def title_prefix(key: str) -> int:
    return int.from_bytes(key.encode()[:7].ljust(7, b"\0"), "big")


def facet_field(token: str) -> str:
    """The field a facet token is indexed in: counted facets are columnar, the others only filter."""
    return "facet" if token.partition(":")[0] in FACETS_COUNTED else "filter"


def document_fields(pid, title, orgs, body, facets, published_at, sort_title) -> dict:
    """The Tantivy document of a visible search-document row."""
    tokens = facets.split()
    key = title_key(sort_title, pid)
    return {
        "id": pid, "kind": "p", "title": title, "orgs": orgs, "body": body,
        "facet": [t for t in tokens if facet_field(t) == "facet"],
        "filter": [t for t in tokens if facet_field(t) == "filter"],
        "newest": newest_key(published_at, pid), "title_key": key, "title_prefix": title_prefix(key),
    }  # fmt: skip


DOCUMENT_COLUMNS = (
    "partnership_id",
    "title",
    "orgs",
    "body",
    "facets",
    "published_at",
    "sort_title",
)


class TantivyEngine:
    name = "tantivy"
    _instances: dict[str, "TantivyEngine"] = {}
    _instances_lock = threading.Lock()

    @classmethod
    def at(cls, path) -> "TantivyEngine":
        """One engine per index directory and process."""
        key = str(path)
        with cls._instances_lock:
            if key not in cls._instances:
                cls._instances[key] = cls(Path(path))
            return cls._instances[key]

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.RLock()
        self._index: tantivy.Index | None = None
        self._searcher: tantivy.Searcher | None = None
        self._meta: tuple[int, str] = (0, "")
        self._all_facets: tuple[tuple, dict] | None = None  # counts of the unfiltered registry, per exclusion
        self.columns = Columns()  # for aggregations

    @cached_property
    def schema(self) -> tantivy.Schema:
        return build_schema()

    # --- keeping the index true -------------------------------------------------------------------------

    def changed(self, ids: list[int] | None, *, catch_up: bool = True) -> None:
        """Record changed partnerships (None: all) in the outbox, inside the caller's transaction, and
        (unless the caller will do it itself, `catch_up=False`) update the index once it commits."""
        outbox_record(ids)
        # Rows the index has applied go, but for the last OUTBOX_KEPT: the last stays as the proof that the
        # index is current, and the aggregation columns of other processes catch up from the rest. Only if
        # that proof holds: an index that applied a write later rolled back must not prune new rows.
        seq, token = self._meta
        if seq and SearchOutbox.objects.filter(seq=seq, token=token).exists():
            SearchOutbox.objects.filter(seq__lte=seq - OUTBOX_KEPT).delete()
        if catch_up:
            transaction.on_commit(self.sync, robust=True)

    @contextmanager
    def _file_lock(self):
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / "sync.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _open(self) -> None:
        """Open (or create) the index; an unreadable or older layout is started afresh and rebuilt."""
        if self._index is None:
            with self._file_lock():
                index = None
                if tantivy.Index.exists(str(self.path)):
                    try:
                        index = tantivy.Index.open(str(self.path))
                        # Another schema, or the same fields analysed another way (VERSION): start afresh.
                        if index.schema != self.schema or self._read_meta(index.searcher())[2] != VERSION:
                            index = None
                    except (ValueError, OSError):
                        index = None
                    if index is None:
                        log.warning("search index at %s has another layout; rebuilding", self.path)
                        for child in self.path.iterdir():
                            if child.name != "sync.lock":
                                shutil.rmtree(child) if child.is_dir() else child.unlink()
                if index is None:
                    index = tantivy.Index(self.schema, path=str(self.path))
                index.config_reader(reload_policy="manual")
                self._index = index
        self._reload()

    def _reload(self) -> None:
        assert self._index is not None
        self._index.reload()
        self._searcher = self._index.searcher()
        seq, token, _version = self._read_meta(self._searcher)
        self._meta = (seq, token)

    def _read_meta(self, searcher: tantivy.Searcher) -> tuple[int, str, int]:
        hits = searcher.search(Q.term_query(self.schema, "kind", "meta"), 1, count=False).hits
        if not hits:
            return 0, "", VERSION
        doc = searcher.doc(hits[0][1])
        return doc["seq"][0], doc["token"][0], doc["version"][0]

    def sync(self, progress: Callable[[int], None] | None = None) -> None:
        """Bring the index up to the outbox head (what every search does first). `progress` hears of each
        batch of documents added."""
        with self.lock:
            if self._index is None:
                self._open()
            head = outbox_head()
            if self._meta == head:
                return
            self._reload()
            if self._meta == head:
                return
            with self._file_lock():
                self._reload()  # another process may have applied it while we waited
                head = outbox_head()
                if self._meta != head:
                    self._apply(head, progress)
                    self._reload()

    def _apply(self, head: tuple[int, str], progress: Callable[[int], None] | None) -> None:
        if head == (0, "") and self._meta[0] == 0:
            return
        changes = outbox_changes(self._meta, head)
        rebuild = changes is None
        assert self._index is not None
        writer = self._index.writer(
            heap_size=200_000_000 if rebuild else 30_000_000, num_threads=2 if rebuild else 1
        )
        if rebuild:
            log.info("rebuilding the search index at %s", self.path)
            writer.delete_all_documents()
            documents = SearchDocument.objects.filter(visible=True).order_by("pk")
        else:
            ids = changes or set()
            for pid in ids:
                writer.delete_documents_by_term("id", pid)
            documents = SearchDocument.objects.filter(visible=True, pk__in=ids)
        for n, row in enumerate(documents.values_list(*DOCUMENT_COLUMNS).iterator(chunk_size=BATCH), 1):
            writer.add_document(tantivy.Document(**document_fields(*row)))
            if progress and n % BATCH == 0:
                progress(BATCH)
        self._write_meta(writer, head)
        writer.commit()
        if rebuild or self._searcher is None or self._searcher.num_segments > 8:
            writer.wait_merging_threads()

    def _write_meta(self, writer: tantivy.IndexWriter, head: tuple[int, str]) -> None:
        writer.delete_documents_by_term("kind", "meta")
        writer.add_document(tantivy.Document(kind="meta", seq=head[0], token=head[1], version=VERSION))

    # --- searching --------------------------------------------------------------------------------------

    def compile(
        self, query: ParsedQuery, filters: list[list[str]], exclude: list[str] | None = None
    ) -> tantivy.Query:
        """The Tantivy query of a parsed text query and facet filters (filters do not weigh in the score)."""
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for group in query.groups:
            clauses.append((Occur.Must, self._any([self._phrase(p) for p in group])))
        for phrase in query.excluded if clauses else []:
            clauses.append((Occur.MustNot, self._phrase(phrase)))
        if not clauses:
            clauses.append((Occur.Must, Q.const_score_query(Q.term_query(self.schema, "kind", "p"), 0.0)))
        for tokens in filters:
            terms = [Q.term_query(self.schema, facet_field(t), t) for t in tokens]
            clauses.append((Occur.Must, Q.const_score_query(self._any(terms), 0.0)))
        for token in exclude or ():
            clauses.append((Occur.MustNot, Q.term_query(self.schema, facet_field(token), token)))
        return Q.boolean_query(clauses)

    @staticmethod
    def _any(queries: list[tantivy.Query]) -> tantivy.Query:
        return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Should, q) for q in queries])

    def _phrase(self, phrase: Phrase) -> tantivy.Query:
        """A word or phrase in any field, the fields weighted (title 10, organisations 4, body 1)."""
        per_field = []
        for field, boost in FIELD_BOOSTS:
            if len(phrase.positions) == 1:
                options = [Q.term_query(self.schema, field, term) for term in phrase.positions[0]]
            else:
                options = [
                    Q.phrase_query(self.schema, field, list(terms)) for terms in phrase_options(phrase)
                ]
            query = self._any(options)
            per_field.append((Occur.Should, Q.boost_query(query, boost) if boost != 1.0 else query))
        return Q.boolean_query(per_field)

    def searcher(self) -> tantivy.Searcher:
        self.sync()
        assert self._searcher is not None
        return self._searcher

    def search(self, request: SearchRequest) -> Page:
        searcher = self.searcher()
        meta = self._meta
        query = self.compile(request.query, request.filters, request.exclude)
        limit, cursor = request.limit, request.cursor
        if request.sort == "newest":
            ids, total, next_cursor = self._newest(searcher, query, limit, cursor)
        elif request.sort == "title":
            ids, total, next_cursor = self._title(searcher, query, limit, cursor)
        else:
            ids, total, next_cursor = self._relevance(searcher, query, limit, cursor)
        facets: dict[str, dict[str, int]] = {}
        if request.facets:
            everything = request.query.is_empty and not request.filters
            if everything and self._all_facets and self._all_facets[0] == (meta, request.exclude):
                facets = self._all_facets[1]
            else:
                facets = self.count_facets(searcher, query)
                if everything:
                    self._all_facets = ((meta, request.exclude), facets)
        return Page(ids=ids, total=total, facets=facets, next_cursor=next_cursor)

    def aggregate(self, request: SearchRequest, aggregation: Aggregation) -> tuple[Bucket, dict[str, Bucket]]:
        """The matched set's totals and its buckets (see Aggregation), from the columns (columns.py); a
        text query's matches come from the index."""
        only = self._text_matches(request)
        with self.lock:
            return self.columns.answer(request, aggregation, only)

    def ids(self, request: SearchRequest) -> list[int]:
        """Every partnership id a request matches, in id order: one search for all of them (the columns
        would first have to be read in a command's fresh process)."""
        return sorted(self._all_ids(self.compile(request.query, request.filters, request.exclude)))

    def _text_matches(self, request: SearchRequest) -> list[int] | None:
        """The ids of the documents the text query matches (None: no text query)."""
        return None if request.query.is_empty else self._all_ids(self.compile(request.query, []))

    def _all_ids(self, query: tantivy.Query) -> list[int]:
        """The ids of every document a query matches, unranked."""
        searcher = self.searcher()
        return self._ids(searcher, searcher.search(query, max(1, searcher.num_docs), count=False).hits)

    @staticmethod
    def facet_aggregation() -> dict:
        return {"facets": {"terms": {"field": "facet", "size": 5000}}}

    def count_facets(self, searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, dict[str, int]]:
        buckets = searcher.aggregate(query, self.facet_aggregation())["facets"]["buckets"]
        return facet_counts((b["key"], b["doc_count"]) for b in buckets)

    @staticmethod
    def _ids(searcher: tantivy.Searcher, hits) -> list[int]:
        values = searcher.fast_field_values("id", [address for _key, address in hits])
        return [int(v) for v in values if v is not None]

    def _newest(self, searcher, query, limit, cursor):
        """Newest first; the cursor is the last row's key, so the next page is a range query."""
        total = None
        if cursor:
            if len(cursor) != 2 or not is_int(cursor[1]):
                raise BadCursor
            total = searcher.search(query, 1, count=True).count
            below = Q.range_query(self.schema, "newest", tantivy.FieldType.Integer, upper_bound=cursor[1],
                                  include_upper=False)  # fmt: skip
            query = Q.boolean_query([(Occur.Must, query), (Occur.Must, Q.const_score_query(below, 0.0))])
        result = searcher.search(query, limit + 1, count=total is None, order_by_field="newest")
        hits = result.hits
        ids = self._ids(searcher, hits[:limit])
        next_cursor = [int(hits[limit - 1][0])] if len(hits) > limit else None
        return ids, result.count if total is None else total, next_cursor

    def _relevance(self, searcher, query, limit, cursor):
        """Best first. The cursor holds the position and id of the last row; the next page re-reads a
        margin before it and continues after that id, so removals meanwhile cannot skip rows."""
        position, last_id = 0, None
        if cursor:
            if len(cursor) != 3 or not all(is_int(v) and v >= 0 for v in cursor[1:]):
                raise BadCursor
            position, last_id = cursor[1], cursor[2]
        start = max(0, position - MARGIN)
        result = searcher.search(query, limit + 1 + (position - start), count=True, offset=start)
        ids = self._ids(searcher, result.hits)
        skip = ids.index(last_id) + 1 if last_id in ids else position - start
        page = ids[skip:]
        next_position = start + skip + limit
        next_cursor = [next_position, page[limit - 1]] if len(page) > limit else None
        return page[:limit], result.count, next_cursor

    def _title(self, searcher, query, limit, cursor):
        """By title. Tantivy cannot range-filter text, so the cursor holds the last title key and how many
        rows share its first bytes (an integer range then skips all earlier titles)."""
        last_key, skip = None, 0
        total = None
        if cursor:
            if len(cursor) != 3 or not isinstance(cursor[1], str) or not is_int(cursor[2]):
                raise BadCursor
            last_key, skip = cursor[1], cursor[2]
            total = searcher.search(query, 1, count=True).count
            at_least = Q.range_query(self.schema, "title_prefix", tantivy.FieldType.Integer,
                                     lower_bound=title_prefix(last_key))  # fmt: skip
            query = Q.boolean_query([(Occur.Must, query), (Occur.Must, Q.const_score_query(at_least, 0.0))])
        start = max(0, skip - MARGIN)
        while True:
            result = searcher.search(query, limit + 1 + (skip - start) + MARGIN, count=total is None,
                                     offset=start, order_by_field="title_key", order=tantivy.Order.Asc)  # fmt: skip
            hits = result.hits
            if last_key is None or start == 0 or (hits and hits[0][0] <= last_key):
                break
            start = 0  # more rows than the margin went away: read the prefix group from its start
        if total is None:
            total = result.count
        if last_key is not None:
            hits = [hit for hit in hits if hit[0] > last_key]
        page = hits[: limit + 1]
        ids = self._ids(searcher, page[:limit])
        next_cursor = None
        if len(page) > limit:
            key = page[limit - 1][0]
            prefix = title_prefix(key)
            same = sum(1 for hit in page[:limit] if title_prefix(hit[0]) == prefix)
            if last_key is not None and title_prefix(last_key) == prefix:
                same += skip  # the group began on an earlier page
            next_cursor = [key, same]
        return ids, total, next_cursor
