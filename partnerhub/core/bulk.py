"""Bulk loading: rows straight into tables with executemany, for the synthetic-data generator and imports.

`Inserter` turns model instances into parameter tuples once per field kind (no per-row ORM work), which is
what makes a hundred thousand rows a second possible; foreign keys and constraints are still checked by
the database. On SQLite a large load switches to a rollback journal and rebuilds the secondary indexes
once at the end.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache, partial
from operator import attrgetter

import orjson
from django.db import OperationalError, connection, models


class Inserter:
    """INSERT of a model's concrete fields (or those named) from instances, through executemany."""

    def __init__(
        self, model: type[models.Model], fields: Sequence[str] | None = None, *, extra: Sequence[str] = ()
    ):
        concrete = [
            f
            for f in model._meta.concrete_fields
            if fields is None or f.attname in fields or f.name in fields
        ]
        self.fields = concrete
        self.values = attrgetter(*(f.attname for f in concrete))  # all values in one call
        self.convert = [(n, c) for n, f in enumerate(concrete) if (c := self._converter(f)) is not None]
        columns = [f.column for f in concrete] + list(extra)
        marks = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({marks})"
        self.rows: list[tuple] = []

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

    def add(self, obj: models.Model, *extra) -> None:
        values = self.values(obj)
        if len(self.fields) == 1:
            values = (values,)
        if self.convert:
            converted = list(values)
            for n, convert in self.convert:
                if converted[n] is not None:
                    converted[n] = convert(converted[n])
            values = tuple(converted)
        self.rows.append(values + extra)

    def add_values(self, *values) -> None:
        """A row given as plain values in column order (for through tables)."""
        self.rows.append(values)

    def flush(self, cursor) -> int:
        count = len(self.rows)
        if self.rows:
            cursor.executemany(self.sql, self.rows)
            self.rows = []
        return count


def _json_text(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows inserted with explicit ids. PostgreSQL hands them out from the
    table's sequence (so later inserts never collide); SQLite continues after the largest id, which is
    safe once the transaction holds the write lock (take it with a write first)."""
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
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def take_write_lock() -> None:
    """On SQLite, make the current transaction the writer now (a write that changes nothing)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE django_migrations SET id = id WHERE 0")


@contextmanager
def rollback_journal():
    """On SQLite, load with a rollback journal rather than the write-ahead log: new pages are then written
    once, not to the log and again to the database at the checkpoint (a million partnerships are ~6 GB).
    Just as transactional. Leaving WAL needs the database to itself; if another process has it open, the
    load keeps WAL and is slower."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor, suppress(OperationalError):
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.fetchall()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.fetchall()


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
