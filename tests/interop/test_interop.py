"""Import and export: round trips, all-or-nothing checks, malformed and hostile files, IATI validity."""

import csv
import io
import json
import multiprocessing
from enum import Enum
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook, load_workbook

from partnerhub.interop import exporting, parallel, writer
from partnerhub.interop.iati import code_errors, validate
from partnerhub.interop.services import import_file
from partnerhub.registry.models import Organisation, Partner, Partnership, SearchDocument
from partnerhub.registry.search.index import _queryset, card, reindex_all
from partnerhub.registry.search.service import SearchParams, search
from partnerhub.registry.serializers import StoredCardSerializer

DATA = Path(__file__).parent / "data"
HEADER = "title,summary,lead_organisation,lead_organisation_type,partners,goals,targets,countries,regions,start_date,end_date,language,website,external_id\n"


def export_text(fmt: str, params=None) -> str:
    rows = exporting.export_rows(params, details=fmt != "csv")
    if fmt == "csv":
        return "".join(exporting.csv_lines(rows))
    if fmt == "jsonl":
        return "".join(exporting.jsonl_lines(rows))
    from partnerhub.interop.iati import iati_chunks

    return "".join(iati_chunks(rows))


def empty_registry() -> None:
    Partnership.objects.all().delete()
    Organisation.objects.all().delete()
    reindex_all()


def spy(function, calls: list):
    def called(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return called


def load(text: str, fmt: str, **options):
    return import_file(io.BytesIO(text.encode()), fmt=fmt, **options)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "iati"])
def test_export_import_export_gives_identical_files(reference_data, fmt):
    call_command("generate", count=60, seed=11, verbosity=0)
    first = export_text(fmt)
    assert first.count("XI-IATI-PARTNERHUB-") >= 60
    empty_registry()
    result = load(first, fmt, publish=True)
    assert result.ok, result.problems
    assert result.created == 60
    assert export_text(fmt) == first
    again = load(first, fmt, publish=True)  # the same file again updates nothing and duplicates nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 60)
    assert Partnership.objects.count() == 60


def share_with_helpers(monkeypatch) -> list:
    """Make every import shared between two helper processes (in batches of two rows); returns the helpers
    made, as (the rows of their share, the rows read when they were made)."""
    helpers: list = []
    monkeypatch.setattr(parallel, "PARALLEL", 1)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(writer, "BATCH", 2)  # several batches, the last one short
    made = parallel.Helper.__init__

    def init(helper, resolver, rows, organised, share):
        helpers.append((list(share), len(rows)))
        made(helper, resolver, rows, organised, share)

    monkeypatch.setattr(parallel.Helper, "__init__", init)
    return helpers


def test_a_large_import_has_its_first_helper_check_while_the_rest_is_read(world, monkeypatch):
    helpers = share_with_helpers(monkeypatch)
    monkeypatch.setattr(parallel, "PARALLEL", 100)
    rows = [f'"Seed bank {n}","Seeds for the highlands.",Andes Seed Network,ngo,,2,,BOL,,,,es,,SEED-{n}\n'
            for n in range(400)]  # fmt: skip
    text = HEADER + "".join(rows)
    assert len(text) > 3 * 8192  # the file is read in pieces of 8 KB
    result = load(text, "csv", publish=True)
    assert result.ok and result.created == 400, result.problems
    (first, read_then), (second, _) = helpers
    assert first == list(range(len(first))) and second == list(range(len(first), 400))
    assert 100 < read_then < 300  # forked halfway through the file, with the rows read by then
    created = Partnership.objects.filter(external_id__startswith="SEED-").order_by("id")
    assert [p.external_id for p in created] == [f"SEED-{n}" for n in range(400)]  # ids in file order

    helpers.clear()
    again = [row.replace("SEED-", "MORE-") for row in rows]
    again[7] = rows[7].replace("Seed bank 7", "Seed bank seven")  # updates SEED-7
    again[399] = again[399].replace(",2,", ",19,")  # a problem in the second share
    result = load(HEADER + "".join(again), "csv", publish=True)
    assert [(p.line, p.column) for p in result.problems] == [(401, "goals")]
    assert len(helpers) == 2 and all(7 not in share for share, _ in helpers)  # an update is checked here
    assert Partnership.objects.get(external_id="SEED-7").title == "Seed bank 7"  # nothing written
    assert not Partnership.objects.filter(external_id__startswith="MORE-").exists()
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("slots", [1, 2, 3, 4, 8])
def test_helpers_forked_earlier_get_as_many_more_rows_as_their_head_start_allows(slots):
    """A share is the last one plus what its helper checks while the shares after it are read."""
    ends = parallel.marks(slots, reading=0.15)
    assert len(ends) == slots - 1 and ends == sorted(ends) and all(0 < end < 1 for end in ends)
    shares = [b - a for a, b in zip([0.0, *ends], [*ends, 1.0], strict=True)]
    last = shares[-1]
    for share, end in zip(shares, [*ends, 1.0], strict=True):
        assert share == pytest.approx(last + 0.15 * (1 - end))
    assert parallel.marks(2, reading=0.15) == [pytest.approx(1.15 / 2.15)]
    assert parallel.marks(slots, reading=0) == pytest.approx([n / slots for n in range(1, slots)])


