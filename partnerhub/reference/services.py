"""Load the shipped reference data. Idempotent: running it again updates in place."""

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Model

from partnerhub.core.i18n import UN_LANGUAGES

from .models import Area, AreaGroup, Currency, Goal, Indicator, Target

DATA_DIR = Path(__file__).resolve().parent / "data"
SDG_DIR = DATA_DIR / "sdg"
M49_DIR = DATA_DIR / "m49"
IATI_DIR = DATA_DIR / "iati"

# Folder names of the translation files per column suffix.
SDG_LANG_DIRS = {"ar": "ar", "en": "en", "es": "es", "fr": "fr", "ru": "ru", "zh": "zh-Hans"}
M49_LANG_FILES = {"ar": "ar", "en": "en", "es": "es", "fr": "fr", "ru": "ru", "zh": "cn"}
# The UNSD M49 export these groupings come from (see data/m49/SOURCE-README.md).
M49_GROUPS_AS_OF = date(2024, 9, 25)

AREA_GROUP_NAMES = {
    "LDC": {
        "ar": "أقل البلدان نموا",
        "en": "Least Developed Countries",
        "es": "Países menos adelantados",
        "fr": "Pays les moins avancés",
        "ru": "Наименее развитые страны",
        "zh": "最不发达国家",
    },
    "LLDC": {
        "ar": "البلدان النامية غير الساحلية",
        "en": "Landlocked Developing Countries",
        "es": "Países en desarrollo sin litoral",
        "fr": "Pays en développement sans littoral",
        "ru": "Развивающиеся страны, не имеющие выхода к морю",
        "zh": "内陆发展中国家",
    },
    "SIDS": {
        "ar": "الدول الجزرية الصغيرة النامية",
        "en": "Small Island Developing States",
        "es": "Pequeños Estados insulares en desarrollo",
        "fr": "Petits États insulaires en développement",
        "ru": "Малые островные развивающиеся государства",
        "zh": "小岛屿发展中国家",
    },
}
GROUP_COLUMNS = {
    "LDC": "Least Developed Countries (LDC)",
    "LLDC": "Land Locked Developing Countries (LLDC)",
    "SIDS": "Small Island Developing States (SIDS)",
}


@dataclass(frozen=True)
class ReferenceCounts:
    goals: int
    targets: int
    indicators: int
    areas: int
    currencies: int


