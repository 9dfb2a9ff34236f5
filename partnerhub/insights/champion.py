"""The champion score: how well a partnership's own evidence shows it delivers, 0–100, explained.

Six parts, each worth 0–1, weighted (the weights are documented in docs/insights.md):

| part        | weight | worth 1 when                                                                  |
|-------------|-------:|-------------------------------------------------------------------------------|
| reporting   |     20 | reporting is up to date (0.6) and 3+ reports were accepted (0.4)              |
| delivery    |     20 | every deliverable due so far was reported completed by its due date           |
|             |        | (completed but later, or without a report by then: half)                     |
| indicators  |     15 | the latest accepted values reach their targets (progress from baseline)      |
| health      |     15 | the latest health check scores 5 of 5 on all nine dimensions                  |
| mix         |     15 | partners come from four or more sectors (two: 0.5, three: 0.8)               |
| reach       |     15 | its countries are LDCs, LLDCs or SIDS (0.5, by share) and its reports count   |
|             |        | women, children or youth, older persons and persons with disabilities (0.5)   |

Only evidence counts: what a partnership has not shown scores nothing, so a young partnership scores
low until it reports. Figures from reports count only once the secretariat accepted the report.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.core.scores import Part, total
from partnerhub.lifecycle.models import HealthCheck
from partnerhub.registry.models import SECTOR_OF_TYPE, Deliverable, Partner, Partnership, Sector
from partnerhub.reporting.models import (
    BeneficiaryCount,
    Compliance,
    ComplianceStatus,
    DeliverableProgress,
    IndicatorValue,
    Report,
)

WEIGHTS = {"reporting": 20, "delivery": 20, "indicators": 15, "health": 15, "mix": 15, "reach": 15}
STATUS_VALUE = {
    "reported": 1.0, "due_soon": 1.0, "overdue": 0.5, "seriously_overdue": 0.2, "inactive": 0.0, "delisted": 0.0,
}  # fmt: skip
ACCEPTED_FULL = 3
MIX_VALUE = {0: 0.0, 1: 0.0, 2: 0.5, 3: 0.8}
HEALTH_FIELDS = (
    "accountability", "leadership", "knowledge", "internal_communication", "external_communication",
    "management", "inclusiveness", "equity", "transparency",
)  # fmt: skip
GROUPS = ("LDC", "LLDC", "SIDS")
CHUNK = 500


def _left_behind() -> dict[str, str]:
    """Beneficiary columns that count people often left behind, with their names."""
    return {
        "women": _("women and girls"),
        "young": _("children and youth"),
        "older": _("older persons"),
        "with_disability": _("persons with disabilities"),
    }


@dataclass
class ChampionScore:
    partnership_id: int
    parts: list[Part] = field(default_factory=list)

    @property
    def score(self) -> float:
        return total(self.parts)

    def as_dict(self) -> dict:
        return {
            "partnership": self.partnership_id, "score": self.score,
            "parts": [{"key": p.key, "title": p.label, "weight": p.weight, "value": round(p.value, 3),
                       "points": p.points, "reason": p.reason} for p in self.parts],
        }  # fmt: skip


@dataclass
class _Evidence:
    compliance: str | None = None
    accepted: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    progress: dict[tuple, float] = field(default_factory=dict)
    health: HealthCheck | None = None
    health_baseline: HealthCheck | None = None
    sectors: set[str] = field(default_factory=set)
    countries: int = 0
    in_groups: int = 0
    reached: set[str] = field(default_factory=set)


def _collect(ids: list[int], today: date) -> dict[int, _Evidence]:
    ev: dict[int, _Evidence] = defaultdict(_Evidence)
    accepted = Report.Status.ACCEPTED
    for pid, status in Compliance.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "status"
    ):
        ev[pid].compliance = status
    reports = Report.objects.filter(partnership_id__in=ids, status=accepted)
    for row in reports.values("partnership_id").annotate(n=Count("id")):
        ev[row["partnership_id"]].accepted = row["n"]

    due = Deliverable.objects.filter(partnership_id__in=ids, due_date__lte=today).exclude(
        status=Deliverable.Status.CANCELLED
    )
    done_by = dict(
        DeliverableProgress.objects.filter(
            deliverable__in=due, status=Deliverable.Status.COMPLETED, report__status=accepted
        )
        .values("deliverable_id")
        .annotate(first=Min("report__period_end"))
        .values_list("deliverable_id", "first")
    )
    for d_id, pid, due_date, status in due.values_list("id", "partnership_id", "due_date", "status"):
        e = ev[pid]
        e.due += 1
        reported = done_by.get(d_id)
        if reported is not None and reported <= due_date:
            e.on_time += 1
        elif reported is not None or status == Deliverable.Status.COMPLETED:
            e.late += 1

    values = (
        IndicatorValue.objects.filter(
            report__partnership_id__in=ids,
            report__status=accepted,
            baseline__isnull=False,
            target__isnull=False,
        )
        .exclude(baseline=F("target"))
        .order_by("date", "id")
        .values_list("report__partnership_id", "indicator_id", "label", "baseline", "target", "value")
    )
    for pid, indicator, label, baseline, target, value in values:
        assert baseline is not None and target is not None  # filtered above
        progress = float((value - baseline) / (target - baseline))
        ev[pid].progress[(indicator, label)] = min(1.0, max(0.0, progress))  # the latest value wins

    for check in HealthCheck.objects.filter(partnership_id__in=ids).order_by("partnership_id", "date", "id"):
        e = ev[check.partnership_id]
        e.health = check
        if check.is_baseline:
            e.health_baseline = check

    for pid, kind in Partner.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "organisation__type"
    ):
        ev[pid].sectors.add(SECTOR_OF_TYPE.get(kind, Sector.OTHER))

    through = Partnership.areas.through
    countries = through.objects.filter(partnership_id__in=ids, area__kind="country")
    grouped = set(
        countries.filter(area__groups__code__in=GROUPS).values_list("partnership_id", "area_id").distinct()
    )
    for pid, area in countries.values_list("partnership_id", "area_id"):
        ev[pid].countries += 1
        ev[pid].in_groups += (pid, area) in grouped

    counts = BeneficiaryCount.objects.filter(report__partnership_id__in=ids, report__status=accepted)
    for pid, women, children, youth, older, disabled in counts.values_list(
        "report__partnership_id", "women", "children", "youth", "older", "with_disability"
    ):
        for key, n in (("women", women), ("young", (children or 0) + (youth or 0)), ("older", older),
                       ("with_disability", disabled)):  # fmt: skip
            if n:
                ev[pid].reached.add(key)
    return ev


def _parts(e: _Evidence) -> list[Part]:
    labels = {
        "reporting": _("Reporting record"), "delivery": _("Deliverables on time"),
        "indicators": _("Indicator progress"), "health": _("Health checks"),
        "mix": _("Cross-sector mix"), "reach": _("Reach to those left behind"),
    }  # fmt: skip

    def part(key: str, value: float, reason: str) -> Part:
        return Part(key, labels[key], WEIGHTS[key], round(value, 4), reason)

    status_labels = dict(ComplianceStatus.choices)
    if e.compliance is None:
        reporting = part("reporting", 0.0, _("Not on a reporting cycle yet."))
    else:
        value = (
            0.6 * STATUS_VALUE.get(e.compliance, 0.0) + 0.4 * min(e.accepted, ACCEPTED_FULL) / ACCEPTED_FULL
        )
        reporting = part("reporting", value, _("%(status)s; %(n)d report(s) accepted.") % {
            "status": status_labels.get(e.compliance, e.compliance), "n": e.accepted,
        })  # fmt: skip
    if not e.due:
        delivery = part("delivery", 0.0, _("No deliverable was due yet."))
    else:
        delivery = part("delivery", (e.on_time + 0.5 * e.late) / e.due, _(
            "%(on_time)d of %(due)d deliverables due were reported completed by their due date; "
            "%(late)d completed later or without a report by then."
        ) % {"on_time": e.on_time, "due": e.due, "late": e.late})  # fmt: skip
    if not e.progress:
        indicators = part("indicators", 0.0, _("No accepted indicator value with a baseline and a target."))
    else:
        mean = sum(e.progress.values()) / len(e.progress)
        indicators = part("indicators", mean, _(
            "%(n)d indicator(s), on average %(pct)d%% of the way from baseline to target."
        ) % {"n": len(e.progress), "pct": round(mean * 100)})  # fmt: skip
    if e.health is None:
        health = part("health", 0.0, _("No health check recorded."))
    else:
        mean = sum(getattr(e.health, f) for f in HEALTH_FIELDS) / len(HEALTH_FIELDS)
        reason = _("Latest health check (%(date)s): %(mean).1f of 5.") % {"date": e.health.date, "mean": mean}
        if e.health_baseline is not None and e.health_baseline.pk != e.health.pk:
            base = sum(getattr(e.health_baseline, f) for f in HEALTH_FIELDS) / len(HEALTH_FIELDS)
            reason += " " + _("Baseline: %(base).1f.") % {"base": base}
        health = part("health", (mean - 1) / 4, reason)
    sectors = sorted(str(dict(Sector.choices)[s]) for s in e.sectors)
    mix = part("mix", MIX_VALUE.get(len(e.sectors), 1.0), _("Partners from %(n)d sector(s): %(sectors)s.") % {
        "n": len(e.sectors), "sectors": ", ".join(sectors) or "—",
    })  # fmt: skip
    share = e.in_groups / e.countries if e.countries else 0.0
    names = _left_behind()
    reached = [names[k] for k in names if k in e.reached]
    reach_value = 0.5 * share + 0.5 * len(reached) / len(names)
    reason = _("%(in)d of %(n)d countries are LDCs, LLDCs or SIDS.") % {"in": e.in_groups, "n": e.countries}
    reason += " " + (
        _("Accepted reports count %(groups)s.") % {"groups": ", ".join(reached)}
        if reached else _("No accepted report counts people left behind.")
    )  # fmt: skip
    reach = part("reach", reach_value, reason)
    return [reporting, delivery, indicators, health, mix, reach]


def champion_scores(ids: list[int], *, today: date | None = None) -> dict[int, ChampionScore]:
    """The explained score of each partnership, from a fixed number of queries per 500 partnerships."""
    today = today or timezone.localdate()
    out = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        evidence = _collect(chunk, today)
        for pid in chunk:
            out[pid] = ChampionScore(pid, _parts(evidence[pid]))
    return out


def champion_score(partnership: Partnership) -> ChampionScore:
    return champion_scores([partnership.pk])[partnership.pk]


@dataclass
class Ranked:
    partnership: Partnership
    score: ChampionScore


def candidates() -> list[int]:
    """Published partnerships with at least one accepted report: a champion has shown evidence."""
    return list(
        Partnership.objects.filter(
            status=Partnership.Status.PUBLISHED, reports__status=Report.Status.ACCEPTED
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def ranking(*, limit: int = 50) -> list[Ranked]:
    """The best-scored candidates, best first (ties: the older id first)."""
    scores = champion_scores(candidates())
    best = sorted(scores.values(), key=lambda s: (-s.score, s.partnership_id))[:limit]
    rows = Partnership.objects.in_bulk([s.partnership_id for s in best])
    return [Ranked(rows[s.partnership_id], s) for s in best]
