"""Assistance in the pages: suggestions in the register/edit form, similar partnerships on each
partnership page, and the secretariat's goal review and duplicate decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerhub.core.i18n import UN_LANGUAGES
from partnerhub.reference.models import Goal
from partnerhub.registry.models import Partnership
from partnerhub.registry.views.common import require_perm, visible_partnership

from .model import shipped
from .models import GoalReading
from .services import check_text, duplicate_dismiss, duplicate_merge, stale_readings
from .similarity import Profile, similar
from .tasks import rescore_partnerships

REVIEW_FROM = 0.5
SHOWN = 200


def _ints(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


@require_POST
def suggest_part(request):
    """The form's suggestion panel (htmx): goals and targets for the text typed so far, each to accept
    or reject, and the published partnerships it may duplicate. Nothing is saved."""
    post = request.POST
    title, summary = post.get("title", "").strip(), post.get("summary", "").strip()
    text = "\n".join(
        part for part in (title, summary, post.get("challenge", ""), post.get("objectives", "")) if part
    )
    lang = post.get("language") if post.get("language") in UN_LANGUAGES else "en"
    try:
        text, lang = check_text(text, lang)
    except ValidationError as error:
        return render(request, "assist/partials/suggestions.html", {"errors": error.messages})
    suggestion = shipped().suggest(text, get_language() if get_language() in UN_LANGUAGES else lang)
    declared = _ints(post.getlist("goals"))
    chosen_targets = set(post.getlist("targets"))
    partners = [(post.get(f"partners-{i}-organisation", ""), post.get(f"partners-{i}-role", ""))
                for i in range(int(post.get("partners-TOTAL_FORMS", "0") or 0))]  # fmt: skip
    organisations = _ints([o for o, _role in partners])
    lead = next((int(o) for o, role in partners if role == "lead" and o.isdigit()), None)
    pid = post.get("partnership_id", "")
    profile = Profile(title=title, summary=summary, language=lang, goals=declared, areas=_ints(post.getlist("areas")),
                      organisations=organisations, lead=lead, id=int(pid) if pid.isdigit() else None)  # fmt: skip
    duplicates = [m for m in similar(profile, limit=10) if m.duplicate] if title else []
    goals = Goal.objects.in_bulk()
    rows = [{**g, "label": goals[g["goal"]].short, "colour": goals[g["goal"]].colour, "ink": goals[g["goal"]].ink}
            for g in suggestion.goals if g["selected"] or g["score"] >= 0.2]  # fmt: skip
    return render(request, "assist/partials/suggestions.html", {
        "goals": rows, "targets": [t for t in suggestion.targets if t["selected"]],
        "declared": declared, "chosen_targets": chosen_targets, "duplicates": duplicates,
    })  # fmt: skip


def similar_part(request, pk: int):
    """'Similar partnerships' on a partnership page (loaded by htmx after the page)."""
    partnership = visible_partnership(request, pk)
    matches = similar(Profile.of_partnership(partnership), limit=6)
    return render(request, "assist/partials/similar.html", {
        "partnership": partnership, "matches": matches,
        "can_review": request.user.has_perm("assist.review_duplicates"),
    })  # fmt: skip


@login_required
def goal_review(request):
    """Published partnerships whose declared goals the model disagrees with most."""
    require_perm(request, "assist.review_goals")
    if request.method == "POST":
        rescore_partnerships.enqueue()
        messages.success(
            request, _("Re-scoring of all published partnerships has started in the background.")
        )
        return redirect("assist:goal_review")
    readings = (GoalReading.objects.filter(disagreement__gte=REVIEW_FROM, partnership__status=Partnership.Status.PUBLISHED)
                .select_related("partnership").order_by("-disagreement", "partnership_id"))  # fmt: skip
    shown = [{"reading": r, "missing": [{"goal": g, "score": r.scores[g - 1]} for g in r.missing]}
             for r in readings[:SHOWN]]  # fmt: skip
    published = Partnership.objects.filter(status=Partnership.Status.PUBLISHED)
    return render(request, "assist/goal_review.html", {
        "readings": shown, "threshold": REVIEW_FROM, "published": published.count(),
        "stale": published.filter(stale_readings()).count(),
    })  # fmt: skip


@login_required
@require_POST
def duplicate_decide(request, pk: int, other: int):
    """The secretariat keeps `pk` and merges `other` into it, or dismisses the pair."""
    require_perm(request, "assist.review_duplicates")
    kept = get_object_or_404(Partnership, pk=pk)
    duplicate = get_object_or_404(Partnership, pk=other)
    try:
        if request.POST.get("decision") == "merge":
            duplicate_merge(kept=kept, duplicate=duplicate, actor=request.user)
            messages.success(
                request,
                _("“%(title)s” was merged into this entry and unpublished.") % {"title": duplicate.title},
            )
        else:
            duplicate_dismiss(
                first=kept, second=duplicate, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("Marked as not a duplicate of “%(title)s”.") % {"title": duplicate.title}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(kept.get_absolute_url())
