"""The SMART check: is a partnership Specific, Measurable, Achievable, Resource-based and Time-bound?

Computed from the data only, with a reason for every letter and, when it is not met, what to add. The same
rules run on a saved partnership (`facts_of`, for pages, the API and the search facet), on an unsaved
edit (`facts_from_data`, shown while editing) and in the synthetic-data generator.

The rules (docs/accountability.md explains them to users):

S  at least one SDG goal and one target, and shared objectives of at least 8 words.
M  at least one deliverable whose title states a quantity ("train 500 teachers"), or a baseline value
   on an indicator (task 2.4 of the workspace).
A  resources and partners in proportion to the scope: at least 2 partners; at least 1 partner for every
   5 countries reached (a region counts as 5 countries, global as 10); at least 1 commitment for every
   3 deliverables.
R  at least one commitment declared (financial, or in kind).
T  an end date, at least one deliverable, and a due date on every deliverable.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from partnerhub.core.models import related

QUANTITY = re.compile(r"\d")
OBJECTIVE_MIN_WORDS = 8
COUNTRIES_PER_PARTNER = 5
DELIVERABLES_PER_COMMITMENT = 3
REGION_WEIGHT = 5
GLOBAL_WEIGHT = 10


@dataclass
class Facts:
    goals: int = 0
    targets: int = 0
    objectives: str = ""
    deliverables: list[tuple[str, date | None]] = field(default_factory=list)
    baseline_values: int = 0
    partners: int = 0
    commitments: int = 0
    countries: int = 0
    regions: int = 0
    is_global: bool = False
    end_date: date | None = None

    @property
    def reach(self) -> int:
        """Countries reached, counting a region as 5 and a global partnership as 10 (at least 1)."""
        reach = self.countries + REGION_WEIGHT * self.regions
        if self.is_global:
            reach = max(reach, GLOBAL_WEIGHT)
        return max(reach, 1)

    @property
    def objective_words(self) -> int:
        return len(self.objectives.split())

    @property
    def quantified(self) -> int:
        return sum(1 for title, _due in self.deliverables if QUANTITY.search(title))

    @property
    def partners_needed(self) -> int:
        return max(2, math.ceil(self.reach / COUNTRIES_PER_PARTNER))

    @property
    def commitments_needed(self) -> int:
        return math.ceil(len(self.deliverables) / DELIVERABLES_PER_COMMITMENT)

    @property
    def undated(self) -> int:
        return sum(1 for _title, due in self.deliverables if due is None)

    # Whether each letter is met: the rules themselves, without the words that explain them (the search
    # facet and the generator need only the verdict, for every partnership indexed).
    @property
    def specific(self) -> bool:
        return bool(self.goals and self.targets) and self.objective_words >= OBJECTIVE_MIN_WORDS

    @property
    def measurable(self) -> bool:
        return self.baseline_values > 0 or self.quantified > 0

    @property
    def achievable(self) -> bool:
        return self.partners >= self.partners_needed and self.commitments >= self.commitments_needed

    @property
    def resourced(self) -> bool:
        return self.commitments > 0

    @property
    def time_bound(self) -> bool:
        return self.end_date is not None and bool(self.deliverables) and not self.undated

    @property
    def passed(self) -> bool:
        return self.specific and self.measurable and self.achievable and self.resourced and self.time_bound


@dataclass
class Criterion:
    letter: str
    name: str
    met: bool
    reason: str
    to_add: str = ""


@dataclass
class SmartResult:
    criteria: list[Criterion]

    @property
    def passed(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def score(self) -> int:
        return sum(c.met for c in self.criteria)

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "score": self.score,
            "criteria": [
                {"letter": c.letter, "name": c.name, "met": c.met, "reason": c.reason, "to_add": c.to_add}
                for c in self.criteria
            ],
        }


def _specific(f: Facts) -> Criterion:
    words = f.objective_words
    missing = []
    if not f.goals:
        missing.append(_("choose the SDG goals it serves"))
    if not f.targets:
        missing.append(_("choose at least one SDG target"))
    if words < OBJECTIVE_MIN_WORDS:
        missing.append(_("state the shared objectives in a sentence or two"))
    reason = _("%(goals)d goal(s), %(targets)d target(s), objectives of %(words)d word(s).") % {
        "goals": f.goals,
        "targets": f.targets,
        "words": words,
    }
    return Criterion("S", _("Specific"), f.specific, reason, "; ".join(missing))


def _measurable(f: Facts) -> Criterion:
    quantified = f.quantified
    met = f.measurable
    reason = _("%(q)d deliverable(s) with a quantity, %(b)d baseline value(s) on indicators.") % {
        "q": quantified,
        "b": f.baseline_values,
    }
    to_add = "" if met else _("give a deliverable a number (“train 500 teachers”) or record a baseline value")
    return Criterion("M", _("Measurable"), met, reason, to_add)


def _achievable(f: Facts) -> Criterion:
    partners_needed, commitments_needed = f.partners_needed, f.commitments_needed
    missing = []
    if f.partners < partners_needed:
        missing.append(
            _("%(n)d more partner(s) for a reach of %(reach)d countries")
            % {"n": partners_needed - f.partners, "reach": f.reach}
        )
    if f.commitments < commitments_needed:
        missing.append(
            _("%(n)d more commitment(s) for %(d)d deliverables")
            % {"n": commitments_needed - f.commitments, "d": len(f.deliverables)}
        )
    reason = _(
        "%(p)d partner(s) for a reach of %(reach)d (needs %(pn)d); %(c)d commitment(s) for %(d)d "
        "deliverable(s) (needs %(cn)d)."
    ) % {
        "p": f.partners,
        "reach": f.reach,
        "pn": partners_needed,
        "c": f.commitments,
        "d": len(f.deliverables),
        "cn": commitments_needed,
    }
    return Criterion("A", _("Achievable"), f.achievable, reason, "; ".join(missing))


def _resourced(f: Facts) -> Criterion:
    met = f.resourced
    reason = _("%(n)d commitment(s) declared.") % {"n": f.commitments}
    to_add = "" if met else _("declare what partners commit: money, staff, technology, data or facilities")
    return Criterion("R", _("Resource-based"), met, reason, to_add)


def _time_bound(f: Facts) -> Criterion:
    undated = f.undated
    missing = []
    if f.end_date is None:
        missing.append(_("set an end date"))
    if not f.deliverables:
        missing.append(_("list the deliverables"))
    elif undated:
        missing.append(_("give %(n)d deliverable(s) a due date") % {"n": undated})
    reason = _("End date: %(end)s; %(dated)d of %(all)d deliverable(s) dated.") % {
        "end": f.end_date.isoformat() if f.end_date else _("none"),
        "dated": len(f.deliverables) - undated,
        "all": len(f.deliverables),
    }
    return Criterion("T", _("Time-bound"), f.time_bound, reason, "; ".join(missing))


def smart_check(facts: Facts) -> SmartResult:
    return SmartResult(
        [rule(facts) for rule in (_specific, _measurable, _achievable, _resourced, _time_bound)]
    )


def _area_counts(areas) -> tuple[int, int]:
    countries = sum(1 for a in areas if a.kind == "country")
    return countries, len(areas) - countries


def facts_of(p) -> Facts:
    """The facts of a saved partnership (uses prefetched relations when present)."""
    areas = list(related(p, "areas"))
    countries, regions = _area_counts(areas)
    return Facts(
        goals=len(related(p, "goals")),
        targets=len(related(p, "targets")),
        objectives=p.objectives,
        deliverables=[(d.title, d.due_date) for d in related(p, "deliverables")],
        baseline_values=len(related(p, "baseline_values")),
        partners=len(related(p, "partners")),
        commitments=len(related(p, "commitments")),
        countries=countries,
        regions=regions,
        is_global=p.geographic_level == "global",
        end_date=p.end_date,
    )


def facts_from_data(data, *, partnership=None) -> Facts:
    """The facts of an edit not yet saved (registry.services.PartnershipData); lists left as None are read
    from the saved partnership."""
    countries, regions = _area_counts(data.areas)
    deliverables = (
        [(d.title, d.due_date) for d in data.deliverables]
        if data.deliverables is not None
        else ([(d.title, d.due_date) for d in partnership.deliverables.all()] if partnership else [])
    )
    partners = (
        len(data.partners)
        if data.partners is not None
        else (partnership.partners.count() if partnership else 0)
    )
    commitments = (
        len(data.commitments)
        if data.commitments is not None
        else (partnership.commitments.count() if partnership else 0)
    )
    return Facts(
        goals=len({g.pk for g in data.goals} | {t.goal_id for t in data.targets}),
        targets=len(data.targets),
        objectives=data.objectives,
        deliverables=deliverables,
        baseline_values=partnership.baseline_values.count() if partnership else 0,
        partners=partners,
        commitments=commitments,
        countries=countries,
        regions=regions,
        is_global=data.geographic_level == "global",
        end_date=data.end_date,
    )


def smart_facets(p) -> set[tuple[str, str]]:
    """The `smart` search facet (registered with the indexer)."""
    return {("smart", "yes" if facts_of(p).passed else "no")}
