"""The partnership's workspace: the checklist of the life-cycle framework and the records its tasks produce.

Every record belongs to one partnership, keeps its change history (django-simple-history) and is written
through `lifecycle.services`, which checks permissions-independent rules (dates, partners of this
partnership, no dependency cycles) and re-derives the partnership's stage.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerhub.core.models import TimeStamped
from partnerhub.reference.models import Indicator
from partnerhub.registry.models import Partner, Partnership

from .framework import TASK_CHOICES


class PrivateStorage(FileSystemStorage):
    """Uploaded documents live under settings.PRIVATE_MEDIA_ROOT, outside any served directory: they are
    only ever sent by a view that checks permissions, as attachments. The root is read at each use, so a
    deployment (or a test) can move it."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> PrivateStorage:
    """Callable storage, so that migrations do not freeze this machine's path."""
    return PrivateStorage()


class Section(models.TextChoices):
    """The parts of a workspace a partnership may publish (tasks name the one that holds their record)."""

    CHECKLIST = "checklist", _("Checklist")
    FRAMING = "framing", _("Challenge, objectives and scope")
    BASELINE = "baseline", _("Baseline")
    RESOURCES = "resources", _("Resource map")
    RISKS = "risks", _("Rewards and risks")
    AGREEMENT = "agreement", _("Partnering agreement")
    GOVERNANCE = "governance", _("Governance and accountability")
    WORKPLAN = "workplan", _("Work plan")
    MEETINGS = "meetings", _("Coordination meetings")
    HEALTH = "health", _("Health checks")
    REVIEWS = "reviews", _("Reviews")
    LESSONS = "lessons", _("Lessons learned")
    SCALING = "scaling", _("Scaling up")
    MOVING_ON = "moving_on", _("Moving on")


class Workspace(models.Model):
    """Per-partnership settings of the workspace: which sections the public may read."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="workspace")
    public_sections = models.JSONField(_("sections shown to the public"), default=list, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"workspace of {self.partnership_id}"


class TaskState(models.Model):
    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="task_states")
    task = models.CharField(_("task"), max_length=5, choices=TASK_CHOICES)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.NOT_STARTED)
    owner = models.ForeignKey(
        Partner, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("When it was done, or is due."))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "task"], name="taskstate_unique_task")]

    def __str__(self) -> str:
        return f"{self.task}: {self.state}"


class BaselineValue(TimeStamped):
    """Task 2.4: where the partnership starts from, on an SDG indicator or one of its own."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="baseline_values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("SDG indicator"), null=True, blank=True, on_delete=models.PROTECT
    )
    label = models.CharField(
        _("own indicator"), max_length=255, blank=True, help_text=_("When no SDG indicator fits.")
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False) | ~Q(label=""), name="baseline_has_indicator_or_label"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id or self.label} = {self.value} {self.unit} ({self.year})"


