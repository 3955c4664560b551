"""A district administrator's lists on a city: the community filter is one drop-down, not a hundred links."""

import re

import pytest
from django.urls import reverse

from residents.tests.factories import CommunityFactory
from services.tests.factories import CaseFactory
from tests.e2e.test_councils import csp_errors, login

pytestmark = pytest.mark.e2e


def test_a_district_administrator_narrows_the_case_list_by_choosing_a_community(
    desktop, live_server, transactional_db, district_admin, community, screenshot
):
    communities = [community, *(CommunityFactory(name=f"第{n}社区") for n in range(1, 14))]
    chosen = communities[7]
    CaseFactory(community=chosen, title="第七个社区的报修")
    CaseFactory(community=community, title="南环东路的报修")
    errors = csp_errors(desktop)
    login(desktop, district_admin, live_server.url)
    desktop.goto(reverse("admin:services_case_changelist"))

    community_filter = desktop.locator('details[data-filter-title="社区"]')
    select = community_filter.locator("select[data-filter-select]")
    assert select.locator("option").count() == len(communities) + 1  # and 全部
    assert community_filter.locator("a").count() == 0  # the links are there only without JavaScript
    # Filters with few choices stay links.
    assert desktop.locator('details[data-filter-title="状态"] a').count() >= 2
    screenshot(desktop, "admin-district-case-list-community-select")

    select.select_option(label=chosen.name)
    desktop.wait_for_url(re.compile(rf"community__id__exact={chosen.pk}"))
    assert desktop.locator("#result_list").inner_text().count("第七个社区的报修") == 1
    assert "南环东路的报修" not in desktop.locator("#result_list").inner_text()
    # The chosen community stays selected, and choosing 全部 widens the list again.
    selected = desktop.locator('details[data-filter-title="社区"] select[data-filter-select]')
    assert selected.evaluate("s => s.options[s.selectedIndex].text") == chosen.name
    selected.select_option(index=0)
    desktop.wait_for_url(lambda url: "community__id__exact" not in url)
    assert "南环东路的报修" in desktop.locator("#result_list").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
