"""Explained scores (champion score, match score): weighted parts, each worth 0–1 with the sentence that
explains it, so a reader sees how every point was earned."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Part:
    key: str
    label: str
    weight: int
    value: float  # 0–1
    reason: str

    @property
    def points(self) -> float:
        return round(self.weight * self.value, 1)


def total(parts: Iterable[Part]) -> float:
    """The score: the weighted sum of the parts (the weights add up to 100)."""
    return round(sum(p.weight * p.value for p in parts), 1)
