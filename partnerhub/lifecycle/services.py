"""Writes to the workspace. Each public function is one transaction and validates before it writes.

Records are saved through `record_save`, which checks the rules every record shares (its partners, its
component, its dependencies belong to the same partnership; no dependency cycle) and keeps the checklist
and the partnership's stage in step: saving a record starts the task it belongs to, and the stage is
derived from the checklist (`derive_stage`), never typed in.
"""

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import PurePath

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from partnerhub.core.services import delete_by, save_by
from partnerhub.registry.models import Partner, Partnership
from partnerhub.registry.search.index import index_partnerships

from . import schedule
from .framework import MODULES, TASKS
from .models import (
    Activity,
    Agreement,
    BaselineValue,
    Comment,
    Component,
    Governance,
    HealthCheck,
    Lesson,
    Meeting,
    MovingOn,
    Review,
    ReviewPanelMember,
    Reward,
    Risk,
    ScalingPlan,
    Section,
    TaskState,
    Workspace,
)
from .uploads import validate_document

State = TaskState.State

# The checklist task a record belongs to: saving one starts the task if it had not started.
TASK_OF_RECORD: dict[type[Model], str] = {
    BaselineValue: "2.4",
    Reward: "3.2",
    Risk: "3.2",
    Agreement: "3.4",
    Governance: "3.5",
    Component: "4.1",
    Activity: "4.2",
    Meeting: "7.1",
    HealthCheck: "7.4",
    Review: "9.1",
    Lesson: "10.2",
    ScalingPlan: "11.1",
    MovingOn: "12.1",
}


def derive_stage(states: Mapping[str, str]) -> str:
    """The partnership's stage from its checklist (task code → state; missing tasks have not started).

    The guidelines let partners work on any step in any order, so the stage is the furthest module in which
    work has begun (a task in progress or done); once every task of that module is done or not applicable,
    the partnership has moved on to the next module. Nothing begun yet: initiation."""
    furthest = None
    for index, module in enumerate(MODULES):
        codes = [t.code for step in module.steps for t in step.tasks]
        if any(states.get(code) in (State.IN_PROGRESS, State.DONE) for code in codes):
            furthest = index
    if furthest is None:
        return MODULES[0].stage
    module = MODULES[furthest]
    codes = [t.code for step in module.steps for t in step.tasks]
    complete = all(states.get(code) in (State.DONE, State.NOT_APPLICABLE) for code in codes)
    if complete and furthest + 1 < len(MODULES):
        return MODULES[furthest + 1].stage
    return module.stage


def _refresh_stage(partnership: Partnership, author: User | None) -> None:
    states = dict(TaskState.objects.filter(partnership=partnership).values_list("task", "state"))
    stage = derive_stage(states)
    if stage != partnership.stage:
        partnership.stage = stage
        partnership._history_user = author  # type: ignore[attr-defined]
        partnership.save(update_fields=["stage", "updated_at"])
        index_partnerships([partnership.pk])  # the stage is a search facet


def _start_task(partnership: Partnership, code: str, author: User | None) -> None:
    state, _created = TaskState.objects.get_or_create(partnership=partnership, task=code)
    if state.state == State.NOT_STARTED:
        state.state = State.IN_PROGRESS
        save_by(state, author)
        _refresh_stage(partnership, author)


@transaction.atomic
def tasks_start(*, partnership: Partnership, codes: Iterable[str], author: User | None) -> None:
    """Mark tasks in progress that had not started (work on their record has begun)."""
    for code in codes:
        _start_task(partnership, code, author)


def workspace_of(partnership: Partnership) -> Workspace:
    workspace, _created = Workspace.objects.get_or_create(partnership=partnership)
    return workspace


