"""Keeping the search tables true: called by the registry services inside their transaction."""

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch
from rest_framework import serializers

from partnerhub.core.bulk import Instances
from partnerhub.core.models import related
from partnerhub.reference.models import Area

from ..models import Partner, Partnership, SearchDocument
from .analysis import analyse, fold_text
from .engines import current_engine

BATCH = 500

# Facets that other apps derive from a partnership (reporting status, SMART), registered in their
# AppConfig.ready, with the relations they read (prefetched for every indexed batch).
FacetProvider = Callable[[Partnership], set[tuple[str, str]]]
FACET_PROVIDERS: list[FacetProvider] = []
PROVIDER_PREFETCH: list[str] = []


def register_facets(provider: FacetProvider, *, prefetch: Iterable[str] = ()) -> None:
    if provider not in FACET_PROVIDERS:
        FACET_PROVIDERS.append(provider)
        PROVIDER_PREFETCH.extend(name for name in prefetch if name not in PROVIDER_PREFETCH)


def _kept(instance: Any, name: str, make: Callable[..., Any], *args: Any) -> Any:
    """`make(*args)`, kept on the instance under `name`: the partnerships of an indexed batch (or of an
    import) share their area and organisation instances, so what is derived from one is derived once.
    (Arguments rather than a closure: an import asks some five times a partnership, and making the closure
    cost as much as the lookup.)"""
    try:
        return instance.__dict__[name]
    except KeyError:
        value = instance.__dict__[name] = make(*args)
        return value


def area_facet_rows(area: Area) -> frozenset[tuple[str, str]]:
    """Country, LDC/LLDC/SIDS groups, region and sub-regions of an area (expects groups and parents loaded;
    kept on the instance)."""
    return _kept(area, "_facet_rows", _area_facet_rows, area)


def _area_facet_rows(area: Area) -> frozenset[tuple[str, str]]:
    rows: set[tuple[str, str]] = set()
    if area.kind == Area.Kind.COUNTRY:
        rows.add(("country", area.iso3))
        rows |= {("group", g.code) for g in area.groups.all()}
    elif area.kind == Area.Kind.REGION:
        rows.add(("region", area.code))
    if area.kind in (Area.Kind.SUBREGION, Area.Kind.INTERMEDIATE):
        rows.add(("subregion", area.code))
    if area.region_id:
        rows.add(("region", area.region_id))
    parent = area.parent
    while parent is not None and parent.kind in (Area.Kind.SUBREGION, Area.Kind.INTERMEDIATE):
        rows.add(("subregion", parent.code))
        parent = parent.parent
    return frozenset(rows)


def facet_rows(p: Partnership) -> set[tuple[str, str]]:
    """The facet values of a partnership (expects the prefetches of `_queryset`)."""
    rows: set[tuple[str, str]] = {("category", p.category), ("stage", p.stage), ("level", p.geographic_level)}
    rows |= {("goal", str(g.number)) for g in related(p, "goals")}
    rows |= {("target", t.code) for t in related(p, "targets")}
    for area in related(p, "areas"):
        rows |= area_facet_rows(area)
    for partner in related(p, "partners"):
        rows.add(("orgtype", partner.organisation.type))
        rows.add(("org", str(partner.organisation_id)))
    for provider in FACET_PROVIDERS:
        rows |= provider(p)
    return rows


def facet_tokens(rows: Iterable[tuple[str, str]]) -> str:
    """The `facets` column: "goal:14 country:FJI …" (sorted, so a rebuild writes the same text)."""
    return " ".join(sorted(map(":".join, rows)))


# As the card serializer writes dates; memoised, for a bulk load stamps its rows with one moment and the
# registry's dates repeat (DRF's conversion to the site's time zone took an import 7 µs a row).
_show_date = lru_cache(maxsize=4096)(serializers.DateField().to_representation)
_show_datetime = lru_cache(maxsize=4096)(serializers.DateTimeField().to_representation)


