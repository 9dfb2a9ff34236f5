"""Reading the UN Security Council Consolidated List (XML, the format of scsanctions.un.org).

Parsed with defusedxml: no DTD, no entity expansion, no external resource, so a hostile file cannot expand
itself or reach the network. The real list does not validate against the published XSD (it is older than
the data), so records are checked field by field instead: every record needs a reference number and a
name; names and reference numbers are trimmed; empty alias placeholders are skipped.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass
class ListedRecord:
    kind: str  # "individual" | "entity"
    reference_number: str
    data_id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    original_script: str = ""
    un_list_type: str = ""
    listed_on: date | None = None
    last_updated: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        seen: dict[str, None] = {}
        for name in [self.name, *self.aliases, self.original_script]:
            if name and name.casefold() not in {n.casefold() for n in seen}:
                seen[name] = None
        return list(seen)


@dataclass
class ParsedList:
    generated_at: datetime | None
    records: list[ListedRecord]


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return " ".join((child.text or "").split()) if child is not None and child.text else ""


def _values(element, path: str) -> list[str]:
    return [" ".join(v.text.split()) for v in element.findall(path) if v.text and v.text.strip()]


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _record(element, kind: str, errors: list[str], position: int) -> ListedRecord | None:
    ref = _text(element, "REFERENCE_NUMBER")
    parts = [_text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(p for p in parts if p)
    if not ref or not name:
        errors.append(
            _("%(kind)s no. %(n)d: a reference number and a name are required.")
            % {"kind": kind, "n": position}
        )
        return None
    alias_tag = "INDIVIDUAL_ALIAS" if kind == "individual" else "ENTITY_ALIAS"
    aliases = _values(element, f"{alias_tag}/ALIAS_NAME")
    details = {
        "comments": _text(element, "COMMENTS1"),
        "nationality": _values(element, "NATIONALITY/VALUE"),
        "designation": _values(element, "DESIGNATION/VALUE"),
        "title": _values(element, "TITLE/VALUE"),
        "dates_of_birth": _values(element, "INDIVIDUAL_DATE_OF_BIRTH/DATE")
        + _values(element, "INDIVIDUAL_DATE_OF_BIRTH/YEAR"),
        "countries": sorted(
            set(_values(element, "INDIVIDUAL_ADDRESS/COUNTRY") + _values(element, "ENTITY_ADDRESS/COUNTRY"))
        ),
    }
    return ListedRecord(
        kind=kind,
        reference_number=ref,
        data_id=_text(element, "DATAID"),
        name=name,
        aliases=aliases,
        original_script=_text(element, "NAME_ORIGINAL_SCRIPT"),
        un_list_type=_text(element, "UN_LIST_TYPE"),
        listed_on=_date(_text(element, "LISTED_ON")),
        last_updated=_values(element, "LAST_DAY_UPDATED/VALUE"),
        details={k: v for k, v in details.items() if v},
    )


def parse_list(source: IO[bytes]) -> ParsedList:
    """Parse and check the whole file; raise ValidationError listing every problem (nothing is kept)."""
    try:
        root = SafeET.parse(source, forbid_dtd=True, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException:
        raise ValidationError(
            _("The file declares a DTD or entities, which are refused for safety.")
        ) from None
    except SafeET.ParseError as error:
        raise ValidationError(_("This is not well-formed XML: %(error)s") % {"error": error}) from None
    if root.tag != "CONSOLIDATED_LIST":
        raise ValidationError(
            _("This is not a UN Consolidated List (the root element is <%(tag)s>).") % {"tag": root.tag}
        )
    errors: list[str] = []
    records: list[ListedRecord] = []
    for kind, path in (("individual", "INDIVIDUALS/INDIVIDUAL"), ("entity", "ENTITIES/ENTITY")):
        for position, element in enumerate(root.findall(path), start=1):
            record = _record(element, kind, errors, position)
            if record:
                records.append(record)
    counts = Counter(r.reference_number for r in records)
    for ref in sorted(ref for ref, n in counts.items() if n > 1):
        errors.append(_("Reference number %(ref)s appears more than once.") % {"ref": ref})
    if not records and not errors:
        errors.append(_("The list holds no individuals or entities."))
    if errors:
        raise ValidationError(errors)
    generated = root.get("dateGenerated")
    try:
        generated_at = datetime.fromisoformat(generated) if generated else None
    except ValueError:
        generated_at = None
    return ParsedList(generated_at=generated_at, records=records)
