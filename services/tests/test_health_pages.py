"""Health staff pages: consent and open, add entries, withdraw — each with its role and community checks."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from residents.tests.factories import ResidentFactory
from services.models import HealthConsent, HealthFile, MaternalVisit, Reading
from services.tests.factories_stations import HealthFileFactory, ReadingFactory


def test_staff_record_consent_and_open_a_file_in_one_step(client, health_staff, community):
    resident = ResidentFactory(community=community)
    client.force_login(health_staff)
    url = reverse("services:health:file_open", args=[resident.pk])
    response = client.post(url, {"allergies": "花粉过敏"})  # the consent box is not ticked
    assert response.status_code == 200 and "notice_read" in response.context["form"].errors
    assert "花粉过敏" in response.content.decode()  # what was typed stays
    assert not HealthConsent.objects.exists() and not HealthFile.objects.exists()
    response = client.post(url, {"notice_read": "on", "allergies": "花粉过敏"})
    assert response.status_code == 302
    file = HealthFile.objects.get()
    assert file.consent.recorded_by == health_staff and file.allergies == "花粉过敏"


def test_a_child_needs_a_guardian_on_the_page_too(client, health_staff, community):
    child = ResidentFactory(
        community=community, birth_date=timezone.localdate().replace(year=timezone.localdate().year - 6)
    )
    client.force_login(health_staff)
    response = client.post(reverse("services:health:file_open", args=[child.pk]), {"notice_read": "on"})
    assert "guardian_name" in response.context["form"].errors
    assert not HealthFile.objects.exists()


def test_staff_add_a_reading_and_a_maternal_visit(client, health_staff, community):
    file = HealthFileFactory(consent__resident__community=community, maternal_care=True)
    client.force_login(health_staff)
    today = timezone.localdate().isoformat()
    client.post(
        reverse("services:health:reading_add", args=[file.pk]), {"kind": "weight", "taken_on": today, "value": "61.5"}
    )
    client.post(reverse("services:health:maternal_add", args=[file.pk]), {"kind": "prenatal", "visited_on": today})
    assert Reading.objects.filter(file=file, kind="weight").count() == 1
    assert MaternalVisit.objects.filter(file=file).count() == 1


@pytest.mark.parametrize("role", [roles.HALL_STAFF, roles.CULTURE_STAFF, roles.RESIDENT, roles.DISTRICT_ADMIN])
def test_wrong_roles_get_403_on_every_staff_page_and_write_nothing(client, make_user, community, role):
    """A role without health access is refused (403: the role lacks the permission), whatever the record."""
    file = HealthFileFactory(consent__resident__community=community)
    resident = ResidentFactory(community=community)
    client.force_login(make_user(role, None if role == roles.DISTRICT_ADMIN else community))
    today = timezone.localdate().isoformat()
    gets = [
        reverse("services:health:files"),
        reverse("services:health:focus"),
        reverse("services:health:campaigns"),
        reverse("services:health:file_open", args=[resident.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    posts = [
        (reverse("services:health:reading_add", args=[file.pk]), {"kind": "weight", "taken_on": today, "value": "60"}),
        (reverse("services:health:consent_withdraw", args=[file.pk]), {}),
        (reverse("services:health:file_open", args=[resident.pk]), {"notice_read": "on"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    file.consent.refresh_from_db()
    assert file.consent.is_active and not Reading.objects.exists() and HealthFile.objects.count() == 1


def test_another_communitys_health_staff_cannot_touch_the_file(client, other_health_staff, community):
    file = HealthFileFactory(consent__resident__community=community)
    client.force_login(other_health_staff)
    today = timezone.localdate().isoformat()
    assert (
        client.post(
            reverse("services:health:reading_add", args=[file.pk]), {"kind": "weight", "taken_on": today, "value": "60"}
        ).status_code
        == 404
    )
    assert not Reading.objects.exists()


def test_withdrawal_on_the_page_stops_the_forms(client, health_staff, community):
    file = HealthFileFactory(consent__resident__community=community)
    client.force_login(health_staff)
    client.post(reverse("services:health:consent_withdraw", args=[file.pk]))
    page = client.get(reverse("services:health:file", args=[file.pk]) + "?purpose=care").content.decode()
    assert "reading_add" not in page and reverse("services:health:reading_add", args=[file.pk]) not in page
    today = timezone.localdate().isoformat()
    client.post(
        reverse("services:health:reading_add", args=[file.pk]), {"kind": "weight", "taken_on": today, "value": "60"}
    )
    assert not Reading.objects.exists()


def test_the_resident_file_page_query_count_does_not_grow(client, resident_user, django_assert_max_num_queries):
    file = HealthFileFactory(consent__resident=resident_user.resident)
    client.force_login(resident_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("services:health:my_file"))
    ReadingFactory.create_batch(40, file=file)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("services:health:my_file")).status_code == 200


def test_the_file_list_pages_keep_the_name_search(client, health_staff, community):
    for _ in range(51):
        HealthFileFactory(consent__resident=ResidentFactory(community=community, name="张秀英"))
    client.force_login(health_staff)
    page = client.get(reverse("services:health:files"), {"q": "张秀英"}).content.decode()
    assert "?q=%E5%BC%A0%E7%A7%80%E8%8B%B1&amp;page=2" in page  # the shared pager keeps the other parameters
    second = client.get(reverse("services:health:files"), {"q": "张秀英", "page": 2})
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize(
    ("view", "data", "field", "typed"),
    [
        ("reading_add", {"kind": "bp", "value": "150", "taken_on": "2026-12-01"}, "value2", "150"),
        ("reading_add", {"kind": "weight", "value": "-3", "taken_on": "2026-12-01"}, "value", "-3"),
        ("followup_add", {"visited_on": "not a date", "notes": "血压偏高，嘱低盐饮食"}, "visited_on", "嘱低盐饮食"),
        ("maternal_add", {"kind": "prenatal", "visited_on": "", "notes": "孕28周复查"}, "visited_on", "孕28周复查"),
    ],
)
def test_a_nurse_keeps_what_she_typed_when_an_entry_is_refused(
    client, health_staff, community, view, data, field, typed
):
    """An invalid entry is shown again with its message next to the field, what was typed kept (it redirected and
    lost it); nothing is saved."""
    file = HealthFileFactory(consent__resident__community=community, maternal_care=True)
    client.force_login(health_staff)
    response = client.post(reverse(f"services:health:{view}", args=[file.pk]), data)
    assert response.status_code == 200
    form = response.context[{"reading_add": "reading_form", "followup_add": "followup_form"}.get(view, "maternal_form")]
    assert form.is_bound and field in form.errors
    assert typed in response.content.decode()
    assert not Reading.objects.filter(file=file).exists() and not MaternalVisit.objects.filter(file=file).exists()
