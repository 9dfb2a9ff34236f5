"""Reading import files into rows of named values, refusing malformed files with precise reasons.

CSV (UTF-8, comma, semicolon or tab separated, detected from the header), XLSX (the first sheet) and JSON
Lines give one `RawRow` per record; IATI XML is read by iati.py into the same shape. Values are strings,
except in JSON Lines and IATI where lists and objects may appear. Nothing here knows what a partnership
is: records.py checks the values.
"""

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import IO, Any

from django.utils.translation import gettext as _

from .columns import (
    COLUMNS,
    FORMULA_START,
    IATI_KEYS,
    REQUIRED,
    RICH_KEYS,
    looks_like_formula,
    unescape_cell,
)

MAX_CELL = 100_000  # characters in one cell: anything longer is refused, not truncated
CELL_MARKS = frozenset(FORMULA_START) | {"'"}  # first characters of the cells `_check_cell` may change
NO_COLUMNS: frozenset[str] = frozenset()
_FIRST = itemgetter(slice(0, 1))  # a cell's first character ("" for an empty cell)
FORMATS = ("csv", "xlsx", "jsonl", "iati")
EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl",
              ".ndjson": "jsonl", ".json": "jsonl", ".xml": "iati"}  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """One reason an import is refused: where (line of the file, or record) and what to do about it."""

    line: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = [_("line %(n)s") % {"n": self.line}] if self.line else []
        where += [self.column] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRefused(Exception):
    """The file cannot be imported; `problems` says every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass
class RawRow:
    line: int
    values: dict[str, Any]
    # The columns whose cell the reader refused (a formula, a huge cell: the problem is reported, the value
    # left empty), so that the checks of the row do not report them again, as missing say.
    refused: frozenset[str] = NO_COLUMNS


def format_of(filename: str, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMATS:
            raise ImportRefused([Problem(None, "", _("Unknown format %(f)s; use one of: %(all)s.")
                                         % {"f": explicit, "all": ", ".join(FORMATS)})])  # fmt: skip
        return explicit
    for extension, found in EXTENSIONS.items():
        if filename.lower().endswith(extension):
            return found
    raise ImportRefused(
        [
            Problem(
                None, "", _("Cannot tell the format from the file name; say it (csv, xlsx, jsonl or iati).")
            )
        ]
    )


def _check_cell(problems: list[Problem], line: int, column: str, value: str) -> str:
    value = value.strip()
    if len(value) > MAX_CELL:
        problems.append(Problem(line, column, _("The cell holds %(n)s characters; at most %(max)s are accepted.")
                                % {"n": f"{len(value):,}", "max": f"{MAX_CELL:,}"}))  # fmt: skip
        return ""
    if looks_like_formula(value):
        problems.append(Problem(line, column, _(
            "The cell starts like a spreadsheet formula (%(start)s…) and is refused; if it is text, begin it "
            "with an apostrophe (').") % {"start": value[:12]}))  # fmt: skip
        return ""
    return unescape_cell(value)


def _check_cells(problems: list[Problem], line: int, values: dict[str, Any]) -> frozenset[str]:
    """`_check_cell` on each text value of a row, in place; the columns whose cell it refused."""
    before = len(problems)
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = _check_cell(problems, line, name, value)
    return frozenset(p.column for p in problems[before:]) if len(problems) > before else NO_COLUMNS


def _header(cells: list[str], problems: list[Problem]) -> list[str]:
    header = [c.strip().lower().lstrip("\ufeff") for c in cells]
    seen = set()
    for name in header:
        if name and name in seen:
            problems.append(Problem(1, name, _("The column appears twice in the header.")))
        seen.add(name)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(Problem(1, "", _("The header lacks the required columns %(missing)s (it reads: %(found)s).")
                                % {"missing": ", ".join(missing), "found": ", ".join(header)[:300]}))  # fmt: skip
    return header


def unknown_columns(header: list[str]) -> list[str]:
    known = set(COLUMNS) | set(RICH_KEYS) | set(IATI_KEYS)
    return [name for name in header if name and name not in known]


def _delimiter(first_line: str) -> str:
    """The separator that makes the header name the most known columns (Excel writes ';' in some locales)."""
    best, score = ",", -1
    for candidate in (",", ";", "\t"):
        names = {
            c.strip().lower().lstrip("\ufeff") for c in next(csv.reader([first_line], delimiter=candidate))
        }
        found = len(names & set(COLUMNS))
        if found > score:
            best, score = candidate, found
    return best


def read_csv(stream: IO[bytes]) -> tuple[list[str], Iterator[RawRow]]:
    """The header and the rows of a CSV file. Raises ImportRefused for a file that is not UTF-8, has no
    usable header, is truncated inside a quoted cell, or has rows of the wrong length (all found)."""
    start = position(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    problems: list[Problem] = []
    try:
        first = text.readline()
    except UnicodeDecodeError as error:
        raise ImportRefused([_not_utf8(error, 1, stream, start)]) from None
    if not first.strip():
        raise ImportRefused([Problem(1, "", _("The file is empty; the first line must name the columns."))])
    delimiter = _delimiter(first)
    header = _header(next(csv.reader([first], delimiter=delimiter)), problems)
    if problems:
        raise ImportRefused(problems)
    csv.field_size_limit(MAX_CELL * 4 + 16)
    reader = csv.reader(text, delimiter=delimiter, strict=True)

    def rows() -> Iterator[RawRow]:
        line = 1
        row_problems: list[Problem] = []
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as error:
                row_problems.append(_not_utf8(error, reader.line_num + 2, stream, start))
                break
            except csv.Error as error:
                row_problems.append(_csv_error(error, reader.line_num + 1))
                break
            line = reader.line_num + 1
            cells = list(map(str.strip, cells))
            if not any(cells):
                continue
            if len(cells) != len(header):
                row_problems.append(Problem(line, "", _("The row has %(n)s cells; the header names %(m)s. Check the separator and the quotes.")
                                            % {"n": len(cells), "m": len(header)}))  # fmt: skip
                continue
            values = dict(zip(header, cells, strict=True))
            values.pop("", None)
            refused = NO_COLUMNS
            # Only a row with a cell that starts like a formula or an escaped one, or a huge one, needs a
            # look (the test over the whole row runs in C: 2 µs a row instead of 5).
            if not CELL_MARKS.isdisjoint(map(_FIRST, cells)) or max(map(len, cells)) > MAX_CELL:
                refused = _check_cells(row_problems, line, values)
            yield RawRow(line, values, refused)
        if row_problems:
            raise ImportRefused(row_problems)

    return header, rows()


def position(stream: IO[bytes]) -> int | None:
    """Where a stream is, if it can come back there (`_not_utf8` reads it again; an import measures what
    is left to read)."""
    try:
        return stream.tell() if stream.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def _not_utf8(error: UnicodeDecodeError, line: int, stream: IO[bytes], start: int | None) -> Problem:
    """The first byte that is not UTF-8, and its line. A text stream decodes well ahead of the line it
    reads, so the error says only near which line it is: the line is found by reading the stream again
    from `start` when it can be (a file, an upload; not a pipe)."""
    byte = error.object[error.start : error.start + 1].hex()
    if start is not None and (found := _first_bad_byte(stream, start)) is not None:
        line, byte = found
    return Problem(line, "", _("The file is not UTF-8 text (byte 0x%(byte)s near line %(line)s). Save it as UTF-8 (in Excel: “CSV UTF-8”).")
                   % {"byte": byte, "line": line})  # fmt: skip


def _first_bad_byte(stream: IO[bytes], start: int) -> tuple[int, str] | None:
    """(line, byte in hex) of the first byte after `start` that is not UTF-8; None if there is none."""
    stream.seek(start)
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    while True:
        chunk = stream.read(1 << 16)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            bad = error.object  # the bytes the decoder kept from the chunk before (no newline), and this one
            return line + bad.count(b"\n", 0, error.start), bad[error.start : error.start + 1].hex()
        if not chunk:
            return None
        line += chunk.count(b"\n")


def _csv_error(error: csv.Error, line: int) -> Problem:
    message = str(error)
    if "field larger than field limit" in message:
        return Problem(line, "", _("A cell is larger than %(max)s characters.") % {"max": f"{MAX_CELL:,}"})
    if "unexpected end of data" in message or "EOF" in message:
        return Problem(
            line, "", _("The file ends inside a quoted cell: it is truncated, or a quote is not closed.")
        )
    return Problem(line, "", _("The CSV cannot be read here (%(reason)s).") % {"reason": message})


def _xlsx_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_xlsx(stream: IO[bytes]) -> tuple[list[str], Iterator[RawRow]]:
    """The header and rows of the first sheet of an XLSX workbook (openpyxl parses its XML with
    defusedxml). Formulas are refused like formula-looking CSV cells."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportRefused([Problem(None, "", _("This is not an XLSX workbook, or it is damaged or truncated (%(reason)s).")
                                     % {"reason": error})]) from None  # fmt: skip
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    problems: list[Problem] = []
    first = next(cells, None)
    if not first:
        raise ImportRefused(
            [Problem(1, "", _("The first sheet is empty; its first row must name the columns."))]
        )
    header = _header([_xlsx_value(v) for v in first], problems)
    if problems:
        raise ImportRefused(problems)

    def rows() -> Iterator[RawRow]:
        row_problems: list[Problem] = []
        for line, row in enumerate(cells, start=2):
            values = [_xlsx_value(v) for v in row]
            if not any(v.strip() for v in values):
                continue
            values += [""] * (len(header) - len(values))
            named = {name: value for name, value in zip(header, values, strict=False) if name}
            yield RawRow(line, named, _check_cells(row_problems, line, named))
        workbook.close()
        if row_problems:
            raise ImportRefused(row_problems)

    return header, rows()


