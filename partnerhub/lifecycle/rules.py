"""Who may do what in a workspace (django-rules; the same names are checked by pages and API).

The focal points manage everything; contributors (members of a partner organisation) read the workspace,
edit what belongs to their organisation — its commitments (registry rules), the activities it is responsible
for, its own objectives, the tasks it owns — and comment elsewhere; review panel members write reviews;
the secretariat reads; the public reads the sections a published partnership chose to publish.
"""

import rules
from django.db.models import Model, QuerySet

from partnerhub.accounts.rules import approved_organisation_ids, is_secretariat
from partnerhub.registry.models import Partnership
from partnerhub.registry.rules import is_contributor, is_focal_point, is_published

from .models import Lesson, ReviewPanelMember
from .sections import SECTION_OF_KIND, RecordKind


@rules.predicate
def is_panel_member(user, partnership) -> bool:
    if not user.is_authenticated or partnership is None:
        return False
    return ReviewPanelMember.objects.filter(partnership=partnership, user=user).exists()


def _partner_orgs(user, partner_ids) -> bool:
    orgs = approved_organisation_ids(user)
    return bool(orgs) and any(org in orgs for org in partner_ids)


@rules.predicate
def is_responsible_for_activity(user, activity) -> bool:
    if activity is None or not user.is_authenticated:
        return False
    return _partner_orgs(user, [p.organisation_id for p in activity.responsible.all()])  # uses a prefetch


@rules.predicate
def owns_task(user, task_state) -> bool:
    return (
        task_state is not None
        and task_state.owner is not None
        and _partner_orgs(user, [task_state.owner.organisation_id])
    )


@rules.predicate
def is_own_partner(user, partner) -> bool:
    return partner is not None and _partner_orgs(user, [partner.organisation_id])


@rules.predicate
def is_lesson_of_own_partner(user, lesson) -> bool:
    return lesson is not None and lesson.partner is not None and is_own_partner(user, lesson.partner)


@rules.predicate
def manages_partnership_of(user, obj) -> bool:
    """For rules on a record: may the user manage the record's partnership?"""
    return obj is not None and is_focal_point(user, obj.partnership)


can_view = is_focal_point | is_contributor | is_panel_member | is_secretariat

rules.add_perm("lifecycle.view_workspace", can_view)
rules.add_perm("lifecycle.manage_workspace", is_focal_point)
rules.add_perm("lifecycle.comment_workspace", is_focal_point | is_contributor | is_panel_member)
rules.add_perm("lifecycle.write_review", is_focal_point | is_panel_member)
rules.add_perm("lifecycle.change_activity", manages_partnership_of | is_responsible_for_activity)
rules.add_perm("lifecycle.change_taskstate", manages_partnership_of | owns_task)
rules.add_perm("lifecycle.change_partner_objectives", manages_partnership_of | is_own_partner)
rules.add_perm("lifecycle.change_lesson", manages_partnership_of | is_lesson_of_own_partner)


def can_read_section(user, partnership: Partnership, section: str) -> bool:
    """The workspace's members read every section; the public the published sections of a published entry,
    and its lessons page (each lesson says whether the public may read it)."""
    if user.has_perm("lifecycle.view_workspace", partnership):
        return True
    if not is_published(user, partnership):
        return False
    if section == "lessons":
        return True
    workspace = getattr(partnership, "workspace", None)
    return workspace is not None and section in workspace.public_sections


def readable_records(user, partnership: Partnership, kind: RecordKind) -> QuerySet | None:
    """The records of one kind this person may read, or None when the section is closed to them."""
    if not can_read_section(user, partnership, SECTION_OF_KIND[kind.key]):
        return None
    records = kind.model._default_manager.filter(partnership=partnership)
    if kind.model is Lesson and not user.has_perm("lifecycle.view_workspace", partnership):
        records = records.exclude(visibility=Lesson.Visibility.PRIVATE)
    return records


def write_access(user, partnership: Partnership, kind: RecordKind, record: Model | None) -> tuple[bool, bool]:
    """(may write the record at all, may write every field): adding needs `add_perm`; changing needs
    `change_perm` on the partnership, or `object_perm` on the record for its `contributor_fields`."""
    if record is None:
        allowed = user.has_perm(kind.add_perm, partnership)
        return allowed, allowed
    if user.has_perm(kind.change_perm, partnership):
        return True, True
    if kind.object_perm and user.has_perm(kind.object_perm, record):
        return True, set(kind.contributor_fields) >= set(kind.fields)
    return False, False
