"""The column set of CSV, XLSX and JSON Lines files (docs/import-format.md), and the cell rules shared by
import and export: list separators, and the escaping of cells a spreadsheet would run as a formula."""

import re

# In the order export writes them. Import requires title, summary and lead_organisation; the rest is
# optional. `external_id` is the partnership's stable identifier: export always fills it (with the
# registry's own identifier when the entry was born here), and an import updates the partnership that
# carries it instead of creating another.
COLUMNS = (
    "external_id", "status", "title", "summary", "lead_organisation", "lead_organisation_type", "partners",
    "goals", "targets", "countries", "regions", "start_date", "end_date", "language", "website",
    "geographic_level", "category", "stage",
)  # fmt: skip
REQUIRED = ("title", "summary", "lead_organisation")
LIST_COLUMNS = ("partners", "goals", "targets", "countries", "regions")
# Extra keys of a JSON Lines record and of an IATI activity (not in CSV): lists of objects.
RICH_KEYS = ("challenge", "objectives", "indicators", "commitments", "deliverables", "updated_at")
# Keys only the IATI reader produces.
IATI_KEYS = ("countries_iso2", "lead_organisation_identifier")

LIST_SEPARATOR = ";"
PART_SEPARATOR = "|"
# OWASP "CSV injection": a cell starting with one of these is run by spreadsheets as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    """Export: a text cell a spreadsheet would evaluate gets a leading apostrophe (shown, never run)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def unescape_cell(value: str) -> str:
    """Import: undo `escape_cell`, so an exported file re-imports to the same text."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def looks_like_formula(value: str) -> bool:
    """A cell that a spreadsheet would run: '=…', or '+', '-', '@' followed by a function call or a DDE
    link (`+cmd|' /C calc'!A0`). Plain text such as '-5 % emissions' or '@handle' is not."""
    if value.startswith("="):
        return True
    return bool(value[:1] in ("+", "-", "@") and re.match(r"[+\-@]\s*[A-Za-z_][\w.]*\s*(\(|\|)", value))


def quote_part(text: str) -> str:
    """A name inside a list cell: its separators are backslash-escaped."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace("|", "\\|")


def split_list(cell: str) -> list[str]:
    """'a;b' -> ['a', 'b'], honouring '\\;' inside items; empty items dropped."""
    return [item for item in _split_on(cell, ";", final=False) if item]


def split_parts(item: str) -> list[str]:
    """'Name|ngo|funding' -> ['Name', 'ngo', 'funding'], honouring '\\|'."""
    return _split_on(item, "|", final=True)


def _split_on(text: str, separator: str, *, final: bool) -> list[str]:
    """Split on unescaped separators; other escapes are kept for the next split unless `final`."""
    if "\\" not in text:
        return [part.strip() for part in text.split(separator)]
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char if final or char == separator else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts
