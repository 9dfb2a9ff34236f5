"""Precision and recall of sanctions screening on a test set built from a list file.

Positives (each must find its own entry): the listed name re-cased and with its words reordered; every
alias; spelling variants of transliterations (Mohammed/Muhammad, ou/u, al-/el-, dropped apostrophes);
the name in its original script (Arabic …) and the Latin name written in Cyrillic; accents added; one
letter dropped (a typo). Near-misses (must find nothing): each name of two or three words with one of them
replaced by an unrelated word from the list (another person or body), and names of ordinary organisations
that share words with listed ones. A hit on another entry counts as a false positive, unless that entry
carries the very same name.
"""

import random
from collections import defaultdict
from typing import IO

from rapidfuzz import fuzz

from .matching import Candidate, Matcher, words
from .sanctions import parse_list

VARIANTS = [
    ("mohammed", "muhammad"), ("muhammad", "mohammed"), ("mohammad", "muhammad"), ("ou", "u"), ("u", "ou"),
    ("al-", "el "), ("abd al", "abdul"), ("'", ""), ("y", "i"), ("ee", "i"), ("kh", "h"),
]  # fmt: skip
# Latin → Cyrillic as a Russian clerk would write the name (digraphs first).
CYRILLIC = [
    ("shch", "щ"), ("ch", "ч"), ("sh", "ш"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ya", "я"), ("yu", "ю"),
    ("yo", "ё"), ("j", "дж"), ("y", "й"), ("w", "в"), ("c", "к"), ("q", "к"), ("x", "кс"), ("h", "х"),
    *zip("abvgdezijklmnoprstuf", "абвгдезийклмнопрстуф", strict=True),
]  # fmt: skip
ACCENTS = {"a": "á", "e": "é", "o": "ô", "u": "ü", "i": "ï"}
ORDINARY = [
    "Ocean Trust", "Islamic Relief Worldwide", "Korea International Cooperation Agency", "Al Noor Foundation",
    "Red Crescent Society of Yemen", "Abdallah Educational Foundation", "Global Fund for Coral Reefs",
    "Society for the Protection of Nature", "International Islamic University", "Somali Women Development Centre",
    "Yemen Family Care Association", "Afghan Red Crescent Society", "Pyongyang University of Science and Technology",
    "Iraqi Al-Amal Association", "Syrian Arab Red Crescent", "Libyan Red Crescent", "Mercy Corps",
    "Tanzania Agricultural Bank", "Commercial Bank of Ethiopia", "Islamic Development Bank",
    "Al-Khair Foundation", "Hope for Children Organisation", "Azzam Family Dental Clinic",
    "Muhammad Yunus Centre", "Ahmed Ali Hassan", "Kim Young Sam", "Abdul Rahman Saleh", "Mohamed Salah",
    "Omar Abdullah", "Ali Hussein Ahmed", "Fatima Zahra Benali", "Hassan Ali Khan", "Ibrahim Musa",
]  # fmt: skip


def _to_cyrillic(name: str) -> str:
    text = name.lower()
    for latin, cyrillic in CYRILLIC:
        text = text.replace(latin, cyrillic)
    return text


def _accented(name: str) -> str:
    return "".join(ACCENTS.get(ch, ch) for ch in name.lower())


def build_cases(records, *, seed: int = 7) -> list[tuple[str, str, str | None]]:
    """(kind of case, query name, reference number it must find or None for a near-miss)."""
    rng = random.Random(seed)
    cases: list[tuple[str, str, str | None]] = []
    vocabulary = sorted({w for r in records for w in words(r.name).split() if len(w) > 3})
    listed = {words(n) for r in records for n in r.names}
    for r in records:
        ref = r.reference_number
        tokens = r.name.split()
        cases.append(("name reordered", " ".join(reversed(tokens)).title(), ref))
        cases += [("alias", alias.title(), ref) for alias in r.aliases if alias.strip()]
        lower = r.name.lower()
        for old, new in VARIANTS:
            if old in lower:
                cases.append(("transliteration", lower.replace(old, new, 1), ref))
                break
        if r.original_script:
            cases.append(("original script", r.original_script, ref))
        if all(ch.isascii() for ch in r.name) and len(tokens) >= 2:
            cases.append(("cyrillic", _to_cyrillic(r.name), ref))
        cases.append(("accents", _accented(r.name), ref))
        if len(r.name) >= 12:
            cut = rng.randrange(2, len(r.name) - 2)
            cases.append(("typo", r.name[:cut] + r.name[cut + 1 :], ref))
        if len(tokens) in (2, 3):
            # Another person or body: one of its two or three names is a different name altogether.
            swapped = list(tokens)
            position = rng.randrange(len(swapped))
            other = rng.choice(vocabulary)
            if fuzz.ratio(other, swapped[position].lower()) < 50:
                swapped[position] = other
                if words(" ".join(swapped)) not in listed:
                    cases.append(("near-miss: a name changed", " ".join(swapped), None))
    cases += [("near-miss: ordinary organisation", name, None) for name in ORDINARY]
    return cases


def evaluate(source: IO[bytes], *, sample: int = 1) -> dict:
    """Build the cases from the list in `source` (every `sample`-th record) and score the matcher."""
    records = parse_list(source).records
    matcher = Matcher([Candidate(i, n) for i, r in enumerate(records) for n in r.names])
    refs = [r.reference_number for r in records]
    position = {ref: i for i, ref in enumerate(refs)}
    same_name = defaultdict(set)  # entries that share a name are the same person or body for screening
    for i, r in enumerate(records):
        for n in r.names:
            same_name[words(n)].add(i)
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"cases": 0, "found": 0, "false_positives": 0})
    tp = fp = fn = 0
    errors = []
    for kind, query, expected in build_cases(records[::sample]):
        hits = {refs[h.entry_id] for h in matcher.match(query)}
        figures = by_kind[kind]
        figures["cases"] += 1
        if expected is None:
            fp += len(hits)
            figures["false_positives"] += len(hits)
            if hits:
                errors.append(f"false positive [{kind}] {query!r} → {sorted(hits)}")
            continue
        twins = {refs[i] for n in records[position[expected]].names for i in same_name[words(n)]}
        wrong = hits - twins
        fp += len(wrong)
        figures["false_positives"] += len(wrong)
        if expected in hits:
            tp += 1
            figures["found"] += 1
        else:
            fn += 1
            errors.append(f"missed [{kind}] {query!r} (expected {expected})")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "summary": {
            "cases": sum(f["cases"] for f in by_kind.values()),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "true_positives": tp,
            "false_positives": fp,
            "missed": fn,
        },
        "by_kind": dict(by_kind),
        "errors": errors,
    }
