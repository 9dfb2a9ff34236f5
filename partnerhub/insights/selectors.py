"""Coverage, gaps and interlinkages: the registry counted by goal, target, place, group and type.

Every figure is an aggregation of the search engine over the same filters as the browse list (text query
included), so each one links to the list of exactly the partnerships it counts: the bucket's value is
added to the list's filters (as `also=goal:13` where the list already filters on goals, which would
otherwise widen it). A partnership in several goals or countries counts once in each of them and once
in every total: the question is "how many partnerships", never "how many goal tags". Money is summed per
currency and never added across currencies.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from partnerhub.reference.models import Area, AreaGroup, Goal, Target
from partnerhub.registry.models import Organisation, OrganisationType, Partnership
from partnerhub.registry.search.engines import Bucket
from partnerhub.registry.search.present import FACET_PARAM, value_labels
from partnerhub.registry.search.service import ALSO, SearchParams, aggregate, search_ids
from partnerhub.reporting.models import ComplianceStatus

# Up to this many ids a query names them (IN); beyond, reading every row is cheaper than Django's handling
# of the parameters.
IN_LIST = 500

# Public dimension name -> the search facet it counts.
DIMENSIONS = {
    "goal": "goal",
    "target": "target",
    "country": "country",
    "region": "region",
    "subregion": "subregion",
    "group": "group",
    "organisation_type": "orgtype",
    "category": "category",
    "stage": "stage",
    "compliance": "compliance",
}
# A target or country is "under-served" below this share of the median target's or country's count.
FEW_SHARE = 0.25
# Reporting statuses that count as reporting (a goal "rarely reports" when few of its partnerships do).
REPORTING = ("reported", "due_soon")


@dataclass
class Figure:
    """One row or cell: what it counts (dimension -> value, with labels), the measures, and the link to
    the partnerships behind it."""

    key: dict[str, str]
    labels: dict[str, str]
    partnerships: int
    partners: int | None
    resources: dict[str, float]
    url: str

    def as_dict(self) -> dict:
        return {
            **self.key,
            "labels": self.labels,
            "partnerships": self.partnerships,
            "partners": self.partners,
            "resources": self.resources,
            "url": self.url,
        }


@dataclass
class Coverage:
    by: list[str]
    total: Figure
    rows: list[Figure]  # every value of the first dimension, zeros included (they are the gaps)
    cells: list[Figure] = field(default_factory=list)  # value pairs of two dimensions, non-zero only


def check_dimensions(by: list[str]) -> None:
    """Raise ValueError naming what is wrong with a `by` list."""
    if not 1 <= len(by) <= 2:
        raise ValueError(_("Give one or two dimensions, for example goal or goal,region."))
    if len(set(by)) != len(by):
        raise ValueError(
            _("Give two different dimensions (goals combined with goals are the interlinkages).")
        )
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(
            _("Unknown dimension %(names)s; use one of: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(DIMENSIONS)}
        )


@lru_cache(maxsize=1)
def _universe() -> dict[str, list[str]]:
    """Every value each dimension can take, in reference order (read-only reference data)."""
    areas = list(Area.objects.values_list("code", "kind", "iso3").order_by("code"))
    return {
        "goal": [str(n) for n in Goal.objects.order_by("number").values_list("number", flat=True)],
        "target": list(Target.objects.order_by("goal_id", "position").values_list("code", flat=True)),
        "country": sorted(iso3 for _code, kind, iso3 in areas if kind == Area.Kind.COUNTRY and iso3),
        "region": [code for code, kind, _iso3 in areas if kind == Area.Kind.REGION],
        "subregion": [
            code for code, kind, _ in areas if kind in (Area.Kind.SUBREGION, Area.Kind.INTERMEDIATE)
        ],
        "group": list(AreaGroup.objects.order_by("code").values_list("code", flat=True)),
        "organisation_type": list(OrganisationType.values),
        "category": list(Partnership.Category.values),
        "stage": list(Partnership.Stage.values),
        "compliance": [s for s in ComplianceStatus.values if s != ComplianceStatus.DELISTED],
    }


def universe(dimension: str) -> list[str]:
    return _universe()[dimension]


class Links:
    """Browse-list URLs of the partnerships behind a figure: the base query plus the figure's values."""

    def __init__(self, query: dict[str, list[str]]):
        self.query = {
            k: [v for v in vs if v] for k, vs in query.items() if k not in ("cursor", "by", "format")
        }
        self.base = reverse("registry:partnership_list")

    def url(self, pairs: list[tuple[str, str]]) -> str:
        """A value whose filter the query already uses (or an earlier pair did) goes into `also`, so it
        narrows the list instead of widening it."""
        query = {k: list(v) for k, v in self.query.items() if k != ALSO}
        also = [t for v in self.query.get(ALSO, []) for t in v.split(",") if t]
        for dimension, value in pairs:
            facet = DIMENSIONS[dimension]
            param = FACET_PARAM[facet]
            if param in query:
                also.append(f"{facet}:{value}")
            else:
                query[param] = [value]
        if also:
            query[ALSO] = [",".join(dict.fromkeys(also))]
        items = [(k, v) for k, vs in query.items() for v in vs]
        return f"{self.base}?{urlencode(items)}" if items else self.base


