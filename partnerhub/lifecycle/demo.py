"""Demo workspaces for the seed's case studies (seed 004, chapter IV boxes), written through the services.

Every demo partnership gets a checklist consistent with the stage the case study describes; four carry full
records: Pulse Polio through to moving on, Angat Buhay's resource mapping and a work plan with a slip,
the Nepal forum's governance and the NGO Forum on Cambodia's health checks.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from partnerhub.registry import demo_data
from partnerhub.registry.models import Partner, Partnership

from . import services
from .framework import MODULES
from .models import (
    Activity,
    Agreement,
    Component,
    Governance,
    HealthCheck,
    Lesson,
    Meeting,
    MovingOn,
    Review,
    Reward,
    Risk,
    ScalingPlan,
    TaskState,
)

POLIO = "Pulse Polio Immunization Programme"
ANGAT = "Angat Buhay anti-poverty partnership"
NEPAL = "Women's, children's and minority rights alliances in Nepal"
CAMBODIA = "NGO Forum on Cambodia network assessment"

State = TaskState.State


def _checklist(partnership: Partnership, stage: str, author) -> None:
    """Modules before `stage` done; in the stage's module, the first half done and the rest in progress."""
    order = [m.stage for m in MODULES]
    current = order.index(stage)
    for index, module in enumerate(MODULES):
        codes = [t.code for step in module.steps for t in step.tasks]
        for n, code in enumerate(codes):
            if index < current:
                state = State.DONE
            elif index == current:
                state = State.DONE if n < len(codes) // 2 else State.IN_PROGRESS
            else:
                continue
            services.task_update(partnership=partnership, code=code, author=author, state=state)


def _partner(partnership: Partnership, key: str) -> Partner:
    name = demo_data.ORGANISATIONS[key][0]
    return partnership.partners.get(organisation__name=name)


def _save(instance, author, **m2m):
    return services.record_save(instance, author=author, m2m=m2m)


@transaction.atomic
def demo_workspaces() -> int:
    """Create the demo workspaces; partnerships that already have a checklist are left alone."""
    User = get_user_model()
    curator = User.objects.get(username="secretariat")
    entries = {e["title"]: e for e in [*demo_data.PARTNERSHIPS, *demo_data.SUBMITTED]}
    built = 0
    for partnership in Partnership.objects.filter(title__in=entries):
        if TaskState.objects.filter(partnership=partnership).exists():
            continue
        author = partnership.focal_points.first() or curator
        _checklist(partnership, entries[partnership.title]["stage"], author)
        builder = BUILDERS.get(partnership.title)
        if builder:
            builder(partnership, author)
        built += 1
    return built


