"""Assistance writes: the stored goal readings of partnerships, and duplicate decisions."""

import unicodedata
from collections.abc import Callable, Iterable

import numpy as np
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from partnerhub.core.i18n import UN_LANGUAGES
from partnerhub.registry.models import Partnership
from partnerhub.registry.services import partnership_unpublish

from .model import VERSION, Model, Suggestion, shipped
from .models import DuplicateReview, GoalReading

MAX_TEXT_CHARS = 100_000
DOUBTFUL_SCORE = 0.1
BATCH = 500


def check_text(text: object, lang: object = None) -> tuple[str, str]:
    """The text and language to suggest for, or a ValidationError that says what is wrong."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError({"text": [_("The text is not valid UTF-8.")]}) from None
    if not isinstance(text, str):
        raise ValidationError({"text": [_("Give the text as a string.")]})
    if not text.strip():
        raise ValidationError({"text": [_("The text is empty.")]})
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            {"text": [_("The text is too long: at most %(n)s characters.") % {"n": f"{MAX_TEXT_CHARS:,}"}]}
        )
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r")
    if "\x00" in text or controls > len(text) / 100:
        raise ValidationError({"text": [_("This looks like binary data, not text.")]})
    if text.count("\ufffd") > max(2, len(text) / 200):
        raise ValidationError(
            {"text": [_("The text is wrongly encoded (it holds many replacement characters �).")]}
        )
    if lang in (None, ""):
        lang = "en"
    if lang not in UN_LANGUAGES:
        raise ValidationError({"lang": [_("Give one of: %(langs)s.") % {"langs": ", ".join(UN_LANGUAGES)}]})
    return text, str(lang)


def suggest(text: object, lang: object = None, *, model: Model | None = None) -> Suggestion:
    text, lang = check_text(text, lang)
    return (model or shipped()).suggest(text, lang)


def partnership_text(p: Partnership) -> str:
    return "\n".join(part for part in (p.title, p.summary, p.challenge, p.objectives) if part)


def _reading(p: Partnership, scores: np.ndarray, selected: np.ndarray) -> GoalReading:
    declared = sorted(g.pk for g in p.goals.all())
    predicted = [g + 1 for g in sorted(range(len(scores)), key=lambda g: -scores[g]) if selected[g]]
    weight = sum(scores[g - 1] for g in predicted)
    agreeing = sum(scores[g - 1] for g in predicted if g in declared)
    return GoalReading(
        partnership=p, scores=[round(float(s), 4) for s in scores], predicted=predicted, declared=declared,
        doubtful=[g for g in declared if scores[g - 1] < DOUBTFUL_SCORE],
        missing=[g for g in predicted if g not in declared],
        disagreement=round(1 - agreeing / weight, 4) if weight and declared else 0.0,
        model_version=VERSION,
    )  # fmt: skip


def readings_update(partnerships: Iterable[Partnership], *, model: Model | None = None) -> int:
    """Score the partnerships' texts and store their readings (one transaction)."""
    model = model or shipped()
    batch = list(partnerships)
    if not batch:
        return 0
    scores = model.goal_scores(model.vectors([partnership_text(p) for p in batch]))
    selected = model.predicted(scores)
    readings = [_reading(p, scores[i], selected[i]) for i, p in enumerate(batch)]
    with transaction.atomic():
        GoalReading.objects.bulk_create(
            readings, update_conflicts=True, unique_fields=["partnership"],
            update_fields=["scores", "predicted", "declared", "doubtful", "missing", "disagreement", "model_version",
                           "scored_at"],
        )  # fmt: skip
    return len(readings)


def stale_readings() -> Q:
    """Partnerships whose reading is missing, from another model version, or older than their last change
    (callers add the published filter)."""
    return (
        Q(goal_reading__isnull=True)
        | ~Q(goal_reading__model_version=VERSION)
        | Q(updated_at__gt=F("goal_reading__scored_at"))
    )


def readings_rescore(
    *,
    stale_only: bool = False,
    ids: Iterable[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Score published partnerships, in batches: all of them (the button on the goal review and `partnerhub
    assist rescore`), only those whose reading is stale (the nightly job, and after an import), or the
    ones named (after a publication). Readings of partnerships no longer published are dropped."""
    queryset = Partnership.objects.filter(status=Partnership.Status.PUBLISHED).prefetch_related("goals")
    if stale_only:
        queryset = queryset.filter(stale_readings())
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    done = 0
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        done += readings_update(batch)
        last = batch[-1].pk
        if progress:
            progress(len(batch))
    GoalReading.objects.exclude(partnership__status=Partnership.Status.PUBLISHED).delete()
    return done


def _pair(a: Partnership, b: Partnership) -> tuple[Partnership, Partnership]:
    if a.pk == b.pk:
        raise ValidationError(_("A partnership cannot be its own duplicate."))
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def duplicate_dismiss(
    *, first: Partnership, second: Partnership, actor: User, reason: str = ""
) -> DuplicateReview:
    """Record that the two are not duplicates: the pair is not flagged again."""
    a, b = _pair(first, second)
    review, _created = DuplicateReview.objects.update_or_create(
        first=a, second=b, defaults={"decision": DuplicateReview.Decision.DISMISSED, "kept": None,
                                     "reason": reason[:500], "decided_by": actor},
    )  # fmt: skip
    return review


@transaction.atomic
def duplicate_merge(*, kept: Partnership, duplicate: Partnership, actor: User) -> DuplicateReview:
    """Keep one entry: the duplicate is unpublished with a comment that points to the kept one (its focal
    points are notified as on any unpublication), and the decision is recorded."""
    a, b = _pair(kept, duplicate)
    if kept.status != Partnership.Status.PUBLISHED:
        raise ValidationError(_("Keep the published entry: the one kept must be published."))
    if duplicate.status == Partnership.Status.PUBLISHED:
        partnership_unpublish(
            partnership=duplicate, reviewer=actor,
            comment=_("Merged into “%(title)s” (#%(id)s) as a duplicate.") % {"title": kept.title, "id": kept.pk},
        )  # fmt: skip
    review, _created = DuplicateReview.objects.update_or_create(
        first=a, second=b, defaults={"decision": DuplicateReview.Decision.MERGED, "kept": kept, "decided_by": actor,
                                     "reason": ""},
    )  # fmt: skip
    GoalReading.objects.filter(partnership=duplicate).delete()
    return review
