"""The secretariat imports a file from the web page and watches the worker run it, without reloading."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from partnerhub.accounts.models import SECRETARIAT_GROUP
from partnerhub.registry.models import Partnership

from ..factories import UserFactory
from .test_journeys import log_in

CSV = (
    "title,summary,lead_organisation,lead_organisation_type,goals,countries,external_id\n"
    "Reef guardians,Villages restore reefs,Ocean Trust,ngo,14,FJI,ext-1\n"
    "Mangrove schools,Schools plant mangroves,Blue Schools Network,academia,4;14,PHL,ext-2\n"
)


def test_secretariat_uploads_a_file_and_the_page_follows_the_job_to_its_end(site, page, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a real queue and worker
    curator = UserFactory(username="curator")
    curator.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    upload = tmp_path / "partnerships.csv"
    upload.write_text(CSV, encoding="utf-8")

    log_in(page, site, "curator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_label("Publish the new partnerships").check()
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="Import of partnerships.csv")).to_be_visible()
    expect(page.get_by_text("Waiting for the worker")).to_be_visible()
    url = page.url

    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)
    # The status part polls every second: the result appears on the same page, no reload.
    expect(page.get_by_text("2 partnerships were created")).to_be_visible()
    assert page.url == url
    expect(page.get_by_role("link", name="See the newest partnerships")).to_be_visible()
    assert Partnership.objects.filter(status="published", external_id__in=["ext-1", "ext-2"]).count() == 2
    page.screenshot(path=str(tmp_path / "import.png"))
