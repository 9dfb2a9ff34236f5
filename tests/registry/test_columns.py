"""The compiled aggregation loops (search/kernels.py) against a plain reading of the same documents."""

import json
import random

import numpy as np
import pytest

from partnerhub.registry.search import columns as columns_module
from partnerhub.registry.search.columns import Columns
from partnerhub.registry.search.engines import Aggregation

CURRENCIES = ("USD", "EUR", "XOF")


def _documents(rng: random.Random, count: int) -> list[tuple[int, str, str]]:
    """(partnership id, facet tokens, money) as search documents hold them: random goals, regions,
    countries and partner organisations, some rows with money in one or two currencies, some with none."""
    documents = []
    for pid in range(1, count + 1):
        tokens = {f"goal:{g}" for g in rng.sample(range(1, 18), rng.choice((0, 1, 1, 2, 3)))}
        tokens |= {
            f"region:{r}" for r in rng.sample(("002", "009", "019", "142", "150"), rng.choice((0, 1, 2)))
        }
        tokens |= {
            f"country:{c}"
            for c in rng.sample(("FJI", "KEN", "BOL", "NPL", "TON", "PER"), rng.choice((0, 1, 2)))
        }
        tokens |= {f"org:{o}" for o in rng.sample(range(1, 40), rng.choice((0, 1, 2, 4)))}
        money = {
            c: float(rng.randrange(1, 1000) * 1000) for c in rng.sample(CURRENCIES, rng.choice((0, 0, 1, 2)))
        }
        documents.append((pid, " ".join(sorted(tokens)), json.dumps(money)))
    return documents


def _expected(documents, by: list[str], wanted: set[int]):
    """The figures read the slow and obvious way: per bucket, its partnerships, money and partner set."""

    def values(facets: str, name: str) -> list[str]:
        return [t.partition(":")[2] for t in facets.split() if t.partition(":")[0] == name]

    def empty():
        return {"count": 0, "money": {}, "orgs": set(), "sub": {}}

    def add(bucket, orgs, money):
        bucket["count"] += 1
        bucket["orgs"] |= set(orgs)
        for currency, amount in money.items():
            bucket["money"][currency] = bucket["money"].get(currency, 0.0) + amount

    total, buckets = empty(), {}
    for pid, facets, money_json in documents:
        if pid not in wanted:
            continue
        orgs, money = values(facets, "org"), json.loads(money_json)
        add(total, orgs, money)
        for first in values(facets, by[0]):
            add(buckets.setdefault(first, empty()), orgs, money)
            for second in values(facets, by[1]) if len(by) > 1 else []:
                add(buckets[first]["sub"].setdefault(second, empty()), orgs, money)

    def plain(b):
        return (
            b["count"],
            len(b["orgs"]),
            dict(sorted(b["money"].items())),
            {k: plain(v) for k, v in sorted(b["sub"].items())},
        )

    return plain(total), {k: plain(v) for k, v in sorted(buckets.items())}


def _figures(columns: Columns, chosen, by: list[str]):
    total, buckets = columns.aggregate(chosen, Aggregation(by=by))

    def plain(b):
        return (b.count, b.partners, b.money, {k: plain(v) for k, v in sorted(b.sub.items())})

    return plain(total), {k: plain(v) for k, v in sorted(buckets.items())}


@pytest.mark.parametrize(("bitmap_bits", "join_every"), [(columns_module.BITMAP_BITS, 16), (100, 2)])
def test_counts_money_and_distinct_partners_equal_a_plain_count(monkeypatch, bitmap_bits, join_every):
    monkeypatch.setattr(columns_module, "BITMAP_BITS", bitmap_bits)  # 100: partners counted in many passes
    monkeypatch.setattr(columns_module, "JOIN_EVERY", join_every)  # 2: parts joined while batches come
    documents = _documents(random.Random(7), 600)
    columns = Columns()
    for start in range(0, 600, 130):  # five batches, as a refresh reads them
        columns._add_batch(documents[start : start + 130])
    everything = {pid for pid, _, _ in documents}
    with_goal_14 = {pid for pid, facets, _ in documents if "goal:14" in facets.split()}
    for filters, wanted in (([], everything), ([["goal:14"]], with_goal_14)):
        chosen = columns.mask(filters, [])
        for by in (["goal"], ["country"], ["goal", "region"], ["goal", "goal"], ["region", "country"]):
            assert _figures(columns, chosen, by) == _expected(documents, by, wanted), (filters, by)


def test_facet_counts_of_chosen_matches_equal_a_plain_count():
    """PostgreSQL's search counts facets from the columns, over the text matches its filters keep."""
    documents = _documents(random.Random(11), 500)
    columns = Columns()
    columns._add_batch(documents[:200])
    columns._add_batch(documents[200:])
    matched = np.array(sorted(random.Random(5).sample(range(1, 520), 300)), np.int64)  # some ids unknown
    chosen = columns.mask([["region:009", "region:142"]], ["country:FJI"], matched)
    kept = columns.chosen_among(chosen, matched)
    expected_ids = [
        pid for pid, facets, _ in documents
        if pid in set(matched.tolist()) and {"region:009", "region:142"} & set(facets.split())
        and "country:FJI" not in facets.split()
    ]  # fmt: skip
    assert matched[kept].tolist() == expected_ids
    expected: dict[str, dict[str, int]] = {}
    for pid, facets, _ in documents:
        if pid in expected_ids:
            for token in facets.split():
                facet, _, value = token.partition(":")
                expected.setdefault(facet, {})[value] = expected.setdefault(facet, {}).get(value, 0) + 1
    assert columns.counts(chosen, ["goal", "region", "country", "org", "stage"]) == expected
