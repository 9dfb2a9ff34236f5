"""Assistance in the registry: API, form suggestions, similar partnerships and duplicates, goal review."""

import io
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from partnerhub.assist.duplicate_pairs import duplicate_scores
from partnerhub.assist.model import shipped
from partnerhub.assist.models import DuplicateReview, GoalReading
from partnerhub.assist.services import (
    check_text,
    duplicate_dismiss,
    duplicate_merge,
    readings_rescore,
    stale_readings,
)
from partnerhub.assist.similarity import Profile, candidate_ids, similar
from partnerhub.interop.services import import_file
from partnerhub.reference.models import Area, Goal
from partnerhub.registry.models import PartnerRole, Partnership
from partnerhub.registry.search.index import index_partnerships
from partnerhub.registry.services import partnership_publish, partnership_submit
from partnerhub.reporting.periodic import enqueue_due
from tests.factories import PartnerFactory, PartnershipFactory

REEF = "Coral reef restoration with fishing villages in Fiji, ending overfishing and protecting marine biodiversity."


def test_api_suggests_goals_and_targets(api):
    response = api.post("/api/v1/assist/sdg", {"text": REEF, "lang": "en"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["predicted_goals"][0] == 14
    assert body["goals"][0]["selected"] and body["targets"][0]["target"].startswith("14.")


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"text": ""}, "text"), ({"text": "   "}, "text"), ({"text": "x" * 1_000_000}, "text"),
     ({"text": "water", "lang": "de"}, "lang"), ({"text": "a\x00\x01\x02\x03binary"}, "text"),
     ({"text": "\ufffd" * 50 + "water"}, "text"), ({}, "text")],
)  # fmt: skip
def test_api_refuses_bad_input_clearly(api, payload, field):
    response = api.post("/api/v1/assist/sdg", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_api_refuses_a_binary_body(api):
    response = api.generic(
        "POST", "/api/v1/assist/sdg", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="application/json"
    )
    assert response.status_code == 400


def test_check_text_decodes_bytes_strictly():
    assert check_text(b"Water", "fr") == ("Water", "fr")
    with pytest.raises(ValidationError, match="UTF-8"):
        check_text(b"caf\xe9")


def test_duplicate_warning_precision_and_recall():
    """Constructed pairs from the demo partnerships (docs/assist.md gives the figures)."""
    scores = duplicate_scores(shipped())
    assert scores.pairs > 700 and scores.positives > 80
    assert scores.precision >= 0.95
    assert scores.recall >= 0.9
    assert scores.recall_by_kind["copy"] == 1 and scores.recall_by_kind["other_organisation"] == 1
    assert scores.recall_by_kind["translation"] >= 0.5


@pytest.fixture
def twins(world):
    """The world's published partnership gets a reef text, and a near copy registered by another
    organisation, plus an unrelated one."""
    original = world.published
    original.summary = REEF
    original.save()
    copy = PartnershipFactory(
        title="Published reef partnership (Fiji)", summary=REEF.replace("Fiji", "Fiji's coast")
    )
    PartnerFactory(partnership=copy, organisation=world.other_org, role=PartnerRole.LEAD)
    copy.goals.add(Goal.objects.get(number=14))
    other = PartnershipFactory(title="Teacher training in Nepal", summary="Training primary school teachers.")
    other.goals.add(Goal.objects.get(number=14))  # declared wrongly: the text is about education
    index_partnerships([original.pk, copy.pk, other.pk])
    return original, copy, other


def test_similar_partnerships_flag_likely_duplicates(twins):
    original, copy, other = twins
    with translation.override("en"):
        matches = similar(Profile.of_partnership(original))
    assert matches[0].id == copy.pk and matches[0].duplicate
    assert "Near-identical description" in matches[0].reasons
    assert all(m.id != original.pk for m in matches)
    assert all(m.id != other.pk for m in matches)  # teacher training is nothing like reef protection


def test_similar_lists_related_partnerships_only(twins):
    original, _copy, _other = twins
    cousin = PartnershipFactory(
        title="Overfishing watch", summary="Fishing boats report their catch on coral reefs each week."
    )
    # The same lead organisation, in the same country, on something else entirely: the score alone
    # (text 0.2, a shared place and organisation) listed it before.
    hotel = PartnershipFactory(
        title="Youth hospitality school",
        summary="Young people in Fiji villages learn to cook and serve in hotels.",
    )
    PartnerFactory(partnership=hotel, organisation=original.partners.get(role=PartnerRole.LEAD).organisation,
                   role=PartnerRole.LEAD)  # fmt: skip
    fiji = Area.objects.get(iso3="FJI")
    original.areas.add(fiji)
    hotel.areas.add(fiji)
    index_partnerships([original.pk, cousin.pk, hotel.pk])
    matches = {m.id: m for m in similar(Profile.of_partnership(original), limit=10)}
    assert cousin.pk in matches and not matches[cousin.pk].duplicate
    assert hotel.pk not in matches


def test_in_a_small_registry_one_shared_word_is_enough_to_be_listed(twins):
    original, _copy, _other = twins
    cousin = PartnershipFactory(title="Overfishing watch", summary="Boats report their catch each week.")
    index_partnerships([cousin.pk])
    listed = candidate_ids(Profile.of_partnership(original), shipped())
    assert cousin.pk in listed and original.pk not in listed


def test_similar_api_and_page_part(twins, world):
    original, copy, _other = twins
    body = Client().get(f"/api/v1/assist/similar/{original.pk}/").json()
    assert body[0]["id"] == copy.pk and body[0]["duplicate"] and body[0]["reasons"]
    page = Client().get(f"/partnerships/{original.pk}/similar/").content.decode()
    assert copy.title in page and "Likely duplicate" in page and "Merge it into this entry" not in page
    secretariat = Client()
    secretariat.force_login(world.secretariat)
    assert (
        "Merge it into this entry"
        in secretariat.get(f"/partnerships/{original.pk}/similar/").content.decode()
    )
    assert Client().get(f"/api/v1/assist/similar/{world.partnership.pk}/").status_code == 404  # a draft


def test_dismissed_pair_is_not_flagged_again(twins, world):
    original, copy, _other = twins
    duplicate_dismiss(first=copy, second=original, actor=world.secretariat, reason="Two phases")
    review = DuplicateReview.objects.get()
    assert (review.first_id, review.second_id) == (min(original.pk, copy.pk), max(original.pk, copy.pk))
    assert not any(m.duplicate for m in similar(Profile.of_partnership(original)))
    with pytest.raises(ValidationError):
        duplicate_dismiss(first=copy, second=copy, actor=world.secretariat)


def test_merge_unpublishes_the_duplicate_and_records_it(twins, world):
    original, copy, _other = twins
    client = Client()
    client.force_login(world.secretariat)
    response = client.post(f"/partnerships/{original.pk}/duplicates/{copy.pk}/", {"decision": "merge"})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == Partnership.Status.RETURNED
    assert f"#{original.pk}" in copy.workflow_events.latest("created_at").comment
    assert DuplicateReview.objects.get().kept == original
    assert [m.id for m in similar(Profile.of_partnership(original)) if m.id == copy.pk] == []  # unlisted
    with pytest.raises(ValidationError):
        duplicate_merge(kept=copy, duplicate=original, actor=world.secretariat)  # keep the published one


def test_only_the_secretariat_decides_on_duplicates(twins, world):
    original, copy, _other = twins
    client = Client()
    client.force_login(world.focal_point)
    assert (
        client.post(f"/partnerships/{original.pk}/duplicates/{copy.pk}/", {"decision": "merge"}).status_code
        == 403
    )
    copy.refresh_from_db()
    assert copy.status == Partnership.Status.PUBLISHED and not DuplicateReview.objects.exists()


def test_rescoring_finds_disagreeing_goals_for_review(twins, world):
    original, _copy, other = twins
    assert readings_rescore() == 3
    reading = GoalReading.objects.get(partnership=other)
    assert reading.declared == [14] and 4 in reading.missing and 14 in reading.doubtful
    assert reading.disagreement == 1.0
    assert GoalReading.objects.get(partnership=original).disagreement < 0.5  # 14, and some 15 (biodiversity)
    client = Client()
    client.force_login(world.secretariat)
    page = client.get("/secretariat/goal-review/").content.decode()
    assert other.title in page and original.title not in page
    client.force_login(world.focal_point)
    assert client.get("/secretariat/goal-review/").status_code == 403


def test_rescore_button_queues_the_background_task(world):
    """Tests run tasks with the immediate backend; the button enqueues the same task the worker runs."""
    PartnershipFactory(title="Clean water", summary="Safe drinking water and sanitation for villages.")
    client = Client()
    client.force_login(world.secretariat)
    assert client.post("/secretariat/goal-review/").status_code == 302
    assert GoalReading.objects.get(partnership__title="Clean water").predicted[0] == 6


def test_form_suggestions_offer_goals_to_accept_and_warn_of_duplicates(twins, world):
    original, _copy, _other = twins
    client = Client()
    client.force_login(world.focal_point)
    page = client.post("/assist/suggest/", {
        "title": original.title, "summary": REEF, "language": "en", "goals": ["3"],
        "partners-TOTAL_FORMS": "1", "partners-0-organisation": str(world.lead_org.pk), "partners-0-role": "lead",
    }).content.decode()  # fmt: skip
    assert 'data-accept-goal="14"' in page and "This may already be registered" in page
    assert original.title in page
    empty = client.post("/assist/suggest/", {"title": "", "summary": ""}).content.decode()
    assert "Write a title and a summary first" in empty
    assert 'hx-post="/assist/suggest/"' in client.get("/partnerships/new/").content.decode()


def test_publication_is_scored_once_committed(world, django_capture_on_commit_callbacks):
    draft = world.partnership
    draft.summary = "Safe drinking water and sanitation for villages."
    draft.save()
    partnership_submit(partnership=draft, author=world.focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        partnership_publish(partnership=draft, reviewer=world.secretariat)
    assert GoalReading.objects.get(partnership=draft).predicted[0] == 6
    assert not Partnership.objects.filter(pk=draft.pk).filter(stale_readings()).exists()


def test_an_import_that_publishes_has_its_partnerships_scored(world, django_capture_on_commit_callbacks):
    text = (
        "title,summary,lead_organisation,lead_organisation_type,goals\n"
        "Village wells,Safe drinking water and sanitation for villages.,Water Trust,ngo,6\n"
        "Reef guardians,Protecting coral reefs and ending overfishing.,Water Trust,ngo,14\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = import_file(io.BytesIO(text.encode()), fmt="csv", publish=True)
    assert result.ok and result.created == 2
    readings = GoalReading.objects.filter(partnership__title__in=["Village wells", "Reef guardians"])
    assert {r.partnership.title: r.predicted[0] for r in readings} == {
        "Village wells": 6,
        "Reef guardians": 14,
    }
    with django_capture_on_commit_callbacks(execute=True):
        import_file(io.BytesIO(text.replace("Village", "Town").encode()), fmt="csv")  # drafts: not scored
    assert not GoalReading.objects.filter(partnership__title="Town wells").exists()


def test_nightly_job_scores_only_what_is_new_changed_or_from_another_model(twins, world):
    _original, copy, other = twins
    assert readings_rescore(stale_only=True) == 3
    assert readings_rescore(stale_only=True) == 0
    before = GoalReading.objects.get(partnership=other).scores
    other.summary = "Safe drinking water and sanitation for the schools' villages."
    other.save()  # an edit moves updated_at past the reading
    GoalReading.objects.filter(partnership=copy).update(model_version=0)
    stale = Partnership.objects.filter(stale_readings(), status=Partnership.Status.PUBLISHED)
    assert set(stale.values_list("pk", flat=True)) == {other.pk, copy.pk}
    assert enqueue_due(datetime(2026, 11, 23, 3, tzinfo=UTC)) == [
        "reporting.daily_compliance",
        "registry.refresh_statistics",
        "assist.refresh_readings",
    ]  # run by the immediate backend in tests
    assert GoalReading.objects.get(partnership=other).scores[5] > before[5]  # goal 6, water
    assert not stale.exists()


def test_goal_review_says_what_is_not_scored_yet(twins, world):
    client = Client()
    client.force_login(world.secretariat)
    page = client.get("/secretariat/goal-review/").content.decode()
    assert "3 published partnerships." in page and "3 of them are new or changed" in page
    assert "None is scored yet." in page
    readings_rescore(ids=[twins[0].pk])
    page = client.get("/secretariat/goal-review/").content.decode()
    assert "2 of them are new or changed" in page and "No scored partnership disagrees" in page
    readings_rescore()
    page = client.get("/secretariat/goal-review/").content.decode()
    assert "All are scored with the current model." in page and twins[2].title in page


def test_rescore_command(twins):
    call_command("assist", "rescore", verbosity=0)
    assert GoalReading.objects.count() == 3
