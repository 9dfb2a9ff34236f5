import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Max

from partnerhub.registry.models import Organisation, Partner, Partnership, SearchDocument
from partnerhub.registry.search.index import reindex_all
from partnerhub.registry.search.service import SearchParams, search


def test_generate_creates_searchable_published_partnerships(reference_data):
    call_command("generate", count=300, seed=5, verbosity=0)
    assert Partnership.objects.filter(status="published").count() == 300
    assert Partner.objects.filter(role="lead").count() == 300
    assert SearchDocument.objects.filter(visible=True).count() == 300
    langs = set(Partnership.objects.values_list("language", flat=True))
    assert {"en", "fr", "es"} <= langs
    result = search(SearchParams(q="", filters={"goal": ["14"]}))
    assert result.total == Partnership.objects.filter(goals=14).count() > 0
    assert set(result.facets) >= {"goal", "country", "region", "orgtype", "stage"}
    word = SearchDocument.objects.filter(language="en").first().title.split()[0]
    assert search(SearchParams(q=word)).total > 0
    assert SearchDocument.objects.filter(facets__contains="country:").count() == 300
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the indexes dropped for the bulk load are back
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            names = {row[0] for row in cursor.fetchall()}
        assert {"searchdoc_newest", "searchdoc_title"} <= names
        with connection.cursor() as cursor:  # the planner's statistics (its plans depend on them)
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            analysed = {row[0] for row in cursor.fetchall()}
        assert {SearchDocument._meta.db_table, Partnership._meta.db_table, "registry_partner"} <= analysed
    else:
        with connection.cursor() as cursor:  # the planner's statistics count the loaded rows
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s)",
                [SearchDocument._meta.db_table, Partnership._meta.db_table],
            )
            assert dict(cursor.fetchall()) == {
                SearchDocument._meta.db_table: SearchDocument.objects.count(),
                Partnership._meta.db_table: Partnership.objects.count(),
            }


def test_generated_search_cards_are_what_the_indexer_writes(reference_data):
    """The generator writes search documents itself (for speed): they must equal what indexing writes."""
    call_command("generate", count=40, seed=3, verbosity=0)
    generated = {d.pk: d for d in SearchDocument.objects.all()}
    reindex_all()
    for document in SearchDocument.objects.all():
        before = generated[document.pk]
        assert before.card == document.card
        assert before.money == document.money
        assert sorted(before.facets.split()) == document.facets.split()
        assert (before.title, before.orgs, before.body, before.sort_title) == (
            document.title,
            document.orgs,
            document.body,
            document.sort_title,
        )


def test_rows_created_after_generating_get_fresh_ids(reference_data):
    """The generator writes explicit ids; on PostgreSQL the tables' sequences must then continue after them."""
    call_command("generate", count=30, seed=2, verbosity=0)
    organisation = Organisation.objects.create(name="Created after generating", type="ngo")
    partnership = Partnership.objects.create(title="Created after generating", summary="s", language="en")
    partner = Partner.objects.create(partnership=partnership, organisation=organisation, role="lead")
    assert partnership.pk > Partnership.objects.exclude(pk=partnership.pk).aggregate(Max("pk"))["pk__max"]
    assert partner.pk > Partner.objects.exclude(pk=partner.pk).aggregate(Max("pk"))["pk__max"]
    assert organisation.pk > Organisation.objects.exclude(pk=organisation.pk).aggregate(Max("pk"))["pk__max"]


def test_a_failed_generation_leaves_nothing(reference_data, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("partnerhub.registry.generate._fill", fail)
    with pytest.raises(RuntimeError):
        call_command("generate", count=30, seed=2, verbosity=0)
    assert not Organisation.objects.exists()
    assert not Partnership.objects.exists()