@transaction.atomic
def task_update(
    *,
    partnership: Partnership,
    code: str,
    author: User | None,
    state: str,
    owner: Partner | None = None,
    notes: str = "",
    when: date | None = None,
) -> TaskState:
    """Set one checklist task; the partnership's stage follows."""
    errors: dict[str, list[str]] = {}
    if code not in TASKS:
        errors["task"] = [_("There is no task %(code)s in the framework.") % {"code": code}]
    if state not in State.values:
        errors["state"] = [_("Choose one of the listed values.")]
    if owner is not None and owner.partnership_id != partnership.pk:
        errors["owner"] = [_("The owner must be a partner of this partnership.")]
    if errors:
        raise ValidationError(errors)
    task, _created = TaskState.objects.get_or_create(partnership=partnership, task=code)
    task.state, task.owner, task.notes, task.date = state, owner, notes.strip(), when
    save_by(task, author)
    _refresh_stage(partnership, author)
    return task


def _check_partners(
    partnership: Partnership, field: str, partners: Iterable[Partner | None], errors: dict[str, list[str]]
) -> None:
    if any(p is not None and p.partnership_id != partnership.pk for p in partners):
        errors.setdefault(field, []).append(_("Choose partners of this partnership."))


def _check_dependencies(
    activity: Activity, depends_on: Iterable[Activity], errors: dict[str, list[str]]
) -> None:
    depends_on = list(depends_on)
    if any(a.partnership_id != activity.partnership_id for a in depends_on):
        errors.setdefault("depends_on", []).append(
            _("An activity can only depend on activities of this work plan.")
        )
        return
    if activity.pk is not None and any(a.pk == activity.pk for a in depends_on):
        errors.setdefault("depends_on", []).append(_("An activity cannot depend on itself."))
        return
    edges: dict[int, set[int]] = {}
    for source, target in Activity.depends_on.through.objects.filter(
        from_activity__partnership_id=activity.partnership_id
    ).values_list("from_activity_id", "to_activity_id"):
        edges.setdefault(source, set()).add(target)
    me = activity.pk if activity.pk is not None else -1
    edges[me] = {a.pk for a in depends_on}
    cycle = schedule.find_cycle(edges)
    if cycle:
        names = dict(Activity.objects.filter(pk__in=cycle).values_list("pk", "title"))
        names[-1] = activity.title
        errors.setdefault("depends_on", []).append(
            _("This would make a circle of dependencies: %(cycle)s.")
            % {"cycle": " → ".join(names[i] for i in cycle)}
        )


