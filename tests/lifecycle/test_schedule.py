"""The work-plan graph: cycle refusal, critical path and slip propagation, by example and by property."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerhub.lifecycle.schedule import (
    CycleError,
    Item,
    critical_path,
    find_cycle,
    schedule,
    topological_order,
)
from partnerhub.lifecycle.selectors import MONTH_LABEL, WorkPlan, gantt

D0 = date(2026, 1, 1)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def chain():
    """A(1–10) → B(11–20) → D(21–25); A → C(11–15) → D: B is on the critical path, C has 5 days of float."""
    items = [
        Item(1, day(0), day(9)),
        Item(2, day(10), day(19)),
        Item(3, day(10), day(14)),
        Item(4, day(20), day(24)),
    ]
    return items, {2: [1], 3: [1], 4: [2, 3]}


def test_critical_path_and_float():
    items, edges = chain()
    timings = schedule(items, edges)
    assert critical_path(items, edges) == [1, 2, 4]
    assert timings[3].float_days == 5 and not timings[3].critical
    assert all(timings[i].critical for i in (1, 2, 4))
    assert not any(t.at_risk for t in timings.values())


def test_a_slip_flags_everything_downstream_it_reaches():
    items, edges = chain()
    items[0] = Item(1, day(0), day(9), forecast_end=day(12))  # A slips three days
    timings = schedule(items, edges)
    assert {i for i, t in timings.items() if t.at_risk} == {1, 2, 3, 4}
    assert timings[4].forecast_end == day(27) and timings[4].delayed_by == {1}


def test_float_absorbs_a_small_slip_off_the_critical_path():
    items, edges = chain()
    items[2] = Item(3, day(10), day(14), forecast_end=day(17))  # C slips 3 of its 5 days of float
    timings = schedule(items, edges)
    assert timings[3].at_risk and timings[3].delayed_by == {3}
    assert not timings[4].at_risk  # D still starts on day 20


def test_cycles_are_found_and_refused():
    assert find_cycle({1: [2], 2: [3], 3: [1]}) == [1, 2, 3, 1]
    assert find_cycle({1: [1]}) == [1, 1]
    assert find_cycle({1: [2], 2: [3]}) is None
    with pytest.raises(CycleError):
        topological_order({1: [2], 2: [1]}, [1, 2])


# --- properties -------------------------------------------------------------------------------------------------


@st.composite
def plans(draw, max_size: int = 9):
    """A random acyclic plan: each activity may depend on lower-numbered ones; random dates and slips."""
    n = draw(st.integers(min_value=1, max_value=max_size))
    items, edges = [], {}
    for i in range(1, n + 1):
        start = draw(st.integers(0, 60))
        length = draw(st.integers(0, 15))
        slip = draw(st.one_of(st.none(), st.integers(-5, 20)))
        forecast = day(start + length + slip) if slip is not None and start + length + slip >= start else None
        items.append(Item(i, day(start), day(start + length), forecast))
        edges[i] = draw(st.sets(st.integers(1, i - 1), max_size=3)) if i > 1 else set()
    return items, edges


def reaches(edges, source, target) -> bool:
    """Does `source` depend, directly or not, on `target`?"""
    seen, todo = set(), [source]
    while todo:
        node = todo.pop()
        for dep in edges.get(node, ()):
            if dep == target:
                return True
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return False


def longest_finish(items, edges) -> date:
    """The end of the plan by brute force: every activity's earliest end, memoised recursion."""
    by_id = {i.id: i for i in items}
    memo: dict[int, date] = {}

    def finish(node: int) -> date:
        if node not in memo:
            item = by_id[node]
            start = max([item.start] + [finish(d) + timedelta(days=1) for d in edges.get(node, ())])
            memo[node] = start + timedelta(days=item.duration - 1)
        return memo[node]

    return max(finish(i.id) for i in items)


@settings(max_examples=300, deadline=None)
@given(plans(), st.data())
def test_adding_an_edge_is_refused_exactly_when_it_closes_a_cycle(plan, data):
    _items, edges = plan
    nodes = sorted(edges)
    a, b = data.draw(st.sampled_from(nodes)), data.draw(st.sampled_from(nodes))
    candidate = {k: set(v) for k, v in edges.items()}
    candidate[a].add(b)  # a would depend on b
    closes = a == b or reaches(edges, b, a)
    cycle = find_cycle(candidate)
    assert (cycle is not None) == closes
    if cycle:
        assert cycle[0] == cycle[-1]
        assert all(nxt in candidate[node] for node, nxt in itertools.pairwise(cycle))


@settings(max_examples=300, deadline=None)
@given(plans())
def test_critical_path_is_a_dependency_chain_that_ends_the_plan(plan):
    items, edges = plan
    timings = schedule(items, edges)
    path = critical_path(items, edges)
    finish = longest_finish(items, edges)
    assert max(t.earliest_end for t in timings.values()) == finish
    assert timings[path[-1]].earliest_end == finish
    assert all(timings[i].critical and timings[i].float_days == 0 for i in path)
    for before, after in itertools.pairwise(path):
        assert before in edges[after]
        assert timings[before].earliest_end + timedelta(days=1) == timings[after].earliest_start
    assert all(t.float_days >= 0 for t in timings.values())


@settings(max_examples=300, deadline=None)
@given(plans())
def test_slips_only_push_later_and_flag_only_what_a_slip_reaches(plan):
    items, edges = plan
    on_plan = schedule([Item(i.id, i.start, i.end) for i in items], edges)
    timings = schedule(items, edges)
    slipped = {i.id for i in items if i.slipped}
    for node, t in timings.items():
        assert t.forecast_end >= on_plan[node].earliest_end  # a slip never makes anything earlier
        assert t.delayed_by <= slipped
        for cause in t.delayed_by:
            assert cause == node or reaches(edges, node, cause)
        if t.at_risk and not on_plan[node].at_risk:
            # Only a slip, here or upstream, can put an activity at risk that was on time as planned.
            assert t.delayed_by, (node, t)
    # Monotone: slipping one more activity further never takes a flag away.
    if items:
        worse = [
            Item(i.id, i.start, i.end, (i.forecast_end or i.end) + timedelta(days=7))
            if i.id == items[0].id
            else i
            for i in items
        ]
        flagged = {n for n, t in timings.items() if t.at_risk}
        assert flagged <= {n for n, t in schedule(worse, edges).items() if t.at_risk}


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2024, 1, 15), date(2026, 11, 2)), (date(2024, 1, 15), date(2026, 11, 28)),
     (date(2024, 1, 15), date(2027, 1, 31)), (date(1997, 10, 2), date(2014, 1, 13))],
)  # fmt: skip
def test_gantt_month_labels_stay_inside_the_chart_and_apart(start, end):
    """The last label of the first two runs past the right edge if it starts at its line; the last case
    (the demo's polio plan) leaves no room for it beside the one before."""
    geometry = gantt(WorkPlan(components=[], critical_path=[], start=start, end=end, at_risk=[]))
    spans = []
    for month in geometry["months"]:
        left = month["x"] - (MONTH_LABEL if month["end"] else 0)
        if month["label"]:
            spans.append((left, left + MONTH_LABEL))
    assert all(geometry["label"] <= left and right <= geometry["width"] for left, right in spans), spans
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans
