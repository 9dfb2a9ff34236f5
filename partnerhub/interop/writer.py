"""Writing the new partnerships of an import in bulk, inside the import's transaction.

Rows go to the tables through `core.bulk.Inserter` (executemany, no per-row ORM save), each with its
change-history row (reason: the import). The search document of each partnership is built by the
registry's own indexer (`search.index.document`) from the in-memory objects, so it is exactly what a
reindex would write. Building documents is two fifths of the work, so a large import builds them in a
second process while this one writes the other tables (`_ForkedDocuments`). Existing partnerships an
import changes go through the registry service instead (services.py), one by one.
"""

import gc
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache, partial

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet
from django.db.models.sql import Query
from django.utils import timezone

from partnerhub.core.bulk import (
    Inserter,
    analyze,
    drop_indexes,
    reserve_ids,
    rollback_journal,
    take_write_lock,
)
from partnerhub.registry.models import (
    Commitment,
    Deliverable,
    Organisation,
    Partner,
    Partnership,
    SearchDocument,
)
from partnerhub.registry.search.engines import current_engine
from partnerhub.registry.search.index import document
from partnerhub.registry.signals import loaded_in_bulk

from .records import Record

BATCH = 2000
# An import at least this large builds its search documents in a second process (where there is a second
# processor): starting it takes some milliseconds, so small imports build them here.
PARALLEL = 5_000
# An import at least this large (and at least as large as the registry) rebuilds the SQLite indexes of the
# tables it loads once at the end instead of updating them row by row.
LARGE = 20_000


def _history(model) -> Inserter:
    historical = model.history.model
    tracked = [f.attname for f in model._meta.concrete_fields]
    return Inserter(
        historical,
        tracked,
        extra=("history_date", "history_change_reason", "history_type", "history_user_id"),
    )


@cache
def _empty_query(model) -> Query:
    return model.objects.none().query