@pytest.mark.parametrize("publish", [True, False])
def test_built_rows_hold_plain_values_not_enum_members(world, publish):
    """Choices left to their defaults (no category, stage or level column; the lead's role; a partner's
    role not given) reach the rows as plain text, as rows read from the database hold them: an enum member
    is pickled to the writing process and back member by member, and slows the search card's JSON."""
    from partnerhub.interop.readers import read_csv
    from partnerhub.interop.records import Resolver

    text = HEADER + '"Reef watch","Coral monitoring.",Ocean Trust,,Coastal University,14,,,009,,,en,,REEF-1\n'
    _, raw = read_csv(io.BytesIO(text.encode()))
    rows = list(raw)
    resolver = Resolver(publish=publish)
    organised = [resolver.organise(row) for row in rows]
    records = resolver.check_all(rows, organised, range(len(rows)))
    assert len(records) == 1 and not resolver.problems
    load = writer.Load(records, user=None, publish=publish, reason="test")
    (batch,) = load.built
    values = [value for table, values in batch.items() if table != "ids" for value in values]
    assert not [value for value in values if isinstance(value, Enum)]
    defaults = {"other", "initiation", "regional", "published" if publish else "draft"}
    assert defaults <= set(batch["partnership"])
    assert {"lead", "implementing"} <= set(batch["partner"])


@pytest.mark.parametrize("shared", [False, True], ids=["here", "shared"])
def test_imported_search_documents_are_what_the_indexer_writes(reference_data, monkeypatch, shared):
    """Built here, or (a large import) by two helper processes while this one writes."""
    call_command("generate", count=9, seed=5, verbosity=0)
    helpers = share_with_helpers(monkeypatch) if shared else []
    text = export_text("jsonl")
    empty_registry()
    result = load(text, "jsonl", publish=True)
    assert result.ok, result.problems
    assert result.created == 9 and len(helpers) == 2 * shared
    assert sorted(result.ids) == list(range(min(result.ids), min(result.ids) + 9))
    imported = {
        d.pk: (d.card, d.facets, d.title, d.orgs, d.body, d.sort_title) for d in SearchDocument.objects.all()
    }
    assert len(imported) == 9
    reindex_all()
    assert imported == {
        d.pk: (d.card, d.facets, d.title, d.orgs, d.body, d.sort_title) for d in SearchDocument.objects.all()
    }
    assert export_text("jsonl") == text


def test_a_shared_import_reports_the_problems_of_every_share_and_writes_nothing(world, monkeypatch):
    share_with_helpers(monkeypatch)
    rows = [f'"Seed bank {n}","Seeds.",Andes Seed Network,ngo,,2,,BOL,,,,es,,SEED-{n}\n' for n in range(8)]
    rows[0] = rows[0].replace(",2,", ",19,")  # in the first helper's share (the row read with it)
    rows[6] = rows[6].replace("BOL", "XXX")  # in the second's
    before = (Partnership.objects.count(), Organisation.objects.count(), SearchDocument.objects.count())
    result = load(HEADER + "".join(rows), "csv", publish=True)
    assert [(p.line, p.column) for p in result.problems] == [(2, "goals"), (8, "countries")]
    assert (
        Partnership.objects.count(),
        Organisation.objects.count(),
        SearchDocument.objects.count(),
    ) == before
    dry = load(HEADER + "".join(rows).replace(",19,", ",2,").replace("XXX", "BOL"), "csv", dry_run=True)
    assert dry.ok and (dry.created, dry.new_organisations) == (8, ["Andes Seed Network"])
    assert Partnership.objects.count() == before[0]
    assert not multiprocessing.active_children()


