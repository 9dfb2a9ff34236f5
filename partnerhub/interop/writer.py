"""Writing the new partnerships of an import in bulk, inside the import's transaction.

Rows go to the tables through `core.bulk.Inserter` (executemany, no per-row ORM save), each with its
change-history row (reason: the import). The search document of each partnership is built by the
registry's own indexer (`search.index.document`) from the in-memory objects, so it is exactly what a
reindex would write. Existing partnerships an import changes go through the registry service instead
(services.py), one by one.
"""

from collections.abc import Callable
from contextlib import nullcontext
from functools import cache

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
        partner_ids = iter(reserve_ids(Partner, sum(len(r.data.partners or []) for r in records)))
        commitment_ids = iter(reserve_ids(Commitment, sum(len(r.data.commitments or []) for r in records)))
        deliverable_ids = iter(reserve_ids(Deliverable, sum(len(r.data.deliverables or []) for r in records)))
        writers = {
            "p": Inserter(Partnership), "p_h": _history(Partnership),
            "partner": Inserter(Partner), "partner_h": _history(Partner),
            "commitment": Inserter(Commitment), "commitment_h": _history(Commitment),
            "deliverable": Inserter(Deliverable), "deliverable_h": _history(Deliverable),
            "doc": Inserter(SearchDocument),
            **{name: Inserter(getattr(Partnership, name).through, ["partnership", _target(name)])
               for name in ("goals", "targets", "indicators", "areas")},
            "focal": Inserter(Partnership.focal_points.through, ["partnership", "user"]),
        }  # fmt: skip
        status = Partnership.Status.PUBLISHED if publish else Partnership.Status.DRAFT
        published_ids = []
        for n, (record, pid) in enumerate(zip(records, ids, strict=True), start=1):
            p = _partnership(record, pid, status=status, now=now, user_id=user_id)
            history = (now, reason, "+", user_id)
            writers["p"].add(p)
            writers["p_h"].add(p, *history)
            data = record.data
            for name in ("goals", "targets", "indicators", "areas"):
                for item in getattr(data, name):
                    writers[name].add_values(pid, item.pk)
            if user_id:
                writers["focal"].add_values(pid, user_id)
            partners = []
            for item in data.partners or []:
                partner = Partner(id=next(partner_ids), partnership_id=pid, organisation=item.organisation,
                                  role=item.role, objectives=item.objectives)  # fmt: skip
                partners.append(partner)
                writers["partner"].add(partner)
                writers["partner_h"].add(partner, *history)
            by_org = {partner.organisation_id: partner for partner in partners}
            commitments = []
            for c in data.commitments or []:
                commitment = Commitment(
                    id=next(commitment_ids), partnership_id=pid, partner=by_org[c.organisation.pk], kind=c.kind,
                    in_kind_type=c.in_kind_type, amount=c.amount, currency=c.currency, description=c.description,
                    status=c.status, created_at=now, updated_at=now,
                )  # fmt: skip
                commitments.append(commitment)
                writers["commitment"].add(commitment)
                writers["commitment_h"].add(commitment, *history)
            deliverables = []
            for d in data.deliverables or []:
                deliverable = Deliverable(id=next(deliverable_ids), partnership_id=pid, title=d.title,
                                          due_date=d.due_date, status=d.status, evidence=d.evidence,
                                          created_at=now, updated_at=now)  # fmt: skip
                deliverables.append(deliverable)
                writers["deliverable"].add(deliverable)
                writers["deliverable_h"].add(deliverable, *history)
            p._prefetched_objects_cache = {  # type: ignore[attr-defined]
                "goals": _cached(type(p).goals.rel.model, data.goals),
                "targets": _cached(type(p).targets.rel.model, data.targets),
                "indicators": _cached(type(p).indicators.rel.model, data.indicators),
                "areas": _cached(type(p).areas.rel.model, data.areas),
                "partners": _cached(Partner, partners),
                "commitments": _cached(Commitment, commitments),
                "deliverables": _cached(Deliverable, deliverables),
                "baseline_values": [],
            }
            p._state.fields_cache["compliance"] = None
            writers["doc"].add(document(p))
            if publish:
                published_ids.append(pid)
            if n % BATCH == 0 or n == len(records):
                for writer in writers.values():
                    writer.flush(cursor)
                if progress:
                    progress(n)
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
