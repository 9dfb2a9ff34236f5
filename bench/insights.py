"""Insights benchmark: generate N partnerships into a fresh SQLite database (and its search index), serve
them with gunicorn (2 workers) on 127.0.0.1, and time the coverage, gaps and interlinkage endpoints over a
fixed mix of dimensions and filters.

The floor is the bare SQL aggregates over the same data: for each request, the GROUP BY counts of the
registry tables (published partnerships per goal, target, country, region, group, goal × region,
goal × goal; gaps run its four), with the same filters as EXISTS clauses, on a plain sqlite3 connection.
The last line is one JSON object, the worst endpoint counted.

    .venv/bin/python bench/insights.py --count 1000000 --json
"""

import argparse
import json
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from search import generated, percentile, serving, worker_rss_mb

FILTER_SETS: list[dict[str, str]] = [
    {},
    {"goal": "14"},
    {"region": "002"},
    {"group": "SIDS"},
    {"goal": "6", "group": "LDC"},
    {"category": "un_led"},
]
ENDPOINTS = [
    ("coverage", "goal"),
    ("coverage", "country"),
    ("coverage", "target"),
    ("coverage", "region"),
    ("coverage", "group"),
    ("coverage", "goal,region"),
    ("gaps", None),
    ("interlinkages", None),
]

PUBLISHED = "SELECT id FROM registry_partnership p WHERE p.status = 'published'"
AREA_OF = (
    "SELECT pa.partnership_id FROM registry_partnership_areas pa JOIN reference_area a ON a.code = pa.area_id"
)


def _filter_sql(filters: dict[str, str]) -> tuple[str, list]:
    clauses, args = [], []
    for name, value in filters.items():
        if name == "goal":
            clauses.append(
                "p.id IN (SELECT partnership_id FROM registry_partnership_goals WHERE goal_id = ?)"
            )
            args.append(int(value))
        elif name == "region":
            clauses.append(f"p.id IN ({AREA_OF} WHERE a.region_id = ? OR a.code = ?)")
            args += [value, value]
        elif name == "group":
            clauses.append(
                f"p.id IN ({AREA_OF} JOIN reference_area_groups ag ON ag.area_id = a.code WHERE ag.areagroup_id = ?)"
            )
            args.append(value)
        elif name == "category":
            clauses.append("p.category = ?")
            args.append(value)
    return "".join(f" AND {c}" for c in clauses), args


def raw_queries(endpoint: str, by: str | None, filters: dict[str, str]) -> list[tuple[str, list]]:
    """The bare SQL aggregates an endpoint answers (counts per value), with the filters."""
    where, args = _filter_sql(filters)
    chosen = f"{PUBLISHED}{where}"
    per = {
        "goal": "SELECT goal_id, COUNT(*) FROM registry_partnership_goals WHERE partnership_id IN ({c}) GROUP BY 1",
        "target": "SELECT target_id, COUNT(*) FROM registry_partnership_targets WHERE partnership_id IN ({c}) "
        "GROUP BY 1",
        "country": "SELECT a.iso3, COUNT(DISTINCT pa.partnership_id) FROM registry_partnership_areas pa JOIN "
        "reference_area a ON a.code = pa.area_id WHERE a.kind = 'country' AND pa.partnership_id IN ({c}) GROUP BY 1",
        "region": "SELECT COALESCE(a.region_id, a.code), COUNT(DISTINCT pa.partnership_id) FROM "
        "registry_partnership_areas pa JOIN reference_area a ON a.code = pa.area_id WHERE pa.partnership_id IN ({c}) "
        "GROUP BY 1",
        "group": "SELECT ag.areagroup_id, COUNT(DISTINCT pa.partnership_id) FROM registry_partnership_areas pa "
        "JOIN reference_area_groups ag ON ag.area_id = pa.area_id WHERE pa.partnership_id IN ({c}) GROUP BY 1",
        "goal,region": "SELECT g.goal_id, COALESCE(a.region_id, a.code), COUNT(DISTINCT g.partnership_id) FROM "
        "registry_partnership_goals g JOIN registry_partnership_areas pa ON pa.partnership_id = g.partnership_id "
        "JOIN reference_area a ON a.code = pa.area_id WHERE g.partnership_id IN ({c}) GROUP BY 1, 2",
        "goal,goal": "SELECT g.goal_id, h.goal_id, COUNT(*) FROM registry_partnership_goals g JOIN "
        "registry_partnership_goals h ON h.partnership_id = g.partnership_id WHERE g.partnership_id IN ({c}) "
        "GROUP BY 1, 2",
        "goal,compliance": "SELECT g.goal_id, c.status, COUNT(*) FROM registry_partnership_goals g JOIN "
        "reporting_compliance c ON c.partnership_id = g.partnership_id WHERE g.partnership_id IN ({c}) GROUP BY 1, 2",
    }
    names = {"gaps": ["target", "country", "group", "goal,compliance"], "interlinkages": ["goal,goal"]}.get(
        endpoint, [by or "goal"]
    )
    return [(per[name].format(c=chosen), args) for name in names]


