"""Sanctions import, screening (precision and recall), decisions, flags, SMART and the publication gate."""

import gzip
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from partnerhub.diligence import services
from partnerhub.diligence.demo import SAMPLE
from partnerhub.diligence.evaluation import evaluate
from partnerhub.diligence.models import SanctionsEntry, ScreeningMatch
from partnerhub.diligence.smart import Facts, smart_check
from partnerhub.interop.services import import_file
from partnerhub.lifecycle.services import panel_member_add
from partnerhub.registry import services as registry
from partnerhub.registry.models import Partnership
from partnerhub.registry.services import OrganisationData
from tests.conftest import api_as
from tests.factories import OrganisationFactory


def _import(author=None):
    with gzip.open(SAMPLE, "rb") as source:
        return services.sanctions_import(source, name=SAMPLE.name, author=author)


def test_screening_precision_and_recall_on_the_sample_list():
    with gzip.open(SAMPLE, "rb") as source:
        result = evaluate(source, sample=3)
    summary = result["summary"]
    print("screening evaluation:", summary)
    assert summary["cases"] > 2500
    assert summary["recall"] >= 0.97
    assert summary["precision"] >= 0.90


@pytest.mark.parametrize(
    "hostile",
    [
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>',
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]><CONSOLIDATED_LIST>&x;</CONSOLIDATED_LIST>',
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>NO REF</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        b"not xml at all",
    ],
)
def test_bad_or_hostile_lists_are_refused_and_nothing_is_written(db, hostile):
    with pytest.raises(ValidationError):
        services.sanctions_import(io.BytesIO(hostile), name="list.xml")
    assert not SanctionsEntry.objects.exists()


def test_import_keeps_reference_numbers_and_dates_and_screens_on_registration(world):
    edition = _import(world.secretariat)
    assert (edition.individuals, edition.entities) == (703, 390)
    entry = SanctionsEntry.objects.get(reference_number="KPi.033")
    assert entry.name == "RI WON HO" and entry.listed_on == date(2016, 11, 30)
    org = registry.organisation_create(
        author=world.member,
        data=OrganisationData(name="Propaganda and Agitation Department", type="government_national"),
    )
    match = ScreeningMatch.objects.get(organisation=org)
    assert match.entry.reference_number == "KPe.053" and match.status == "possible"
    org.refresh_from_db()
    assert org.due_diligence_status == "flagged"  # never excluded automatically
    services.match_decide(
        match=match, actor=world.secretariat, confirm=False, note="Different body: a theatre."
    )
    org.refresh_from_db()
    assert org.due_diligence_status == "cleared"
    services.screen(org)  # a dismissed match is not raised again
    assert ScreeningMatch.objects.filter(organisation=org).count() == 1


