"""Every page a role may use is reachable by following links from where that role lands after login (the staff
workbench; the district overview; 我的 for a volunteer team leader) within two clicks.

Generated from the permission matrix: the pages are those of EXPECTED that the role may GET and that take no path
parameter, plus the admin list of every model the role may view (the "reachable list pages"). Pages with parameters
(one case, one meeting) are reached through these lists.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from portal.tests.second_step import sign_in
from tests.security.test_url_matrix import EXPECTED, may

# Who lands where: the staff of community A, a team leader of A (a resident who coordinates), the district.
WHO = ["hall_a", "health_a", "culture_a", "council_sec_a", "branch_sec_a", "director_a", "volunteer_a", "district"]
# Plumbing, not pages one works on: signing in and out, the language switch, the health check.
NOT_PAGES = {"login", "logout", "set_language", "healthz", "bare", "password_change_done", "portal:register"}
NOT_PAGES |= {"login_code", "password_reset_code"}  # signing in with a code, 忘记密码
# The question asked before an action (portal.core.confirm): reached from the page that offers the action, not a
# place to go to.
NOT_PAGES |= {"portal:sessions_end", "portal:calendar_feed_revoke"}
PASSWORD = "Workbench-reach-1"  # noqa: S105 (set on the test users for this test only)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        href = attrs.get("href") if tag == "a" else None
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            href = attrs.get("action") or None  # a search form: one click on its button
        if href and href.startswith("/") and not href.startswith("//"):
            self.hrefs.append(href.split("#", 1)[0])


def _links(response) -> list[str]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.hrefs


def _name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _no_params(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _a_page(client: Client, name: str) -> bool:
    """A page of its own (a whole HTML page, or a download): not a redirect elsewhere, nor an htmx fragment."""
    response = client.get(reverse(name))
    if response.status_code != 200:
        return False
    return not response.get("Content-Type", "").startswith("text/html") or b"<html" in response.content[:500]


def pages_for(who: str, user, client: Client) -> set[str]:
    """The URL names this person may use: from the matrix, and the admin lists of what they may view."""
    pages = {
        name
        for name, rule in EXPECTED.items()
        if name not in NOT_PAGES
        and not rule.post_only
        and _no_params(name)
        and may(rule.get, rule, who, user)
        and _a_page(client, name)
    }
    request = RequestFactory().get("/admin/")
    request.user = user
    if user.is_staff:
        for model, model_admin in admin.site._registry.items():
            if model_admin.has_view_or_change_permission(request):
                pages.add(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return pages


def reached_within_two_clicks(client: Client, start: str) -> set[str]:
    """Names of the pages linked from `start`, and from each page that it links to (one page of each name)."""
    first = _links(client.get(start))
    reached, opened = set(), set()
    for href in first:
        name = _name(href)
        if name is None:
            continue
        reached.add(name)
        if name in opened or name in NOT_PAGES:
            continue
        opened.add(name)
        reached.update(filter(None, map(_name, _links(client.get(href)))))
    return reached


@pytest.mark.parametrize("who", WHO)
def test_every_page_of_the_role_is_two_clicks_from_its_landing_page(world, db, who):
    user = world.users[who]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    client = Client(raise_request_exception=False)
    login = sign_in(client, user, PASSWORD)  # the password, then (staff) the second step
    landing = login["Location"]
    reached = reached_within_two_clicks(client, landing) | {_name(landing)}
    missing = sorted(pages_for(who, user, client) - reached)
    assert missing == [], f"{who} lands on {landing}; not reachable within two clicks: {missing}"
