"""Search benchmark: generate N partnerships into a fresh SQLite database (and its Tantivy index), or with
--postgres into a fresh PostgreSQL database, serve them with gunicorn (2 workers) on 127.0.0.1, and
measure a fixed mix of queries with filters and all facet counts.

Prints p50/p95 through the HTTP API, the same queries' raw engine time as the floor, the naive ORM
`icontains` implementation as a baseline (N <= 100,000), and the peak RSS of the web workers. The raw time
is, on SQLite, the Tantivy query the service builds run on a bare Tantivy searcher (top hits with the
total, and the facet aggregation); on PostgreSQL, the bare tsvector statements (the best rows by ts_rank,
the count, and the facet counts by GROUP BY) through psycopg. No Django in either. The last line is one
JSON object.

    .venv/bin/python bench/search.py --count 100000 --json
    .venv/bin/python bench/search.py --count 100000 --json --postgres postgres://postgres@127.0.0.1:5432/postgres

--postgres names a server and a database to connect to first; the bench creates its own database there
(it needs the CREATEDB right) and drops it at the end.
"""

import argparse
import atexit
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager, nullcontext
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


def env(workdir: Path, database_url: str | None = None) -> dict[str, str]:
    database_url = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    return {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0",
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


def search_requests(environ: dict[str, str], mix) -> list:
    """The engine requests (parsed query, facet tokens, sort) the service plans for the mix."""
    os.environ.update(environ)
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "partnerhub.settings"
    django.setup()
    from django.http import QueryDict

    from partnerhub.registry.filters import PartnershipFilter
    from partnerhub.registry.models import Partnership
    from partnerhub.registry.search.service import search_request

    requests = []
    for params in mix:
        filterset = PartnershipFilter(
            QueryDict(urllib.parse.urlencode(params, doseq=True)), Partnership.objects.none()
        )
        assert filterset.is_valid(), filterset.errors
        requests.append(search_request(filterset.to_search(limit=25)))
    return requests


def raw_latencies(environ: dict[str, str], mix, rounds: int) -> list[float]:
    """The same Tantivy queries the service builds, on a bare searcher."""
    requests = search_requests(environ, mix)
    import tantivy
    from django.conf import settings

    from partnerhub.registry.search.engines import current_engine

    engine = current_engine()
    plans = []
    for request in requests:
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


def raw_postgres_latencies(environ: dict[str, str], mix, rounds: int) -> list[float]:
    """The bare tsvector statements for the same requests, through psycopg: the best rows (by ts_rank, or
    newest first without words), their count, and the facet counts by unnest … GROUP BY."""
    requests = search_requests(environ, mix)
    import psycopg

    from partnerhub.registry.search.engines import FACETS_COUNTED, filter_clause
    from partnerhub.registry.search.query import to_tsquery

    plans = []
    for request in requests:
        clause, args = filter_clause(request)
        where = [clause]
        source, order = "registry_searchdocument d", "d.published_at DESC, d.partnership_id DESC"
        if not request.query.is_empty:
            source += ", to_tsquery('simple', %s) q"
            where.append("d.vector @@ q")
            args.insert(0, to_tsquery(request.query))
            order = "ts_rank(d.vector, q, 1) DESC, d.partnership_id"
        condition = " AND ".join(where)
        plans.append([
            (f"SELECT d.partnership_id FROM {source} WHERE {condition} ORDER BY {order} LIMIT {request.limit + 1}",
             args),
            (f"SELECT COUNT(*) FROM {source} WHERE {condition}", args),
            (f"SELECT t, COUNT(*) FROM {source}, unnest(d.facet_array) t WHERE {condition} "
             "AND split_part(t, ':', 1) = ANY(%s) GROUP BY t", [*args, list(FACETS_COUNTED)]),
        ])  # fmt: skip
    times = []
    with psycopg.connect(postgres_dsn(environ["DATABASE_URL"]), autocommit=True) as connection:
        for round_ in range(rounds + 1):
            for statements in plans:
                started = time.perf_counter()
                for sql, args in statements:
                    connection.execute(sql, args).fetchall()
                if round_:
                    times.append((time.perf_counter() - started) * 1000)
    return times


def postgres_dsn(url: str) -> str:
    """A DATABASE_URL as psycopg takes it."""
    return url.replace("postgres://", "postgresql://", 1)


@contextmanager
def postgres_database(server_url: str):
    """A new, empty database on this server for the run (dropped afterwards): yields its URL."""
    import psycopg

    name = f"partnerhub_bench_{os.getpid()}"
    base, _, _ = server_url.rpartition("/")
    with psycopg.connect(postgres_dsn(server_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_dsn(server_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def generated(count: int, prefix: str, database_url: str | None = None) -> tuple[Path, dict[str, str]]:
    """A fresh var directory with a SQLite database of `count` generated partnerships (and its index), or
    with these partnerships in the (empty) database named."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    environ = env(workdir, database_url)
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
        [str(BIN / "gunicorn"), "partnerhub.wsgi:application", "-c", "python:partnerhub.gunicorn_config",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "600", "--log-level", "warning"],
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
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server (and a database on it to "
                        "connect to) to run the bench on, in a database of its own")  # fmt: skip
    args = parser.parse_args()
    with postgres_database(args.postgres) if args.postgres else nullcontext() as database_url:
        result = measure(args, database_url)
    for key, value in result.items():
        print(f"{key:>16}: {value}", file=sys.stderr)
    if args.json:
        print(json.dumps(result))


def measure(args, database_url: str | None) -> dict:
    _workdir, environ = generated(args.count, "partnerhub-bench-", database_url)
    with serving(environ) as (port, master):
        mix = query_mix()
        api = api_latencies(port, mix, args.rounds)
        rss = worker_rss_mb(master)
    raw = (raw_postgres_latencies if database_url else raw_latencies)(environ, mix, args.rounds)
    naive = naive_latencies(mix, 1) if args.count <= 100_000 else None
    if database_url:
        from django.db import connections

        connections.close_all()  # before the database is dropped
    result = {
        "engine": "postgresql" if database_url else "tantivy",
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
    return result


if __name__ == "__main__":
    main()
