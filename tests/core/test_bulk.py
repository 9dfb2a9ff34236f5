"""Bulk inserts write what the ORM reads back."""

import os
from contextlib import suppress

import pytest
from django.db import connection
from django.utils import timezone

from partnerhub.core import bulk
from partnerhub.core.bulk import Inserter, Instances, history_copy, reserve_ids
from partnerhub.registry.models import Organisation, Partner, Partnership, SearchDocument

from ..factories import OrganisationFactory, PartnershipFactory


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


@pytest.mark.django_db
def test_many_rows_a_statement_read_back_as_given(reference_data, monkeypatch):
    """More rows than one statement takes, and a short last statement."""
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 7)
    org = OrganisationFactory()
    rows = Inserter(Partner)
    partnerships = [PartnershipFactory() for _ in range(17)]
    Partner.objects.filter(partnership__in=partnerships).delete()
    ids = reserve_ids(Partner, len(partnerships))
    for n, p in enumerate(partnerships):
        rows.add(
            Partner(id=ids[n], partnership=p, organisation=org, role="lead", objectives=f"objective «{n}» ✓")
        )
    assert len(rows) == 17 and len(rows.values) == 17 * rows.width  # the values of the rows, one list
    with connection.cursor() as cursor:
        assert rows.flush(cursor) == 17 and rows.values == []
    stored = Partner.objects.filter(partnership__in=partnerships).order_by("partnership_id")
    assert [(p.partnership_id, p.objectives) for p in stored] == [
        (p.pk, f"objective «{n}» ✓") for n, p in enumerate(partnerships)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("consecutive", [True, False])
def test_history_copy_writes_the_rows_as_they_are(reference_data, consecutive):
    partnerships = [PartnershipFactory(title=f"Reef {n}") for n in range(5)]
    chosen = partnerships if consecutive else partnerships[::2]
    ids = [p.pk for p in chosen]
    Partnership.history.filter(id__in=ids).delete()
    moment = timezone.now()
    with connection.cursor() as cursor:
        history_copy(
            cursor, Partnership, "id", ids, when=moment, reason="Imported from reefs.csv", user_id=None
        )
    copied = Partnership.history.filter(id__in=ids).order_by("history_id")
    assert [(h.id, h.title, h.history_type, h.history_change_reason, h.history_date) for h in copied] == [
        (p.pk, p.title, "+", "Imported from reefs.csv", moment) for p in chosen
    ]


def attributes(obj) -> list:
    return [getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields]


def test_instances_are_what_the_constructor_makes(reference_data):
    """Fields given, left to their defaults (plain, callable, or none), and related objects."""
    org = Instances(Organisation)(id=3, name="Ocean Trust", type="ngo")
    assert attributes(org) == attributes(Organisation(id=3, name="Ocean Trust", type="ngo"))
    made = Instances(Partner)({"organisation": org}, id=1, partnership_id=2, organisation_id=3, role="lead")
    assert attributes(made) == attributes(Partner(id=1, partnership_id=2, organisation=org, role="lead"))
    assert made.organisation is org and made._state.adding
    document = Instances(SearchDocument)(partnership_id=5)
    assert attributes(document) == attributes(SearchDocument(partnership_id=5))
    assert document.card is not Instances(SearchDocument)(partnership_id=6).card  # a dict each


def test_spans_select_the_ids_given(reference_data):
    assert bulk.spans([]) == []
    assert bulk.spans([9, 3, 4, 5, 10, 1, 4]) == [[1, 1], [3, 5], [9, 10]]
    orgs = [OrganisationFactory() for _ in range(6)]
    wanted = [orgs[0].pk, orgs[2].pk, orgs[3].pk, orgs[5].pk]
    assert len(bulk.spans(wanted)) == 3
    assert (
        sorted(Organisation.objects.filter(bulk.in_spans(bulk.spans(wanted))).values_list("pk", flat=True))
        == wanted
    )
    assert not Organisation.objects.filter(bulk.in_spans([])).exists()


@pytest.mark.django_db
def test_indexes_are_rebuilt_while_the_database_file_is_synced(tmp_path, monkeypatch):
    """On a database file, rebuild_indexes has the file synced in a thread while it creates the indexes,
    and leaves nothing open (the test database is in memory, so this one is a file of its own)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its indexes during a load")
    synced: list[str] = []
    sync = os.fdatasync

    def fdatasync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        sync(fd)

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    path = tmp_path / "load.sqlite3"
    db = DatabaseWrapper({**connection.settings_dict, "NAME": str(path), "OPTIONS": {}})
    try:
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE t (a INTEGER, b TEXT)")
            cursor.execute("CREATE INDEX t_b ON t (b)")
            statements = bulk.drop_indexes(cursor, ["t"])
            assert statements == ["CREATE INDEX t_b ON t (b)"]
            cursor.executemany("INSERT INTO t VALUES (%s, %s)", [(n, f"row {n}") for n in range(1000)])
            bulk.rebuild_indexes(cursor, statements)
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            assert cursor.fetchall() == [("t_b",)]
            cursor.execute("EXPLAIN QUERY PLAN SELECT a FROM t WHERE b = 'row 7'")
            assert "USING INDEX t_b" in str(cursor.fetchall())
    finally:
        db.close()
    assert synced == [str(path)]
    assert str(path) not in open_files()


@pytest.mark.django_db
def test_a_bulk_load_has_a_larger_page_cache_and_gives_it_back():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    assert before != -bulk.LOAD_CACHE_KIB
    with bulk.bulk_load_mode():
        assert cache_size() == -bulk.LOAD_CACHE_KIB
    assert cache_size() == before


def open_files() -> set[str]:
    """The files this process has open (Linux)."""
    files = set()
    for fd in os.listdir("/proc/self/fd"):
        with suppress(OSError):  # the descriptor listing the directory is closed by now
            files.add(os.readlink(f"/proc/self/fd/{fd}"))
    return files