def _extra_checks(instance: Model, m2m: Mapping[str, Iterable], errors: dict[str, list[str]]) -> None:
    partnership = instance.partnership  # type: ignore[attr-defined]
    for field in ("owner", "partner", "lead_partner"):
        if hasattr(instance, field + "_id"):
            _check_partners(partnership, field, [getattr(instance, field)], errors)
    for field in ("signatories", "leads", "attendees", "responsible"):
        if field in m2m:
            _check_partners(partnership, field, m2m[field], errors)
    if isinstance(instance, Activity):
        if instance.component_id and instance.component.partnership_id != partnership.pk:
            errors.setdefault("component", []).append(_("Choose a component of this work plan."))
        if "responsible" in m2m and not list(m2m["responsible"]):
            errors.setdefault("responsible", []).append(_("Name at least one responsible partner."))
        if "depends_on" in m2m:
            _check_dependencies(instance, m2m["depends_on"], errors)
    if isinstance(instance, HealthCheck) and instance.is_baseline:
        others = HealthCheck.objects.filter(partnership=partnership, is_baseline=True).exclude(pk=instance.pk)
        if others.exists():
            errors.setdefault("is_baseline", []).append(
                _("This partnership already has a baseline health check.")
            )
    if isinstance(instance, MovingOn):
        if instance.outcome == MovingOn.Outcome.TERMINATED and not instance.reason:
            errors.setdefault("reason", []).append(_("Say why the partnership was terminated."))
        if instance.outcome != MovingOn.Outcome.TERMINATED:
            instance.reason = ""
    if isinstance(instance, BaselineValue) and instance.indicator_id is None and not instance.label.strip():
        errors.setdefault("label", []).append(_("Choose an SDG indicator or name your own."))
    if isinstance(instance, Agreement):
        unknown = set(instance.covers) - set(Agreement.Clause.values)
        if unknown:
            errors.setdefault("covers", []).append(
                _("Unknown clause: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )


@transaction.atomic
def record_save(
    instance: Model,
    *,
    author: User | None,
    m2m: Mapping[str, Iterable] | None = None,
    document: UploadedFile | None = None,
) -> Model:
    """Validate and save a workspace record (new or changed) with its many-to-many fields."""
    m2m = dict(m2m or {})
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=["document"])
    except ValidationError as error:
        errors.update(error.message_dict)
    _extra_checks(instance, m2m, errors)
    if document is not None:
        try:
            validate_document(document)
        except ValidationError as error:
            errors.setdefault("document", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    if document is not None:
        assert isinstance(instance, Agreement)
        old = instance.document.name if instance.document else ""
        suffix = PurePath(document.name or "").suffix.lower()
        instance.document.save(f"{uuid.uuid4().hex}{suffix}", document, save=False)
        instance.document_name = PurePath(document.name or "").name[:255]
        if old:
            transaction.on_commit(lambda: instance.document.storage.delete(old))
    try:
        save_by(instance, author)
    except Exception:
        if document is not None:
            instance.document.storage.delete(instance.document.name)  # type: ignore[attr-defined]
        raise
    for field, values in m2m.items():
        getattr(instance, field).set(list(values))
    partnership = instance.partnership  # type: ignore[attr-defined]
    code = TASK_OF_RECORD.get(type(instance))
    if code:
        _start_task(partnership, code, author)
    if isinstance(instance, BaselineValue):
        index_partnerships([partnership.pk])  # baseline values weigh in the SMART facet
    return instance


@transaction.atomic
def record_delete(instance: Model, *, author: User | None) -> None:
    if isinstance(instance, Agreement) and instance.document:
        name = instance.document.name
        transaction.on_commit(lambda: instance.document.storage.delete(name))
    delete_by(instance, author)
    if isinstance(instance, BaselineValue):
        index_partnerships([instance.partnership_id])


@transaction.atomic
def partner_objectives_save(*, partner: Partner, objectives: str, author: User | None) -> Partner:
    """A partner's own objectives (task 2.2), editable by that partner's members."""
    partner.objectives = objectives.strip()
    save_by(partner, author)
    index_partnerships([partner.partnership_id])  # objectives are searched
    return partner


@transaction.atomic
def sections_publish(*, partnership: Partnership, sections: Iterable[str], author: User | None) -> Workspace:
    sections = list(dict.fromkeys(sections))
    unknown = [s for s in sections if s not in Section.values]
    if unknown:
        raise ValidationError(
            {"public_sections": [_("Unknown section: %(name)s.") % {"name": ", ".join(unknown)}]}
        )
    workspace = workspace_of(partnership)
    workspace.public_sections = sections
    save_by(workspace, author)
    return workspace


@transaction.atomic
def comment_add(*, partnership: Partnership, section: str, author: User, text: str) -> Comment:
    text = text.strip()
    errors = {}
    if section not in Section.values:
        errors["section"] = [_("Unknown section: %(name)s.") % {"name": section}]
    if not text:
        errors["text"] = [_("Write a comment.")]
    elif len(text) > 5000:
        errors["text"] = [_("Keep a comment under 5,000 characters.")]
    if errors:
        raise ValidationError(errors)
    return Comment.objects.create(partnership=partnership, section=section, author=author, text=text)


@transaction.atomic
def panel_member_add(
    *, partnership: Partnership, user: User, partner: Partner, author: User | None
) -> ReviewPanelMember:
    errors: dict[str, list[str]] = {}
    _check_partners(partnership, "partner", [partner], errors)
    if ReviewPanelMember.objects.filter(partnership=partnership, user=user).exists():
        errors.setdefault("user", []).append(_("This person is already on the review panel."))
    if errors:
        raise ValidationError(errors)
    member = ReviewPanelMember(partnership=partnership, user=user, partner=partner)
    save_by(member, author)
    return member


def moving_on_of(partnership: Partnership) -> MovingOn:
    return MovingOn.objects.filter(partnership=partnership).first() or MovingOn(partnership=partnership)


@transaction.atomic
def panel_member_remove(*, member: ReviewPanelMember, author: User | None) -> None:
    delete_by(member, author)
