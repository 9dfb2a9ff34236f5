"""Held-out evaluation: F1 per goal and per language, the yes/no accuracy per goal, and target accuracy.

The yes/no accuracy of a goal is balanced: the mean of the share of its texts that get it (recall) and
the share of the other texts that do not (specificity). It is the closest we can measure to the mark the
issue sets (per goal, whether `g in predicted_goals` agrees with an expert's yes or no), whose test set
has about as many no's as yes's per goal; a plain accuracy over our texts, where each goal is rare, would
reward never predicting it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .corpus import Example
from .model import GOALS, Model


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0

    @property
    def specificity(self) -> float:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else 0.0

    @property
    def yes_no(self) -> float:
        """Balanced accuracy of the decision 'addresses this goal or not'."""
        return (self.recall + self.specificity) / 2


@dataclass
class Report:
    texts: int
    micro: Scores
    per_goal: dict[int, Scores]
    per_language: dict[str, tuple[int, float, float, float]]  # texts, micro F1, macro F1, yes/no accuracy
    target_top1: dict[str, float] = field(default_factory=dict)  # held-out indicator → its target

    @property
    def macro_f1(self) -> float:
        return _mean_over_goals(self.per_goal, "f1")

    @property
    def yes_no(self) -> float:
        """The mean over goals (those with texts) of their yes/no accuracy."""
        return _mean_over_goals(self.per_goal, "yes_no")

    @property
    def goals_per_text(self) -> float:
        return (self.micro.tp + self.micro.fp) / self.texts if self.texts else 0.0

    def as_dict(self) -> dict:
        return {
            "texts": self.texts, "micro_f1": round(self.micro.f1, 3), "macro_f1": round(self.macro_f1, 3),
            "yes_no_accuracy": round(self.yes_no, 3), "goals_per_text": round(self.goals_per_text, 2),
            "per_goal": {g: {"precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
                             "yes_no_accuracy": round(s.yes_no, 3), "support": s.tp + s.fn}
                         for g, s in self.per_goal.items()},
            "per_language": {lang: {"texts": n, "micro_f1": round(mi, 3), "macro_f1": round(ma, 3),
                                    "yes_no_accuracy": round(yn, 3)}
                             for lang, (n, mi, ma, yn) in self.per_language.items()},
            "target_top1": {lang: round(v, 3) for lang, v in self.target_top1.items()},
        }  # fmt: skip


def _mean_over_goals(per_goal: dict[int, Scores], measure: str) -> float:
    """The mean of a measure over the goals that have texts."""
    present = [getattr(s, measure) for s in per_goal.values() if s.tp + s.fn]
    return float(np.mean(present)) if present else 0.0


def _tally(examples: list[Example], predicted: list[list[int]]) -> tuple[Scores, dict[int, Scores]]:
    micro = Scores()
    per_goal = {g: Scores() for g in range(1, GOALS + 1)}
    for example, goals in zip(examples, predicted, strict=True):
        truth, guess = set(example.goals), set(goals)
        for g in guess & truth:
            per_goal[g].tp += 1
        for g in guess - truth:
            per_goal[g].fp += 1
        for g in truth - guess:
            per_goal[g].fn += 1
    for s in per_goal.values():
        s.tn = len(examples) - s.tp - s.fp - s.fn
    micro.tp = sum(s.tp for s in per_goal.values())
    micro.fp = sum(s.fp for s in per_goal.values())
    micro.fn = sum(s.fn for s in per_goal.values())
    return micro, per_goal


def evaluate(model: Model, examples: list[Example]) -> Report:
    predicted = model.predict_goals([e.text for e in examples]) if examples else []
    micro, per_goal = _tally(examples, predicted)
    by_language: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        by_language[example.lang].append(i)
    per_language = {}
    for lang, rows in sorted(by_language.items()):
        lang_micro, lang_goals = _tally([examples[i] for i in rows], [predicted[i] for i in rows])
        per_language[lang] = (len(rows), lang_micro.f1, _mean_over_goals(lang_goals, "f1"),
                              _mean_over_goals(lang_goals, "yes_no"))  # fmt: skip
    report = Report(texts=len(examples), micro=micro, per_goal=per_goal, per_language=per_language)
    report.target_top1 = _target_accuracy(model, [e for e in examples if e.kind == "indicator"])
    return report


def _target_accuracy(model: Model, indicators: list[Example]) -> dict[str, float]:
    """Share of held-out indicator texts whose best-matching target (within their true goal) is the
    indicator's own target."""
    if not indicators:
        return {}
    similarity = (model.vectors([e.text for e in indicators]) @ model.targets.T).toarray()
    hits: dict[str, list[bool]] = defaultdict(list)
    for example, row in zip(indicators, similarity, strict=True):
        goal = example.goals[0]
        row = np.where(model.target_goal == goal, row, -1)
        hits[example.lang].append(model.target_codes[int(row.argmax())] == example.code.rsplit(".", 1)[0])
    return {lang: float(np.mean(v)) for lang, v in sorted(hits.items())}
