"""The search service on the current engine (SQLite by default, PostgreSQL in CI): same contract on both."""

import unicodedata

import numpy as np
import pytest
import tantivy
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from partnerhub.gunicorn_config import post_worker_init
from partnerhub.reference.models import Area, Goal, Target
from partnerhub.registry import services
from partnerhub.registry.models import PartnerRole, Partnership, SearchDocument
from partnerhub.registry.search.analysis import fold
from partnerhub.registry.search.columns import PROCESS_COLUMNS, Columns, outbox_head
from partnerhub.registry.search.engines import Aggregation, SearchRequest, _ranked_page, current_engine
from partnerhub.registry.search.present import highlight, snippet
from partnerhub.registry.search.query import at_least_two, parse, phrase_options, to_tsquery
from partnerhub.registry.search.service import SearchParams, _encode, search, search_ids, search_request
from partnerhub.registry.search.tantivy_engine import TantivyEngine

from ..factories import OrganisationFactory, UserFactory


def make(title, summary, *, lang="en", goals=(), country=None, org_name=None, publish=True, author=None):
    author = author or UserFactory()
    org = OrganisationFactory(name=org_name) if org_name else OrganisationFactory()
    data = services.PartnershipData(
        title=title,
        summary=summary,
        language=lang,
        geographic_level="national" if country else "global",
        areas=[Area.objects.get(iso3=country)] if country else [],
        goals=list(Goal.objects.filter(number__in=goals)),
        partners=[services.PartnerData(organisation=org, role=PartnerRole.LEAD)],
    )
    p = services.partnership_create(author=author, data=data)
    if publish:
        services.partnership_submit(partnership=p, author=author)
        services.partnership_publish(partnership=p, reviewer=author)
    return p


def titles(q="", **kwargs) -> list[str]:
    result = search(SearchParams(q=q, **kwargs))
    by_id = dict(Partnership.objects.filter(pk__in=result.ids).values_list("pk", "title"))
    return [by_id[i] for i in result.ids]


@pytest.fixture
def corpus(db, reference_data):
    return {
        "blue": make("Blue economy for island women", "Women's cooperatives develop sustainable fisheries.",
                     goals=[14, 5], country="FJI", org_name="Pacific Women Fishers"),
        "plastic": make("Ocean plastic clean-up", "Removing plastic waste from the ocean and beaches.",
                        goals=[14], country="IDN", org_name="Clean Seas Alliance"),
        "economy": make("Circular economy in blue cities", "Recycling and repair businesses in coastal towns.",
                        goals=[12], country="PHL"),
        "fr": make("Protection des océans et pêche durable", "Les pêcheurs protègent les récifs coralliens.",
                   lang="fr", goals=[14], country="SEN"),
        "ru": make("Чистая вода для сёл", "Обеспечение сельских общин чистой питьевой водой.",
                   lang="ru", goals=[6], country="KGZ"),
        "ar": make("المياه النظيفة للقرى", "توفير مياه الشرب النظيفة للمجتمعات الريفية.", lang="ar",
                   goals=[6], country="JOR"),
        "zh": make("海洋保护与可持续渔业", "沿海社区保护珊瑚礁。", lang="zh", goals=[14], country="CHN"),
        "draft": make("Unpublished mangrove draft", "Mangroves.", publish=False),
    }  # fmt: skip


def test_words_phrases_exclusion_and_or(corpus):
    assert titles("plastic") == ["Ocean plastic clean-up"]
    assert set(titles("blue economy")) == {"Blue economy for island women", "Circular economy in blue cities"}
    assert titles('"blue economy"') == ["Blue economy for island women"]
    assert titles("ocean -plastic") == ["Protection des océans et pêche durable"]
    assert set(titles("fisheries OR recycling")) == {
        "Blue economy for island women",
        "Circular economy in blue cities",
    }


