"""Search benchmark: generate N partnerships into a fresh SQLite database (and its Tantivy index), serve
them with gunicorn (2 workers) on 127.0.0.1, and measure a fixed mix of queries with filters and all
facet counts.

Prints p50/p95 through the HTTP API, the same queries' raw engine time (the Tantivy query the service
builds, run on a bare Tantivy searcher: top hits with the total, and the facet aggregation, no Django) as
the floor, the naive ORM `icontains` implementation as a baseline (N <= 100,000), and the peak RSS of the
web workers. The last line is one JSON object.

    .venv/bin/python bench/search.py --count 100000 --json
"""

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORDS = [
    "water",
    "education",
    "ocean",
    "poverty",
    "health",
    "energy",
    "women",
    "climate",
    "forests",
    "hunger",
    "cities",
    "employment",
    "sanitation",
    "biodiversity",
    "violence",
    "technology",
    "agriculture",
    "disaster",
]
PHRASES = [
    '"clean energy"',
    '"sustainable development"',
    '"drinking water"',
    '"marine pollution"',
    '"social protection"',
    '"early warning"',
]
TWO = [
    "renewable energy",
    "girls education",
    "fish stocks",
    "small islands",
    "road traffic",
    "land degradation",
]
OTHER = [
    "eau potable",
    "pobreza",
    "énergie",
    "educación",
    "вода",
    "образование",
    "المياه",
    "الفقر",
    "海洋",
    "教育",
]
FILTERS = [("goal", "14"), ("goal", "6"), ("goal", "3"), ("group", "LDC"), ("group", "SIDS"), ("region", "002"),
           ("region", "142"), ("country", "IND"), ("stage", "implementation"), ("category", "un_led"),
           ("organisation_type", "ngo")]  # fmt: skip


def query_mix(seed: int = 7) -> list[dict[str, list[str]]]:
    rng = random.Random(seed)
    texts = WORDS + PHRASES + TWO + OTHER + ["", "", "", ""]
    mix = []
    for text in texts:
        params: dict[str, list[str]] = {"q": [text]} if text else {}
        for name, value in rng.sample(FILTERS, rng.randint(0, 3)):
            params.setdefault(name, []).append(value)
        mix.append(params)
    return mix


def env(workdir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "DEBUG": "0",
            "SECRET_KEY": "bench-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1", "PARTNERHUB_TESTING": "0",
            "LOG_LEVEL": "WARNING", "PARTNERHUB_VAR_DIR": str(workdir)}  # fmt: skip


