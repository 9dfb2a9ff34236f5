"""Accessibility: every kind of page, on the demo data, passes axe-core's WCAG 2.1 A and AA rules.

axe-core (Deque's rule engine, which browsers' own audits use) runs in Chromium on the rendered page,
after its deferred panels have loaded: contrast of the text actually shown, names and roles of links and
controls, ARIA use, labels, language. A new page or a restyled one that breaks a rule fails here with
the rule, the elements and axe's advice. The Swagger UI of /api/docs/ is a third-party page and is not
checked (its own contrast and nesting fail).
"""

from io import StringIO

from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from partnerhub.lifecycle.sections import SECTIONS
from partnerhub.matching.models import Need, Offer, Pitch
from partnerhub.registry.demo_data import DEMO_PASSWORD
from partnerhub.registry.models import Organisation, Partnership
from partnerhub.reporting.models import Report

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _violations(page, site: str, paths: list[str]) -> list[str]:
    axe, found = Axe(), []
    for path in paths:
        response = page.goto(site + path)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        page.wait_for_load_state("networkidle")  # panels loaded after the page (htmx)
        for rule in axe.run(page, options=WCAG_AA).response["violations"]:
            targets = ", ".join(str(node["target"]) for node in rule["nodes"][:3])
            found.append(f"{path}: {rule['id']} ({rule['impact']}) {rule['help']}: {targets}")
    return found


def _log_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _public_pages(polio: int) -> list[str]:
    organisation = Organisation.objects.order_by("pk").first()
    assert organisation is not None
    return [
        "/", "/partnerships/", "/partnerships/?q=water&goal=6", "/partnerships/?goal=3&goal=5&sort=title",
        f"/partnerships/{polio}/", f"/partnerships/{polio}/history/", "/organisations/",
        f"/organisations/{organisation.pk}/", "/insights/", "/insights/goals/14/", "/insights/countries/IND/",
        "/insights/champions/", "/matching/", "/forum/", f"/needs/{Need.objects.first().pk}/",  # type: ignore[union-attr]
        f"/offers/{Offer.objects.first().pk}/", f"/pitches/{Pitch.objects.first().pk}/",  # type: ignore[union-attr]
        "/accounts/login/", "/accounts/signup/", "/api/redoc/",
    ]  # fmt: skip


def test_every_kind_of_page_meets_wcag_aa_in_english_and_in_arabic_on_a_phone(site, browser, page):
    """One test, so the demo is loaded once: the public pages, the secretariat's, a focal point's
    workspace and reports, then a few pages in Arabic (right to left) at a phone's width."""
    call_command("load_demo", stdout=StringIO())
    polio = Partnership.objects.get(title="Pulse Polio Immunization Programme").pk
    organisation = Organisation.objects.order_by("pk").first()
    report = Report.objects.filter(partnership_id=polio).first()
    need, offer, pitch = Need.objects.first(), Offer.objects.first(), Pitch.objects.first()
    assert organisation and report and need and offer and pitch
    found = _violations(page, site, [
        "/", "/partnerships/", "/partnerships/?q=water&goal=6", "/partnerships/?goal=3&goal=5&sort=title",
        f"/partnerships/{polio}/", f"/partnerships/{polio}/history/", "/organisations/",
        f"/organisations/{organisation.pk}/", "/insights/", "/insights/goals/14/", "/insights/countries/IND/",
        "/insights/champions/", "/matching/", "/forum/", f"/needs/{need.pk}/", f"/offers/{offer.pk}/",
        f"/pitches/{pitch.pk}/", "/accounts/login/", "/accounts/signup/", "/api/redoc/",
    ])  # fmt: skip

    _log_in(page, site, "secretariat")
    found += _violations(page, site, [
        "/partnerships/new/", f"/partnerships/{polio}/edit/", "/partnerships/review/", f"/reports/{report.pk}/",
        "/secretariat/follow-up/", "/secretariat/goal-review/", "/secretariat/diligence/",
        f"/secretariat/diligence/organisations/{organisation.pk}/", "/secretariat/import/", "/accounts/profile/",
        "/organisations/new/", f"/organisations/{organisation.pk}/edit/",
    ])  # fmt: skip
    page.context.clear_cookies()
    _log_in(page, site, "focal")  # the partnership's focal point: its reports, workspace and listings
    found += _violations(page, site, [
        "/partnerships/mine/", f"/partnerships/{polio}/reports/", f"/partnerships/{polio}/reports/new/",
        f"/partnerships/{polio}/needs/", "/offers/new/", f"/partnerships/{polio}/workspace/",
        *(f"/partnerships/{polio}/workspace/{section}/" for section in SECTIONS if section != "checklist"),
    ])  # fmt: skip

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    try:
        arabic = phone.new_page()
        arabic.set_default_timeout(15000)
        found += _violations(arabic, site, [
            "/", "/partnerships/", f"/partnerships/{polio}/", "/insights/", "/insights/goals/14/", "/matching/",
            "/accounts/login/",
        ])  # fmt: skip
        assert arabic.locator("html").get_attribute("lang") == "ar"
    finally:
        phone.close()
    assert found == []
