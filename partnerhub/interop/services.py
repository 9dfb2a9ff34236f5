"""Imports: read, check every row, then write all or nothing (`import_file`)."""

import io
from collections.abc import Callable, Iterable
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerhub.core.bulk import bulk_load_mode, collector_paused
from partnerhub.registry.models import Partnership
from partnerhub.registry.services import (
    CommitmentData,
    DeliverableData,
    PartnerData,
    PartnershipData,
    partnership_data_of,
    partnership_update,
)

from . import parallel, writer
from .columns import COLUMNS, IATI_KEYS, RICH_KEYS
from .readers import (
    ImportRefused,
    Problem,
    RawRow,
    format_of,
    position,
    read_csv,
    read_jsonl,
    read_xlsx,
    unknown_columns,
)
from .records import Record, Resolver

Progress = Callable[[str, int, int], None]  # stage ("checking", "writing"), done, total


@dataclass
class ImportResult:
    format: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_organisations: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "format": self.format, "ok": self.ok, "dry_run": self.dry_run, "rows": self.rows,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "new_organisations": self.new_organisations, "notes": self.notes,
            "problems": [p.as_dict() for p in self.problems],
        }  # fmt: skip

    def summary(self) -> str:
        rows = ngettext("%(n)s row", "%(n)s rows", self.rows) % {"n": self.rows}
        if self.dry_run:
            created = ngettext("%(n)s partnership would be created", "%(n)s partnerships would be created",
                               self.created)  # fmt: skip
        else:
            created = ngettext(
                "%(n)s partnership was created", "%(n)s partnerships were created", self.created
            )
        orgs = len(self.new_organisations)
        return _("%(rows)s: %(created)s, %(updated)s updated, %(unchanged)s unchanged; %(orgs)s.") % {
            "rows": rows, "created": created % {"n": self.created}, "updated": self.updated,
            "unchanged": self.unchanged,
            "orgs": ngettext("%(n)s new organisation", "%(n)s new organisations", orgs) % {"n": orgs},
        }  # fmt: skip


def registry_identifier(pk: int, prefix: str | None = None) -> str:
    """The stable identifier of a partnership born in this registry (its IATI identifier too). A bulk
    export passes the configured prefix, read once."""
    return f"{prefix or settings.PARTNERHUB_IATI_IDENTIFIER_PREFIX}-{pk}"


def _rows(stream: IO[bytes], fmt: str) -> tuple[list[str], Iterable[RawRow]]:
    if fmt == "csv":
        return read_csv(stream)
    if fmt == "xlsx":
        return read_xlsx(stream)
    if fmt == "jsonl":
        return read_jsonl(stream)
    from .iati import read_iati

    return read_iati(stream)


def import_file(
    source: str | Path | IO[bytes],
    *,
    fmt: str | None = None,
    user: User | None = None,
    publish: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    name: str | None = None,
) -> ImportResult:
    """Import partnerships from a CSV, XLSX, JSON Lines or IATI file. Every row is checked first; with any
    problem nothing is written and the result lists them all (line, column, reason). Rows whose
    external_id is already in the registry update that partnership; the others are created (as drafts, or
    published with `publish`). `name` is the file's name when `source` is a stream (for the change
    history, and the format when `fmt` is not given)."""
    if name is None:
        name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "")
    try:
        fmt = format_of(name, fmt)
    except ImportRefused as refused:
        return ImportResult(format=fmt or "", problems=refused.problems, dry_run=dry_run)
    result = ImportResult(format=fmt, dry_run=dry_run)
    reason = _("Imported from %(file)s") % {"file": Path(name).name or fmt}
    with collector_paused(), ExitStack() as stack:
        stream = stack.enter_context(open(source, "rb")) if isinstance(source, str | Path) else source
        start, size = _extent(stream)
        team = parallel.Team(Resolver(publish=publish), size=size, lookup=_existing,
                             position=lambda: (size or 0) if stream.closed else stream.tell() - start)  # fmt: skip
        stack.callback(team.close)
        if _read(stream, fmt, result, team, progress=progress):
            _import(
                team, result, user=user, publish=publish, dry_run=dry_run, reason=reason, progress=progress
            )
    return result


def _extent(stream: IO[bytes]) -> tuple[int, int | None]:
    """Where the stream is, and how many bytes are left to read in it (None if it cannot tell)."""
    start = position(stream)
    if start is None:
        return 0, None
    end = stream.seek(0, io.SEEK_END)
    stream.seek(start)
    return start, end - start