def mix() -> list[tuple[str, str | None, dict[str, str]]]:
    return [(endpoint, by, filters) for endpoint, by in ENDPOINTS for filters in FILTER_SETS]


def api_latencies(port: int, requests, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for round_ in range(rounds + 1):
        for endpoint, by, filters in requests:
            query = urllib.parse.urlencode({**({"by": by} if by else {}), **filters})
            url = f"http://127.0.0.1:{port}/api/v1/insights/{endpoint}/?{query}"
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=120) as response:
                json.loads(response.read())
            if round_:  # the first round warms the caches
                times.setdefault(f"{endpoint}:{by or ''}", []).append((time.perf_counter() - started) * 1000)
    return times


def raw_latencies(database: Path, requests, rounds: int) -> dict[str, list[float]]:
    connection = sqlite3.connect(database)
    times: dict[str, list[float]] = {}
    for round_ in range(rounds + 1):
        for endpoint, by, filters in requests:
            started = time.perf_counter()
            for sql, args in raw_queries(endpoint, by, filters):
                connection.execute(sql, args).fetchall()
            if round_:
                times.setdefault(f"{endpoint}:{by or ''}", []).append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    workdir, environ = generated(args.count, "partnerhub-bench-insights-")
    requests = mix()
    with serving(environ) as (port, master):
        api = api_latencies(port, requests, args.rounds)
        rss = worker_rss_mb(master)
    raw = raw_latencies(workdir / "bench.sqlite3", requests, args.rounds)
    rows = []
    for key in api:
        a95, r95 = percentile(api[key], 95), percentile(raw[key], 95)
        rows.append((key, statistics.median(api[key]), a95, r95, a95 / max(r95, 0.001)))
        print(f"{key:>28}: api p50 {rows[-1][1]:8.1f} p95 {a95:8.1f} ms · raw p95 {r95:8.1f} ms · "
              f"×{rows[-1][4]:.2f}", file=sys.stderr)  # fmt: skip
    worst_p95 = max(rows, key=lambda r: r[2])
    worst_ratio = max(rows, key=lambda r: r[4])
    every_api = [t for times in api.values() for t in times]
    result = {
        "count": args.count,
        "requests": len(requests),
        "api_p50_ms": round(statistics.median(every_api), 1),
        "api_p95_ms": round(worst_p95[2], 1),
        "raw_p95_ms": round(worst_ratio[3], 1),
        "api_over_raw": round(worst_ratio[4], 2),
        "worst_p95_endpoint": worst_p95[0],
        "worst_ratio_endpoint": worst_ratio[0],
        "peak_rss_mb": round(rss, 1),
    }
    for key, value in result.items():
        print(f"{key:>20}: {value}", file=sys.stderr)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
