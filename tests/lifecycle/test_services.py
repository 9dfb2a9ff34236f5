"""Workspace writes: the derived stage, the rules every record obeys, and document uploads."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerhub.lifecycle import services
from partnerhub.lifecycle.framework import MODULES, TASKS
from partnerhub.lifecycle.models import Activity, Agreement, HealthCheck, MovingOn, Risk, TaskState
from partnerhub.lifecycle.services import derive_stage
from partnerhub.registry.models import Partnership
from partnerhub.registry.search.service import SearchParams, search

from ..factories import PartnerFactory, PartnershipFactory

State = TaskState.State


def test_the_framework_has_every_task_of_chapter_iv():
    assert [m.code for m in MODULES] == ["A", "B", "C", "D", "E"]
    assert [s.number for m in MODULES for s in m.steps] == list(range(1, 13))
    # The guidelines' own numbering: step 3 has no task 3.3.
    assert list(TASKS) == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.4", "3.5",
                           "4.1", "4.2", "5.1", "5.2", "5.3", "6.1", "6.2", "7.1", "7.2", "7.3", "7.4",
                           "8.1", "8.2", "8.3", "9.1", "9.2", "10.1", "10.2", "11.1", "12.1"]  # fmt: skip


@pytest.mark.parametrize(
    ("states", "stage"),
    [
        ({}, "initiation"),
        ({"1.1": State.IN_PROGRESS}, "initiation"),
        ({"7.1": State.DONE}, "implementation"),  # any order: work on step 7 means implementation
        ({"1.1": State.DONE, "4.2": State.IN_PROGRESS, "9.1": State.NOT_APPLICABLE}, "formation"),
        ({code: State.DONE for code in ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.4"]}
         | {"3.5": State.NOT_APPLICABLE}, "formation"),  # module A settled: on to B
        ({code: State.DONE for code in TASKS}, "reinvent"),
    ],
)  # fmt: skip
def test_stage_is_derived_from_the_checklist(states, stage):
    assert derive_stage(states) == stage


def test_task_update_moves_the_stage_and_the_search_facet(world):
    p = world.published
    assert p.stage == "initiation"
    services.task_update(partnership=p, code="9.1", author=world.focal_point, state=State.IN_PROGRESS)
    p.refresh_from_db()
    assert p.stage == "review"
    result = search(SearchParams(filters={"stage": ["review"]}))
    assert p.pk in result.ids
    assert p.history.first().stage == "review"


def test_task_update_refuses_unknown_task_state_and_foreign_owner(world):
    p = world.partnership
    outsider = PartnerFactory(partnership=PartnershipFactory())
    with pytest.raises(ValidationError) as error:
        services.task_update(
            partnership=p, code="3.3", author=world.focal_point, state="finished", owner=outsider
        )
    assert set(error.value.message_dict) == {"task", "state", "owner"}
    assert not TaskState.objects.filter(partnership=p).exists()


def test_saving_a_record_starts_its_task(world):
    p = world.partnership
    services.record_save(Risk(partnership=p, area="reputation", title="Greenwashing claims", likelihood=2, impact=4),
                         author=world.focal_point)  # fmt: skip
    assert TaskState.objects.get(partnership=p, task="3.2").state == State.IN_PROGRESS
    assert Partnership.objects.get(pk=p.pk).stage == "initiation"


def test_a_dependency_cycle_is_refused_and_nothing_changes(world, plan):
    survey = plan["survey"]
    with pytest.raises(ValidationError) as error:
        services.record_save(survey, author=world.focal_point, m2m={"depends_on": [plan["analysis"]]})
    assert "circle of dependencies" in error.value.message_dict["depends_on"][0]
    assert list(survey.depends_on.all()) == []


def test_records_only_take_partners_components_and_activities_of_their_partnership(world, plan):
    other = PartnershipFactory()
    stranger = PartnerFactory(partnership=other)
    activity = Activity(partnership=world.partnership, component=plan["component"], title="x",
                        start=date(2027, 1, 1), end=date(2027, 1, 2))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.record_save(activity, author=world.focal_point, m2m={"responsible": [stranger]})
    assert "responsible" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.record_save(Risk(partnership=world.partnership, area="conflict", title="t", likelihood=1, impact=1,
                                  owner=stranger), author=world.focal_point)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.record_save(Activity(partnership=world.partnership, component=plan["component"], title="y",
                                      start=date(2027, 3, 2), end=date(2027, 3, 1)),
                             author=world.focal_point, m2m={"responsible": [plan["lead"]]})  # fmt: skip
    assert error.value.message_dict
    assert Activity.objects.filter(partnership=world.partnership).count() == 2


def test_one_baseline_health_check_and_scores_from_one_to_five(world):
    p = world.partnership
    scores = {name: 3 for name, _label in HealthCheck.CRITERIA}
    services.record_save(
        HealthCheck(partnership=p, date=date(2026, 1, 1), is_baseline=True, **scores), author=None
    )
    with pytest.raises(ValidationError) as error:
        services.record_save(
            HealthCheck(partnership=p, date=date(2026, 6, 1), is_baseline=True, **scores), author=None
        )
    assert "is_baseline" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_save(
            HealthCheck(partnership=p, date=date(2026, 6, 1), **(scores | {"equity": 6})), author=None
        )
    assert "equity" in error.value.message_dict


def test_termination_needs_a_reason(world):
    with pytest.raises(ValidationError) as error:
        services.record_save(MovingOn(partnership=world.partnership, outcome="terminated", decided_on=date(2026, 1, 1)),
                             author=world.focal_point)  # fmt: skip
    assert "reason" in error.value.message_dict
    done = services.record_save(
        MovingOn(
            partnership=world.partnership,
            outcome="terminated",
            reason="resources",
            decided_on=date(2026, 1, 1),
        ),
        author=world.focal_point,
    )
    assert TaskState.objects.get(partnership=world.partnership, task="12.1").state == State.IN_PROGRESS
    assert Partnership.objects.get(pk=world.partnership.pk).stage == "reinvent" and done.pk


# --- uploads ------------------------------------------------------------------------------------------------------


def pdf(name="agreement.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def docx(name="agreement.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def odt(name="agreement.odt"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize("upload", [pdf, docx, odt])
def test_good_documents_are_stored_outside_the_web_root(world, settings, upload):
    agreement = Agreement(partnership=world.partnership, kind="mou", title="MoU")
    services.record_save(agreement, author=world.focal_point, document=upload())
    stored = settings.PRIVATE_MEDIA_ROOT / agreement.document.name
    assert stored.exists() and stored.suffix == Path(upload().name).suffix
    assert agreement.document_name.startswith("agreement.")
    assert not str(stored).startswith(str(settings.MEDIA_ROOT)) and not str(stored).startswith(
        str(settings.STATIC_ROOT)
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "Upload a PDF, ODT or DOCX"),
        (
            lambda: SimpleUploadedFile("agreement.pdf", b"<html><script>alert(1)</script></html>"),
            "is not a PDF",
        ),
        (lambda: SimpleUploadedFile("agreement.docx", b"%PDF-1.4 pretending"), "is not a DOCX"),
        (lambda: odt("agreement.docx"), "is not a DOCX"),
        (lambda: docx("agreement.odt"), "is not a ODT"),
        (lambda: SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)), "too large"),
    ],
)
def test_bad_documents_are_refused_with_a_clear_message_and_nothing_is_saved(
    world, settings, upload, message
):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    before = Agreement.objects.count()
    with pytest.raises(ValidationError) as error:
        services.record_save(Agreement(partnership=world.partnership, kind="mou", title="MoU"), author=world.focal_point,
                             document=upload())  # fmt: skip
    assert message in error.value.message_dict["document"][0]
    assert Agreement.objects.count() == before
    assert not any(settings.PRIVATE_MEDIA_ROOT.rglob("*.*"))


def test_agreement_completeness(world):
    agreement = Agreement(partnership=world.partnership, kind="mou", title="MoU", covers=["problem", "roles"])
    assert agreement.completeness == round(100 * 2 / len(Agreement.Clause.values))
    assert "How decisions are made" in agreement.missing_clauses
    with pytest.raises(ValidationError):
        services.record_save(Agreement(partnership=world.partnership, kind="mou", title="x", covers=["nonsense"]),
                             author=world.focal_point)  # fmt: skip