def test_organisations_an_import_creates_are_screened_in_the_background(
    world, django_capture_on_commit_callbacks
):
    _import(world.secretariat)
    text = (
        "title,summary,lead_organisation,lead_organisation_type,partners\n"
        '"Radio for all","Community radio.",Propaganda and Agitation Department,government_national,'
        '"Reef Friends|ngo|implementing"\n'
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = import_file(io.BytesIO(text.encode()), fmt="csv")
    assert result.ok and result.new_organisations == ["Propaganda and Agitation Department", "Reef Friends"]
    assert len(callbacks) >= 1
    match = ScreeningMatch.objects.get(organisation__name="Propaganda and Agitation Department")
    assert match.entry.reference_number == "KPe.053" and match.status == "possible"
    assert not ScreeningMatch.objects.filter(organisation__name="Reef Friends").exists()


def test_key_people_are_screened_across_scripts(world):
    _import()
    org = OrganisationFactory(name="Harbour Logistics")
    services.key_people_set(
        organisation=org, actor=world.secretariat, people=[("عبدالخالق الحوثي", "Director")]
    )
    match = ScreeningMatch.objects.get(organisation=org)
    assert match.key_person.name == "عبدالخالق الحوثي" and match.entry.reference_number == "YEi.001"
    services.match_decide(match=match, actor=world.secretariat, confirm=True, note="Same person: passport.")
    org.refresh_from_db()
    assert org.due_diligence_status == "excluded"


def test_flags_escalate_and_resolve(world):
    _import()
    services.screen(world.lead_org)
    flag = services.flag_raise(
        organisation=world.lead_org, actor=world.secretariat, level="yellow", note="Press reports."
    )
    world.lead_org.refresh_from_db()
    assert world.lead_org.due_diligence_status == "cleared"  # yellow: watch
    services.flag_escalate(flag=flag, actor=world.secretariat, note="Court case opened.")
    world.lead_org.refresh_from_db()
    assert world.lead_org.due_diligence_status == "flagged"
    services.flag_resolve(flag=flag, actor=world.secretariat, resolution="Case dismissed.")
    world.lead_org.refresh_from_db()
    assert world.lead_org.due_diligence_status == "cleared"


def test_un_led_publication_needs_clearance_a_panel_and_global_compact(world):
    p = world.partnership
    p.category = Partnership.Category.UN_LED
    p.save()
    world.lead_org.type = "private_large"
    world.lead_org.save()
    registry.partnership_submit(partnership=p, author=world.focal_point)
    with pytest.raises(ValidationError) as error:
        registry.partnership_publish(partnership=p, reviewer=world.secretariat)
    text = " ".join(error.value.messages)
    assert "not cleared" in text and "review panel" in text and "Global Compact" in text
    _import()
    services.screen(world.lead_org)
    services.screen(world.partner_org)
    world.lead_org.global_compact_participant = True
    world.lead_org.save()
    panel_member_add(
        partnership=p, user=world.focal_point, partner=p.partners.get(role="lead"), author=world.focal_point
    )
    registry.partnership_publish(partnership=p, reviewer=world.secretariat)
    p.refresh_from_db()
    assert p.status == "published"


def test_screening_results_are_for_the_secretariat_only(world):
    _import()
    OrganisationFactory(name="Won Ho Ri")
    services.screen_everyone()
    assert api_as(world.focal_point).get("/api/v1/diligence/matches/").status_code == 403
    found = api_as(world.secretariat).get("/api/v1/diligence/matches/").json()
    assert found["results"][0]["entry"]["reference_number"] == "KPi.033"


def test_smart_reasons_and_what_to_add():
    weak = smart_check(Facts(goals=1, deliverables=[("Awareness campaign", None)], partners=1, countries=12))
    assert [c.met for c in weak.criteria] == [False, False, False, False, False]
    assert "2 more partner(s) for a reach of 12 countries" in weak.criteria[2].to_add
    strong = smart_check(
        Facts(goals=1, targets=2, objectives="Restore 400 hectares of mangroves with ten fishing villages by 2028",
              deliverables=[("Plant 400 ha", date(2027, 1, 1))], partners=3, commitments=1, countries=2,
              end_date=date(2028, 12, 31))
    )  # fmt: skip
    assert strong.passed and strong.score == 5


@given(
    facts=st.builds(
        Facts,
        goals=st.integers(0, 3),
        targets=st.integers(0, 3),
        objectives=st.sampled_from(
            ["", "one two", "Restore 400 hectares of mangroves with ten fishing villages"]
        ),
        deliverables=st.lists(
            st.tuples(
                st.sampled_from(["Plant 400 ha", "Awareness campaign"]), st.none() | st.just(date(2027, 1, 1))
            ),
            max_size=7,
        ),
        baseline_values=st.integers(0, 1),
        partners=st.integers(0, 6),
        commitments=st.integers(0, 4),
        countries=st.integers(0, 30),
        regions=st.integers(0, 2),
        is_global=st.booleans(),
        end_date=st.none() | st.just(date(2028, 12, 31)),
    )
)
def test_smart_verdict_without_words_is_the_checks_verdict(facts):
    """The search facet and the generator use the bare verdicts (no translated explanations)."""
    result = smart_check(facts)
    verdicts = [facts.specific, facts.measurable, facts.achievable, facts.resourced, facts.time_bound]
    assert [c.met for c in result.criteria] == verdicts
    assert facts.passed == result.passed
