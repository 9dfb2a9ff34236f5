"""Writing the new partnerships of an import in bulk, inside the import's transaction.

A `Load` writes one import's new organisations and partnerships, with their partners, commitments,
deliverables, links, search documents and change history (reason: the import). Rows go to the tables
through `core.bulk.Inserter` (many rows a statement, no per-row ORM save), and the history rows are copied
by the database from the rows just written. The search document of each partnership is built by the
registry's own indexer (`search.index.document`) from the in-memory objects, so it is exactly what a
reindex would write.

A large import's new records are checked and built by helper processes (parallel.py), each with
`batches` over its share and keys the load reserved for it (`Load.reserve`); this process writes what they
send (`Load.write`). A smaller import builds its rows here, batch by batch as it writes them. Existing
partnerships an import changes go through the registry service instead (services.py), one by one.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from functools import partial
from itertools import chain
from operator import attrgetter

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from partnerhub.core.bulk import (
    Inserter,
    Instances,
    analyze,
    drop_indexes,
    history_copy,
    rebuild_indexes,
    reserve_ids,
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
# An import at least this large (and at least as large as the registry) loads with a rollback journal
# (services.py) and rebuilds the SQLite indexes of the tables it loads once at the end instead of updating
# them row by row.
LARGE = 20_000
LINKS = ("goals", "targets", "indicators", "areas")
# Each link's key read from the field itself (`.pk` looks the field up each time: 5 µs a row).
LINK_KEYS = [(name, attrgetter(getattr(Partnership, name).rel.model._meta.pk.attname)) for name in LINKS]

Batch = dict[str, list]  # table -> the values of its rows (`Inserter.values`), and "ids": the partnership ids


@dataclass
class Keys:
    """The primary keys reserved for a share of an import's new rows, handed out in the order of its
    records."""

    partnerships: list[int]
    partners: list[int]
    commitments: list[int]
    deliverables: list[int]

    def each(self) -> Iterator[tuple[int, Iterator[int], Iterator[int], Iterator[int]]]:
        """Per record: its partnership id and the iterators its partners, commitments and deliverables
        take their ids from."""
        partners, commitments, deliverables = map(iter, (self.partners, self.commitments, self.deliverables))
        for pk in self.partnerships:
            yield pk, partners, commitments, deliverables


KEYED = (Partnership, Partner, Commitment, Deliverable)  # the models of the fields of Keys, in order
HISTORY = {model._meta.model_name: model for model in KEYED}  # the tables whose rows get a history row


@dataclass
class Counts:
    """How many rows of each kind a share of records makes (for reserving their keys)."""

    partnerships: int = 0
    partners: int = 0
    commitments: int = 0
    deliverables: int = 0

    @classmethod
    def of(cls, records: list[Record]) -> "Counts":
        return cls(
            len(records),
            sum(len(r.data.partners or []) for r in records),
            sum(len(r.data.commitments or []) for r in records),
            sum(len(r.data.deliverables or []) for r in records),
        )


def batches(records: list[Record], keys: Keys, *, status: str, now, user_id: int | None) -> Iterator[Batch]:
    """The rows of these records for every table, BATCH records at a time (in this process or in a helper
    process: building them runs no query)."""
    rows = _Rows(user_id)
    build = partial(_Built.of, status=status, now=now, user_id=user_id)
    for n, built in enumerate(map(build, records, keys.each()), start=1):
        rows.add(built)
        if n % BATCH == 0 or n == len(records):
            yield rows.take()


class Load:
    """The new organisations and partnerships of one import, written in the current transaction.

    `Load(records, …)` takes the write lock and reserves the keys of these records (the ones this process
    checked); `reserve(counts)` reserves keys for the records of a helper process (parallel.py);
    `write(…)` then builds and inserts the rows of these records batch by batch, and those of `more` as
    they arrive, with the change history, and returns the ids of every new partnership."""

    def __init__(self, records: list[Record], *, user: User | None, publish: bool, reason: str):
        self.now = timezone.now()
        self.user_id = user.pk if user else None
        # Plain text, not the enum member, in every row (records.LEAD says why).
        self.status: str = (Partnership.Status.PUBLISHED if publish else Partnership.Status.DRAFT).value
        self.reason = reason
        take_write_lock()
        self.reserved = dict.fromkeys(KEYED, 0)  # the last key of each model reserved, not inserted yet
        keys = self.reserve(Counts.of(records))
        self.built = batches(records, keys, status=self.status, now=self.now, user_id=self.user_id)

    def reserve(self, counts: Counts) -> Keys:
        """Keys for a share of records, after every key reserved before."""
        keys = Keys(*(reserve_ids(model, count, after=self.reserved[model])
                      for model, count in zip(KEYED, astuple(counts), strict=True)))  # fmt: skip
        for model, ids in zip(KEYED, (getattr(keys, f.name) for f in fields(keys)), strict=True):
            if ids:
                self.reserved[model] = ids[-1]
        return keys

    def write(
        self,
        organisations: list[Organisation],
        *,
        more: Iterable[Batch] = (),
        large: bool,
        progress: Callable[[int], None] | None = None,
    ) -> list[int]:
        """Insert the organisations, this load's rows and those of `more`;
        a `large` load into SQLite drops the secondary indexes first and builds them again at the end."""
        ids: list[int] = []
        sqlite = connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            tables = _tables()
            indexes = drop_indexes(cursor, tables) if large and sqlite else []
            history = partial(history_copy, cursor, when=self.now, reason=self.reason, user_id=self.user_id)
            inserters = _inserters()
            orgs = inserters["organisation"]
            for org in organisations:
                org.created_at = org.updated_at = self.now
                org.created_by_id = self.user_id
                orgs.add(org)
            orgs.flush(cursor)
            history(Organisation, "id", [org.pk for org in organisations])
            for batch in chain(self.built, more):
                batch_ids = batch.pop("ids")
                written = {}
                for table, values in batch.items():
                    inserter = inserters[table]
                    inserter.values = values
                    if table in HISTORY:
                        written[HISTORY[table]] = inserter.keys()
                    inserter.flush(cursor)
                # Selected by their keys, not by partnership: a large load has no index on partnership_id
                # until it ends, and scanning the tables at every batch made the load quadratic.
                for model, keys in written.items():
                    history(model, "id", keys)
                ids += batch_ids
                if progress:
                    progress(len(ids))
            rebuild_indexes(cursor, indexes)
            if large:
                analyze(cursor, tables)
        published = ids if self.status == Partnership.Status.PUBLISHED else []
        loaded_in_bulk.send(
            Partnership, organisation_ids=[o.pk for o in organisations], published_ids=published
        )
        current_engine().changed(None if large else ids, catch_up=not large)
        return ids


def _inserters() -> dict[str, Inserter]:
    """The tables of a load, by the names its batches use."""
    return {
        "organisation": Inserter(Organisation), "partnership": Inserter(Partnership),
        "partner": Inserter(Partner), "commitment": Inserter(Commitment), "deliverable": Inserter(Deliverable),
        **{name: Inserter(getattr(Partnership, name).through, ["partnership", name.removesuffix("s")])
           for name in LINKS},
        "focal": Inserter(Partnership.focal_points.through, ["partnership", "user"]),
        "document": Inserter(SearchDocument),
    }  # fmt: skip


class _Rows:
    """The rows of a share of an import's new partnerships for every table, search documents included,
    taken batch by batch."""

    def __init__(self, user_id: int | None):
        self.user_id = user_id
        self.inserters = _inserters()
        self.ids: list[int] = []

    def add(self, built: "_Built") -> None:
        tables = self.inserters
        p, data = built.partnership, built.record.data
        pk = p.id  # by name: `.pk` looks the primary key's field up at every call
        self.ids.append(pk)
        tables["partnership"].add(p)
        for name, key in LINK_KEYS:
            link = tables[name]
            for item in getattr(data, name):
                link.add_values(pk, key(item))
        if self.user_id:
            tables["focal"].add_values(pk, self.user_id)
        for name, objects in (("partner", built.partners), ("commitment", built.commitments),
                              ("deliverable", built.deliverables)):  # fmt: skip
            table = tables[name]
            for obj in objects:
                table.add(obj)
        tables["document"].add(document(built.indexable()))

    def take(self) -> Batch:
        batch: Batch = {name: table.values for name, table in self.inserters.items() if table.values}
        batch["ids"] = self.ids
        for table in self.inserters.values():
            table.values = []
        self.ids = []
        return batch


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
        partners = [_PARTNER({"organisation": item.organisation}, id=next(partner_ids), partnership_id=pid,
                             organisation_id=item.organisation.id, role=item.role, objectives=item.objectives)
                    for item in data.partners or []]  # fmt: skip
        by_org = {partner.organisation_id: partner for partner in partners}
        commitments = [
            _COMMITMENT(
                {"partner": by_org[c.organisation.id], "currency": c.currency},
                id=next(commitment_ids), partnership_id=pid, partner_id=by_org[c.organisation.id].id, kind=c.kind,
                in_kind_type=c.in_kind_type, amount=c.amount, currency_id=c.currency.pk if c.currency else None,
                description=c.description, status=c.status, created_at=now, updated_at=now,
            )
            for c in data.commitments or []
        ]  # fmt: skip
        deliverables = [_DELIVERABLE(id=next(deliverable_ids), partnership_id=pid, title=d.title,
                                     due_date=d.due_date, status=d.status, evidence=d.evidence,
                                     created_at=now, updated_at=now)
                        for d in data.deliverables or []]  # fmt: skip
        return cls(record, p, partners, commitments, deliverables)

    def indexable(self) -> Partnership:
        """The partnership with its relations in place for the indexer, which reads them as prefetched
        (`core.models.related`): lists stand for the querysets a prefetch leaves (making those cost a
        tenth of the import)."""
        p, data = self.partnership, self.record.data
        p._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "goals": data.goals, "targets": data.targets, "indicators": data.indicators, "areas": data.areas,
            "partners": self.partners, "commitments": self.commitments, "deliverables": self.deliverables,
            "baseline_values": [],
        }  # fmt: skip
        p._state.fields_cache["compliance"] = None
        return p


def _tables() -> list[str]:
    models = [Partnership, Partner, Commitment, Deliverable, SearchDocument, Organisation]
    tables = [m._meta.db_table for m in models] + [
        m.history.model._meta.db_table for m in models if hasattr(m, "history")
    ]
    tables += [getattr(Partnership, n).through._meta.db_table for n in LINKS]
    return tables


_PARTNERSHIP, _PARTNER, _COMMITMENT, _DELIVERABLE = map(
    Instances, (Partnership, Partner, Commitment, Deliverable)
)


def _partnership(record: Record, pid: int, *, status: str, now, user_id: int | None) -> Partnership:
    data = record.data
    goal = data.primary_goal
    return _PARTNERSHIP(
        {"primary_goal": goal},
        id=pid, title=data.title, summary=data.summary, challenge=data.challenge, objectives=data.objectives,
        baseline=data.baseline, scope_in=data.scope_in, scope_out=data.scope_out,
        primary_goal_id=goal.number if goal else None, geographic_level=data.geographic_level, category=data.category,
        start_date=data.start_date, end_date=data.end_date, language=data.language, stage=record.stage,
        status=status, website=data.website, external_id=record.external_id, featured=False,
        published_at=now if status == Partnership.Status.PUBLISHED else None, created_by_id=user_id,
        created_at=now, updated_at=record.updated_at or now, version=1,
    )  # fmt: skip
