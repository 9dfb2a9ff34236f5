"""What assistance remembers: the model's reading of each partnership, and the secretariat's decisions
on likely duplicates. Suggestions are never applied to a partnership by themselves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerhub.registry.models import Partnership


class GoalReading(models.Model):
    """The suggestion model's goal scores for a partnership's text, and how they compare with the
    goals the partnership declares. Written by the re-scoring task."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="goal_reading")
    scores = models.JSONField(default=list)  # 17 floats, goal 1 first
    predicted = models.JSONField(default=list)  # goal numbers the model selects
    declared = models.JSONField(default=list)
    # Declared goals the model gives almost no weight, and selected goals the partnership does not declare.
    doubtful = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    # 1 - the share of the declared goals among the selected ones, weighted by score: 0 agrees, 1 disagrees.
    disagreement = models.FloatField(default=0.0, db_index=True)
    model_version = models.PositiveSmallIntegerField(default=0)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal reading")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.predicted}"


class DuplicateReview(models.Model):
    """The secretariat's decision on a pair flagged as likely duplicates (lower id first)."""

    class Decision(models.TextChoices):
        DISMISSED = "dismissed", _("Not a duplicate")
        MERGED = "merged", _("Merged")

    first = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    kept = models.ForeignKey(Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="assist_duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="assist_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}: {self.decision}"
