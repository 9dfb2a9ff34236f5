"""Reads of the registry: what a person may see, with the rows they need prefetched."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum

from partnerhub.accounts.rules import approved_organisation_ids, is_secretariat
from partnerhub.core.i18n import language_suffix
from partnerhub.reference.models import Area, Goal

from .models import Commitment, Deliverable, Organisation, Partner, Partnership, SearchDocument
from .search.service import SearchParams, aggregate

Status = Partnership.Status


def partnership_visible_queryset(*, user: User | AnonymousUser) -> QuerySet[Partnership]:
    """Published partnerships, plus those the user works on; the secretariat sees all."""
    qs = Partnership.objects.all()
    if is_secretariat(user):
        return qs
    if not user.is_authenticated:
        return qs.filter(status=Status.PUBLISHED)
    orgs = approved_organisation_ids(user)
    return qs.filter(
        Q(status=Status.PUBLISHED) | Q(focal_points=user) | Q(partners__organisation_id__in=orgs)
    ).distinct()


def partnership_list() -> QuerySet[Partnership]:
    """Published partnerships for cards and lists, with goals, areas and partners prefetched (no N+1)."""
    return (
        Partnership.objects.filter(status=Status.PUBLISHED)
        .select_related("compliance")
        .prefetch_related(
            "goals",
            "areas",
            Prefetch("partners", queryset=Partner.objects.select_related("organisation")),
        )
    )


def _in_order(ids: list[int], by_id: dict) -> list:
    return [by_id[i] for i in ids if i in by_id]


def partnerships_in_order(ids: list[int]) -> list[Partnership]:
    """The partnerships with these ids, in this order (search results), prefetched for cards."""
    return _in_order(ids, {p.pk: p for p in partnership_list().filter(pk__in=ids)})


def _derived(facets: str) -> dict:
    """The reporting status and SMART result, read from the facet tokens (the daily compliance job updates
    those in place, so they are always as current as the search itself)."""
    values = dict(
        token.partition(":")[::2] for token in facets.split() if token.startswith(("compliance:", "smart:"))
    )
    return {"compliance": values.get("compliance"), "smart": values.get("smart") == "yes"}


def search_cards(ids: list[int]) -> list[dict]:
    """The stored search-result representations of these partnerships, in this order."""
    rows = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "card", "facets")
    return _in_order(ids, {pk: {**card, **_derived(facets)} for pk, card, facets in rows})


def partnership_detail_queryset() -> QuerySet[Partnership]:
    """Everything the partnership page and the API detail show, in a fixed number of queries."""
    return Partnership.objects.select_related("primary_goal", "compliance").prefetch_related(
        "baseline_values",
        "goals",
        "targets",
        "indicators",
        "areas",
        "focal_points",
        Prefetch(
            "partners", queryset=Partner.objects.select_related("organisation", "organisation__country")
        ),
        Prefetch(
            "commitments", queryset=Commitment.objects.select_related("partner__organisation", "currency")
        ),
        Prefetch("deliverables", queryset=Deliverable.objects.all()),
    )


def partnership_for_user(*, user: User | AnonymousUser) -> QuerySet[Partnership]:
    """Partnerships where the user is a focal point or a contributor (\"my partnerships\")."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    orgs = approved_organisation_ids(user)
    return (
        Partnership.objects.filter(Q(focal_points=user) | Q(partners__organisation_id__in=orgs))
        .distinct()
        .prefetch_related(
            "goals", Prefetch("partners", queryset=Partner.objects.select_related("organisation"))
        )
        .order_by("-updated_at")
    )


def review_queue() -> QuerySet[Partnership]:
    """Partnerships waiting for the secretariat, oldest first."""
    return (
        Partnership.objects.filter(status=Status.SUBMITTED)
        .prefetch_related(
            "goals", Prefetch("partners", queryset=Partner.objects.select_related("organisation"))
        )
        .order_by("updated_at")
    )


@dataclass(frozen=True)
class RegistryFigures:
    partnerships: int
    organisations: int
    countries: int
    goals_covered: int


def registry_figures() -> RegistryFigures:
    """Headline figures for the home page: the partnerships browsing lists (published, delisted ones left
    out), as the insights dashboard counts them, from the search engine. Counted over the tables (four
    queries, distinct organisations and countries through the joins) they took 2 s at 200,000
    partnerships, on every view of the home page, and disagreed with the browse page about delisted ones."""
    total, by_goal = aggregate(SearchParams(), ["goal"], money=False, partners=True)
    _total, by_country = aggregate(SearchParams(), ["country"], money=False, partners=False)
    return RegistryFigures(
        partnerships=total.count,
        organisations=total.partners or 0,
        countries=sum(1 for bucket in by_country.values() if bucket.count),
        goals_covered=sum(1 for bucket in by_goal.values() if bucket.count),
    )


def organisation_list() -> QuerySet[Organisation]:
    """Organisations by name (and id, so that pages neither repeat nor skip one)."""
    return Organisation.objects.select_related("country").order_by("name", "pk")


def count_published(organisations: list[Organisation]) -> list[Organisation]:
    """Set `published_partnerships` on these organisations (a page of them) in one query. Annotated on the
    list before paging, the count was taken for every organisation and the pages lost their order (5 s a
    page at 200,000 partnerships). The CROSS JOIN keeps SQLite on the organisations' partner rows: with no
    statistics its planner otherwise walked every published partnership (0.9 s at 200,000)."""
    ids = [organisation.pk for organisation in organisations]
    counts: dict[int, int] = {}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.organisation_id, COUNT(DISTINCT p.partnership_id) FROM {Partner._meta.db_table} p "
                f"CROSS JOIN {Partnership._meta.db_table} s WHERE p.organisation_id IN ({', '.join(['%s'] * len(ids))}) "
                "AND s.id = p.partnership_id AND s.status = %s GROUP BY p.organisation_id",
                [*ids, Status.PUBLISHED],
            )
            counts = dict(cursor.fetchall())
    for organisation in organisations:
        organisation.published_partnerships = counts.get(organisation.pk, 0)  # type: ignore[attr-defined]
    return organisations


