"""Ranked, explained matches between needs and offers, both ways.

A match scores 0–100 as the weighted sum of seven parts, each worth 0–1 and each explained in a sentence:

| part        | weight | worth 1 when                                                            |
|-------------|-------:|-------------------------------------------------------------------------|
| goals       |     25 | the offer covers every goal of the need (an offer for any goal: 0.5)    |
| targets     |     10 | the offer names every target of the need                                |
| place       |     15 | the offer names the need's country (its region: 0.8; anywhere: 0.7)     |
| resource    |     15 | the offer is the kind of resource the need seeks                        |
| sectors     |     15 | the organisation is of a type sought, or of a sector the partnership lacks |
| expertise   |     10 | the two texts are close (TF-IDF cosine of the suggestion model ≥ 0.4)  |
| track record|     10 | 3+ published partnerships, all reporting, 2+ commitments of this kind   |

A need without goals, targets or places takes its partnership's. The weights are in docs/matching.md.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnerhub.assist.model import MIN_EXPLAIN_IDF, Model, shipped, word_column, word_tokens
from partnerhub.core.scores import Part, total
from partnerhub.reference.models import Area
from partnerhub.registry.models import (
    SECTOR_OF_TYPE,
    Commitment,
    OrganisationType,
    Partner,
    Partnership,
    Sector,
)

from .models import Need, Offer, ResourceType

WEIGHTS = {
    "goals": 25,
    "targets": 10,
    "place": 15,
    "resource": 15,
    "sectors": 15,
    "expertise": 10,
    "track_record": 10,
}
CLOSE_TEXT = 0.4  # cosine at which two descriptions count as fully close
ANYWHERE = 0.7
IN_REGION = 0.8
WITHIN_NEED_REGION = 0.6
ANY_GOAL = 0.5
SECTOR_PRESENT = 0.3
SECTOR_NEAR = 0.5
SHARED_WORDS = 5


def _names() -> dict[str, dict[str, str]]:
    """The names explanations use, in the active language (built once per language, not once per pair)."""
    return _names_in(get_language() or "en")


@lru_cache(maxsize=8)
def _names_in(language: str) -> dict[str, dict[str, str]]:
    return {
        "parts": {
            "goals": _("Goals"), "targets": _("Targets"), "place": _("Place"), "resource": _("Resource"),
            "sectors": _("Sector"), "expertise": _("Expertise"), "track_record": _("Track record"),
        },
        "resources": {k: str(v) for k, v in ResourceType.choices},
        "types": {k: str(v) for k, v in OrganisationType.choices},
        "sectors": {k: str(v) for k, v in Sector.choices},
    }  # fmt: skip


def _part(key: str, value: float, reason: str) -> Part:
    return Part(key, _names()["parts"][key], WEIGHTS[key], value, reason)


@dataclass
class Side:
    """A need or an offer, reduced to what matching compares."""

    id: int
    title: str
    text: str
    words: frozenset[str]  # its distinct words, to name those two texts share
    resource_type: str
    goals: set[int]
    targets: set[str]
    areas: set[str]
    # need only
    partnership_id: int | None = None
    partnership_title: str = ""
    partner_types: list[str] = field(default_factory=list)
    partnership_sectors: set[str] = field(default_factory=set)
    # offer only
    organisation_id: int | None = None
    organisation_name: str = ""
    organisation_type: str = ""


@dataclass
class TrackRecord:
    partnerships: int = 0
    reporting: int = 0
    commitments: dict[str, int] = field(default_factory=dict)  # resource type -> count


@dataclass
class Match:
    need: Side
    offer: Side
    parts: list[Part]

    @property
    def score(self) -> float:
        return total(self.parts)


# -- loading -----------------------------------------------------------------------------------------------
def _text(listing) -> str:
    return "\n".join(x for x in (listing.title, listing.expertise, listing.description) if x)


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in word_tokens(text) if " " not in w and len(w) > 2)


def need_sides(needs) -> list[Side]:
    needs = list(
        needs.select_related("partnership").prefetch_related(
            "goals", "targets", "areas", "partnership__goals", "partnership__targets", "partnership__areas",
            "partnership__partners__organisation",
        )
    )  # fmt: skip
    sides = []
    for need in needs:
        p = need.partnership
        sides.append(Side(
            id=need.pk, title=need.title, text=_text(need), words=_words(_text(need)),
            resource_type=need.resource_type,
            goals={g.number for g in need.goals.all()} or {g.number for g in p.goals.all()},
            targets={t.code for t in need.targets.all()} or {t.code for t in p.targets.all()},
            areas={a.code for a in need.areas.all()} or {a.code for a in p.areas.all()},
            partnership_id=p.pk, partnership_title=p.title, partner_types=list(need.partner_types),
            partnership_sectors={SECTOR_OF_TYPE[x.organisation.type] for x in p.partners.all()},
        ))  # fmt: skip
    return sides


def offer_sides(offers) -> list[Side]:
    offers = offers.select_related("organisation").prefetch_related("goals", "targets", "areas")
    return [
        Side(
            id=o.pk, title=o.title, text=_text(o), words=_words(_text(o)), resource_type=o.resource_type,
            goals={g.number for g in o.goals.all()}, targets={t.code for t in o.targets.all()},
            areas={a.code for a in o.areas.all()}, organisation_id=o.organisation_id,
            organisation_name=o.organisation.name, organisation_type=o.organisation.type,
        )
        for o in offers
    ]  # fmt: skip


def track_records(organisation_ids: set[int]) -> dict[int, TrackRecord]:
    """Per organisation: published partnerships it is a partner of, how many of them report on time, and
    its commitments per resource type (financial, or the in-kind type)."""
    records: dict[int, TrackRecord] = defaultdict(TrackRecord)
    rows = (
        Partner.objects.filter(organisation_id__in=organisation_ids, partnership__status=Partnership.Status.PUBLISHED)
        .values("organisation_id")
        .annotate(
            total=Count("partnership", distinct=True),
            reporting=Count(
                "partnership", distinct=True,
                filter=Q(partnership__compliance__status__in=("reported", "due_soon")),
            ),
        )
    )  # fmt: skip
    for row in rows:
        record = records[row["organisation_id"]]
        record.partnerships, record.reporting = row["total"], row["reporting"]
    commitments = (
        Commitment.objects.filter(partner__organisation_id__in=organisation_ids)
        .values("partner__organisation_id", "kind", "in_kind_type")
        .annotate(n=Count("id"))
    )
    for row in commitments:
        kind = row["kind"] if row["kind"] == Commitment.Kind.FINANCIAL else row["in_kind_type"] or "other"
        counts = records[row["partner__organisation_id"]].commitments
        counts[kind] = counts.get(kind, 0) + row["n"]
    return records


class Places:
    """The M49 tree, read once per ranking: which areas contain which, and their names."""

    def __init__(self) -> None:
        self.areas = {a.code: a for a in Area.objects.all()}

    def ancestors(self, code: str) -> list[str]:
        out, seen = [], {code}
        parent = self.areas[code].parent_id if code in self.areas else None
        while parent and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.areas[parent].parent_id if parent in self.areas else None
        return out

    def name(self, code: str) -> str:
        area = self.areas.get(code)
        return area.name if area else code


# -- the parts -----------------------------------------------------------------------------------------------
def _goals(need: Side, offer: Side) -> Part:
    if not offer.goals:
        return _part("goals", ANY_GOAL, _("The offer is open to any goal."))
    if not need.goals:
        return _part("goals", ANY_GOAL, _("The need names no goal."))
    shared = sorted(need.goals & offer.goals)
    value = len(shared) / len(need.goals)
    if not shared:
        return _part("goals", 0.0, _("No goal in common."))
    return _part("goals", value,
        _("Shares goal(s) %(goals)s of the %(n)d sought.") % {"goals": ", ".join(map(str, shared)), "n": len(need.goals)},
    )  # fmt: skip


def _targets(need: Side, offer: Side) -> Part:
    if not need.targets or not offer.targets:
        return _part("targets", 0.0, _("No targets named on both sides."))
    shared = sorted(need.targets & offer.targets)
    if not shared:
        return _part("targets", 0.0, _("No target in common."))
    return _part("targets", len(shared) / len(need.targets),
        _("Shares target(s) %(targets)s.") % {"targets": ", ".join(shared)},
    )  # fmt: skip


def _place(need: Side, offer: Side, places: Places) -> Part:
    if not offer.areas:
        return _part("place", 1.0 if not need.areas else ANYWHERE, _("The offer is available anywhere."))
    if not need.areas:
        return _part("place", ANY_GOAL, _("The need is worldwide; the offer is limited to some places."))
    best, reason = 0.0, _("Not offered where the need is.")
    for code in sorted(need.areas):
        if code in offer.areas:
            return _part("place", 1.0, _("Offered in %(place)s.") % {"place": places.name(code)})
        covering = next((a for a in places.ancestors(code) if a in offer.areas), None)
        if covering and best < IN_REGION:
            best = IN_REGION
            reason = _("Offered across %(region)s, which includes %(place)s.") % {
                "region": places.name(covering), "place": places.name(code),
            }  # fmt: skip
        inside = next((o for o in sorted(offer.areas) if code in places.ancestors(o)), None)
        if inside and best < WITHIN_NEED_REGION:
            best = WITHIN_NEED_REGION
            reason = _("Offered in %(place)s, within %(region)s.") % {
                "place": places.name(inside), "region": places.name(code),
            }  # fmt: skip
    return _part("place", best, reason)


def _resource(need: Side, offer: Side) -> Part:
    labels = _names()["resources"]
    if need.resource_type == offer.resource_type:
        return _part("resource", 1.0,
            _("Offers the resource sought: %(kind)s.") % {"kind": labels[need.resource_type]},
        )  # fmt: skip
    return _part("resource", 0.0,
        _("Offers %(offered)s; the need is for %(sought)s.")
        % {"offered": labels[offer.resource_type], "sought": labels[need.resource_type]},
    )  # fmt: skip


def _sectors(need: Side, offer: Side) -> Part:
    types, sectors = _names()["types"], _names()["sectors"]
    kind = str(types.get(offer.organisation_type, offer.organisation_type))
    sector = SECTOR_OF_TYPE.get(offer.organisation_type, Sector.OTHER)
    if need.partner_types:
        if offer.organisation_type in need.partner_types:
            return _part("sectors", 1.0, _("A partner of the type sought (%(type)s).") % {"type": kind})
        if sector in {SECTOR_OF_TYPE.get(t) for t in need.partner_types}:
            return _part("sectors", SECTOR_NEAR,
                _("Of the sector sought (%(sector)s) but not of the type.") % {"sector": sectors[sector]},
            )  # fmt: skip
        return _part("sectors", 0.0, _("Not of a type sought (%(type)s).") % {"type": kind})
    if sector not in need.partnership_sectors:
        return _part("sectors", 1.0,
            _("Brings a sector the partnership lacks: %(sector)s.") % {"sector": sectors[sector]},
        )  # fmt: skip
    return _part("sectors", SECTOR_PRESENT,
        _("The partnership already has partners from %(sector)s.") % {"sector": sectors[sector]},
    )  # fmt: skip


def _shared_words(model: Model, need: Side, offer: Side) -> list[str]:
    ranked = sorted(((float(model.idf[word_column(w)]), w) for w in need.words & offer.words), reverse=True)
    return [w for idf, w in ranked if idf >= MIN_EXPLAIN_IDF][:SHARED_WORDS]


def _expertise(need: Side, offer: Side, similarity: float, model: Model) -> Part:
    value = min(1.0, similarity / CLOSE_TEXT)
    words = _shared_words(model, need, offer)
    if words:
        reason = _("Descriptions are %(pct)d%% similar; shared words: %(words)s.") % {
            "pct": round(similarity * 100), "words": ", ".join(words),
        }  # fmt: skip
    else:
        reason = _("Descriptions are %(pct)d%% similar.") % {"pct": round(similarity * 100)}
    return _part("expertise", value, reason)


def _track_record(need: Side, offer: Side, record: TrackRecord) -> Part:
    same_kind = record.commitments.get(need.resource_type, 0)
    value = 0.4 * min(record.partnerships, 3) / 3
    if record.partnerships:
        value += 0.3 * record.reporting / record.partnerships
    value += 0.3 * min(same_kind, 2) / 2
    reason = _(
        "Partner in %(n)d published partnership(s), %(reporting)d reporting on time; "
        "%(same)d commitment(s) of this kind."
    ) % {"n": record.partnerships, "reporting": record.reporting, "same": same_kind}
    return _part("track_record", round(value, 3), reason)


# -- ranking -------------------------------------------------------------------------------------------------
def rank(needs: list[Side], offers: list[Side], *, model: Model | None = None) -> list[Match]:
    """Every need × offer pair, scored and explained, best first (ties: the newer listing first)."""
    if not needs or not offers:
        return []
    model = model or shipped()
    places = Places()
    records = track_records({o.organisation_id for o in offers if o.organisation_id})
    need_vectors = model.vectors([n.text for n in needs])
    offer_vectors = model.vectors([o.text for o in offers])
    similarity = (need_vectors @ offer_vectors.T).toarray()
    matches = []
    for i, need in enumerate(needs):
        for j, offer in enumerate(offers):
            parts = [
                _goals(need, offer), _targets(need, offer), _place(need, offer, places),
                _resource(need, offer), _sectors(need, offer),
                _expertise(need, offer, float(similarity[i, j]), model),
                _track_record(need, offer, records.get(offer.organisation_id or 0, TrackRecord())),
            ]  # fmt: skip
            matches.append(Match(need=need, offer=offer, parts=parts))
    return sorted(matches, key=lambda m: (-m.score, -m.offer.id, -m.need.id))


def matches_for_need(need: Need, *, limit: int = 20) -> list[Match]:
    """Open offers ranked for a need; an organisation never matches a need of its own partnership."""
    own = Partner.objects.filter(partnership_id=need.partnership_id).values("organisation_id")
    offers = Offer.objects.filter(status=Offer.Status.OPEN).exclude(organisation_id__in=own)
    return rank(need_sides(Need.objects.filter(pk=need.pk)), offer_sides(offers))[:limit]


def matches_for_offer(offer: Offer, *, limit: int = 20) -> list[Match]:
    """Open needs of published partnerships ranked for an offer (the offering organisation's own
    partnerships left out)."""
    needs = (
        Need.objects.filter(status=Need.Status.OPEN, partnership__status=Partnership.Status.PUBLISHED)
        .exclude(partnership__partners__organisation_id=offer.organisation_id)
    )  # fmt: skip
    return rank(need_sides(needs), offer_sides(Offer.objects.filter(pk=offer.pk)))[:limit]