def _figure(key: dict[str, str], bucket: Bucket | None, labels: dict, links: Links) -> Figure:
    bucket = bucket or Bucket(partners=0)
    return Figure(
        key=key,
        labels={d: labels.get(DIMENSIONS[d], {}).get(v, v) for d, v in key.items()},
        partnerships=bucket.count,
        partners=bucket.partners,
        resources=dict(sorted(bucket.money.items())),
        url=links.url(list(key.items())),
    )


def coverage(
    params: SearchParams, by: list[str], query: dict[str, list[str]] | None = None, *, measures: bool = True
) -> Coverage:
    """Partnerships, distinct partners and financial commitments (per currency) per value of one
    dimension, or per pair of values of two (goal × region). `query` is the browse query the figures link
    from; without `measures`, partnerships are counted and nothing else. Raises ValueError for unknown
    dimensions and ValidationError for a bad search."""
    check_dimensions(by)
    facets = [DIMENSIONS[d] for d in by]
    total, buckets = aggregate(params, facets, money=measures, partners=measures)
    labels = value_labels()
    links = Links(query or {})
    first = by[0]
    values = list(universe(first))
    values += sorted(set(buckets) - set(values))
    rows = [_figure({first: v}, buckets.get(v), labels, links) for v in values]
    if first not in ("goal", "target"):
        rows.sort(key=lambda f: -f.partnerships)
    cells = [
        _figure({by[0]: v, by[1]: w}, cell, labels, links)
        for v, bucket in buckets.items()
        for w, cell in bucket.sub.items()
    ]
    return Coverage(by=by, total=_figure({}, total, labels, links), rows=rows, cells=cells)


@dataclass
class Gap:
    figure: Figure
    reason: str


@dataclass
class GroupReach:
    """A country group against the rest: partnerships per member country, and the ratio to the average
    country (below 1: under-served)."""

    figure: Figure
    members: int
    per_country: float
    ratio: float | None


@dataclass
class GoalReporting:
    figure: Figure
    reporting: int
    rate: float | None  # share of the goal's partnerships that are up to date with their reports


@dataclass
class Gaps:
    targets: list[Gap]
    countries: list[Gap]
    groups: list[GroupReach]
    goals: list[GoalReporting]
    overall_reporting_rate: float | None
    few_targets: int  # the thresholds used, so the page can say them
    few_countries: int
    by_country: Coverage  # partnerships per country, every country (the map draws it)


def _few(rows: list[Figure]) -> int:
    """Below this count a value is under-served: a quarter of the median count of those covered."""
    covered = [f.partnerships for f in rows if f.partnerships]
    return int(median(covered) * FEW_SHARE) if covered else 0


