"""Cases (办件): filing, the status flow, the timeline, attachments, rating, mediation, escalation, and the admin."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.core import roles
from portal.core.models import Notification
from services.hall import actions
from services.hall.models import add_working_days
from services.models import Case, CaseAttachment, CaseEvent, ClosedDay, Counter, Mediation, ServiceItem
from services.tests.factories import CaseFactory


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")


def test_working_days_skip_weekends_and_closed_days():
    friday = dt.date(2026, 11, 27)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 30)
    assert add_working_days(friday, 2, {dt.date(2026, 11, 30)}) == dt.date(2026, 12, 2)


def test_a_resident_files_a_case_with_a_photo_and_the_deadline_follows_the_time_limit(client, resident_user, repair):
    client.force_login(resident_user)
    response = client.post(
        reverse("services:case_new"),
        {"kind": "repair", "item": repair.pk, "title": "厨房漏水", "description": "水管接口漏水", "attachment": png()},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("services:case", args=[case.pk])
    assert case.deadline == actions.case_deadline(community_id=case.community_id, start=timezone.localdate(), days=1)
    attachment = case.attachments.get()
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")
    assert "photo" not in attachment.file.name  # a generated name
    assert list(case.events.values_list("kind", flat=True)) == ["filed", "attachment"]


def test_a_file_that_only_pretends_to_be_an_image_is_refused_and_the_form_keeps_the_text(client, resident_user, repair):
    client.force_login(resident_user)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(
        reverse("services:case_new"),
        {"kind": "repair", "item": repair.pk, "title": "厨房漏水", "description": "水管接口漏水", "attachment": fake},
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert response.context["form"].errors["attachment"]
    assert "水管接口漏水" in response.content.decode()


def test_a_file_too_large_is_refused(case, hall_staff):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError):
        actions.case_add_attachment(case=case, upload=big, by=hall_staff)


def test_a_pdf_is_accepted(case, hall_staff):
    attachment = actions.case_add_attachment(case=case, upload=pdf(), by=hall_staff, internal=True)
    assert attachment.content_type == "application/pdf" and attachment.original_name == "证明.pdf"


def test_the_status_flow_and_every_change_on_the_timeline(case, hall_staff, resident_user):
    actions.case_accept(case=case, by=hall_staff)
    actions.case_start(case=case, by=hall_staff)
    case = actions.case_complete(case=case, by=hall_staff)
    assert case.status == "done" and case.assignee == hall_staff and case.closed_at
    statuses = list(case.events.filter(kind="status").values_list("from_status", "to_status"))
    assert statuses == [("submitted", "accepted"), ("accepted", "in_progress"), ("in_progress", "done")]
    titles = Notification.objects.filter(recipient=resident_user).values_list("title", flat=True)
    assert sum(case.number in t for t in titles) >= 4  # received + three changes


def test_a_case_cannot_skip_or_reopen(case, hall_staff):
    actions.case_accept(case=case, by=hall_staff)
    actions.case_complete(case=case, by=hall_staff)
    with pytest.raises(ValidationError):
        actions.case_start(case=case, by=hall_staff)
    assert Case.objects.get(pk=case.pk).status == "done"


def test_rejecting_needs_a_reason_which_the_resident_sees(client, case, hall_staff, resident_user):
    with pytest.raises(ValidationError):
        actions.case_reject(case=case, by=hall_staff, reason="  ")
    actions.case_reject(case=case, by=hall_staff, reason="不属于社区受理范围")
    client.force_login(resident_user)
    assert "不属于社区受理范围" in client.get(reverse("services:case", args=[case.pk])).content.decode()


def test_internal_notes_and_files_are_hidden_from_the_resident(client, case, hall_staff, resident_user):
    actions.case_add_note(case=case, by=hall_staff, text="内部：联系物业王师傅", internal=True)
    actions.case_add_note(case=case, by=hall_staff, text="师傅明天上午上门", internal=False)
    internal_file = actions.case_add_attachment(case=case, upload=pdf(), by=hall_staff, internal=True)
    client.force_login(resident_user)
    body = client.get(reverse("services:case", args=[case.pk])).content.decode()
    assert "师傅明天上午上门" in body and "王师傅" not in body
    assert client.get(reverse("services:attachment", args=[case.pk, internal_file.pk])).status_code == 404
    client.force_login(hall_staff)
    assert "王师傅" in client.get(reverse("services:case", args=[case.pk])).content.decode()
    assert client.get(reverse("services:attachment", args=[case.pk, internal_file.pk])).status_code == 200


def test_the_resident_rates_a_finished_case_once(client, case, hall_staff, resident_user):
    actions.case_accept(case=case, by=hall_staff)
    actions.case_complete(case=case, by=hall_staff)
    client.force_login(resident_user)
    client.post(reverse("services:case_rate", args=[case.pk]), {"rating": "5", "comment": "很及时"})
    client.post(reverse("services:case_rate", args=[case.pk]), {"rating": "1"})
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (5, "很及时")


def test_a_mediation_case_holds_the_parties(resident, resident_user, catalogue, community):
    item = ServiceItem.objects.get(community=community, name="邻里矛盾纠纷调解")
    case = actions.case_file(
        resident=resident, kind="mediation", item=item, title="楼上漏水", description="协商未果",
        filed_by=resident_user, other_party="李四 3号楼2单元501",
    )  # fmt: skip
    assert Mediation.objects.get(case=case).party_list == [resident.name, "李四 3号楼2单元501"]


def test_staff_file_a_case_on_behalf_and_the_timeline_says_so(client, hall_staff, community, repair):
    from residents.tests.factories import ResidentFactory

    elder = ResidentFactory(community=community, user=None, phone="")
    client.force_login(hall_staff)
    client.post(
        f"{reverse('services:case_new')}?for={elder.pk}",
        {"kind": "repair", "item": repair.pk, "title": "暖气漏水", "description": "卧室暖气片漏水", "for": elder.pk},
    )
    case = Case.objects.get()
    assert case.resident == elder and case.filed_by == hall_staff
    assert "代办" in case.events.get(kind="filed").text


def test_overdue_cases_are_escalated_to_the_director_once(case, director, community):
    Case.objects.filter(pk=case.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    assert actions.cases_escalate_overdue() == 1
    assert actions.cases_escalate_overdue() == 0
    assert Notification.objects.filter(recipient=director, title__contains=case.number).count() == 1
    assert CaseEvent.objects.filter(case=case, kind="escalated", internal=True).exists()


def test_admin_bulk_actions_call_the_actions(admin_client_for, case, hall_staff):
    client = admin_client_for(hall_staff)
    url = reverse("admin:services_case_changelist")
    client.post(url, {"action": "accept", "_selected_action": [case.pk], "assignee": "", "reason": ""})
    case.refresh_from_db()
    assert case.status == "accepted" and case.events.filter(kind="status").count() == 1
    client.post(url, {"action": "reject", "_selected_action": [case.pk], "assignee": "", "reason": "重复提交"})
    case.refresh_from_db()
    assert case.status == "rejected" and case.rejection_reason == "重复提交"


def test_admin_assign_only_to_staff_of_the_same_community(admin_client_for, case, hall_staff, other_hall_staff):
    client = admin_client_for(hall_staff)
    url = reverse("admin:services_case_changelist")
    client.post(url, {"action": "assign", "_selected_action": [case.pk], "assignee": other_hall_staff.pk, "reason": ""})
    case.refresh_from_db()
    assert case.assignee is None
    page = client.get(url)
    choices = [pk for pk, _name in page.context["action_form"].fields["assignee"].widget.choices]
    assert hall_staff.pk in choices and other_hall_staff.pk not in choices


def test_admin_edit_is_noted_on_the_timeline(admin_client_for, case, hall_staff):
    client = admin_client_for(hall_staff)
    url = reverse("admin:services_case_change", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "title": case.title, "description": case.description, "location": "3号楼", "counter": case.counter_id or "",
        "deadline": case.deadline.isoformat(),
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
    }  # fmt: skip
    prefixes = [f.formset.prefix for f in page.context["inline_admin_formsets"]]
    assert prefixes == ["attachments"]  # notes and the timeline: the case's next steps (test_case_work.py)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert case.events.filter(kind="note", internal=True).exists()  # "Edited: where"


@pytest.mark.parametrize("extra", [5, 60])
def test_admin_case_list_runs_a_constant_number_of_queries(
    admin_client_for, hall_staff, community, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        CaseFactory(community=community, assignee=hall_staff)
    client = admin_client_for(hall_staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:services_case_changelist"), {"overdue": "no"})
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [2, 25])
def test_my_cases_runs_a_constant_number_of_queries(
    client, resident, resident_user, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        CaseFactory(community=resident.community, resident=resident)
    client.force_login(resident_user)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("services:my_cases"))
    assert len(response.context["cases"]) == extra


def test_closed_days_push_the_deadline(community):
    start = dt.date(2026, 11, 27)
    ClosedDay.objects.create(community=community, date=dt.date(2026, 11, 30), reason="停电")
    assert actions.case_deadline(community_id=community.pk, start=start, days=1) == dt.date(2026, 12, 1)


def test_attachments_are_stored_outside_the_public_media(case, hall_staff, settings):
    attachment = actions.case_add_attachment(case=case, upload=png(), by=hall_staff)
    path = CaseAttachment.objects.get(pk=attachment.pk).file.path
    assert not path.startswith(str(settings.MEDIA_ROOT) + "/")


def test_admin_assign_to_staff_of_the_same_community(admin_client_for, case, hall_staff):
    client = admin_client_for(hall_staff)
    url = reverse("admin:services_case_changelist")
    response = client.post(
        url, {"action": "assign", "_selected_action": [case.pk], "assignee": hall_staff.pk, "reason": ""}, follow=True
    )
    case.refresh_from_db()
    assert case.assignee == hall_staff, [str(m) for m in response.context["messages"]]


def test_the_case_lists_choices_follow_changes_at_once(admin_client_for, case, hall_staff, make_user, community):
    client = admin_client_for(hall_staff)
    url = reverse("admin:services_case_changelist")

    def assignees():
        # As the page shows them, drawn or from the member of staff's own copy.
        html = client.get(url).content.decode()
        select = re.search(r'<select name="assignee"[^>]*>(.*?)</select>', html, re.S).group(1)
        return {int(pk): name for pk, name in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)}

    def counters():
        cl = client.get(url, HTTP_CACHE_CONTROL="no-cache").context["cl"]
        (spec,) = [s for s in cl.filter_specs if getattr(s, "field_path", "") == "counter"]
        return dict(spec.lookup_choices)

    before = assignees()
    assert hall_staff.pk in before and counters()
    colleague = make_user(roles.HALL_STAFF, community, name="新同事")
    assert colleague.pk in assignees()
    colleague.is_active = False
    colleague.save()
    assert colleague.pk not in assignees()
    counter = case.counter or Counter.objects.filter(community=community).first()
    counter.name = "改名后的窗口"
    counter.save()
    assert any("改名后的窗口" in label for label in counters().values())


def test_a_district_administrators_case_list_offers_one_communitys_counters_and_staff_at_a_time(
    admin_client_for, case, hall_staff, other_hall_staff, district_admin, community, other_community
):
    """Every community's counters and staff would be hundreds of links and names on every page: the district
    administrator narrows the list to a community first, then its counters and staff are offered."""
    CaseFactory(community=other_community)
    client = admin_client_for(district_admin)
    url = reverse("admin:services_case_changelist")

    def page(**params):
        cl = client.get(url, params, HTTP_CACHE_CONTROL="no-cache").context["cl"]
        specs = {getattr(s, "field_path", s.title): s for s in cl.filter_specs if s.has_output()}
        return cl, specs

    cl, specs = page()
    assert cl.result_count == 2 and "community" in cl.list_display
    assert set(dict(specs["community"].lookup_choices)) >= {community.pk, other_community.pk}
    assert "counter" not in specs and "assignee" not in specs

    cl, specs = page(community__id__exact=community.pk)
    assert cl.result_count == 1
    counters = Counter.objects.filter(pk__in=dict(specs["counter"].lookup_choices))
    assert counters and {c.community_id for c in counters} == {community.pk}
    assert hall_staff.pk in dict(specs["assignee"].lookup_choices)
    assert other_hall_staff.pk not in dict(specs["assignee"].lookup_choices)
    # The action bar offers the same community's staff, and assigning works from there.
    response = client.post(
        f"{url}?community__id__exact={community.pk}",
        {"action": "assign", "_selected_action": [case.pk], "assignee": hall_staff.pk, "reason": ""},
        follow=True,
    )
    case.refresh_from_db()
    assert case.assignee == hall_staff, [str(m) for m in response.context["messages"]]

    # Not narrowed, nobody is offered and the action says what to do first.
    response = client.post(
        url, {"action": "assign", "_selected_action": [case.pk], "assignee": hall_staff.pk, "reason": ""}, follow=True
    )
    assert "请先按社区筛选列表，再选择承办的工作人员。" in [str(m) for m in response.context["messages"]]

    # A saved link to one counter stays clearable without the community chosen.
    counter = counters.first()
    cl, specs = page(counter__id__exact=counter.pk)
    assert list(dict(specs["counter"].lookup_choices)) == [counter.pk]
