"""The admin lists' rows (portal/core/templatetags/admin_rows.py) are Django's rows, drawn faster: the same HTML
for every registered admin, for a member of staff who sees personal fields masked and for the district
administrator who sees them in full, on the seeded world."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.test import RequestFactory
from django.utils import translation

from portal.core import roles
from portal.core.templatetags import admin_rows

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _changelist(model_admin, user, query=""):
    request = RequestFactory().get("/admin/list/" + query)
    request.user = user
    request.session = {}
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as changelist_view leaves it for a list without editable columns
    return cl


def _django_rows(cl) -> list[str]:
    return ["".join(str(cell) for cell in row) for row in admin_list.results(cl)]


def _portal_rows(cl) -> list[str]:
    return [str(row[0]) for row in admin_rows.rows(cl)]


VIEWERS = ["hall_a", "health_a", "culture_a", "council_sec_a", "branch_sec_a", "director_a", "district"]


@pytest.mark.parametrize("model", [model for model, _ in ADMINS], ids=[m._meta.label for m, _ in ADMINS])
def test_the_rows_are_djangos(world, db, model):
    from portal.tests.factories import UserFactory

    model_admin = admin.site._registry[model]
    compared = 0
    people = [world.users[who] for who in VIEWERS]
    for user in people:
        request = RequestFactory().get("/")
        request.user = user
        if not model_admin.has_view_or_change_permission(request):
            continue
        with translation.override("zh-hans"):
            cl = _changelist(model_admin, user)
            assert _portal_rows(cl) == _django_rows(cl), user
        compared += 1
    if not compared:  # a list only a superuser sees (the scheduler's, the sign-in lockouts')
        superuser = UserFactory(is_superuser=True, is_staff=True, community=None, role=roles.DISTRICT_ADMIN)
        with translation.override("zh-hans"):
            cl = _changelist(model_admin, superuser)
            assert _portal_rows(cl) == _django_rows(cl)


def test_the_rows_hold_something(world, db):
    """The comparison above is not between two empty lists: the case desk shows rows, with links and icons."""
    from services.models import Case

    cl = _changelist(admin.site._registry[Case], world.users["hall_a"])
    rows = _portal_rows(cl)
    assert rows and all('<a href="/admin/services/case/' in row for row in rows)
    assert all('class="action-select"' in row for row in rows)
