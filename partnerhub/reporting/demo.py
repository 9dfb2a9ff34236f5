"""Demo reporting histories, relative to today so that every status shows whenever the demo is loaded:
up to date, due soon, overdue with a returned report, seriously overdue (UN-led, six-month cycle), inactive,
delisted, a report awaiting review, and a registry entry that resumed reporting."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.utils import timezone

from partnerhub.registry.models import Partnership
from partnerhub.registry.search.index import index_partnerships

from . import services
from .compliance import compliance_refresh, send_due_reminders
from .cycle import add_months
from .models import Compliance, ComplianceStatus, Report

# title → (months since publication (negative days allowed as a timedelta), reports, delisted reason)
STORIES = {
    "Pulse Polio Immunization Programme": (13, [("accepted", 13, 1)], ""),
    "Angat Buhay anti-poverty partnership": (14, [("returned", 14, 2)], ""),
    "MicroStart and the creation of XacBank": (13, [], ""),
    "EGBOK hospitality training for underserved young adults": (timedelta(days=355), [], ""),
    "Pro-poor solid waste management in secondary cities": (30, [], ""),
    "NGO Forum on Cambodia network assessment": (
        40,
        [],
        "No progress report in over three years and no reply to three follow-ups.",
    ),
    "High Seas Alliance for ocean governance": (13, [("submitted", 13, 1)], ""),
    "Youth voices in SDG partnerships": (36, [("accepted", 13, 1)], ""),
}


def _ago(today: date, months) -> date:
    return today - months if isinstance(months, timedelta) else add_months(today, -months)


def _written(partnership: Partnership) -> bool:
    """Whether a story was written by an earlier load: its reports, or its delisting, are there. (A story
    of neither, only back-dated, is written again: it stays relative to today.)"""
    delisted = Compliance.objects.filter(pk=partnership.pk, status=ComplianceStatus.DELISTED)
    return partnership.reports.exists() or delisted.exists()


def demo_reporting() -> int:
    """Write the stories once (idempotent); returns the number of partnerships given a history."""
    User = get_user_model()
    curator = User.objects.get(username="secretariat")
    today = timezone.localdate()
    done = 0
    for title, (published, reports, delisted) in STORIES.items():
        partnership = Partnership.objects.filter(title=title, status=Partnership.Status.PUBLISHED).first()
        if partnership is None or _written(partnership):
            continue
        day = _ago(today, published)
        Partnership.objects.filter(pk=partnership.pk).update(
            published_at=timezone.make_aware(datetime.combine(day, time(9, 0)))
        )
        partnership.refresh_from_db()
        author = partnership.focal_points.first() or curator
        for state, start_months, end_months in reports:
            deliverables = list(partnership.deliverables.all())
            report = services.report_create(
                partnership=partnership,
                author=author,
                data=services.ReportData(
                    period_start=max(day, add_months(today, -start_months)),
                    period_end=add_months(today, -end_months),
                    overall_status=Report.Overall.ON_TRACK,
                    summary="Activities ran as planned in the period; see the deliverables and figures below.",
                    challenges="Staff turnover in two districts slowed the second quarter.",
                    lessons="Joint monitoring visits with local government built trust faster than reports.",
                    deliverables=[
                        services.ProgressData(
                            deliverable=d, status=d.status, percent=50 if d.status == "in_progress" else None
                        )
                        for d in deliverables
                    ],
                    beneficiaries=[
                        services.BeneficiaryData(
                            organisation=partnership.partners.get(role="lead").organisation,
                            group="People reached directly",
                            total=12000,
                            women=6500,
                            men=5500,
                        )
                    ],
                ),
            )
            if state == "draft":
                continue
            services.report_submit(report=report, author=author)
            if state == "accepted":
                services.report_accept(
                    report=report, reviewer=curator, comment="Thank you: clear and complete."
                )
            elif state == "returned":
                services.report_return(
                    report=report,
                    reviewer=curator,
                    comment="Add the indicator values for the period and the resources each partner mobilised.",
                )
        compliance_refresh([partnership.pk])
        index_partnerships([partnership.pk])  # the search document shows the (back-dated) publication
        if delisted:
            services.delist(partnership=partnership, actor=curator, reason=delisted)
        done += 1
    compliance_refresh()
    # The reminders due today are recorded (the worker would send them); the demo does not mail anyone.
    send_due_reminders(connection=get_connection("django.core.mail.backends.locmem.EmailBackend"))
    return done