def _polio(p: Partnership, who) -> None:
    moh, gates, rotary, unicef, who_ = (
        _partner(p, k) for k in ("moh_in", "gates", "rotary", "unicef", "who")
    )
    for code in ("11.1", "12.1"):
        services.task_update(
            partnership=p, code=code, author=who, state=State.DONE, owner=moh, when=date(2014, 3, 27)
        )
    _save(
        Risk(
            partnership=p,
            area=Risk.Area.REPUTATION,
            title="Rumours that the vaccine causes infertility keep families from vaccinating",
            likelihood=4,
            impact=5,
            mitigation="Enlist religious leaders and community influencers; social mobilisation network in high-risk blocks.",
            owner=unicef,
            status=Risk.Status.CLOSED,
        ),
        who,
    )
    _save(
        Risk(
            partnership=p,
            area=Risk.Area.IMPLEMENTATION,
            title="Cold chain failures in remote districts",
            likelihood=3,
            impact=4,
            mitigation="Vaccine vial monitors; UNICEF cold chain logistics.",
            owner=unicef,
            status=Risk.Status.CLOSED,
        ),
        who,
    )
    _save(
        Risk(
            partnership=p,
            area=Risk.Area.RESOURCES,
            title="Donor fatigue as cases fall",
            likelihood=3,
            impact=4,
            mitigation="Link funding to certification milestones.",
            owner=gates,
            status=Risk.Status.CLOSED,
        ),
        who,
    )
    _save(
        Reward(partnership=p, kind=Reward.Kind.REACH, description="Every household reached by micro-plans."),
        who,
    )
    _save(
        Reward(
            partnership=p,
            partner=rotary,
            kind=Reward.Kind.CREDIBILITY,
            description="Rotary's flagship cause.",
        ),
        who,
    )
    _save(
        Agreement(
            partnership=p,
            kind=Agreement.Kind.MOU,
            title="Memorandum of understanding on the National Polio Surveillance Project",
            signed_on=date(1997, 10, 1),
            covers=["problem", "roles", "commitments", "resources", "review", "decisions"],
            notes="Signed by the Government of India and WHO; core partners joined by letters.",
        ),
        who,
        signatories=[moh, who_],
    )
    _save(
        Governance(
            partnership=p,
            lead_partner=moh,
            leadership_notes="The Government leads implementation and monitoring at national, state and local levels.",
            decision_rules="The India Expert Advisory Group recommends strategy; the Government decides.",
            joint_decisions="Campaign calendar; high-risk area strategy.",
            partner_decisions="Each donor's funding instruments; NGOs' community mobilisation methods.",
            contingency="Mop-up rounds decided within 72 hours of a confirmed case.",
            accountability_beneficiaries="Micro-plans published per block; community influencers in monitoring.",
            accountability_donors="Donor reports per campaign round.",
            accountability_organisations="Each partner reports through its own governance.",
            accountability_partners="Monthly review of surveillance data with all core partners.",
        ),
        who,
    )
    surveillance = _save(
        Component(partnership=p, title="Surveillance", objective="Find every case."), who, leads=[who_]
    )
    campaigns = _save(
        Component(partnership=p, title="Immunization days", objective="Reach every child under five."),
        who,
        leads=[moh, unicef],
    )
    network = _save(
        Activity(
            partnership=p,
            component=surveillance,
            title="Acute flaccid paralysis surveillance network",
            start=date(1997, 10, 1),
            end=date(2000, 12, 31),
            status=Activity.Status.DONE,
        ),
        who,
        responsible=[who_],
    )
    mobilise = _save(
        Activity(
            partnership=p,
            component=campaigns,
            title="Social mobilisation in high-risk blocks",
            start=date(1998, 1, 1),
            end=date(2010, 12, 31),
            status=Activity.Status.DONE,
        ),
        who,
        responsible=[rotary, unicef],
    )
    last = _save(
        Activity(
            partnership=p,
            component=campaigns,
            title="Last wild poliovirus case",
            start=date(2011, 1, 13),
            end=date(2011, 1, 13),
            status=Activity.Status.DONE,
            milestone=True,
        ),
        who,
        responsible=[moh],
        depends_on=[network, mobilise],
    )
    _save(
        Activity(
            partnership=p,
            component=surveillance,
            title="WHO polio-free certification",
            start=date(2014, 3, 27),
            end=date(2014, 3, 27),
            status=Activity.Status.DONE,
            milestone=True,
        ),
        who,
        responsible=[who_],
        depends_on=[last],
    )
    _save(
        Meeting(
            partnership=p,
            date=date(2010, 6, 15),
            title="India Expert Advisory Group",
            minutes="Reviewed the bivalent vaccine trial and the Bihar and Uttar Pradesh strategy.",
            decisions="Use bivalent OPV in high-risk blocks\nMonthly campaigns in the Kosi river area",
        ),
        who,
        attendees=[moh, who_, unicef, rotary],
    )
    for day, scores in ((date(2005, 1, 10), 3), (date(2010, 1, 10), 4), (date(2013, 1, 10), 5)):
        _save(
            HealthCheck(
                partnership=p,
                date=day,
                is_baseline=day.year == 2005,
                accountability=scores,
                leadership=scores,
                knowledge=4,
                internal_communication=scores,
                external_communication=4,
                management=scores,
                inclusiveness=scores,
                equity=max(scores - 1, 1),
                transparency=4,
            ),
            who,
        )
    _save(
        Review(
            partnership=p,
            kind=Review.Kind.MIDTERM,
            date=date(2008, 3, 1),
            author=who,
            findings="Transmission persisted in western Uttar Pradesh and central Bihar.",
            revisions="Micro-plans revised to reach migrant and underserved groups.",
        ),
        who,
    )
    _save(
        Review(
            partnership=p,
            kind=Review.Kind.EX_POST,
            date=date(2015, 1, 15),
            author=who,
            findings="Polio-free since January 2011; certified 27 March 2014.",
        ),
        who,
    )
    _save(
        Lesson(
            partnership=p,
            title="Data-driven micro-plans reach the missed",
            kind=Lesson.Kind.SUCCESS,
            partner=who_,
            visibility=Lesson.Visibility.PUBLIC,
            text="Mapping continually missed groups made every household visible.",
        ),
        who,
    )
    _save(
        Lesson(
            partnership=p,
            title="Top-down messages fed refusals",
            kind=Lesson.Kind.FAILURE,
            visibility=Lesson.Visibility.ANONYMOUS,
            text="Early rounds relied on mass media; refusals fell only when local religious leaders spoke.",
        ),
        who,
    )
    _save(
        ScalingPlan(
            partnership=p,
            decision=ScalingPlan.Decision.UNDERWAY,
            physical="Share the surveillance model with other endemic countries.",
            political="Polio network assets moved into routine immunization budgets.",
            social="Reach migrant and nomadic groups with routine immunization.",
        ),
        who,
    )
    _save(
        MovingOn(
            partnership=p,
            outcome=MovingOn.Outcome.RENEWED_CHANGED,
            decided_on=date(2014, 3, 27),
            explanation="After certification the network turned to routine immunization and measles–rubella elimination.",
        ),
        who,
    )
    services.sections_publish(
        partnership=p,
        sections=[
            "checklist",
            "risks",
            "agreement",
            "governance",
            "workplan",
            "health",
            "reviews",
            "lessons",
            "scaling",
            "moving_on",
        ],
        author=who,
    )


