"""Pages of the partnership workspace: the cycle and checklist, one page per section, record forms,
history, comments, the review panel and what the public may read."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field, Model
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerhub.core.errors import ConflictError
from partnerhub.registry import services as registry_services
from partnerhub.registry.models import Partner, Partnership
from partnerhub.registry.selectors import history_timeline
from partnerhub.registry.views.common import flash_errors, form_errors, require_perm, visible_partnership

from . import selectors, services
from .forms import (
    CommentForm,
    FramingForm,
    ObjectivesForm,
    PanelMemberForm,
    PublishForm,
    TaskStateForm,
    limit_choices,
    record_form_class,
)
from .framework import TASKS
from .models import Agreement, Comment, ReviewPanelMember, Section, TaskState
from .rules import can_read_section, readable_records, write_access
from .sections import KINDS, SECTION_OF_KIND, SECTIONS
from .uploads import CONTENT_TYPES
from .wheel import wheel


def _readable_sections(request, partnership: Partnership) -> list[dict]:
    out = []
    for spec in SECTIONS.values():
        if can_read_section(request.user, partnership, spec.section):
            out.append({"key": spec.section, "title": spec.title})
    return out


def _can(request, partnership: Partnership) -> dict:
    user = request.user
    return {
        "view": user.has_perm("lifecycle.view_workspace", partnership),
        "manage": user.has_perm("lifecycle.manage_workspace", partnership),
        "comment": user.has_perm("lifecycle.comment_workspace", partnership),
        "review": user.has_perm("lifecycle.write_review", partnership),
        "edit": user.has_perm("registry.change_partnership", partnership),  # not while under review
    }


def _base_context(request, partnership: Partnership, active: str) -> dict:
    return {
        "partnership": partnership,
        "active_section": active,
        "sections": _readable_sections(request, partnership),
        "can": _can(request, partnership),
        "moving_on": services.moving_on_of(partnership) if partnership.pk else None,
    }


def _check_section(request, partnership: Partnership, section: str) -> None:
    if section not in SECTIONS or not can_read_section(request.user, partnership, section):
        raise Http404


def workspace(request, pk: int):
    """The 12-step cycle coloured by progress and the checklist of every task. A visitor who may not read
    the checklist but may read other sections (a published entry's lessons, at least) is taken to the
    first of them: the partnership's Workspace tab leads here for everyone."""
    partnership = visible_partnership(request, pk)
    readable = _readable_sections(request, partnership)  # in SECTIONS' order: the checklist first
    if not readable:
        raise Http404
    if readable[0]["key"] != "checklist":
        return redirect("lifecycle:section", pk=partnership.pk, section=readable[0]["key"])
    data = selectors.checklist(partnership)
    context = _base_context(request, partnership, "checklist")
    workspace_row = services.workspace_of(partnership) if context["can"]["manage"] else None
    context.update(
        checklist=data,
        wheel=wheel(data),
        editable=_editable_tasks(request, partnership),
        publish_form=PublishForm(initial={"public_sections": workspace_row.public_sections})
        if workspace_row
        else None,
    )
    return render(request, "lifecycle/workspace.html", context)


def _editable_tasks(request, partnership: Partnership) -> set[str]:
    if request.user.has_perm("lifecycle.manage_workspace", partnership):
        return set(TASKS)
    if not request.user.is_authenticated:
        return set()
    states = list(TaskState.objects.filter(partnership=partnership).select_related("owner"))
    for state in states:
        state.partnership = partnership  # one instance, so the focal-point check is read once
    return {state.task for state in states if request.user.has_perm("lifecycle.change_taskstate", state)}


@login_required
def task_edit(request, pk: int, code: str):
    partnership = visible_partnership(request, pk)
    task = TASKS.get(code)
    if task is None:
        raise Http404
    state = (
        TaskState.objects.filter(partnership=partnership).select_related("owner").filter(task=code).first()
    )
    if not (request.user.has_perm("lifecycle.manage_workspace", partnership) or (
        state is not None and request.user.has_perm("lifecycle.change_taskstate", state)
    )):  # fmt: skip
        raise PermissionDenied
    initial = (
        {"state": state.state, "owner": state.owner, "date": state.date, "notes": state.notes}
        if state
        else None
    )
    form = TaskStateForm(request.POST or None, initial=initial, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_update(partnership=partnership, code=code, author=request.user, state=data["state"],
                                 owner=data["owner"], notes=data["notes"], when=data["date"])  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Task %(code)s updated.") % {"code": code})
            return redirect("lifecycle:workspace", pk=pk)
    context = _base_context(request, partnership, "checklist")
    cancel_url = reverse("lifecycle:workspace", kwargs={"pk": pk}) + f"#task-{task.code}"
    context.update(form=form, task=task, cancel_url=cancel_url)
    return render(request, "lifecycle/task_form.html", context)


def section(request, pk: int, section: str):
    partnership = visible_partnership(request, pk)
    _check_section(request, partnership, section)
    if section == "checklist":  # its page is the workspace's own (its history and comments are under it)
        return redirect("lifecycle:workspace", pk=partnership.pk)
    spec = SECTIONS[section]
    context = _base_context(request, partnership, section)
    context.update(  # keyed "baseline_values" for "baseline-values": templates cannot name a "-"
        spec=spec,
        records={k.key.replace("-", "_"): readable_records(request.user, partnership, k) for k in spec.kinds},
    )
    if section == "workplan":
        plan = selectors.work_plan(partnership)
        context.update(plan=plan, gantt=selectors.gantt(plan), editable_activities={
            a.pk for _c, items in plan.components for a in (i.activity for i in items)
            if request.user.has_perm("lifecycle.change_activity", a)
        })  # fmt: skip
    elif section == "health":
        context["trend"] = selectors.health_trend(partnership)
    elif section == "resources":
        context["resource_map"] = selectors.resource_map(partnership)
        context["can_add_commitment"] = request.user.has_perm("registry.add_commitment", partnership)
    elif section == "framing":
        context["partners"] = [
            (p, request.user.has_perm("lifecycle.change_partner_objectives", p))
            for p in partnership.partners.select_related("organisation")  # p.partnership is this instance
        ]
    elif section == "reviews":
        context["panel"] = ReviewPanelMember.objects.filter(partnership=partnership).select_related(
            "user", "partner__organisation"
        )
        if context["can"]["manage"]:
            context["panel_form"] = PanelMemberForm(partnership=partnership)
    elif section in ("governance", "scaling", "moving_on"):
        kind = spec.kinds[0]
        record = kind.model._default_manager.filter(partnership=partnership).first()
        context.update(record=record, rows=_display_rows(record, kind.fields) if record else [])
    if context["can"]["view"]:
        context["comments"] = Comment.objects.filter(partnership=partnership, section=section).select_related(
            "author"
        )
        context["comment_form"] = CommentForm() if context["can"]["comment"] else None
    return render(request, "lifecycle/section.html", context)


def _display_rows(record: Model, fields) -> list[tuple[str, str]]:
    rows = []
    for name in fields:
        field = record._meta.get_field(name)
        assert isinstance(field, Field)
        if field.choices:
            value = getattr(record, f"get_{name}_display")()
        else:
            value = getattr(record, name)
            value = getattr(value, "organisation", value)  # a partner is shown by its organisation
        rows.append((str(field.verbose_name).capitalize(), "" if value is None else str(value)))
    return rows


@login_required
def record_edit(request, pk: int, kind: str, item: int | None = None):
    """Create, change or delete one record of a section (singletons: create or change the one record)."""
    partnership = visible_partnership(request, pk)
    if kind not in KINDS:
        raise Http404
    spec = KINDS[kind]
    manager = spec.model._default_manager
    if spec.singleton:
        record = manager.filter(partnership=partnership).first()
    else:
        record = get_object_or_404(manager, pk=item, partnership=partnership) if item is not None else None
    if record is not None:
        record.partnership = partnership  # type: ignore[attr-defined]
    allowed, all_fields = write_access(request.user, partnership, spec, record)
    if not allowed:
        raise PermissionDenied
    instance = record or spec.model(partnership=partnership)
    fields = list(spec.fields if all_fields else spec.contributor_fields)
    form = limit_choices(
        record_form_class(spec.model, fields)(request.POST or None, request.FILES or None, instance=instance),
        partnership,
    )
    section_url = reverse("lifecycle:section", args=[pk, SECTION_OF_KIND[kind]])
    if request.method == "POST" and "delete" in request.POST and record is not None and all_fields:
        services.record_delete(record, author=request.user)
        messages.success(request, _("Removed."))
        return redirect(section_url)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        if hasattr(form, "save_values"):
            form.save_values()
        if spec.model.__name__ == "Review" and instance.author_id is None:
            instance.author = request.user
        m2m = {name: form.cleaned_data[name] for name in spec.m2m if name in form.cleaned_data}
        try:
            services.record_save(
                instance, author=request.user, m2m=m2m, document=form.cleaned_data.get("upload")
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(section_url)
    context = _base_context(request, partnership, SECTION_OF_KIND[kind])
    context.update(form=form, kind=spec, record=record, section_url=section_url, can_delete=record is not None and all_fields and not spec.singleton)  # fmt: skip
    return render(request, "lifecycle/record_form.html", context)


def section_history(request, pk: int, section: str):
    partnership = visible_partnership(request, pk)
    if section not in SECTIONS or not request.user.has_perm("lifecycle.view_workspace", partnership):
        raise Http404
    spec = SECTIONS[section]
    models = [k.model for k in spec.kinds] + list(spec.history_models)
    sources = [(str(m._meta.verbose_name), m.history.filter(partnership_id=partnership.pk)) for m in models]  # type: ignore[attr-defined]
    if section == "framing":
        sources = [("partnership", Partnership.history.filter(id=partnership.pk)),
                   ("partner", Partner.history.filter(partnership_id=partnership.pk))]  # fmt: skip
    if not sources:
        raise Http404
    entries = history_timeline(sources, main="", limit=200)
    context = _base_context(request, partnership, section)
    context.update(entries=entries, spec=spec)
    return render(request, "lifecycle/history.html", context)


@login_required
def agreement_document(request, pk: int, item: int):
    """The uploaded document, to partners only, always as a download (never rendered by the browser)."""
    partnership = visible_partnership(request, pk)
    agreement = get_object_or_404(Agreement, pk=item, partnership=partnership)
    if not request.user.has_perm("lifecycle.view_workspace", partnership) or not agreement.document:
        raise Http404
    suffix = "." + agreement.document.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        agreement.document.open("rb"), as_attachment=True, filename=agreement.document_name or f"agreement{suffix}",
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def objectives_edit(request, pk: int, partner: int):
    partnership = visible_partnership(request, pk)
    row = get_object_or_404(
        Partner.objects.select_related("organisation", "partnership"), pk=partner, partnership=partnership
    )
    require_perm(request, "lifecycle.change_partner_objectives", row)
    form = ObjectivesForm(request.POST or None, initial={"objectives": row.objectives})
    if request.method == "POST" and form.is_valid():
        services.partner_objectives_save(
            partner=row, objectives=form.cleaned_data["objectives"], author=request.user
        )
        messages.success(request, _("Objectives saved."))
        return redirect("lifecycle:section", pk=pk, section="framing")
    context = _base_context(request, partnership, "framing")
    context.update(form=form, partner=row, section_url=reverse("lifecycle:section", args=[pk, "framing"]))
    return render(request, "lifecycle/simple_form.html", {**context, "heading": row.organisation.name})


@login_required
def framing_edit(request, pk: int):
    partnership = visible_partnership(request, pk)
    require_perm(request, "lifecycle.manage_workspace", partnership)
    names = ["challenge", "objectives", "baseline", "scope_in", "scope_out"]
    initial = {name: getattr(partnership, name) for name in names} | {"version": partnership.version}
    form = FramingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = registry_services.partnership_data_of(partnership)
        for name in names:
            setattr(data, name, form.cleaned_data[name])
        try:
            registry_services.partnership_update(partnership=partnership, author=request.user, data=data,
                                                 version=form.cleaned_data.get("version"))  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            filled = {"1.1": "challenge", "2.2": "objectives", "2.3": "scope_in"}
            codes = [code for code, name in filled.items() if form.cleaned_data[name].strip()]
            services.tasks_start(partnership=partnership, codes=codes, author=request.user)
            messages.success(request, _("Saved."))
            return redirect("lifecycle:section", pk=pk, section="framing")
    context = _base_context(request, partnership, "framing")
    context.update(form=form, section_url=reverse("lifecycle:section", args=[pk, "framing"]))
    return render(request, "lifecycle/simple_form.html", {**context, "heading": Section.FRAMING.label})


@login_required
@require_POST
def publish(request, pk: int):
    partnership = visible_partnership(request, pk)
    require_perm(request, "lifecycle.manage_workspace", partnership)
    form = PublishForm(request.POST)
    if form.is_valid():
        services.sections_publish(
            partnership=partnership, sections=form.cleaned_data["public_sections"], author=request.user
        )
        messages.success(request, _("Publication settings saved."))
    else:
        messages.error(request, _("Choose among the listed sections."))
    return redirect("lifecycle:workspace", pk=pk)


@login_required
@require_POST
def comment(request, pk: int, section: str):
    partnership = visible_partnership(request, pk)
    require_perm(request, "lifecycle.comment_workspace", partnership)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                partnership=partnership, section=section, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment (up to 5,000 characters)."))
    if section not in SECTIONS:
        raise Http404
    return redirect("lifecycle:section", pk=pk, section=section)


@login_required
@require_POST
def panel(request, pk: int):
    """Add a partner representative to the review panel, or remove one."""
    partnership = visible_partnership(request, pk)
    require_perm(request, "lifecycle.manage_workspace", partnership)
    if "remove" in request.POST:
        member = get_object_or_404(ReviewPanelMember, pk=request.POST["remove"], partnership=partnership)
        services.panel_member_remove(member=member, author=request.user)
        messages.success(request, _("Removed from the review panel."))
        return redirect("lifecycle:section", pk=pk, section="reviews")
    form = PanelMemberForm(request.POST, partnership=partnership)
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            messages.error(request, _("No account with that username."))
        else:
            try:
                services.panel_member_add(
                    partnership=partnership,
                    user=user,
                    partner=form.cleaned_data["partner"],
                    author=request.user,
                )
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(request, _("Added to the review panel."))
    else:
        messages.error(request, _("Give a username and the partner they represent."))
    return redirect("lifecycle:section", pk=pk, section="reviews")
