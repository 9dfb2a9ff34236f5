"""Fuzzy name matching against the sanctions list: accent-, case-, order- and transliteration-tolerant.

A name is compared in three forms (RapidFuzz scores, 0–100; the best one counts):

1. words: transliterated to Latin (anyascii: Cyrillic, Arabic, Chinese … and accents), lower case,
   punctuation dropped, words sorted — "RI Won-ho" and "Won Ho Ri" agree;
2. joined: the same in the written order, without spaces — "Abd al-Khaliq" and "Abdalkhaliq" agree;
3. skeleton: consonants only (vowels and w/y dropped), for a name written in a non-Latin script against
   a Latin one: Arabic writes few vowels, so "عبدالخالق الحوثي" and "Abd al-Khaliq al-Huthi" share
   "bdlkhlqlhth". Only used when one side is in another script and the skeleton has 6+ letters.

A pair is a possible match at `THRESHOLD` or above, when the words also agree one by one (`tokens_agree`;
the joined form must score `JOINED_MIN`). Matches are only ever proposed to the secretariat.
"""

import re
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz, process

THRESHOLD = 88.0
JOINED_MIN = 94.0
SKELETON_MIN = 6
_NON_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouwy]")


# Spellings that transliterations of the same sound differ by (Джо / Jo / Djo, Хасан / Khasan / Hasan, Youssef /
# Yusuf, Wali / Vali), folded to one before comparing.
FOLDS = [("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("ou", "u"), ("oo", "u"),
         ("ee", "i"), ("w", "v"), ("q", "k"), ("y", "i")]  # fmt: skip


def _latin_words(name: str) -> list[str]:
    latin = anyascii(name).lower().replace("'", "").replace("`", "")
    for old, new in FOLDS:
        latin = latin.replace(old, new)
    return _NON_WORD.sub(" ", latin).split()


def words(name: str) -> str:
    return " ".join(sorted(_latin_words(name)))


def joined(name: str) -> str:
    return "".join(_latin_words(name))


TOKEN_AGREE = 75.0


def tokens_agree(a: str, b: str) -> bool:
    """Whether two names agree word by word: every word of the shorter has a close counterpart in the
    longer (so "Kim Chol Sam" and "Kim Chol Nam", one letter apart, are different people), and the longer
    has at most one word unaccounted for, and only if it has four or more (a middle name left out)."""
    short, long = sorted((a.split(), b.split()), key=len)
    if not short:
        return False
    if not all(max(fuzz.ratio(t, u) for u in long) >= TOKEN_AGREE for t in short):
        return False
    spare = sum(1 for u in long if max(fuzz.ratio(u, t) for t in short) < TOKEN_AGREE)
    return spare <= (1 if len(long) >= 4 else 0)


def skeleton(name: str) -> str:
    latin = _NON_WORD.sub("", anyascii(name).lower())
    return _VOWELS.sub("", latin)


def is_latin(name: str) -> bool:
    return all(ord(ch) < 0x250 for ch in name)


def similarity(a: str, b: str) -> float:
    """How alike two names are (0–100), by the best of the three forms."""
    best = max(fuzz.ratio(words(a), words(b)), fuzz.ratio(joined(a), joined(b)))
    if is_latin(a) != is_latin(b):
        sa, sb = skeleton(a), skeleton(b)
        if min(len(sa), len(sb)) >= SKELETON_MIN:
            best = max(best, fuzz.ratio(sa, sb))
    return float(best)


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    name: str


@dataclass(frozen=True)
class Hit:
    entry_id: int
    listed_name: str
    score: float


class Matcher:
    """An index of every listed name in its three forms; `match(name)` returns the possible matches."""

    def __init__(self, candidates: list[Candidate]):
        self.candidates = candidates
        self.words = [words(c.name) for c in candidates]
        self.joined = [joined(c.name) for c in candidates]
        self.skeletons = [skeleton(c.name) for c in candidates]
        self.latin = [is_latin(c.name) for c in candidates]

    def match(self, name: str, threshold: float = THRESHOLD) -> list[Hit]:
        if not name.strip():
            return []
        scores: dict[int, float] = {}
        query_words, query_joined = words(name), joined(name)
        for _choice, score, index in process.extract(
            query_words, self.words, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
        ):
            if tokens_agree(query_words, self.words[index]):
                scores[index] = max(scores.get(index, 0.0), score)
        # Written together or apart ("Abdalkhaliq", "Abd al-Khaliq"): only a near-exact join counts.
        for _choice, score, index in process.extract(
            query_joined, self.joined, scorer=fuzz.ratio, score_cutoff=max(threshold, JOINED_MIN), limit=None
        ):
            scores[index] = max(scores.get(index, 0.0), score)
        query_skeleton, query_latin = skeleton(name), is_latin(name)
        if len(query_skeleton) >= SKELETON_MIN:
            for _choice, score, index in process.extract(
                query_skeleton, self.skeletons, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
            ):
                if self.latin[index] != query_latin and len(self.skeletons[index]) >= SKELETON_MIN:
                    scores[index] = max(scores.get(index, 0.0), score)
        best: dict[int, Hit] = {}
        for index, score in scores.items():
            c = self.candidates[index]
            if c.entry_id not in best or best[c.entry_id].score < score:
                best[c.entry_id] = Hit(c.entry_id, c.name, round(score, 1))
        return sorted(best.values(), key=lambda h: (-h.score, h.entry_id))