def _under_served(rows: list[Figure], few: int) -> list[Gap]:
    gaps = []
    for figure in sorted(rows, key=lambda f: f.partnerships):
        if figure.partnerships == 0:
            gaps.append(Gap(figure, _("no partnership")))
        elif figure.partnerships <= few:
            gaps.append(Gap(figure, _("few partnerships (at most %(n)d)") % {"n": few}))
    return gaps


def gaps(params: SearchParams, query: dict[str, list[str]] | None = None) -> Gaps:
    """Targets and countries with no or few partnerships, country groups served below the average
    country, and goals whose partnerships rarely report (see the module constants for the thresholds)."""
    targets = coverage(params, ["target"], query, measures=False).rows
    by_country = coverage(params, ["country"], query, measures=False)
    countries = by_country.rows
    few_targets, few_countries = _few(targets), _few(countries)
    per_country = {f.key["country"]: f.partnerships for f in countries}
    average = sum(per_country.values()) / len(per_country) if per_country else 0.0
    members = _group_members()
    groups = []
    for figure in coverage(params, ["group"], query, measures=False).rows:
        count = len(members.get(figure.key["group"], ()))
        mean = (
            sum(per_country.get(c, 0) for c in members.get(figure.key["group"], ())) / count if count else 0.0
        )
        groups.append(
            GroupReach(figure, count, round(mean, 2), round(mean / average, 2) if average else None)
        )
    by_goal = coverage(params, ["goal", "compliance"], query, measures=False)
    reporting: dict[str, int] = {}
    for cell in by_goal.cells:
        if cell.key["compliance"] in REPORTING:
            reporting[cell.key["goal"]] = reporting.get(cell.key["goal"], 0) + cell.partnerships
    goals = [
        GoalReporting(
            f,
            reporting.get(f.key["goal"], 0),
            round(reporting.get(f.key["goal"], 0) / f.partnerships, 3) if f.partnerships else None,
        )
        for f in by_goal.rows
    ]
    goals.sort(key=lambda g: (g.rate is None, g.rate or 0.0))
    everyone = coverage(params, ["compliance"], query, measures=False)
    up_to_date = sum(f.partnerships for f in everyone.rows if f.key["compliance"] in REPORTING)
    total = everyone.total.partnerships
    overall = round(up_to_date / total, 3) if total else None
    return Gaps(
        targets=_under_served(targets, few_targets),
        countries=_under_served(countries, few_countries),
        groups=groups,
        goals=goals,
        overall_reporting_rate=overall,
        few_targets=few_targets,
        few_countries=few_countries,
        by_country=by_country,
    )


@lru_cache(maxsize=1)
def _group_members() -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for code, iso3 in Area.groups.through.objects.values_list("areagroup_id", "area__iso3"):
        members.setdefault(code, []).append(iso3)
    return members


@dataclass
class Link:
    goals: tuple[str, str]
    labels: tuple[str, str]
    partnerships: int
    strength: float  # partnerships with both / partnerships with either (Jaccard)
    url: str


@dataclass
class Interlinkages:
    goals: list[Figure]  # partnerships per goal (the diagonal)
    matrix: list[list[int]]  # goals × goals: partnerships with both
    links: list[Link]  # the pairs of goals partnerships combine, most frequent first
    total: int


def interlinkages(params: SearchParams, query: dict[str, list[str]] | None = None) -> Interlinkages:
    """Which goals partnerships combine: the co-occurrence matrix and its links, strongest first."""
    total, buckets = aggregate(params, ["goal", "goal"], money=False, partners=False)
    labels = value_labels()
    links = Links(query or {})
    numbers = universe("goal")
    index = {g: i for i, g in enumerate(numbers)}
    matrix = [[0] * len(numbers) for _ in numbers]
    for g, bucket in buckets.items():
        for h, cell in bucket.sub.items():
            if g in index and h in index:
                matrix[index[g]][index[h]] = cell.count
    goals = [_figure({"goal": g}, buckets.get(g), labels, links) for g in numbers]
    pairs = []
    for i, g in enumerate(numbers):
        for j in range(i + 1, len(numbers)):
            both = matrix[i][j]
            if both:
                h = numbers[j]
                either = matrix[i][i] + matrix[j][j] - both
                pairs.append(
                    Link(
                        goals=(g, h),
                        labels=(labels["goal"].get(g, g), labels["goal"].get(h, h)),
                        partnerships=both,
                        strength=round(both / either, 3) if either else 0.0,
                        url=links.url([("goal", g), ("goal", h)]),
                    )
                )
    pairs.sort(key=lambda link: (-link.partnerships, link.goals))
    return Interlinkages(goals=goals, matrix=matrix, links=pairs, total=total.count)


