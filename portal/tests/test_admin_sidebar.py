"""The admin's app list (its navigation sidebar) is cached per person, and is always the one Django would build."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from portal.core import roles
from portal.core.admin_sidebar import PortalAdminSite
from residents.models import Resident
from residents.tests.factories import ResidentFactory


def sidebar(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return [
        (app["name"], [(m["name"], m["admin_url"], m["add_url"]) for m in app["models"]])
        for app in response.context["available_apps"]
    ]


def built_by_django(user, language="zh-hans"):
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    with translation.override(language):
        app_list = AdminSite.get_app_list(admin.site, request)
        return [
            (str(app["name"]), [(str(m["name"]), m["admin_url"], m["add_url"]) for m in app["models"]])
            for app in app_list
        ]


def test_the_site_is_the_portals():
    assert isinstance(admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site, PortalAdminSite)


@pytest.mark.parametrize(
    "role", [roles.HALL_STAFF, roles.HEALTH_STAFF, roles.CULTURE_STAFF, roles.COMMITTEE_DIRECTOR, roles.DISTRICT_ADMIN]
)
def test_the_cached_list_is_the_one_django_builds(client, make_user, community, role):
    user = make_user(role, None if role == roles.DISTRICT_ADMIN else community)
    client.force_login(user)
    first, second = sidebar(client), sidebar(client)
    assert first == second == built_by_django(user)


def test_the_list_is_built_once_and_then_read_from_the_cache(client, hall_staff, monkeypatch):
    builds = []
    build = AdminSite._build_app_dict
    monkeypatch.setattr(AdminSite, "_build_app_dict", lambda site, *a, **k: builds.append(a) or build(site, *a, **k))
    client.force_login(hall_staff)
    sidebar(client)
    sidebar(client)
    client.get(reverse("admin:residents_resident_changelist"))
    assert len(builds) == 1


def test_a_new_permission_shows_at_once(client, hall_staff):
    client.force_login(hall_staff)
    before = {name for _app, models in sidebar(client) for name, _url, _add in models}
    hall_staff.user_permissions.add(Permission.objects.get(codename="view_sensitiveaccesslog"))
    after = {name for _app, models in sidebar(client) for name, _url, _add in models}
    assert after - before
    assert sidebar(client) == built_by_django(type(hall_staff).objects.get(pk=hall_staff.pk))


def test_each_language_has_its_own_list(client, hall_staff):
    client.force_login(hall_staff)
    chinese = sidebar(client)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    english = [(app["name"], [m["name"] for m in app["models"]]) for app in response.context["available_apps"]]
    assert english != [(name, [m[0] for m in models]) for name, models in chinese]
    assert english == [(name, [m[0] for m in models]) for name, models in built_by_django(hall_staff, "en")]


def test_the_login_page_still_works(client):
    """The admin's login is the portal's (two steps for staff): it sends there, and that page answers."""
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(response["Location"]).status_code == 200


def test_the_row_checkbox_is_djangos_markup(hall_staff, community):
    resident = ResidentFactory(community=community, name='<b>"王&李"</b>')
    model_admin = admin.site._registry[Resident]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert model_admin.action_checkbox(resident) == admin.ModelAdmin.action_checkbox(model_admin, resident)


def nav(html: str) -> str:
    start = html.index('<button class="sticky toggle-nav-sidebar"')
    return html[start : html.index("</nav>", start) + len("</nav>")]


def nav_built_by_django(response) -> str:
    """The sidebar as Django's own template renders it from this page's context."""
    from django.template.loader import render_to_string

    context = {"available_apps": response.context["available_apps"], "request": response.wsgi_request}
    return render_to_string("admin/portal_nav_sidebar.html", context)


@pytest.mark.parametrize(
    "page",
    ["admin:services_case_changelist", "admin:residents_resident_changelist", "admin:residents_household_add"],
)
def test_the_cached_sidebar_is_the_one_django_draws(client, hall_staff, page):
    client.force_login(hall_staff)
    url = reverse(page)
    for _ in range(2):  # drawn, then read from the cache (the page itself drawn afresh: a hard reload)
        response = client.get(url, HTTP_CACHE_CONTROL="no-cache")
        assert nav(response.content.decode()) == nav(nav_built_by_django(response).strip())


def test_the_sidebar_marks_the_page_one_is_on(client, hall_staff, community):
    client.force_login(hall_staff)
    residents = nav(client.get(reverse("admin:residents_resident_changelist")).content.decode())
    cases = nav(client.get(reverse("admin:services_case_changelist")).content.decode())
    resident = ResidentFactory(community=community)
    one = nav(client.get(reverse("admin:residents_resident_change", args=[resident.pk])).content.decode())
    assert 'class="model-resident current-model"' in residents and "current-model" not in residents.replace(
        'class="model-resident current-model"', ""
    )
    assert 'class="model-case current-model"' in cases and 'class="model-resident current-model"' not in cases
    assert one == residents


def test_each_person_has_their_own_sidebar(client, hall_staff, make_user, community):
    health = make_user(roles.HEALTH_STAFF, community)
    client.force_login(hall_staff)
    page = reverse("admin:residents_resident_changelist")
    hall_nav = nav(client.get(page).content.decode())
    client.force_login(health)
    response = client.get(page)
    assert nav(response.content.decode()) != hall_nav
    assert nav(response.content.decode()) == nav(nav_built_by_django(response))
