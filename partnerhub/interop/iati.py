"""IATI 2.03: export of published partnerships as `iati-activities`, and import of IATI files.

Mapping (docs/import-format.md#iati): one `iati-activity` per partnership; the iati-identifier is its
external_id (the registry's own "<prefix>-<id>" for entries born here); title and descriptions carry the
entry's language; partners are participating organisations (role and type codes from the registry's
mappings); the life-cycle stage gives the activity status; countries are ISO alpha-2 recipient
countries and regions UN M49 recipient regions (vocabulary 2); targets are SDG tags of vocabulary 3 and
goals without a target tags of vocabulary 2; financial commitments are budgets; deliverables are output
results and SDG indicators are impact results with an indicator reference of vocabulary 9.

Import reads with defusedxml: a DOCTYPE (so any entity, external or not) is refused, nothing is fetched.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from partnerhub.reference.models import Area, Indicator
from partnerhub.registry.models import (
    IATI_ORGANISATION_ROLE,
    IATI_ORGANISATION_TYPE,
    Organisation,
    OrganisationType,
)

from .readers import ImportRefused, Problem, RawRow

DATA = Path(__file__).parent / "data" / "iati"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STAGE_STATUS = {"initiation": "1", "formation": "1", "implementation": "2", "review": "2", "reinvent": "3"}
STATUS_STAGE = {"1": "initiation", "2": "implementation", "3": "reinvent", "4": "reinvent", "5": "reinvent",
                "6": "implementation"}  # fmt: skip
BUDGET_STATUS = {"pledged": "1", "mobilised": "2"}
DESCRIPTION_TYPES = (("summary", "1"), ("objectives", "2"), ("challenge", "4"))
LANGS = ("ar", "en", "es", "fr", "ru", "zh")


# --- code lists and schema --------------------------------------------------------------------------


@cache
def codelist(name: str) -> frozenset[str]:
    """The active codes of a shipped IATI code list (withdrawn ones left out)."""
    tree = etree.parse(
        str(DATA / "codelists" / f"{name}.xml"), etree.XMLParser(resolve_entities=False, no_network=True)
    )
    return frozenset(
        item.findtext("code") for item in tree.iter("codelist-item") if item.get("status") != "withdrawn"
    )


@cache
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(DATA / "schemas" / "iati-activities-schema.xsd"), parser))


def validate(path: str | Path) -> list[str]:
    """Schema errors of an IATI activities file (streamed: a file of any size in constant memory)."""
    parser_options = {"resolve_entities": False, "no_network": True, "huge_tree": True}
    try:
        for _event, element in etree.iterparse(str(path), events=("end",), schema=schema(), **parser_options):
            if element.tag == "iati-activity":
                element.clear()
    except etree.XMLSyntaxError as error:
        return [str(error)]
    return []


def code_errors(path: str | Path) -> list[str]:
    """Codes of an exported file that its IATI code list does not hold."""
    checks = {
        "activity-status": ("code", "ActivityStatus"), "recipient-country": ("code", "Country"),
        "value": ("currency", "Currency"), "participating-org": ("role", "OrganisationRole"),
        "budget": ("status", "BudgetStatus"), "result": ("type", "ResultType"),
        "indicator": ("measure", "IndicatorMeasure"),
    }  # fmt: skip
    errors = []
    for _event, element in etree.iterparse(
        str(path), events=("end",), resolve_entities=False, no_network=True
    ):
        tag = element.tag
        if tag in checks:
            attribute, name = checks[tag]
            if element.get(attribute) not in codelist(name):
                errors.append(f"{tag}/@{attribute}={element.get(attribute)} not in {name}")
        if tag in ("participating-org", "reporting-org") and element.get("type") not in codelist(
            "OrganisationType"
        ):
            errors.append(f"{tag}/@type={element.get('type')} not in OrganisationType")
        if tag == "tag":
            vocabulary = {"2": "UNSDG-Goals", "3": "UNSDG-Targets"}.get(element.get("vocabulary", ""))
            if vocabulary is None or element.get("code") not in codelist(vocabulary):
                errors.append(
                    f"tag {element.get('vocabulary')}/{element.get('code')} not in the SDG code lists"
                )
            if element.get("vocabulary") not in codelist("TagVocabulary"):
                errors.append(f"tag vocabulary {element.get('vocabulary')} not in TagVocabulary")
        if (
            tag == "reference"
            and element.getparent().tag == "indicator"
            and element.get("vocabulary") not in codelist("IndicatorVocabulary")
        ):
            errors.append(f"indicator reference vocabulary {element.get('vocabulary')} unknown")
        if tag == "iati-activity":
            element.clear()
    return errors


# --- export ------------------------------------------------------------------------------------------


def _sub(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(
        parent, tag, {k.replace("_", "-"): v for k, v in attributes.items() if v is not None}
    )
    if text is not None:
        element.text = text
    return element


def _narrative(parent, tag: str, text: str, lang: str, **attributes) -> etree._Element:
    element = _sub(parent, tag, **attributes)
    narrative = _sub(element, "narrative", text)
    narrative.set(XML_LANG, lang)
    return element


def _percentages(count: int) -> list[str]:
    if count == 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    shares = [share] * (count - 1)
    return [str(s) for s in [*shares, Decimal(100) - sum(shares)]]


class Exporter:
    """Builds `iati-activity` elements from export rows (exporting.export_rows with details)."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.areas = {a.code: a for a in Area.objects.only("code", "kind", "iso2")}
        self.identifiers = dict(Organisation.objects.exclude(identifier="").values_list("pk", "identifier"))
        self.indicator_titles: dict[tuple[str, str], str] = {}
        self.indicators = {i.pk: i for i in Indicator.objects.all()}

    def activity(self, row: dict) -> etree._Element:
        card, lang = row["_card"], row["language"]
        updated = dt.datetime.fromisoformat(row["updated_at"]).astimezone(dt.UTC).replace(microsecond=0)
        activity = etree.Element(
            "iati-activity", {"last-updated-datetime": updated.isoformat().replace("+00:00", "Z")}
        )
        activity.set(XML_LANG, lang)
        _sub(activity, "iati-identifier", row["external_id"])
        _narrative(activity, "reporting-org", settings.PARTNERHUB_IATI_REPORTING_ORG_NAME, "en",
                   ref=settings.PARTNERHUB_IATI_REPORTING_ORG_REF, type=settings.PARTNERHUB_IATI_REPORTING_ORG_TYPE)  # fmt: skip
        title = _sub(activity, "title")
        _sub(title, "narrative", row["title"]).set(XML_LANG, lang)
        for field, code in DESCRIPTION_TYPES:
            if row.get(field) or code == "1":
                _narrative(activity, "description", row.get(field) or row["title"], lang, type=code)
        for p in card["partners"]:
            org = p["organisation"]
            _narrative(activity, "participating-org", org["name"], lang,
                       ref=self.identifiers.get(org["id"]), role=IATI_ORGANISATION_ROLE[p["role"]],
                       type=IATI_ORGANISATION_TYPE[OrganisationType(org["type"])])  # fmt: skip
        _sub(activity, "activity-status", code=STAGE_STATUS[row["stage"]])
        start = dt.date.fromisoformat(row["start_date"]) if row["start_date"] else None
        end = dt.date.fromisoformat(row["end_date"]) if row["end_date"] else None
        if start:
            _sub(
                activity,
                "activity-date",
                type="2" if start <= self.today else "1",
                iso_date=start.isoformat(),
            )
        if end:
            _sub(activity, "activity-date", type="4" if end <= self.today else "3", iso_date=end.isoformat())
        if not start and not end:  # IATI requires a date: the registration, as a planned start
            published = card["published_at"] or row["updated_at"]
            _sub(activity, "activity-date", type="1", iso_date=published[:10])
        areas = [self.areas[code] for code in card["areas"] if code in self.areas]
        countries = sorted((a for a in areas if a.kind == Area.Kind.COUNTRY and a.iso2), key=lambda a: a.iso2)
        regions = [a for a in areas if a.kind != Area.Kind.COUNTRY]
        shares = iter(_percentages(len(countries) + len(regions)))
        for a in countries:
            _sub(activity, "recipient-country", code=a.iso2, percentage=next(shares))
        for a in regions:
            _sub(activity, "recipient-region", code=a.code, vocabulary="2", percentage=next(shares))
        targeted = {t.split(".")[0] for t in card["targets"]}
        for target in card["targets"]:
            _sub(activity, "tag", vocabulary="3", code=target)
        for goal in card["goals"]:
            if str(goal) not in targeted:
                _sub(activity, "tag", vocabulary="2", code=str(goal))
        if start:
            period_end = end or start + dt.timedelta(days=364)
            for c in row["commitments"]:
                if c["kind"] != "financial":
                    continue
                budget = _sub(activity, "budget", type="1", status=BUDGET_STATUS.get(c["status"], "1"))
                _sub(budget, "period-start", iso_date=start.isoformat())
                _sub(budget, "period-end", iso_date=period_end.isoformat())
                amount = format(Decimal(c["amount"]).normalize(), "f")
                _sub(budget, "value", amount, currency=c["currency"], value_date=start.isoformat())
        for d in row["deliverables"]:
            result = _sub(activity, "result", type="1", aggregation_status="0")
            _narrative(result, "title", d["title"], lang)
            indicator = _sub(result, "indicator", measure="5")
            _narrative(indicator, "title", "Delivered", "en")
            if d["due_date"]:
                period = _sub(indicator, "period")
                _sub(period, "period-start", iso_date=d["due_date"])
                _sub(period, "period-end", iso_date=d["due_date"])
                _sub(period, "target", value="1")
                if d["status"] == "completed":
                    _sub(period, "actual", value="1")
        for code in row["indicators"]:
            text = self._indicator_title(code, lang)
            result = _sub(activity, "result", type="3", aggregation_status="0")
            _narrative(result, "title", text, lang)
            indicator = _sub(result, "indicator", measure="1")
            _narrative(indicator, "title", text, lang)
            _sub(indicator, "reference", vocabulary="9", code=code)
        return activity

    def _indicator_title(self, code: str, lang: str) -> str:
        key = (code, lang)
        if key not in self.indicator_titles:
            indicator = self.indicators.get(code)
            self.indicator_titles[key] = f"{code} {indicator.tr('title', lang)}" if indicator else code
        return self.indicator_titles[key]


