"""Writing progress reports and running their workflow; delisting and follow-up by the secretariat.

Every write validates everything first and raises ValidationError with field-level messages (keys such as
"period_end" or "beneficiaries.1.women") before it changes anything; each runs in one transaction.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.core.errors import FieldErrors
from partnerhub.core.services import save_by, version_bump
from partnerhub.lifecycle.uploads import validate_document
from partnerhub.reference.models import Currency, Indicator
from partnerhub.registry.models import Commitment, Deliverable, Organisation, Partnership

from .compliance import compliance_refresh, search_status_sync
from .models import (
    BeneficiaryCount,
    Compliance,
    ComplianceStatus,
    DeliverableProgress,
    IndicatorValue,
    Reminder,
    Report,
    ReportAttachment,
    ReportEvent,
    ResourceMobilised,
)
from .tasks import notify_report_event

Status = Report.Status


@dataclass
class ProgressData:
    deliverable: Deliverable
    status: str
    percent: int | None = None
    note: str = ""


@dataclass
class IndicatorValueData:
    organisation: Organisation
    value: Decimal
    date: date
    indicator: Indicator | None = None
    label: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None


@dataclass
class BeneficiaryData:
    organisation: Organisation
    group: str
    total: int
    women: int | None = None
    men: int | None = None
    children: int | None = None
    youth: int | None = None
    adults: int | None = None
    older: int | None = None
    with_disability: int | None = None


@dataclass
class ResourceData:
    organisation: Organisation
    kind: str
    amount: Decimal | None = None
    currency: Currency | None = None
    description: str = ""


@dataclass
class ReportData:
    period_start: date
    period_end: date
    overall_status: str
    summary: str
    challenges: str = ""
    lessons: str = ""
    is_public: bool = True
    # None leaves a list as it is; a list replaces the rows the author may write.
    deliverables: list[ProgressData] | None = None
    indicator_values: list[IndicatorValueData] | None = None
    beneficiaries: list[BeneficiaryData] | None = None
    resources: list[ResourceData] | None = None


SCALARS = ("period_start", "period_end", "overall_status", "summary", "challenges", "lessons", "is_public")
FIGURES: dict[str, Any] = {
    "indicator_values": IndicatorValue,
    "beneficiaries": BeneficiaryCount,
    "resources": ResourceMobilised,
}


def _validate(
    partnership: Partnership, data: ReportData, errors: FieldErrors, *, report: Report | None
) -> None:
    today = timezone.localdate()
    if not data.summary.strip():
        errors.add("summary", _("Say what progress the partnership made in the period."))
    if data.overall_status not in Report.Overall.values:
        errors.add("overall_status", _("Choose on track, off track, completed or cancelled."))
    if data.period_start and data.period_end:
        if data.period_end < data.period_start:
            errors.add("period_end", _("The period must end on or after its start."))
        if data.period_end > today:
            errors.add("period_end", _("A report covers a period that has ended (today at the latest)."))
        overlap = (
            Report.objects.filter(partnership=partnership, status=Status.ACCEPTED)
            .filter(period_start__lte=data.period_end, period_end__gte=data.period_start)
            .exclude(pk=report.pk if report else 0)
            .first()
        )
        if overlap:
            errors.add(
                "period_start",
                _("The period overlaps the accepted report for %(start)s – %(end)s.")
                % {"start": overlap.period_start.isoformat(), "end": overlap.period_end.isoformat()},
            )
    deliverable_ids = set(partnership.deliverables.values_list("pk", flat=True))
    seen: set[int] = set()
    for i, d in enumerate(data.deliverables or []):
        key = f"deliverables.{i}"
        if d.deliverable.pk not in deliverable_ids:
            errors.add(f"{key}.deliverable", _("This deliverable belongs to another partnership."))
        if d.deliverable.pk in seen:
            errors.add(f"{key}.deliverable", _("Each deliverable is reported once."))
        seen.add(d.deliverable.pk)
        if d.status not in Deliverable.Status.values:
            errors.add(f"{key}.status", _("Choose one of the deliverable statuses."))
        if d.percent is not None and not 0 <= d.percent <= 100:
            errors.add(f"{key}.percent", _("Give a percentage between 0 and 100."))
    for i, v in enumerate(data.indicator_values or []):
        key = f"indicator_values.{i}"
        if v.indicator is None and not v.label.strip():
            errors.add(f"{key}.label", _("Choose an SDG indicator or name your own."))
        if v.date and v.date > today:
            errors.add(f"{key}.date", _("A value is measured on a past date."))
    for i, b in enumerate(data.beneficiaries or []):
        key = f"beneficiaries.{i}"
        if not b.group.strip():
            errors.add(f"{key}.group", _("Say who was reached."))
        if b.total is None or b.total < 0:
            errors.add(f"{key}.total", _("Give the number of people reached."))
            continue
        for name in (*BeneficiaryCount.SEX, *BeneficiaryCount.AGE, "with_disability"):
            value = getattr(b, name)
            if value is not None and value < 0:
                errors.add(f"{key}.{name}", _("A count cannot be negative."))
        for dimension, names in (("women", BeneficiaryCount.SEX), ("children", BeneficiaryCount.AGE)):
            parts = sum(getattr(b, n) or 0 for n in names)
            if parts > b.total:
                errors.add(
                    f"{key}.{dimension}",
                    _("The breakdown (%(parts)d) is larger than the total (%(total)d).")
                    % {"parts": parts, "total": b.total},
                )
        if (b.with_disability or 0) > b.total:
            errors.add(f"{key}.with_disability", _("This is larger than the total."))
    for i, r in enumerate(data.resources or []):
        key = f"resources.{i}"
        if r.kind not in Commitment.Kind.values:
            errors.add(f"{key}.kind", _("A resource is either financial or in kind."))
        if r.amount is not None and r.amount < 0:
            errors.add(f"{key}.amount", _("An amount cannot be negative."))
        if r.amount is not None and r.currency is None:
            errors.add(f"{key}.currency", _("Give the currency of the amount."))
        if r.kind == Commitment.Kind.FINANCIAL and r.amount is None:
            errors.add(f"{key}.amount", _("A financial resource needs an amount and a currency."))
        if r.kind == Commitment.Kind.IN_KIND and not r.description.strip():
            errors.add(f"{key}.description", _("Describe the contribution in kind."))


def _check_figure_owners(
    data: ReportData, partnership: Partnership, allowed: set[int] | None, errors: FieldErrors
) -> None:
    partner_orgs = set(partnership.partners.values_list("organisation_id", flat=True))
    for name in FIGURES:
        for i, row in enumerate(getattr(data, name) or []):
            org = row.organisation.pk
            if org not in partner_orgs:
                errors.add(f"{name}.{i}.organisation", _("This organisation is not a partner."))
            elif allowed is not None and org not in allowed:
                errors.add(
                    f"{name}.{i}.organisation", _("You can only report your own organisation's figures.")
                )


def _write_figures(report: Report, data: ReportData, allowed: set[int] | None) -> None:
    for name, model in FIGURES.items():
        rows = getattr(data, name)
        if rows is None:
            continue
        current = model.objects.filter(report=report)
        if allowed is not None:
            current = current.filter(organisation_id__in=allowed)
        current.delete()
        model.objects.bulk_create([model(report=report, **vars(row)) for row in rows])


def _write_progress(report: Report, rows: list[ProgressData] | None) -> None:
    if rows is None:
        return
    report.deliverables.all().delete()
    DeliverableProgress.objects.bulk_create(
        [
            DeliverableProgress(
                report=report,
                deliverable=r.deliverable,
                status=r.status,
                percent=r.percent,
                note=r.note.strip(),
            )
            for r in rows
        ]
    )


@transaction.atomic
def report_create(*, partnership: Partnership, author: User, data: ReportData) -> Report:
    """Start a progress report (a draft) for a published partnership."""
    errors = FieldErrors()
    if partnership.status != Partnership.Status.PUBLISHED:
        errors.add("partnership", _("Only published partnerships report progress."))
    _validate(partnership, data, errors, report=None)
    _check_figure_owners(data, partnership, None, errors)
    errors.raise_if_any()
    report = Report(partnership=partnership, created_by=author)
    for name in SCALARS:
        setattr(report, name, getattr(data, name))
    save_by(report, author)
    _write_progress(report, data.deliverables)
    _write_figures(report, data, None)
    return report


@transaction.atomic
def report_update(
    *,
    report: Report,
    author: User,
    data: ReportData,
    version: int | None = None,
    own_only: set[int] | None = None,
) -> Report:
    """Change a draft or returned report. `own_only` = the organisations a contributor may write for: they
    change only those rows of figures, never the narrative or the deliverables."""
    errors = FieldErrors()
    if not report.is_editable:
        errors.add("status", _("A submitted or accepted report cannot be changed."))
    if own_only is not None:
        current = report_data_of(report)
        for name in (*SCALARS, "deliverables"):
            setattr(data, name, getattr(current, name) if name in SCALARS else None)
    _validate(report.partnership, data, errors, report=report)
    _check_figure_owners(data, report.partnership, own_only, errors)
    errors.raise_if_any()
    version_bump(instance=report, expected=version)
    for name in SCALARS:
        setattr(report, name, getattr(data, name))
    save_by(report, author)
    _write_progress(report, data.deliverables)
    _write_figures(report, data, own_only)
    return report


def report_data_of(report: Report) -> ReportData:
    return ReportData(**{name: getattr(report, name) for name in SCALARS})


@transaction.atomic
def report_delete(*, report: Report, author: User) -> None:
    if report.status == Status.ACCEPTED:
        raise ValidationError({"status": [_("An accepted report stays on record.")]})
    report._history_user = author  # type: ignore[attr-defined]
    report.delete()


@transaction.atomic
def attachment_add(*, report: Report, author: User, upload: UploadedFile) -> ReportAttachment:
    if not report.is_editable:
        raise ValidationError({"file": [_("A submitted or accepted report cannot be changed.")]})
    try:
        content_type = validate_document(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    attachment = ReportAttachment(
        report=report,
        name=PurePath(upload.name or "").name[:255],
        content_type=content_type,
        uploaded_by=author,
    )
    suffix = PurePath(upload.name or "").suffix.lower()
    attachment.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    attachment.save()
    return attachment


def _transition(
    report: Report, *, actor: User, allowed: tuple[str, ...], to: str, comment: str = ""
) -> Report:
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status not in allowed:
        raise ValidationError(
            {"status": [_("This is not possible while the report is “%(status)s”.")
                        % {"status": current.get_status_display()}]}
        )  # fmt: skip
    event = ReportEvent.objects.create(
        report=report, actor=actor, from_status=current.status, to_status=to, comment=comment.strip()
    )
    report.status = to
    now = timezone.now()
    if to == Status.SUBMITTED:
        report.submitted_at = now
    else:
        report.decided_at = now
    save_by(report, actor)
    transaction.on_commit(lambda: notify_report_event.enqueue(event_id=event.pk))
    return report


@transaction.atomic
def report_submit(*, report: Report, author: User) -> Report:
    """The focal point sends the report to the secretariat."""
    errors = FieldErrors()
    if not report.deliverables.exists() and report.partnership.deliverables.exists():
        errors.add("deliverables", _("Report the progress of the partnership's deliverables."))
    errors.raise_if_any()
    return _transition(report, actor=author, allowed=(Status.DRAFT, Status.RETURNED), to=Status.SUBMITTED)


@transaction.atomic
def report_accept(*, report: Report, reviewer: User, comment: str = "") -> Report:
    """Accept a submitted report: the reporting cycle restarts from the end of its period, and a delisted
    registry entry that reports again is listed again (UN-led ones stay until the secretariat decides)."""
    _transition(report, actor=reviewer, allowed=(Status.SUBMITTED,), to=Status.ACCEPTED, comment=comment)
    partnership = report.partnership
    compliance = Compliance.objects.filter(pk=partnership.pk).first()
    if (
        compliance
        and compliance.status == ComplianceStatus.DELISTED
        and partnership.category != Partnership.Category.UN_LED
    ):
        _relist(compliance, actor=reviewer, reason=_("Reporting resumed: report accepted."))
    compliance_refresh([partnership.pk])
    return report


@transaction.atomic
def report_return(*, report: Report, reviewer: User, comment: str) -> Report:
    if not comment.strip():
        raise ValidationError({"comment": [_("Say what the focal point should change.")]})
    return _transition(
        report, actor=reviewer, allowed=(Status.SUBMITTED,), to=Status.RETURNED, comment=comment
    )


def ensure_compliance(partnership: Partnership) -> None:
    """Start the reporting cycle of a newly published partnership (registry.signals.status_changed)."""
    compliance_refresh([partnership.pk])


@transaction.atomic
def delist(*, partnership: Partnership, actor: User, reason: str) -> Compliance:
    """Take a partnership out of the registry's default search and counts; its page stays, with a banner."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for delisting.")]})
    if partnership.status != Partnership.Status.PUBLISHED:
        raise ValidationError({"status": [_("Only published partnerships can be delisted.")]})
    compliance_refresh([partnership.pk])
    compliance = Compliance.objects.select_for_update().get(pk=partnership.pk)
    if compliance.status == ComplianceStatus.DELISTED:
        raise ValidationError({"status": [_("This partnership is already delisted.")]})
    compliance.status = ComplianceStatus.DELISTED
    compliance.delisted_at = timezone.now()
    compliance.delisted_by = actor
    compliance.delisted_reason = reason.strip()
    save_by(compliance, actor)
    search_status_sync({partnership.pk: ComplianceStatus.DELISTED})
    return compliance


