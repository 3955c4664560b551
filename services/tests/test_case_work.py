"""A case is worked on its own page: the next steps as buttons through the actions, the admin search by number,
name, phone and title, a timeline of labels and local times with the mediation in it, and the follow-up reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.models import Notification
from services.hall import actions
from services.models import Case, CaseEvent, Mediation, MediationSession
from services.tests.test_cases import png


@pytest.fixture
def case(resident, catalogue, community, resident_user):
    from services.models import ServiceItem

    item = ServiceItem.objects.get(community=community, name="自来水管道维修")
    return actions.case_file(
        resident=resident,
        kind="repair",
        item=item,
        title="厨房漏水",
        description="水管接口漏水",
        filed_by=resident_user,
    )


def _page(client, case):
    return client.get(reverse("admin:services_case_change", args=[case.pk]))


def _work(client, case, step, **data):
    fields = {f"{step}-{name}": value for name, value in data.items()}
    return client.post(reverse("admin:services_case_change", args=[case.pk]), {"_work": step, **fields})


def test_the_case_page_offers_the_next_steps_as_buttons(admin_client_for, case, hall_staff):
    client = admin_client_for(hall_staff)
    page = _page(client, case)
    assert list(page.context["work_forms"]) == ["accept", "assign", "reject", "note", "attach"]
    html = page.content.decode()
    assert 'name="_work" value="accept"' in html and 'name="_work" value="reject"' in html
    actions.case_accept(case=case, by=hall_staff)
    assert list(_page(client, case).context["work_forms"]) == [
        "assign",
        "start",
        "complete",
        "reject",
        "note",
        "attach",
    ]


def test_each_step_goes_through_the_actions(admin_client_for, case, hall_staff, make_user, community, resident_user):
    colleague = make_user(roles.HALL_STAFF, community)
    client = admin_client_for(hall_staff)
    assert _work(client, case, "accept").status_code == 302
    assert _work(client, case, "assign", assignee=colleague.pk).status_code == 302
    assert _work(client, case, "start").status_code == 302
    assert _work(client, case, "note", text="已联系维修师傅", internal="on").status_code == 302
    response = client.post(
        reverse("admin:services_case_change", args=[case.pk]),
        {"_work": "attach", "attach-upload": png(), "attach-internal": "on"},
    )
    assert response.status_code == 302
    assert _work(client, case, "complete", text="已更换接口，请验收。").status_code == 302
    case.refresh_from_db()
    assert case.status == "done" and case.assignee == colleague
    kinds = list(case.events.values_list("kind", "to_status"))
    assert ("status", "accepted") in kinds and ("status", "in_progress") in kinds and ("status", "done") in kinds
    assert case.events.filter(kind="note", text="已联系维修师傅", internal=True).exists()
    assert case.attachments.filter(internal=True).count() == 1
    assert case.events.get(to_status="done").text == "已更换接口，请验收。"
    assert Notification.objects.filter(recipient=resident_user, title__contains=case.number).count() >= 4


def test_a_refused_step_keeps_what_was_typed_with_the_message_next_to_it(admin_client_for, case, hall_staff):
    client = admin_client_for(hall_staff)
    too_long = "理由" * 151  # 302 characters: more than a reason may hold
    response = _work(client, case, "reject", text=too_long)
    assert response.status_code == 200
    form = response.context["work_forms"]["reject"]
    assert form.errors["text"] and too_long in response.content.decode()
    response = _work(client, case, "reject", text="  ")
    assert "Say why" in str(response.context["work_forms"]["reject"].errors) or "说明" in str(
        response.context["work_forms"]["reject"].errors
    )
    case.refresh_from_db()
    assert case.status == "submitted"
    # A step the case can no longer take (it moved on in another window) says so.
    response = _work(client, case, "start")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"


def test_staff_of_another_community_cannot_work_the_case(admin_client_for, case, other_hall_staff):
    client = admin_client_for(other_hall_staff)
    assert _work(client, case, "accept").status_code == 404
    case.refresh_from_db()
    assert case.status == "submitted"


@pytest.mark.parametrize("query", ["number", "number_lower", "name", "phone", "title"])
def test_admin_search_finds_a_case(admin_client_for, case, hall_staff, resident, query):
    from services.tests.factories import CaseFactory

    CaseFactory.create_batch(3, community=case.community)
    term = {
        "number": case.number,
        "number_lower": f"bj{case.pk}",
        "name": resident.name,
        "phone": resident.phone,
        "title": "厨房漏水",
    }[query]
    response = admin_client_for(hall_staff).get(reverse("admin:services_case_changelist"), {"q": term})
    assert [c.pk for c in response.context["cl"].result_list] == [case.pk]


def test_the_timeline_shows_labels_and_local_times_in_order(admin_client_for, case, hall_staff):
    actions.case_accept(case=case, by=hall_staff)
    actions.case_start(case=case, by=hall_staff)
    # A note written at 01:30 UTC is 09:30 in Asia/Shanghai; recorded late, it still sorts by its time.
    at = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
    CaseEvent.objects.create(case=case, kind="note", text="补记：现场查看", internal=True, at=at)
    html = _page(admin_client_for(hall_staff), case).content.decode()
    assert "in_progress" not in html.split('id="case-timeline-title"')[1]
    assert "办理中" in html and "2026-03-02 09:30" in html
    timeline = html.split('id="case-timeline-title"')[1]
    assert timeline.index("补记") < timeline.index("办理中")


def test_the_mediation_is_on_the_timeline(admin_client_for, client, community, resident, resident_user, hall_staff):
    case = actions.case_file(
        resident=resident, kind="mediation", title="楼上漏水纠纷", description="楼上漏水", filed_by=resident_user,
        other_party="王某 3号楼201",
    )  # fmt: skip
    mediation = Mediation.objects.get(case=case)
    held = timezone.now() - dt.timedelta(days=2)
    MediationSession.objects.create(
        mediation=mediation, held_at=held, place="调解室", summary="双方陈述", mediator=hall_staff
    )
    mediation.agreement, mediation.agreed_on = "楼上负责维修", timezone.localdate() - dt.timedelta(days=1)
    mediation.follow_up_due = timezone.localdate() + dt.timedelta(days=7)
    mediation.save()
    timeline = _page(admin_client_for(hall_staff), case).content.decode().split('id="case-timeline-title"')[1]
    assert timeline.index("双方陈述") < timeline.index("楼上负责维修") < timeline.index("回访")
    # The resident sees the agreement, not the staff's session notes nor the reminder.
    client.force_login(resident_user)
    html = client.get(reverse("services:case", args=[case.pk])).content.decode()
    assert "楼上负责维修" in html and "双方陈述" not in html


def test_a_due_follow_up_reminds_the_assigned_staff_once(case, hall_staff, director):
    mediation = Mediation.objects.create(case=case, parties="甲\n乙", follow_up_due=timezone.localdate())
    Case.objects.filter(pk=case.pk).update(status="done", assignee=hall_staff)
    assert actions.mediations_remind_follow_up() == 1
    assert actions.mediations_remind_follow_up() == 0  # once per due date
    assert Notification.objects.filter(recipient=hall_staff, title__contains=case.number).count() == 1
    # A new due date reminds again; a visit made stops the reminders.
    Mediation.objects.filter(pk=mediation.pk).update(follow_up_due=timezone.localdate() + dt.timedelta(days=1))
    assert actions.mediations_remind_follow_up(today=timezone.localdate() + dt.timedelta(days=1)) == 1
    Mediation.objects.filter(pk=mediation.pk).update(follow_up_done_on=timezone.localdate())
    assert actions.mediations_remind_follow_up(today=timezone.localdate() + dt.timedelta(days=5)) == 0