class Reward(TimeStamped):
    """Task 3.2: what partners gain (the common rewards of the guidelines)."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional development of key staff")
        NETWORKS = "networks", _("Access to information and networks")
        REACH = "reach", _("Greater reach")
        EFFICIENCY = "efficiency", _("Operational efficiency")
        PRODUCTS = "products", _("Better products and services")
        INNOVATION = "innovation", _("Innovation")
        CREDIBILITY = "credibility", _("Credibility")
        RESOURCES = "resources", _("Access to resources")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="rewards")
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("for partner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: all partners."),
    )
    kind = models.CharField(_("reward"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Risk(TimeStamped):
    """Task 3.2: the risk register, in the five areas of the guidelines (box IV.4)."""

    class Area(models.TextChoices):
        REPUTATION = "reputation", _("Reputation")
        AUTONOMY = "autonomy", _("Loss of autonomy")
        CONFLICT = "conflict", _("Conflict of interest")
        RESOURCES = "resources", _("Drain on resources")
        IMPLEMENTATION = "implementation", _("Implementation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MITIGATING = "mitigating", _("Being mitigated")
        OCCURRED = "occurred", _("Occurred")
        CLOSED = "closed", _("Closed")

    SCALE = [(1, _("1 – very low")), (2, _("2 – low")), (3, _("3 – medium")), (4, _("4 – high")), (5, _("5 – very high"))]  # fmt: skip

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    title = models.CharField(_("risk"), max_length=255)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=SCALE)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=SCALE)
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.ForeignKey(
        Partner, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"
            ),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        return "high" if self.score >= 15 else "medium" if self.score >= 8 else "low"


class Agreement(TimeStamped):
    """Task 3.4: the partnering agreement and what it covers (the guidelines' list of what a good one does)."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        AGREEMENT = "agreement", _("Partnering agreement")
        LETTER = "letter", _("Letter of intent")

    class Clause(models.TextChoices):
        PROBLEM = "problem", _("Defines the problem addressed")
        ROLES = "roles", _("Roles and responsibilities")
        COMMITMENTS = "commitments", _("Commitments partners must observe")
        RELATIONSHIPS = "relationships", _("Formalises the relationships between partners")
        DECISIONS = "decisions", _("How decisions are made")
        DISPUTES = "disputes", _("How disagreements and disputes are settled")
        RESOURCES = "resources", _("Resources each partner contributes")
        REVIEW = "review", _("How progress is tracked and reviewed")
        RISKS = "risks", _("Risks and their mitigation")
        FLEXIBILITY = "flexibility", _("How the agreement can change")
        EXIT = "exit", _("How a partner can leave or the partnership end")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatories = models.ManyToManyField(Partner, verbose_name=_("signatories"), blank=True, related_name="+")
    covers = models.JSONField(_("what it covers"), default=list, blank=True)
    document = models.FileField(_("document"), storage=private_storage, upload_to="agreements/", blank=True)
    document_name = models.CharField(max_length=255, blank=True)  # the name it was uploaded under
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(m2m_fields=[signatories])

    class Meta:
        ordering = ["partnership_id", "-signed_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def missing_clauses(self) -> list[str]:
        return [str(label) for value, label in self.Clause.choices if value not in set(self.covers)]

    @property
    def completeness(self) -> int:
        """Per cent of the clauses of a good agreement that this one covers."""
        covered = len(set(self.covers) & set(self.Clause.values))
        return round(100 * covered / len(self.Clause.values))


class Governance(TimeStamped):
    """Tasks 3.5, 5.1–5.3: leadership, decision-making and accountability lines (one per partnership)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="governance")
    lead_partner = models.ForeignKey(
        Partner,
        verbose_name=_("agreed lead partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leadership_notes = models.TextField(_("leadership and its capacity"), blank=True)
    decision_rules = models.TextField(_("how decisions are made"), blank=True)
    joint_decisions = models.TextField(_("decisions taken jointly"), blank=True)
    partner_decisions = models.TextField(_("decisions left to each partner"), blank=True)
    contingency = models.TextField(_("contingency decision process"), blank=True)
    accountability_beneficiaries = models.TextField(_("accountability to beneficiaries"), blank=True)
    accountability_donors = models.TextField(_("accountability to donors"), blank=True)
    accountability_organisations = models.TextField(_("accountability to partner organisations"), blank=True)
    accountability_partners = models.TextField(_("accountability to fellow partners"), blank=True)
    monitoring = models.TextField(_("monitoring and transparency"), blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"governance of {self.partnership_id}"


class Component(TimeStamped):
    """Task 4.1: a building block of the work plan, led by one partner or jointly (task 5.2)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="components")
    title = models.CharField(_("title"), max_length=255)
    objective = models.TextField(_("objective served"), blank=True)
    leads = models.ManyToManyField(Partner, verbose_name=_("lead partners"), blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ["partnership_id", "id"]

    def __str__(self) -> str:
        return self.title


class Activity(TimeStamped):
    """Tasks 4.2, 7.2, 8.1: an activity with its responsible partners, dates and the activities whose
    output it needs (finish-to-start dependencies; cycles are refused by the service)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="activities")
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=255)
    responsible = models.ManyToManyField(
        Partner, verbose_name=_("responsible partners"), related_name="activities"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    forecast_end = models.DateField(
        _("expected end"),
        null=True,
        blank=True,
        help_text=_("When it now looks like finishing, if later than planned (a slip)."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    milestone = models.BooleanField(_("milestone"), default=False)
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("needs the output of"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(m2m_fields=[responsible, depends_on])

    class Meta:
        ordering = ["partnership_id", "start", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="activity_end_after_start"),
            models.CheckConstraint(
                condition=Q(forecast_end__isnull=True) | Q(forecast_end__gte=models.F("start")),
                name="activity_forecast_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(TimeStamped):
    """Task 7.1: a coordination meeting with attendees, minutes and decisions."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255)
    attendees = models.ManyToManyField(
        Partner, verbose_name=_("partners present"), blank=True, related_name="+"
    )
    other_attendees = models.CharField(_("other participants"), max_length=500, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One decision per line."))
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["partnership_id", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class HealthCheck(TimeStamped):
    """Tasks 7.4, 8.2, 9.2: a periodic score (1–5) on the network-assessment criteria of box IV.6 plus
    inclusiveness, equity and transparency; the first one marked baseline is what later ones compare to."""

    CRITERIA = [
        ("accountability", _("Accountability and involvement")),
        ("leadership", _("Leadership")),
        ("knowledge", _("Knowledge and skills")),
        ("internal_communication", _("Internal communication")),
        ("external_communication", _("External communication and advocacy")),
        ("management", _("Management and finance")),
        ("inclusiveness", _("Inclusiveness")),
        ("equity", _("Equity")),
        ("transparency", _("Transparency")),
    ]

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="health_checks")
    date = models.DateField(_("date"))
    is_baseline = models.BooleanField(_("agreed baseline"), default=False)
    accountability = models.PositiveSmallIntegerField(_("Accountability and involvement"), validators=SCORE)
    leadership = models.PositiveSmallIntegerField(_("Leadership"), validators=SCORE)
    knowledge = models.PositiveSmallIntegerField(_("Knowledge and skills"), validators=SCORE)
    internal_communication = models.PositiveSmallIntegerField(_("Internal communication"), validators=SCORE)
    external_communication = models.PositiveSmallIntegerField(
        _("External communication and advocacy"), validators=SCORE
    )
    management = models.PositiveSmallIntegerField(_("Management and finance"), validators=SCORE)
    inclusiveness = models.PositiveSmallIntegerField(_("Inclusiveness"), validators=SCORE)
    equity = models.PositiveSmallIntegerField(_("Equity"), validators=SCORE)
    transparency = models.PositiveSmallIntegerField(_("Transparency"), validators=SCORE)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(is_baseline=True), name="healthcheck_single_baseline"
            )
        ]

    def __str__(self) -> str:
        return f"health check {self.date}"

    @property
    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name, _label in self.CRITERIA}

    @property
    def average(self) -> float:
        values = list(self.scores.values())
        return round(sum(values) / len(values), 2)