def read_jsonl(stream: IO[bytes]) -> tuple[list[str], Iterator[RawRow]]:
    """One JSON object per line; the header is the union of the records' keys. Like a CSV file's, the records
    read are checked even when some lines cannot be read (their problems are raised after the records)."""
    start = position(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    problems: list[Problem] = []
    records: list[RawRow] = []
    keys: dict[str, None] = {}
    line = 0
    try:
        for line, raw in enumerate(text, start=1):
            if not raw.strip():
                continue
            if len(raw) > MAX_CELL * 20:
                problems.append(
                    Problem(line, "", _("The line is too long (%(n)s characters).") % {"n": f"{len(raw):,}"})
                )
                continue
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as error:
                problems.append(Problem(line, "", _("Not valid JSON (%(reason)s); a truncated file ends like this.")
                                        % {"reason": error.msg}))  # fmt: skip
                continue
            if not isinstance(value, dict):
                problems.append(Problem(line, "", _("Each line must be a JSON object.")))
                continue
            keys.update(dict.fromkeys(value))
            records.append(RawRow(line, value, _check_cells(problems, line, value)))
    except UnicodeDecodeError as error:
        problems.append(_not_utf8(error, line + 1, stream, start))
    if not records and not problems:
        problems.append(Problem(None, "", _("The file holds no records.")))
    header = list(keys)
    missing = [c for c in REQUIRED if c not in keys]
    if missing and records:
        problems.append(
            Problem(None, "", _("No record has the keys %(missing)s.") % {"missing": ", ".join(missing)})
        )
    if not records or missing:
        raise ImportRefused(problems)

    def rows() -> Iterator[RawRow]:
        yield from records
        if problems:
            raise ImportRefused(problems)

    return header, rows()