def test_at_least_two_of_the_words(corpus):
    """The "more like this" query: documents with two of the words or more, best first."""

    def found(words, lang="en"):
        result = search(SearchParams(parsed=at_least_two(words, lang)))
        by_id = dict(Partnership.objects.filter(pk__in=result.ids).values_list("pk", "title"))
        return [by_id[i] for i in result.ids]

    words = ["fisheries", "cooperatives", "plastic", "recycling", "island"]
    assert found(words) == ["Blue economy for island women"]  # three of them; the others have one
    assert set(found(["blue", "economy", "mangrove"])) == {
        "Blue economy for island women",
        "Circular economy in blue cities",
    }
    # ranked by the words shared (four, then two), on both engines
    assert found(["blue", "economy", "women", "cooperatives"]) == [
        "Blue economy for island women",
        "Circular economy in blue cities",
    ]
    # More shared words outrank two in a shorter entry (PostgreSQL would rank the conjunction the other way)
    close = make("Mangrove restoration", "Coastal work.")
    spread = make("Mangrove and wetland restoration", "Seagrass nurseries.")
    assert found(["mangrove", "restoration", "wetland", "seagrass", "nurseries"]) == [
        spread.title,
        close.title,
    ]
    assert found(["ocean", "beaches"]) == ["Ocean plastic clean-up"]  # fewer than three: all of them
    assert found(["ocean", "recifs", "pêche"], "fr") == ["Protection des océans et pêche durable"]
    assert found(["海洋", "珊瑚礁", "沙漠"], "zh") == ["海洋保护与可持续渔业"]
    assert found(["plastic"]) == ["Ocean plastic clean-up"]


def test_title_weighs_more_than_body(corpus):
    assert titles("ocean")[0] == "Ocean plastic clean-up"


def test_stemming_case_and_accents(corpus):
    assert titles("FISHERY") == ["Blue economy for island women"]  # fisheries → fisheri
    assert titles("oceans")[0] == "Ocean plastic clean-up"
    assert "Protection des océans et pêche durable" in titles("ocean")  # accent-insensitive
    assert titles("recifs") == ["Protection des océans et pêche durable"]


def test_russian_arabic_and_chinese(corpus):
    assert titles("вода") == ["Чистая вода для сёл"]
    assert titles("воды") == ["Чистая вода для сёл"]  # stemmed
    assert titles("النظيفة") == ["المياه النظيفة للقرى"]
    assert titles("海洋") == ["海洋保护与可持续渔业"]  # two characters
    assert titles("珊瑚礁") == ["海洋保护与可持续渔业"]  # three characters
    assert titles("保护") == ["海洋保护与可持续渔业"]


def test_organisation_names_are_searched(corpus):
    assert titles("Clean Seas") == ["Ocean plastic clean-up"]


def test_drafts_are_not_found(corpus):
    assert titles("mangrove") == []


def test_filters_combine_with_text_and_facets_count_the_result(corpus):
    result = search(SearchParams(q="ocean", filters={"goal": ["14"], "group": ["SIDS"]}))
    assert result.total == 0
    result = search(SearchParams(q="", filters={"goal": ["14"]}))
    assert result.total == 4
    assert result.facets["goal"]["14"] == 4 and result.facets["goal"]["5"] == 1
    assert result.facets["group"]["SIDS"] == 1  # Fiji
    assert result.facets["region"]["142"] == 2  # Asia: Indonesia, China
    result = search(SearchParams(q="", filters={"region": ["002"]}))  # Africa
    assert {Partnership.objects.get(pk=i).title for i in result.ids} == {
        "Protection des océans et pêche durable"
    }


def test_keyset_pages_neither_skip_nor_repeat(corpus):
    for sort in ("newest", "title", "relevance"):
        seen, cursor = [], None
        q = "" if sort != "relevance" else "ocean OR water OR economy OR вода OR 海洋 OR المياه"
        for _ in range(20):
            result = search(SearchParams(q=q, sort=sort, cursor=cursor, limit=2))
            seen += result.ids
            cursor = result.next_cursor
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == result.total, sort


def test_sort_by_title(corpus):
    names = titles(sort="title")
    assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize(
    "q", ['"unbalanced', "--", "OR OR", '" "', ") AND (", "-", "a" * 900, "NOT", "*", "ocean OR", "¿¡"]
)
def test_malformed_queries_never_fail(corpus, q):
    search(SearchParams(q=q))


def test_too_long_query_and_bad_cursor_are_clear_errors(corpus):
    with pytest.raises(ValidationError) as error:
        search(SearchParams(q="x" * 10_000))
    assert "too long" in str(error.value)
    with pytest.raises(ValidationError, match="page link"):
        search(SearchParams(cursor="not-a-cursor"))
    with pytest.raises(ValidationError, match="Sort by"):
        search(SearchParams(sort="random"))


