"""Bulk loading: rows straight into tables, for the synthetic-data generator and imports.

`Inserter` turns model instances into parameter tuples once per field kind (no per-row ORM work), which is
what makes a hundred thousand rows a second possible; foreign keys and constraints are still checked by
the database. `Instances` makes the instances themselves without `Model.__init__`, and `history_copy`
writes the change-history rows of freshly inserted rows inside the database. On SQLite a large load
switches to a rollback journal and rebuilds the secondary indexes once at the end.
"""

import gc
import operator
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from functools import lru_cache, partial, reduce
from operator import attrgetter
from typing import Any

import orjson
from django.db import OperationalError, connection, models
from django.db.models.base import ModelState


class Instances:
    """Instances of a model for a bulk load, made the way the ORM makes the ones it reads: the values go
    straight into the instance's attributes (by attname: `organisation_id`, not `organisation`), and the
    related objects given into its field cache, so reading `partner.organisation` runs no query.
    `Model(**values)` matches every keyword to a field and runs each foreign key's descriptor: some 10 µs
    an instance, a tenth of an import's time, against 1.5 here. No pre_init or post_init signal is sent
    (nothing in the project listens to them); fields left out take their defaults."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        fields = model._meta.concrete_fields
        made = {f for f in fields if f.has_default() and callable(f.default)}  # default=dict, …: one each
        self.defaults = {f.attname: None if f in made else f.get_default() for f in fields}
        self.factories = [(f.attname, f.default) for f in made]

    def __call__(self, related: dict[str, Any] | None = None, /, **values: Any) -> Any:
        obj = self.model.__new__(self.model)
        obj.__dict__ = attributes = {**self.defaults, **values}
        for name, factory in self.factories:
            if name not in values:
                attributes[name] = factory()
        state = obj._state = ModelState()  # unsaved, as Model(**values) leaves it
        if related:
            state.fields_cache = related
        return obj


ROWS_PER_STATEMENT = 200


class Inserter:
    """INSERT of a model's concrete fields (or those named) from instances, many rows a statement. The rows
    wait as one flat list of their values (`values`, `width` a row), which is what a multi-row INSERT binds,
    and travels between processes faster than a tuple a row."""

    def __init__(self, model: type[models.Model], fields: Sequence[str] | None = None):
        concrete = [
            f
            for f in model._meta.concrete_fields
            if fields is None or f.attname in fields or f.name in fields
        ]
        self.fields = concrete
        self.get = attrgetter(*(f.attname for f in concrete))  # all values in one call
        self.convert = [(n, c) for n, f in enumerate(concrete) if (c := self._converter(f)) is not None]
        columns = [f.column for f in concrete]
        self.width = len(columns)
        self.key = next((n for n, f in enumerate(concrete) if f.primary_key), None)
        self.head = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES "
        self.sql = self.head + "(" + ", ".join(["%s"] * len(columns)) + ")"
        self.values: list = []

    @staticmethod
    def _converter(f: models.Field):
        if isinstance(f, models.DateTimeField):
            # A load stamps its rows with one moment: converted once, not for every row and column.
            return lru_cache(maxsize=64)(connection.ops.adapt_datetimefield_value)
        if isinstance(f, models.DateField):
            return connection.ops.adapt_datefield_value
        if isinstance(f, models.DecimalField):
            return partial(
                connection.ops.adapt_decimalfield_value,
                max_digits=f.max_digits,
                decimal_places=f.decimal_places,
            )
        if isinstance(f, models.JSONField):
            if connection.vendor == "sqlite" and f.encoder is None:
                # JSON text, as Django's json.dumps writes it but compact and in UTF-8: a search card in
                # 4 µs instead of 15, and a fifth smaller (Chinese, Arabic and Russian text unescaped).
                return _json_text
            return partial(f.get_db_prep_save, connection=connection)
        return None

    def add(self, obj: models.Model) -> None:
        values: Sequence[Any] = self.get(obj)
        if len(self.fields) == 1:
            values = (values,)
        if self.convert:
            converted = list(values)
            for n, convert in self.convert:
                if converted[n] is not None:
                    converted[n] = convert(converted[n])
            values = converted
        self.values += values

    def add_values(self, *values) -> None:
        """A row given as plain values in column order (for through tables)."""
        self.values += values

    def keys(self) -> list:
        """The primary keys of the rows waiting."""
        assert self.key is not None, "the primary key is not among the columns"
        return self.values[self.key :: self.width]

    def __len__(self) -> int:
        """The rows waiting."""
        return len(self.values) // self.width

    def flush(self, cursor) -> int:
        count = len(self)
        if self.values:
            if cursor.db.vendor == "sqlite":
                self._insert_sqlite(cursor)
            else:
                cursor.executemany(self.sql, list(zip(*[iter(self.values)] * self.width, strict=True)))
            self.values = []
        return count

    def _insert_sqlite(self, cursor) -> None:
        """Up to ROWS_PER_STATEMENT rows a statement (fewer if SQLite takes fewer parameters). Python's
        sqlite3 binds and steps executemany's rows one by one, which cost a narrow row 4 µs against 1.2
        here, and a partnership 8.9 µs against 7 (much longer statements are slower again). Run on the
        driver's cursor: Django's would rewrite the placeholders of every statement and, in DEBUG, quote
        every parameter for its query log; its error translation is kept."""
        raw, values, width = cursor.cursor, self.values, self.width
        per = max(1, min(len(self), ROWS_PER_STATEMENT, _sqlite_variables(cursor.db) // width))
        one = "(" + ", ".join("?" * width) + ")"
        full = self.head + ", ".join([one] * per)
        step = per * width
        with cursor.db.wrap_database_errors:
            for start in range(0, len(values), step):
                chunk = values[start : start + step]
                sql = full if len(chunk) == step else self.head + ", ".join([one] * (len(chunk) // width))
                sqlite3.Cursor.execute(raw, sql, chunk)


def _sqlite_variables(db) -> int:
    """How many parameters one SQLite statement may hold (32,766 since SQLite 3.32; Django assumes 999)."""
    limit = getattr(db, "_partnerhub_variables", None)
    if limit is None:
        limit = db._partnerhub_variables = db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return limit


def history_copy(cursor, model: type[models.Model], column: str, ids: Sequence[int], *, when, reason: str,
                 user_id: int | None, kind: str = "+") -> None:  # fmt: skip
    """The change-history rows (django-simple-history's table of `model`) of the rows just inserted whose
    `column` is one of `ids`, copied by the database itself (INSERT … SELECT): building and sending a
    second copy of every row from Python cost an import as much as the rows themselves."""
    if not ids:
        return
    historical = model.history.model  # type: ignore[attr-defined]
    tracked = {f.attname for f in model._meta.concrete_fields}
    columns = ", ".join(f.column for f in historical._meta.concrete_fields if f.attname in tracked)
    extra = "history_date, history_change_reason, history_type, history_user_id"
    when = connection.ops.adapt_datetimefield_value(when)
    insert = f"INSERT INTO {historical._meta.db_table} ({columns}, {extra}) SELECT {columns}, %s, %s, %s, %s FROM {model._meta.db_table}"
    for where, params in id_sets(column, ids):
        cursor.execute(
            f"{insert} WHERE {where} ORDER BY {model._meta.pk.column}", [when, reason, kind, user_id, *params]
        )


def spans(ids: Iterable[int]) -> list[list[int]]:
    """The ids as runs of consecutive ones, `[[first, last], …]`, in order: how a background task is given
    the rows of a bulk load (consecutive ids, what reserve_ids gives), for the task queue stores its
    arguments as JSON and walks every value of them (15 µs an id)."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk <= runs[-1][1] + 1:
            runs[-1][1] = max(runs[-1][1], pk)
        else:
            runs.append([pk, pk])
    return runs


def in_spans(spans: Iterable[Sequence[int]]) -> models.Q:
    """The rows whose primary key is in one of these `spans`."""
    return reduce(
        operator.or_, (models.Q(pk__range=(first, last)) for first, last in spans), models.Q(pk__in=[])
    )


def id_sets(column: str, ids: Sequence[int], size: int = 500) -> Iterable[tuple[str, list[int]]]:
    """SQL conditions (with their parameters) that together select these ids: one range when they are
    consecutive (what reserve_ids gives), else IN lists."""
    low, high = min(ids), max(ids)
    if high - low + 1 == len(ids):
        yield f"{column} BETWEEN %s AND %s", [low, high]
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        chunk = ordered[start : start + size]
        yield f"{column} IN ({', '.join(['%s'] * len(chunk))})", chunk


def _json_text(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def reserve_ids(model: type[models.Model], count: int, *, after: int = 0) -> list[int]:
    """Primary keys for `count` new rows inserted with explicit ids. PostgreSQL hands them out from the
    table's sequence (so later inserts never collide); SQLite continues after the largest id (or after
    `after`, the last id reserved earlier in the same transaction for rows not inserted yet), which is safe
    once the transaction holds the write lock (take it with a write first)."""
    if count == 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({column}) FROM {table}")
        start = max(cursor.fetchone()[0] or 0, after) + 1
    return list(range(start, start + count))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bulk job builds objects by the hundred thousand: each
    collection walks every object still alive (the rows read, the records checked), and they cost an import
    or an export a tenth to a fifth of its time. What it builds holds no reference cycles, so nothing
    waits for the collector meanwhile."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def take_write_lock() -> None:
    """On SQLite, make the current transaction the writer now (a write that changes nothing)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE django_migrations SET id = id WHERE 0")


# SQLite's page cache during a bulk load, in KiB (the connection's default is 2 MB). A load appends to a
# dozen tables at once and checks every foreign key against its parent table; with the default cache, the
# pages it comes back to (the organisations, the ends of the tables) were read from the file again and
# again: 260,000 reads for an import of 100,000 partnerships, 100,000 with this cache, and the partners'
# inserts 0.4 s faster.
LOAD_CACHE_KIB = 65_536


@contextmanager
def bulk_load_mode():
    """On SQLite, for a bulk load: a page cache of `LOAD_CACHE_KIB`, and a rollback journal rather than the
    write-ahead log, so that new pages are written once, not to the log and again to the database at the
    checkpoint (a million partnerships are ~6 GB). Just as transactional. Leaving WAL needs the database to
    itself; if another process has it open, the load keeps WAL and is slower. Both are set back after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        with suppress(OperationalError):
            cursor.execute("PRAGMA journal_mode = DELETE")
            cursor.fetchall()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.fetchall()
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")


def rebuild_indexes(cursor, statements: Sequence[str]) -> None:
    """Create the indexes `drop_indexes` dropped (the statements it returned). On SQLite, the system writes
    what the load wrote so far to disk meanwhile (an fdatasync of the database file, in a thread: it waits
    for the disk, not for a processor), so the commit that follows finds most of it on disk already
    instead of waiting for all of it after the rebuild (0.6 s for an import of 100,000 partnerships).
    Syncing early never makes a commit less safe."""
    path = ""
    if statements and cursor.db.vendor == "sqlite":
        cursor.execute("PRAGMA database_list")
        path = next((file for _seq, name, file in cursor.fetchall() if name == "main"), "")
    with ExitStack() as stack:
        if path:  # not an in-memory database
            fd = os.open(path, os.O_RDONLY)
            stack.callback(os.close, fd)
            syncing = threading.Thread(target=_sync_quietly, args=(fd,), daemon=True)
            syncing.start()
            stack.callback(syncing.join)
        for statement in statements:
            cursor.execute(statement)


def _sync_quietly(fd: int) -> None:
    """fdatasync, for speed only: the commit syncs anyway, so a file system that cannot is no error."""
    with suppress(OSError):
        os.fdatasync(fd)


def drop_indexes(cursor, tables: Iterable[str]) -> list[str]:
    """Drop the named indexes of these tables (SQLite); return their CREATE statements. Creating a unique
    index again at the end checks the whole load at once: a duplicate fails it and rolls back all."""
    tables = list(tables)
    marks = ", ".join(["%s"] * len(tables))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    )
    indexes = cursor.fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]


def analyze(cursor, tables: Iterable[str] | None = None) -> None:
    """Refresh the query planner's statistics of these tables (all when None), as after a bulk load.
    PostgreSQL: autovacuum had not analysed 100,000 new partnerships two minutes after `partnerhub
    generate`, and until it did the searches took longer (bench p50 99 ms, 62 ms once analysed). SQLite
    keeps none until asked, and without them its planner read an organisation's page (its nine
    partnerships, newest first) by walking every published partnership in date order: 0.26 s at 200,000,
    0.2 ms with statistics. `analysis_limit` samples each index instead of reading it (35 ms for a 1 GB database)."""
    if cursor.db.vendor == "sqlite":
        cursor.execute("PRAGMA analysis_limit = 1000")
    for statement in ["ANALYZE"] if tables is None else [f'ANALYZE "{table}"' for table in tables]:
        cursor.execute(statement)