def iati_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """The IATI XML document, in pieces (one per activity), for a file or a streaming response."""
    # No generated-datetime: the same data exports to the same bytes (each activity has its last update).
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
    exporter = Exporter()
    for row in rows:
        yield etree.tostring(exporter.activity(row), encoding="unicode", pretty_print=True)
    yield "</iati-activities>\n"


# --- import -------------------------------------------------------------------------------------------


def _text(element: Element | None, lang: str) -> tuple[str, str]:
    """The narrative in `lang` (else the first) and its language."""
    if element is None:
        return "", ""
    narratives = element.findall("narrative")
    texts = [((n.text or "").strip(), n.get(XML_LANG, lang)) for n in narratives]
    for text, text_lang in texts:
        if text and text_lang == lang:
            return text, lang
    return next(((text, text_lang) for text, text_lang in texts if text), ("", ""))


def _date(element: Element | None) -> str:
    return element.get("iso-date", "") if element is not None else ""


class _Reader:
    def __init__(self) -> None:
        self.notes: Counter[str] = Counter()

    def row(self, n: int, activity: Element, default_lang: str) -> RawRow:
        lang = activity.get(XML_LANG) or default_lang
        title, title_lang = _text(activity.find("title"), lang)
        language = lang if lang in LANGS else (title_lang if title_lang in LANGS else "en")
        values: dict = {"external_id": (activity.findtext("iati-identifier") or "").strip(), "title": title,
                        "language": language}  # fmt: skip
        descriptions = {d.get("type", "1"): _text(d, lang)[0] for d in activity.findall("description")}
        for field, code in DESCRIPTION_TYPES:
            if descriptions.get(code):
                values[field] = descriptions[code]
        values["summary"] = values.get("summary") or title
        self._organisations(activity, values, lang)
        status = activity.find("activity-status")
        code = status.get("code", "") if status is not None else ""
        if code in STATUS_STAGE:
            values["stage"] = STATUS_STAGE[code]
        dates = {d.get("type"): d.get("iso-date", "") for d in activity.findall("activity-date")}
        values["start_date"] = dates.get("2") or dates.get("1") or ""
        values["end_date"] = dates.get("4") or dates.get("3") or ""
        values["countries_iso2"] = [c.get("code", "").upper() for c in activity.findall("recipient-country")]
        regions = []
        for region in activity.findall("recipient-region"):
            if region.get("vocabulary") == "2":
                regions.append(region.get("code", ""))
            else:
                self.notes[
                    _(
                        "recipient-region codes of the OECD DAC vocabulary have no UN M49 equivalent here; left out"
                    )
                ] += 1
        values["regions"] = regions
        goals: list[str] = []
        targets: list[str] = []
        indicators: list[str] = []
        for element in [*activity.findall("tag"), *activity.findall("sector")]:
            vocabulary, code = element.get("vocabulary", "1"), element.get("code", "")
            kind = {("tag", "2"): goals, ("tag", "3"): targets, ("sector", "7"): goals, ("sector", "8"): targets,
                    ("sector", "9"): indicators}.get((element.tag, vocabulary))  # fmt: skip
            if kind is not None:
                kind.append(code)
            elif element.tag == "sector":
                self.notes[_("sectors of other vocabularies than the SDG ones (7, 8, 9) are not kept")] += 1
        values["goals"], values["targets"] = goals, targets
        values["commitments"] = self._budgets(activity)
        deliverables = []
        for result in activity.findall("result"):
            references = [r.get("code", "") for ind in result.findall("indicator") for r in ind.findall("reference")
                          if r.get("vocabulary") == "9"]  # fmt: skip
            if references:
                indicators += references
            elif result.get("type") == "1":
                periods = [p for ind in result.findall("indicator") for p in ind.findall("period")]
                done = any(a.get("value") == "1" for p in periods for a in p.findall("actual"))
                deliverables.append({"title": _text(result.find("title"), lang)[0][:255],
                                     "due_date": _date(periods[0].find("period-end")) if periods else None,
                                     "status": "completed" if done else "planned"})  # fmt: skip
        values["indicators"] = list(dict.fromkeys(indicators))
        values["deliverables"] = deliverables
        if activity.findall("transaction"):
            self.notes[
                _("transactions are not kept (a partnership records commitments, not disbursements)")
            ] += 1
        values["updated_at"] = activity.get("last-updated-datetime", "")
        return RawRow(n, values)

    def _organisations(self, activity: Element, values: dict, lang: str) -> None:
        partners, lead = [], None
        seen = set()
        reporting = activity.find("reporting-org")
        for org in activity.findall("participating-org"):
            name = _text(org, lang)[0] or org.get("ref", "")
            if not name:
                self.notes[_("participating organisations without a name or reference are left out")] += 1
                continue
            item = {"name": name, "type": org.get("type", "90"), "identifier": org.get("ref", ""),
                    "role": org.get("role", "4")}  # fmt: skip
            if lead is None and item["role"] == "2":
                lead = item
            elif name not in seen:
                partners.append(item)
            seen.add(name)
        if lead is None and reporting is not None:
            lead = {"name": _text(reporting, lang)[0] or reporting.get("ref", ""), "type": reporting.get("type", "90"),
                    "identifier": reporting.get("ref", "")}  # fmt: skip
        partners = [p for p in partners if lead is None or p["name"] != lead["name"]]
        for p in partners:
            if p["role"] == "2":
                p["role"] = "other"
        if lead:
            values["lead_organisation"] = lead["name"]
            values["lead_organisation_type"] = lead["type"]
            values["lead_organisation_identifier"] = lead["identifier"]
        values["partners"] = partners

    def _budgets(self, activity: Element) -> list[dict]:
        currency = activity.get("default-currency", "")
        out = []
        for budget in activity.findall("budget"):
            value = budget.find("value")
            if value is None:
                continue
            try:
                amount = Decimal((value.text or "").strip())
            except InvalidOperation:
                amount = None
            if amount is not None and amount < 0:
                self.notes[_("negative budgets (corrections of earlier ones) are left out")] += 1
                continue
            status = {"1": "pledged", "2": "mobilised"}.get(budget.get("status", "1"), "pledged")
            out.append({"amount": str(amount) if amount is not None else "", "currency": value.get("currency") or currency,
                        "status": status})  # fmt: skip
        return out