def test_a_failure_in_a_helper_writes_nothing(world, monkeypatch):
    share_with_helpers(monkeypatch)
    text = HEADER + "".join(
        f'"Seed bank {n}","Seeds.",Andes Seed Network,ngo,,2,,BOL,,,,es,,SEED-{n}\n' for n in range(3)
    )
    before = (Partnership.objects.count(), Organisation.objects.count(), SearchDocument.objects.count())
    document = writer.document

    def broken(p):
        raise ValueError("no document today")

    monkeypatch.setattr(writer, "document", broken)
    with pytest.raises(RuntimeError, match="no document today"):
        load(text, "csv", publish=True)

    def querying(p):
        return Partnership.objects.get(pk=p.pk)

    monkeypatch.setattr(writer, "document", querying)  # the helper shares the connection: it may not use it
    with pytest.raises(RuntimeError, match="No query may run"):
        load(text, "csv", publish=True)
    assert (
        Partnership.objects.count(),
        Organisation.objects.count(),
        SearchDocument.objects.count(),
    ) == before
    assert not multiprocessing.active_children()
    monkeypatch.setattr(writer, "document", document)
    assert load(text, "csv", publish=True).ok  # the connection is as good as before
    assert SearchDocument.objects.count() == before[2] + 3


def test_stored_card_equals_the_documented_serializer(world):
    for p in _queryset():
        assert json.loads(json.dumps(card(p))) == json.loads(json.dumps(StoredCardSerializer(p).data))


def test_csv_import_creates_drafts_with_new_organisations_and_is_searchable(world):
    text = HEADER + (
        '"Blue Pacific reefs","Restore coral reefs with fishing communities.",Pacific Reef Trust,ngo,'
        '"University of the South Pacific|academia|technical;Ocean Fund|philanthropy|funding",14,14.2;14.a,FJI;TON,,'
        "2024-01-01,2027-12-31,English,https://reefs.example.org,PRT-1\n"
    )
    result = load(text, "csv", user=world.focal_point)
    assert result.ok, result.problems
    p = Partnership.objects.get(external_id="PRT-1")
    assert p.status == "draft" and p.geographic_level == "regional"
    assert sorted(p.targets.values_list("code", flat=True)) == ["14.2", "14.a"]
    assert {o.name for o in p.organisations.all()} == {
        "Pacific Reef Trust",
        "University of the South Pacific",
        "Ocean Fund",
    }
    assert p.partners.get(role="lead").organisation.type == "ngo"
    assert world.focal_point in p.focal_points.all()
    assert p.history.count() == 1 and "Imported from" in p.history.first().history_change_reason
    edited = text.replace("Restore coral reefs", "Restore and monitor coral reefs")
    again = load(edited, "csv", user=world.focal_point)
    assert (again.created, again.updated) == (0, 1)
    p.refresh_from_db()
    assert p.summary.startswith("Restore and monitor")


def test_publish_import_is_found_by_search(world):
    text = (
        HEADER
        + '"Quinoa seed banks","Andean seed banks for quinoa diversity.",Andes Seed Network,ngo,,2,2.5,BOL,,,,es,,SEED-1\n'
    )
    assert load(text, "csv", publish=True).ok
    assert search(SearchParams(q="quinoa")).total == 1


def test_a_large_import_into_a_small_registry_loads_in_bulk(reference_data, monkeypatch):
    """An import as large as the registry rebuilds SQLite's indexes at the end, and refreshes PostgreSQL's
    planner statistics (both checked here with a small file standing for a large one)."""
    monkeypatch.setattr(writer, "LARGE", 2)
    monkeypatch.setattr(writer, "BATCH", 2)
    empty_registry()
    rows = "".join(
        f'"Seed bank {n}","Seeds of the Andes.",Andes Seed Network,ngo,Potato Centre|academia,2,2.5,BOL,,,,es,,SEED-{n}\n'
        for n in range(3)
    )
    result = load(HEADER + rows, "csv", publish=True)
    assert result.ok and result.created == 3
    assert search(SearchParams(q="seed")).total == 3
    # Each row written has its history row, batch after batch (copied by key while the indexes are away).
    partners = Partner.objects.filter(partnership__in=result.ids)
    assert Partnership.history.filter(id__in=result.ids).count() == 3
    written = sorted(partners.values_list("id", "partnership_id", "role"))
    assert len(written) == 6
    assert sorted(Partner.history.values_list("id", "partnership_id", "role")) == written
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            assert {"searchdoc_newest", "searchdoc_title"} <= {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s", [SearchDocument._meta.db_table]
            )
            assert cursor.fetchone()[0] == 3