def _read_yaml(lang: str, name: str) -> dict[str, str]:
    with open(SDG_DIR / "translations" / SDG_LANG_DIRS[lang] / f"global_{name}.yml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {str(k): str(v).strip() for k, v in data.items()}


def sdg_texts(lang: str) -> dict[str, str]:
    """The official goal, target and indicator texts in one language, keyed as in the files
    (`14-short`, `14-title`, `14-a-title`, `14-1-1-title`)."""
    return {**_read_yaml(lang, "goals"), **_read_yaml(lang, "targets"), **_read_yaml(lang, "indicators")}


def _target_position(suffix: str) -> int:
    # Numbered targets first (1, 2, ...), then lettered means of implementation (a=101, b=102, ...).
    return int(suffix) if suffix.isdigit() else 100 + ord(suffix) - ord("a") + 1


def _upsert(model: type[Model], rows: Iterable[Model], fields: list[str]) -> int:
    objs = list(rows)
    model._default_manager.bulk_create(
        objs, update_conflicts=True, unique_fields=["pk"], update_fields=fields, batch_size=500
    )
    return len(objs)


def _unsd_codes() -> dict[str, str]:
    """Indicator code -> UNSD code, from the official framework table."""
    codes: dict[str, str] = {}
    with open(SDG_DIR / "global-indicator-framework.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 4 and row[3].strip():
                match = re.match(r"\s*(\d+\.[0-9a-z]+\.\d+)\b", row[2])
                if match:
                    codes[match.group(1)] = row[3].strip().rstrip("†*").strip()
    return codes


def _load_sdgs() -> tuple[int, int, int]:
    texts = {lang: sdg_texts(lang) for lang in UN_LANGUAGES}
    en = texts["en"]

    def langs(key: str, prefix: str) -> dict[str, str]:
        return {f"{prefix}_{lang}": texts[lang].get(key, "") for lang in UN_LANGUAGES}

    goals = [
        Goal(number=n, **langs(f"{n}-short", "short"), **langs(f"{n}-title", "title")) for n in range(1, 18)
    ]
    targets = []
    indicators = []
    unsd = _unsd_codes()
    for key in en:
        if not key.endswith("-title"):
            continue
        parts = key.removesuffix("-title").split("-")
        if len(parts) == 2:
            goal, suffix = parts
            targets.append(
                Target(code=f"{goal}.{suffix}", goal_id=int(goal), position=_target_position(suffix),
                       **langs(key, "title"))
            )  # fmt: skip
        elif len(parts) == 3:
            goal, suffix, number = parts
            code = f"{goal}.{suffix}.{number}"
            indicators.append(
                Indicator(code=code, target_id=f"{goal}.{suffix}", position=int(number),
                          unsd_code=unsd.get(code, ""), **langs(key, "title"))
            )  # fmt: skip
    lang_cols = [f"{p}_{lang}" for p in ("short", "title") for lang in UN_LANGUAGES]
    title_cols = [f"title_{lang}" for lang in UN_LANGUAGES]
    return (
        _upsert(Goal, goals, lang_cols),
        _upsert(Target, targets, ["goal", "position", *title_cols]),
        _upsert(Indicator, indicators, ["target", "position", "unsd_code", *title_cols]),
    )


def _read_m49(lang: str) -> list[dict[str, str]]:
    with open(M49_DIR / f"UNSD-{M49_LANG_FILES[lang]}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _load_areas() -> int:
    by_lang = {lang: _read_m49(lang) for lang in UN_LANGUAGES}
    names: dict[str, dict[str, str]] = {}
    meta: dict[str, dict] = {}
    levels = [
        ("Global Code", "Global Name", Area.Kind.WORLD),
        ("Region Code", "Region Name", Area.Kind.REGION),
        ("Sub-region Code", "Sub-region Name", Area.Kind.SUBREGION),
        ("Intermediate Region Code", "Intermediate Region Name", Area.Kind.INTERMEDIATE),
        ("M49 Code", "Country or Area", Area.Kind.COUNTRY),
    ]
    for lang, rows in by_lang.items():
        for row in rows:
            parent = None
            for code_col, name_col, kind in levels:
                code = row[code_col].strip()
                if not code:
                    continue
                names.setdefault(code, {})[f"name_{lang}"] = row[name_col].strip()
                if lang == "en" and code not in meta:
                    meta[code] = {"kind": kind, "parent_id": parent, "region_id": row["Region Code"] or None}
                    if kind == Area.Kind.COUNTRY:
                        meta[code].update(iso2=row["ISO-alpha2 Code"], iso3=row["ISO-alpha3 Code"])
                        meta[code]["groups"] = [g for g, col in GROUP_COLUMNS.items() if row[col].strip()]
                parent = code
    for info in meta.values():
        if info["kind"] in (Area.Kind.WORLD, Area.Kind.REGION):
            info["region_id"] = None
    areas = [
        Area(code=code, kind=info["kind"], parent_id=info["parent_id"], region_id=info["region_id"],
             iso2=info.get("iso2", ""), iso3=info.get("iso3", ""), **names[code])
        for code, info in meta.items()
    ]  # fmt: skip
    # Parents must exist before children reference them: insert by depth.
    order = [
        Area.Kind.WORLD,
        Area.Kind.REGION,
        Area.Kind.SUBREGION,
        Area.Kind.INTERMEDIATE,
        Area.Kind.COUNTRY,
    ]
    areas.sort(key=lambda a: order.index(Area.Kind(a.kind)))
    cols = ["kind", "parent", "region", "iso2", "iso3", *[f"name_{lang}" for lang in UN_LANGUAGES]]
    count = _upsert(Area, areas, cols)

    groups = [
        AreaGroup(code=code, as_of=M49_GROUPS_AS_OF, **{f"name_{k}": v for k, v in tr.items()})
        for code, tr in AREA_GROUP_NAMES.items()
    ]
    _upsert(AreaGroup, groups, ["as_of", *[f"name_{lang}" for lang in UN_LANGUAGES]])
    Through = Area.groups.through
    Through.objects.all().delete()
    Through.objects.bulk_create(
        [Through(area_id=code, areagroup_id=g) for code, info in meta.items() for g in info.get("groups", [])]
    )
    return count


def _load_currencies() -> int:
    tree = ET.parse(IATI_DIR / "Currency.xml")
    rows = []
    for item in tree.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = item.findtext("code", "").strip()
        name = item.findtext("name/narrative", "").strip()
        if code:
            rows.append(Currency(code=code, name=name))
    return _upsert(Currency, rows, ["name"])


@transaction.atomic
def reference_load() -> ReferenceCounts:
    """Load or refresh SDGs, M49 areas with LDC/LLDC/SIDS groups, and currencies."""
    goals, targets, indicators = _load_sdgs()
    return ReferenceCounts(
        goals=goals,
        targets=targets,
        indicators=indicators,
        areas=_load_areas(),
        currencies=_load_currencies(),
    )
