"""The compliance job: recompute every listed partnership's reporting status, keep the search facets in
step, and send the reminders that are due. Set-based, so that it runs over 100,000 partnerships in seconds
(bench/compliance.py), and idempotent: a second run on the same day changes nothing and sends nothing.
"""

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Concat, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.core.bulk import Inserter, id_sets
from partnerhub.registry.models import Partnership, SearchDocument
from partnerhub.registry.search.engines import current_engine

from .cycle import reminder_due, standing
from .models import Compliance, ComplianceStatus, Reminder, Report

log = logging.getLogger(__name__)
CHUNK = 5000
_TOKEN = re.compile(r"(?:^| )compliance:(\w+)")


def cycle_months(category: str, override: int | None) -> int:
    return override or settings.REPORTING_CYCLE_MONTHS.get(category, 12)


def registration_day(published_at: datetime | None) -> date:
    """The day a partnership was registered (published), in the site's time zone (TIME_ZONE, read once:
    the active zone is looked up through a context-local, which cost an import a tenth of its time)."""
    return timezone.localdate(published_at, timezone.get_default_timezone()) if published_at else site_today()


def site_today() -> date:
    """Today in the site's time zone (what `timezone.localdate` gives, in a third of its time: the search
    facet of every partnership an import or a reindex writes asks it)."""
    return datetime.now(timezone.get_default_timezone()).date()


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rows(ids: Iterable[int] | None):
    published = Partnership.objects.filter(status=Partnership.Status.PUBLISHED)
    if ids is not None:
        published = published.filter(_id_filter(list(ids)))
    return published.annotate(
        last_end=Max("reports__period_end", filter=Q(reports__status=Report.Status.ACCEPTED)),
    ).values_list(
        "pk", "category", "published_at", "last_end",
        "compliance__status", "compliance__cycle_months", "compliance__anchor", "compliance__due_date",
    )  # fmt: skip


def _id_filter(ids: list[int]) -> Q:
    """These ids; a run of consecutive ids (what an import creates) as a range, not a list of parameters
    each prepared on its own."""
    if ids and max(ids) - min(ids) + 1 == len(set(ids)):
        return Q(pk__gte=min(ids), pk__lte=max(ids))
    return Q(pk__in=ids)


def search_status_sync(new_status: dict[int, str]) -> list[int]:
    """Rewrite the `compliance:` facet token of these partnerships' search documents where it differs
    (a few UPDATEs grouped by old and new value, not one write per row) and tell the search engine;
    returns the ids changed."""
    groups: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    for chunk in _chunks(list(new_status)):
        for pk, facets in SearchDocument.objects.filter(_id_filter(chunk)).values_list("pk", "facets"):
            found = _TOKEN.search(facets)
            old = found.group(1) if found else None
            if old != new_status[pk]:
                groups[(old, new_status[pk])].append(pk)
    changed: list[int] = []
    for (old, new), ids in groups.items():
        value = (
            Replace(F("facets"), Value(f"compliance:{old}"), Value(f"compliance:{new}"))
            if old
            else Concat(F("facets"), Value(f" compliance:{new}"))
        )
        for chunk in _chunks(ids):
            SearchDocument.objects.filter(pk__in=chunk).update(facets=value)
        changed += ids
    if changed:
        current_engine().changed(changed)
    return changed


