"""Synthetic published partnerships for scale tests (`partnerhub generate`).

Text is assembled from the official SDG target and indicator wording in the six languages, so search
meets real vocabulary; goals, countries, organisation types, partners, commitments and deliverables
follow plausible spreads. To be fast the work is done once, not per row: a few thousand "themes" (goals,
targets, indicators and their texts, analysed, in every language), "places" (one to three countries
with their facets) and "teams" (lead and partner organisations) are drawn first, and each partnership
combines one of each with its own language, dates, category, stage and commitments. The pools are
staged in temporary tables and the combinations expanded into rows by the database itself (see
`STAGING` below), with foreign keys checked and secondary indexes built once at the end. (Building rows
in Python and inserting them with executemany measured 2.5 times slower; a writer thread was slower
still, the GIL handed back and forth for every row.) Python draws the next batch's combinations on a
second thread while the database expands the current one.
The search index is then brought up to date from the new search documents.
"""

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from json import dumps

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from rest_framework import serializers

from partnerhub.core.bulk import (
    Inserter,
    analyze,
    bulk_load_mode,
    drop_indexes,
    rebuild_indexes,
    take_write_lock,
)
from partnerhub.diligence.smart import Facts
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
BATCH = 50_000
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
    spread = {
        OrganisationType.GOVERNMENT_NATIONAL: 8, OrganisationType.GOVERNMENT_SUBNATIONAL: 3,
        OrganisationType.GOVERNMENT_LOCAL: 3, OrganisationType.UN_ENTITY: 4, OrganisationType.INTERGOVERNMENTAL: 2,
        OrganisationType.PRIVATE_LARGE: 5, OrganisationType.PRIVATE_MSME: 6, OrganisationType.NGO: 12,
        OrganisationType.ACADEMIA: 5, OrganisationType.PHILANTHROPY: 3, OrganisationType.FINANCIAL: 1,
        OrganisationType.OTHER: 1,
    }  # fmt: skip
    types, weights = [t.value for t in spread], list(spread.values())
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
    # executemany: bulk_create took longer to compile its SQL than SQLite to run it
    organisations = Inserter(Organisation)
    for organisation in rows:
        organisations.add(organisation)
    with connection.cursor() as cursor:
        organisations.flush(cursor)
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
    body: dict[str, str]  # analysed, per language

    def card_in(self, lang: str) -> str:
        """Its part of a search card (StoredCardSerializer), as JSON members."""
        shown = {"summary": self.summary[lang], "language": lang, "primary_goal": self.primary_goal,
                 "goals": self.goals, "targets": self.targets}  # fmt: skip
        return _json(shown)[1:-1]


def _json(value) -> str:
    return dumps(value, ensure_ascii=False)


@dataclass
class Place:
    areas: list[str]  # M49 codes
    level: str
    name: dict[str, Fragment]
    facets: str

    @property
    def card(self) -> str:
        return _json({"areas": self.areas, "geographic_level": self.level})[1:-1]


