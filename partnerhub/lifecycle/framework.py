"""The partnership life cycle of the ESCAP / UNU-IAS guidelines (seed 004, chapter IV) as reference data:
five modules (A–E), twelve steps and their tasks, with short guidance in our own words.

The numbering is the guidelines' own, gaps included: step 3 has tasks 3.1, 3.2, 3.4 and 3.5 (there is no
3.3 in the text or in figure IV.3). Titles and guidance are translated through gettext like the rest of the
interface. `artefact` names the workspace record a task produces (see docs/lifecycle.md); tasks without one
are done in the checklist itself (state, owner, notes) or on the registry screens named in `screen`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Task:
    code: str
    title: Promise
    guidance: Promise
    artefact: str = ""  # the workspace section that holds the task's record, "" = checklist only

    @property
    def step_number(self) -> int:
        return int(self.code.split(".")[0])


@dataclass(frozen=True)
class Step:
    number: int
    title: Promise
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Module:
    code: str
    title: Promise
    stage: str  # the Partnership.Stage value this module stands for
    steps: tuple[Step, ...]


MODULES: tuple[Module, ...] = (
    Module("A", _("Initiation"), "initiation", (
        Step(1, _("Getting started"), (
            Task("1.1", _("Frame the sustainable development challenge"),
                 _("State the problem, how it was tackled before and what was learned; restate it as an objective linked to the goals it serves, and say why a partnership is needed."),
                 "framing"),
            Task("1.2", _("Organise resources and secure support"),
                 _("Secure political and senior-management support, name who leads the programme and who initiates the partnership, and assess the lead organisation's capacity.")),
            Task("1.3", _("Plan to partner"),
                 _("Justify why a partnership is the right model, document how the programme benefits and list the kinds of partners and resources it needs.")),
            Task("1.4", _("Identify partners"),
                 _("Build an inventory of potential partners with their track record and contacts, select those who add most and involve people with authority to decide."),
                 "partners"),
        )),
        Step(2, _("Agenda setting and scoping"), (
            Task("2.1", _("Develop a common understanding of the challenges"),
                 _("Give partners time to share their perspectives; examine the problem, its impacts, risks and context, and test assumptions about the target population and baseline.")),
            Task("2.2", _("Set shared goals and objectives"),
                 _("Agree the partnership's shared objectives and each partner's own objectives, and why each partner takes part."),
                 "framing"),
            Task("2.3", _("Define the scope"),
                 _("Say what is in scope (outputs, places, time frame, resources) and, just as clearly, what is not."),
                 "framing"),
            Task("2.4", _("Align with the 2030 Agenda"),
                 _("Link objectives to SDG goals, targets and indicators, check policy coherence with other goals and record the baseline values progress will be measured against."),
                 "baseline"),
        )),
        Step(3, _("Building relationships"), (
            Task("3.1", _("Map partners' resources"),
                 _("Record what each partner brings: in-kind contributions first (data, people, space, logistics), then cash."),
                 "resources"),
            Task("3.2", _("Assess rewards and risks"),
                 _("List what each partner gains and assess risks in the five areas: reputation, loss of autonomy, conflict of interest, drain on resources, implementation."),
                 "risks"),
            Task("3.4", _("Secure the partnering agreement"),
                 _("Record the commitment in an agreement or memorandum of understanding that covers the problem, roles, commitments, decision-making, review and flexibility."),
                 "agreement"),
            Task("3.5", _("Agree governance and accountability"),
                 _("Agree how the partnership is accountable to beneficiaries, donors, partner organisations and fellow partners, and how it monitors itself."),
                 "governance"),
        )),
    )),
    Module("B", _("Formation"), "formation", (
        Step(4, _("Planning"), (
            Task("4.1", _("Plan the components"),
                 _("Break the objectives into components so that none is left uncovered, and say which partners implement each."),
                 "workplan"),
            Task("4.2", _("Plan the activities"),
                 _("Plan the activities of each component, give each a responsible partner and a schedule."),
                 "workplan"),
        )),
        Step(5, _("Structuring"), (
            Task("5.1", _("Agree overall leadership"),
                 _("Agree which partner leads the partnership and check that it has the capacity to do so."),
                 "governance"),
            Task("5.2", _("Structure roles and responsibilities"),
                 _("Assign the lead of each component, alone or jointly, in line with who implements and who funds."),
                 "workplan"),
            Task("5.3", _("Structure decision-making"),
                 _("Agree which decisions are joint and which belong to each partner, how minutes are shared and how urgent decisions are taken."),
                 "governance"),
        )),
        Step(6, _("Mobilising"), (
            Task("6.1", _("Mobilise partners"),
                 _("The lead partner coordinates each partner's preparation and announces the start date of implementation.")),
            Task("6.2", _("Mobilise resources"),
                 _("Make sure committed resources are actually made available on time; mark commitments as mobilised."),
                 "resources"),
        )),
    )),
    Module("C", _("Managing implementation"), "implementation", (
        Step(7, _("Delivering on the SDGs"), (
            Task("7.1", _("Coordinate with partners"),
                 _("Hold regular coordination meetings (at least monthly) and keep minutes and decisions for later review."),
                 "meetings"),
            Task("7.2", _("Implement components involving several partners"),
                 _("Break shared components into nested action plans where one partner's output is another's input, and coordinate them."),
                 "workplan"),
            Task("7.3", _("Implement components of individual partners"),
                 _("Each partner delivers its own components; the lead partner keeps the overall picture."),
                 "workplan"),
            Task("7.4", _("Keep the partnership healthy"),
                 _("Check leadership, decision-making, roles, relationships and resources regularly, and keep the partnership inclusive, fair and transparent."),
                 "health"),
        )),
        Step(8, _("Measuring progress"), (
            Task("8.1", _("Monitor components and activities"),
                 _("Track activities against milestones and flag delays early, before they derail what depends on them."),
                 "workplan"),
            Task("8.2", _("Monitor partnership processes"),
                 _("Assess the partnership's processes against the baseline agreed at the start and see how they change over time."),
                 "health"),
            Task("8.3", _("Report progress"),
                 _("Report at the agreed intervals, aligned with the SDG indicator framework.")),
        )),
    )),
    Module("D", _("Review"), "review", (
        Step(9, _("Reviewing"), (
            Task("9.1", _("Review progress and measure impact"),
                 _("A review panel of all partners reviews progress against the SDG indicators on a fixed cycle, with a midterm review and special reviews when needed."),
                 "reviews"),
            Task("9.2", _("Review partnership processes"),
                 _("Review whether the partnership still works efficiently, accountably and transparently, with every partner involved."),
                 "health"),
        )),
        Step(10, _("Revising"), (
            Task("10.1", _("Follow up and revise"),
                 _("The review panel follows up its findings and revises components, activities or arrangements."),
                 "reviews"),
            Task("10.2", _("Learn lessons"),
                 _("Document what worked and what failed, and decide which lessons to keep internal and which to publish."),
                 "lessons"),
        )),
    )),
    Module("E", _("Reinvent or sustain"), "reinvent", (
        Step(11, _("Scaling up"), (
            Task("11.1", _("Go to scale"),
                 _("If the partnership is healthy and successful, plan scaling up along the social, physical, political and conceptual dimensions."),
                 "scaling"),
        )),
        Step(12, _("Moving on"), (
            Task("12.1", _("Move on"),
                 _("Decide the partnership's future: renew it, change partners, hand it over to one organisation or a new institution, or end it."),
                 "moving_on"),
        )),
    )),
)  # fmt: skip

STEPS: tuple[Step, ...] = tuple(step for module in MODULES for step in module.steps)
TASKS: dict[str, Task] = {task.code: task for step in STEPS for task in step.tasks}
MODULE_OF_STEP: dict[int, Module] = {step.number: module for module in MODULES for step in module.steps}
TASK_CHOICES = [(code, f"{code} {task.title}") for code, task in TASKS.items()]


def module_of(task_code: str) -> Module:
    return MODULE_OF_STEP[TASKS[task_code].step_number]
