import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerhub.reference.models import Area, Goal
from partnerhub.registry.models import Deliverable, PartnerRole, Partnership

from ..factories import OrganisationFactory, PartnerFactory, PartnershipFactory, index_all


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _published(title, goal, iso3, org_type="ngo"):
    p = PartnershipFactory(title=title, geographic_level="national")
    p.goals.add(Goal.objects.get(number=goal))
    p.areas.add(Area.objects.get(iso3=iso3))
    PartnerFactory(partnership=p, organisation=OrganisationFactory(type=org_type), role=PartnerRole.LEAD)
    index_all()
    return p


@pytest.fixture
def catalogue(db):
    return [
        _published("Fiji reefs", 14, "FJI"),
        _published("Mali solar", 7, "MLI", org_type="private_msme"),
        _published("Peru schools", 4, "PER", org_type="academia"),
    ]


def titles(response) -> list[str]:
    found = re.findall(r"<h3><a href=\"/partnerships/\d+/\"[^>]*>(.*?)</a></h3>", response.content.decode())
    return [re.sub(r"<[^>]+>", "", title) for title in found]  # without the <mark> of matching words


@pytest.mark.parametrize(
    "query, expected",
    [
        ("goal=14", ["Fiji reefs"]),
        ("goal=14&goal=7", ["Fiji reefs", "Mali solar"]),
        ("country=MLI", ["Mali solar"]),
        ("region=009", ["Fiji reefs"]),  # Oceania
        ("region=419", ["Peru schools"]),  # Latin America and the Caribbean (sub-region)
        ("group=SIDS", ["Fiji reefs"]),
        ("group=LDC", ["Mali solar"]),
        ("organisation_type=academia", ["Peru schools"]),
        ("q=solar", ["Mali solar"]),
        ("sort=title", ["Fiji reefs", "Mali solar", "Peru schools"]),
    ],
)
def test_browse_filters(catalogue, query, expected):
    response = Client().get(f"{reverse('registry:partnership_list')}?{query}")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(expected)
    if query.startswith("sort"):
        assert titles(response) == expected


def test_browse_marks_matches_and_says_when_a_search_finds_nothing(catalogue):
    html = Client().get(reverse("registry:partnership_list") + "?q=solar").content.decode()
    assert "Mali <mark>solar</mark>" in html
    html = Client().get(reverse("registry:partnership_list") + "?q=glaciers").content.decode()
    assert "No partnership matches this search." in html
    html = Client().get(reverse("registry:partnership_list") + "?goal=1").content.decode()
    assert "No partnership matches these filters." in html


