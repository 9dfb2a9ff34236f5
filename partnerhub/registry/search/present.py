"""Turning search results into what people read: facet labels in their language, highlighted snippets."""

import html
import re
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from partnerhub.core.i18n import UN_LANGUAGES
from partnerhub.reference.models import Area, AreaGroup, Goal, Target, coded_label
from partnerhub.reporting.models import ComplianceStatus

from ..models import OrganisationType, Partnership
from .analysis import fold, query_variants, stem
from .query import ParsedQuery

_WORD = re.compile(r"\w+")
FACET_TITLES = {
    "goal": _("Goal"),
    "target": _("Target"),
    "country": _("Country"),
    "region": _("Region"),
    "subregion": _("Sub-region"),
    "group": _("Country group"),
    "orgtype": _("Organisation type"),
    "category": _("Category"),
    "stage": _("Life-cycle stage"),
    "compliance": _("Reporting status"),
    "smart": _("SMART"),
}
# The filter parameter that selects a facet value.
FACET_PARAM = {
    "goal": "goal",
    "target": "target",
    "country": "country",
    "region": "region",
    "subregion": "region",
    "group": "group",
    "orgtype": "organisation_type",
    "category": "category",
    "stage": "stage",
    "compliance": "compliance",
    "smart": "smart",
}


@lru_cache(maxsize=16)
def _reference_labels(language: str) -> dict[str, dict[str, str]]:
    """Names of goals, areas and groups in one language. Reference data is read-only while the process
    runs (`load-reference` is run before serving), so each worker reads it once per language."""
    with translation.override(language):
        areas = list(Area.objects.only("code", "kind", "iso3", *(f"name_{lang}" for lang in UN_LANGUAGES)))
        regions = {a.code: a.name for a in areas if a.kind != Area.Kind.COUNTRY}
        return {
            "goal": {str(g.number): f"{g.number}. {g.short}" for g in Goal.objects.all()},
            "target": {t.code: coded_label(t, 70) for t in Target.objects.all()},
            "country": {a.iso3: a.name for a in areas if a.kind == Area.Kind.COUNTRY},
            "region": regions,
            "subregion": regions,
            "group": {g.code: f"{g.code} — {g.name}" for g in AreaGroup.objects.all()},
            "orgtype": {k: str(v) for k, v in OrganisationType.choices},
            "category": {k: str(v) for k, v in Partnership.Category.choices},
            "stage": {k: str(v) for k, v in Partnership.Stage.choices},
            "compliance": {k: str(v) for k, v in ComplianceStatus.choices},
            "smart": {"yes": str(_("Meets all SMART criteria")), "no": str(_("Misses a SMART criterion"))},
        }


def value_labels() -> dict[str, dict[str, str]]:
    """Names of facet values in the active language: {"goal": {"14": "14. Life below water"}, …}."""
    return _reference_labels(translation.get_language() or "en")


def facet_labels(facets: dict[str, dict[str, int]]) -> dict[str, list[dict]]:
    """{"goal": [{"value": "14", "label": "Life below water", "count": 3}, …], …}, most frequent first."""
    labels = _reference_labels(translation.get_language() or "en")
    out = {}
    for facet, counts in facets.items():
        names = labels.get(facet, {})
        rows: list[dict[str, Any]] = [
            {"value": v, "label": names.get(v, v), "count": c} for v, c in counts.items()
        ]
        if facet == "goal":
            rows.sort(key=lambda r: int(r["value"]))
        else:
            rows.sort(key=lambda r: (-r["count"], r["label"]))
        out[facet] = rows
    return out


@lru_cache(maxsize=256)
def _targets(words: frozenset[str]) -> frozenset[str]:
    """The terms the query's words match (a result page marks up to 40 texts with the same query)."""
    return frozenset(v for w in words for v in query_variants(w))


def _marked(text: str, query: ParsedQuery, lang: str, words: int | None) -> SafeString:
    """The text (or a window of `words` around the first match) with matching words in <mark>."""
    targets = _targets(frozenset(query.highlight))
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return mark_safe(html.escape(text))
    hits = {
        i
        for i, m in enumerate(tokens)
        if stem(fold(m.group()), lang) in targets or fold(m.group()) in targets
    }
    start, end = 0, len(tokens)
    if words is not None:
        start = max(0, (min(hits) if hits else 0) - 8)
        end = min(len(tokens), start + words)
    begin, finish = (tokens[start].start(), tokens[end - 1].end()) if words is not None else (0, len(text))
    parts, cursor = [], begin
    for i in range(start, end):
        m = tokens[i]
        parts.append(html.escape(text[cursor : m.start()]))
        word = html.escape(m.group())
        parts.append(f"<mark>{word}</mark>" if i in hits else word)
        cursor = m.end()
    parts.append(html.escape(text[cursor:finish]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if finish < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)


def snippet(text: str, query: ParsedQuery, lang: str, words: int = 40) -> SafeString:
    """A window of the text around the first match, with matching words in <mark>."""
    return _marked(text, query, lang, words)


def highlight(text: str, query: ParsedQuery, lang: str) -> SafeString:
    """The whole text with matching words in <mark> (titles)."""
    return _marked(text, query, lang, None)


def facet_title(facet: str) -> str:
    return str(FACET_TITLES.get(facet, facet))