def _read(
    stream: IO[bytes], fmt: str, result: ImportResult, team: "parallel.Team", *, progress: Progress | None
) -> bool:
    """Read every row of the file into the team (which resolves its organisations, in file order, and
    forks helpers as it goes); False if the file cannot be read at all."""
    try:
        header, raw = _rows(stream, fmt)
        result.notes.extend(getattr(raw, "notes", []))
        extra = unknown_columns(header)
        if extra:
            result.notes.append(
                _("Ignored the columns %(columns)s (not part of the format).") % {"columns": ", ".join(extra)}
            )
        for row in raw:
            team.add(row)
            if progress and len(team.rows) % 1000 == 0:
                progress("checking", len(team.rows), 0)
    except ImportRefused as refused:
        result.problems.extend(refused.problems)  # the rows read are checked all the same
        if not team.rows:
            return False
    result.rows = len(team.rows)
    return True


def _import(team: "parallel.Team", result: ImportResult, *, user: User | None, publish: bool, dry_run: bool,
            reason: str, progress: Progress | None) -> None:  # fmt: skip
    """Check the rows (a large file's new rows in the team's helper processes) and, if none has a problem,
    write."""
    resolver = team.resolver
    records = resolver.check_all(team.rows, team.organised, team.finish())
    for record in records:
        found = team.existing.get(record.external_id)
        if found is not None:
            # The registry's own identifier is derived from the id, not stored.
            record.existing, own = found
            if own:
                record.external_id = ""
    created = [r for r in records if r.existing is None]
    if dry_run or resolver.problems or result.problems:
        _conclude(result, resolver, records, team.verdicts(), publish=publish)
        if not result.problems:
            result.updated, result.unchanged = _count_changes(records)
        return
    large = team.new >= writer.LARGE and team.new >= Partnership.objects.count()
    try:
        with bulk_load_mode() if large else nullcontext(), transaction.atomic():
            load = writer.Load(created, user=user, publish=publish, reason=reason)
            ids = load.write(
                list(resolver.new_organisations.values()), more=team.batches(load), large=large,
                progress=(lambda n: progress("writing", n, len(team.rows))) if progress else None,
            )  # fmt: skip
            _conclude(result, resolver, records, team.verdicts(), publish=publish)
            result.ids = ids
            _update(records, result, user=user)
    except parallel.Refused:  # a helper found problems in its share: the transaction rolled back
        _conclude(result, resolver, records, team.verdicts(), publish=publish)
    except (IntegrityError, DatabaseError) as error:
        result.problems.append(
            Problem(
                None,
                "",
                _(
                    "The database refused the import, so nothing was written (%(reason)s). If someone else was changing the registry at the same time, try again."
                )
                % {"reason": error},
            )
        )
        result.created = result.updated = result.unchanged = 0
        result.ids = []


def _conclude(result: ImportResult, resolver: Resolver, records: list[Record], verdicts: list["parallel.Verdict"],
              *, publish: bool) -> None:  # fmt: skip
    """Every problem found (by line, in the order of the columns), the notes and the counts of new rows."""
    verdicts.append(parallel.verdict_of([r for r in records if r.existing is None], resolver.problems))
    result.problems += [problem for verdict in verdicts for problem in verdict.problems]
    result.problems.sort(key=lambda p: (p.line or 0, COLUMN_ORDER.get(p.column, len(COLUMN_ORDER))))
    said_published = sum(verdict.said_published for verdict in verdicts)
    if said_published and not publish:
        result.notes.append(
            _(
                "%(n)s new partnerships say “published”; they are imported as drafts (publishing is the secretariat's choice: --publish)."
            )
            % {"n": said_published}
        )
    result.new_organisations = [org.name for org in resolver.new_organisations.values()]
    if not result.problems:  # with any, nothing is created
        result.created = sum(verdict.counts.partnerships for verdict in verdicts)


# Problems of a line are listed in the order of the file's columns.
COLUMN_ORDER = {name: n for n, name in enumerate(("", *COLUMNS, *RICH_KEYS, *IATI_KEYS))}


def _existing(external_ids: list[str]) -> dict[str, tuple[int, bool]]:
    """The partnerships these external_ids (or this registry's own identifiers) name: external_id ->
    (partnership id, whether it is the registry's own identifier)."""
    wanted = [e for e in external_ids if e]
    if not wanted:
        return {}
    table = Partnership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT external_id, id FROM {table} WHERE {_among(cursor, 'external_id')}",
                       [_values(cursor, wanted)])  # fmt: skip
        found = {external_id: (pk, False) for external_id, pk in cursor.fetchall()}
        prefix = settings.PARTNERHUB_IATI_IDENTIFIER_PREFIX + "-"
        own = {int(e[len(prefix) :]): e for e in wanted
               if e not in found and e.startswith(prefix) and e[len(prefix) :].isdigit()}  # fmt: skip
        if own:
            cursor.execute(f"SELECT id FROM {table} WHERE external_id = '' AND {_among(cursor, 'id')}",
                           [_values(cursor, list(own))])  # fmt: skip
            found.update({own[pk]: (pk, True) for (pk,) in cursor.fetchall()})
    return found


