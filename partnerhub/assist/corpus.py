"""The labelled texts the SDG suggestion model learns from, and the fixed held-out split.

Two sources, both openly licensed (`data/README.md`):
- research titles and abstracts with SDG labels (English), shipped in `data/training/`;
- the official goal, target and indicator texts in the six UN languages (the reference data), each
  labelled with its goal.

A text is held out by a hash of its key, so the split never changes and never depends on the order
of the files: one research text in five, and one indicator in five (in all six languages at once, so
that a translation of a held-out indicator is never trained on).
"""

import ast
import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from partnerhub.core.i18n import UN_LANGUAGES
from partnerhub.reference.services import sdg_texts

TRAINING_DIR = Path(__file__).resolve().parent / "data" / "training"
# file, label column; a text in several files keeps the labels of the first (the manual annotations).
RESEARCH_FILES = (
    ("multi_label_sdg_manual_annotations_oro.txt", "human_annotator"),
    ("oro_gold_dataset.txt", "labels"),
    ("aurora_survey_final.txt", "labels"),
)
HELD_OUT_SHARE = 5  # one in five
PASSAGE_SENTENCES = 3
# A sentence ends at . ! or ? followed by a capital: "e.g. the" and "3.5 m" do not end one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Example:
    key: str
    text: str
    goals: tuple[int, ...]
    lang: str
    kind: str  # research, goal, target, indicator (passage: a piece of a research text, for evaluation)
    code: str = ""  # the target or indicator code of an SDG text

    @property
    def held_out(self) -> bool:
        # An indicator is held out with its translations; a goal or target text is never held out:
        # they define the targets that suggestions point to.
        if self.kind == "indicator":
            return _hashed(self.code)
        return self.kind == "research" and _hashed(self.key)


def _hashed(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % HELD_OUT_SHARE == 0


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Mac Roman (`Women‚Äôs` → `Women’s`), as some of the research files have it."""
    if "‚Ä" in text or "√" in text:
        try:
            return text.encode("mac_roman").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
    return text


def research_examples() -> Iterator[Example]:
    seen: set[str] = set()
    for name, column in RESEARCH_FILES:
        with open(TRAINING_DIR / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                key = row.get("id") or row["doi"]
                if key in seen:
                    continue
                seen.add(key)
                text = repair_mojibake(f"{row['title'].strip()}. {row['abstract'].strip()}".strip(" ."))
                goals = tuple(
                    sorted({int(label.removeprefix("SDG")) for label in ast.literal_eval(row[column])})
                )
                yield Example(key=f"research:{key}", text=text, goals=goals, lang="en", kind="research")


def sdg_examples() -> Iterator[Example]:
    for lang in UN_LANGUAGES:
        for key, text in sorted(sdg_texts(lang).items()):
            stem, _, field = key.rpartition("-")
            if field not in ("short", "title") or not text:
                continue
            parts = stem.split("-")
            kind = ("goal", "target", "indicator")[len(parts) - 1]
            code = ".".join(parts)
            yield Example(key=f"{kind}:{code}:{field}:{lang}", text=text, goals=(int(parts[0]),), lang=lang,
                          kind=kind, code=code)  # fmt: skip


def examples() -> list[Example]:
    return [*research_examples(), *sdg_examples()]


def passages(examples: list[Example]) -> list[Example]:
    """The abstracts of these research texts cut into passages of up to three sentences, each labelled
    with its abstract's goals: short texts like the ones users paste, where the model has less to go on
    than in a whole abstract. (Labels are inherited, so a passage on methods may not address the goal.)"""
    out = []
    for example in examples:
        if example.kind != "research":
            continue
        _title, _, abstract = example.text.partition(". ")
        sentences = [s for s in SENTENCE_END.split(abstract) if len(s) > 20]
        if len(sentences) < 2:  # a title, or a title and one sentence: not a passage of its own
            continue
        for start in range(0, len(sentences), PASSAGE_SENTENCES):
            out.append(Example(key=f"{example.key}#{start}", text=" ".join(sentences[start : start + PASSAGE_SENTENCES]),
                               goals=example.goals, lang=example.lang, kind="passage"))  # fmt: skip
    return out


def split() -> tuple[list[Example], list[Example]]:
    """(training, held out)."""
    train: list[Example] = []
    held: list[Example] = []
    for example in examples():
        (held if example.held_out else train).append(example)
    return train, held
