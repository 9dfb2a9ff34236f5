"""Pages of the registry: browse, read, register, edit, the publication workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerhub.accounts.rules import approved_organisation_ids
from partnerhub.core.errors import ConflictError
from partnerhub.diligence.services import publication_blockers
from partnerhub.diligence.smart import SmartResult, facts_from_data, facts_of, smart_check
from partnerhub.insights.champion import champion_score
from partnerhub.reference.models import Goal
from partnerhub.reporting.selectors import compliance_of, public_reports

from .. import selectors, services
from ..filters import PartnershipFilter
from ..forms import CommitmentForm, PartnershipEditor, WorkflowCommentForm
from ..models import Commitment, Organisation, Partnership
from ..search.present import FACET_PARAM, facet_labels, facet_title, highlight, snippet, value_labels
from ..search.service import search
from .common import is_htmx, paginate, require_perm, visible_partnership


def home(request):
    published = selectors.partnership_list()
    return render(
        request,
        "registry/home.html",
        {
            "figures": selectors.registry_figures(),
            "featured": published.filter(featured=True)[:3],
            "recent": published.order_by("-published_at")[:6],
            "goals": Goal.objects.all(),
        },
    )


def partnership_list(request):
    """Browse and search: full text, facet filters with counts, keyset pages; the URL holds the state."""
    filterset = PartnershipFilter(request.GET, queryset=Partnership.objects.none())
    context: dict = {"filter": filterset, "goals": Goal.objects.all(), "rows": [], "total": 0, "facets": []}
    if filterset.is_valid():
        try:
            result = search(filterset.to_search(limit=20))
        except ValidationError as error:
            context["errors"] = [m for msgs in error.message_dict.values() for m in msgs]
        else:
            rows = selectors.partnerships_in_order(result.ids)
            if not result.query.is_empty:
                for row in rows:
                    # Shown by the card instead of the plain summary and title.
                    row.snippet = snippet(row.summary, result.query, row.language)  # type: ignore[attr-defined]
                    row.title_marked = highlight(row.title, result.query, row.language)  # type: ignore[attr-defined]
            params = request.GET.copy()
            params.pop("cursor", None)
            context["also"] = also_chips(request.GET.get("also", ""), params)
            context.update(
                rows=rows,
                total=result.total,
                facets=facet_sidebar(result.facets, request.GET),
                sort=result.sort,
                next_query=_with(params, cursor=result.next_cursor) if result.next_cursor else None,
                first_query=params.urlencode() if request.GET.get("cursor") else None,
                download_query=_without(params, "sort").urlencode(),
                download_formats=[
                    ("csv", "CSV"),
                    ("xlsx", "Excel"),
                    ("jsonl", "JSON Lines"),
                    ("xml", "IATI XML"),
                ],
            )
    template = (
        "registry/partials/partnership_results.html" if is_htmx(request) else "registry/partnership_list.html"
    )
    return render(request, template, context)


def also_chips(value: str, params) -> dict | None:
    """What `also=` (set by a figure on an insight page) requires, in words, with the link that drops it:
    otherwise the list would be narrowed by a condition the reader cannot see."""
    tokens = [t.strip() for t in value.split(",") if t.strip()]
    if not tokens:
        return None
    labels = value_labels()
    items = []
    for token in tokens:
        facet, _, code = token.partition(":")
        items.append(f"{facet_title(facet)}: {labels.get(facet, {}).get(code, code)}")
    return {"items": items, "value": value, "remove_query": _without(params, "also").urlencode()}


def _without(params, *names):
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params


def _with(params, **values) -> str:
    params = params.copy()
    for key, value in values.items():
        params[key] = value
    return params.urlencode()


SINGLE_VALUE_PARAMS = ("country", "region", "group", "smart")
FACET_ORDER = ["goal", "region", "subregion", "country", "group", "orgtype", "category", "stage", "compliance",
               "smart", "target"]  # fmt: skip


def facet_sidebar(facets: dict[str, dict[str, int]], query) -> list[dict]:
    """Facet groups for the sidebar: each value with its count and the link that adds or removes it."""
    groups = []
    for facet, values in facet_labels(facets).items():
        param = FACET_PARAM[facet]
        current = [v for v in query.getlist(param) if v]
        chosen = {c.strip() for v in current for c in v.split(",")}
        items = []
        for item in values if facet == "goal" else values[:12]:
            params = query.copy()
            params.pop("cursor", None)
            selected = item["value"] in chosen
            if selected:
                params.setlist(param, [v for v in current if v != item["value"]])
            elif param in SINGLE_VALUE_PARAMS:
                params.setlist(param, [item["value"]])
            else:
                params.setlist(param, [*current, item["value"]])
            items.append({**item, "selected": selected, "query": params.urlencode()})
        groups.append({"facet": facet, "title": facet_title(facet), "items": items})
    return sorted(groups, key=lambda g: FACET_ORDER.index(g["facet"]) if g["facet"] in FACET_ORDER else 99)


def suggest(request):
    """Typeahead under the search box (htmx partial)."""
    items = selectors.suggestions(text=request.GET.get("q", "")[:100])
    return render(request, "registry/partials/suggestions.html", {"items": items})


def partnership_detail(request, pk: int):
    partnership = visible_partnership(request, pk)
    user = request.user
    return render(
        request,
        "registry/partnership_detail.html",
        {
            "partnership": partnership,
            "totals": selectors.commitment_totals(partnership=partnership),
            "events": partnership.workflow_events.select_related("actor")[:10],
            "comment_form": WorkflowCommentForm(),
            "user_org_ids": approved_organisation_ids(user),
            "compliance": compliance_of(partnership),
            "smart": smart_check(facts_of(partnership)),
            "recent_reports": public_reports(partnership)[:3],
            "blockers": publication_blockers(partnership) if partnership.status == "submitted" else [],
            "champion": champion_score(partnership) if partnership.status == "published" else None,
            "can": {
                "change": user.has_perm("registry.change_partnership", partnership),
                "delete": user.has_perm("registry.delete_partnership", partnership),
                "submit": user.has_perm("registry.submit_partnership", partnership),
                "review": user.has_perm("registry.review_partnership", partnership),
                "unpublish": user.has_perm("registry.unpublish_partnership", partnership),
                "feature": user.has_perm("registry.feature_partnership", partnership),
                "add_commitment": user.has_perm("registry.add_commitment", partnership),
                "add_report": user.has_perm("reporting.add_report", partnership),
            },
        },
    )


def partnership_history(request, pk: int):
    partnership = visible_partnership(request, pk)
    require_perm(request, "registry.view_history", partnership)
    entries = selectors.partnership_history(partnership=partnership)
    return render(
        request, "registry/partnership_history.html", {"partnership": partnership, "entries": entries}
    )


def _editor_response(request, editor, partnership=None):
    """The form, with the SMART check of what is being entered (after a refused save) or of what is saved,
    and what to add."""
    smart: SmartResult | None
    if editor.form.is_bound and editor.is_valid():
        smart = smart_check(facts_from_data(editor.to_data(), partnership=partnership))
    else:
        smart = smart_check(facts_of(partnership)) if partnership else None
    return render(
        request,
        "registry/partnership_form.html",
        {"editor": editor, "partnership": partnership, "smart": smart},
    )


@login_required
def partnership_create(request):
    require_perm(request, "registry.add_partnership")
    editor = PartnershipEditor(request.POST if request.method == "POST" else None)
    if request.method == "POST" and editor.is_valid():
        try:
            partnership = services.partnership_create(author=request.user, data=editor.to_data())
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is complete."))
            return redirect(partnership)
    return _editor_response(request, editor)


@login_required
def partnership_edit(request, pk: int):
    partnership = visible_partnership(request, pk)
    require_perm(request, "registry.change_partnership", partnership)
    editor = PartnershipEditor(request.POST if request.method == "POST" else None, partnership=partnership)
    if request.method == "POST" and editor.is_valid():
        try:
            services.partnership_update(
                partnership=partnership,
                author=request.user,
                data=editor.to_data(),
                version=editor.form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            editor.add_service_errors(error)
        except ConflictError as error:
            editor.form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(partnership)
    return _editor_response(request, editor, partnership)


@login_required
def partnership_delete(request, pk: int):
    partnership = visible_partnership(request, pk)
    require_perm(request, "registry.delete_partnership", partnership)
    if request.method == "POST":
        services.partnership_delete(partnership=partnership, author=request.user)
        messages.success(request, _("The partnership was deleted."))
        return redirect("registry:my_partnerships")
    return render(
        request,
        "registry/confirm_delete.html",
        {"object": partnership, "cancel_url": partnership.get_absolute_url()},
    )


@login_required
@require_POST
def partnership_workflow(request, pk: int, action: str):
    """Submit, publish, return, unpublish, feature or unfeature: one POST endpoint per action."""
    partnership = visible_partnership(request, pk)
    form = WorkflowCommentForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    actions = {
        "submit": ("registry.submit_partnership", lambda: services.partnership_submit(partnership=partnership, author=request.user), _("Submitted for review. The secretariat has been notified.")),
        "publish": ("registry.review_partnership", lambda: services.partnership_publish(partnership=partnership, reviewer=request.user, comment=comment), _("Published.")),
        "return": ("registry.review_partnership", lambda: services.partnership_return(partnership=partnership, reviewer=request.user, comment=comment), _("Returned to the focal points with your comments.")),
        "unpublish": ("registry.unpublish_partnership", lambda: services.partnership_unpublish(partnership=partnership, reviewer=request.user, comment=comment), _("Unpublished and returned to the focal points.")),
        "feature": ("registry.feature_partnership", lambda: services.partnership_feature(partnership=partnership, actor=request.user, featured=True), _("Marked as a champion: featured on the home page.")),
        "unfeature": ("registry.feature_partnership", lambda: services.partnership_feature(partnership=partnership, actor=request.user, featured=False), _("No longer a champion.")),
    }  # fmt: skip
    if action not in actions:
        raise Http404
    perm, run, done = actions[action]
    require_perm(request, perm, partnership)
    try:
        run()
    except ValidationError as error:
        for messages_ in error.message_dict.values():
            for message in messages_:
                messages.error(request, message)
    else:
        messages.success(request, done)
    if action in ("publish", "return"):
        return redirect("registry:review_queue")
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)  # e.g. the champions ranking (a path: never a view name to reverse)
    return redirect(partnership)


@login_required
def my_partnerships(request):
    rows = selectors.partnership_for_user(user=request.user)
    return render(request, "registry/my_partnerships.html", {"page": paginate(request, rows)})


@login_required
def review_queue(request):
    require_perm(request, "registry.view_review_queue")
    return render(request, "registry/review_queue.html", {"rows": selectors.review_queue()})


@login_required
def commitment_edit(request, pk: int, commitment_pk: int | None = None):
    """A contributor records their own organisation's commitment (focal points may edit any)."""
    partnership = visible_partnership(request, pk)
    commitment = None
    if commitment_pk is not None:
        commitment = get_object_or_404(
            Commitment.objects.select_related("partner"), pk=commitment_pk, partnership=partnership
        )
        require_perm(request, "registry.change_commitment", commitment)
    else:
        require_perm(request, "registry.add_commitment", partnership)
    may_edit_all = request.user.has_perm("registry.change_partnership", partnership)
    orgs = Organisation.objects.filter(partner_roles__partnership=partnership)
    if not may_edit_all:
        orgs = orgs.filter(Q(pk__in=approved_organisation_ids(request.user)))
    initial = None
    if commitment is not None:
        initial = {"organisation": commitment.partner.organisation, "kind": commitment.kind,
                   "in_kind_type": commitment.in_kind_type, "amount": commitment.amount,
                   "currency": commitment.currency, "description": commitment.description, "status": commitment.status}  # fmt: skip
    form = CommitmentForm(request.POST or None, initial=initial)
    form.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]
    if request.method == "POST" and "delete" in request.POST and commitment is not None:
        services.commitment_delete(commitment=commitment, author=request.user)
        messages.success(request, _("Commitment removed."))
        return redirect(partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_save(
                partnership=partnership, author=request.user, data=form.to_data(), commitment=commitment
            )
        except ValidationError as error:
            for key, msgs in error.message_dict.items():
                for message in msgs:
                    form.add_error(key if key in form.fields else None, message)
        else:
            messages.success(request, _("Commitment saved."))
            return redirect(partnership)
    return render(
        request,
        "registry/commitment_form.html",
        {"form": form, "partnership": partnership, "commitment": commitment},
    )
