"""The loops behind the columns' figures (columns.py), compiled by numba.

Each loop walks the chosen rows once, in row order, reading a row's facet values, money and partner
organisations from compressed-sparse-row arrays (`starts[row]` to `starts[row + 1]` index the row's
values). Written as plain loops they read like the definition of each figure; compiled, they run at
memory speed: counting goal × region over a million partnerships with money and distinct partners took
about 300 ms as numpy cross products and takes under 100 ms here. `nogil` lets the two loops of a request
run on both cores. `cache` keeps the compiled code in NUMBA_CACHE_DIR (settings), so only the first process
after an install compiles (a few seconds).

Imported only when a figure is asked for (columns.py): loading numba costs a process about 100 MB.
"""

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def count_and_sum(chosen, starts1, values1, width1, starts2, values2, width2, money_starts, currency, amount,
                  currencies):  # fmt: skip
    """Per value of the first facet (and per cell value1 × width2 + value2 of the two): the chosen rows
    that carry it, and their money summed per currency; plus the money of all chosen rows. A row's pairs
    of the second facet are crossed with each of its first-facet values (width2 0: no second facet)."""
    count1 = np.zeros(width1, np.int64)
    money1 = np.zeros((width1, currencies))
    count2 = np.zeros(width1 * width2, np.int64)
    money2 = np.zeros((width1 * width2, currencies))
    total = np.zeros(currencies)
    for row in range(len(chosen)):
        if not chosen[row]:
            continue
        first_money, end_money = money_starts[row], money_starts[row + 1]
        for m in range(first_money, end_money):
            total[currency[m]] += amount[m]
        for i in range(starts1[row], starts1[row + 1]):
            key = values1[i]
            count1[key] += 1
            for m in range(first_money, end_money):
                money1[key, currency[m]] += amount[m]
            for j in range(starts2[row], starts2[row + 1]):
                cell = key * width2 + values2[j]
                count2[cell] += 1
                for m in range(first_money, end_money):
                    money2[cell, currency[m]] += amount[m]
    return total, count1, money1, count2, money2


@njit(nogil=True, cache=True)
def distinct_partners(chosen, org_starts, orgs, org_count, starts1, values1, width1, starts2, values2, width2,
                      low, high):  # fmt: skip
    """Distinct partner organisations of the chosen rows: in all, per first-facet value and per cell (as
    count_and_sum), for the first-facet values from `low` to `high` only (so the seen-bitmaps, a bit per
    value and organisation, stay small however many there are)."""
    span = high - low
    seen = np.zeros((org_count + 7) // 8, np.uint8)
    seen1 = np.zeros((span * org_count + 7) // 8, np.uint8)
    seen2 = np.zeros((span * width2 * org_count + 7) // 8, np.uint8)
    total = 0
    partners1 = np.zeros(width1, np.int64)
    partners2 = np.zeros(width1 * width2, np.int64)
    for row in range(len(chosen)):
        if not chosen[row]:
            continue
        first_org, end_org = org_starts[row], org_starts[row + 1]
        for i in range(first_org, end_org):
            bit = orgs[i]
            if not seen[bit >> 3] & (1 << (bit & 7)):
                seen[bit >> 3] |= 1 << (bit & 7)
                total += 1
        for x in range(starts1[row], starts1[row + 1]):
            key = values1[x]
            if key < low or key >= high:
                continue
            for i in range(first_org, end_org):
                bit = (key - low) * org_count + orgs[i]
                if not seen1[bit >> 3] & (1 << (bit & 7)):
                    seen1[bit >> 3] |= 1 << (bit & 7)
                    partners1[key] += 1
            for y in range(starts2[row], starts2[row + 1]):
                cell = key * width2 + values2[y]
                for i in range(first_org, end_org):
                    bit = ((key - low) * width2 + values2[y]) * org_count + orgs[i]
                    if not seen2[bit >> 3] & (1 << (bit & 7)):
                        seen2[bit >> 3] |= 1 << (bit & 7)
                        partners2[cell] += 1
    return total, partners1, partners2