def _among(cursor: Any, column: str) -> str:
    """`column` is one of the values of one parameter (`_values`), however many: the ORM prepares each of a
    hundred thousand parameters on its own."""
    if cursor.db.vendor == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(%s))"


def _values(cursor: Any, values: list) -> Any:
    """The parameter of `_among`: a list (a PostgreSQL array), or on SQLite the list as JSON text."""
    return values if cursor.db.vendor == "postgresql" else orjson.dumps(values).decode()


def _state(data: PartnershipData, external_id: str, stage: str) -> tuple:
    """What an import can set, comparable between a record and a saved partnership."""
    scalars = tuple(getattr(data, n) for n in ("title", "summary", "challenge", "objectives", "geographic_level",
                                                "category", "start_date", "end_date", "language", "website"))  # fmt: skip
    keys = tuple(
        sorted(item.pk for item in getattr(data, n)) for n in ("goals", "targets", "indicators", "areas")
    )
    partners = sorted((p.organisation.pk, p.role) for p in data.partners or [])
    commitments = sorted((c.organisation.pk, c.kind, c.amount, c.currency.pk if c.currency else "", c.status)
                         for c in data.commitments or [])  # fmt: skip
    deliverables = sorted((d.title, str(d.due_date), d.status) for d in data.deliverables or [])
    return (scalars, keys, partners, commitments, deliverables, external_id, stage)


def _current(record: Record) -> tuple[Partnership, PartnershipData]:
    assert record.existing is not None
    partnership = Partnership.objects.get(pk=record.existing)
    data = partnership_data_of(partnership)
    data.partners = [PartnerData(organisation=p.organisation, role=p.role, objectives=p.objectives, id=p.pk)
                     for p in partnership.partners.select_related("organisation")]  # fmt: skip
    if record.data.commitments is not None:
        data.commitments = [CommitmentData(organisation=c.partner.organisation, kind=c.kind, in_kind_type=c.in_kind_type,
                                           amount=c.amount, currency=c.currency, description=c.description,
                                           status=c.status, id=c.pk)
                            for c in partnership.commitments.select_related("partner__organisation", "currency")]  # fmt: skip
    if record.data.deliverables is not None:
        data.deliverables = [DeliverableData(title=d.title, due_date=d.due_date, status=d.status, evidence=d.evidence, id=d.pk)
                             for d in partnership.deliverables.all()]  # fmt: skip
    return partnership, data


# Values a file may leave out (its format has no such column): an update keeps them as they are.
KEPT_WHEN_ABSENT = ("challenge", "objectives", "indicators", "website", "start_date", "end_date", "category",
                    "geographic_level", "language")  # fmt: skip


def _keep_absent(record: Record, current: PartnershipData, partnership: Partnership) -> None:
    for name in KEPT_WHEN_ABSENT:
        if name not in record.given:
            setattr(record.data, name, getattr(current, name))
    if "stage" not in record.given:
        record.stage = partnership.stage
    if "targets" not in record.given and "goals" not in record.given:
        record.data.goals, record.data.targets = current.goals, current.targets


def _changed(record: Record) -> bool:
    partnership, current = _current(record)
    _keep_absent(record, current, partnership)
    wanted = _state(record.data, record.external_id, record.stage)
    return _state(current, partnership.external_id, partnership.stage) != wanted


def _count_changes(records: list[Record]) -> tuple[int, int]:
    changed = sum(1 for r in records if r.existing is not None and _changed(r))
    return changed, sum(1 for r in records if r.existing is not None) - changed


def _update(records: list[Record], result: ImportResult, *, user: User | None) -> None:
    """Existing partnerships the file changes, through the registry service, one by one."""
    for record in records:
        if record.existing is None:
            continue
        partnership, current = _current(record)
        _keep_absent(record, current, partnership)
        if _state(current, partnership.external_id, partnership.stage) == _state(
            record.data, record.external_id, record.stage
        ):
            result.unchanged += 1
            continue
        author = user or partnership.created_by
        partnership.external_id = record.external_id or partnership.external_id
        partnership.stage = record.stage
        partnership_update(partnership=partnership, author=author, data=record.data)  # type: ignore[arg-type]
        result.updated += 1
        result.ids.append(partnership.pk)
