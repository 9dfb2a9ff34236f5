"""Progress reports, the compliance status of every published partnership, and the reminders sent."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerhub.core.models import TimeStamped, Versioned
from partnerhub.lifecycle.models import private_storage
from partnerhub.reference.models import Currency, Indicator
from partnerhub.registry.models import Commitment, Deliverable, Organisation, Partnership


class ComplianceStatus(models.TextChoices):
    REPORTED = "reported", _("Up to date")
    DUE_SOON = "due_soon", _("Report due soon")
    OVERDUE = "overdue", _("Report overdue")
    SERIOUSLY_OVERDUE = "seriously_overdue", _("Seriously overdue")
    INACTIVE = "inactive", _("Inactive")
    DELISTED = "delisted", _("Delisted")


# The traffic light of each status (cards, pages, facets).
LIGHT = {
    "reported": "green",
    "due_soon": "green",
    "overdue": "yellow",
    "seriously_overdue": "red",
    "inactive": "red",
    "delisted": "grey",
}


class Compliance(models.Model):
    """Where a published partnership stands with its reporting. Recomputed by the daily job
    (reporting.services.compliance_refresh) and after every report decision."""

    partnership = models.OneToOneField(
        Partnership, primary_key=True, on_delete=models.CASCADE, related_name="compliance"
    )
    status = models.CharField(_("reporting status"), max_length=20, choices=ComplianceStatus.choices)
    cycle_months = models.PositiveSmallIntegerField(
        _("reporting cycle (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the cycle of the partnership's category."),
    )
    anchor = models.DateField(_("cycle starts"))
    due_date = models.DateField(_("next report due"))
    delisted_at = models.DateTimeField(null=True, blank=True)
    delisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delisted_reason = models.TextField(_("reason for delisting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.status}"

    @property
    def light(self) -> str:
        return LIGHT[self.status]


class Report(TimeStamped, Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with comments")

    class Overall(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        OFF_TRACK = "off_track", _("Off track")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    overall_status = models.CharField(_("overall status"), max_length=10, choices=Overall.choices)
    summary = models.TextField(_("progress in the period"))
    challenges = models.TextField(_("challenges"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Accepted public reports appear on the partnership's page.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            )
        ]
        indexes = [models.Index(fields=["partnership", "status", "-period_end"])]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DeliverableProgress(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deliverables")
    deliverable = models.ForeignKey(Deliverable, verbose_name=_("deliverable"), on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=12, choices=Deliverable.Status.choices)
    percent = models.PositiveSmallIntegerField(_("% complete"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "deliverable"], name="progress_unique_deliverable"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable}: {self.status}"


class ContributedFigure(models.Model):
    """A row a partner organisation adds to a report: contributors write their own organisation's rows
    before the focal point submits."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class IndicatorValue(ContributedFigure):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("SDG indicator"), null=True, blank=True, on_delete=models.PROTECT
    )
    label = models.CharField(_("own indicator"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    date = models.DateField(_("measured on"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False) | ~Q(label=""), name="indicator_value_named"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id or self.label}: {self.value}"


class BeneficiaryCount(ContributedFigure):
    """People reached, with optional breakdowns (each no larger than the total)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="beneficiaries")
    group = models.CharField(_("who"), max_length=255, help_text=_("For example: smallholder farmers."))
    total = models.PositiveIntegerField(_("people reached"))
    women = models.PositiveIntegerField(_("women and girls"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men and boys"), null=True, blank=True)
    children = models.PositiveIntegerField(_("under 15"), null=True, blank=True)
    youth = models.PositiveIntegerField(_("15–24"), null=True, blank=True)
    adults = models.PositiveIntegerField(_("25–64"), null=True, blank=True)
    older = models.PositiveIntegerField(_("65 and over"), null=True, blank=True)
    with_disability = models.PositiveIntegerField(_("with a disability"), null=True, blank=True)

    SEX = ("women", "men")
    AGE = ("children", "youth", "adults", "older")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.group}: {self.total}"


class ResourceMobilised(ContributedFigure):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=10, choices=Commitment.Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.ForeignKey(
        Currency, verbose_name=_("currency"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | (Q(amount__gte=0) & Q(currency__isnull=False)),
                name="resource_amount_with_currency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency_id}" if self.amount is not None else self.description


def report_attachment_path(instance: "ReportAttachment", filename: str) -> str:
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_attachment_path, storage=private_storage)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReportEvent(models.Model):
    """A step of a report's workflow, with the secretariat's comments when returned."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=10, choices=Report.Status.choices)
    to_status = models.CharField(max_length=10, choices=Report.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Reminder(models.Model):
    """Every reminder and follow-up sent. An automatic reminder is unique per partnership, due date and
    kind, which is what makes the daily job safe to run twice."""

    class Kind(models.TextChoices):
        BEFORE_30 = "before_30", _("30 days before the due date")
        ON_DUE = "on_due", _("On the due date")
        AFTER_30 = "after_30", _("30 days overdue")
        AFTER_90 = "after_90", _("90 days overdue")
        FOLLOW_UP = "follow_up", _("Follow-up by the secretariat")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipients = models.TextField()
    message = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "due_date", "kind"],
                condition=~Q(kind="follow_up"),
                name="reminder_once_per_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.kind} {self.due_date}"


class PeriodicRun(models.Model):
    """One row per periodic job and day, claimed by the worker that enqueues it."""

    job = models.CharField(max_length=60)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    summary = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="periodic_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
