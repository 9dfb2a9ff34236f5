"""The work plan as a graph: cycle checks, the critical path and how a slip travels downstream.

Pure functions over plain values, so that the rules are tested on their own (tests/lifecycle/test_schedule.py,
with hypothesis). Dates are whole days; a dependency is finish-to-start: an activity cannot start before
everything it needs has finished (it may start the day after).

The schedule is computed the way the critical-path method does it with date constraints: an activity's
earliest start is its planned start or the day after its latest predecessor finishes, whichever is later;
its float is how many days it could slip without moving the end of the plan; activities with no float form
the critical path. A slip is an expected end later than planned; propagating the expected ends through the
same forward pass shows which activities (and milestones) will now finish after their planned end.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Item:
    id: int
    start: date
    end: date
    forecast_end: date | None = None  # later than `end` when the activity has slipped

    @property
    def duration(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def slipped(self) -> bool:
        return self.forecast_end is not None and self.forecast_end > self.end


@dataclass(frozen=True)
class Timing:
    earliest_start: date
    earliest_end: date
    latest_end: date
    float_days: int
    critical: bool
    forecast_start: date
    forecast_end: date
    at_risk: bool  # expected to finish after its planned end
    delayed_by: frozenset[int]  # the slipped activities upstream (or itself) that push it


class CycleError(ValueError):
    def __init__(self, cycle: list[int]) -> None:
        self.cycle = cycle
        super().__init__(f"dependency cycle: {' → '.join(map(str, cycle))}")


def find_cycle(edges: Mapping[int, Iterable[int]]) -> list[int] | None:
    """A cycle in `edges` (activity → the activities it depends on) as [a, b, …, a], or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour: dict[int, int] = {}
    nodes = set(edges) | {d for deps in edges.values() for d in deps}
    for root in sorted(nodes):
        if colour.get(root, WHITE) != WHITE:
            continue
        path: list[int] = []
        stack: list[tuple[int, Iterable[int]]] = [(root, iter(sorted(edges.get(root, ()))))]
        colour[root] = GREY
        path.append(root)
        while stack:
            node, children = stack[-1]
            child = next(children, None)  # type: ignore[call-overload]
            if child is None:
                stack.pop()
                path.pop()
                colour[node] = BLACK
                continue
            state = colour.get(child, WHITE)
            if state == GREY:
                return [*path[path.index(child) :], child]
            if state == WHITE:
                colour[child] = GREY
                path.append(child)
                stack.append((child, iter(sorted(edges.get(child, ())))))
    return None


def topological_order(edges: Mapping[int, Iterable[int]], nodes: Iterable[int]) -> list[int]:
    """Every node after the nodes it depends on (ties by id, so the order is stable). Raises CycleError."""
    cycle = find_cycle(edges)
    if cycle:
        raise CycleError(cycle)
    order: list[int] = []
    done: set[int] = set()

    def visit(node: int) -> None:
        stack = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if current in done:
                continue
            if expanded:
                done.add(current)
                order.append(current)
                continue
            stack.append((current, True))
            for dep in sorted(edges.get(current, ()), reverse=True):
                if dep not in done:
                    stack.append((dep, False))

    for node in sorted(nodes):
        visit(node)
    return order


def schedule(items: Iterable[Item], edges: Mapping[int, Iterable[int]]) -> dict[int, Timing]:
    """Earliest dates, float and criticality of the plan, and the forecast once slips are taken into account.

    `edges` maps an activity to the activities it depends on; ids not in `items` are ignored."""
    by_id = {item.id: item for item in items}
    deps = {i: sorted(d for d in edges.get(i, ()) if d in by_id and d != i) for i in by_id}
    order = topological_order(deps, by_id)
    dependents: dict[int, list[int]] = {i: [] for i in by_id}
    for node, needs in deps.items():
        for dep in needs:
            dependents[dep].append(node)

    early_start: dict[int, date] = {}
    early_end: dict[int, date] = {}
    fc_start: dict[int, date] = {}
    fc_end: dict[int, date] = {}
    delayed_by: dict[int, frozenset[int]] = {}
    for node in order:
        item = by_id[node]
        length = timedelta(days=item.duration - 1)
        es = max([item.start] + [early_end[d] + ONE_DAY for d in deps[node]])
        early_start[node], early_end[node] = es, es + length
        fs = max([item.start] + [fc_end[d] + ONE_DAY for d in deps[node]])
        fe = max(fs + length, item.forecast_end or fs + length)
        fc_start[node], fc_end[node] = fs, fe
        pushed = frozenset({node}) if item.slipped else frozenset()
        for dep in deps[node]:
            if fc_end[dep] + ONE_DAY > item.start:
                pushed |= delayed_by[dep]  # that upstream slip reaches this activity
        delayed_by[node] = pushed if fe > item.end else frozenset()

    if not order:
        return {}
    finish = max(early_end.values())
    late_end: dict[int, date] = {}
    for node in reversed(order):
        successors = [late_end[s] - timedelta(days=by_id[s].duration) for s in dependents[node]]
        late_end[node] = min(successors, default=finish)

    timings = {}
    for node in order:
        slack = (late_end[node] - early_end[node]).days
        timings[node] = Timing(
            earliest_start=early_start[node],
            earliest_end=early_end[node],
            latest_end=late_end[node],
            float_days=slack,
            critical=slack <= 0,
            forecast_start=fc_start[node],
            forecast_end=fc_end[node],
            at_risk=fc_end[node] > by_id[node].end,
            delayed_by=delayed_by[node],
        )
    return timings


def critical_path(items: Iterable[Item], edges: Mapping[int, Iterable[int]]) -> list[int]:
    """One chain of zero-float activities ending at the end of the plan, first to last (empty plan: [])."""
    items = list(items)
    timings = schedule(items, edges)
    if not timings:
        return []
    finish = max(t.earliest_end for t in timings.values())
    node: int | None = min(i for i, t in timings.items() if t.critical and t.earliest_end == finish)
    chain: list[int] = []
    while node is not None:
        chain.append(node)
        start = timings[node].earliest_start
        # The predecessor that sets this start; none when the activity starts on its own planned date.
        node = min(
            (d for d in edges.get(node, ()) if d in timings and timings[d].earliest_end + ONE_DAY == start),
            default=None,
        )
    return chain[::-1]