@transaction.atomic
def compliance_refresh(ids: Iterable[int] | None = None, *, today: date | None = None) -> dict:
    """Recompute the status of these published partnerships (all when None) for `today`; returns counts."""
    today = today or site_today()
    to_create: list[Compliance] = []
    changed: dict[tuple[str, date, date], list[int]] = defaultdict(list)
    statuses: dict[int, str] = {}
    for pk, category, published_at, last_end, status, override, anchor, due in _rows(ids).iterator(CHUNK):
        if status == ComplianceStatus.DELISTED:
            statuses[pk] = status  # only the secretariat lists it again (or an accepted report)
            continue
        now = standing(
            registered=registration_day(published_at),
            last_period_end=last_end,
            cycle_months=cycle_months(category, override),
            today=today,
        )
        statuses[pk] = now.status
        if status is None:
            to_create.append(
                Compliance(partnership_id=pk, status=now.status, anchor=now.anchor, due_date=now.due_date)
            )
        elif (status, anchor, due) != (now.status, now.anchor, now.due_date):
            changed[(now.status, now.anchor, now.due_date)].append(pk)
    rows = Inserter(Compliance)  # (bulk_create prepares every value of every row on its own)
    with connection.cursor() as cursor:
        for chunk in _chunks(to_create, 2000):
            for row in chunk:
                rows.add(row)
            rows.flush(cursor)
    for (status, anchor, due), pks in changed.items():
        for chunk in _chunks(pks):
            Compliance.objects.filter(pk__in=chunk).update(status=status, anchor=anchor, due_date=due)
    patched = search_status_sync(statuses)
    counts = dict.fromkeys(ComplianceStatus.values, 0)
    for status in statuses.values():
        counts[status] += 1
    return {
        "counts": counts,
        "created": len(to_create),
        "changed": sum(map(len, changed.values())),
        "reindexed": len(patched),
    }


@transaction.atomic
def compliance_start(ids: list[int]) -> int:
    """Start the reporting cycles of partnerships an import has just published. None has a report or a
    status yet, so those of one category published at one moment stand alike: their statuses are written
    by the database, a statement for each such group, instead of row by row (compliance_refresh took a
    tenth of a large import). The import's search documents carry the statuses of the days they were
    built on (`selectors.current_standing`), from the day of publication to today; if a group's status
    changed in between, the documents that carry another one are patched. Returns the number of statuses
    written."""
    if not ids:
        return 0
    today = site_today()
    published = Partnership.objects.filter(_id_filter(ids), status=Partnership.Status.PUBLISHED)
    groups = list(published.order_by().values_list("category", "published_at").distinct())
    partnerships, compliance = Partnership._meta.db_table, Compliance._meta.db_table
    documents = SearchDocument._meta.db_table
    written, stale = 0, {}
    with connection.cursor() as cursor:
        for category, published_at in groups:
            first = {"registered": registration_day(published_at), "last_period_end": None,
                     "cycle_months": cycle_months(category, None)}  # fmt: skip
            now = standing(**first, today=today)
            # A status only ever moves on (reported, due soon, … inactive): the same on the day of
            # publication as today, it was the same on every day a document was built.
            unchanged = standing(**first, today=first["registered"]).status == now.status
            moment = connection.ops.adapt_datetimefield_value(published_at)
            for where, id_params in id_sets("p.id", ids):
                group = f"{where} AND p.status = %s AND p.category = %s AND p.published_at = %s"
                params = [*id_params, Partnership.Status.PUBLISHED, category, moment]
                cursor.execute(
                    f"INSERT INTO {compliance} (partnership_id, status, anchor, due_date, delisted_reason) "
                    f"SELECT p.id, %s, %s, %s, '' FROM {partnerships} p WHERE {group} AND NOT EXISTS "
                    f"(SELECT 1 FROM {compliance} c WHERE c.partnership_id = p.id)",
                    [
                        now.status,
                        *map(connection.ops.adapt_datefield_value, (now.anchor, now.due_date)),
                        *params,
                    ],
                )
                written += cursor.rowcount
                if unchanged:
                    continue
                cursor.execute(
                    f"SELECT p.id FROM {partnerships} p JOIN {documents} d ON d.partnership_id = p.id "
                    f"WHERE {group} AND (' ' || d.facets || ' ') NOT LIKE %s",
                    [*params, f"% compliance:{now.status} %"],
                )
                stale.update(dict.fromkeys((pk for (pk,) in cursor.fetchall()), now.status))
    if stale:
        search_status_sync(stale)
    return written