@pytest.mark.parametrize(
    "values",
    [
        ["relevance", "best", 1], ["relevance", 0.5], ["relevance", True, 1], ["relevance", -0.1, "1"],
        ["newest", "yesterday", 1], ["newest", 5, 1], ["newest", "2026-01-01T00:00:00+00:00", None],
        ["title", 7, 1], ["title", "Ocean", "one"], ["title", None, 1], ["newest"],
    ],
)  # fmt: skip
def test_a_tampered_cursor_is_a_clear_error_on_every_sort(corpus, values):
    with pytest.raises(ValidationError, match="page link"):
        search(SearchParams(q="ocean OR water" if values[0] == "relevance" else "", cursor=_encode(values)))


def test_the_best_page_of_many_matches_keeps_ties_in_id_order():
    """PostgreSQL ranks every match and picks the page in numpy; with many matches only those up to the
    page's last rank are sorted, ties across that cut included."""
    rng = np.random.default_rng(3)
    ids = rng.permutation(np.arange(1, 2001, dtype=np.int64))
    ranks = -rng.integers(0, 40, len(ids)).astype(np.float64)  # many ties
    expected = sorted(zip(ranks.tolist(), ids.tolist(), strict=True))
    cursor, seen = None, []
    for _ in range(400):
        request = SearchRequest(
            query=parse("x"), filters=[], sort="relevance", cursor=cursor, limit=7, facets=False
        )
        page = _ranked_page(ids, ranks, request, total=len(ids), facets={})
        seen += page.ids
        if not page.next_cursor:
            break
        cursor = ["relevance", *page.next_cursor]
    assert seen == [i for _, i in expected]


def test_index_follows_create_edit_unpublish_and_delete(corpus):
    author = UserFactory()
    p = make("Seagrass meadows of Zanzibar", "Restoring seagrass.", country="TZA", author=author)
    assert titles("seagrass") == ["Seagrass meadows of Zanzibar"]
    data = services.PartnershipData(
        title="Kelp forests of Zanzibar", summary="Restoring kelp.", geographic_level="global",
        targets=[Target.objects.get(code="14.2")],
    )  # fmt: skip
    services.partnership_update(partnership=p, author=author, data=data)
    assert titles("seagrass") == [] and titles("kelp") == ["Kelp forests of Zanzibar"]
    assert search(SearchParams(q="kelp", filters={"target": ["14.2"]})).total == 1
    services.partnership_unpublish(partnership=p, reviewer=author, comment="Check the data.")
    assert titles("kelp") == []
    services.partnership_delete(partnership=p, author=author)
    assert not SearchDocument.objects.filter(partnership_id=p.pk).exists()


def _every_page(params: SearchParams) -> list[int]:
    seen, cursor = [], None
    while True:
        result = search(
            SearchParams(q=params.q, filters=params.filters, sort="newest", cursor=cursor, limit=2)
        )
        seen += result.ids
        if not (cursor := result.next_cursor):
            return sorted(seen)


@pytest.mark.parametrize(
    "q, filters",
    [("", {}), ("", {"goal": ["14"]}), ("ocean OR water", {}), ("ocean OR вода", {"goal": ["14", "6"]}),
     ("", {"goal": ["14"], "group": ["SIDS"]}), ("plastic", {"goal": ["6"]}), ("-plastic", {"goal": ["14"]})],
)  # fmt: skip
def test_all_the_ids_of_a_search_are_those_its_pages_list(corpus, q, filters):
    """Bulk export and the insights' lessons read every id a search matches at once (from the columns, not
    by paging); they are the ids its pages list, in id order, and follow a write at once."""
    params = SearchParams(q=q, filters=filters)
    assert search_ids(params) == _every_page(params)
    services.partnership_unpublish(partnership=corpus["blue"], reviewer=UserFactory(), comment="Check it.")
    assert corpus["blue"].pk not in search_ids(params)
    assert search_ids(params) == _every_page(params)


def test_organisation_rename_reaches_its_partnerships(corpus):
    org = corpus["plastic"].partners.get().organisation
    author = UserFactory()
    services.organisation_update(
        organisation=org, author=author, data=services.OrganisationData(name="Litter Free Oceans", type="ngo")
    )
    assert titles("litter") == ["Ocean plastic clean-up"]


def test_query_compiles_the_same_units_for_both_engines():
    query = parse('"blue economy" reef OR mangrove -plastic')
    assert [len(group) for group in query.groups] == [1, 2] and len(query.excluded) == 1
    # Phrase alternatives are expanded position-wise in one language: ("blue", "economi"), not a product.
    assert ("blue", "economi") in phrase_options(query.groups[0][0])
    assert to_tsquery(query).count("<->") == 1 and "!" in to_tsquery(query)