@dataclass
class Team:
    organisations: list[tuple[int, str, dict]]  # id, role, as search cards show it
    names: str
    facets: str

    @property
    def card(self) -> str:
        """Its partners in a search card: a JSON list as a format() string, the partner ids left as %s."""
        members = (
            '{"id": %s, '
            + _json({"organisation": shown, "role": role, "objectives": ""})[1:-1].replace("%", "%%")
            + "}"
            for _, role, shown in self.organisations
        )
        return ", ".join(members)


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
        body = {}
        for lang in langs:
            if summary[lang] == " ".join(f[lang].text for _, f in chosen) and all(
                d == f[lang].text for d, (_, f) in zip(deliverables[lang], indicators, strict=False)
            ):  # the analysed fragments, joined, are the analysed text (words never span the spaces)
                body[lang] = " ".join(
                    [*(f[lang].terms for _, f in chosen), *(f[lang].terms for _, f in indicators[:3])]
                )
            else:  # what indexing reads: summary, challenge, objectives, deliverables (search/index.py)
                body[lang] = analyse(" ".join([summary[lang], "", "", *deliverables[lang]]), lang)
        themes.append(
            Theme(
                primary_goal=int(goals[0]),
                goals=sorted(int(g) for g in goals),
                targets=[t.pk for t, _ in sorted(chosen, key=lambda c: (c[0].goal_id, c[0].position))],
                indicators=[code for code, _ in indicators],
                title={lang: pools.titles[chosen[0][0].pk][lang] for lang in langs},
                summary=summary,
                deliverables=deliverables,
                facets=" ".join(facets),
                body=body,
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


@dataclass
class Moment:
    """A publication moment with start, end and deliverable due dates (adapted for the database) and the
    reporting status per category, as the compliance job computes it (no report yet)."""

    published: object
    start: object
    end: object
    dues: list
    card: str  # the dates as JSON members of a search card
    compliance: dict[str, str]
    end_day: date | None
    due_days: list[date]


def _moments(rng: random.Random, count: int) -> list[Moment]:
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
        compliance = {
            category: standing(
                registered=registration_day(moment), last_period_end=None,
                cycle_months=cycle_months(category, None), today=today,
            ).status
            for category in Partnership.Category.values
        }  # fmt: skip
        due_dates = [start + timedelta(days=d) for d in sorted(rng.randint(90, 1500) for _ in range(3))]
        moments.append(
            Moment(adapt(moment), adapt_date(start), adapt_date(end), [adapt_date(d) for d in due_dates],
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


def _smart(theme: Theme, lang: str, place: Place, team: Team, commitments: int, moment: Moment) -> str:
    """The SMART facet value of a generated partnership (diligence.smart)."""
    facts = Facts(
        goals=len(theme.goals), targets=len(theme.targets), objectives="",
        deliverables=list(zip(theme.deliverables[lang], moment.due_days, strict=False)),
        partners=len(team.organisations), commitments=commitments, countries=len(place.areas),
        is_global=False, end_date=moment.end_day,
    )  # fmt: skip
    return "yes" if facts.passed else "no"


# The generation happens in the database, set-wise. Python stages the pools in temporary tables and draws,
# per partnership, which theme, place, team, language, moment, category, stage, commitments and deliverable
# statuses it combines (one short row each, in `gen_choice`); INSERT … SELECT statements then expand those
# choices into the registry tables and search documents. Every text and JSON piece is prepared once per
# pool entry, so the database only joins and formats (one format() per value: chained || copies the
# long pieces again at every step); the rows are what the indexer would write (a test checks it). Pool
# entries in a given language are keyed `number * 8 + language number`, so every lookup is by primary key.
STAGING = {
    "gen_theme": "id integer primary key, primary_goal int, title text, title_json text, title_terms text, "
    "title_folded text, summary text, body text, card text, facets text",
    "gen_theme_goal": "theme int, goal int",
    "gen_theme_target": "theme int, target text",
    "gen_theme_indicator": "theme int, indicator text",
    "gen_theme_deliverable": "theme int, position int, title text",  # theme in a language
    "gen_place": "id integer primary key, level text, name text, name_json text, name_terms text, "
    "name_folded text, facets text, card text",
    "gen_place_area": "place int, area text",
    "gen_team": "id integer primary key, card text, facets text",
    "gen_team_member": "team int, position int, organisation int, role text",
    "gen_team_terms": "id integer primary key, terms text",
    "gen_moment": "id integer primary key, published {ts}, start_date {date}, end_date {date}, due0 {date}, "
    "due1 {date}, due2 {date}, card text",
    "gen_compliance": "id integer primary key, status text",  # moment * 4 + category number
    "gen_commitment": "id integer primary key, kind text, in_kind_type text, amount {num}, currency text, "
    "status text",
    "gen_choice": "pid integer primary key, theme int, theme_lang int, place int, place_lang int, team int, "
    "team_lang int, lang text, moment int, moment_category int, category text, stage text, partner int, "
    "commitment0 int, commitment1 int, status0 text, status1 text, status2 text, smart text",
}
LANG_NO = {lang: n for n, lang in enumerate(sorted(set(LANGS)))}
CATEGORY_NO = {category: n for n, category in enumerate(Partnership.Category.values)}
FACETS = "%s %s %s category:%s stage:%s compliance:%s smart:%s"
# The search document's money (index.money): the two commitments' amounts per currency, never added across
# currencies. Currencies and amounts come from the generator's own templates, so no quoting is needed;
# %% because the statement also has parameters.
MONEY = (
    "CASE WHEN k0.kind = 'financial' AND k1.kind = 'financial' AND k0.currency = k1.currency "
    "THEN format('{\"%%s\": %%s}', k0.currency, k0.amount + k1.amount) "
    "WHEN k0.kind = 'financial' AND k1.kind = 'financial' AND k0.currency < k1.currency "
    'THEN format(\'{"%%s": %%s, "%%s": %%s}\', k0.currency, k0.amount, k1.currency, k1.amount) '
    "WHEN k0.kind = 'financial' AND k1.kind = 'financial' "
    'THEN format(\'{"%%s": %%s, "%%s": %%s}\', k1.currency, k1.amount, k0.currency, k0.amount) '
    "WHEN k0.kind = 'financial' THEN format('{\"%%s\": %%s}', k0.currency, k0.amount) "
    "WHEN k1.kind = 'financial' THEN format('{\"%%s\": %%s}', k1.currency, k1.amount) ELSE '{}' END"
)
CARD = '{"id": %s, "title": "%s — %s", %s, %s, "category": "%s", "stage": "%s", %s, "partners": [%s]}'


def _expand(now, json_type: str) -> list[tuple[str, list]]:
    """The INSERT … SELECT statements that turn the batch in gen_choice into rows, with their parameters."""
    m2m: list[tuple[str, list]] = []
    for name, source, key in (("goals", "gen_theme_goal", "theme"), ("targets", "gen_theme_target", "theme"),
                              ("indicators", "gen_theme_indicator", "theme"), ("areas", "gen_place_area", "place")):  # fmt: skip
        through = getattr(Partnership, name).through
        table, columns = through._meta.db_table, [f.column for f in through._meta.concrete_fields][1:]
        m2m.append((
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT c.pid, g.{source.rsplit('_', 1)[1]} "
            f"FROM gen_choice c JOIN {source} g ON g.{key} = c.{key} ORDER BY c.pid", [],
        ))  # fmt: skip
    commitments = [
        (
            f"INSERT INTO {Commitment._meta.db_table} (created_at, updated_at, kind, in_kind_type, amount, "
            "description, status, currency_id, partner_id, partnership_id) SELECT %s, %s, t.kind, "
            f"t.in_kind_type, t.amount, '', t.status, t.currency, c.partner, c.pid FROM gen_choice c "
            f"JOIN gen_commitment t ON t.id = c.{column} ORDER BY c.pid",
            [now, now],
        )
        for column in ("commitment0", "commitment1")
    ]
    dues = "CASE d.position WHEN 0 THEN m.due0 WHEN 1 THEN m.due1 ELSE m.due2 END"
    statuses = "CASE d.position WHEN 0 THEN c.status0 WHEN 1 THEN c.status1 ELSE c.status2 END"
    return [
        (
            f"INSERT INTO {Partnership._meta.db_table} ({', '.join(PARTNERSHIP_COLUMNS)}) SELECT c.pid, %s, %s, "
            "1, t.title || %s || p.name, t.summary, '', '', '', '', '', t.primary_goal, p.level, c.category, "
            "m.start_date, m.end_date, c.lang, c.stage, 'published', '', '', FALSE, m.published, NULL "
            "FROM gen_choice c JOIN gen_theme t ON t.id = c.theme_lang JOIN gen_place p ON p.id = c.place_lang "
            "JOIN gen_moment m ON m.id = c.moment ORDER BY c.pid",
            [now, now, " — "],
        ),
        *m2m,
        (
            f"INSERT INTO {Partner._meta.db_table} (id, role, objectives, organisation_id, partnership_id) "
            "SELECT c.partner + t.position, t.role, '', t.organisation, c.pid FROM gen_choice c "
            "JOIN gen_team_member t ON t.team = c.team ORDER BY c.pid, t.position",
            [],
        ),
        *commitments,
        (
            f"INSERT INTO {Deliverable._meta.db_table} (created_at, updated_at, title, due_date, status, "
            f"evidence, partnership_id) SELECT %s, %s, d.title, {dues}, {statuses}, '', c.pid "
            "FROM gen_choice c JOIN gen_theme_deliverable d ON d.theme = c.theme_lang "
            "JOIN gen_moment m ON m.id = c.moment ORDER BY c.pid, d.position",
            [now, now],
        ),
        (
            f"INSERT INTO {SearchDocument._meta.db_table} (partnership_id, visible, language, title, orgs, body, "
            "facets, published_at, sort_title, card, money) SELECT c.pid, TRUE, c.lang, t.title_terms || ' ' || "
            "p.name_terms, o.terms, t.body, format(%s, t.facets, p.facets, team.facets, c.category, c.stage, "
            "s.status, c.smart), m.published, SUBSTR(t.title_folded || %s || p.name_folded, 1, 255), "
            "CAST(format(%s, c.pid, t.title_json, p.name_json, t.card, p.card, c.category, c.stage, m.card, "
            f"format(team.card, c.partner, c.partner + 1, c.partner + 2, c.partner + 3)) AS {json_type}), "
            f"CAST({MONEY} AS {json_type}) "
            "FROM gen_choice c JOIN gen_theme t ON t.id = c.theme_lang JOIN gen_place p ON p.id = c.place_lang "
            "JOIN gen_team team ON team.id = c.team JOIN gen_team_terms o ON o.id = c.team_lang "
            "JOIN gen_moment m ON m.id = c.moment JOIN gen_compliance s ON s.id = c.moment_category "
            "LEFT JOIN gen_commitment k0 ON k0.id = c.commitment0 LEFT JOIN gen_commitment k1 ON k1.id = c.commitment1 "
            "ORDER BY c.pid",
            [FACETS, " — ", CARD],
        ),
    ]


PARTNERSHIP_COLUMNS = (
    "id", "created_at", "updated_at", "version", "title", "summary", "challenge", "objectives", "baseline",
    "scope_in", "scope_out", "primary_goal_id", "geographic_level", "category", "start_date", "end_date",
    "language", "stage", "status", "website", "external_id", "featured", "published_at", "created_by_id",
)  # fmt: skip

BULK_TABLES = (
    Partnership._meta.db_table, Partner._meta.db_table, Commitment._meta.db_table, Deliverable._meta.db_table,
    SearchDocument._meta.db_table,
    Partnership.goals.through._meta.db_table, Partnership.targets.through._meta.db_table,
    Partnership.indicators.through._meta.db_table, Partnership.areas.through._meta.db_table,
)  # fmt: skip


def _fill(cursor, table: str, rows: list[tuple]) -> None:
    if rows:
        cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(rows[0]))})", rows)


def _stage(cursor, themes: list[Theme], places: list[Place], teams: list[Team], moments: list[Moment],
           commitments: list[tuple]) -> None:  # fmt: skip
    """Create the staging tables and fill them with the pools."""
    pg = connection.vendor == "postgresql"
    types = (
        {"ts": "timestamp with time zone", "date": "date", "num": "numeric"}
        if pg
        else dict.fromkeys(("ts", "date", "num"), "text")
    )
    for table, columns in STAGING.items():
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns.format(**types)})")
        if "primary key" not in columns:  # looked up by its first column
            cursor.execute(f"CREATE INDEX {table}_key ON {table} ({columns.split()[0]})")
    langs = LANG_NO.items()
    _fill(cursor, "gen_theme", [
        (n * 8 + ln, t.primary_goal, t.title[lang].text[:200], _json(t.title[lang].text[:200])[1:-1],
         t.title[lang].terms, t.title[lang].folded, t.summary[lang], t.body[lang], t.card_in(lang), t.facets)
        for n, t in enumerate(themes) for lang, ln in langs
    ])  # fmt: skip
    _fill(cursor, "gen_theme_goal", [(n, g) for n, t in enumerate(themes) for g in t.goals])
    _fill(cursor, "gen_theme_target", [(n, x) for n, t in enumerate(themes) for x in t.targets])
    _fill(cursor, "gen_theme_indicator", [(n, x) for n, t in enumerate(themes) for x in t.indicators])
    _fill(cursor, "gen_theme_deliverable", [
        (n * 8 + ln, position, title)
        for n, t in enumerate(themes) for lang, ln in langs for position, title in enumerate(t.deliverables[lang])
    ])  # fmt: skip
    _fill(cursor, "gen_place", [
        (n * 8 + ln, p.level, p.name[lang].text, _json(p.name[lang].text)[1:-1], p.name[lang].terms,
         p.name[lang].folded, p.facets, p.card)
        for n, p in enumerate(places) for lang, ln in langs
    ])  # fmt: skip
    _fill(cursor, "gen_place_area", [(n, a) for n, p in enumerate(places) for a in p.areas])
    _fill(cursor, "gen_team", [(n, t.card, t.facets) for n, t in enumerate(teams)])
    _fill(cursor, "gen_team_member", [
        (n, position, org, role) for n, t in enumerate(teams) for position, (org, role, _) in enumerate(t.organisations)
    ])  # fmt: skip
    _fill(
        cursor,
        "gen_moment",
        [(n, m.published, m.start, m.end, *m.dues, m.card) for n, m in enumerate(moments)],
    )
    _fill(cursor, "gen_compliance", [
        (n * 4 + CATEGORY_NO[category], status) for n, m in enumerate(moments) for category, status in m.compliance.items()
    ])  # fmt: skip
    _fill(cursor, "gen_commitment", [(n, *c) for n, c in enumerate(commitments)])


