"""From rows of named values to checked partnership records, with every problem by line and column.

A `Resolver` holds the reference data and the registry's organisations in memory, so checking a row
costs no query; the partnership rules themselves are the registry service's (`partnership_clean`), so
an import accepts exactly what the register form and the API accept. Organisations are matched by their
IATI identifier or their normalised name; an unknown one becomes a new organisation (its type is then
required), created once however many rows name it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerhub.core.bulk import Instances
from partnerhub.reference.models import Area, Currency, Goal, Indicator, Target
from partnerhub.registry.models import (
    IATI_ORGANISATION_TYPE,
    Commitment,
    Deliverable,
    DueDiligenceStatus,
    Organisation,
    OrganisationType,
    PartnerRole,
    Partnership,
)
from partnerhub.registry.search.analysis import fold
from partnerhub.registry.services import (
    CommitmentData,
    DeliverableData,
    PartnerData,
    PartnershipData,
    partnership_clean,
)

from .columns import split_list, split_parts
from .readers import Problem, RawRow

# IATI organisation type codes that our own types do not produce, read into the nearest of ours.
IATI_TYPE_EXTRA = {"15": "government_national", "21": "ngo", "23": "ngo", "24": "ngo", "30": "other",
                   "71": "private_large", "72": "private_large", "73": "private_large"}  # fmt: skip
IATI_ROLE = {"1": "funding", "2": "lead", "3": "other", "4": "implementing"}
# Errors of the registry's own validation, by the column that holds the value.
FIELD_COLUMN = {"areas": "countries", "primary_goal": "goals"}
MAX_LENGTH = {"title": 255, "external_id": 255, "website": 200}
# What a value should look like, said when it is not (lazy: translated only for a row with a problem).
HINTS = {
    "language": gettext_lazy("one of the six UN languages (ar, en, es, fr, ru, zh or their names)"),
    "goals": gettext_lazy("goals are numbers from 1 to 17"),
    "targets": gettext_lazy("targets are written like 14.1 or 14.a"),
    "indicators": gettext_lazy("indicators are written like 14.1.1"),
    "countries": gettext_lazy("countries are ISO 3166 alpha-3 codes such as FJI"),
    "regions": gettext_lazy("regions are UN M49 codes such as 009 (Oceania)"),
    "iso2": gettext_lazy("not an ISO 3166 alpha-2 code"),
}
# The accepted codes of each choice column, as folded text -> code (Django's `Choices.values` is rebuilt,
# labels and all, at every call).
CHOICES = {
    "category": {c: c for c in Partnership.Category.values},
    "stage": {s: s for s in Partnership.Stage.values},
    "status": {s: s for s in Partnership.Status.values},
    "geographic_level": {g: g for g in Partnership.GeographicLevel.values},
}
PARTNER_ROLES = frozenset(PartnerRole.values) - {PartnerRole.LEAD}  # the roles a partners cell may give
# Choices as plain text, as the rows read from the database hold them. An enum member in every record of a
# large import is pickled to the writing process and back member by member, and takes orjson's slow path
# in the search card: 5 µs a row.
LEAD, IMPLEMENTING = PartnerRole.LEAD.value, PartnerRole.IMPLEMENTING.value
DEFAULT = {"category": Partnership.Category.OTHER.value, "stage": Partnership.Stage.INITIATION.value,
           "status": Partnership.Status.DRAFT.value}  # fmt: skip
_ORGANISATION = Instances(Organisation)  # a large file names tens of thousands of new organisations


def org_key(name: str) -> str:
    """Organisation names match case-, accent- and spacing-blind."""
    return " ".join(fold(name).split())


def _languages() -> dict[str, str]:
    names = {}
    for code in Partnership.Language.values:
        info = LANG_INFO["zh-hans" if code == "zh" else code]
        for name in (code, info["name"], info["name_local"], Partnership.Language(code).label):
            names[fold(name)] = code
    names.update({"eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "rus": "ru", "ara": "ar", "zho": "zh",
                  "chi": "zh", "chinese": "zh", "zh-hans": "zh", "zh-cn": "zh", "mandarin": "zh"})  # fmt: skip
    return names


def _organisation_types() -> dict[str, str]:
    types = {t.value: t.value for t in OrganisationType}
    types.update({fold(str(t.label)): t.value for t in OrganisationType})
    for ours, iati in IATI_ORGANISATION_TYPE.items():
        types.setdefault(iati, ours.value)
    types.update(IATI_TYPE_EXTRA)
    return types


@dataclass
class Record:
    """One checked partnership of an import, as the registry service takes it."""

    line: int
    external_id: str
    status: str
    data: PartnershipData
    stage: str = DEFAULT["stage"]  # not part of the register form; an import sets it
    updated_at: datetime | None = None
    existing: int | None = None  # the partnership it updates
    given: frozenset[str] = frozenset()  # the columns the file has: an update keeps the others as they are


@dataclass
class Organised:
    """What the pass over the whole file (`Resolver.organise`, in file order) found in one row: its
    external_id, its partners with their organisations (the lead first), and the columns whose problems
    it or the reader already reported."""

    external_id: str
    partners: list[PartnerData]
    reported: frozenset[str]


@dataclass
class Resolver:
    """Checks rows against the reference data and the registry, collecting every problem. A row is read in
    two passes: `organise`, over every row in file order, finds the organisations (an unknown one is
    created once, by the first row that names it, and takes the next id) and repeated external_ids;
    `check` then checks the rest of the row on its own, so rows can be checked in any order, or in
    another process (services.py)."""

    publish: bool = False
    problems: list[Problem] = field(default_factory=list)
    new_organisations: dict[str, Organisation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.goals = {g.pk: g for g in Goal.objects.all()}
        self.targets = {t.pk.lower(): t for t in Target.objects.select_related("goal")}
        self.indicators = {i.pk: i for i in Indicator.objects.select_related("target__goal")}
        areas = list(Area.objects.select_related("parent__parent__parent").prefetch_related("groups"))
        self.areas = {a.pk: a for a in areas}
        self.countries = {a.iso3: a for a in areas if a.kind == Area.Kind.COUNTRY and a.iso3}
        self.countries_iso2 = {a.iso2: a for a in areas if a.kind == Area.Kind.COUNTRY and a.iso2}
        self.regions = {a.pk: a for a in areas if a.kind != Area.Kind.COUNTRY}
        self.currencies = {c.pk: c for c in Currency.objects.all()}
        self.languages = _languages()
        self.types = _organisation_types()
        self.orgs_by_identifier: dict[str, Organisation] = {}
        self.orgs_by_name: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.only(
            "id", "name", "acronym", "type", "identifier", "due_diligence_status"
        ):
            self.orgs_by_name.setdefault(org_key(org.name), []).append(org)
            if org.identifier:
                self.orgs_by_identifier[org.identifier] = org
        self.next_org_id = (Organisation.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.external_ids: dict[str, int] = {}
        self.keys: dict[str, str] = {}  # organisation name as written -> org_key (names recur row after row)
        self.url = URLValidator(schemes=["http", "https"])

    # --- the pass in file order -----------------------------------------------------------------------

    def organise(self, row: RawRow) -> Organised:
        """The row's external_id and partners, with the problems of their columns (rows in file order)."""
        problems = self.problems
        before = len(problems)
        v, line = row.values, row.line
        external_id = self._text(v.get("external_id"), line, "external_id")
        if len(external_id) > MAX_LENGTH["external_id"]:
            problems.append(Problem(line, "external_id", _("At most %(n)s characters (this has %(m)s).")
                                    % {"n": MAX_LENGTH["external_id"], "m": len(external_id)}))  # fmt: skip
        if external_id:
            if external_id in self.external_ids:
                problems.append(Problem(line, "external_id", _("The same external_id is on line %(n)s.")
                                        % {"n": self.external_ids[external_id]}))  # fmt: skip
            self.external_ids[external_id] = line

        lead_name = self._text(v.get("lead_organisation"), line, "lead_organisation")
        partners: list[PartnerData] = []
        if not lead_name:
            problems.append(Problem(line, "lead_organisation", _("Name the lead organisation.")))
        else:
            lead = self._organisation(lead_name, self._text(v.get("lead_organisation_type"), line, "lead_organisation_type"),
                                      str(v.get("lead_organisation_identifier") or ""), line, "lead_organisation")  # fmt: skip
            if lead:
                partners.append(PartnerData(lead, LEAD))
        named = {id(p.organisation) for p in partners}  # each organisation is a partner once
        for name, kind, role, identifier in self._partner_items(v.get("partners"), line):
            org = self._organisation(name, kind, identifier, line, "partners")
            role = IATI_ROLE.get(role, role) or IMPLEMENTING
            if role not in PARTNER_ROLES:
                problems.append(Problem(line, "partners", _("%(name)s: the role must be one of funding, implementing, technical or other.")
                                        % {"name": name}))  # fmt: skip
            elif org and id(org) not in named:
                named.add(id(org))
                partners.append(PartnerData(org, role))
        if self.publish:
            for partner in partners:
                if partner.organisation.due_diligence_status == DueDiligenceStatus.EXCLUDED:
                    problems.append(Problem(line, "partners", _("%(org)s is excluded by due diligence: the partnership cannot be published.")
                                            % {"org": partner.organisation.name}))  # fmt: skip
        reported = row.refused  # the reader refused these cells: left empty, but not missing
        if len(problems) > before:
            reported = reported.union(p.column for p in problems[before:])
        return Organised(external_id, partners, reported)

    # --- the rest of a row, on its own ----------------------------------------------------------------

    def check_all(
        self, rows: list[RawRow], organised: list[Organised], indexes: Iterable[int]
    ) -> list[Record]:
        """The records of the rows at these indexes that have no problem."""
        return [record for i in indexes if (record := self.check(rows[i], organised[i])) is not None]

    def check(self, row: RawRow, organised: Organised) -> Record | None:
        """The row's record, or None if it has a problem (listed in `problems`, with those `organise`
        found)."""
        before = len(self.problems)
        v = row.values
        line = row.line

        def problem(column: str, message: str) -> None:
            self.problems.append(Problem(line, column, message))

        text = {name: self._text(v.get(name), line, name) for name in
                ("title", "summary", "challenge", "objectives", "website")}  # fmt: skip
        for name in ("title", "website"):
            most = MAX_LENGTH[name]
            if len(text[name]) > most:
                problem(
                    name, _("At most %(n)s characters (this has %(m)s).") % {"n": most, "m": len(text[name])}
                )
        if text["website"]:
            try:
                self.url(text["website"])
            except ValidationError:
                problem("website", _("Not a web address (it must start with http:// or https://)."))

        language = self._choice(v.get("language"), line, "language", self.languages, default="en",
                                hint=HINTS["language"])  # fmt: skip
        category = self._choice(v.get("category"), line, "category", CHOICES["category"],
                                default=DEFAULT["category"])  # fmt: skip
        stage = self._choice(v.get("stage"), line, "stage", CHOICES["stage"],
                             default=DEFAULT["stage"])  # fmt: skip
        status = self._choice(v.get("status"), line, "status", CHOICES["status"],
                              default=DEFAULT["status"])  # fmt: skip
        start, end = (
            self._date(v.get("start_date"), line, "start_date"),
            self._date(v.get("end_date"), line, "end_date"),
        )

        goals = [self._lookup(item, line, "goals", self.goals, key=_goal_number,
                              hint=HINTS["goals"]) for item in self._list(v.get("goals"))]  # fmt: skip
        targets = [self._lookup(item, line, "targets", self.targets, key=str.lower,
                                hint=HINTS["targets"]) for item in self._list(v.get("targets"))]  # fmt: skip
        indicators = [self._lookup(item, line, "indicators", self.indicators,
                                   hint=HINTS["indicators"]) for item in self._list(v.get("indicators"))]  # fmt: skip
        areas = [self._lookup(item, line, "countries", self.countries, key=str.upper,
                              hint=HINTS["countries"]) for item in self._list(v.get("countries"))]  # fmt: skip
        areas += [self._lookup(item, line, "regions", self.regions, key=lambda c: c.zfill(3),
                               hint=HINTS["regions"]) for item in self._list(v.get("regions"))]  # fmt: skip
        areas += [self.countries_iso2.get(code) or self._missing(line, "countries", code, HINTS["iso2"])
                  for code in v.get("countries_iso2") or []]  # fmt: skip
        level = self._choice(v.get("geographic_level"), line, "geographic_level",
                             CHOICES["geographic_level"], default="")  # fmt: skip
        clean_areas = list({a.code: a for a in areas if a is not None}.values())  # once each, in order
        level = level or _level_of(clean_areas)

        partners = organised.partners
        commitments = self._commitments(v.get("commitments"), line, partners)
        deliverables = self._deliverables(v.get("deliverables"), line)
        updated_at = None
        if v.get("updated_at"):
            try:
                updated_at = parse_datetime(str(v["updated_at"]))
            except ValueError:
                updated_at = None
            if updated_at is None:
                problem("updated_at", _("Not a date and time (ISO 8601)."))
            elif timezone.is_naive(updated_at):
                updated_at = timezone.make_aware(updated_at, UTC)

        data = PartnershipData(
            title=text["title"], summary=text["summary"], challenge=text["challenge"], objectives=text["objectives"],
            geographic_level=level, goals=[g for g in goals if g], targets=[t for t in targets if t],
            indicators=[i for i in indicators if i], areas=clean_areas, category=category, start_date=start,
            end_date=end, language=language, website=text["website"], partners=list(partners),
            commitments=commitments, deliverables=deliverables,
        )  # fmt: skip
        try:
            partnership_clean(data)
        except ValidationError as error:
            # Columns already reported on this row (an unknown lead leaves no lead, …) are not repeated.
            reported = organised.reported | {p.column for p in self.problems[before:]}
            if reported:
                reported |= {"partners"}
            for name, messages in error.message_dict.items():
                column = FIELD_COLUMN.get(name, name)
                for message in messages if column not in reported else []:
                    problem(column, message)
        if len(self.problems) > before or organised.reported:
            return None
        return Record(line, organised.external_id, status, data, stage, updated_at, given=frozenset(v))

    # --- values ---------------------------------------------------------------------------------------

    def _text(self, value: Any, line: int, column: str) -> str:
        if type(value) is str:
            return value.strip()
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            self.problems.append(Problem(line, column, _("Expected text.")))
            return ""
        return str(value).strip()

    def _list(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        return split_list(str(value))

    def _choice(self, value: Any, line: int, column: str, choices: dict[str, str], *, default: str,
                hint: Any = "") -> str:  # fmt: skip
        if type(value) is str and value in choices:  # a code as written, the usual case
            return choices[value]
        text = fold(str(value or "")).strip()
        if not text:
            return default
        if text in choices:
            return choices[text]
        self.problems.append(Problem(line, column, _("“%(value)s” is not accepted; use %(hint)s.")
                                     % {"value": value, "hint": hint or ", ".join(sorted(set(choices.values())))}))  # fmt: skip
        return default

    def _date(self, value: Any, line: int, column: str) -> date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            self.problems.append(
                Problem(
                    line,
                    column,
                    _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text[:40]},
                )
            )
            return None

    def _lookup(self, item: str, line: int, column: str, table: dict, *, hint: Any, key=lambda s: s):
        try:
            found = table.get(key(item))
        except ValueError:
            found = None
        return found if found is not None else self._missing(line, column, item, hint)

    def _missing(self, line: int, column: str, item: str, hint: Any) -> Any:
        self.problems.append(
            Problem(
                line, column, _("Unknown value “%(value)s” (%(hint)s).") % {"value": item[:40], "hint": hint}
            )
        )
        return None

    def _partner_items(self, value: Any, line: int) -> list[tuple[str, str, str, str]]:
        """(name, type, role, identifier) of each partner: 'Name|type|role' items, or JSON objects."""
        items = []
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    items.append((str(entry.get("name") or "").strip(), str(entry.get("type") or "").strip(),
                                  str(entry.get("role") or "").strip(), str(entry.get("identifier") or "").strip()))  # fmt: skip
                else:
                    items.append(_parts(str(entry)))
        elif value:
            items = [_parts(item) for item in split_list(str(value))]
        for name, *_rest in items:
            if not name:
                self.problems.append(
                    Problem(line, "partners", _("A partner has no name (write Name|type|role)."))
                )
        return [item for item in items if item[0]]

    def _organisation(
        self, name: str, kind: str, identifier: str, line: int, column: str
    ) -> Organisation | None:
        if identifier and identifier in self.orgs_by_identifier:
            return self.orgs_by_identifier[identifier]
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = org_key(name)
        found = self.orgs_by_name.get(key, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.problems.append(
                Problem(
                    line,
                    column,
                    _(
                        "Several organisations are named “%(name)s”; give its identifier, or rename one of them in the registry."
                    )
                    % {"name": name},
                )
            )
            return None
        if key in self.new_organisations:
            return self.new_organisations[key]
        org_type = self.types.get(fold(kind).strip()) if kind else None
        if not kind:
            if column == "partners":
                how = _(
                    "“%(name)s” is not in the registry: write it as Name|type so it can be created (types: %(types)s)."
                )
            else:
                how = _(
                    "“%(name)s” is not in the registry: give its type in the column lead_organisation_type so it can be created (types: %(types)s)."
                )
            self.problems.append(
                Problem(line, column, how % {"name": name, "types": ", ".join(OrganisationType.values)})
            )
            return None
        if org_type is None:
            self.problems.append(Problem(line, column, _("“%(type)s” is not an organisation type (use one of: %(types)s).")
                                         % {"type": kind, "types": ", ".join(OrganisationType.values)}))  # fmt: skip
            return None
        if len(name) > 255 or len(identifier) > 100:
            self.problems.append(Problem(line, column, _("The organisation name or identifier is too long.")))
            return None
        org = _ORGANISATION(id=self.next_org_id, name=name, type=org_type, identifier=identifier)
        self.next_org_id += 1
        self.new_organisations[key] = org
        if identifier:
            self.orgs_by_identifier[identifier] = org
        return org

    def _commitments(self, value: Any, line: int, partners: list[PartnerData]) -> list[CommitmentData] | None:
        """Financial commitments (JSON Lines and IATI budgets): [{"amount", "currency", "status", "organisation"}]."""
        if value is None:
            return None
        if not isinstance(value, list):
            self.problems.append(Problem(line, "commitments", _("Expected a list.")))
            return None
        by_name = {org_key(p.organisation.name): p.organisation for p in partners}
        out = []
        for entry in value:
            if not isinstance(entry, dict):
                self.problems.append(Problem(line, "commitments", _("Each commitment is an object.")))
                continue
            org = by_name.get(
                org_key(str(entry.get("organisation") or "")), partners[0].organisation if partners else None
            )
            if org is None:
                continue
            kind = str(entry.get("kind") or Commitment.Kind.FINANCIAL)
            status = str(entry.get("status") or Commitment.Status.PLEDGED)
            description = str(entry.get("description") or "")[:500]
            if kind == Commitment.Kind.IN_KIND:
                out.append(CommitmentData(organisation=org, kind=kind, in_kind_type=str(entry.get("in_kind_type") or ""),
                                          status=status, description=description))  # fmt: skip
                continue
            try:
                amount = Decimal(str(entry["amount"]))
                currency = self.currencies[str(entry["currency"]).upper()]
            except (KeyError, TypeError, InvalidOperation):
                self.problems.append(
                    Problem(
                        line,
                        "commitments",
                        _("Each financial commitment needs an amount and an ISO 4217 currency."),
                    )
                )
                continue
            out.append(CommitmentData(organisation=org, kind=kind, amount=amount, currency=currency, status=status,
                                      description=description))  # fmt: skip
        return out

    def _deliverables(self, value: Any, line: int) -> list[DeliverableData] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.problems.append(Problem(line, "deliverables", _("Expected a list.")))
            return None
        out = []
        for entry in value:
            entry = entry if isinstance(entry, dict) else {"title": str(entry)}
            due = self._date(entry.get("due_date"), line, "deliverables")
            title = str(entry.get("title") or "").strip()[:255]
            out.append(
                DeliverableData(
                    title=title, due_date=due, status=str(entry.get("status") or Deliverable.Status.PLANNED)
                )
            )
        return out


def _goal_number(text: str) -> int:
    return int(text.removeprefix("SDG").removeprefix("sdg").strip())


def _parts(item: str) -> tuple[str, str, str, str]:
    parts = [*split_parts(item), "", "", ""]
    return parts[0], parts[1], parts[2], ""


def _level_of(areas: list[Area]) -> str:
    if not areas:
        return Partnership.GeographicLevel.GLOBAL.value
    if len(areas) == 1 and areas[0].kind == Area.Kind.COUNTRY:
        return Partnership.GeographicLevel.NATIONAL.value
    return Partnership.GeographicLevel.REGIONAL.value
