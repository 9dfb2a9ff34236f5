"""The query planner's statistics are refreshed once migrations have run (an upgrade)."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from partnerhub.registry.models import Partnership

from ..factories import PartnershipFactory


def _rows_known(table: str) -> float:
    """SQLite: the statistics rows of the table and its indexes; PostgreSQL: the rows it estimates."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_migration_refreshes_the_planner_statistics(reference_data):
    table = Partnership._meta.db_table
    with connection.cursor() as cursor:  # statistics from before the rows came, as an upgrade finds them
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 if it is not there
            cursor.execute("DELETE FROM sqlite_stat1")
        else:
            # PostgreSQL writes statistics in place, outside the transaction: earlier tests' ANALYZE
            # stays behind when their rows are rolled back.
            cursor.execute(f'ANALYZE "{table}"')
    PartnershipFactory.create_batch(3)
    before = _rows_known(table)
    assert before in (0, -1)

    emit_post_migrate_signal(0, False, "default", plan=[])  # `migrate` with nothing to apply
    assert _rows_known(table) == before

    migration = MigrationLoader(connection).graph.leaf_nodes("registry")[0]
    emit_post_migrate_signal(0, False, "default", plan=[(migration, False)])
    if connection.vendor == "postgresql":
        assert _rows_known(table) == 3
    else:
        assert _rows_known(table) > 0