@pytest.fixture
def private_index(settings, tmp_path):
    """The embedded engine on an index directory of its own (SQLite only: PostgreSQL has no separate index)."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded Tantivy index serves SQLite only")
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    return settings.SEARCH_INDEX_DIR


def test_a_new_index_builds_itself_from_the_documents(corpus, private_index):
    assert titles("plastic") == ["Ocean plastic clean-up"]
    assert search(SearchParams()).total == 7


def test_another_process_sees_a_write_at_once(corpus, private_index):
    other = TantivyEngine(private_index)  # what a second web worker holds
    assert other.search(search_request(SearchParams(q="seagrass"))).total == 0
    make("Seagrass meadows of Zanzibar", "Restoring seagrass.", country="TZA")
    assert other.search(search_request(SearchParams(q="seagrass"))).total == 1
    head = outbox_head()
    assert titles("seagrass") == ["Seagrass meadows of Zanzibar"]  # this process reloads, applies nothing
    assert TantivyEngine.at(private_index)._meta == head


def test_a_rolled_back_write_leaves_no_trace_in_the_index(corpus, private_index):
    with pytest.raises(RuntimeError), transaction.atomic():
        make("Seagrass meadows of Zanzibar", "Restoring seagrass.", country="TZA")
        make("Seagrass nursery", "Growing seagrass.", country="TZA")
        assert len(titles("seagrass")) == 2  # applied, uncommitted
        raise RuntimeError("roll back")
    # The index's last change is gone from the outbox (its seq may even be reused): it rebuilds.
    make("Kelp forests of Zanzibar", "Restoring kelp.", country="TZA")
    assert titles("seagrass") == [] and titles("kelp") == ["Kelp forests of Zanzibar"]
    # The outbox still proves what is current: an index started afresh elsewhere builds the same.
    fresh = TantivyEngine(private_index.parent / "fresh")
    assert fresh.search(search_request(SearchParams(q="kelp"))).total == 1
    assert fresh.search(search_request(SearchParams())).total == 8


def _pages(q="", sort="title", limit=2, between=None) -> list[int]:
    seen, cursor = [], None
    for _ in range(50):
        result = search(SearchParams(q=q, sort=sort, cursor=cursor, limit=limit))
        seen += result.ids
        if between and len(seen) == limit:
            between()
        cursor = result.next_cursor
        if not cursor:
            return seen
    raise AssertionError("paging did not end")


def test_title_pages_with_shared_prefixes_and_a_removal_between_pages(corpus):
    made = [make(f"Water supply {n:02d}", "Pipes and pumps.") for n in range(9)]
    expected = [
        p.pk for p in sorted(Partnership.objects.filter(status="published"), key=lambda p: p.title.casefold())
    ]
    assert _pages() == expected
    author = UserFactory()

    def remove_one_already_seen():
        services.partnership_unpublish(partnership=made[0], reviewer=author, comment="Duplicate.")

    seen = _pages(between=remove_one_already_seen)
    assert len(seen) == len(set(seen)) and set(expected) - {made[0].pk} <= set(seen)


def test_relevance_pages_with_a_removal_between_pages(corpus):
    for n in range(7):
        make(f"Reef survey {n}", "Coral reef monitoring " * (n + 1))
    everything = search(SearchParams(q="reef", limit=200)).ids
    author = UserFactory()

    def remove_the_best():
        services.partnership_unpublish(
            partnership=Partnership.objects.get(pk=everything[0]), reviewer=author, comment="Duplicate."
        )

    seen = _pages(q="reef", sort="relevance", limit=3, between=remove_the_best)
    assert seen[:3] == everything[:3]
    assert len(seen) == len(set(seen)) and set(everything) - {everything[0]} <= set(seen)


def test_an_index_of_another_layout_is_rebuilt(corpus, private_index):
    assert titles("plastic") == ["Ocean plastic clean-up"]  # builds the index
    engine = TantivyEngine.at(private_index)
    with engine.lock, engine._file_lock():
        writer = engine._index.writer(heap_size=20_000_000, num_threads=1)
        writer.delete_all_documents()  # as if an older layout: no documents, an older version mark
        writer.add_document(
            tantivy.Document(kind="meta", seq=engine._meta[0], token=engine._meta[1], version=0)
        )
        writer.commit()
    restarted = TantivyEngine(private_index)  # the next process to open it
    assert restarted.search(search_request(SearchParams(q="plastic"))).total == 1


def test_snippets_and_titles_mark_the_matching_words_and_escape_the_rest():
    query = parse("oceans plastic")
    assert highlight("Ocean <b>plastic</b> clean-up", query, "en") == (
        "<mark>Ocean</mark> &lt;b&gt;<mark>plastic</mark>&lt;/b&gt; clean-up"
    )
    text = " ".join(["word"] * 30 + ["Plastic", "waste"] + ["word"] * 30)
    window = snippet(text, query, "en", words=10)
    assert window.startswith("… ") and window.endswith(" …") and "<mark>Plastic</mark>" in window
    assert highlight("", query, "en") == ""


def test_an_index_with_another_schema_is_replaced(corpus, private_index):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=True)
    private_index.mkdir(parents=True)
    foreign = tantivy.Index(builder.build(), path=str(private_index))
    writer = foreign.writer(heap_size=20_000_000, num_threads=1)
    writer.add_document(tantivy.Document(title="not ours"))
    writer.commit()
    assert titles("plastic") == ["Ocean plastic clean-up"]


def test_reindex_rebuilds_documents_and_index(corpus):
    SearchDocument.objects.filter(pk=corpus["plastic"].pk).update(title="", orgs="", body="")  # damaged
    current_engine().sync()
    assert titles("plastic") == []
    call_command("reindex", verbosity=0)
    assert titles("plastic") == ["Ocean plastic clean-up"]


def _figures(columns: Columns, by: list[str], filters=()) -> tuple:
    """An aggregation as plain values, to compare two column sets."""
    total, buckets = columns.aggregate(columns.mask(list(filters), []), Aggregation(by=by))

    def plain(b):
        return (b.count, b.partners, b.money, {k: plain(v) for k, v in sorted(b.sub.items())})

    return plain(total), {k: plain(v) for k, v in sorted(buckets.items())}


def test_aggregation_columns_follow_every_write_and_equal_a_rebuild(corpus):
    columns = Columns()
    columns.refresh()
    assert _figures(columns, ["goal"])[0][:2] == (7, 7)  # published partnerships, their lead organisations
    author = UserFactory()
    p = make("Seagrass meadows of Zanzibar", "Restoring seagrass.", goals=[14], country="TZA", author=author)
    columns.refresh()  # catches up from the outbox: the new row is appended
    assert len(columns.ids) == 8 and _figures(columns, ["goal"])[1]["14"][0] == 5
    data = services.PartnershipData(
        title="Kelp forests of Zanzibar", summary="Restoring kelp.", geographic_level="global",
        goals=list(Goal.objects.filter(number__in=[13, 14])), targets=[Target.objects.get(code="14.2")],
        partners=[services.PartnerData(organisation=corpus["plastic"].partners.get().organisation, role=PartnerRole.LEAD)],
    )  # fmt: skip
    services.partnership_update(partnership=p, author=author, data=data)
    columns.refresh()
    assert len(columns.ids) == 9 and int(columns.live.sum()) == 8  # the edited one's old row is dead
    for by, filters in (
        (["goal"], []),
        (["goal", "region"], []),
        (["target"], [["goal:14"]]),
        (["goal", "goal"], []),
    ):
        fresh = Columns()
        fresh.refresh()
        assert _figures(columns, by, filters) == _figures(fresh, by, filters)
    assert _figures(columns, ["goal"])[1]["13"][:2] == (1, 1)
    services.partnership_unpublish(partnership=p, reviewer=author, comment="Check the data.")
    columns.refresh()
    assert _figures(columns, ["goal"])[0][0] == 7 and "13" not in _figures(columns, ["goal"])[1]


@pytest.mark.django_db(transaction=True)
def test_a_new_web_worker_builds_its_search_columns_at_once_on_postgresql(reference_data):
    make("Coral gardens of Palau", "Reef restoration.")
    PROCESS_COLUMNS.__init__()  # a new process's
    post_worker_init(worker=None).join(60)
    # Only PostgreSQL counts its facets from these columns; the Tantivy engine keeps its own.
    assert PROCESS_COLUMNS.meta == (outbox_head() if connection.vendor == "postgresql" else None)


@given(st.text() | st.sampled_from(["Océans — ёлка", "Ðe Đà Nẵng", "ﬁsh Ⅻ", "العربية", "中文 テスト"]))
def test_fold_lowers_decomposes_and_strips_every_combining_mark(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c))
