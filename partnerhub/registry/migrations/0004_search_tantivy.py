"""Search: SQLite FTS5 gives way to a Tantivy index kept in step through an outbox (see
registry/search/tantivy_engine.py); facet values move from SearchFacet rows into a `facets` column
(on PostgreSQL also a generated text[] with a GIN index); search results are read from a `card` column
(filled by `partnerhub reindex`)."""

import secrets

from django.db import migrations, models

# PostgreSQL: the facets as a generated text[] with a GIN index, so facet filters are array overlaps.
POSTGRES = [
    """ALTER TABLE registry_searchdocument ADD COLUMN facet_array text[] GENERATED ALWAYS AS (
        string_to_array(facets, ' ')) STORED""",
    "CREATE INDEX registry_searchdocument_facets ON registry_searchdocument USING gin (facet_array)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS registry_searchdocument_facets",
    "ALTER TABLE registry_searchdocument DROP COLUMN IF EXISTS facet_array",
]
SQLITE_DROP_FTS5 = [
    "DROP TRIGGER IF EXISTS registry_searchdocument_au",
    "DROP TRIGGER IF EXISTS registry_searchdocument_ad",
    "DROP TRIGGER IF EXISTS registry_searchdocument_ai",
    "DROP TABLE IF EXISTS registry_search_fts",
]


def _sql(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def facets_into_documents(apps, schema_editor):
    SearchDocument = apps.get_model("registry", "SearchDocument")
    SearchFacet = apps.get_model("registry", "SearchFacet")
    tokens: dict[int, list[str]] = {}
    for pid, facet, value in SearchFacet.objects.values_list("partnership_id", "facet", "value").iterator():
        tokens.setdefault(pid, []).append(f"{facet}:{value}")
    for pid, values in tokens.items():
        SearchDocument.objects.filter(pk=pid).update(facets=" ".join(sorted(values)))


def rebuild_embedded_index(apps, schema_editor):
    """Ask the new embedded index to build itself from the documents on its first use."""
    if schema_editor.connection.vendor != "postgresql":
        SearchOutbox = apps.get_model("registry", "SearchOutbox")
        SearchOutbox.objects.create(token=secrets.token_hex(8), partnership_id=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_search_engines")]

    operations = [
        migrations.CreateModel(
            name="SearchOutbox",
            fields=[
                ("seq", models.BigAutoField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=16)),
                ("partnership_id", models.BigIntegerField(null=True)),
            ],
        ),
        migrations.AddField(model_name="searchdocument", name="facets", field=models.TextField(default="")),
        migrations.AddField(model_name="searchdocument", name="card", field=models.JSONField(default=dict)),
        migrations.RunPython(facets_into_documents, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchFacet"),
        migrations.RunPython(_sql({"sqlite": SQLITE_DROP_FTS5}), migrations.RunPython.noop),
        migrations.RunPython(_sql({"postgresql": POSTGRES}), _sql({"postgresql": POSTGRES_REVERSE})),
        migrations.RunPython(rebuild_embedded_index, migrations.RunPython.noop),
    ]
