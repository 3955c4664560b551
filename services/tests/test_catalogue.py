"""The public catalogue: categories, item pages with their checklist, and search for short Chinese queries."""

import pytest
from django.urls import reverse

from services.models import ServiceItem
from services.seed import ITEMS, seed_catalogue
from services.tests.factories import ServiceItemFactory


def test_the_demo_catalogue_covers_the_hall_list_with_at_least_20_items(catalogue, community):
    items = ServiceItem.objects.filter(community=community)
    assert items.count() == len(ITEMS) >= 20
    names = set(items.values_list("name", flat=True))
    for expected in ("失业登记", "城市最低生活保障申请", "生育登记服务", "户籍证明开具", "流动人口信息登记", "兵役登记",
                     "残疾人证申办", "自来水管道维修", "电路维修", "燃气设施维修", "邻里矛盾纠纷调解"):  # fmt: skip
        assert expected in names
    assert all(item.documents and item.time_limit_days and item.counter_id for item in items)


def test_seeding_the_catalogue_twice_adds_nothing(catalogue, community):
    seed_catalogue(community)
    assert ServiceItem.objects.filter(community=community).count() == len(ITEMS)


def test_category_page_lists_every_offered_item(client, catalogue):
    response = client.get(reverse("services:catalogue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "低保救助" in body and "城市最低生活保障申请" in body and "燃气设施维修" in body


def test_item_page_shows_the_documents_checklist_and_time_limit(client, item):
    response = client.get(reverse("services:item", args=[item.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for document in item.documents:
        assert document in body
    assert reverse("services:book", args=[item.pk]) in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [("户", "户籍证明开具"), ("低保", "城市最低生活保障申请"), ("水", "自来水管道维修"), ("调解", "邻里矛盾纠纷调解")],
)
def test_search_finds_items_by_one_and_two_character_queries(client, catalogue, query, expected):
    response = client.get(reverse("services:search"), {"q": query})
    assert expected in response.content.decode()


def test_search_does_not_show_another_communitys_items(client, catalogue, other_community):
    ServiceItemFactory(community=other_community, name="外社区户口事项", keywords="户")
    response = client.get(reverse("services:search"), {"q": "户"})
    assert "外社区户口事项" not in response.content.decode()


def test_an_inactive_item_is_not_found(client, item):
    item.is_active = False
    item.save()
    assert client.get(reverse("services:item", args=[item.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_catalogue_pages_run_a_constant_number_of_queries(
    client, catalogue, community, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        ServiceItemFactory(community=community, counter=catalogue[1], keywords="户")
    with django_assert_max_num_queries(3):
        assert client.get(reverse("services:catalogue")).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("services:search"), {"q": "户"}).status_code == 200
