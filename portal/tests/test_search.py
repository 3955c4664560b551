"""Search finds what a substring scan finds, for 1-, 2-, 3- and 4-character Chinese queries, via the index."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.models import SearchEntry
from portal.core.search import SearchDocument, search, search_index_update

WORDS = [
    "最低生活保障", "低保救助", "户籍办理", "户口迁移", "流动人口登记", "兵役登记", "残疾人证", "再就业培训",
    "计划生育服务", "邻里纠纷调解", "水电气维修", "停车位规划", "供暖费", "卫生费", "垃圾分类", "文明家庭",
]  # fmt: skip


def corpus(n: int, seed: int = 7) -> list[SearchDocument]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        title = "".join(rng.sample(WORDS, 2))
        text = "，".join(rng.sample(WORDS, 4)) + f" 编号{i} ABC-{i % 7}"
        docs.append(SearchDocument("notice", i + 1, title, text, f"/x/{i}/", None))
    return docs


def substring_scan(docs, query):
    q = query.lower()
    return {d.object_id for d in docs if q in d.title.lower() or q in d.text.lower()}


def sql_set(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return set(cursor.fetchone()[0])


def test_tokens_are_characters_and_pairs(db):
    if connection.vendor != "postgresql":
        pytest.skip("the tokenizer lives in PostgreSQL")
    assert sql_set("SELECT portal_bigrams(upper(%s))", "低保 ab") == {"低", "保", "低保", "A", "B", "AB"}
    assert sql_set("SELECT portal_bigram_query(%s)", "低") == {"低"}
    assert sql_set("SELECT portal_bigram_query(%s)", "低保救") == {"低保", "保救"}


def test_the_public_index_and_the_register_share_one_tokenizer(db):
    """One engine: the register's triggers and the public index's generated column both call portal_bigrams."""
    if connection.vendor != "postgresql":
        pytest.skip("the tokenizer lives in PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE proname LIKE 'residents_search_%%' OR proname LIKE 'portal_bigram%%'"
        )
        functions = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns"
            " WHERE table_name = 'portal_searchentry' AND column_name = 'search_tokens'"
        )
        generated = cursor.fetchone()[0]
    assert functions == {"portal_bigrams", "portal_bigram_query", "residents_search_document"}
    assert "portal_bigrams" in generated


@pytest.mark.parametrize("query", ["低", "户", "低保", "户口", "兵役登", "邻里纠纷", "停车位规划", "abc-3", "编号1"])
def test_recall_equals_a_substring_scan(db, query):
    docs = corpus(300)
    search_index_update(docs)
    found = set(search(query).values_list("object_id", flat=True))
    assert found == substring_scan(docs, query)
    assert found  # every query above occurs in the corpus


def test_queries_use_the_gin_index_not_a_scan(db):
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")
    search_index_update(corpus(50))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        with CaptureQueriesContext(connection) as ctx:
            list(search("低保"))
        cursor.execute("EXPLAIN " + ctx.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "search_entry_tokens_gin" in plan


def test_community_scope_includes_the_district(db, community, other_community):
    search_index_update(
        [
            SearchDocument("notice", 1, "本社区低保", "", "/1/", community.pk),
            SearchDocument("notice", 2, "全区低保", "", "/2/", None),
            SearchDocument("notice", 3, "别的社区低保", "", "/3/", other_community.pk),
        ]
    )
    assert set(search("低保", community_id=community.pk).values_list("object_id", flat=True)) == {1, 2}


def test_reindexing_a_document_replaces_it(db):
    search_index_update([SearchDocument("notice", 1, "供暖费", "", "/1/", None)])
    search_index_update([SearchDocument("notice", 1, "卫生费", "", "/1/", None)])
    assert SearchEntry.objects.count() == 1
    assert not search("供暖").exists() and search("卫生").exists()


def test_search_page(client, db):
    search_index_update([SearchDocument("notice", 1, "低保申请须知", "带身份证", "/notices/1/", None)])
    html = client.get(reverse("portal:search"), {"q": "低保"}).content.decode()
    assert "<mark>低保</mark>申请须知" in html and 'href="/notices/1/"' in html
    # An over-long query is refused by the core's malformed-input gate (400), never a server error.
    assert client.get(reverse("portal:search"), {"q": "x" * 500}).status_code == 200
    assert client.get(reverse("portal:search"), {"q": "x" * 5000}).status_code == 400


def test_reindex_collects_service_items_from_the_hall(db, community):
    from portal.core.search import search_reindex
    from services.seed import seed_catalogue

    seed_catalogue(community)
    search_reindex()
    titles = set(search("低保", community_id=community.pk).values_list("title", flat=True))
    assert "城市最低生活保障申请" in titles  # found through its keywords (低保), not its title
    assert "低保年度复核" in titles
    assert search("户", community_id=community.pk).filter(kind="service").count() >= 3


LONG = "本周社区开展环境整治，" * 8 + "请居民注意节约用水。" + "楼道堆物将统一清理，" * 8


def test_the_best_match_comes_first(db):
    """For 水: the title 自来水管道维修 before a long text that says 水 once, whatever their age."""
    search_index_update(
        [
            SearchDocument("notice", 1, "社区环境整治通知", LONG, "/1/", None, published_at=None),
            SearchDocument("service", 2, "自来水管道维修", "厨房卫生间漏水、水管爆裂上门维修", "/2/", None),
            SearchDocument("notice", 3, "水", "", "/3/", None),
            SearchDocument("notice", 4, "水电气维修", "", "/4/", None),
            SearchDocument("notice", 5, "停水通知", "明日停水，请提前储水", "/5/", None),
        ]
    )
    ranked = list(search("水").values_list("object_id", flat=True))
    assert ranked[0] == 3  # the whole title
    assert ranked[1] == 4  # the title starts with it
    assert ranked.index(2) < ranked.index(1) and ranked.index(5) < ranked.index(1)
    assert ranked[-1] == 1  # said once in a long text: last


def test_both_words_in_the_title_beat_one(db):
    search_index_update(
        [
            SearchDocument("notice", 1, "低保户口证明", "", "/1/", None),
            SearchDocument("notice", 2, "低保年度复核", "请带户口簿", "/2/", None),
        ]
    )
    assert list(search("低保 户口").values_list("object_id", flat=True)) == [1, 2]


def test_the_page_highlights_and_shows_a_snippet_around_the_match(client, db):
    search_index_update([SearchDocument("notice", 1, "社区环境整治通知", LONG, "/1/", None)])
    html = client.get(reverse("portal:search"), {"q": "用水"}).content.decode()
    snippet = html.split('class="small text-body-secondary search-snippet">')[1].split("</div>")[0]
    assert "<mark>用水</mark>" in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 140  # a window around the match, not the whole text
    assert "节约<mark>用水</mark>" in snippet  # the words around the match are there


def test_highlighting_is_escaped(client, db):
    search_index_update(
        [SearchDocument("notice", 1, "<b>水</b>费<script>x()</script>", "<img src=x onerror=alert(1)>水", "/1/", None)]
    )
    html = client.get(reverse("portal:search"), {"q": "水"}).content.decode()
    assert "<script>x()" not in html and "<img src=x" not in html and "<b>" not in html
    assert "&lt;b&gt;<mark>水</mark>&lt;/b&gt;" in html
    assert "onerror=alert(1)&gt;<mark>水</mark>" in html
    hostile = client.get(reverse("portal:search"), {"q": "<mark>"}).content.decode()
    assert "<mark><mark>" not in hostile


def test_the_search_page_runs_a_constant_number_of_queries(client, db, django_assert_max_num_queries):
    for size in (3, 60):
        search_index_update(
            [SearchDocument("notice", i, f"停水通知{i}", LONG, f"/{i}/", None) for i in range(1, size + 1)]
        )
        with django_assert_max_num_queries(4):  # the page and the count (and the session)
            assert client.get(reverse("portal:search"), {"q": "水"}).status_code == 200