def _cached(model, items: list) -> QuerySet:
    """A queryset that answers from `items`, as a prefetch leaves it (the indexer reads relations so). Its
    query, never run, is one shared empty query per model (building one per row cost a tenth of the
    import)."""
    queryset: QuerySet = QuerySet(model=model, query=_empty_query(model))
    queryset._result_cache = items
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def create(
    records: list[Record],
    organisations: list[Organisation],
    *,
    user: User | None,
    publish: bool,
    reason: str,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert these organisations and partnerships (with partners, commitments, deliverables, search
    documents and history) in the current transaction; returns the new partnership ids."""
    if not records and not organisations:
        return []
    now = timezone.now()
    user_id = user.pk if user else None
    take_write_lock()
    large = len(records) >= LARGE and len(records) >= Partnership.objects.count()
    sqlite = connection.vendor == "sqlite"
    with rollback_journal() if large else nullcontext(), connection.cursor() as cursor:
        tables = _tables()
        indexes = drop_indexes(cursor, tables) if large and sqlite else []
        orgs, org_history = Inserter(Organisation), _history(Organisation)
        for org in organisations:
            org.created_at = org.updated_at = now
            org.created_by_id = user_id
            orgs.add(org)
            org_history.add(org, now, reason, "+", user_id)
        orgs.flush(cursor)
        org_history.flush(cursor)

        ids = reserve_ids(Partnership, len(records))
        keys = _Keys(
            ids,
            reserve_ids(Partner, sum(len(r.data.partners or []) for r in records)),
            reserve_ids(Commitment, sum(len(r.data.commitments or []) for r in records)),
            reserve_ids(Deliverable, sum(len(r.data.deliverables or []) for r in records)),
        )
        status = Partnership.Status.PUBLISHED if publish else Partnership.Status.DRAFT
        build = partial(_Built.of, status=status, now=now, user_id=user_id)
        writers = {
            "p": Inserter(Partnership), "p_h": _history(Partnership),
            "partner": Inserter(Partner), "partner_h": _history(Partner),
            "commitment": Inserter(Commitment), "commitment_h": _history(Commitment),
            "deliverable": Inserter(Deliverable), "deliverable_h": _history(Deliverable),
            **{name: Inserter(getattr(Partnership, name).through, ["partnership", _target(name)])
               for name in ("goals", "targets", "indicators", "areas")},
            "focal": Inserter(Partnership.focal_points.through, ["partnership", "user"]),
        }  # fmt: skip
        history = (now, reason, "+", user_id)
        with _documents(records, keys, build) as documents:
            for n, built in enumerate(map(build, records, keys.each()), start=1):
                p, data = built.partnership, built.record.data
                writers["p"].add(p)
                writers["p_h"].add(p, *history)
                for name in ("goals", "targets", "indicators", "areas"):
                    for item in getattr(data, name):
                        writers[name].add_values(p.pk, item.pk)
                if user_id:
                    writers["focal"].add_values(p.pk, user_id)
                for name, rows in (("partner", built.partners), ("commitment", built.commitments),
                                   ("deliverable", built.deliverables)):  # fmt: skip
                    for row in rows:
                        writers[name].add(row)
                        writers[f"{name}_h"].add(row, *history)
                documents.add(built)
                if _batch_ends(n, len(records)):
                    for item in writers.values():
                        item.flush(cursor)
                    documents.flush(cursor)
                    if progress:
                        progress(n)
        published_ids = list(ids) if publish else []
        for statement in indexes:
            cursor.execute(statement)
        if large:
            analyze(cursor, tables)
    loaded_in_bulk.send(
        Partnership, organisation_ids=[o.pk for o in organisations], published_ids=published_ids
    )
    engine = current_engine()
    engine.changed(None if large else ids, catch_up=not large)
    return ids


@dataclass
class _Keys:
    """The primary keys reserved for an import's new rows, handed out in the order of its records."""

    partnerships: list[int]
    partners: list[int]
    commitments: list[int]
    deliverables: list[int]

    def each(self) -> Iterator[tuple[int, Iterator[int], Iterator[int], Iterator[int]]]:
        """Per record: its partnership id and the iterators its partners, commitments and deliverables
        take their ids from (anew at each call, so two passes over the records give the same ids)."""
        partners, commitments, deliverables = map(iter, (self.partners, self.commitments, self.deliverables))
        for pk in self.partnerships:
            yield pk, partners, commitments, deliverables


@dataclass
class _Built:
    """The objects of one new partnership."""

    record: Record
    partnership: Partnership
    partners: list[Partner]
    commitments: list[Commitment]
    deliverables: list[Deliverable]

    @classmethod
    def of(cls, record: Record, keys: tuple, *, status: str, now, user_id: int | None) -> "_Built":
        pid, partner_ids, commitment_ids, deliverable_ids = keys
        data = record.data
        p = _partnership(record, pid, status=status, now=now, user_id=user_id)
        partners = [Partner(id=next(partner_ids), partnership_id=pid, organisation=item.organisation,
                            role=item.role, objectives=item.objectives)
                    for item in data.partners or []]  # fmt: skip
        by_org = {partner.organisation_id: partner for partner in partners}
        commitments = [
            Commitment(
                id=next(commitment_ids), partnership_id=pid, partner=by_org[c.organisation.pk], kind=c.kind,
                in_kind_type=c.in_kind_type, amount=c.amount, currency=c.currency, description=c.description,
                status=c.status, created_at=now, updated_at=now,
            )
            for c in data.commitments or []
        ]  # fmt: skip
        deliverables = [Deliverable(id=next(deliverable_ids), partnership_id=pid, title=d.title,
                                    due_date=d.due_date, status=d.status, evidence=d.evidence,
                                    created_at=now, updated_at=now)
                        for d in data.deliverables or []]  # fmt: skip
        return cls(record, p, partners, commitments, deliverables)

    def indexable(self) -> Partnership:
        """The partnership with its relations in place for the indexer."""
        p, data = self.partnership, self.record.data
        p._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "goals": _cached(type(p).goals.rel.model, data.goals),
            "targets": _cached(type(p).targets.rel.model, data.targets),
            "indicators": _cached(type(p).indicators.rel.model, data.indicators),
            "areas": _cached(type(p).areas.rel.model, data.areas),
            "partners": _cached(Partner, self.partners),
            "commitments": _cached(Commitment, self.commitments),
            "deliverables": _cached(Deliverable, self.deliverables),
            "baseline_values": [],
        }
        p._state.fields_cache["compliance"] = None
        return p


