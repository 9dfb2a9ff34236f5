"""Synthetic published partnerships for scale tests (`partnerhub generate`).

Text is assembled from the official SDG target and indicator wording in the six languages, so search
meets real vocabulary; goals, countries, organisation types, partners, commitments and deliverables
follow plausible spreads. Rows go straight into the tables with executemany (no history, no per-row
ORM work) and the search rows are built from pre-analysed fragments, so a million rows take minutes.
"""

import random
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

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
from .search.index import area_facet_rows, facet_tokens

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
    organisations: list[tuple[int, str, str]]  # id, type, analysed name


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


def _organisations(rng: random.Random, count: int, countries) -> list[tuple[int, str, str]]:
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
        out.append((start + n, kind, analyse(name, lang)))
    Organisation.objects.bulk_create(rows, batch_size=2000)
    return out


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _insert(cursor, model, rows: list[tuple]) -> None:
    if not rows:
        return
    columns = _columns(model)
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _m2m(cursor, field, rows: list[tuple]) -> None:
    through = field.remote_field.through
    a, b = (f.column for f in through._meta.concrete_fields if f.column != "id")
    cursor.executemany(f"INSERT INTO {through._meta.db_table} ({a}, {b}) VALUES (%s, %s)", rows)


def partnerships_generate(*, count: int, seed: int = 1, progress: Callable[[int], None] | None = None) -> int:
    """Create `count` published partnerships with partners, commitments, deliverables and search rows."""
    rng = random.Random(seed)
    pools = _pools(rng, max(50, count // 20))
    goal_ids = list(pools.targets)
    goal_weights = [3 if g in ("3", "4", "5", "13", "14", "17") else 2 for g in goal_ids]
    adapt = connection.ops.adapt_datetimefield_value
    now_value = adapt(timezone.now())
    # Publication moments over ten years, adapted for the database once.
    moments = []
    for _ in range(20_000):
        moment = timezone.now() - timedelta(days=rng.randint(0, 3650), seconds=rng.randint(0, 86399))
        moments.append((moment, adapt(moment)))
    adapt_date = connection.ops.adapt_datefield_value
    next_id = (Partnership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_partner = (Partner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    created = 0
    engine = current_engine()
    bulk = engine.bulk_load() if hasattr(engine, "bulk_load") else nullcontext(None)
    with bulk as loader, transaction.atomic(), connection.cursor() as cursor:
        fast_sqlite = connection.vendor == "sqlite"
        if fast_sqlite:
            # A large page cache keeps the index B-trees in memory during the bulk load.
            cursor.execute("PRAGMA cache_size = -1000000")
            indexes = _drop_indexes(cursor)
        while created < count:
            size = min(BATCH, count - created)
            rows: dict[str, list] = {k: [] for k in ("p", "goals", "targets", "ind", "areas", "partner",
                                                     "commit", "deliv", "doc")}  # fmt: skip
            for _ in range(size):
                pid = next_id
                next_id += 1
                lang = rng.choice(LANGS)
                goals = list(
                    dict.fromkeys(rng.choices(goal_ids, goal_weights, k=rng.choice((1, 1, 2, 2, 3))))
                )
                chosen = [rng.choice(pools.targets[g]) for g in goals]
                if rng.random() < 0.4:
                    chosen.append(rng.choice(pools.targets[goals[0]]))
                chosen = list({t.pk: (t, f) for t, f in chosen}.values())
                countries = rng.sample(pools.countries, rng.choice((1, 1, 1, 2, 3)))
                title_frag = pools.titles[chosen[0][0].pk][lang]
                place = countries[0][2][lang]
                title = f"{title_frag.text[:200]} — {place.text}"
                indicator_frags = [
                    rng.choice(pools.indicators[t.pk]) for t, _ in chosen if t.pk in pools.indicators
                ]
                summary = " ".join(f[lang].text for _, f in chosen)[:1500]
                deliverables = [frag[lang].text for _, frag in indicator_frags[:3]]
                published, published_value = rng.choice(moments)
                start = (published - timedelta(days=rng.randint(0, 400))).date()
                end = start + timedelta(days=365 * rng.randint(1, 8)) if rng.random() < 0.8 else None
                level = "national" if len(countries) == 1 else "regional"
                category = rng.choices(["un_led", "un_participating", "other"], [1, 2, 6])[0]
                stage = rng.choice([s.value for s in Partnership.Stage])
                rows["p"].append(_partnership_row(pid, title, summary, goals[0], level, category, start, end, lang,
                                                  stage, published_value, now_value, adapt_date))  # fmt: skip
                rows["goals"] += [(pid, int(g)) for g in goals]
                rows["targets"] += [(pid, t.pk) for t, _ in chosen]
                rows["ind"] += [(pid, code) for code, _ in indicator_frags]
                rows["areas"] += [(pid, a.pk) for a, _, _ in countries]
                orgs = rng.sample(pools.organisations, rng.choice((1, 2, 2, 3, 4)))
                roles = [PartnerRole.LEAD] + [rng.choice(["funding", "implementing", "technical", "other"])
                                              for _ in orgs[1:]]  # fmt: skip
                partner_ids = []
                for (org_id, _kind, _name), role in zip(orgs, roles, strict=True):
                    rows["partner"].append((next_partner, str(role), "", org_id, pid))
                    partner_ids.append(next_partner)
                    next_partner += 1
                for _ in range(rng.choice((0, 1, 1, 2))):
                    if rng.random() < 0.6:
                        amount, cur, kind, ikt = (
                            rng.randint(5, 5000) * 1000,
                            rng.choice(CURRENCIES),
                            "financial",
                            "",
                        )
                    else:
                        amount, cur, kind, ikt = None, None, "in_kind", rng.choice(["staff", "technology", "data",
                                                                                    "facilities"])  # fmt: skip
                    rows["commit"].append((now_value, now_value, kind, ikt, amount, "", rng.choice(
                        ["pledged", "mobilised"]), cur, rng.choice(partner_ids), pid))  # fmt: skip
                for text in deliverables:
                    due = adapt_date(start + timedelta(days=rng.randint(90, 1500)))
                    rows["deliv"].append((now_value, now_value, text[:255], due, rng.choice(
                        [s.value for s in Deliverable.Status]), "", pid))  # fmt: skip
                org_terms = " ".join(name for _, _, name in orgs)
                body = " ".join(
                    [*(f[lang].terms for _, f in chosen), *(frag[lang].terms for _, frag in indicator_frags)]
                )
                title_terms = f"{title_frag.terms} {place.terms}"
                facets = {("goal", g) for g in goals} | {("target", t.pk) for t, _ in chosen}
                facets |= {r for _, area_rows, _ in countries for r in area_rows}
                facets |= {("orgtype", kind) for _, kind, _ in orgs} | {("org", str(o)) for o, _, _ in orgs}
                facets |= {("category", category), ("stage", stage), ("level", level)}
                sort_title = f"{title_frag.folded} — {place.folded}"[:255]
                facet_text = facet_tokens(facets)
                rows["doc"].append(
                    (pid, True, lang, title_terms, org_terms, body, facet_text, published_value, sort_title)
                )
                if loader:
                    loader.add(pid, title_terms, org_terms, body, facet_text, published, sort_title)
            _flush(cursor, rows)
            created += size
            if progress:
                progress(size)
        if fast_sqlite:
            for statement in indexes:  # building an index once by sorting beats updating it row by row
                cursor.execute(statement)
        if loader:
            loader.record()
    return created


BULK_TABLES = (
    Partnership._meta.db_table, Partner._meta.db_table, Commitment._meta.db_table, Deliverable._meta.db_table,
    SearchDocument._meta.db_table,
    Partnership.goals.through._meta.db_table, Partnership.targets.through._meta.db_table,
    Partnership.indicators.through._meta.db_table, Partnership.areas.through._meta.db_table,
)  # fmt: skip


def _drop_indexes(cursor) -> list[str]:
    """Drop the named (non-constraint) indexes of the bulk-loaded tables; return their CREATE statements.
    Unique indexes stay, so the load cannot insert a duplicate."""
    marks = ", ".join(["%s"] * len(BULK_TABLES))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) "
        "AND sql NOT LIKE 'CREATE UNIQUE%%'",
        list(BULK_TABLES),
    )
    indexes = cursor.fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]


def _partnership_row(pid, title, summary, goal, level, category, start, end, lang, stage, published, now,
                     adapt_date) -> tuple:  # fmt: skip
    values = {
        "id": pid, "created_at": now, "updated_at": now, "version": 1, "title": title,
        "summary": summary, "challenge": "", "objectives": "", "baseline": "", "scope_in": "", "scope_out": "",
        "primary_goal_id": int(goal), "geographic_level": level, "category": category,
        "start_date": adapt_date(start), "end_date": adapt_date(end), "language": lang, "stage": stage,
        "status": "published", "website": "", "featured": False, "published_at": published,
        "created_by_id": None,
    }  # fmt: skip
    return tuple(values[c] for c in _columns(Partnership))


def _flush(cursor, rows: dict[str, list]) -> None:
    _insert(cursor, Partnership, rows["p"])
    _m2m(cursor, Partnership._meta.get_field("goals"), rows["goals"])
    _m2m(cursor, Partnership._meta.get_field("targets"), rows["targets"])
    _m2m(cursor, Partnership._meta.get_field("indicators"), rows["ind"])
    _m2m(cursor, Partnership._meta.get_field("areas"), rows["areas"])
    cursor.executemany(
        f"INSERT INTO {Partner._meta.db_table} (id, role, objectives, organisation_id, partnership_id) "
        "VALUES (%s, %s, %s, %s, %s)",
        rows["partner"],
    )
    cursor.executemany(
        f"INSERT INTO {Commitment._meta.db_table} (created_at, updated_at, kind, in_kind_type, amount, description, "
        "status, currency_id, partner_id, partnership_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        rows["commit"],
    )
    cursor.executemany(
        f"INSERT INTO {Deliverable._meta.db_table} (created_at, updated_at, title, due_date, status, evidence, "
        "partnership_id) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        rows["deliv"],
    )
    cursor.executemany(
        f"INSERT INTO {SearchDocument._meta.db_table} (partnership_id, visible, language, title, orgs, body, "
        "facets, published_at, sort_title) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        rows["doc"],
    )