def _draws(rng: random.Random, count: int, themes: list[Theme], places: list[Place], teams: list[Team],
           moments: list[Moment], templates: list[tuple], *, next_id: int, next_partner: int):  # fmt: skip
    """Per batch, the gen_choice rows of its partnerships and the gen_team_terms rows they newly need."""
    categories = ["un_led"] + ["un_participating"] * 2 + ["other"] * 6
    stages = [s.value for s in Partnership.Stage]
    statuses = [s.value for s in Deliverable.Status]
    smart_of: dict[tuple, str] = {}
    analysed: set[int] = set()
    created = 0
    while created < count:
        size = min(BATCH, count - created)
        draw = partial(rng.choices, k=size)
        picks = zip(
            draw(range(len(themes))), draw(range(len(places))), draw(range(len(teams))), draw(LANGS),
            draw(range(len(moments))), draw(categories), draw(stages), draw((0, 1, 1, 2)),
            draw(range(len(templates))), draw(range(len(templates))), draw(statuses), draw(statuses),
            draw(statuses), strict=True,
        )  # fmt: skip
        choices, terms = [], []
        for pid, (
            theme,
            place,
            team,
            lang,
            moment,
            category,
            stage,
            n_commit,
            c0,
            c1,
            *shown,
        ) in enumerate(picks, start=next_id + created):
            # SMART reads counts and whether there is an end date, not the dates: cached on those.
            size_of = (len(places[place].areas), len(teams[team].organisations), n_commit)
            key = (theme, lang, *size_of, moments[moment].end_day is None)
            if key not in smart_of:
                smart_of[key] = _smart(themes[theme], lang, places[place], teams[team], n_commit,
                                       moments[moment])  # fmt: skip
            ln = LANG_NO[lang]
            if (team_lang := team * 8 + ln) not in analysed:
                analysed.add(team_lang)
                terms.append((team_lang, analyse(teams[team].names, lang)))
            choices.append((
                pid, theme, theme * 8 + ln, place, place * 8 + ln, team, team_lang, lang, moment,
                moment * 4 + CATEGORY_NO[category], category, stage, next_partner,
                c0 if n_commit > 0 else None, c1 if n_commit > 1 else None, *shown, smart_of[key],
            ))  # fmt: skip
            next_partner += len(teams[team].organisations)
        created += size
        yield choices, terms


