"""The secretariat's due-diligence pages: possible sanctions matches with their evidence, and each
organisation's screening record, key people and flags."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerhub.registry.models import Organisation
from partnerhub.registry.views.common import require_perm

from . import services
from .models import Flag, SanctionsList, ScreeningMatch


@login_required
def screening(request):
    require_perm(request, "diligence.view_screening")
    status = request.GET.get("status") or ScreeningMatch.Status.POSSIBLE
    matches = (
        ScreeningMatch.objects.filter(status=status)
        .select_related("organisation", "key_person", "entry", "decided_by")
        .order_by("-score", "-found_at")[:300]
    )
    return render(
        request,
        "diligence/screening.html",
        {"matches": matches, "status": status, "statuses": ScreeningMatch.Status.choices,
         "edition": SanctionsList.objects.first()},
    )  # fmt: skip


@login_required
@require_POST
def match_decide(request, pk: int):
    require_perm(request, "diligence.decide_match")
    match = get_object_or_404(ScreeningMatch, pk=pk)
    try:
        services.match_decide(
            match=match, actor=request.user, confirm=request.POST.get("decision") == "confirm",
            note=request.POST.get("note", ""),
        )  # fmt: skip
        messages.success(request, _("Decision recorded."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("diligence:screening")


@login_required
def organisation(request, pk: int):
    require_perm(request, "diligence.view_screening")
    org = get_object_or_404(Organisation, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "raise":
                services.flag_raise(
                    organisation=org, actor=request.user, level=request.POST.get("level", ""),
                    note=request.POST.get("note", ""),
                )  # fmt: skip
            elif action in ("escalate", "resolve"):
                flag = get_object_or_404(Flag, pk=request.POST.get("flag"), organisation=org)
                if action == "escalate":
                    services.flag_escalate(flag=flag, actor=request.user, note=request.POST.get("note", ""))
                else:
                    services.flag_resolve(
                        flag=flag, actor=request.user, resolution=request.POST.get("note", "")
                    )
            elif action == "people":
                rows = [
                    line.split("|", 1) for line in request.POST.get("people", "").splitlines() if line.strip()
                ]
                services.key_people_set(
                    organisation=org, actor=request.user,
                    people=[(row[0], row[1] if len(row) > 1 else "") for row in rows],
                )  # fmt: skip
            elif action == "screen":
                services.screen(org)
            messages.success(request, _("Saved."))
            return redirect("diligence:organisation", pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return render(
        request,
        "diligence/organisation.html",
        {
            "organisation": org,
            "matches": org.screening_matches.select_related("entry", "key_person", "decided_by"),
            "flags": org.flags.select_related("raised_by"),
            "people": org.key_people.all(),
            "levels": Flag.Level.choices,
        },
    )
