"""Reads for the workspace pages and API: the framework with this partnership's states, the scheduled
work plan, the health-check trend and the resource map."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from partnerhub.registry.models import Commitment, Partnership

from . import schedule
from .framework import MODULES
from .models import Activity, Component, HealthCheck, TaskState
from .services import derive_stage


def checklist(partnership: Partnership) -> dict:
    """{"stage", "modules": [{"code", "title", "progress", "steps": [{"number", "title", "progress",
    "tasks": [{"code", "title", "guidance", "artefact", "state", "owner", …}]}]}]}, the shape of the API."""
    states = {
        s.task: s
        for s in TaskState.objects.filter(partnership=partnership).select_related("owner__organisation")
    }
    modules = []
    for module in MODULES:
        steps: list[dict] = []
        for step in module.steps:
            tasks = []
            for task in step.tasks:
                row = states.get(task.code)
                tasks.append({
                    "code": task.code, "title": str(task.title), "guidance": str(task.guidance),
                    "artefact": task.artefact, "state": row.state if row else TaskState.State.NOT_STARTED,
                    "state_label": str((row and row.get_state_display()) or TaskState.State.NOT_STARTED.label),
                    "owner": row.owner.organisation.name if row and row.owner else None,
                    "notes": row.notes if row else "", "date": row.date if row else None,
                })  # fmt: skip
            steps.append(
                {
                    "number": step.number,
                    "title": str(step.title),
                    "tasks": tasks,
                    "progress": _progress(tasks),
                }
            )
        all_tasks = [t for s in steps for t in s["tasks"]]
        modules.append({"code": module.code, "title": str(module.title), "stage": module.stage, "steps": steps,
                        "progress": _progress(all_tasks)})  # fmt: skip
    stage = derive_stage({code: s.state for code, s in states.items()})
    return {"stage": stage, "stage_label": str(Partnership.Stage(stage).label), "modules": modules}


def _progress(tasks: list[dict]) -> dict:
    """Counts per state and the share done, for colouring the wheel ("n/a" tasks count as settled)."""
    counts: defaultdict[str, int] = defaultdict(int)
    for task in tasks:
        counts[task["state"]] += 1
    relevant = len(tasks) - counts[TaskState.State.NOT_APPLICABLE]
    done = counts[TaskState.State.DONE]
    share = 1.0 if relevant == 0 else done / relevant
    level = "done" if share == 1 else "active" if done or counts[TaskState.State.IN_PROGRESS] else "todo"
    return {"done": done, "total": len(tasks), "relevant": relevant, "share": round(share, 2), "level": level}


@dataclass
class PlannedActivity:
    activity: Activity
    timing: schedule.Timing
    depends_on: list[Activity]
    responsible: list = field(default_factory=list)
    delayed_by: list[Activity] = field(default_factory=list)


@dataclass
class WorkPlan:
    components: list[tuple[Component, list[PlannedActivity]]]
    critical_path: list[Activity]
    start: date | None
    end: date | None
    at_risk: list[PlannedActivity]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1 if self.start and self.end else 0


def work_plan(partnership: Partnership) -> WorkPlan:
    components = list(
        Component.objects.filter(partnership=partnership).prefetch_related("leads__organisation")
    )
    activities = list(
        Activity.objects.filter(partnership=partnership).prefetch_related(
            "responsible__organisation", "depends_on"
        )
    )
    for activity in activities:
        activity.partnership = partnership  # one instance, so permission checks read the focal points once
    by_id = {a.pk: a for a in activities}
    edges = {a.pk: [d.pk for d in a.depends_on.all()] for a in activities}
    items = [schedule.Item(a.pk, a.start, a.end, a.forecast_end) for a in activities]
    timings = schedule.schedule(items, edges)
    path = [by_id[i] for i in schedule.critical_path(items, edges)]
    planned = {
        a.pk: PlannedActivity(
            activity=a, timing=timings[a.pk], depends_on=list(a.depends_on.all()),
            responsible=list(a.responsible.all()),
            delayed_by=[by_id[i] for i in sorted(timings[a.pk].delayed_by) if i != a.pk],
        )
        for a in activities
    }  # fmt: skip
    grouped = [(c, [planned[a.pk] for a in activities if a.component_id == c.pk]) for c in components]
    dates = [a.start for a in activities] + [max(a.end, timings[a.pk].forecast_end) for a in activities]
    at_risk = [p for p in planned.values() if p.timing.at_risk]
    return WorkPlan(grouped, path, min(dates, default=None), max(dates, default=None), at_risk)


MONTH_LABEL = 48  # width of a "2026-11" grid label in the chart's units (11px text)


def gantt(plan: WorkPlan, *, width: int = 900, row: int = 26, label: int = 260) -> dict:
    """Geometry of the Gantt chart (SVG drawn by the template): one row per activity, bars for the plan and,
    where it slipped or is pushed, the forecast; months as grid lines."""
    if not plan.start or not plan.end:
        return {"rows": [], "height": 0}
    span = plan.days
    scale = (width - label - 12) / span

    def x(day: date) -> float:
        return round(label + (day - plan.start).days * scale, 1)  # type: ignore[operator]

    rows, y = [], 30
    critical = {a.pk for a in plan.critical_path}
    for component, items in plan.components:
        rows.append({"kind": "component", "y": y, "title": component.title})
        y += row
        for item in items:
            a, t = item.activity, item.timing
            rows.append({
                "kind": "activity", "y": y, "title": a.title, "id": a.pk, "milestone": a.milestone,
                "x": x(a.start), "w": max(round((a.end - a.start).days * scale + scale, 1), 3),
                "fx": x(t.forecast_start), "fw": max(round(((t.forecast_end - t.forecast_start).days + 1) * scale, 1), 3),
                "moved": t.forecast_end != a.end or t.forecast_start != a.start,
                "critical": a.pk in critical, "at_risk": t.at_risk, "done": a.status == Activity.Status.DONE,
            })  # fmt: skip
            y += row
    months: list[dict[str, Any]] = []
    cursor = plan.start.replace(day=1)
    while cursor <= plan.end:
        if cursor >= plan.start:
            # A label that would run past the right edge ends at its line instead of starting there.
            at = x(cursor)
            months.append({"x": at, "label": cursor.strftime("%Y-%m"), "end": at + MONTH_LABEL > width})
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    # Every n-th month, n such that even 28-day months leave a label's width (and a gap) between labels.
    shown = months[:: max(1, math.ceil((MONTH_LABEL + 4) / (28 * scale)))]
    if len(shown) > 1 and shown[-1]["end"] and shown[-1]["x"] - MONTH_LABEL < shown[-2]["x"] + MONTH_LABEL:
        shown[-1]["label"] = ""  # no room for it between the one before and the edge: its line stays
    return {"rows": rows, "height": y + 10, "width": width, "label": label, "months": shown,
            "today": x(date.today()) if plan.start <= date.today() <= plan.end else None}  # fmt: skip


def health_trend(partnership: Partnership) -> dict:
    """Checks in date order with each criterion's change from the baseline, and the polyline of the average."""
    checks = list(HealthCheck.objects.filter(partnership=partnership).order_by("date", "id"))
    baseline = next((c for c in checks if c.is_baseline), checks[0] if checks else None)
    rows = []
    for check in checks:
        delta = {k: v - baseline.scores[k] for k, v in check.scores.items()} if baseline else {}
        rows.append({"check": check, "scores": check.scores, "delta": delta})
    width, height, pad = 640, 220, 42
    points = []
    if checks:
        n = len(checks)
        for i, check in enumerate(checks):
            px = pad + (i * (width - 2 * pad) / max(n - 1, 1))
            py = height - pad - (check.average - 1) / 4 * (height - 2 * pad)
            points.append(
                {
                    "x": round(px, 1),
                    "y": round(py, 1),
                    "label": check.date.isoformat(),
                    "value": check.average,
                }
            )
    series = {}
    for name, _label in HealthCheck.CRITERIA:
        coords = [
            f"{p['x']},{round(height - pad - (c.scores[name] - 1) / 4 * (height - 2 * pad), 1)}"
            for p, c in zip(points, checks, strict=True)
        ]
        series[name] = " ".join(coords)
    return {"rows": rows, "baseline": baseline, "points": points, "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
            "series": series, "width": width, "height": height, "pad": pad,
            "grid": [{"y": round(height - pad - (v - 1) / 4 * (height - 2 * pad), 1), "v": v} for v in range(1, 6)]}  # fmt: skip


def resource_map(partnership: Partnership) -> list[dict]:
    """Task 3.1: per partner, cash by currency (never summed across currencies) and in-kind contributions."""
    rows: dict[int, dict] = {}
    for partner in partnership.partners.select_related("organisation"):
        rows[partner.pk] = {
            "partner": partner,
            "cash": defaultdict(lambda: Decimal(0)),
            "in_kind": [],
            "commitments": [],
        }
    for c in Commitment.objects.filter(partnership=partnership).select_related("currency"):
        row = rows[c.partner_id]
        row["commitments"].append(c)
        if c.kind == Commitment.Kind.FINANCIAL and c.amount is not None:
            row["cash"][c.currency_id] += c.amount
        else:
            row["in_kind"].append(c)
    return [{**r, "cash": sorted(r["cash"].items())} for r in rows.values()]