def test_every_problem_is_reported_and_nothing_is_written(world):
    before = (Partnership.objects.count(), Organisation.objects.count())
    text = HEADER + (
        '"=HYPERLINK(""http://evil.example"")",Sum,Nobody Org,,,19,14.9,XXX,,2020-13-01,,klingon,ftp://x,\n'
        ",Second,Ocean Trust,,,14,,,,,,,,\n"
        '"Good row","A good summary.",Brand New Org,ngo,,14,,FJI,,,,,,\n'
    )
    result = load(text, "csv")
    assert not result.ok and result.created == 0
    found = {(p.line, p.column) for p in result.problems}
    assert {(2, "title"), (2, "goals"), (2, "targets"), (2, "countries"), (2, "start_date"), (2, "language"),
            (2, "website"), (2, "lead_organisation"), (3, "title")} <= found  # fmt: skip
    assert all(p.as_dict()["message"] for p in result.problems)
    assert (Partnership.objects.count(), Organisation.objects.count()) == before


def test_an_unknown_organisation_without_a_type_is_told_where_to_give_it(world):
    text = HEADER + '"A title","A summary.",Nobody Org,,Somebody Else,14,,,,,,,,\n'
    result = load(text, "csv")
    messages = {p.column: p.message for p in result.problems}
    assert "lead_organisation_type" in messages["lead_organisation"]
    assert "ngo" in messages["lead_organisation"]  # the types are listed
    assert "Name|type" in messages["partners"]


