from django.core.management import call_command
from django.db import connection

from partnerhub.registry.models import Partner, Partnership, SearchDocument
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
