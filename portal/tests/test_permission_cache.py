"""A user's permissions are read through the cache, and any change to them takes effect on the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from portal.core import roles

PERM = "portal.see_id_number"


def fresh(user):
    """The user as the next request loads them (nothing remembered on the object)."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def perm():
    return Permission.objects.get(content_type__app_label="portal", codename="see_id_number")


@pytest.fixture
def staff(make_user, community):
    user = make_user(roles.CULTURE_STAFF, community)
    assert not fresh(user).has_perm(PERM)
    return user


def test_a_second_request_reads_no_permissions_from_the_database(staff, django_assert_num_queries):
    assert fresh(staff).has_perm("services.view_stationevent")
    user = fresh(staff)
    with django_assert_num_queries(0):
        assert user.has_perm("services.view_stationevent")
        assert not user.has_perm(PERM)


def test_a_permission_given_to_the_users_group_counts_at_once(staff, perm):
    group = staff.groups.get()
    group.permissions.add(perm)
    assert fresh(staff).has_perm(PERM)
    group.permissions.remove(perm)
    assert not fresh(staff).has_perm(PERM)
    group.permissions.add(perm)
    assert fresh(staff).has_perm(PERM)
    group.permissions.clear()
    assert not fresh(staff).has_perm(PERM)


def test_joining_or_leaving_a_group_counts_at_once(staff, perm):
    hall = Group.objects.get(name=roles.HALL_STAFF)
    assert hall.permissions.filter(pk=perm.pk).exists()
    staff.groups.add(hall)
    assert fresh(staff).has_perm(PERM)
    staff.groups.remove(hall)
    assert not fresh(staff).has_perm(PERM)
    hall.user_set.add(staff)  # from the group's side
    assert fresh(staff).has_perm(PERM)
    hall.delete()
    assert not fresh(staff).has_perm(PERM)


def test_own_permissions_and_flags_count_at_once(staff, perm):
    staff.user_permissions.add(perm)
    assert fresh(staff).has_perm(PERM)
    staff.user_permissions.remove(perm)
    assert not fresh(staff).has_perm(PERM)
    get_user_model().objects.filter(pk=staff.pk).update(is_superuser=True)
    assert fresh(staff).has_perm(PERM)
    get_user_model().objects.filter(pk=staff.pk).update(is_active=False)
    assert not fresh(staff).has_perm(PERM)
    assert fresh(staff).get_all_permissions() == set()


def test_a_deleted_permission_is_gone_at_once(staff, perm):
    staff.user_permissions.add(perm)
    assert fresh(staff).has_perm(PERM)
    perm.delete()
    assert not fresh(staff).has_perm(PERM)


def test_another_users_new_group_leaves_mine_cached(staff, make_user, community, django_assert_num_queries):
    fresh(staff).has_perm(PERM)
    make_user(roles.HALL_STAFF, community)  # joins a group
    user = fresh(staff)
    with django_assert_num_queries(0):
        assert not user.has_perm(PERM)


def test_emptying_a_group_counts_at_once(staff):
    assert fresh(staff).has_perm("services.view_stationevent")
    staff.groups.get().user_set.clear()
    assert not fresh(staff).has_perm("services.view_stationevent")
