"""The full-text index of each engine over registry_searchdocument.

SQLite: an FTS5 table with external content, kept in step by triggers (same transaction, cannot drift).
PostgreSQL: a generated tsvector column (title A, organisations B, body D) with a GIN index.
"""

from django.db import migrations

from partnerhub.registry.search.schema import POSTGRES, POSTGRES_REVERSE, SQLITE, SQLITE_REVERSE


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
