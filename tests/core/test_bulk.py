"""Bulk inserts write what the ORM reads back."""

import pytest
from django.db import connection

from partnerhub.core.bulk import Inserter
from partnerhub.registry.models import SearchDocument

from ..factories import PartnershipFactory


@pytest.mark.django_db
def test_json_columns_read_back_as_written(reference_data):
    p = PartnershipFactory()
    SearchDocument.objects.filter(partnership=p).delete()
    card = {
        "title": "海洋保护 — Océans, «вода»",
        "goals": [14, 6],
        "ratio": 0.125,
        "none": None,
        "nested": {"a": []},
    }
    rows = Inserter(SearchDocument)
    rows.add(SearchDocument(partnership_id=p.pk, visible=True, language="zh", title="", orgs="", body="",
                            facets="", card=card, money={"EUR": 1.5}, sort_title=""))  # fmt: skip
    with connection.cursor() as cursor:
        rows.flush(cursor)
    stored = SearchDocument.objects.get(partnership=p)
    assert stored.card == card and stored.money == {"EUR": 1.5}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT card FROM registry_searchdocument WHERE partnership_id = %s", [p.pk])
            assert "海洋保护" in cursor.fetchone()[0]  # UTF-8, not \\u escapes
