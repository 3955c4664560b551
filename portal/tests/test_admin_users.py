"""The portal's admin: users (scoped, masked phones, Django's password form), pending registrations and linking
them to the register, and the read-only audit logs."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core import roles
from portal.core.models import AuditLog, Notification, SensitiveAccessLog, User, mask_phone
from portal.tests.factories import UserFactory
from residents.actions import account_link
from residents.tests.factories import ResidentFactory

USERS = reverse("admin:portal_user_changelist")
PENDING = reverse("admin:portal_pendingaccount_changelist")
PICKER = reverse("admin:portal_pendingaccount_residents")


def user_change(user):
    return reverse("admin:portal_user_change", args=[user.pk])


def pending_change(user):
    return reverse("admin:portal_pendingaccount_change", args=[user.pk])


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="portal", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


@pytest.fixture
def health_staff(make_user, community):
    return make_user(roles.HEALTH_STAFF, community)


@pytest.fixture
def pending(community):
    """A resident who registered online; nobody has found them in the register yet."""
    return UserFactory(role=roles.RESIDENT, community=community, name="赵新来", registered_address="1号楼1单元101")


@pytest.fixture
def unlinked(community):
    return ResidentFactory(community=community, name="赵新来")


# --- users ------------------------------------------------------------------------------------------------------
def test_staff_see_only_their_communitys_users(client, hall_staff, resident_user, other_hall_staff, district_admin):
    client.force_login(hall_staff)
    response = client.get(USERS)
    assert set(response.context["cl"].result_list) == {hall_staff, resident_user}
    assert client.get(user_change(resident_user)).status_code == 200
    assert client.get(user_change(other_hall_staff)).status_code == 404
    assert client.get(user_change(district_admin)).status_code == 404


def test_district_admin_sees_every_user(client, district_admin, hall_staff, other_hall_staff):
    client.force_login(district_admin)
    assert {hall_staff, other_hall_staff, district_admin} <= set(client.get(USERS).context["cl"].result_list)
    assert client.get(user_change(other_hall_staff)).status_code == 200


def test_user_list_shows_phones_masked(client, hall_staff, resident_user):
    client.force_login(hall_staff)
    html = client.get(USERS).content.decode()
    assert mask_phone(resident_user.phone) in html
    assert resident_user.phone not in html


def test_user_autocomplete_stays_in_the_community(client, hall_staff, resident_user, other_hall_staff):
    client.force_login(hall_staff)
    params = {"app_label": "residents", "model_name": "resident", "field_name": "user", "term": ""}
    ids = {r["id"] for r in client.get(reverse("admin:autocomplete"), params).json()["results"]}
    assert str(resident_user.pk) in ids
    assert str(other_hall_staff.pk) not in ids


def test_password_is_changed_with_djangos_form(client, district_admin, resident_user):
    client.force_login(district_admin)
    url = reverse("admin:auth_user_password_change", args=[resident_user.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": "Ri-zhao-2027!", "password2": "Ri-zhao-2027!", "usable_password": "true"})
    assert response.status_code == 302
    resident_user.refresh_from_db()
    assert resident_user.check_password("Ri-zhao-2027!")


def test_password_page_of_another_communitys_user_is_404(client, hall_staff, other_hall_staff):
    staff = grant(hall_staff, "change_user")
    client.force_login(staff)
    assert client.get(reverse("admin:auth_user_password_change", args=[other_hall_staff.pk])).status_code == 404
    assert client.get(reverse("admin:auth_user_password_change", args=[staff.pk])).status_code == 200


def test_view_only_staff_cannot_change_passwords(client, hall_staff, resident_user):
    client.force_login(hall_staff)
    assert client.get(reverse("admin:auth_user_password_change", args=[resident_user.pk])).status_code == 403


def test_district_admin_adds_a_user_by_phone(client, district_admin, community):
    client.force_login(district_admin)
    response = client.post(
        reverse("admin:portal_user_add"),
        {
            "phone": "+86 139-1234-5678",
            "name": "新同事",
            "community": community.pk,
            "password1": "Xin-tong-shi-2026",
            "password2": "Xin-tong-shi-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(phone="13912345678")
    assert (user.name, user.community) == ("新同事", community)
    assert user.check_password("Xin-tong-shi-2026")


def test_only_superusers_hand_out_superuser_status(client, district_admin, resident_user):
    client.force_login(district_admin)
    form = client.get(user_change(resident_user)).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert "groups" in form.fields

    client.force_login(User.objects.create_superuser("13700000000", "Chao-ji-2026", name="超级管理员"))
    form = client.get(user_change(resident_user)).context["adminform"].form
    assert "is_superuser" in form.fields


def test_community_staff_cannot_make_anyone_a_district_administrator(client, hall_staff):
    staff = grant(hall_staff, "change_user")
    client.force_login(staff)
    groups = client.get(user_change(staff)).context["adminform"].form.fields["groups"].queryset
    assert roles.DISTRICT_ADMIN not in {g.name for g in groups}
    assert roles.HALL_STAFF in {g.name for g in groups}


# --- pending registrations --------------------------------------------------------------------------------------
def test_pending_list_has_only_unlinked_resident_accounts_of_the_community(
    client, hall_staff, pending, resident_user, other_community
):
    UserFactory(role=roles.RESIDENT, community=other_community)
    client.force_login(hall_staff)
    response = client.get(PENDING)
    assert response.status_code == 200
    assert [u.pk for u in response.context["cl"].result_list] == [pending.pk]
    assert pending.phone not in response.content.decode()


def test_pending_registrations_need_the_link_permission(client, health_staff, pending):
    client.force_login(health_staff)
    assert client.get(PENDING).status_code == 403
    assert client.get(pending_change(pending)).status_code == 403
    assert client.get(PICKER).status_code == 403


def test_another_communitys_pending_account_is_404(client, other_hall_staff, pending):
    client.force_login(other_hall_staff)
    assert client.get(pending_change(pending)).status_code == 404


def test_resident_picker_offers_unlinked_residents_of_the_community_only(
    client, hall_staff, unlinked, resident_user, other_community
):
    ResidentFactory(community=other_community, name="赵新来")
    ResidentFactory(community=unlinked.community, name="钱已走", moved_out_on="2025-01-01")
    client.force_login(hall_staff)
    results = client.get(PICKER, {"term": ""}).json()["results"]
    assert [r["id"] for r in results] == [str(unlinked.pk)]
    assert unlinked.household.number in results[0]["text"]
    assert unlinked.id_number not in results[0]["text"]
    assert client.get(PICKER, {"term": "赵新"}).json()["results"][0]["id"] == str(unlinked.pk)
    assert client.get(PICKER, {"term": "孙"}).json()["results"] == []


def test_linking_in_the_admin_links_audits_and_notifies(client, hall_staff, pending, unlinked, community):
    client.force_login(hall_staff)
    page = client.get(pending_change(pending))
    assert page.status_code == 200
    assert PICKER in page.content.decode()

    response = client.post(pending_change(pending), {"resident": unlinked.pk})
    assert response.status_code == 302
    assert response["Location"] == PENDING
    unlinked.refresh_from_db()
    pending.refresh_from_db()
    assert unlinked.user == pending
    assert pending.community == community
    entry = AuditLog.objects.get(action="account_link")
    assert (entry.actor, entry.community, entry.object_id) == (hall_staff, community, str(unlinked.pk))
    assert unlinked.id_number not in entry.summary and pending.phone not in entry.summary
    assert Notification.objects.filter(recipient=pending).count() == 1
    assert client.get(PENDING).context["cl"].result_count == 0


def test_a_resident_of_another_community_cannot_be_picked(client, hall_staff, pending, other_community):
    theirs = ResidentFactory(community=other_community)
    client.force_login(hall_staff)
    response = client.post(pending_change(pending), {"resident": theirs.pk})
    assert response.status_code == 200
    assert "resident" in response.context["adminform"].form.errors
    theirs.refresh_from_db()
    assert theirs.user is None
    assert not AuditLog.objects.filter(action="account_link").exists()


def test_a_resident_linked_meanwhile_is_refused_with_a_message(client, hall_staff, pending, unlinked, community):
    client.force_login(hall_staff)
    form_page = client.get(pending_change(pending))
    assert form_page.status_code == 200
    account_link(user=UserFactory(role=roles.RESIDENT, community=community), resident=unlinked, by=hall_staff)
    response = client.post(pending_change(pending), {"resident": unlinked.pk})
    assert response.status_code == 200  # no longer a valid choice: the form says so next to the field
    assert "resident" in response.context["adminform"].form.errors
    pending.refresh_from_db()
    assert not hasattr(pending, "resident") or pending.resident is None


def test_a_link_lost_to_a_race_is_reported_not_saved(client, hall_staff, pending, unlinked, community, monkeypatch):
    # The form saw the resident free; by the time of the locked save, someone else has linked them.
    monkeypatch.setattr("portal.site.admin.account_link_check", lambda **kwargs: None)
    monkeypatch.setattr("portal.site.admin.linkable_residents", lambda user: ResidentFactory._meta.model.objects.all())
    other = UserFactory(role=roles.RESIDENT, community=community)
    account_link(user=other, resident=unlinked, by=hall_staff)
    client.force_login(hall_staff)
    response = client.post(pending_change(pending), {"resident": unlinked.pk}, follow=True)
    assert response.redirect_chain[-1][0] == pending_change(pending)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    unlinked.refresh_from_db()
    assert unlinked.user == other
    assert AuditLog.objects.filter(action="account_link").count() == 1


# --- account_link itself ----------------------------------------------------------------------------------------
def _code(**kwargs):
    with pytest.raises(ValidationError) as exc:
        account_link(**kwargs)
    return exc.value.code


def test_account_link_refuses_a_resident_of_another_community(hall_staff, pending, other_community):
    theirs = ResidentFactory(community=other_community)
    assert _code(user=pending, resident=theirs, by=hall_staff) == "resident_other_community"


def test_account_link_refuses_an_account_registered_elsewhere(hall_staff, unlinked, other_community):
    stranger = UserFactory(role=roles.RESIDENT, community=other_community)
    assert _code(user=stranger, resident=unlinked, by=hall_staff) == "user_other_community"


def test_account_link_refuses_a_resident_already_linked(hall_staff, pending, resident_user):
    assert _code(user=pending, resident=resident_user.resident, by=hall_staff) == "resident_taken"
    assert _code(user=resident_user, resident=resident_user.resident, by=hall_staff) == "already_linked"


def test_account_link_refuses_an_account_already_linked(hall_staff, resident_user, unlinked):
    assert _code(user=resident_user, resident=unlinked, by=hall_staff) == "user_taken"


def test_account_link_refuses_a_resident_who_moved_out(hall_staff, pending, community):
    gone = ResidentFactory(community=community, moved_out_on="2024-06-30")
    assert _code(user=pending, resident=gone, by=hall_staff) == "resident_moved_out"


def test_account_link_needs_the_permission(health_staff, pending, unlinked):
    with pytest.raises(PermissionDenied):
        account_link(user=pending, resident=unlinked, by=health_staff)
    unlinked.refresh_from_db()
    assert unlinked.user is None


def test_district_admin_may_link_across_communities(district_admin, unlinked, other_community):
    stranger = UserFactory(role=roles.RESIDENT, community=other_community)
    account_link(user=stranger, resident=unlinked, by=district_admin)
    stranger.refresh_from_db()
    assert stranger.community == unlinked.community


def test_validation_messages_are_translated(hall_staff, pending, other_community, settings):
    from django.utils import translation

    theirs = ResidentFactory(community=other_community)
    with pytest.raises(ValidationError) as exc:
        account_link(user=pending, resident=theirs, by=hall_staff)
    with translation.override("en"):
        assert exc.value.messages == ["This resident lives in another community."]


# --- read-only logs ---------------------------------------------------------------------------------------------
@pytest.fixture
def director(make_user, community):
    return make_user(roles.COMMITTEE_DIRECTOR, community)


def test_audit_log_is_read_only_and_scoped(client, director, district_admin, community, other_community):
    mine = AuditLog.objects.create(community=community, action="account_link", object_type="x", object_id="1")
    theirs = AuditLog.objects.create(community=other_community, action="account_link", object_type="x", object_id="2")
    client.force_login(director)
    assert list(client.get(reverse("admin:portal_auditlog_changelist")).context["cl"].result_list) == [mine]
    assert client.get(reverse("admin:portal_auditlog_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:portal_auditlog_add")).status_code == 403
    assert client.post(reverse("admin:portal_auditlog_change", args=[mine.pk]), {"action": "x"}).status_code == 403
    assert client.post(reverse("admin:portal_auditlog_delete", args=[mine.pk]), {"post": "yes"}).status_code == 403
    assert AuditLog.objects.get(pk=mine.pk).action == "account_link"

    client.force_login(district_admin)
    assert client.get(reverse("admin:portal_auditlog_changelist")).context["cl"].result_count == 2


def test_sensitive_access_log_is_read_only(client, district_admin, hall_staff, community):
    entry = SensitiveAccessLog.objects.create(
        actor=hall_staff, subject=ResidentFactory(community=community), field="resident_record"
    )
    client.force_login(district_admin)
    assert client.get(reverse("admin:portal_sensitiveaccesslog_changelist")).context["cl"].result_count == 1
    assert client.get(reverse("admin:portal_sensitiveaccesslog_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:portal_sensitiveaccesslog_add")).status_code == 403
    assert (
        client.post(reverse("admin:portal_sensitiveaccesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert SensitiveAccessLog.objects.count() == 1

    client.force_login(hall_staff)  # hall staff read sensitive data but do not audit the readers
    assert client.get(reverse("admin:portal_sensitiveaccesslog_changelist")).status_code == 403


# --- query counts -----------------------------------------------------------------------------------------------
def _build(kind, n, community, actor):
    if kind == "user":
        return [UserFactory(role=roles.HALL_STAFF if i % 2 else roles.RESIDENT, community=community) for i in range(n)]
    if kind == "pendingaccount":
        return [UserFactory(role=roles.RESIDENT, community=community) for _ in range(n)]
    if kind == "auditlog":
        return [
            AuditLog.objects.create(actor=actor, community=community, action="a", object_type="t", object_id=str(i))
            for i in range(n)
        ]
    return [
        SensitiveAccessLog.objects.create(actor=actor, subject=ResidentFactory(community=community), field="f")
        for _ in range(n)
    ]


@pytest.mark.parametrize("kind", ["user", "pendingaccount", "auditlog", "sensitiveaccesslog"])
def test_changelist_queries_do_not_grow_with_rows(
    client, district_admin, community, kind, django_assert_max_num_queries
):
    _build(kind, 5, community, district_admin)
    url = reverse(f"admin:portal_{kind}_changelist")
    client.force_login(district_admin)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        small = client.get(url, HTTP_CACHE_CONTROL="no-cache").context["cl"].result_count  # drawn, warm
    _build(kind, 55, community, district_admin)
    with django_assert_max_num_queries(len(ctx)):
        response = client.get(url, HTTP_CACHE_CONTROL="no-cache")
    assert response.context["cl"].result_count >= small + 55