def read_iati(stream: IO[bytes]) -> tuple[list[str], "_with_notes"]:
    """Rows of an IATI activities file (version 2.0x). Refuses DTDs and entities (XXE, billion laughs),
    files that are not well-formed XML, and other roots, with the reason."""
    reader = _Reader()
    rows: list[RawRow] = []
    root_seen = False
    default_lang = "en"
    try:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            if event == "start" and not root_seen:
                root_seen = True
                if element.tag != "iati-activities":
                    raise ImportRefused(
                        [
                            Problem(
                                None,
                                "",
                                _("This is not an IATI activities file (its root element is <%(tag)s>).")
                                % {"tag": element.tag},
                            )
                        ]
                    )
                version = element.get("version", "2.03")
                if not version.startswith("2."):
                    raise ImportRefused(
                        [
                            Problem(
                                None,
                                "",
                                _("IATI version %(v)s is not supported; publish or convert it as 2.0x.")
                                % {"v": version},
                            )
                        ]
                    )
                default_lang = element.get(XML_LANG, "en")
            if event == "end" and element.tag == "iati-activity":
                rows.append(reader.row(len(rows) + 1, element, default_lang))
                element.clear()
    except DefusedXmlException:
        raise ImportRefused(
            [
                Problem(
                    None,
                    "",
                    _(
                        "The file declares a DTD or entities, which are refused: IATI files need neither, and they can be used to read local files or exhaust memory."
                    ),
                )
            ]
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        raise ImportRefused(
            [
                Problem(
                    line,
                    "",
                    _("Not well-formed XML (column %(col)s: %(reason)s); the file may be truncated.")
                    % {"col": column, "reason": str(error).split(":")[0]},
                )
            ]
        ) from None
    if not rows:
        raise ImportRefused([Problem(None, "", _("The file holds no iati-activity."))])
    header = sorted({key for row in rows for key in row.values})
    notes = [f"{message} ({count}×)" for message, count in reader.notes.items()]
    return header, _with_notes(rows, notes)


class _with_notes(list):
    def __init__(self, rows: list[RawRow], notes: list[str]):
        super().__init__(rows)
        self.notes = notes