def card(p: Partnership) -> dict:
    """The search-result representation of a partnership, stored with its search document: the fields of
    registry.serializers.StoredCardSerializer (which documents them in the API schema), built directly
    because the serializer took milliseconds a row. A test checks that the two agree."""
    return {
        "id": p.id,
        "title": p.title,
        "summary": p.summary,
        "language": p.language,
        "primary_goal": p.primary_goal_id,
        "goals": [g.number for g in related(p, "goals")],  # (the keys by name: `.pk` looks the field up)
        "targets": [t.code for t in related(p, "targets")],
        "areas": sorted(a.code for a in related(p, "areas")),
        "geographic_level": p.geographic_level,
        "category": p.category,
        "stage": p.stage,
        "start_date": _show_date(p.start_date) if p.start_date else None,
        "end_date": _show_date(p.end_date) if p.end_date else None,
        "published_at": _show_datetime(p.published_at) if p.published_at else None,
        "partners": [
            {"id": pt.id, "organisation": _card_organisation(pt.organisation), "role": pt.role,
             "objectives": pt.objectives}
            for pt in related(p, "partners")
        ],
    }  # fmt: skip


def _card_organisation(org) -> dict:
    """An organisation as the cards show it (kept on the instance)."""
    return _kept(org, "_card", _organisation_card, org)


def _organisation_card(org) -> dict:
    return {"id": org.id, "name": org.name, "acronym": org.acronym, "type": org.type}


def money(p: Partnership) -> dict[str, float]:
    """Financial commitments summed per currency (expects commitments prefetched)."""
    totals: dict[str, float] = {}
    for c in related(p, "commitments"):
        if c.kind == c.Kind.FINANCIAL and c.amount is not None and c.currency_id:
            totals[c.currency_id] = totals.get(c.currency_id, 0.0) + float(c.amount)
    return dict(sorted(totals.items()))


_DOCUMENT = Instances(SearchDocument)


@lru_cache(maxsize=65_536)
def _name_terms(name: str, lang: str) -> str:
    """The terms of an organisation's name and acronym: the same organisations are partners in many
    partnerships, and a text's terms are those of its space-separated pieces, so the terms of the
    partners' names are those of each name, in turn."""
    return analyse(name, lang)


def _organisation_terms(org, lang: str) -> str:
    """`_name_terms` of an organisation (kept on the instance, for each language)."""
    return _kept(org, "_terms_" + lang, _organisation_name_terms, org, lang)


def _organisation_name_terms(org, lang: str) -> str:
    return _name_terms(f"{org.name} {org.acronym}", lang)


def document(p: Partnership) -> SearchDocument:
    lang = p.language
    orgs = [_organisation_terms(pt.organisation, lang) for pt in related(p, "partners")]
    body = " ".join([p.summary, p.challenge, p.objectives, *(d.title for d in related(p, "deliverables"))])
    return _DOCUMENT(
        partnership_id=p.id,
        visible=p.status == Partnership.Status.PUBLISHED,
        language=lang,
        title=analyse(p.title, lang),
        orgs=" ".join(filter(None, orgs)),
        body=analyse(body, lang),
        facets=facet_tokens(facet_rows(p)),
        card=card(p),
        money=money(p),
        published_at=p.published_at,
        sort_title=fold_text(p.title)[:255],
    )


def _queryset():
    return Partnership.objects.prefetch_related(
        "goals",
        "targets",
        "deliverables",
        "commitments",
        Prefetch(
            "areas", queryset=Area.objects.select_related("parent__parent__parent").prefetch_related("groups")
        ),
        Prefetch("partners", queryset=Partner.objects.select_related("organisation")),
        *PROVIDER_PREFETCH,
    )


def _write(chunk: list[int]) -> int:
    SearchDocument.objects.filter(partnership_id__in=chunk).delete()
    partnerships = list(_queryset().filter(pk__in=chunk))
    SearchDocument.objects.bulk_create([document(p) for p in partnerships])
    return len(partnerships)


def index_partnerships(ids: Iterable[int]) -> int:
    """(Re)build the search rows of these partnerships; ids that no longer exist are removed. Call it inside
    the transaction of the change: the engine learns of it in the same transaction (outbox or generated
    column), so the index cannot drift from the data."""
    ids = list(ids)
    count = sum(_write(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))
    current_engine().changed(ids)
    return count


def reindex_all(progress=None, *, catch_up: bool = True) -> int:
    """Rebuild every search document (the `partnerhub reindex` command); the engine rebuilds its index
    once the transaction commits, or when the caller says (`catch_up=False`)."""
    ids = list(Partnership.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), BATCH):
        done += _write(ids[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    SearchDocument.objects.exclude(partnership_id__in=Partnership.objects.values("pk")).delete()
    current_engine().changed(None, catch_up=catch_up)
    return done
