"""The reporting cycle as pure date arithmetic, and through the services with a frozen clock: cycle
boundaries, leap years, time zones (datetimes aware, stored in UTC)."""

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from partnerhub.reporting.compliance import compliance_refresh, registration_day
from partnerhub.reporting.cycle import add_months, reminder_due, standing
from partnerhub.reporting.models import Compliance


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day to a common year
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # to the next leap year
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # month end into a leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2023, 11, 15), 3, date(2024, 2, 15)),  # across the year
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


ANNUAL = {"registered": date(2024, 2, 29), "last_period_end": None, "cycle_months": 12}


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2024, 2, 29), "reported"),  # first cycle
        (date(2025, 1, 28), "reported"),  # 31 days before the due date (28 Feb 2025)
        (date(2025, 1, 29), "due_soon"),  # 30 days before
        (date(2025, 2, 27), "due_soon"),
        (date(2025, 2, 28), "overdue"),  # on the due date it is late
        (date(2026, 2, 27), "overdue"),
        (date(2026, 2, 28), "inactive"),  # two years: inactive wins over "two cycles late"
    ],
)
def test_annual_cycle_boundaries_from_a_leap_day(today, status):
    assert standing(today=today, **ANNUAL).status == status


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2025, 12, 31), "reported"),
        (date(2026, 1, 1), "due_soon"),  # due 31 Jan 2026
        (date(2026, 1, 31), "overdue"),
        (date(2026, 7, 30), "overdue"),
        (date(2026, 7, 31), "seriously_overdue"),  # a second cycle missed (due + 6 months)
        (date(2027, 7, 30), "seriously_overdue"),
        (date(2027, 7, 31), "inactive"),
    ],
)
def test_semi_annual_cycle_shows_seriously_overdue_before_inactive(today, status):
    result = standing(registered=date(2025, 7, 31), last_period_end=None, cycle_months=6, today=today)
    assert result.status == status


def test_an_accepted_report_moves_the_anchor_and_reactivates():
    inactive = standing(
        registered=date(2020, 1, 1), last_period_end=None, cycle_months=12, today=date(2024, 6, 1)
    )
    assert inactive.status == "inactive"
    resumed = standing(
        registered=date(2020, 1, 1),
        last_period_end=date(2024, 5, 31),
        cycle_months=12,
        today=date(2024, 6, 1),
    )
    assert (resumed.status, resumed.anchor, resumed.due_date) == (
        "reported",
        date(2024, 5, 31),
        date(2025, 5, 31),
    )


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (date(2025, 1, 28), None),
        (date(2025, 1, 29), "before_30"),
        (date(2025, 2, 28), "on_due"),
        (date(2025, 3, 30), "after_30"),
        (date(2025, 5, 29), "after_90"),
        (date(2026, 1, 1), "after_90"),
    ],
)
def test_the_reminder_due_is_the_latest_whose_day_has_come(today, kind):
    assert reminder_due(due_date=date(2025, 2, 28), today=today) == kind


def test_registration_day_is_the_local_date_of_an_aware_utc_datetime(settings):
    published = datetime(2024, 2, 29, 3, 30, tzinfo=UTC)
    assert registration_day(published) == date(2024, 2, 29)
    settings.TIME_ZONE = "America/New_York"  # 22:30 on 28 February there
    with timezone.override(ZoneInfo("America/New_York")):
        assert registration_day(published) == date(2024, 2, 28)


def test_the_job_uses_the_frozen_clock_across_a_cycle_boundary(world):
    """Stored datetimes are UTC; the job's "today" follows the clock and the site's time zone."""
    p = world.published
    p.published_at = datetime(2024, 2, 29, 12, tzinfo=UTC)
    p.save(update_fields=["published_at"])
    assert p.published_at.utcoffset() == timedelta(0)
    with time_machine.travel(datetime(2025, 2, 27, 23, 59, tzinfo=UTC), tick=False):
        compliance_refresh([p.pk])
        assert Compliance.objects.get(pk=p.pk).status == "due_soon"
    with time_machine.travel(datetime(2025, 2, 28, 0, 0, tzinfo=UTC), tick=False):
        compliance_refresh([p.pk])
        row = Compliance.objects.get(pk=p.pk)
        assert (row.status, row.due_date) == ("overdue", date(2025, 2, 28))


def test_an_import_starts_the_cycles_the_daily_job_would_compute(world):
    """compliance_start writes the statuses of a published import set-wise: the daily job then finds
    nothing to change, in the table or in the search facets, for every category's cycle."""
    from partnerhub.interop.services import import_file

    header = "title,summary,lead_organisation,lead_organisation_type,goals,countries,category,external_id\n"
    rows = [f'"Reefs {n}","Reef care.",Reef Trust,ngo,14,FJI,{category},R-{n}\n'
            for n, category in enumerate(["un_led", "other", "un_participating", "other"])]  # fmt: skip
    with time_machine.travel(datetime(2024, 2, 29, 12, tzinfo=UTC), tick=False):
        result = import_file(io.BytesIO((header + "".join(rows)).encode()), fmt="csv", publish=True)
        assert result.ok, result.problems
        assert Compliance.objects.filter(pk__in=result.ids).count() == 4
        assert compliance_refresh(result.ids) | {"counts": None} == {
            "counts": None,
            "created": 0,
            "changed": 0,
            "reindexed": 0,
        }


def test_statuses_started_on_another_day_than_the_documents_are_patched(world, monkeypatch):
    from partnerhub.interop.services import import_file
    from partnerhub.registry.models import SearchDocument
    from partnerhub.reporting import compliance

    text = "title,summary,lead_organisation,lead_organisation_type,goals,countries\nReefs,Reef care.,Reef Trust,ngo,14,FJI\n"
    started = []
    start = compliance.compliance_start

    def two_years_on(ids):  # the import's documents were built in 2024, its statuses are started in 2026
        with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False):
            started.append(start(ids))

    monkeypatch.setattr(compliance, "compliance_start", two_years_on)
    with time_machine.travel(datetime(2024, 2, 29, 12, tzinfo=UTC), tick=False):
        result = import_file(io.BytesIO(text.encode()), fmt="csv", publish=True)
    assert result.ok and started == [1]
    assert Compliance.objects.get(pk=result.ids[0]).status == "inactive"
    assert "compliance:inactive" in SearchDocument.objects.get(pk=result.ids[0]).facets.split()


STATUS_ORDER = ["reported", "due_soon", "overdue", "seriously_overdue", "inactive"]


@given(
    registered=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    months=st.sampled_from([3, 6, 12, 18, 24, 36]),
    days=st.lists(st.integers(0, 2000), min_size=2, max_size=6),
)
def test_a_status_only_moves_on_as_days_pass(registered, months, days):
    """compliance_start relies on it: the same status on two days means the same on every day between."""
    first = {"registered": registered, "last_period_end": None, "cycle_months": months}
    statuses = [standing(**first, today=registered + timedelta(days=d)).status for d in sorted(days)]
    ranks = [STATUS_ORDER.index(status) for status in statuses]
    assert ranks == sorted(ranks)