def _relist(compliance: Compliance, *, actor: User | None, reason: str) -> None:
    compliance.status = ComplianceStatus.REPORTED  # recomputed right after
    compliance.delisted_at = None
    compliance.delisted_by = None
    compliance.delisted_reason = ""
    compliance._change_reason = reason  # type: ignore[attr-defined]
    save_by(compliance, actor)


@transaction.atomic
def relist(*, partnership: Partnership, actor: User) -> Compliance:
    compliance = Compliance.objects.select_for_update().filter(pk=partnership.pk).first()
    if compliance is None or compliance.status != ComplianceStatus.DELISTED:
        raise ValidationError({"status": [_("This partnership is not delisted.")]})
    _relist(compliance, actor=actor, reason=_("Listed again by the secretariat."))
    compliance_refresh([partnership.pk])  # recomputes the status and the search facet
    compliance.refresh_from_db()
    return compliance


@transaction.atomic
def follow_up(*, partnership_ids: list[int], actor: User, message: str) -> int:
    """The secretariat's follow-up to the focal points of the chosen partnerships (recorded for each).
    Returns the number of e-mails sent."""
    if not message.strip():
        raise ValidationError({"message": [_("Write the message to send.")]})
    rows = list(
        Compliance.objects.filter(pk__in=partnership_ids)
        .select_related("partnership")
        .prefetch_related("partnership__focal_points")
    )
    if not rows:
        raise ValidationError({"partnerships": [_("Choose at least one partnership.")]})
    now = timezone.now()
    base = settings.SITE_URL.rstrip("/")
    messages, records = [], []
    for c in rows:
        to = [u.email for u in c.partnership.focal_points.all() if u.email]
        link = base + reverse("reporting:report_create", args=[c.pk])
        subject = _("Follow-up on the progress reports of “%(title)s”") % {"title": c.partnership.title}
        if to:
            messages.append(
                EmailMessage(
                    subject, f"{message.strip()}\n\n{link}", None, to, cc=[settings.SECRETARIAT_EMAIL]
                )
            )
        records.append(
            Reminder(
                partnership_id=c.pk, due_date=c.due_date, kind=Reminder.Kind.FOLLOW_UP,
                recipients=", ".join(to), message=message.strip(), sent_by=actor, sent_at=now,
            )
        )  # fmt: skip
    Reminder.objects.bulk_create(records)
    transaction.on_commit(lambda: get_connection().send_messages(messages))
    return len(messages)
