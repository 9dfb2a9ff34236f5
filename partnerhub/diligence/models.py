"""Due diligence: the UN Security Council Consolidated List, screening of organisations and their key
people against it, possible matches for the secretariat to confirm or dismiss, and flags."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerhub.registry.models import Organisation


class SanctionsList(models.Model):
    """One imported edition of the Consolidated List."""

    generated_at = models.DateTimeField(_("list generated"), null=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("file"), max_length=255)
    individuals = models.PositiveIntegerField(default=0)
    entities = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.generated_at or self.imported_at:%Y-%m-%d})"


class SanctionsEntry(models.Model):
    """A listed individual or entity, kept by its reference number across editions of the list."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ENTITY = "entity", _("Entity")

    reference_number = models.CharField(_("reference number"), max_length=32, unique=True)
    data_id = models.CharField(max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=500)
    # Every name to screen against: the name, its aliases and the name in original script.
    names = models.JSONField(default=list)
    original_script = models.CharField(_("name in original script"), max_length=500, blank=True)
    un_list_type = models.CharField(_("sanctions regime"), max_length=60, blank=True)
    listed_on = models.DateField(_("listed on"), null=True)
    last_updated = models.JSONField(default=list)  # ISO dates of the list's amendments
    details = models.JSONField(default=dict)  # nationality, designation, dates of birth, addresses, comments
    sanctions_list = models.ForeignKey(SanctionsList, on_delete=models.PROTECT, related_name="entries")
    removed_on = models.DateField(_("no longer listed since"), null=True, blank=True)

    class Meta:
        ordering = ["reference_number"]
        verbose_name_plural = "sanctions entries"

    def __str__(self) -> str:
        return f"{self.reference_number} {self.name}"

    DETAIL_LABELS = {
        "comments": _("Comments"), "nationality": _("Nationality"), "designation": _("Designation"),
        "title": _("Title"), "dates_of_birth": _("Dates of birth"), "countries": _("Countries"),
    }  # fmt: skip

    @property
    def detail_rows(self) -> list[tuple[str, str]]:
        """The listed details as (label, text), for the secretariat to weigh a match."""
        return [
            (
                str(self.DETAIL_LABELS.get(key, key)),
                "; ".join(value) if isinstance(value, list) else str(value),
            )
            for key, value in self.details.items()
        ]


class KeyPerson(models.Model):
    """A person who directs or controls an organisation (screened like the organisation)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="key_people")
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "name"]

    def __str__(self) -> str:
        return self.name


class ScreeningMatch(models.Model):
    """A possible match between a name we hold and a listed name. Never acted on automatically: the
    secretariat confirms it (the organisation is excluded) or dismisses it, with the evidence in view."""

    class Status(models.TextChoices):
        POSSIBLE = "possible", _("Possible match")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="screening_matches")
    key_person = models.ForeignKey(
        KeyPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="screening_matches"
    )
    entry = models.ForeignKey(SanctionsEntry, on_delete=models.PROTECT, related_name="matches")
    screened_name = models.CharField(_("our name"), max_length=500)
    listed_name = models.CharField(_("listed name"), max_length=500)
    score = models.FloatField(_("similarity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.POSSIBLE)
    found_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entry"], condition=models.Q(key_person__isnull=True),
                name="screening_match_once_organisation",
            ),
            models.UniqueConstraint(
                fields=["key_person", "entry"], condition=models.Q(key_person__isnull=False),
                name="screening_match_once_person",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.screened_name} ~ {self.listed_name} ({self.score:.0f})"


class Flag(models.Model):
    """A concern about an organisation: yellow (watch) or red (blocks clearance until resolved)."""

    class Level(models.TextChoices):
        YELLOW = "yellow", _("Yellow: watch")
        RED = "red", _("Red: serious")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="flags")
    level = models.CharField(_("level"), max_length=6, choices=Level.choices)
    note = models.TextField(_("note"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.level}: {self.note[:40]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