@pytest.mark.parametrize(
    ("content", "fmt", "expected"),
    [
        (HEADER.encode() + "Caf\xe9,x,y,ngo,,,,,,,,,,\n".encode("latin-1"), "csv", "not UTF-8"),
        (HEADER.encode() + b'"Unclosed,summary,Org,ngo,,,,,,,,,,\n', "csv", "ends inside a quoted cell"),
        (HEADER.encode() + b"a,b,c\n", "csv", "has 3 cells"),
        (b"name;text\nx;y\n", "csv", "lacks the required columns"),
        (HEADER.encode() + b"T," + b"x" * 120_000 + b",Org,ngo,,,,,,,,,,\n", "csv", "characters"),
        (b"PK\x03\x04 not really a workbook", "xlsx", "not an XLSX workbook"),
        (
            b'{"title": "a", "summary": "b", "lead_organisation": "c"}\n{"title": "trunc',
            "jsonl",
            "Not valid JSON",
        ),
        (b"<iati-activities version='2.03'><iati-activity><iati-identifier>X", "iati", "Not well-formed XML"),
        (b"<rss/>", "iati", "not an IATI activities file"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(world, content, fmt, expected):
    before = Partnership.objects.count()
    result = import_file(io.BytesIO(content), fmt=fmt)
    assert not result.ok
    assert any(expected in p.message for p in result.problems), [str(p) for p in result.problems]
    assert Partnership.objects.count() == before


def test_semicolon_separated_csv_is_read(world):
    text = (
        HEADER.replace(",", ";")
        + '"Semicolons";"Excel wrote this.";Ocean Trust;;"Ocean Fund|ngo|funding";3;;;;;;;;\n'
    )
    result = load(text, "csv")
    assert result.ok, result.problems
    assert result.created == 1


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<iati-activities><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><iati-activities><iati-activity><title><narrative>&lol3;'
        b"</narrative></title></iati-activity></iati-activities>",
    ],
    ids=["xxe", "billion-laughs"],
)
def test_xml_entities_are_refused(world, payload):
    result = import_file(io.BytesIO(payload), fmt="iati")
    assert not result.ok
    assert "DTD or entities" in result.problems[0].message


def test_iati_export_is_valid_against_the_schema_and_code_lists(world, tmp_path):
    path = tmp_path / "registry.xml"
    path.write_text(export_text("iati"), encoding="utf-8")
    assert validate(path) == []
    assert code_errors(path) == []
    text = path.read_text()
    assert '<tag vocabulary="3" code="14.1"/>' in text or 'vocabulary="2"' in text
    assert "<iati-identifier>XI-IATI-PARTNERHUB-" in text


def test_official_iati_example_imports(world):
    result = import_file(DATA / "activity-standard-example-annotated-2.03.xml", publish=True)
    assert result.ok, [str(p) for p in result.problems]
    p = Partnership.objects.get(external_id="AA-AAA-123456789-ABC123")
    assert p.status == "published"
    assert p.partners.filter(role="lead").exists()


def test_real_iati_publication_imports_and_says_what_it_left_out(world):
    path = DATA / "MAEC_IATI_INDONESIA.xml"
    result = import_file(path)
    assert result.ok, [str(p) for p in result.problems[:5]]
    assert result.created == 83
    assert any("OECD DAC" in note for note in result.notes)
    assert any("negative budgets" in note for note in result.notes)
    again = import_file(path)
    assert (again.created, again.unchanged) == (0, 83)


def test_formula_cells_are_escaped_in_csv_and_xlsx_exports(world, tmp_path):
    world.published.title = '=HYPERLINK("http://evil.example","click")'
    world.published.save()
    reindex_all()
    text = export_text("csv")
    assert "'=HYPERLINK" in text
    path = tmp_path / "out.xlsx"
    exporting.write_xlsx(exporting.export_rows(), path)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","click")' in titles


@pytest.mark.parametrize(
    "cells",
    [
        [
            "plain",
            "",
            "with, comma",
            'a "quote"',
            "line\nbreak",
            "cr\rhere",
            '"',
            ",",
            "é 中文 ;|",
            " padded ",
        ],
        ["", ""],
        ['=HYPERLINK("x")', "'=escaped", "tab\there", "\r\n"],
    ],
)
def test_csv_lines_are_what_the_csv_module_writes(cells):
    # The csv module quotes a lone carriage return only when it is in the line terminator (a reader
    # would end the record there otherwise); export always quotes it.
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerow(cells)
    assert exporting.csv_line(cells) == expected.getvalue().removesuffix("\r\n") + "\n"
    assert next(csv.reader(io.StringIO(exporting.csv_line(cells)))) == cells


def test_xlsx_round_trip(reference_data, tmp_path):
    call_command("generate", count=25, seed=4, verbosity=0)
    path = tmp_path / "out.xlsx"
    exporting.write_xlsx(exporting.export_rows(), path)
    csv_before = export_text("csv")
    empty_registry()
    assert import_file(path, publish=True).ok
    assert export_text("csv") == csv_before


def _refused_title_file(fmt: str, tmp_path) -> Path:
    """A file whose first row's title is a formula and whose second row names goal 99."""
    rows = [["=HYPERLINK(\"http://evil.example\")", "A summary.", "Ocean Trust", "14"],
            ["Reef guardians", "Another summary.", "Ocean Trust", "99"]]  # fmt: skip
    names = ["title", "summary", "lead_organisation", "goals"]
    path = tmp_path / f"in.{fmt}"
    if fmt == "xlsx":
        workbook = Workbook()
        for row in [names, *rows]:
            workbook.active.append(row)
        workbook.save(path)
    elif fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([names, *rows])
    else:
        path.write_text("".join(json.dumps(dict(zip(names, row, strict=True))) + "\n" for row in rows))
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_a_refused_cell_is_reported_once_and_the_other_rows_are_checked(world, tmp_path, fmt):
    result = import_file(_refused_title_file(fmt, tmp_path))
    assert not result.ok and Partnership.objects.filter(title="Reef guardians").count() == 0
    # The formula is the title's one problem: the emptied cell is not reported again as missing.
    first = 1 if fmt == "jsonl" else 2  # after the header line, if the format has one
    assert [(p.line, p.column) for p in result.problems] == [(first, "title"), (first + 1, "goals")]
    assert "formula" in result.problems[0].message


def test_a_jsonl_file_with_unreadable_lines_still_has_its_records_checked(world):
    text = (
        '{"title": "Reef guardians", "summary": "A summary.", "lead_organisation": "Ocean Trust", "goals": "99"}\n'
        "not json\n"
    )
    result = load(text, "jsonl")
    assert {(p.line, p.column) for p in result.problems} == {(1, "goals"), (2, "")}
    assert Partnership.objects.filter(title="Reef guardians").count() == 0


class _Pipe(io.BytesIO):
    """A stream that cannot go back, as standard input from a pipe."""

    def seekable(self) -> bool:
        return False


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_byte_that_is_not_utf8_is_placed_on_its_line(world, fmt):
    # Far enough in the file that the text reader has decoded past many lines when it fails.
    lines = [HEADER.rstrip()] if fmt == "csv" else []
    for n in range(3000):
        title = "Caf\udce9" if n == 2500 else f"Row {n}"
        if fmt == "csv":
            lines.append(f"{title},A summary,Ocean Trust,,,14,,,,,,,,")
        else:
            lines.append(json.dumps({"title": title, "summary": "s", "lead_organisation": "Ocean Trust"}))
    content = "\n".join(lines).encode("utf-8", "surrogateescape").replace(b"\\udce9", b"\xe9") + b"\n"
    line = 2500 + len(lines) - 3000 + 1
    before = Partnership.objects.count()
    result = import_file(io.BytesIO(content), fmt=fmt)
    assert [(p.line, p.column) for p in result.problems if "UTF-8" in p.message] == [(line, "")]
    assert "0xe9" in result.problems[-1].message
    assert Partnership.objects.count() == before
    piped = import_file(_Pipe(content), fmt=fmt)  # it cannot be read again: said near the line
    assert not piped.ok and any("not UTF-8" in p.message for p in piped.problems)


def test_xlsx_formula_cells_are_refused(world, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "summary", "lead_organisation"])
    sheet.append(["=1+1", "x", "Ocean Trust"])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    result = import_file(path)
    assert not result.ok and any("formula" in p.message for p in result.problems)