def test_browse_with_htmx_returns_only_the_results(catalogue):
    response = Client().get(reverse("registry:partnership_list") + "?goal=7", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Mali solar" in html and "1 partnership" in html


def test_browse_rejects_unknown_goal_with_a_message(catalogue):
    response = Client().get(reverse("registry:partnership_list") + "?goal=99")
    assert response.status_code == 200
    assert titles(response) == [] and "alert-error" in response.content.decode()


def _queries(url) -> int:
    client = Client()
    # The search engine catches up with the writes once, not per row: the embedded index, or on
    # PostgreSQL the process's columns (a rebuild and a catch-up take different numbers of queries).
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/partnerships/", "/"])
def test_list_pages_do_not_grow_queries_with_rows(db, url):
    for i in range(2):
        _published(f"A{i}", 14, "FJI")
    few = _queries(url)
    for i in range(15):
        _published(f"B{i}", 3, "KEN")
    assert _queries(url) == few


def test_home_figures_count_what_browsing_lists(catalogue, world):
    """The home page's figures agree with the browse page and the insights (a delisted partnership is in
    neither), and with the tables: distinct organisations and countries of the listed partnerships."""
    from partnerhub.reporting.services import delist

    def figures() -> list[int]:
        page = Client().get("/").content.decode()
        return [int(n.replace(",", "")) for n in re.findall(r"<dt>[^<]+</dt><dd>([\d,]+)", page)]

    listed = Partnership.objects.filter(status=Partnership.Status.PUBLISHED)
    organisations = listed.values("partners__organisation").distinct().count()
    # Fiji, Mali, Peru and the world's reef partnership; goals 14 (twice), 7 and 4.
    assert figures() == [4, organisations, 3, 3] and organisations == 5
    delist(partnership=world.published, actor=world.secretariat, reason="Never reported.")
    assert figures() == [3, 3, 3, 3]
    assert sorted(titles(Client().get(reverse("registry:partnership_list")))) == [
        "Fiji reefs", "Mali solar", "Peru schools"
    ]  # fmt: skip


def test_organisation_pages_list_each_once_by_name_with_their_published_partnerships(world, catalogue):
    """Paged by name (then id: two share a name), every organisation once, with the published partnerships
    it is in (the world's draft is not counted)."""
    from partnerhub.registry.views.common import PAGE_SIZE

    for n in range(PAGE_SIZE + 3):
        OrganisationFactory(name=f"Same name {n % 2}")
    seen, page = [], 1
    while True:
        html = Client().get(f"{reverse('registry:organisation_list')}?page={page}").content.decode()
        rows = re.findall(
            r'<tr><td><a href="/organisations/(\d+)/">([^<]+)</a>.*?<td>(\d+)</td></tr>', html, re.S
        )
        seen += [(int(pk), name, int(count)) for pk, name, count in rows]
        if f"page={page + 1}" not in html:
            break
        page += 1
    from partnerhub.registry.models import Organisation

    assert [pk for pk, _, _ in seen] == list(
        Organisation.objects.order_by("name", "pk").values_list("pk", flat=True)
    )
    counts = {name: count for _, name, count in seen}
    assert (
        counts["Ocean Trust"] == 1
        and counts["Coastal University"] == 1
        and counts["Unrelated Foundation"] == 0
    )


def test_home_champions_are_read_from_their_own_index(db):
    """Not by walking every published partnership in date order (half a second at 200,000)."""
    from partnerhub.registry.selectors import partnership_list

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner chooses by its statistics, which an empty test table does not have")
    sql, params = partnership_list().filter(featured=True)[:3].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "USING INDEX partnership_featured" in plan


def test_detail_never_shows_a_blank_date_as_a_date(world):
    Deliverable.objects.create(partnership=world.published, title="Undated milestone")
    html = Client().get(world.published.get_absolute_url()).content.decode()
    assert "no date" in html and "start not given" in html and "open-ended" in html
    assert "None" not in html


def test_register_form_shows_errors_next_to_fields_and_saves_nothing(world):
    client = login(world.focal_point)
    data = {
        "title": "", "summary": "x", "geographic_level": "national", "category": "other", "language": "en",
        "start_date": "2026-05-01", "end_date": "2026-01-01",
        "partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0",
        "partners-0-organisation": world.lead_org.pk, "partners-0-role": "funding",
        "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0",
        "deliverables-TOTAL_FORMS": "0", "deliverables-INITIAL_FORMS": "0",
    }  # fmt: skip
    before = Partnership.objects.count()
    response = client.post(reverse("registry:partnership_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="field has-error required"' in html
    assert "The end date must be on or after the start date." in html
    assert Partnership.objects.count() == before
    # Now fix the form fields; the service still refuses: no lead partner and no area.
    data.update(title="Valid title", end_date="2026-12-31")
    html = client.post(reverse("registry:partnership_create"), data).content.decode()
    assert "Exactly one partner must be the lead" in html
    assert "Name at least one country or region" in html
    assert Partnership.objects.count() == before
    data.update({"partners-0-role": "lead", "areas": ["242"], "goals": ["14"]})
    response = client.post(reverse("registry:partnership_create"), data)
    assert response.status_code == 302
    created = Partnership.objects.get(title="Valid title")
    assert created.status == "draft" and list(created.focal_points.all()) == [world.focal_point]


@pytest.mark.parametrize(
    "typed, found",
    [
        ("Ocean Trust #{lead}", "lead"),  # what a suggestion writes
        ("  ocean TRUST ", "lead"),  # the exact name, any case
        ("{lead}", "lead"),  # an id
        ("OT", "lead"),  # the acronym
        ("Twin Reef Society", "ambiguous"),
        ("Twin Reef Society #{twin}", "twin"),
        ("Ocean", "unknown"),
        ("Ocean Trust #999999", "unknown"),
    ],
)
def test_organisation_fields_take_a_typed_organisation(world, typed, found):
    """Partners are typed, not picked from a select of every organisation (3.6 MB of options at 200,000
    partnerships): a suggestion's label, an exact name or acronym, or an id; anything else is refused
    next to the field with the reason, and nothing is saved."""
    world.lead_org.acronym = "OT"
    world.lead_org.save()
    twin = OrganisationFactory(name="Twin Reef Society")
    OrganisationFactory(name="twin reef society")
    data = {
        "title": "Typed partners", "summary": "x", "geographic_level": "national", "category": "other",
        "language": "en", "areas": ["242"], "goals": ["14"],
        "partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0",
        "partners-0-organisation": typed.format(lead=world.lead_org.pk, twin=twin.pk), "partners-0-role": "lead",
        "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0",
        "deliverables-TOTAL_FORMS": "0", "deliverables-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = login(world.focal_point).post(reverse("registry:partnership_create"), data)
    created = Partnership.objects.filter(title="Typed partners").first()
    if found in ("lead", "twin"):
        assert response.status_code == 302
        expected = world.lead_org if found == "lead" else twin
        assert [p.organisation for p in created.partners.all()] == [expected]
        return
    html = response.content.decode()
    assert created is None and response.status_code == 200
    if found == "ambiguous":
        assert "Several organisations are called" in html and f"Twin Reef Society #{twin.pk}" in html
    else:
        assert "No registered organisation is called" in html


def test_register_form_suggests_organisations_instead_of_listing_them(world):
    client = login(world.focal_point)
    html = client.get(reverse("registry:partnership_create")).content.decode()
    assert 'name="partners-0-organisation"' in html and 'list="organisation-options"' in html
    assert world.other_org.name not in html  # no organisation is listed
    OrganisationFactory(name="Trust of the Ocean Islands")
    options = client.get(reverse("registry:organisation_options"), {"q": "OCEAN"}).content.decode()
    labels = re.findall(r'<option value="([^"]+)"', options)
    # Names that start with the text come first, then those that contain it.
    assert [label.split(" #")[0] for label in labels] == ["Ocean Trust", "Trust of the Ocean Islands"]
    assert client.get(reverse("registry:organisation_options"), {"q": "o"}).content.decode().strip() == ""


def test_edit_keeps_existing_rows_and_refuses_stale_versions(world):
    client = login(world.focal_point)
    page = client.get(reverse("registry:partnership_edit", args=[world.published.pk]))
    form = page.context["editor"]
    assert form.partners.initial_form_count() == 2
    data = {
        "title": "Edited title", "summary": world.published.summary, "geographic_level": "global",
        "category": "other", "language": "en", "goals": ["14"],
        "version": world.published.version,
        "partners-TOTAL_FORMS": "2", "partners-INITIAL_FORMS": "2",
        "partners-0-organisation": world.lead_org.pk, "partners-0-role": "lead",
        "partners-1-organisation": world.partner_org.pk, "partners-1-role": "technical",
        "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0",
        "deliverables-TOTAL_FORMS": "0", "deliverables-INITIAL_FORMS": "0",
    }  # fmt: skip
    assert (
        client.post(reverse("registry:partnership_edit", args=[world.published.pk]), data).status_code == 302
    )
    world.published.refresh_from_db()
    assert world.published.title == "Edited title" and world.published.partners.count() == 2
    data["title"] = "Second edit from a stale form"
    html = client.post(reverse("registry:partnership_edit", args=[world.published.pk]), data).content.decode()
    assert "changed by someone else" in html
    world.published.refresh_from_db()
    assert world.published.title == "Edited title"


def test_history_tab_lists_changes(world):
    client = login(world.focal_point)
    html = client.get(reverse("registry:partnership_history", args=[world.published.pk])).content.decode()
    assert "Change history" in html and "created" in html


def test_review_queue_is_for_the_secretariat(world):
    Partnership.objects.filter(pk=world.partnership.pk).update(status="submitted")
    assert login(world.focal_point).get(reverse("registry:review_queue")).status_code == 403
    html = login(world.secretariat).get(reverse("registry:review_queue")).content.decode()
    assert "Mangrove draft" in html


def test_pages_in_french_spanish_and_arabic(world):
    client = Client()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="fr"' in html and ">Partenariats</a>" in html and ">Mise en relation</a>" in html
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert ">Alianzas</a>" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    html = client.get(world.published.get_absolute_url()).content.decode()
    assert 'dir="rtl"' in html and "الحياة تحت الماء" in html  # goal 14 in Arabic
    assert ">المنتدى</a>" in html  # the menu too


ENGLISH_UI = ["Download:", "SMART check", "Similar partnerships", "Needs and pitches", "Workspace", "Reporting",
              "Forum: scale-up pitches", "Partnerships need", "Organisations offer", "Champion partnerships",
              "Insights: coverage, gaps and interlinkages", "Where partnerships work"]  # fmt: skip


@pytest.mark.parametrize("lang", ["ar", "ru", "zh-hans"])
def test_public_pages_have_no_english_labels_in_arabic_russian_and_chinese(world, lang):
    client = Client()
    client.post(reverse("set_language"), {"language": lang, "next": "/"})
    pages = ["/partnerships/", world.published.get_absolute_url(), "/insights/", "/insights/champions/",
             "/matching/", "/forum/"]  # fmt: skip
    for path in pages:
        text = re.sub(r"<[^>]+>", " ", client.get(path).content.decode())
        assert not [label for label in ENGLISH_UI if label in text], path


def test_unknown_workflow_action_is_not_found(world):
    response = login(world.secretariat).post(
        reverse("registry:partnership_workflow", args=[world.partnership.pk, "explode"])
    )
    assert response.status_code == 404