def run(args: list[str], environ: dict[str, str]) -> None:
    subprocess.run([str(BIN / "partnerhub"), *args], env=environ, check=True, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def api_latencies(port: int, mix, rounds: int) -> list[float]:
    times = []
    for round_ in range(rounds + 1):
        for params in mix:
            url = f"http://127.0.0.1:{port}/api/v1/partnerships/?{urllib.parse.urlencode(params, doseq=True)}"
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as response:
                body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            assert b'"facets"' in body
            if round_:  # the first round warms the caches
                times.append(elapsed)
    return times


def raw_latencies(workdir: Path, mix, rounds: int) -> list[float]:
    """The same Tantivy queries the service builds, on a bare searcher."""
    os.environ.update(env(workdir))
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "partnerhub.settings"
    django.setup()
    import tantivy
    from django.conf import settings
    from django.http import QueryDict

    from partnerhub.registry.filters import PartnershipFilter
    from partnerhub.registry.models import Partnership
    from partnerhub.registry.search.engines import current_engine
    from partnerhub.registry.search.service import search_request

    engine = current_engine()
    plans = []
    for params in mix:
        filterset = PartnershipFilter(
            QueryDict(urllib.parse.urlencode(params, doseq=True)), Partnership.objects.none()
        )
        assert filterset.is_valid(), filterset.errors
        request = search_request(filterset.to_search(limit=25))
        order = {"order_by_field": "newest"} if request.sort == "newest" else {}
        plans.append((engine.compile(request.query, request.filters), request.limit + 1, order))
    searcher = tantivy.Index.open(str(settings.SEARCH_INDEX_DIR)).searcher()
    aggregation = engine.facet_aggregation()
    times = []
    for round_ in range(rounds + 1):
        for query, limit, order in plans:
            started = time.perf_counter()
            hits = searcher.search(query, limit, count=True, **order).hits
            searcher.fast_field_values("id", [address for _score, address in hits])
            searcher.aggregate(query, aggregation)
            if round_:
                times.append((time.perf_counter() - started) * 1000)
    return times


def naive_latencies(mix, rounds: int) -> list[float]:
    """The icontains implementation a registry would start with, with GROUP BY counts per facet."""
    from django.db.models import Count, Q

    from partnerhub.registry.models import Partner, Partnership

    def naive(params):
        qs = Partnership.objects.filter(status="published")
        for text in params.get("q", []):
            for word in re.findall(r"\w+", text):
                orgs = Partner.objects.filter(organisation__name__icontains=word).values("partnership_id")
                qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(pk__in=orgs))
        for goal in params.get("goal", []):
            qs = qs.filter(goals=goal)
        for group in params.get("group", []):
            qs = qs.filter(areas__groups=group)
        for region in params.get("region", []):
            qs = qs.filter(areas__region=region)
        for country in params.get("country", []):
            qs = qs.filter(areas__iso3=country)
        for name in ("stage", "category"):
            for value in params.get(name, []):
                qs = qs.filter(**{name: value})
        for value in params.get("organisation_type", []):
            qs = qs.filter(partners__organisation__type=value)
        list(qs.order_by("-published_at")[:25])
        qs.count()
        list(qs.values("goals").annotate(n=Count("pk")))
        list(qs.values("areas__iso3").annotate(n=Count("pk")))
        list(qs.values("stage").annotate(n=Count("pk")))

    times = []
    for round_ in range(rounds + 1):
        for params in mix:
            started = time.perf_counter()
            naive(params)
            if round_:
                times.append((time.perf_counter() - started) * 1000)
    return times


def worker_rss_mb(master_pid: int) -> float:
    peak = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, flags=re.M):
            hwm = re.search(r"^VmHWM:\s+(\d+) kB", status, flags=re.M)
            peak = max(peak, int(hwm.group(1)) / 1024 if hwm else 0)
    return peak


def generated(count: int, prefix: str) -> tuple[Path, dict[str, str]]:
    """A fresh var directory with a SQLite database of `count` generated partnerships (and its index)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    environ = env(workdir)
    started = time.perf_counter()
    run(["migrate", "-v", "0"], environ)
    run(["load-reference"], environ)
    run(["generate", "--count", str(count), "--seed", "1"], environ)
    print(f"generated {count:,} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return workdir, environ


@contextmanager
def serving(environ: dict[str, str]):
    """gunicorn with 2 workers on 127.0.0.1, once it answers: yields (port, master pid)."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "partnerhub.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "600", "--log-level", "warning"],
        env=environ, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/sdg/goals/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    workdir, environ = generated(args.count, "partnerhub-bench-")
    with serving(environ) as (port, master):
        mix = query_mix()
        api = api_latencies(port, mix, args.rounds)
        rss = worker_rss_mb(master)
    raw = raw_latencies(workdir, mix, args.rounds)
    naive = naive_latencies(mix, 1) if args.count <= 100_000 else None
    result = {
        "count": args.count,
        "queries": len(mix),
        "api_p50_ms": round(statistics.median(api), 1),
        "api_p95_ms": round(percentile(api, 95), 1),
        "raw_p50_ms": round(statistics.median(raw), 1),
        "raw_p95_ms": round(percentile(raw, 95), 1),
        "api_over_raw": round(percentile(api, 95) / max(percentile(raw, 95), 0.001), 2),
        "peak_rss_mb": round(rss, 1),
    }
    if naive is not None:
        result["naive_p95_ms"] = round(percentile(naive, 95), 1)
        result["naive_over_api"] = round(percentile(naive, 95) / max(percentile(api, 95), 0.001), 2)
    for key, value in result.items():
        print(f"{key:>16}: {value}", file=sys.stderr)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
