"""The reporting cycle and the compliance status, as pure functions of dates (no database, no clock).

A published partnership owes a progress report every `cycle` months. The schedule is anchored on its
registration (the day it was published) or, once it has reported, on the end of the period its latest
accepted report covers: the next report is due `cycle` months after the anchor. On a given day:

- reported            the next report is more than 30 days away (an accepted report covers the cycle, or
                      the partnership is still in its first cycle);
- due soon            the due date is 30 days away or less;
- overdue             the due date has passed, by less than one cycle;
- seriously overdue   the due date has passed by one cycle or more (two reports are missing);
- inactive            nothing reported within two years of the anchor (takes precedence: with the annual
                      default cycle a partnership goes from overdue straight to inactive at two years);
- delisted            set by the secretariat, with a reason; never computed.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

REMINDER_OFFSETS = {"before_30": -30, "on_due": 0, "after_30": 30, "after_90": 90}
DUE_SOON_DAYS = 30
INACTIVE_MONTHS = 24


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has fewer days (29 Feb + 12 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Standing:
    status: str
    anchor: date
    due_date: date


@lru_cache(maxsize=4096)
def standing(*, registered: date, last_period_end: date | None, cycle_months: int, today: date) -> Standing:
    """Where a listed partnership stands on `today` (see the module docstring for the rules). Memoised:
    the daily job, an import or a reindex asks it of thousands of partnerships registered, and reporting,
    on the same days."""
    anchor = max(registered, last_period_end) if last_period_end else registered
    due = add_months(anchor, cycle_months)
    if today >= add_months(anchor, INACTIVE_MONTHS):
        status = "inactive"
    elif today >= add_months(due, cycle_months):
        status = "seriously_overdue"
    elif today >= due:
        status = "overdue"
    elif today >= due - timedelta(days=DUE_SOON_DAYS):
        status = "due_soon"
    else:
        status = "reported"
    return Standing(status=status, anchor=anchor, due_date=due)


def reminder_due(*, due_date: date, today: date) -> str | None:
    """The reminder that should have gone out by `today` for this due date: the latest one whose day has
    come (a worker that was down for a week sends the current reminder, not the ones it missed)."""
    latest = None
    for kind, offset in REMINDER_OFFSETS.items():
        if today >= due_date + timedelta(days=offset):
            latest = kind
    return latest
