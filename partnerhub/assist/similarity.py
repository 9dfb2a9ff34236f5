"""Similar partnerships and likely duplicates.

Candidates come from the search engine, so this scales with the registry: the published partnerships
that share the text's most distinctive words, and those of the same lead organisation (where a
translation of the same commitment usually is). Each candidate is then compared on

- the title and the description, as TF-IDF vectors of the suggestion model (cosine);
- the goal profile: the model's 17 goal scores, which do not depend on the language, so a French and
  an English text about the same thing have nearly the same profile;
- the organisations, countries and regions the two share.

A pair is a likely duplicate for a stated reason (near-identical title or description; a translation;
the same organisation with the same places, goals and a similar description). Pairs the secretariat
dismissed are not flagged again.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerhub.registry.models import Partnership
from partnerhub.registry.search.query import at_least_two
from partnerhub.registry.search.service import SearchParams, search
from partnerhub.registry.selectors import search_cards

from .model import Model, shipped, word_column, word_tokens
from .models import DuplicateReview

TITLE_SAME = 0.85
TEXT_SAME = 0.75
TEXT_CLOSE = 0.5
PROFILE_SAME = 0.9
# What makes a partnership worth listing as similar at all: goals alike, a description in common, or two
# organisations in common. Below these, a TF-IDF cosine of 0.1-0.2 is what any two texts in the same
# language share, and the "similar" panel listed polio vaccination next to hotel training.
GOALS_ALIKE = 0.7
TEXT_ALIKE = 0.3
ORGANISATIONS_ALIKE = 2
QUERY_WORDS = 10
CANDIDATES = 50


@dataclass
class Profile:
    title: str
    summary: str
    language: str = "en"
    goals: set[int] = field(default_factory=set)
    areas: set = field(default_factory=set)  # area codes
    organisations: set = field(default_factory=set)  # organisation ids (any hashable key)
    lead: object = None
    id: int | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.summary}"

    @classmethod
    def of_card(cls, card: dict) -> "Profile":
        partners = card.get("partners", [])
        return cls(
            id=card["id"], title=card["title"], summary=card.get("summary", ""), language=card.get("language", "en"),
            goals=set(card.get("goals", [])), areas=set(card.get("areas", [])),
            organisations={p["organisation"]["id"] for p in partners},
            lead=next((p["organisation"]["id"] for p in partners if p["role"] == "lead"), None),
        )  # fmt: skip

    @classmethod
    def of_partnership(cls, p: Partnership) -> "Profile":
        partners = list(p.partners.all())
        return cls(
            id=p.pk, title=p.title, summary=p.summary, language=p.language,
            goals={g.pk for g in p.goals.all()}, areas={a.pk for a in p.areas.all()},
            organisations={pt.organisation_id for pt in partners},
            lead=next((pt.organisation_id for pt in partners if pt.role == "lead"), None),
        )  # fmt: skip


@dataclass
class Match:
    id: int
    title: str
    score: float
    text_similarity: float
    goal_similarity: float
    shared_organisations: int
    shared_areas: int
    reasons: list[str]
    card: dict

    @property
    def duplicate(self) -> bool:
        return bool(self.reasons)

    @property
    def related(self) -> bool:
        return self.duplicate or (
            self.goal_similarity >= GOALS_ALIKE
            or self.text_similarity >= TEXT_ALIKE
            or self.shared_organisations >= ORGANISATIONS_ALIKE
        )


def _distinctive_words(model: Model, text: str) -> list[str]:
    words = {w for w in word_tokens(text) if " " not in w and len(w) >= 3}
    ranked = sorted(((float(model.idf[word_column(w)]), w) for w in words), reverse=True)
    return [w for _, w in ranked[:QUERY_WORDS]]


def candidate_ids(profile: Profile, model: Model) -> list[int]:
    ids: list[int] = []
    words = _distinctive_words(model, profile.text)
    if words:
        # Those sharing two of the words first: in a large registry one broad word matched so many
        # partnerships (52,000 of 200,000) that PostgreSQL took a second to rank them. In a small one
        # that leaves too few, and those sharing any of the words follow.
        found = search(SearchParams(parsed=at_least_two(words), limit=CANDIDATES, facets=False))
        ids = found.ids
        if found.total < CANDIDATES:
            more = search(SearchParams(q=" OR ".join(words), limit=CANDIDATES, facets=False))
            ids = list(dict.fromkeys([*ids, *more.ids]))[:CANDIDATES]
    if profile.lead:
        found = search(
            SearchParams(filters={"organisation": [str(profile.lead)]}, limit=CANDIDATES, facets=False)
        )
        ids = [*ids, *found.ids]
    return [i for i in dict.fromkeys(ids) if i != profile.id]


def _cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return np.divide((a * b).sum(axis=1), norms, out=np.zeros(len(a)), where=norms > 0)


def compare(profile: Profile, others: list[Profile], model: Model | None = None) -> list[Match]:
    """Every other profile compared with `profile`, best first."""
    if not others:
        return []
    model = model or shipped()
    titles = model.vectors([profile.title] + [o.title for o in others])
    texts = model.vectors([profile.text] + [o.text for o in others])
    title_sim = (titles[1:] @ titles[0].T).toarray().ravel()
    text_sim = (texts[1:] @ texts[0].T).toarray().ravel()
    goal_scores = model.goal_scores(texts)
    goal_sim = _cosine_rows(goal_scores[1:], np.repeat(goal_scores[:1], len(others), axis=0))
    matches = []
    for i, other in enumerate(others):
        shared_orgs = len(profile.organisations & other.organisations)
        shared_areas = len(profile.areas & other.areas)
        same_lead = profile.lead is not None and profile.lead == other.lead
        places_agree = shared_areas > 0 or not (profile.areas or other.areas)
        reasons = []
        if title_sim[i] >= TITLE_SAME:
            reasons.append(str(_("Near-identical title")))
        if text_sim[i] >= TEXT_SAME:
            reasons.append(str(_("Near-identical description")))
        if (profile.language != other.language and (same_lead or shared_orgs) and places_agree
                and goal_sim[i] >= PROFILE_SAME and text_sim[i] < TEXT_SAME):  # fmt: skip
            reasons.append(
                str(_("Likely a translation: same organisation, places and goals, in another language"))
            )
        if (same_lead and places_agree and goal_sim[i] >= PROFILE_SAME
                and TEXT_CLOSE <= text_sim[i] < TEXT_SAME):  # fmt: skip
            reasons.append(str(_("Same lead organisation, places and goals, and a similar description")))
        score = (
            0.6 * text_sim[i]
            + 0.25 * goal_sim[i]
            + 0.1 * min(shared_areas, 3) / 3
            + 0.05 * min(shared_orgs, 2) / 2
        )
        matches.append(Match(
            id=other.id or 0, title=other.title, score=round(float(score), 3),
            text_similarity=round(float(text_sim[i]), 3), goal_similarity=round(float(goal_sim[i]), 3),
            shared_organisations=shared_orgs, shared_areas=shared_areas, reasons=reasons, card={},
        ))  # fmt: skip
    return sorted(matches, key=lambda m: (not m.duplicate, -m.score))


def _dismissed_with(pid: int | None) -> set[int]:
    if pid is None:
        return set()
    pairs = DuplicateReview.objects.filter(Q(first_id=pid) | Q(second_id=pid)).values_list(
        "first_id", "second_id"
    )
    return {a if b == pid else b for a, b in pairs}


def similar(profile: Profile, *, limit: int = 5, model: Model | None = None) -> list[Match]:
    """The published partnerships most like `profile`, likely duplicates first (those the secretariat
    reviewed lose their duplicate flag)."""
    model = model or shipped()
    cards = {c["id"]: c for c in search_cards(candidate_ids(profile, model))}
    matches = compare(profile, [Profile.of_card(c) for c in cards.values()], model)
    reviewed = _dismissed_with(profile.id)
    for match in matches:
        match.card = cards[match.id]
        if match.id in reviewed:
            match.reasons = []
    matches.sort(key=lambda m: (not m.duplicate, -m.score))
    return [m for m in matches if m.related][:limit]


def likely_duplicates(profile: Profile, *, model: Model | None = None) -> list[Match]:
    return [m for m in similar(profile, limit=20, model=model) if m.duplicate]
