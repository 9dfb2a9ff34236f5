"""Needs and offers (who can bring what to a partnership) and the Forum's scale-up pipeline.

A need is posted by a partnership: the partner type, expertise and resource it seeks, where and for which
goals. An offer is posted by an organisation: what it can bring, where, for which goals. Matches are
computed, not stored (`scoring.py`). A pitch asks funders to help a partnership scale up; the secretariat
shortlists pitches for a Forum segment; funders express interest and the partnership accepts or declines
the contact.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerhub.core.models import TimeStamped
from partnerhub.reference.models import Area, Currency, Goal, Target
from partnerhub.registry.models import Organisation, OrganisationType, Partnership


class ResourceType(models.TextChoices):
    """What a partner brings: the registry's commitment kinds, so track records can be read from them."""

    FINANCIAL = "financial", _("Funding")
    STAFF = "staff", _("Staff and expertise")
    TECHNOLOGY = "technology", _("Technology")
    DATA = "data", _("Data")
    FACILITIES = "facilities", _("Facilities")
    OTHER = "other", _("Other")


# Organisations that may browse the pipeline and express interest in pitches.
FUNDER_TYPES = (
    OrganisationType.PHILANTHROPY,
    OrganisationType.PRIVATE_LARGE,
    OrganisationType.PRIVATE_MSME,
    OrganisationType.FINANCIAL,
)


class Listing(TimeStamped):
    """What needs and offers share: what is sought or offered, where and for which goals."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    expertise = models.CharField(
        _("expertise"), max_length=500, blank=True, help_text=_("Skills or knowledge, in a few words.")
    )
    resource_type = models.CharField(_("resource"), max_length=12, choices=ResourceType.choices)
    areas = models.ManyToManyField(Area, verbose_name=_("where"), blank=True, related_name="+")
    goals = models.ManyToManyField(Goal, verbose_name=_("SDG goals"), blank=True, related_name="+")
    targets = models.ManyToManyField(Target, verbose_name=_("SDG targets"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Need(Listing):
    """A partnership seeks a partner (task 1.4, "identify partners"). Empty places and goals mean the
    partnership's own."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="needs")
    partner_types = models.JSONField(
        _("partner types sought"), default=list, blank=True, help_text=_("Empty: any type.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "resource_type"])]

    def get_absolute_url(self) -> str:
        return reverse("matching:need_detail", args=[self.pk])


class Offer(Listing):
    """An organisation offers a resource. Empty places mean anywhere, empty goals any goal."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "resource_type"])]

    def get_absolute_url(self) -> str:
        return reverse("matching:offer_detail", args=[self.pk])


class ForumSegment(TimeStamped):
    """A session of the Partnership Forum where shortlisted partnerships pitch to funders."""

    title = models.CharField(_("title"), max_length=255)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class Pitch(TimeStamped):
    """A partnership's scale-up pitch: the ask, along which of the four dimensions it scales, the evidence
    that it works and the budget."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("In the pipeline")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Dimension(models.TextChoices):  # the guidelines' four dimensions of scaling up (task 11.1)
        SOCIAL = "social", _("Social: include more people")
        PHYSICAL = "physical", _("Physical: replicate elsewhere")
        POLITICAL = "political", _("Political: change policy and budgets")
        CONCEPTUAL = "conceptual", _("Conceptual: change mindsets")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="pitches")
    title = models.CharField(_("title"), max_length=255)
    ask = models.TextField(_("the ask"), help_text=_("What you need from funders and investors."))
    dimensions = models.JSONField(_("dimensions of scaling"), default=list)
    evidence = models.TextField(_("evidence it works"))
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2)
    currency = models.ForeignKey(Currency, verbose_name=_("currency"), on_delete=models.PROTECT)
    budget_notes = models.TextField(_("what the budget pays for"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    segment = models.ForeignKey(
        ForumSegment, verbose_name=_("Forum segment"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="pitches",
    )  # fmt: skip
    submitted_at = models.DateTimeField(null=True, blank=True)
    shortlisted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name_plural = "pitches"
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="pitch_budget_positive"),
            models.CheckConstraint(
                condition=Q(status="shortlisted", segment__isnull=False) | ~Q(status="shortlisted"),
                name="pitch_shortlisted_has_segment",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matching:pitch_detail", args=[self.pk])

    def dimension_labels(self) -> list[str]:
        labels = dict(self.Dimension.choices)
        return [str(labels[d]) for d in self.dimensions if d in labels]


class Interest(TimeStamped):
    """A funder's interest in a pitch, and the partnership's answer to its request for contact."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the partnership")
        ACCEPTED = "accepted", _("Contact accepted")
        DECLINED = "declined", _("Declined")

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("funder"), on_delete=models.CASCADE, related_name="pitch_interests"
    )
    message = models.TextField(_("message to the partnership"), blank=True)
    amount = models.DecimalField(
        _("indicative amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pitch", "organisation"], name="interest_once_per_funder")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.pitch}"
