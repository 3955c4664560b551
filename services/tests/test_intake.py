"""Every intake channel into one queue: the channel on the case, 12345 tickets with their number and deadline,
likely duplicates offered for merging, and the figures by channel."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from services.hall import actions
from services.models import Case, CaseEvent
from services.tests.factories import ResidentFactory


@pytest.fixture
def neighbour(community):
    return ResidentFactory(community=community, name="赵邻居")


def file(resident, by, **kwargs):
    defaults = {"kind": "repair", "title": "水管爆裂", "description": "楼道水管爆裂", "location": "3号楼 2单元"}
    return actions.case_file(resident=resident, filed_by=by, **{**defaults, **kwargs})


def test_the_channel_defaults_to_online_for_the_resident_and_the_counter_for_staff(resident, resident_user, hall_staff):
    assert file(resident, resident_user).source == Case.Source.ONLINE
    by_staff = file(resident, hall_staff, location="5号楼")
    assert by_staff.source == Case.Source.COUNTER
    assert "代办" in by_staff.events.get(kind=CaseEvent.Kind.FILED).text


def test_a_12345_ticket_needs_its_number_and_its_deadline_shortens_the_case(resident, hall_staff, repair):
    with pytest.raises(ValidationError) as refused:
        file(resident, hall_staff, source=Case.Source.HOTLINE, item=repair)
    assert "ticket" in refused.value.message_dict
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    case = file(
        resident,
        hall_staff,
        source=Case.Source.HOTLINE,
        ticket=" 2026120500123 ",
        ticket_deadline=tomorrow,
        item=repair,
    )
    assert (case.source, case.ticket, case.deadline) == ("12345", "2026120500123", tomorrow)
    assert "2026120500123" in case.events.get(kind=CaseEvent.Kind.FILED).text
    with pytest.raises(ValidationError) as past:
        file(resident, hall_staff, source=Case.Source.HOTLINE, ticket="1", ticket_deadline=tomorrow - dt.timedelta(3))
    assert "ticket_deadline" in past.value.message_dict


def test_the_database_refuses_a_12345_case_without_a_ticket(resident, hall_staff):
    from django.db import IntegrityError, transaction

    case = file(resident, hall_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(source="12345")


def test_likely_duplicates_are_the_open_cases_of_the_kind_at_the_place_within_days(resident, resident_user, neighbour):
    first = file(resident, resident_user, location="3号楼 2单元")
    assert list(
        actions.likely_duplicates(community_id=resident.community_id, kind="repair", location="3号楼2单元")
    ) == [first]
    assert not actions.likely_duplicates(community_id=resident.community_id, kind="complaint", location="3号楼2单元")
    assert not actions.likely_duplicates(community_id=resident.community_id, kind="repair", location="4号楼")
    assert not actions.likely_duplicates(community_id=resident.community_id, kind="repair", location="  ")
    Case.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - dt.timedelta(days=8))
    assert not actions.likely_duplicates(community_id=resident.community_id, kind="repair", location="3号楼 2单元")


def test_staff_taking_a_call_about_a_reported_burst_pipe_add_it_to_the_open_case(
    client, resident, resident_user, neighbour, hall_staff
):
    first = file(resident, resident_user)
    client.force_login(hall_staff)
    url = reverse("services:case_new") + f"?for={neighbour.pk}"
    data = {
        "for": neighbour.pk,
        "source": "phone",
        "kind": "repair",
        "title": "楼道漏水",
        "description": "邻居来电：3号楼楼道水管在漏",
        "location": "3号楼  2单元",
    }
    offered = client.post(url, data)
    assert offered.status_code == 200
    assert first.number in offered.content.decode()
    assert Case.objects.count() == 1  # nothing filed yet: staff choose
    merged = client.post(url, {**data, "merge_into": first.pk})
    assert merged.status_code == 302 and merged["Location"] == reverse("services:case", args=[first.pk])
    line = first.events.get(kind=CaseEvent.Kind.NOTE)
    assert line.internal and "赵邻居" in line.text and "电话" in line.text
    assert Case.objects.count() == 1
    # Or as a new case, after all: the same form, kept as typed.
    again = client.post(url, {**data, "file_anyway": "1"})
    assert again.status_code == 302
    new = Case.objects.exclude(pk=first.pk).get()
    assert (new.resident, new.source, new.filed_by) == (neighbour, "phone", hall_staff)


def test_merging_into_a_case_that_is_not_offered_is_refused_next_to_the_form(
    client, resident, resident_user, neighbour, hall_staff, other_community
):
    first = file(resident, resident_user)
    elsewhere = file(ResidentFactory(community=other_community), None, location="3号楼 2单元")
    client.force_login(hall_staff)
    data = {"for": neighbour.pk, "source": "chat", "kind": "repair", "title": "漏水", "description": "群里说漏水"}
    response = client.post(
        reverse("services:case_new"), {**data, "location": "3号楼 2单元", "merge_into": elsewhere.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert str(response.context["form"].non_field_errors()[0]) in response.content.decode()
    assert not first.events.filter(kind=CaseEvent.Kind.NOTE).exists()
    assert not elsewhere.events.filter(kind=CaseEvent.Kind.NOTE).exists()


def test_a_12345_report_without_its_ticket_keeps_what_was_typed(client, neighbour, hall_staff):
    client.force_login(hall_staff)
    response = client.post(
        reverse("services:case_new"),
        {"for": neighbour.pk, "source": "12345", "kind": "repair", "title": "路灯不亮", "description": "12345 转来"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"ticket", "ticket_deadline"}
    assert "路灯不亮" in response.content.decode()
    assert not Case.objects.exists()


def test_residents_file_online_without_channel_fields(client, resident_user):
    client.force_login(resident_user)
    page = client.get(reverse("services:case_new"))
    assert 'name="source"' not in page.content.decode()
    client.post(
        reverse("services:case_new"),
        {"kind": "repair", "title": "漏水", "description": "厨房漏水", "location": "3号楼", "source": "12345"},
    )
    assert Case.objects.get().source == Case.Source.ONLINE


def test_figures_by_channel(resident, resident_user, hall_staff):
    online = file(resident, resident_user, location="1号楼")
    phone = file(resident, hall_staff, location="2号楼", source="phone")
    now = timezone.now()
    Case.objects.filter(pk=phone.pk).update(
        status="done", submitted_at=now - dt.timedelta(hours=10), accepted_at=now - dt.timedelta(hours=8), closed_at=now
    )
    figures = {f.source: f for f in actions.figures_by_channel(Case.objects.all(), days=30)}
    assert set(figures) == set(Case.Source.values)
    assert (figures["online"].received, figures["online"].still_open, figures["online"].done) == (1, 1, 0)
    assert figures["phone"].accept_hours == 2.0 and figures["phone"].close_hours == 10.0
    assert figures["phone"].in_time_percent == 100
    assert figures["12345"].received == 0 and figures["12345"].in_time_percent is None
    Case.objects.filter(pk=online.pk).update(submitted_at=now - dt.timedelta(days=40))
    assert {f.source: f.received for f in actions.figures_by_channel(Case.objects.all(), days=30)}["online"] == 0


def test_the_channels_page_shows_the_staff_members_community_only(client, resident, hall_staff, other_hall_staff):
    file(resident, hall_staff, source="chat", location="1号楼")
    client.force_login(hall_staff)
    page = client.get(reverse("services:case_channels"), {"days": "30"})
    assert page.status_code == 200
    chat = next(f for f in page.context["figures"] if f.source == "chat")
    assert chat.received == 1
    client.force_login(other_hall_staff)
    assert (
        next(f for f in client.get(reverse("services:case_channels")).context["figures"] if f.source == "chat").received
        == 0
    )
    assert client.get(reverse("services:case_channels"), {"days": "zzz"}).status_code == 200