def partnerships_generate(*, count: int, seed: int = 1, progress: Callable[[int], None] | None = None) -> int:
    """Create `count` published partnerships with partners, commitments, deliverables and search documents,
    in one transaction. The search index learns of them through the outbox (`current_engine().sync()`)."""
    engine = current_engine()
    engine.sync()
    sqlite = connection.vendor == "sqlite"
    created = 0
    # Foreign keys are checked once for the whole load, before it commits (as loaddata does). The next batch
    # is drawn on a second thread while the database expands this one (the driver releases the GIL while a
    # statement runs), so the two cores share the work.
    with (
        bulk_load_mode(),
        connection.constraint_checks_disabled(),
        transaction.atomic(),
        connection.cursor() as cursor,
        ThreadPoolExecutor(1, thread_name_prefix="generate") as ahead,
    ):
        take_write_lock()  # the ids below continue after the largest: no other writer until this commits
        rng = random.Random(seed)
        pools = _pools(rng, max(50, count // 20))
        themes, places = _themes(rng, pools, count), _places(rng, pools, count)
        teams, moments = _teams(rng, pools, count), _moments(rng, count)
        templates = _commitments(rng)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        expand = _expand(now, "text" if sqlite else "jsonb")
        next_id = (Partnership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        next_partner = (Partner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        batches = _draws(rng, count, themes, places, teams, moments, templates, next_id=next_id,
                         next_partner=next_partner)  # fmt: skip
        if sqlite:
            cursor.execute("PRAGMA cache_size = -1000000")  # keep the B-trees in memory during the load
            # The staging tables are temporary, with a cache of their own (2 MB by default): the pools' texts
            # (~100 MB) were re-read from the temporary file at every join, a seventh of a million-row load.
            cursor.execute("PRAGMA temp.cache_size = -200000")
        indexes = drop_indexes(cursor, BULK_TABLES) if sqlite else []
        _stage(cursor, themes, places, teams, moments, templates)
        pending = ahead.submit(next, batches, None)
        while (batch := pending.result()) is not None:
            choices, terms = batch
            cursor.execute("DELETE FROM gen_choice")
            _fill(cursor, "gen_choice", choices)  # a row at a time, with the GIL: not while drawing
            _fill(cursor, "gen_team_terms", terms)
            pending = ahead.submit(next, batches, None)
            for statement, params in expand:
                cursor.execute(statement, params)
            created += len(choices)
            if progress:
                progress(len(choices))
        for table in STAGING:
            cursor.execute(f"DROP TABLE {table}")
        rebuild_indexes(cursor, indexes)  # building an index once by sorting beats updating it row by row
        connection.check_constraints(table_names=list(BULK_TABLES))
        # PostgreSQL's id sequences do not see explicit ids: they continue after them, as loaddata does.
        for statement in connection.ops.sequence_reset_sql(no_style(), [Organisation, Partnership, Partner]):
            cursor.execute(statement)
        analyze(cursor, [Organisation._meta.db_table, *BULK_TABLES])
        engine.changed(None, catch_up=False)  # the caller brings the index up to date, with progress
    return created
