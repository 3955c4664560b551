"""Field-level privacy: every role × every place a health value could appear; and the access log
(one read → exactly one entry; a denied attempt → one entry marked denied)."""

import json

import pytest
from django.urls import reverse

from portal.core import roles
from portal.core.models import SensitiveAccessLog
from services.tests.factories_stations import HealthFileFactory, ReadingFactory

SECRETS = ("青霉素过敏", "氨氯地平片", "糖尿病肾病", "187.3")

ROLES = ["anonymous", "owner", "other_resident", "hall", "culture", "health", "other_health", "district"]


@pytest.fixture
def file(resident_user):
    f = HealthFileFactory(
        consent__resident=resident_user.resident,
        chronic_conditions="糖尿病肾病",
        allergies="青霉素过敏",
        medications="氨氯地平片",
    )
    ReadingFactory(file=f, kind="glucose", value="187.3", value2=None)
    return f


@pytest.fixture
def user_of(make_user, community, other_community, resident_user):
    def make(role):
        return {
            "anonymous": lambda: None,
            "owner": lambda: resident_user,
            "other_resident": lambda: make_user(roles.RESIDENT, community),
            "hall": lambda: make_user(roles.HALL_STAFF, community),
            "culture": lambda: make_user(roles.CULTURE_STAFF, community),
            "health": lambda: make_user(roles.HEALTH_STAFF, community),
            "other_health": lambda: make_user(roles.HEALTH_STAFF, other_community),
            "district": lambda: make_user(roles.DISTRICT_ADMIN, None),
        }[role]()

    return make


def places(file):
    plan_autocomplete = "/admin/autocomplete/?app_label=services&model_name=followupplan&field_name=file&term="
    return {
        "file_page": reverse("services:health:file", args=[file.pk]) + "?purpose=care",
        "file_list": reverse("services:health:files") + "?q=",
        "file_list_search_by_value": reverse("services:health:files") + "?q=青霉素",
        "my_file": reverse("services:health:my_file"),
        "my_download": reverse("services:health:my_download"),
        "admin_index": "/admin/",
        "admin_changelist": "/admin/services/healthfile/",
        "admin_search_by_value": "/admin/services/healthfile/?q=青霉素",
        "admin_change_form": f"/admin/services/healthfile/{file.pk}/change/",
        "admin_consents": "/admin/services/healthconsent/",
        "admin_plans": "/admin/services/followupplan/",
        "admin_autocomplete": plan_autocomplete,
        "admin_autocomplete_by_value": plan_autocomplete + "青霉素",
        "my_page": reverse("portal:my"),
    }


# Where a health value is shown, and to whom. Everything else must not contain any.
VISIBLE = {
    ("health", "file_page"),
    ("health", "admin_change_form"),
    ("owner", "my_file"),
    ("owner", "my_download"),
}


@pytest.mark.parametrize("role", ROLES)
def test_health_values_appear_only_where_and_to_whom_they_should(client, role, user_of, file):
    user = user_of(role)
    if user is not None:
        client.force_login(user)
    for place, url in places(file).items():
        response = client.get(url)
        body = response.content.decode()
        shown = [s for s in SECRETS if s in body]
        if (role, place) in VISIBLE:
            assert response.status_code == 200, (role, place)
            assert shown == list(SECRETS) if place != "my_download" else shown, (role, place)
        else:
            assert not shown, f"{role} sees {shown} at {place} ({url})"
            assert response.status_code in (200, 302, 403, 404), (role, place, response.status_code)


