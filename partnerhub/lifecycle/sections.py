"""What each workspace section holds: its record model, the fields people edit, who may write, and which
tasks it serves. Pages (views.py), API (api.py) and the history pages read this one table."""

from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .framework import TASKS
from .models import (
    Activity,
    Agreement,
    BaselineValue,
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


@dataclass(frozen=True)
class RecordKind:
    key: str  # URL segment and API name, e.g. "risks"
    model: type[Model]
    label: Promise
    fields: tuple[str, ...]
    m2m: tuple[str, ...] = ()
    singleton: bool = False  # one record per partnership (governance, scaling plan, moving on)
    add_perm: str = "lifecycle.manage_workspace"  # on the partnership
    change_perm: str = "lifecycle.manage_workspace"  # on the partnership, or `object_perm` on the record
    object_perm: str = ""
    contributor_fields: tuple[str, ...] = ()  # what a record's own partner may change through `object_perm`


@dataclass(frozen=True)
class SectionSpec:
    section: str
    kinds: tuple[RecordKind, ...] = ()
    history_models: tuple[type[Model], ...] = field(default=())

    @property
    def title(self) -> str:
        return str(Section(self.section).label)

    @property
    def tasks(self) -> list:
        return [t for t in TASKS.values() if t.artefact == self.section]


KINDS: dict[str, RecordKind] = {k.key: k for k in (
    RecordKind("baseline-values", BaselineValue, _("Baseline value"), ("indicator", "label", "unit", "value", "year", "source")),
    RecordKind("rewards", Reward, _("Reward"), ("kind", "partner", "description")),
    RecordKind("risks", Risk, _("Risk"), ("area", "title", "likelihood", "impact", "mitigation", "owner", "status")),
    RecordKind("agreements", Agreement, _("Agreement"), ("kind", "title", "signed_on", "signatories", "covers", "notes"),
               m2m=("signatories",)),
    RecordKind("governance", Governance, _("Governance"), ("lead_partner", "leadership_notes", "decision_rules", "joint_decisions",
               "partner_decisions", "contingency", "accountability_beneficiaries", "accountability_donors",
               "accountability_organisations", "accountability_partners", "monitoring"), singleton=True),
    RecordKind("components", Component, _("Component"), ("title", "objective", "leads"), m2m=("leads",)),
    RecordKind("activities", Activity, _("Activity"), ("component", "title", "responsible", "start", "end", "forecast_end",
               "status", "milestone", "depends_on", "notes"), m2m=("responsible", "depends_on"),
               object_perm="lifecycle.change_activity", contributor_fields=("status", "forecast_end", "notes")),
    RecordKind("meetings", Meeting, _("Meeting"), ("date", "title", "attendees", "other_attendees", "minutes", "decisions"),
               m2m=("attendees",)),
    RecordKind("health-checks", HealthCheck, _("Health check"), ("date", "is_baseline", "accountability", "leadership", "knowledge",
               "internal_communication", "external_communication", "management", "inclusiveness", "equity",
               "transparency", "notes")),
    RecordKind("reviews", Review, _("Review"), ("kind", "date", "findings", "revisions"), add_perm="lifecycle.write_review",
               change_perm="lifecycle.write_review"),
    RecordKind("lessons", Lesson, _("Lesson"), ("title", "kind", "text", "partner", "visibility"),
               add_perm="lifecycle.comment_workspace", object_perm="lifecycle.change_lesson",
               contributor_fields=("title", "kind", "text", "partner", "visibility")),
    RecordKind("scaling-plan", ScalingPlan, _("Scaling-up plan"), ("decision", "social", "physical", "political", "conceptual", "notes"),
               singleton=True),
    RecordKind("moving-on", MovingOn, _("Moving on"), ("outcome", "reason", "decided_on", "successor", "explanation"),
               singleton=True),
)}  # fmt: skip

SECTIONS: dict[str, SectionSpec] = {s.section: s for s in (
    SectionSpec("checklist", history_models=(TaskState, Workspace)),
    SectionSpec("framing"),
    SectionSpec("baseline", (KINDS["baseline-values"],)),
    SectionSpec("resources"),
    SectionSpec("risks", (KINDS["risks"], KINDS["rewards"])),
    SectionSpec("agreement", (KINDS["agreements"],)),
    SectionSpec("governance", (KINDS["governance"],)),
    SectionSpec("workplan", (KINDS["components"], KINDS["activities"])),
    SectionSpec("meetings", (KINDS["meetings"],)),
    SectionSpec("health", (KINDS["health-checks"],)),
    SectionSpec("reviews", (KINDS["reviews"],), history_models=(ReviewPanelMember,)),
    SectionSpec("lessons", (KINDS["lessons"],)),
    SectionSpec("scaling", (KINDS["scaling-plan"],)),
    SectionSpec("moving_on", (KINDS["moving-on"],)),
)}  # fmt: skip

SECTION_OF_KIND = {kind.key: spec.section for spec in SECTIONS.values() for kind in spec.kinds}
