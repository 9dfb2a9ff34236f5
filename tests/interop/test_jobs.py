"""Import jobs: uploaded through the API or the secretariat's page, run by the worker, polled for progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partnerhub.interop import jobs
from partnerhub.interop.models import ImportJob
from partnerhub.registry.models import Partnership
from tests.conftest import api_as

GOOD = (
    "title,summary,lead_organisation,lead_organisation_type,goals,countries,external_id\n"
    "Reef guardians,Villages restore reefs,Ocean Trust,ngo,14,FJI,ext-1\n"
    "Mangrove schools,Schools plant mangroves,Blue Schools Network,academia,4;14,PHL,ext-2\n"
)
BAD = "title,summary,lead_organisation,goals\n,No title here,Ocean Trust,14\nFine,Fine,Ocean Trust,99\n"


def upload(text: str, name: str = "partnerships.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def post_job(user, text: str, name: str = "partnerships.csv", **fields):
    return api_as(user).post("/api/v1/imports/", {"file": upload(text, name), **fields}, format="multipart")


def test_secretariat_imports_through_the_api_and_polls_the_job(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_job(world.secretariat, GOOD, publish="true")
    assert response.status_code == 202, response.content
    assert response["Location"].endswith(f"/api/v1/imports/{response.json()['id']}/")
    job = api_as(world.secretariat).get(response["Location"]).json()
    assert job["status"] == "done" and job["progress"] is None, job["result"]["problems"]
    assert (job["result"]["created"], job["result"]["new_organisations"]) == (2, ["Blue Schools Network"])
    assert "2 partnerships were created" in job["result"]["summary"]
    created = Partnership.objects.get(external_id="ext-2")
    assert created.status == Partnership.Status.PUBLISHED and created.title == "Mangrove schools"
    listed = api_as(world.secretariat).get("/api/v1/imports/").json()
    assert [j["id"] for j in listed["results"]] == [job["id"]]


def test_a_refused_file_ends_the_job_with_every_problem_and_writes_nothing(
    world, django_capture_on_commit_callbacks
):
    before = Partnership.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job_id = post_job(world.secretariat, BAD).json()["id"]
    job = api_as(world.secretariat).get(f"/api/v1/imports/{job_id}/").json()
    assert job["status"] == "refused"
    where = {(p["line"], p["column"]) for p in job["result"]["problems"]}
    assert {(2, "title"), (3, "goals")} <= where
    assert Partnership.objects.count() == before


def test_a_job_is_queued_until_a_worker_runs_it_once(world):
    job_id = post_job(world.secretariat, GOOD).json()["id"]  # no commit in this test: nothing ran yet
    assert api_as(world.secretariat).get(f"/api/v1/imports/{job_id}/").json()["status"] == "queued"
    assert jobs.import_job_run(job_id).status == ImportJob.Status.DONE
    assert jobs.import_job_run(job_id) is None  # a second run (another worker, a retry) leaves it alone
    assert Partnership.objects.filter(external_id__in=["ext-1", "ext-2"]).count() == 2


def test_progress_is_visible_to_the_poller_while_the_import_runs(world, monkeypatch):
    job_id = post_job(world.secretariat, GOOD).json()["id"]
    seen = []
    original = jobs.import_file

    def spied(*args, progress, **kwargs):
        def report(stage, done, total):
            progress(stage, done, total)
            seen.append(api_as(world.secretariat).get(f"/api/v1/imports/{job_id}/").json())

        return original(*args, progress=report, **kwargs)

    monkeypatch.setattr(jobs, "import_file", spied)
    jobs.import_job_run(job_id)
    assert seen and seen[-1]["status"] == "running"
    assert seen[-1]["progress"] == {"stage": "writing", "done": 2, "total": 2}
    assert not jobs.progress_path(ImportJob.objects.get(pk=job_id)).exists()  # removed once finished


@pytest.mark.parametrize("who", ["focal_point", "member", "visitor"])
def test_only_the_secretariat_imports(world, who):
    user = world.persona(who)
    assert post_job(user, GOOD).status_code in (401, 403)
    assert api_as(user).get("/api/v1/imports/").status_code in (401, 403)
    assert ImportJob.objects.count() == 0
    client = Client()
    if user:
        client.force_login(user)
    assert client.get("/secretariat/import/").status_code in (302, 403)


def test_too_large_or_unknown_files_are_refused_at_upload(world, settings):
    response = post_job(world.secretariat, GOOD, name="partnerships.pdf")
    assert response.status_code == 400 and "format" in response.json()
    settings.PARTNERHUB_IMPORT_MAX_BYTES = 100
    response = post_job(world.secretariat, GOOD)
    assert response.status_code == 400 and "larger than" in str(response.json()["file"])
    assert ImportJob.objects.count() == 0


def test_import_page_uploads_and_shows_the_job(world, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(world.secretariat)
    page = client.get("/secretariat/import/")
    assert b'enctype="multipart/form-data"' in page.content and b"/secretariat/import/" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/secretariat/import/", {"file": upload(GOOD), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/secretariat/import/{job.pk}/"
    shown = client.get(response["Location"]).content.decode()
    assert "2 partnerships would be created" in shown and "hx-trigger" not in shown  # finished: no polling
    assert not Partnership.objects.filter(external_id="ext-1").exists()  # a dry run
    listed = client.get("/secretariat/import/").content.decode()
    assert job.file_name in listed and "dry run" in listed


def test_the_status_part_polls_until_the_job_finishes(world):
    client = Client()
    client.force_login(world.secretariat)
    job_id = post_job(world.secretariat, BAD).json()["id"]
    part = client.get(f"/secretariat/import/{job_id}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in part and "Waiting for the worker" in part and "<html" not in part
    jobs.import_job_run(job_id)
    part = client.get(f"/secretariat/import/{job_id}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in part and "Nothing was written" in part and "title" in part


def test_a_refused_job_also_says_which_columns_it_ignored(world, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(world.secretariat)
    text = "title,summary,lead_organisation,goals,colour\n,No title here,Ocean Trust,14,blue\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/secretariat/import/", {"file": upload(text)})
    shown = client.get(response["Location"]).content.decode()
    assert "Nothing was written" in shown and "Ignored the columns colour" in shown


def test_a_finished_draft_import_says_what_it_made_and_where_to_find_it(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(world.secretariat)
    one = GOOD.splitlines(keepends=True)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/secretariat/import/", {"file": upload("".join(one))})
    shown = client.get(response["Location"]).content.decode()
    assert "1 row: 1 partnership was created, 0 updated, 0 unchanged; 0 new organisations." in shown
    assert 'href="/partnerships/mine/"' in shown
    assert Partnership.objects.get(external_id="ext-1").status == Partnership.Status.DRAFT