class _Documents:
    """The search documents of an import, built here from the objects it writes."""

    def __init__(self) -> None:
        self.rows = Inserter(SearchDocument)

    def add(self, built: _Built) -> None:
        self.rows.add(document(built.indexable()))

    def flush(self, cursor) -> None:
        self.rows.flush(cursor)


class _ForkedDocuments(_Documents):
    """The search documents of an import, built in a forked child process from the same records and keys
    (shared copy-on-write, not pickled) and received batch by batch as rows to insert, while this process writes the
    other tables. The child runs no query (one would raise) and holds no lock."""

    def __init__(self, records: list[Record], keys: _Keys, build: Callable[..., _Built]) -> None:
        super().__init__()
        context = multiprocessing.get_context("fork")
        self.inbox, outbox = context.Pipe(duplex=False)
        gc.freeze()  # the collector would otherwise touch, and so copy, every object the child shares
        try:
            self.child = context.Process(
                target=_send_documents, args=(records, keys, build, outbox), daemon=True
            )
            self.child.start()
        finally:
            gc.unfreeze()
        outbox.close()

    def add(self, built: _Built) -> None:
        pass  # the child builds it

    def flush(self, cursor) -> None:
        try:
            rows = self.inbox.recv()
        except EOFError:
            raise RuntimeError("The process building the search documents stopped.") from None
        if isinstance(rows, str):
            raise RuntimeError(f"Building the search documents failed:\n{rows}")
        self.rows.rows = rows
        super().flush(cursor)

    def close(self) -> None:
        self.inbox.close()
        if self.child.is_alive():
            self.child.terminate()
        self.child.join()


def _send_documents(records: list[Record], keys: _Keys, build: Callable[..., _Built], outbox) -> None:
    """In the child: the document rows of every batch of BATCH records, sent as the parent flushes them."""
    try:
        with connection.execute_wrapper(_refuse_query):
            documents = _Documents()
            for n, built in enumerate(map(build, records, keys.each()), start=1):
                documents.add(built)
                if _batch_ends(n, len(records)):
                    outbox.send(documents.rows.rows)
                    documents.rows.rows = []
    except BaseException:
        outbox.send(traceback.format_exc())
    finally:
        outbox.close()


def _batch_ends(n: int, total: int) -> bool:
    """Whether the n-th record (from 1) ends a batch: the parent and the child must agree."""
    return n % BATCH == 0 or n == total


def _refuse_query(execute, sql, params, many, context):
    raise RuntimeError(f"No query may run while building search documents in a child process: {sql}")


@contextmanager
def _documents(records: list[Record], keys: _Keys, build: Callable[..., _Built]) -> Iterator[_Documents]:
    if len(records) < PARALLEL or sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        yield _Documents()
        return
    documents = _ForkedDocuments(records, keys, build)
    try:
        yield documents
    finally:
        documents.close()


def _target(name: str) -> str:
    return {"goals": "goal", "targets": "target", "indicators": "indicator", "areas": "area"}[name]


def _tables() -> list[str]:
    models = [Partnership, Partner, Commitment, Deliverable, SearchDocument, Organisation]
    tables = [m._meta.db_table for m in models] + [
        m.history.model._meta.db_table for m in models if hasattr(m, "history")
    ]
    tables += [
        getattr(Partnership, n).through._meta.db_table for n in ("goals", "targets", "indicators", "areas")
    ]
    return tables


def _partnership(record: Record, pid: int, *, status: str, now, user_id: int | None) -> Partnership:
    data = record.data
    return Partnership(
        id=pid, title=data.title, summary=data.summary, challenge=data.challenge, objectives=data.objectives,
        baseline=data.baseline, scope_in=data.scope_in, scope_out=data.scope_out,
        primary_goal=data.primary_goal, geographic_level=data.geographic_level, category=data.category,
        start_date=data.start_date, end_date=data.end_date, language=data.language, stage=record.stage,
        status=status, website=data.website, external_id=record.external_id, featured=False,
        published_at=now if status == Partnership.Status.PUBLISHED else None, created_by_id=user_id,
        created_at=now, updated_at=record.updated_at or now, version=1,
    )  # fmt: skip