def test_the_owner_download_holds_their_whole_file(client, resident_user, file):
    client.force_login(resident_user)
    response = client.get(reverse("services:health:my_download"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["file"]["allergies"] == "青霉素过敏"
    assert data["file"]["readings"][0]["value"] == "187.3"
    assert data["consents"][0]["notice_version"]


# --- the access log ---------------------------------------------------------------------------------


def test_one_staff_read_writes_exactly_one_entry_without_health_values(client, make_user, community, file):
    staff = make_user(roles.HEALTH_STAFF, community)
    client.force_login(staff)
    response = client.get(reverse("services:health:file", args=[file.pk]) + "?purpose=follow_up")
    assert response.status_code == 200
    entry = SensitiveAccessLog.objects.get()
    assert (entry.actor, entry.subject_id, entry.denied) == (staff, file.resident_id, False)
    assert entry.purpose and entry.field == "health_file"
    flat = f"{entry.field} {entry.purpose}"
    assert not any(secret in flat for secret in SECRETS)


def test_asking_for_the_purpose_is_not_yet_a_read(client, make_user, community, file):
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    response = client.get(reverse("services:health:file", args=[file.pk]))
    assert response.status_code == 200 and "purpose" in response.content.decode()
    assert not any(s in response.content.decode() for s in SECRETS)
    assert SensitiveAccessLog.objects.count() == 0


@pytest.mark.parametrize("role", ["hall", "culture", "other_health", "district", "other_resident", "owner"])
def test_a_denied_attempt_writes_one_entry_marked_denied(client, role, user_of, file):
    user = user_of(role)
    client.force_login(user)
    response = client.get(reverse("services:health:file", args=[file.pk]) + "?purpose=care")
    assert response.status_code == 404
    entry = SensitiveAccessLog.objects.get()
    assert entry.denied and entry.actor == user and entry.subject_id == file.resident_id


@pytest.mark.parametrize("role", ["hall", "culture", "other_health", "district"])
def test_a_denied_admin_attempt_writes_one_entry_marked_denied(client, role, user_of, file):
    user = user_of(role)
    client.force_login(user)
    response = client.get(f"/admin/services/healthfile/{file.pk}/change/")
    assert response.status_code == 404
    entry = SensitiveAccessLog.objects.get()
    assert entry.denied and entry.actor == user and entry.subject_id == file.resident_id


def test_opening_the_admin_form_is_a_logged_read(client, make_user, community, file):
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    assert client.get(f"/admin/services/healthfile/{file.pk}/change/").status_code == 200
    assert SensitiveAccessLog.objects.filter(denied=False).count() == 1


def test_the_resident_sees_who_read_their_file_and_when(client, make_user, community, resident_user, file):
    staff = make_user(roles.HEALTH_STAFF, community, name="李医生")
    hall = make_user(roles.HALL_STAFF, community, name="王办事员")
    client.force_login(staff)
    client.get(reverse("services:health:file", args=[file.pk]) + "?purpose=care")
    client.force_login(hall)
    client.get(reverse("services:health:file", args=[file.pk]) + "?purpose=care")
    client.force_login(resident_user)
    client.get(reverse("services:health:my_file"))  # the resident's own read is not a staff read
    page = client.get(reverse("services:health:my_access_log")).content.decode()
    assert "李医生" in page and "王办事员" in page
    assert SensitiveAccessLog.objects.count() == 2


def test_the_access_log_page_query_count_does_not_grow(
    client, make_user, community, resident_user, file, django_assert_max_num_queries
):
    staff = make_user(roles.HEALTH_STAFF, community)
    SensitiveAccessLog.objects.create(actor=staff, subject=resident_user.resident, field="health_file")
    client.force_login(resident_user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("services:health:my_access_log")).status_code == 200
    SensitiveAccessLog.objects.bulk_create(
        SensitiveAccessLog(actor=staff, subject=resident_user.resident, field="health_file") for _ in range(40)
    )
    with django_assert_max_num_queries(8):
        client.get(reverse("services:health:my_access_log"))


def test_the_file_list_query_count_does_not_grow(client, make_user, community, django_assert_max_num_queries):
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    HealthFileFactory.create_batch(2, consent__resident__community=community)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("services:health:files")).status_code == 200
    HealthFileFactory.create_batch(30, consent__resident__community=community)
    with django_assert_max_num_queries(12):
        client.get(reverse("services:health:files"))


def test_the_file_page_query_count_does_not_grow_with_readings(
    client, make_user, community, file, django_assert_max_num_queries
):
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    url = reverse("services:health:file", args=[file.pk]) + "?purpose=care"
    with django_assert_max_num_queries(16):
        client.get(url)
    ReadingFactory.create_batch(40, file=file)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_the_account_data_export_holds_only_the_users_own_station_data(resident_user, make_user, community, file):
    from services.privacy import export_user_data

    data = export_user_data(resident_user)
    assert data["health"]["file"]["allergies"] == "青霉素过敏"
    other = make_user(roles.RESIDENT, community)
    assert export_user_data(other)["health"]["file"] is None
    assert export_user_data(make_user(roles.HEALTH_STAFF, community)) == {}


def test_the_admin_form_offers_only_the_files_own_plans_read_once(client, make_user, community, other_community, file):
    from services.models import FollowUpPlan, FollowUpVisit

    own = FollowUpPlan.objects.create(community=community, file=file, group="chronic", next_due=file.retention_until)
    other_file = HealthFileFactory(consent__resident__community=other_community)
    other = FollowUpPlan.objects.create(
        community=other_community, file=other_file, group="elderly", next_due=file.retention_until
    )
    FollowUpVisit.objects.bulk_create(
        FollowUpVisit(file=file, plan=own, visited_on=file.retention_until) for _ in range(5)
    )
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"/admin/services/healthfile/{file.pk}/change/").content.decode()
    assert f'<option value="{own.pk}"' in page and f'<option value="{other.pk}"' not in page
    assert sum('FROM "services_followupplan"' in q["sql"] for q in ctx.captured_queries) == 1


def test_the_overdue_follow_up_list_logs_a_read_of_each_person_it_names(client, make_user, community, file):
    """The list names people with their health follow-ups: each one listed is a logged read, in Chinese even
    when the member of staff works in English, and nobody who is not listed is logged."""
    import datetime as dt

    from django.utils import timezone

    from services.models import FollowUpPlan

    FollowUpPlan.objects.create(
        community=community, file=file, group="chronic", next_due=timezone.localdate() - dt.timedelta(days=3)
    )
    on_time = HealthFileFactory(consent__resident__community=community)
    FollowUpPlan.objects.create(
        community=community, file=on_time, group="elderly", next_due=timezone.localdate() + dt.timedelta(days=3)
    )
    staff = make_user(roles.HEALTH_STAFF, community)
    client.force_login(staff)
    page = client.get(reverse("services:health:focus"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    rows = list(SensitiveAccessLog.objects.filter(actor=staff))
    assert [row.subject_id for row in rows] == [file.resident_id]
    assert rows[0].purpose == "随访"
