"""The twelve steps drawn as the cycle of the guidelines (figure IV.2): a ring of twelve segments, step 1 at
the top and clockwise, each coloured by its module and by how far its tasks have got. Geometry only; the
template draws the SVG."""

import math

MODULE_COLOURS = {"A": "#0a97d9", "B": "#00a65a", "C": "#f39c12", "D": "#8e44ad", "E": "#c0392b"}
SIZE, OUTER, INNER = 360, 170, 92


def _point(radius: float, angle: float) -> tuple[float, float]:
    return (round(SIZE / 2 + radius * math.sin(angle), 2), round(SIZE / 2 - radius * math.cos(angle), 2))


def _segment(start: float, end: float, outer: float, inner: float) -> str:
    x1, y1 = _point(outer, start)
    x2, y2 = _point(outer, end)
    x3, y3 = _point(inner, end)
    x4, y4 = _point(inner, start)
    return f"M{x1},{y1} A{outer},{outer} 0 0 1 {x2},{y2} L{x3},{y3} A{inner},{inner} 0 0 0 {x4},{y4} Z"


def wheel(checklist: dict) -> dict:
    """SVG geometry from `selectors.checklist()`: one segment per step with its fill and label position."""
    steps = [(module, step) for module in checklist["modules"] for step in module["steps"]]
    gap = 0.02
    width = 2 * math.pi / len(steps)
    segments = []
    for index, (module, step) in enumerate(steps):
        start, end = index * width + gap, (index + 1) * width - gap
        progress = step["progress"]
        colour = MODULE_COLOURS[module["code"]]
        opacity = {"done": 1.0, "active": 0.35 + 0.5 * progress["share"], "todo": 0.12}[progress["level"]]
        lx, ly = _point((OUTER + INNER) / 2, (start + end) / 2)
        segments.append({
            "path": _segment(start, end, OUTER, INNER), "colour": colour, "opacity": round(opacity, 2),
            "number": step["number"], "title": step["title"], "module": module["code"],
            "done": progress["done"], "relevant": progress["relevant"], "level": progress["level"],
            "lx": lx, "ly": ly,
        })  # fmt: skip
    code, _dot, title = checklist["stage_label"].partition(". ")
    return {
        "size": SIZE,
        "segments": segments,
        "centre": SIZE / 2,
        "centre_code": code,
        "centre_title": title or code,
    }
