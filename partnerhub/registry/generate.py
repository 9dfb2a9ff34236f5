"""Synthetic published partnerships for scale tests (`partnerhub generate`).

Text is assembled from the official SDG target and indicator wording in the six languages, so search
meets real vocabulary; goals, countries, organisation types, partners, commitments and deliverables
follow plausible spreads. To be fast the work is done once, not per row: a few thousand "themes" (goals,
targets, indicators and their texts, analysed, in every language), "places" (one to three countries
with their facets) and "teams" (lead and partner organisations) are drawn first, and each partnership
combines one of each with its own language, dates, category, stage and commitments. Rows go straight
into the tables with executemany on the DB-API cursor, with foreign keys checked and secondary indexes
built once at the end. (A writer thread overlapping SQLite with generation measured slower: the GIL
is handed back and forth for every row.)
The search index is then brought up to date from the new search documents.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from json import dumps

from django.db import connection, transaction
from django.utils import timezone
from rest_framework import serializers

from partnerhub.core.bulk import drop_indexes, rollback_journal
from partnerhub.reference.models import Area, Indicator, Target

from .models import (
    Commitment,
    Deliverable,
    Organisation,
    OrganisationType,
    Partner,
    PartnerRole,
    Partnership,
    SearchDocument,
)
from .search.analysis import analyse, fold
from .search.engines import current_engine
from .search.index import area_facet_rows

LANGS = ["en"] * 11 + ["fr"] * 3 + ["es"] * 3 + ["ru", "ar", "zh"] * 1
CURRENCIES = ["USD"] * 6 + ["EUR"] * 2 + ["GBP", "JPY", "XOF", "INR"]
ORG_WORDS = {
    "en": ("Alliance", "Foundation", "Network", "Institute", "Council", "Partners"),
    "fr": ("Alliance", "Fondation", "Réseau", "Institut", "Conseil", "Partenaires"),
    "es": ("Alianza", "Fundación", "Red", "Instituto", "Consejo", "Socios"),
    "ru": ("Альянс", "Фонд", "Сеть", "Институт", "Совет", "Партнёры"),
    "ar": ("تحالف", "مؤسسة", "شبكة", "معهد", "مجلس", "شركاء"),
    "zh": ("联盟", "基金会", "网络", "研究所", "理事会", "伙伴"),
}
BATCH = 2000
THEMES, PLACES, TEAMS, MOMENTS = 4096, 4096, 16384, 8192  # at most, and at most count / 4 each


@dataclass
class Fragment:
    text: str
    terms: str  # analysed
    folded: str  # for sorting


@dataclass
class Pools:
    targets: dict[str, list[tuple[Target, dict[str, Fragment]]]]  # goal -> targets with text per language
    titles: dict[str, dict[str, Fragment]]  # target -> the first words of its text, per language
    indicators: dict[str, list[tuple[str, dict[str, Fragment]]]]  # target -> indicator codes with text
    countries: list[tuple[Area, list[tuple[str, str]], dict[str, Fragment]]]  # area, facet rows, name
    organisations: list[tuple[int, str, dict]]  # id, type, as search cards show it


def _fragment(text: str, lang: str, words: int | None = None) -> Fragment:
    if words:
        text = " ".join(text.split()[:words]) if lang != "zh" else text[: words * 2]
    return Fragment(text, analyse(text, lang), fold(text))


def _pools(rng: random.Random, organisation_count: int) -> Pools:
    langs = sorted(set(LANGS))
    targets: dict[str, list] = {}
    titles: dict[str, dict[str, Fragment]] = {}
    for t in Target.objects.select_related("goal"):
        frags = {lang: _fragment(t.tr("title", lang), lang) for lang in langs}
        targets.setdefault(str(t.goal_id), []).append((t, frags))
        titles[t.pk] = {lang: _fragment(t.tr("title", lang), lang, 9) for lang in langs}
    indicators: dict[str, list] = {}
    for i in Indicator.objects.all():
        indicators.setdefault(i.target_id, []).append(
            (i.code, {lang: _fragment(i.tr("title", lang), lang, 14) for lang in langs})
        )
    countries = []
    for a in (
        Area.objects.filter(kind=Area.Kind.COUNTRY)
        .select_related("parent__parent")
        .prefetch_related("groups")
    ):
        rows = sorted(area_facet_rows(a))
        countries.append((a, rows, {lang: _fragment(a.tr("name", lang), lang) for lang in langs}))
    organisations = _organisations(rng, organisation_count, countries)
    return Pools(targets, titles, indicators, countries, organisations)


def _organisations(rng: random.Random, count: int, countries) -> list[tuple[int, str, dict]]:
    types = [t.value for t in OrganisationType]
    weights = [8, 3, 3, 4, 2, 5, 6, 12, 5, 3, 1]
    now = timezone.now()
    start = (Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows, out = [], []
    for n in range(count):
        area, _rows, names = rng.choice(countries)
        lang = rng.choice(LANGS)
        kind = rng.choices(types, weights)[0]
        name = f"{names[lang].text} {rng.choice(ORG_WORDS[lang])} {start + n}"
        rows.append(
            Organisation(
                id=start + n, name=name[:255], type=kind, country=area, created_at=now, updated_at=now
            )
        )
        out.append((start + n, kind, {"id": start + n, "name": name[:255], "acronym": "", "type": kind}))
    Organisation.objects.bulk_create(rows, batch_size=2000)
    return out


@dataclass
class Theme:
    primary_goal: int
    goals: list[int]  # in the order the API lists them, as targets and areas
    targets: list[str]
    indicators: list[str]
    title: dict[str, Fragment]
    summary: dict[str, str]
    deliverables: dict[str, list[str]]
    facets: str
    body: dict[str, str] = field(default_factory=dict)  # analysed, per language (else analysed when needed)
    card: dict[str, str] = field(default_factory=dict)  # per language

    def card_in(self, lang: str) -> str:
        """Its part of a search card (StoredCardSerializer), as JSON members."""
        if lang not in self.card:
            self.card[lang] = dumps(
                {
                    "summary": self.summary[lang],
                    "language": lang,
                    "primary_goal": self.primary_goal,
                    "goals": self.goals,
                    "targets": self.targets,
                }
            )[1:-1]
        return self.card[lang]

    def body_in(self, lang: str) -> str:
        """What indexing reads: summary, challenge, objectives, deliverables (registry/search/index.py)."""
        if lang not in self.body:
            self.body[lang] = analyse(" ".join([self.summary[lang], "", "", *self.deliverables[lang]]), lang)
        return self.body[lang]


@dataclass
class Place:
    areas: list[str]  # M49 codes
    level: str
    name: dict[str, Fragment]
    facets: str

    @cached_property
    def card(self) -> str:
        return dumps({"areas": self.areas, "geographic_level": self.level})[1:-1]


@dataclass
class Team:
    organisations: list[tuple[int, str, dict]]  # id, role, as search cards show it
    names: str
    facets: str
    terms: dict[str, str] = field(default_factory=dict)  # the names analysed in a partnership's language

    @cached_property
    def card(self) -> list[str]:
        """Each partner in a search card, as JSON members after its id."""
        return [
            dumps({"organisation": shown, "role": role, "objectives": ""})[1:-1]
            for _, role, shown in self.organisations
        ]

    def terms_in(self, lang: str) -> str:
        if lang not in self.terms:
            self.terms[lang] = analyse(self.names, lang)
        return self.terms[lang]


def _pool_size(most: int, count: int) -> int:
    return min(most, max(16, count // 4))


def _themes(rng: random.Random, pools: Pools, count: int) -> list[Theme]:
    langs = sorted(set(LANGS))
    goal_ids = list(pools.targets)
    weights = [3 if g in ("3", "4", "5", "13", "14", "17") else 2 for g in goal_ids]
    themes = []
    for _ in range(_pool_size(THEMES, count)):
        goals = list(dict.fromkeys(rng.choices(goal_ids, weights, k=rng.choice((1, 1, 2, 2, 3)))))
        chosen = [rng.choice(pools.targets[g]) for g in goals]
        if rng.random() < 0.4:
            chosen.append(rng.choice(pools.targets[goals[0]]))
        chosen = list({t.pk: (t, f) for t, f in chosen}.values())
        indicators = [rng.choice(pools.indicators[t.pk]) for t, _ in chosen if t.pk in pools.indicators]
        facets = [f"goal:{g}" for g in goals] + [f"target:{t.pk}" for t, _ in chosen]
        summary = {lang: " ".join(f[lang].text for _, f in chosen)[:1500] for lang in langs}
        deliverables = {lang: [f[lang].text[:255] for _, f in indicators[:3]] for lang in langs}
        themes.append(
            Theme(
                primary_goal=int(goals[0]),
                goals=sorted(int(g) for g in goals),
                targets=[t.pk for t, _ in sorted(chosen, key=lambda c: (c[0].goal_id, c[0].position))],
                indicators=[code for code, _ in indicators],
                title={lang: pools.titles[chosen[0][0].pk][lang] for lang in langs},
                summary=summary,
                deliverables=deliverables,
                # The analysed fragments, joined, are the analysed text (words never span the spaces).
                body={
                    lang: " ".join(
                        [*(f[lang].terms for _, f in chosen), *(f[lang].terms for _, f in indicators[:3])]
                    )
                    for lang in langs
                    if len(" ".join(f[lang].text for _, f in chosen)) <= 1500
                    and all(len(f[lang].text) <= 255 for _, f in indicators[:3])
                },
                facets=" ".join(facets),
            )
        )
    return themes


def _places(rng: random.Random, pools: Pools, count: int) -> list[Place]:
    places = []
    for _ in range(_pool_size(PLACES, count)):
        countries = rng.sample(pools.countries, rng.choice((1, 1, 1, 2, 3)))
        level = "national" if len(countries) == 1 else "regional"
        facets = sorted({f"{f}:{v}" for _, rows, _ in countries for f, v in rows} | {f"level:{level}"})
        places.append(Place(sorted(a.pk for a, _, _ in countries), level, countries[0][2], " ".join(facets)))
    return places


def _teams(rng: random.Random, pools: Pools, count: int) -> list[Team]:
    teams = []
    for _ in range(_pool_size(TEAMS, count)):
        orgs = rng.sample(pools.organisations, min(len(pools.organisations), rng.choice((1, 2, 2, 3, 4))))
        roles = [str(PartnerRole.LEAD)] + [rng.choice(["funding", "implementing", "technical", "other"])
                                           for _ in orgs[1:]]  # fmt: skip
        facets = sorted({f"orgtype:{kind}" for _, kind, _ in orgs} | {f"org:{pk}" for pk, _, _ in orgs})
        teams.append(
            Team(
                organisations=[(pk, role, shown) for (pk, _, shown), role in zip(orgs, roles, strict=True)],
                names=" ".join(f"{shown['name']} {shown['acronym']}" for _, _, shown in orgs),
                facets=" ".join(facets),
            )
        )
    return teams


def _moments(rng: random.Random, count: int) -> list[tuple]:
    """Publication moments over ten years with start, end and deliverable due dates, adapted for the
    database once: (published, start, end, due dates, and the dates as JSON members of a search card)."""
    adapt, adapt_date = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
    show, show_date = serializers.DateTimeField().to_representation, serializers.DateField().to_representation
    from partnerhub.reporting.compliance import cycle_months, registration_day
    from partnerhub.reporting.cycle import standing

    now = timezone.now()
    today = timezone.localdate()
    moments = []
    for _ in range(_pool_size(MOMENTS, count)):
        moment = now - timedelta(days=rng.randint(0, 3650), seconds=rng.randint(0, 86399))
        start = (moment - timedelta(days=rng.randint(0, 400))).date()
        end = start + timedelta(days=365 * rng.randint(1, 8)) if rng.random() < 0.8 else None
        shown = {"start_date": show_date(start), "end_date": show_date(end) if end else None,
                 "published_at": show(moment)}  # fmt: skip
        # The reporting status per category, as the compliance job computes it (no report yet).
        compliance = {
            category: standing(
                registered=registration_day(moment), last_period_end=None,
                cycle_months=cycle_months(category, None), today=today,
            ).status
            for category in Partnership.Category.values
        }  # fmt: skip
        due_dates = [start + timedelta(days=d) for d in sorted(rng.randint(90, 1500) for _ in range(3))]
        moments.append(
            (adapt(moment), adapt_date(start), adapt_date(end), [adapt_date(d) for d in due_dates],
             dumps(shown)[1:-1], compliance, end, due_dates)
        )  # fmt: skip
    return moments


def _commitments(rng: random.Random) -> list[tuple]:
    """Commitment templates: (kind, in-kind type, amount, currency, status)."""
    out: list[tuple] = []
    for _ in range(1024):
        status = rng.choice(["pledged", "mobilised"])
        if rng.random() < 0.6:
            out.append(("financial", "", rng.randint(5, 5000) * 1000, rng.choice(CURRENCIES), status))
        else:
            out.append(
                ("in_kind", rng.choice(["staff", "technology", "data", "facilities"]), None, None, status)
            )
    return out


def _smart_of() -> Callable[..., str]:
    """The SMART facet value of a generated partnership (diligence.smart), cached per combination."""
    from partnerhub.diligence.smart import Facts, smart_check

    cache: dict[tuple, str] = {}

    def smart(theme: Theme, lang: str, place: Place, team: Team, commitments: int, end, dues) -> str:
        titles = theme.deliverables[lang]
        key = (id(theme), lang, id(place), len(team.organisations), commitments, end is None, len(titles))
        if key not in cache:
            facts = Facts(
                goals=len(theme.goals), targets=len(theme.targets), objectives="",
                deliverables=list(zip(titles, dues, strict=False)), partners=len(team.organisations),
                commitments=commitments, countries=len(place.areas), is_global=False, end_date=end,
            )  # fmt: skip
            cache[key] = "yes" if smart_check(facts).passed else "no"
        return cache[key]

    return smart


PARTNERSHIP_COLUMNS = (
    "id", "created_at", "updated_at", "version", "title", "summary", "challenge", "objectives", "baseline",
    "scope_in", "scope_out", "primary_goal_id", "geographic_level", "category", "start_date", "end_date",
    "language", "stage", "status", "website", "external_id", "featured", "published_at", "created_by_id",
)  # fmt: skip


def _statements(marks: str) -> dict[str, str]:
    def insert(table: str, columns: tuple[str, ...], casts: dict[str, str] | None = None) -> str:
        values = ", ".join(marks + (casts or {}).get(column, "") for column in columns)
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"

    def m2m(name: str) -> str:
        through = getattr(Partnership, name).through
        return insert(
            through._meta.db_table, tuple(f.column for f in through._meta.concrete_fields if f.column != "id")
        )

    return {
        "p": insert(Partnership._meta.db_table, PARTNERSHIP_COLUMNS),
        "goals": m2m("goals"),
        "targets": m2m("targets"),
        "ind": m2m("indicators"),
        "areas": m2m("areas"),
        "partner": insert(Partner._meta.db_table, ("id", "role", "objectives", "organisation_id", "partnership_id")),
        "commit": insert(Commitment._meta.db_table, ("created_at", "updated_at", "kind", "in_kind_type", "amount",
                                                     "description", "status", "currency_id", "partner_id",
                                                     "partnership_id")),
        "deliv": insert(Deliverable._meta.db_table, ("created_at", "updated_at", "title", "due_date", "status",
                                                     "evidence", "partnership_id")),
        "doc": insert(SearchDocument._meta.db_table, ("partnership_id", "visible", "language", "title", "orgs",
                                                      "body", "facets", "published_at", "sort_title", "card"),
                      casts={"card": "::jsonb" if marks == "%s" else ""}),
    }  # fmt: skip


def partnerships_generate(*, count: int, seed: int = 1, progress: Callable[[int], None] | None = None) -> int:
    """Create `count` published partnerships with partners, commitments, deliverables and search documents,
    in one transaction. The search index learns of them through the outbox (`current_engine().sync()`)."""
    rng = random.Random(seed)
    pools = _pools(rng, max(50, count // 20))
    themes, places = _themes(rng, pools, count), _places(rng, pools, count)
    teams, moments = _teams(rng, pools, count), _moments(rng, count)
    now_value = connection.ops.adapt_datetimefield_value(timezone.now())
    commitments = _commitments(rng)
    categories = ["un_led"] + ["un_participating"] * 2 + ["other"] * 6
    smart = _smart_of()
    stages = [s.value for s in Partnership.Stage]
    statuses = [s.value for s in Deliverable.Status]
    next_id = (Partnership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_partner = (Partner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    created = 0
    engine = current_engine()
    engine.sync()
    # Foreign keys are checked once for the whole load, before it commits (as loaddata does).
    with (
        rollback_journal(),
        connection.constraint_checks_disabled(),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            cursor.execute("PRAGMA cache_size = -1000000")  # keep the B-trees in memory during the load
        indexes = drop_indexes(cursor, BULK_TABLES) if sqlite else []
        statements = _statements("?" if sqlite else "%s")
        raw = connection.connection.cursor()  # the DB-API cursor: no per-call wrapping for a million rows
        choice = rng.choice
        while created < count:
            size = min(BATCH, count - created)
            rows: dict[str, list] = {key: [] for key in statements}
            p_rows, goal_rows, target_rows, ind_rows, area_rows = (rows["p"], rows["goals"], rows["targets"],
                                                                   rows["ind"], rows["areas"])  # fmt: skip
            partner_rows, commit_rows, deliv_rows, doc_rows = (rows["partner"], rows["commit"], rows["deliv"],
                                                               rows["doc"])  # fmt: skip
            for pid in range(next_id, next_id + size):
                theme, place, team = choice(themes), choice(places), choice(teams)
                lang = choice(LANGS)
                published_value, start, end, dues, dates_card, compliance, end_day, due_days = choice(moments)
                category, stage = choice(categories), choice(stages)
                title_frag, place_name = theme.title[lang], place.name[lang]
                title = f"{title_frag.text[:200]} — {place_name.text}"
                p_rows.append((
                    pid, now_value, now_value, 1, title, theme.summary[lang], "", "", "", "", "", theme.primary_goal, place.level, category, start, end,
                    lang, stage, "published", "", "", False, published_value, None,
                ))  # fmt: skip
                goal_rows += [(pid, g) for g in theme.goals]
                target_rows += [(pid, t) for t in theme.targets]
                ind_rows += [(pid, i) for i in theme.indicators]
                area_rows += [(pid, a) for a in place.areas]
                lead = next_partner
                for org, role, _shown in team.organisations:
                    partner_rows.append((next_partner, role, "", org, pid))
                    next_partner += 1
                partners = ", ".join(f'{{"id": {lead + n}, {member}}}' for n, member in enumerate(team.card))
                n_commitments = choice((0, 1, 1, 2))
                for _ in range(n_commitments):
                    kind, ikt, amount, currency, status = choice(commitments)
                    commit_rows.append(
                        (now_value, now_value, kind, ikt, amount, "", status, currency, lead, pid)
                    )
                for text, due in zip(theme.deliverables[lang], dues, strict=False):
                    deliv_rows.append((now_value, now_value, text, due, choice(statuses), "", pid))
                doc_rows.append((
                    pid, True, lang, f"{title_frag.terms} {place_name.terms}", team.terms_in(lang), theme.body_in(lang),
                    f"{theme.facets} {place.facets} {team.facets} category:{category} stage:{stage} "
                    f"compliance:{compliance[category]} smart:{smart(theme, lang, place, team, n_commitments, end_day, due_days)}",
                    published_value, f"{title_frag.folded} — {place_name.folded}"[:255],
                    f'{{"id": {pid}, "title": {dumps(title)}, {theme.card_in(lang)}, {place.card}, '
                    f'"category": "{category}", "stage": "{stage}", {dates_card}, "partners": [{partners}]}}',
                ))  # fmt: skip
            for key, statement in statements.items():
                if rows[key]:
                    raw.executemany(statement, rows[key])
            next_id += size
            created += size
            if progress:
                progress(size)
        for statement in indexes:  # building an index once by sorting beats updating it row by row
            cursor.execute(statement)
        connection.check_constraints(table_names=list(BULK_TABLES))
        engine.changed(None, catch_up=False)  # the caller brings the index up to date, with progress
    return created


BULK_TABLES = (
    Partnership._meta.db_table, Partner._meta.db_table, Commitment._meta.db_table, Deliverable._meta.db_table,
    SearchDocument._meta.db_table,
    Partnership.goals.through._meta.db_table, Partnership.targets.through._meta.db_table,
    Partnership.indicators.through._meta.db_table, Partnership.areas.through._meta.db_table,
)  # fmt: skip
