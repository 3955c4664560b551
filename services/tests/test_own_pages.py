"""Each person's own copy of a signed-in page (portal.core.pagecache.own_page / own_copy): a case page, 我的, the
workbench and every admin list are drawn once and then served from the copy, which is the person's alone and is
retired as soon as what the page shows changes: a save, an update() that sends no signal, an admin action."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core import roles
from services.hall import actions
from services.hall.models import Case

pytestmark = pytest.mark.django_db


def plain(page: str) -> str:
    return re.sub(r'(value|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", page)


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_a_case_page_is_the_residents_own_copy_until_the_case_moves(client, case, resident_user, hall_staff):
    client.force_login(resident_user)
    url = reverse("services:case", args=[case.pk])
    drawn, page = queries(client, url)
    again, same = queries(client, url)
    assert drawn > 0 and again == 0
    assert plain(same) == plain(page)  # the same page, with this request's own CSRF token and nonce

    actions.case_accept(case=case, by=hall_staff)  # a save: the resident sees the new step at once
    _, page = queries(client, url)
    assert "已受理" in page or "Accepted" in page

    Case.objects.filter(pk=case.pk).update(title="卫生间漏水")  # update() sends no post_save: retired all the same
    assert "卫生间漏水" in queries(client, url)[1]


def test_nobody_else_is_served_a_persons_copy(client, case, resident_user, other_resident_user):
    client.force_login(resident_user)
    url = reverse("services:case", args=[case.pk])
    assert "厨房漏水" in queries(client, url)[1]
    client.force_login(other_resident_user)
    assert client.get(url).status_code == 404


def test_an_admin_list_is_each_staff_members_own_and_follows_an_action(client, case, hall_staff, make_user, community):
    url = reverse("admin:services_case_changelist")
    client.force_login(hall_staff)
    drawn, page = queries(client, url)
    assert queries(client, url)[0] == 0
    assert "厨房漏水" in page

    colleague = make_user(roles.HALL_STAFF, community, name="新同事")
    client.force_login(colleague)
    assert queries(client, url)[0] > 0  # a colleague draws their own

    client.force_login(hall_staff)
    done = client.post(url, {"action": "accept", "_selected_action": [case.pk]}, follow=True)
    assert done.status_code == 200
    page = client.get(url).content.decode()  # after the action's message: a fresh copy, not the one from before
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    assert str(Case.Status.ACCEPTED.label) in page


def test_a_message_is_never_kept_in_a_copy(client, case, hall_staff):
    client.force_login(hall_staff)
    url = reverse("admin:services_case_changelist")
    client.post(url, {"action": "accept", "_selected_action": [case.pk]})
    with_message = client.get(url).content.decode()
    assert 'class="messagelist"' in with_message
    assert 'class="messagelist"' not in client.get(url).content.decode()


def test_a_hard_reload_draws_the_page_afresh(client, case, resident_user):
    client.force_login(resident_user)
    url = reverse("services:case", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_CACHE_CONTROL="no-cache")
    assert len(captured.captured_queries) > 0


def test_my_page_shows_a_new_message_at_once(client, resident_user):
    from django.utils.functional import lazy

    from portal.core.notify import notify

    client.force_login(resident_user)
    url = reverse("portal:my")
    client.get(url)
    notify(recipient=resident_user, title=lazy(str, str)("活动提醒：明天上午"))
    assert "活动提醒" in client.get(url).content.decode()