@dataclass
class Organisations:
    """Who the partners of a set of partnerships are: the most frequent, and how many of each type."""

    top: list[tuple[int, str, str, int]]  # organisation id, name, type label, partnerships
    by_type: list[tuple[str, str, int]]  # type, label, distinct organisations


def organisations(params: SearchParams, *, limit: int = 10) -> Organisations:
    """The organisations in most of the matching partnerships, and distinct organisations per type: the
    partnerships per value of the `org` facet, from the same aggregation as the coverage figures. Only the
    names of the leaders are read; the types of all organisations are one plain query (naming thousands
    of ids in an IN list cost Django more than reading every type: 0.2 s for a goal at 200,000)."""
    _total, buckets = aggregate(params, ["org"], money=False, partners=False)
    counts = {int(org): bucket.count for org, bucket in buckets.items()}
    everyone = Organisation.objects.order_by()
    if len(counts) <= IN_LIST:
        everyone = everyone.filter(pk__in=list(counts))
    type_of = dict(everyone.values_list("pk", "type"))
    counts = {pk: n for pk, n in counts.items() if pk in type_of}
    ranked = sorted(counts.values(), reverse=True)
    cut = ranked[limit - 1] if len(ranked) >= limit else 0
    leaders = {
        o.pk: o.name
        for o in Organisation.objects.filter(pk__in=[pk for pk, n in counts.items() if n >= cut]).only("name")
    }  # those tied with the last place too, so that names break the ties
    types = {k: str(v) for k, v in OrganisationType.choices}
    top = [
        (pk, leaders[pk], types.get(type_of[pk], type_of[pk]), counts[pk])
        for pk in sorted(leaders, key=lambda pk: (-counts[pk], leaders[pk]))[:limit]
    ]
    per_type = Counter(type_of[pk] for pk in counts)
    by_type = [(t, types.get(t, t), n) for t, n in per_type.most_common()]
    return Organisations(top=top, by_type=by_type)


@dataclass
class LessonShown:
    partnership_id: int
    partnership: str
    title: str
    text: str
    kind: str
    attributed: bool


def lessons(params: SearchParams, *, limit: int = 6) -> list[LessonShown]:
    """Published lessons learned (workspace task 10.2) of the matching partnerships, newest first;
    lessons published without attribution do not name their partnership. Lessons are few beside the
    partnerships a search matches: they are read newest first and kept if their partnership matched
    (naming the matches in IN lists took 0.17 s for a goal at 200,000)."""
    from partnerhub.lifecycle.models import Lesson

    matched = set(search_ids(params))
    shown = Lesson.objects.filter(visibility__in=[Lesson.Visibility.PUBLIC, Lesson.Visibility.ANONYMOUS])
    found: list[LessonShown] = []
    for lesson in shown.select_related("partnership").order_by("-created_at", "-pk").iterator(chunk_size=500):
        if lesson.partnership_id not in matched:
            continue
        public = lesson.visibility == Lesson.Visibility.PUBLIC
        found.append(
            LessonShown(
                partnership_id=lesson.partnership_id if public else 0,
                partnership=lesson.partnership.title if public else "",
                title=lesson.title,
                text=lesson.text,
                kind=lesson.get_kind_display(),
                attributed=public,
            )
        )
        if len(found) == limit:
            break
    return found
