"""Bulk export of published partnerships: CSV, XLSX and JSON Lines (IATI XML is in iati.py).

Every format reads the same rows (`export_rows`): the partnerships a browse search would list (all
published ones by default), oldest registration first, in batches, from the stored search-result card
of each (one indexed read per batch) plus the few columns the card does not hold. Nothing is collected
in memory, so a million rows stream in constant memory.
"""

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import QueryDict

from partnerhub.core.bulk import collector_paused
from partnerhub.reference.models import Area
from partnerhub.registry.models import Commitment, Deliverable, Partnership, SearchDocument
from partnerhub.registry.search.service import DELISTED, SearchParams, search_ids

from .columns import COLUMNS, LIST_SEPARATOR, PART_SEPARATOR, escape_cell, quote_part
from .services import registry_identifier

BATCH = 2000
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header


@dataclass
class Areas:
    kinds: dict[str, tuple[str, str]]  # M49 code -> (kind, ISO alpha-3)

    @classmethod
    def load(cls) -> "Areas":
        return cls({a.code: (a.kind, a.iso3) for a in Area.objects.only("code", "kind", "iso3")})

    def split(self, codes: list[str]) -> tuple[list[str], list[str]]:
        countries, regions = [], []
        for code in codes:
            kind, iso3 = self.kinds.get(code, ("", ""))
            if kind == Area.Kind.COUNTRY and iso3:
                countries.append(iso3)
            else:
                regions.append(code)
        return sorted(countries), regions


def _is_plain(params: SearchParams | None) -> bool:
    return params is None or (not params.q.strip() and not any(params.filters.values()))


# What export reads of each partnership: its search card (as JSON text, decoded here with orjson: Django's
# JSONField conversion cost a third of the time of a CSV export, the json module a quarter) and the few
# columns the card does not hold.
DOCUMENT = (
    "partnership_id",
    "card_text",
    "partnership__external_id",
    "partnership__status",
    "partnership__website",
)


def _documents(params: SearchParams | None) -> Iterator[list[tuple]]:
    """Batches of DOCUMENT rows in registration order. Without a query or filter they are read with keyset
    paging straight from the search documents (one indexed range read a batch); otherwise the search
    service finds the ids and each batch is read by id."""
    documents = SearchDocument.objects.annotate(card_text=Cast("card", TextField()))
    if _is_plain(params):
        last = 0
        while True:
            batch = list(
                documents.filter(visible=True, partnership_id__gt=last)
                .exclude(facets__contains=DELISTED)
                .order_by("partnership_id")
                .values_list(*DOCUMENT)[:BATCH]
            )
            if not batch:
                return
            yield batch
            last = batch[-1][0]
    assert params is not None
    ids = search_ids(params)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        found = {row[0]: row for row in documents.filter(partnership_id__in=chunk).values_list(*DOCUMENT)}
        yield [found[pid] for pid in chunk if pid in found]


def export_rows(params: SearchParams | None = None, *, details: bool = False) -> Iterator[dict]:
    """One dict per partnership with the values of COLUMNS (lists as lists); with `details`, also texts,
    indicators, commitments and deliverables (JSON Lines, IATI) and `_card`, the stored card."""
    areas = Areas.load()
    decode = orjson.loads
    prefix = settings.PARTNERHUB_IATI_IDENTIFIER_PREFIX
    for batch in _documents(params):
        extra = _details([row[0] for row in batch]) if details else {}
        for pid, card_text, external_id, status, website in batch:
            card = decode(card_text)
            row = _row(card, external_id or registry_identifier(pid, prefix), status, website, areas)
            if details:
                row.update(extra.get(pid, {}))
                row["_card"] = card
            yield row


def _row(card: dict, external_id: str, status: str, website: str, areas: Areas) -> dict:
    lead = next((p for p in card["partners"] if p["role"] == "lead"), None)
    countries, regions = areas.split(card["areas"])
    return {
        "external_id": external_id,
        "status": status,
        "title": card["title"],
        "summary": card["summary"],
        "lead_organisation": lead["organisation"]["name"] if lead else "",
        "lead_organisation_type": lead["organisation"]["type"] if lead else "",
        "partners": [
            {"name": p["organisation"]["name"], "type": p["organisation"]["type"], "role": p["role"]}
            for p in card["partners"]
            if p is not lead
        ],
        "goals": card["goals"],
        "targets": card["targets"],
        "countries": countries,
        "regions": regions,
        "start_date": card["start_date"] or "",
        "end_date": card["end_date"] or "",
        "language": card["language"],
        "website": website,
        "geographic_level": card["geographic_level"],
        "category": card["category"],
        "stage": card["stage"],
    }