class ReviewPanelMember(models.Model):
    """Task 9.1: the review panel, one or more representatives of the partners."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="review_panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        Partner, verbose_name=_("representing"), on_delete=models.CASCADE, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "user"], name="panel_unique_member")]

    def __str__(self) -> str:
        return f"{self.user} for {self.partner}"


class Review(TimeStamped):
    """Tasks 9.1 and 10.1: a review by the panel, its findings and the revisions it decided."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic")
        MIDTERM = "midterm", _("Midterm")
        EX_POST = "ex_post", _("Ex post")
        SPECIAL = "special", _("Special")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    revisions = models.TextField(_("resulting revisions"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} review {self.date}"


class Lesson(TimeStamped):
    """Task 10.2: a lesson learned, failures included, kept private or published with or without attribution."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("What worked")
        FAILURE = "failure", _("What failed")
        PROCESS = "process", _("How we worked together")

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private to the partnership")
        PUBLIC = "public", _("Public")
        ANONYMOUS = "anonymous", _("Public without attribution")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("lesson"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SUCCESS)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("from partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ScalingPlan(TimeStamped):
    """Task 11.1: scaling up along the four dimensions of the guidelines (one per partnership)."""

    class Decision(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        PLANNED = "planned", _("Planned")
        UNDERWAY = "underway", _("Under way")
        NOT_SCALING = "not_scaling", _("Not scaling up")

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="scaling_plan")
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.EXPLORING
    )
    social = models.TextField(_("social: who else to include"), blank=True)
    physical = models.TextField(_("physical: where to replicate"), blank=True)
    political = models.TextField(_("political: policy and budget commitments"), blank=True)
    conceptual = models.TextField(_("conceptual: mindsets and power relations"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"scaling plan of {self.partnership_id}"


class MovingOn(TimeStamped):
    """Task 12.1: how the partnership ends or continues. A terminated or completed partnership stays readable."""

    class Outcome(models.TextChoices):
        RENEWED = "renewed", _("Renewed as it is")
        RENEWED_CHANGED = "renewed_changed", _("Renewed with changes")
        PARTNERS_CHANGED = "partners_changed", _("Renewed with other partners")
        TAKEN_OVER = "taken_over", _("Taken over by one organisation")
        NEW_INSTITUTION = "new_institution", _("Handed to a new institution")
        TERMINATED = "terminated", _("Terminated")

    class Reason(models.TextChoices):
        ACHIEVED = "achieved", _("Objectives achieved, no need to scale up")
        DESIGN = "design", _("Faulty design")
        COMMITMENT = "commitment", _("Lack of commitment or unfulfilled obligations")
        RESOURCES = "resources", _("Insufficient resources")
        RISKS = "risks", _("Unmitigated risks")
        OTHER = "other", _("Other unforeseen circumstances")

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="moving_on")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reason = models.CharField(_("reason for termination"), max_length=12, choices=Reason.choices, blank=True)
    decided_on = models.DateField(_("decided on"))
    successor = models.CharField(
        _("successor"),
        max_length=255,
        blank=True,
        help_text=_("The organisation or institution taking over."),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="terminated", reason__gt="") | (~Q(outcome="terminated") & Q(reason="")),
                name="movingon_reason_iff_terminated",
            )
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class Comment(models.Model):
    """Partners who may not edit a section can still comment on it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="workspace_comments")
    section = models.CharField(max_length=16, choices=Section.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership_id", "section", "created_at", "id"]

    def __str__(self) -> str:
        return f"comment on {self.section}"