def _angat(p: Partnership, who) -> None:
    ovp, lgu, undp = (_partner(p, k) for k in ("ovp_ph", "lgu_ph", "undp"))
    services.task_update(
        partnership=p,
        code="3.1",
        author=who,
        state=State.DONE,
        owner=ovp,
        when=date(2017, 6, 30),
        notes="World Café with 50 local government units; 746 proposals, 300 validated in two rounds.",
    )
    today = date.today()
    intake = _save(
        Component(partnership=p, title="Proposal validation", objective="Match local needs with partners."),
        who,
        leads=[ovp],
    )
    delivery = _save(
        Component(partnership=p, title="Project delivery", objective="Fund and follow up projects."),
        who,
        leads=[lgu],
    )
    call = _save(
        Activity(
            partnership=p,
            component=intake,
            title="Call for local proposals",
            start=today - timedelta(days=60),
            end=today - timedelta(days=10),
            forecast_end=today + timedelta(days=20),
            status=Activity.Status.DELAYED,
            notes="Typhoon season delayed submissions.",
        ),
        who,
        responsible=[ovp],
    )
    validate = _save(
        Activity(
            partnership=p,
            component=intake,
            title="Second validation round",
            start=today - timedelta(days=9),
            end=today + timedelta(days=20),
        ),
        who,
        responsible=[ovp, undp],
        depends_on=[call],
    )
    _save(
        Activity(
            partnership=p,
            component=delivery,
            title="Projects in 149 areas",
            start=today + timedelta(days=21),
            end=today + timedelta(days=200),
        ),
        who,
        responsible=[lgu],
        depends_on=[validate],
    )
    _save(
        Activity(
            partnership=p,
            component=delivery,
            title="Convergence review",
            start=today + timedelta(days=201),
            end=today + timedelta(days=201),
            milestone=True,
        ),
        who,
        responsible=[ovp],
        depends_on=list(Activity.objects.filter(partnership=p, title="Projects in 149 areas")),
    )
    _save(
        Risk(
            partnership=p,
            area=Risk.Area.CONFLICT,
            title="Partner projects chosen for visibility rather than need",
            likelihood=3,
            impact=3,
            mitigation="Validation scores local need first.",
            owner=ovp,
        ),
        who,
    )
    services.sections_publish(partnership=p, sections=["checklist", "resources", "workplan"], author=who)


def _nepal(p: Partnership, who) -> None:
    fwld, network = _partner(p, "fwld"), _partner(p, "csncr")
    _save(
        Governance(
            partnership=p,
            lead_partner=fwld,
            leadership_notes="The Forum coordinates the loose alliance for now and plans to hand the role to another member once trust has grown.",
            decision_rules="Consensus at quarterly meetings; the coordinator acts between meetings.",
            joint_decisions="Advocacy positions; campaigns on citizenship law.",
            partner_decisions="Each member's own casework and district activities.",
            contingency="Coordinator and two rotating members decide urgent statements within 48 hours.",
            accountability_beneficiaries="District-level offices report on cases supported.",
            accountability_partners="Quarterly meetings; a contact-person register kept current to survive staff turnover.",
            monitoring="All documentation is published online for transparency.",
        ),
        who,
    )
    _save(
        Meeting(
            partnership=p,
            date=date(2024, 3, 20),
            title="Quarterly alliance meeting",
            decisions="Update the contact-person register\nJoint submission on the citizenship bill",
        ),
        who,
        attendees=[fwld, network],
    )
    services.sections_publish(partnership=p, sections=["checklist", "governance"], author=who)


def _cambodia(p: Partnership, who) -> None:
    series = [
        (date(2019, 6, 1), True, (3, 3, 2, 3, 2, 2, 3, 2, 3)),
        (date(2021, 6, 1), False, (3, 4, 3, 3, 3, 3, 3, 3, 4)),
        (date(2023, 6, 1), False, (4, 4, 3, 4, 4, 3, 4, 3, 4)),
        (date(2025, 6, 1), False, (4, 5, 4, 4, 4, 4, 4, 4, 5)),
    ]
    names = [name for name, _label in HealthCheck.CRITERIA]
    for day, baseline, scores in series:
        _save(
            HealthCheck(
                partnership=p,
                date=day,
                is_baseline=baseline,
                **dict(zip(names, scores, strict=True)),
                notes="Network assessment: desk review, key-informant interviews, questionnaires and a workshop.",
            ),
            who,
        )
    _save(
        Lesson(
            partnership=p,
            title="A shared assessment makes different accountability standards comparable",
            kind=Lesson.Kind.PROCESS,
            visibility=Lesson.Visibility.PUBLIC,
            text="Adapting one framework for all eight networks gave members common ground for follow-up.",
        ),
        who,
    )
    services.sections_publish(partnership=p, sections=["checklist", "health", "lessons"], author=who)


BUILDERS = {POLIO: _polio, ANGAT: _angat, NEPAL: _nepal, CAMBODIA: _cambodia}