def _details(ids: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {
        pk: {"challenge": challenge, "objectives": objectives, "updated_at": updated_at.isoformat(),
             "indicators": [], "commitments": [], "deliverables": []}
        for pk, challenge, objectives, updated_at in Partnership.objects.filter(pk__in=ids).values_list(
            "pk", "challenge", "objectives", "updated_at")
    }  # fmt: skip
    through = Partnership.indicators.through
    for pid, code in (
        through.objects.filter(partnership_id__in=ids)
        .order_by("indicator_id")
        .values_list("partnership_id", "indicator_id")
    ):
        out[pid]["indicators"].append(code)
    commitments = Commitment.objects.filter(partnership_id__in=ids).order_by("partnership_id", "id")
    for pid, kind, in_kind_type, amount, currency, status, description, org in commitments.values_list(
        "partnership_id", "kind", "in_kind_type", "amount", "currency_id", "status", "description",
        "partner__organisation__name",
    ):  # fmt: skip
        item = {"organisation": org, "kind": kind, "status": status, "description": description}
        if kind == Commitment.Kind.FINANCIAL:
            item.update(amount=str(amount), currency=currency)
        else:
            item.update(in_kind_type=in_kind_type)
        out[pid]["commitments"].append(item)
    for pid, title, due, status in (
        Deliverable.objects.filter(partnership_id__in=ids)
        .order_by("partnership_id", "id")
        .values_list("partnership_id", "title", "due_date", "status")
    ):
        out[pid]["deliverables"].append(
            {"title": title, "due_date": due.isoformat() if due else None, "status": status}
        )
    return out


# --- CSV and XLSX ----------------------------------------------------------------------------------------


def _joined(values: list) -> str:
    return LIST_SEPARATOR.join(map(str, values))


def _partners(partners: list[dict]) -> str:
    return escape_cell(
        LIST_SEPARATOR.join(
            PART_SEPARATOR.join((quote_part(p["name"]), p["type"], p["role"])) for p in partners
        )
    )


# How each column becomes a cell: text people typed is escaped (a spreadsheet would run "=…" as a
# formula); lists are joined with ";"; codes and dates the registry wrote are written as they are.
CELL: dict[str, Callable[[Any], str] | None] = {
    "external_id": escape_cell, "title": escape_cell, "summary": escape_cell,
    "lead_organisation": escape_cell, "website": escape_cell, "partners": _partners,
    **dict.fromkeys(("goals", "targets", "countries", "regions"), _joined),
}  # fmt: skip
CELLS = tuple((name, CELL.get(name)) for name in COLUMNS)


def cells(row: dict) -> list[str]:
    """A row as text cells: lists joined with ';' (partners as Name|type|role), formulas escaped."""
    return [row[name] if convert is None else convert(row[name]) for name, convert in CELLS]


def csv_line(cells: list[str]) -> str:
    """One CSV record as the csv module writes it (QUOTE_MINIMAL, "\\n" line ends): a cell holding a comma, a
    quote, a line feed or a carriage return is quoted, its quotes doubled. (The module leaves a lone
    carriage return unquoted when the line terminator lacks it, and readers then end the record there.)
    Written out because the module's writer, appending a character at a time, took a third of a
    million-row export; a test checks that the two agree."""
    return ",".join([
        '"' + cell.replace('"', '""') + '"' if '"' in cell or "," in cell or "\n" in cell or "\r" in cell else cell
        for cell in cells
    ]) + "\n"  # fmt: skip


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """The CSV text, a header and then a chunk of lines per batch of rows. The cyclic garbage collector
    is paused while a chunk is built: a row makes only acyclic dicts and lists, which reference counting
    frees, and the collections their allocations set off cost a fifth of the time."""
    yield csv_line(list(COLUMNS))
    rows = iter(rows)
    while True:
        with collector_paused():
            chunk = "".join([csv_line(cells(row)) for row in itertools.islice(rows, BATCH)])
        if not chunk:
            return
        yield chunk


def jsonl_lines(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        row.pop("_card", None)
        yield orjson.dumps(row).decode() + "\n"


def write_xlsx(rows: Iterable[dict], target) -> int:
    """Write the rows into an XLSX workbook (openpyxl's write-only mode streams to the file)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("partnerships")
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows:
        count += 1
        if count > XLSX_MAX_ROWS:
            raise ValueError("An XLSX sheet holds at most 1,048,575 rows; export CSV or JSON Lines instead.")
        sheet.append(cells(row))
    workbook.save(target)
    return count


def search_params(query: "QueryDict | dict") -> SearchParams | None:
    """The browse filters of an export (the API's and the browse page's query parameters), checked by the
    same FilterSet. None means everything published. Raises ValidationError for a bad value."""
    from django.core.exceptions import ValidationError

    from partnerhub.registry.filters import PartnershipFilter

    known = set(PartnershipFilter.base_filters) - {"cursor", "sort"}
    data = {k: v for k, v in (query.lists() if hasattr(query, "lists") else query.items()) if k in known}
    if not any(v for v in data.values()):
        return None
    flat = QueryDict(mutable=True)
    for key, values in data.items():
        flat.setlist(key, [str(v) for v in values] if isinstance(values, list) else [str(values)])
    filterset = PartnershipFilter(flat, queryset=Partnership.objects.none())
    if not filterset.is_valid():
        raise ValidationError({name: list(messages) for name, messages in filterset.errors.items()})
    return filterset.to_search(limit=1, facets=False)