def _reminder_text(kind: str, title: str, due: date, link: str) -> tuple[str, str]:
    subject = {
        "before_30": _("Progress report due in 30 days: %(title)s"),
        "on_due": _("Progress report due today: %(title)s"),
        "after_30": _("Progress report 30 days overdue: %(title)s"),
        "after_90": _("Progress report 90 days overdue: %(title)s"),
    }[kind] % {"title": title}
    body = _(
        "The next progress report of “%(title)s” is due on %(due)s.\n\n"
        "Report on the period since the last report: progress per deliverable, indicator values, people "
        "reached and resources mobilised. Partnerships that do not report for two years are shown as "
        "inactive.\n\n%(link)s"
    ) % {"title": title, "due": due.isoformat(), "link": link}
    return subject, body


def send_due_reminders(*, today: date | None = None, connection=None) -> int:
    """Send each focal point the reminder due today (30 days before, on, 30 and 90 days after the due
    date), once: every reminder is recorded, unique per partnership, due date and kind. Partnerships
    whose report awaits the secretariat's review are not reminded. Returns the number of e-mails sent."""
    today = today or site_today()
    candidates: dict[tuple[int, date, str], None] = {}
    rows = Compliance.objects.exclude(status=ComplianceStatus.DELISTED).filter(
        partnership__status=Partnership.Status.PUBLISHED
    )
    for pk, due in rows.values_list("pk", "due_date").iterator(CHUNK):
        kind = reminder_due(due_date=due, today=today)
        if kind:
            candidates[(pk, due, kind)] = None
    if not candidates:
        return 0
    earliest = min(due for _pk, due, _kind in candidates)
    sent = set(
        Reminder.objects.filter(due_date__gte=earliest)
        .exclude(kind=Reminder.Kind.FOLLOW_UP)
        .values_list("partnership_id", "due_date", "kind")
    )
    waiting = set(
        Report.objects.filter(status=Report.Status.SUBMITTED).values_list("partnership_id", flat=True)
    )
    todo = [key for key in candidates if key not in sent and key[0] not in waiting]
    if not todo:
        return 0
    return _send(todo, connection or get_connection())


def _recipients(ids: list[int]) -> dict[int, list[str]]:
    through = Partnership.focal_points.through
    emails: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        for pid, email in through.objects.filter(partnership_id__in=chunk).values_list(
            "partnership_id", "user__email"
        ):
            if email:
                emails[pid].append(email)
    return emails


def _send(todo: list[tuple[int, date, str]], connection) -> int:
    ids = sorted({pk for pk, _due, _kind in todo})
    titles: dict[int, str] = {}
    for chunk in _chunks(ids):
        titles.update(Partnership.objects.filter(pk__in=chunk).values_list("pk", "title"))
    emails = _recipients(ids)
    base = settings.SITE_URL.rstrip("/")
    now = timezone.now()
    messages, records = [], []
    for pk, due, kind in todo:
        to = emails.get(pk, [])
        if to:
            link = base + reverse("reporting:report_create", args=[pk])
            subject, body = _reminder_text(kind, titles[pk], due, link)
            messages.append(EmailMessage(subject, body, None, to))
        records.append(
            Reminder(partnership_id=pk, due_date=due, kind=kind, recipients=", ".join(to), sent_at=now)
        )
    # Recorded first, in one transaction (a second run finds them); then sent.
    with transaction.atomic():
        Reminder.objects.bulk_create(records, batch_size=2000, ignore_conflicts=True)
    sent = 0
    for chunk in _chunks(messages, 500):
        sent += connection.send_messages(chunk) or 0
    log.info("reminders: %d recorded, %d e-mails sent", len(records), sent)
    return sent


def daily_job(*, today: date | None = None) -> dict:
    """What the worker runs once a day: statuses first, then the reminders they call for."""
    today = today or site_today()
    summary = compliance_refresh(today=today)
    summary["reminders"] = send_due_reminders(today=today)
    return summary