def test_export_follows_browse_filters(reference_data):
    call_command("generate", count=80, seed=2, verbosity=0)
    goal = str(Partnership.objects.first().goals.first().pk)
    params = exporting.search_params({"goal": [goal]})
    lines = export_text("csv", params).splitlines()[1:]
    assert len(lines) == search(SearchParams(filters={"goal": [goal]})).total > 0
    with pytest.raises(Exception, match="Select a valid choice"):
        exporting.search_params({"goal": ["99"]})


def test_import_command_dry_run_writes_nothing_and_json_lists_problems(world, tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + '"New","Summary here.",Ocean Trust,,,3,,,,,,,,\n')
    call_command("import", str(path), dry_run=True, verbosity=0)
    assert not Partnership.objects.filter(title="New").exists()
    assert "would be created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ",,,,,,,,,,,,,\n,x,y,,,,,,,,,,,\n")
    with pytest.raises(Exception, match="nothing was written"):
        call_command("import", str(bad), json=True)
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["problems"][0]["line"] == 3


def test_commands_take_dash_for_standard_input_and_output(world, tmp_path, capsys, monkeypatch):
    call_command("export", format="csv", output="-", verbosity=0)
    exported = capsys.readouterr().out
    assert world.published.title in exported and not (Path.cwd() / "-").exists()
    empty_registry()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(exported.encode())))
    with pytest.raises(
        Exception, match="Refused: 1 problem; nothing"
    ):  # stdin has no name to tell the format by
        call_command("import", "-", verbosity=0)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(exported.encode())))
    call_command("import", "-", format="csv", publish=True, verbosity=0)
    assert Partnership.objects.get().title == world.published.title


def test_api_streams_exports_with_browse_filters(world, client):
    response = client.get("/api/v1/export/partnerships.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("external_id,status,title")
    assert world.published.title in body and world.partnership.title not in body  # drafts never leave
    jsonl = b"".join(client.get("/api/v1/export/partnerships.jsonl?goal=14").streaming_content).decode()
    assert all(14 in json.loads(line)["goals"] for line in jsonl.splitlines())
    xml = b"".join(client.get("/api/v1/export/partnerships.xml").streaming_content)
    assert xml.startswith(b"<?xml") and b"<iati-activity " in xml
    xlsx = client.get("/api/v1/export/partnerships.xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    bad = client.get("/api/v1/export/partnerships.csv?goal=99")
    assert bad.status_code == 400 and "goal" in bad.json()["errors"]


def test_browse_page_offers_downloads_of_the_current_filter(world, client):
    page = client.get("/partnerships/?goal=14&sort=title").content.decode()
    assert "/api/v1/export/partnerships.csv?goal=14" in page
    assert "sort=title" not in page.split("Download:")[1][:400]