def commitment_totals(*, partnership: Partnership) -> list[dict[str, Any]]:
    """Financial totals per currency (never adding different currencies together)."""
    return list(
        Commitment.objects.filter(partnership=partnership, kind=Commitment.Kind.FINANCIAL)
        .values("currency_id")
        .annotate(
            pledged=Sum("amount"), mobilised=Sum("amount", filter=Q(status=Commitment.Status.MOBILISED))
        )
        .order_by("currency_id")
    )


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str
    action: str
    changes: list[tuple[str, str, str]]


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        # M2M diff values are lists of through-row dicts; a JSON list field's, of plain values.
        items = [
            next((str(v) for k, v in row.items() if k not in ("id", "partnership")), "")
            if isinstance(row, dict)
            else str(row)
            for row in value
        ]
        return ", ".join(sorted(i for i in items if i)) or "—"
    return str(value)


def history_timeline(sources: list[tuple[str, QuerySet]], *, main: str, limit: int) -> list[HistoryEntry]:
    """Merge the history tables of a record and its children into one timeline, newest first."""
    labels = {"+": "created", "~": "changed", "-": "deleted"}
    records: list[tuple[str, Any]] = []
    for kind, qs in sources:
        records.extend((kind, r) for r in qs.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda pair: pair[1].history_date, reverse=True)
    entries = []
    for kind, record in records[:limit]:
        changes: list[tuple[str, str, str]] = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version", "updated_at", "created_at"])
            changes = [(c.field, _display(c.old), _display(c.new)) for c in delta.changes]
            if not changes:
                continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user.get_username() if record.history_user else "system",
                what=f"{kind}: {record.instance}" if kind != main else kind,
                action=labels.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries


def partnership_history(*, partnership: Partnership, limit: int = 200) -> list[HistoryEntry]:
    """Every recorded change to the partnership and its partners, commitments and deliverables, newest first."""
    sources: list[tuple[str, QuerySet]] = [
        ("partnership", Partnership.history.filter(id=partnership.pk)),
        ("partner", Partner.history.filter(partnership_id=partnership.pk)),
        ("commitment", Commitment.history.filter(partnership_id=partnership.pk)),
        ("deliverable", Deliverable.history.filter(partnership_id=partnership.pk)),
    ]
    return history_timeline(sources, main="partnership", limit=limit)


def organisation_history(*, organisation: Organisation, limit: int = 200) -> list[HistoryEntry]:
    """Every recorded change to the organisation's profile, newest first."""
    return history_timeline(
        [("organisation", Organisation.history.filter(id=organisation.pk))], main="organisation", limit=limit
    )


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "organisation", "country" or "goal"
    value: str  # the filter value
    label: str
    param: str  # the browse/API filter that selects it


def suggestions(*, text: str, limit: int = 5) -> list[Suggestion]:
    """Typeahead: organisations, countries and goals whose name contains the typed text (active language),
    those whose name starts with it first."""
    text = text.strip()
    if len(text) < 2:
        return []
    suffix = language_suffix()
    out = [
        Suggestion("organisation", str(o.pk), str(o), "organisation")
        for o in organisation_options(text, limit=limit)
    ]
    contains, starts = Q(iso3__iexact=text), Q(iso3__iexact=text)
    for name in (f"name_{suffix}", "name_en"):
        contains |= Q(**{f"{name}__icontains": text})
        starts |= Q(**{f"{name}__istartswith": text})
    countries = _starting_first(
        Area.objects.filter(kind=Area.Kind.COUNTRY),
        contains=contains,
        starts=starts,
        order=(f"name_{suffix}", "pk"),
        limit=limit,
    )
    out += [Suggestion("country", a.iso3, a.name, "country") for a in countries]
    goals = Goal.objects.filter(Q(**{f"short_{suffix}__icontains": text}) | Q(short_en__icontains=text))[:3]
    if text.isdigit() and 1 <= int(text) <= 17:
        goals = Goal.objects.filter(number=int(text))
    out += [Suggestion("goal", str(g.number), f"{g.number}. {g.short}", "goal") for g in goals]
    return out


def organisation_options(text: str, *, limit: int = 20) -> list[Organisation]:
    """The suggestions of an organisation field (and of the browse typeahead): names starting with the
    text first, then containing it."""
    text = text.strip()
    if len(text) < 2:
        return []
    return _starting_first(
        Organisation.objects.select_related("country"),
        contains=Q(name__icontains=text) | Q(acronym__iexact=text),
        starts=Q(name__istartswith=text) | Q(acronym__iexact=text),
        order=("name", "pk"),
        limit=limit,
    )


def _starting_first(
    queryset: QuerySet, *, contains: Q, starts: Q, order: tuple[str, ...], limit: int
) -> list:
    """Up to `limit` rows matching `contains`: those matching `starts` first, each part in `order`."""
    first = list(queryset.filter(starts).order_by(*order)[:limit])
    rest = queryset.filter(contains).exclude(pk__in=[row.pk for row in first]).order_by(*order)
    return first + list(rest[: limit - len(first)])
