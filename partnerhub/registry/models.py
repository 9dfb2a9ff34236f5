"""The registry: organisations, partnerships, partners, commitments, deliverables."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerhub.core.models import TimeStamped, Versioned
from partnerhub.reference.models import Area, Currency, Goal, Indicator, Target


class OrganisationType(models.TextChoices):
    GOVERNMENT_NATIONAL = "government_national", _("Government (national)")
    GOVERNMENT_SUBNATIONAL = "government_subnational", _("Government (subnational)")
    GOVERNMENT_LOCAL = "government_local", _("Government (local)")
    UN_ENTITY = "un_entity", _("UN entity")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    PRIVATE_LARGE = "private_large", _("Private sector (large company)")
    PRIVATE_MSME = "private_msme", _("Private sector (micro, small or medium enterprise)")
    NGO = "ngo", _("NGO / civil society")
    ACADEMIA = "academia", _("Academia and research")
    PHILANTHROPY = "philanthropy", _("Philanthropy / foundation")
    FINANCIAL = "financial_institution", _("Financial institution / investor")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """The broad sectors a multi-stakeholder partnership brings together (cross-sector mix, matching)."""

    PUBLIC = "public", _("Government")
    MULTILATERAL = "multilateral", _("UN and intergovernmental")
    BUSINESS = "business", _("Business and finance")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia and research")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    OTHER = "other", _("Other")


SECTOR_OF_TYPE: dict[str, str] = {
    OrganisationType.GOVERNMENT_NATIONAL: Sector.PUBLIC,
    OrganisationType.GOVERNMENT_SUBNATIONAL: Sector.PUBLIC,
    OrganisationType.GOVERNMENT_LOCAL: Sector.PUBLIC,
    OrganisationType.UN_ENTITY: Sector.MULTILATERAL,
    OrganisationType.INTERGOVERNMENTAL: Sector.MULTILATERAL,
    OrganisationType.PRIVATE_LARGE: Sector.BUSINESS,
    OrganisationType.PRIVATE_MSME: Sector.BUSINESS,
    OrganisationType.FINANCIAL: Sector.BUSINESS,
    OrganisationType.NGO: Sector.CIVIL_SOCIETY,
    OrganisationType.ACADEMIA: Sector.ACADEMIA,
    OrganisationType.PHILANTHROPY: Sector.PHILANTHROPY,
    OrganisationType.OTHER: Sector.OTHER,
}


# IATI OrganisationType codes (codelist in reference/data/iati/OrganisationType.xml).
IATI_ORGANISATION_TYPE = {
    OrganisationType.GOVERNMENT_NATIONAL: "10",
    OrganisationType.GOVERNMENT_SUBNATIONAL: "11",
    OrganisationType.GOVERNMENT_LOCAL: "11",
    OrganisationType.UN_ENTITY: "40",
    OrganisationType.INTERGOVERNMENTAL: "40",
    OrganisationType.PRIVATE_LARGE: "70",
    OrganisationType.PRIVATE_MSME: "70",
    OrganisationType.NGO: "22",
    OrganisationType.ACADEMIA: "80",
    OrganisationType.PHILANTHROPY: "60",
    OrganisationType.FINANCIAL: "70",  # IATI has no code of its own for banks and investors
    OrganisationType.OTHER: "90",
}


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    FUNDING = "funding", _("Funding")
    IMPLEMENTING = "implementing", _("Implementing")
    TECHNICAL = "technical", _("Technical / knowledge")
    OTHER = "other", _("Other")


# IATI OrganisationRole codes: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing.
IATI_ORGANISATION_ROLE = {
    PartnerRole.LEAD: "2",
    PartnerRole.FUNDING: "1",
    PartnerRole.IMPLEMENTING: "4",
    PartnerRole.TECHNICAL: "4",
    PartnerRole.OTHER: "4",
}


class DueDiligenceStatus(models.TextChoices):
    NOT_SCREENED = "not_screened", _("Not screened")
    CLEARED = "cleared", _("Cleared")
    FLAGGED = "flagged", _("Flagged for review")
    EXCLUDED = "excluded", _("Excluded")


class Organisation(TimeStamped, Versioned):
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = models.ForeignKey(
        Area,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Area.Kind.COUNTRY},
        related_name="organisations",
        help_text=_("Where the organisation is headquartered; empty for international bodies."),
    )
    website = models.URLField(_("website"), blank=True)
    identifier = models.CharField(
        _("organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("Its IATI organisation identifier, e.g. XM-DAC-41114; used to match it in imports."),
    )
    description = models.TextField(_("description"), blank=True)
    global_compact_participant = models.BooleanField(_("UN Global Compact participant"), default=False)
    due_diligence_status = models.CharField(
        _("due diligence"),
        max_length=16,
        choices=DueDiligenceStatus.choices,
        default=DueDiligenceStatus.NOT_SCREENED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A record's history is read by its id, or a partnership's by partnership (selectors.partnership_history):
    # besides those and the author, the history tables index nothing (every write and an import's index
    # rebuild would pay for it), hence no_db_index here and below, and SIMPLE_HISTORY_DATE_INDEX.
    history = HistoricalRecords(no_db_index=["country", "created_by"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_country"),
            models.UniqueConstraint(
                fields=["identifier"], condition=~Q(identifier=""), name="organisation_unique_identifier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation_detail", args=[self.pk])

    @property
    def iati_type(self) -> str:
        return IATI_ORGANISATION_TYPE[OrganisationType(self.type)]


class Partnership(TimeStamped, Versioned):
    class Category(models.TextChoices):
        UN_LED = "un_led", _("UN-led")
        UN_PARTICIPATING = "un_participating", _("UN-participating")
        OTHER = "other", _("Other")

    class GeographicLevel(models.TextChoices):
        GLOBAL = "global", _("Global")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        SUBNATIONAL = "subnational", _("Subnational")
        LOCAL = "local", _("Local")

    class Stage(models.TextChoices):
        # Modules A–E of the ESCAP / UNU-IAS multi-stakeholder partnership framework.
        INITIATION = "initiation", _("A. Initiation")
        FORMATION = "formation", _("B. Formation")
        IMPLEMENTATION = "implementation", _("C. Managing implementation")
        REVIEW = "review", _("D. Review")
        REINVENT = "reinvent", _("E. Reinvent or sustain")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")

    class Language(models.TextChoices):
        AR = "ar", "العربية"
        EN = "en", "English"
        ES = "es", "Español"
        FR = "fr", "Français"
        RU = "ru", "Русский"
        ZH = "zh", "中文"

    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(
        _("summary"), help_text=_("Two to five sentences: what the partnership does and for whom.")
    )
    challenge = models.TextField(_("challenge statement"), blank=True)
    objectives = models.TextField(_("shared objectives"), blank=True)
    baseline = models.TextField(
        _("baseline"), blank=True, help_text=_("The situation at the start, with figures.")
    )
    scope_in = models.TextField(_("in scope"), blank=True)
    scope_out = models.TextField(_("out of scope"), blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("SDG goals"), related_name="partnerships", blank=True)
    primary_goal = models.ForeignKey(
        Goal,
        verbose_name=_("primary goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    targets = models.ManyToManyField(
        Target, verbose_name=_("SDG targets"), related_name="partnerships", blank=True
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("SDG indicators"), related_name="partnerships", blank=True
    )
    geographic_level = models.CharField(_("geographic level"), max_length=12, choices=GeographicLevel.choices)
    areas = models.ManyToManyField(
        Area, verbose_name=_("countries and regions"), related_name="partnerships", blank=True
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    language = models.CharField(
        _("language of the entry"), max_length=2, choices=Language.choices, default="en"
    )
    stage = models.CharField(
        _("life-cycle stage"), max_length=16, choices=Stage.choices, default=Stage.INITIATION
    )
    status = models.CharField(
        _("publication status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )  # indexed first in Meta.indexes
    website = models.URLField(_("website"), blank=True)
    external_id = models.CharField(
        _("external identifier"),
        max_length=255,
        blank=True,
        help_text=_(
            "Its identifier in the system it came from (an IATI identifier, an id in a spreadsheet)."
        ),
    )
    featured = models.BooleanField(_("featured"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("focal points"),
        related_name="focal_partnerships",
        blank=True,
    )
    organisations: "models.ManyToManyField[Organisation, Partner]" = models.ManyToManyField(
        Organisation, through="Partner", related_name="partnerships"
    )
    history = HistoricalRecords(
        m2m_fields=[goals, targets, indicators, areas], no_db_index=["created_by", "primary_goal", "status"]
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="partnership_unique_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # The home page's champions: the few featured entries, newest first, without walking every
            # published partnership to find them (half a second at 200,000).
            models.Index(
                fields=["status", "-published_at"], condition=Q(featured=True), name="partnership_featured"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:partnership_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Partner(models.Model):
    # No index of its own: partner_unique_organisation's index begins with it.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partners", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="partner_roles"
    )
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices)
    objectives = models.TextField(_("this partner's objectives"), blank=True)
    history = HistoricalRecords(no_db_index=["organisation"])

    class Meta:
        ordering = ["partnership_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partner_unique_organisation"
            ),
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(role="lead"), name="partner_single_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Commitment(TimeStamped):
    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        IN_KIND = "in_kind", _("In kind")

    class InKindType(models.TextChoices):
        STAFF = "staff", _("Staff and expertise")
        TECHNOLOGY = "technology", _("Technology")
        DATA = "data", _("Data")
        FACILITIES = "facilities", _("Facilities")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        MOBILISED = "mobilised", _("Mobilised")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="commitments")
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    in_kind_type = models.CharField(_("in-kind type"), max_length=12, choices=InKindType.choices, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.ForeignKey(
        Currency, verbose_name=_("currency"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED)
    history = HistoricalRecords(no_db_index=["partner", "currency"])

    class Meta:
        ordering = ["partnership_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="commitment_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="financial") | (Q(amount__isnull=False) & Q(currency__isnull=False)),
                name="commitment_financial_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind="in_kind") | ~Q(in_kind_type=""), name="commitment_in_kind_has_type"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(currency__isnull=False),
                name="commitment_amount_has_currency",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.FINANCIAL:
            return f"{self.amount} {self.currency_id}"
        return self.get_in_kind_type_display()


class Deliverable(TimeStamped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=255)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    evidence = models.CharField(
        _("evidence"), max_length=500, blank=True, help_text=_("A link or a short note.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", models.F("due_date").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.title


class WorkflowEvent(models.Model):
    """A step in the publication workflow, with the secretariat's comment when returned."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="workflow_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Partnership.Status.choices)
    to_status = models.CharField(max_length=12, choices=Partnership.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class SearchDocument(models.Model):
    """What the search engine indexes for one partnership: analysed terms (see registry/search/analysis.py),
    its facet values and the columns results are sorted by. Written by the registry services in the same
    transaction as the change; `partnerhub reindex` rebuilds it. The full-text index over it is a Tantivy
    index kept in step through `SearchOutbox` (SQLite, the embedded mode) or a tsvector column with a GIN
    index (PostgreSQL), created by the migrations."""

    partnership = models.OneToOneField(
        Partnership, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    visible = models.BooleanField(default=False)
    language = models.CharField(max_length=2)
    title = models.TextField()
    orgs = models.TextField()
    body = models.TextField()
    # Space-separated facet values, "goal:14 target:14.1 country:FJI group:SIDS orgtype:ngo …".
    facets = models.TextField(default="")
    # The search-result representation (registry.serializers.PartnershipCardSerializer), so a result
    # page is one indexed read, however many relations a partnership has.
    card = models.JSONField(default=dict)
    # Financial commitments summed per ISO 4217 currency, {"USD": 250000.0, "EUR": 1000.0}: what the
    # insights add up per goal, country or region (never across currencies).
    money = models.JSONField(default=dict)
    published_at = models.DateTimeField(null=True)
    sort_title = models.CharField(max_length=255)

    class Meta:
        indexes = [
            models.Index(fields=["visible", "-published_at", "-partnership"], name="searchdoc_newest"),
            models.Index(fields=["visible", "sort_title", "partnership"], name="searchdoc_title"),
        ]

    def __str__(self) -> str:
        return f"search document {self.partnership_id}"


class SearchOutbox(models.Model):
    """The transactional outbox of the search documents: each search-document write adds a row in the
    same transaction; the Tantivy index and the aggregation columns of each process record the last row
    they have applied and catch up before they answer (registry/search/tantivy_engine.py, columns.py).
    `partnership` empty means "rebuild everything"."""

    seq = models.BigAutoField(primary_key=True)
    token = models.CharField(max_length=16)  # tells a row from one that reused its seq after a rollback
    partnership_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"search change {self.seq}"
