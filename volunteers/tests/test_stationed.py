"""在职党员报到 and 微心愿: report in, confirm into a party group, claim posts and wishes, fulfil, confirm (hours),
thank; the office's pages are scoped to the community; the units' yearly summaries (Excel and PDF) and the metric."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.core import roles
from portal.core.models import AuditLog, Notification
from portal.tests.idempotency import key_on
from residents.models import PartyMember
from residents.tests.factories import PartyGroupFactory, StationedUnitFactory
from volunteers.assessment_metrics import METRICS
from volunteers.models import DutyPost, PartyTask, StationedReport, UnitSummary, Wish
from volunteers.stationed import actions, summary
from volunteers.tasks import prepare_unit_summaries

YEAR = timezone.localdate().year


@pytest.fixture
def unit(community):
    return StationedUnitFactory(community=community, name="沧县实验学校", party_organisation="沧县实验学校党支部")


@pytest.fixture
def group(community):
    return PartyGroupFactory(community=community, name="3号楼院党小组")


@pytest.fixture
def secretary(make_user, community):
    """党总支书记: works the stationed members and the wishes."""
    return make_user(roles.BRANCH_SECRETARY, community)


@pytest.fixture
def member_user(make_user, community):
    """A stationed party member with a portal account (not a resident of the community)."""
    return make_user(roles.RESIDENT, community)


def _report(user, unit, **extra):
    return actions.stationed_report_submit(
        community=unit.community, unit=unit, name=user.name, phone=user.phone, user=user, **extra
    )


@pytest.fixture
def member(member_user, unit, group, secretary):
    report = _report(member_user, unit)
    actions.stationed_report_confirm(report=report, by=secretary, group=group)
    return PartyMember.objects.get(pk=StationedReport.objects.get(pk=report.pk).member_id)


@pytest.fixture
def wisher(make_user, community):
    return make_user(roles.RESIDENT, community)


@pytest.fixture
def wish(wisher, secretary):
    posted = actions.wish_post(resident=wisher.resident, title="帮忙把煤搬上楼", details="王大爷住4楼", by=wisher)
    return actions.wish_publish(wish=posted, by=secretary, public_details="一位独居老人需要帮忙搬煤")


# --------------------------------------------------------------------------------------------------
# Reporting in


def test_report_in_then_confirm_files_the_member_in_the_party_group(member_user, unit, group, secretary):
    report = _report(member_user, unit, speciality="教师")
    assert report.status == StationedReport.Status.SUBMITTED and report.channel == StationedReport.Channel.ONLINE
    assert report.member is None
    report = actions.stationed_report_confirm(report=report, by=secretary, group=group)
    member = report.member
    assert member.category == PartyMember.Category.STATIONED and member.unit == unit
    assert member.group == group and member.branch_id == group.branch_id and member.speciality == "教师"
    assert Notification.objects.filter(recipient=member_user).count() == 1
    assert AuditLog.objects.filter(action="stationed_report_confirm", object_id=str(report.pk)).exists()


def test_report_links_the_member_already_on_file(member_user, unit, group, secretary, community):
    filed = PartyMember.objects.create(
        community=community,
        name=member_user.name,
        phone=member_user.phone,
        category=PartyMember.Category.STATIONED,
        management=PartyMember.Management.STATIONED,
        unit=unit,
    )
    report = actions.stationed_report_confirm(report=_report(member_user, unit), by=secretary, group=group)
    assert report.member_id == filed.pk
    assert PartyMember.objects.filter(phone=member_user.phone).count() == 1


def test_one_report_in_a_year(member_user, unit):
    _report(member_user, unit)
    with pytest.raises(ValidationError) as exc:
        _report(member_user, unit)
    assert "phone" in exc.value.message_dict


def test_a_declined_report_may_be_filed_again(member_user, unit, secretary):
    report = _report(member_user, unit)
    with pytest.raises(ValidationError):
        actions.stationed_report_decline(report=report, by=secretary, reason=" ")
    actions.stationed_report_decline(report=report, by=secretary, reason="不是本单位党员")
    with pytest.raises(ValidationError):
        actions.stationed_report_confirm(report=report, by=secretary, group=None)
    assert _report(member_user, unit).status == StationedReport.Status.SUBMITTED


def test_confirm_needs_a_group_of_the_same_community(member_user, unit, secretary, other_community):
    report = _report(member_user, unit)
    with pytest.raises(ValidationError) as exc:
        actions.stationed_report_confirm(report=report, by=secretary, group=None)
    assert "group" in exc.value.message_dict
    with pytest.raises(ValidationError):
        actions.stationed_report_confirm(
            report=report, by=secretary, group=PartyGroupFactory(community=other_community)
        )


def test_unit_of_another_community_is_refused(member_user, community, other_community):
    with pytest.raises(ValidationError) as exc:
        actions.stationed_report_submit(
            community=community,
            unit=StationedUnitFactory(community=other_community),
            name=member_user.name,
            phone=member_user.phone,
            user=member_user,
        )
    assert "unit" in exc.value.message_dict


def test_member_reports_in_from_the_phone_page(client, member_user, unit, group):
    client.force_login(member_user)
    page = client.get(reverse("volunteers:stationed_report"))
    assert page.status_code == 200 and unit.name in page.content.decode()
    response = client.post(
        reverse("volunteers:stationed_report"),
        {"unit": unit.pk, "name": member_user.name, "offer": "周末辅导孩子", "wished_group": group.pk},
    )
    assert response.status_code == 302
    report = StationedReport.objects.get(user=member_user)
    assert report.offer == "周末辅导孩子" and report.wished_group == group and report.phone == member_user.phone
    # A second visit is sent back to the home page.
    assert client.get(reverse("volunteers:stationed_report")).status_code == 302


def test_report_form_keeps_what_was_typed_and_says_what_is_wrong(client, member_user, unit):
    client.force_login(member_user)
    response = client.post(
        reverse("volunteers:stationed_report"), {"unit": "999999", "name": "张三", "offer": "修电器"}
    )
    assert response.status_code == 200
    assert "修电器" in response.content.decode() and response.context["form"].errors["unit"]


def test_counter_records_and_confirms_at_once(client, secretary, unit, group):
    client.force_login(secretary)
    response = client.post(
        reverse("volunteers:report_new"),
        {"unit": unit.pk, "name": "刘红", "phone": "13912345678", "group": group.pk},
    )
    assert response.status_code == 302
    report = StationedReport.objects.get(phone="13912345678")
    assert report.channel == StationedReport.Channel.COUNTER and report.status == StationedReport.Status.CONFIRMED
    assert AuditLog.objects.filter(action="stationed_report_record", object_id=str(report.pk)).exists()


def test_counter_refuses_a_bad_phone_next_to_the_field(client, secretary, unit):
    client.force_login(secretary)
    response = client.post(reverse("volunteers:report_new"), {"unit": unit.pk, "name": "刘红", "phone": "12"})
    assert response.status_code == 200 and response.context["form"].errors["phone"]


def test_office_confirms_on_the_report_page(client, secretary, member_user, unit, group):
    report = _report(member_user, unit)
    client.force_login(secretary)
    assert client.get(reverse("volunteers:report_work", args=[report.pk])).status_code == 200
    bad = client.post(reverse("volunteers:report_work", args=[report.pk]), {"step": "confirm", "group": ""})
    assert bad.status_code == 200 and bad.context["confirm_form"].errors["group"]
    client.post(reverse("volunteers:report_work", args=[report.pk]), {"step": "confirm", "group": group.pk})
    assert StationedReport.objects.get(pk=report.pk).status == StationedReport.Status.CONFIRMED


def test_register_counts_per_unit_and_year(client, secretary, member, unit):
    client.force_login(secretary)
    page = client.get(reverse("volunteers:stationed_register"), {"year": YEAR})
    row = next(u for u in page.context["units"] if u.pk == unit.pk)
    assert (row.filed, row.reported, row.waiting) == (1, 1, 0)
    last_year = client.get(reverse("volunteers:stationed_register"), {"year": YEAR - 1})
    assert next(u for u in last_year.context["units"] if u.pk == unit.pk).reported == 0


# --------------------------------------------------------------------------------------------------
# Scoping and permissions


def test_another_community_s_report_is_a_404(client, make_user, other_community, member_user, unit):
    report = _report(member_user, unit)
    client.force_login(make_user(roles.BRANCH_SECRETARY, other_community))
    assert client.get(reverse("volunteers:report_work", args=[report.pk])).status_code == 404
    assert client.get(reverse("volunteers:stationed_register"), {"c": unit.community.slug}).status_code == 404


def test_culture_staff_may_not_open_the_register(client, make_user, community):
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    assert client.get(reverse("volunteers:stationed_register")).status_code == 403
    assert client.get(reverse("volunteers:wish_queue")).status_code == 403


def test_hall_staff_record_but_do_not_decide(client, make_user, community, member_user, unit, group):
    hall = make_user(roles.HALL_STAFF, community)
    report = _report(member_user, unit)
    client.force_login(hall)
    assert client.get(reverse("volunteers:report_new")).status_code == 200
    response = client.post(reverse("volunteers:report_work", args=[report.pk]), {"step": "confirm", "group": group.pk})
    assert response.status_code == 403
    assert StationedReport.objects.get(pk=report.pk).status == StationedReport.Status.SUBMITTED


def test_a_resident_who_did_not_report_in_cannot_claim(client, wish, make_user, community):
    client.force_login(make_user(roles.RESIDENT, community))
    client.post(reverse("volunteers:wish_step", args=[wish.pk]), {"step": "claim"})
    assert Wish.objects.get(pk=wish.pk).status == Wish.Status.PUBLISHED


def test_only_the_wisher_thanks(client, wish, member, secretary, make_user, community):
    actions.wish_claim(wish=wish, member=member)
    actions.wish_fulfil(wish=wish, member=member, note="搬好了")
    actions.wish_confirm(wish=wish, by=secretary, hours=Decimal(2))
    client.force_login(make_user(roles.RESIDENT, community))
    assert (
        client.post(reverse("volunteers:wish_thank", args=[wish.pk]), {f"t{wish.pk}-thanks": "谢谢"}).status_code == 404
    )


def test_the_wisher_thanks_on_the_phone(client, wish, member, secretary, wisher):
    actions.wish_claim(wish=wish, member=member)
    actions.wish_fulfil(wish=wish, member=member, note="搬好了")
    actions.wish_confirm(wish=wish, by=secretary, hours=Decimal(2))
    client.force_login(wisher)
    assert f"t{wish.pk}-thanks" in client.get(reverse("volunteers:my_wishes")).content.decode()
    empty = client.post(reverse("volunteers:wish_thank", args=[wish.pk]), {f"t{wish.pk}-thanks": ""})
    assert empty.status_code == 200 and f'id="id_t{wish.pk}-thanks_error"' in empty.content.decode()
    done = client.post(reverse("volunteers:wish_thank", args=[wish.pk]), {f"t{wish.pk}-thanks": "谢谢党员同志"})
    assert done.status_code == 302 and Wish.objects.get(pk=wish.pk).thanks == "谢谢党员同志"


# --------------------------------------------------------------------------------------------------
# Wishes


def test_wish_goes_round_the_whole_loop_with_a_notification_at_each_step(wish, member, member_user, wisher, secretary):
    told = Notification.objects.filter
    assert told(recipient=wisher).count() == 1  # published
    actions.wish_claim(wish=wish, member=member)
    assert told(recipient=wisher).count() == 2 and told(recipient=secretary).count() == 1
    actions.wish_fulfil(wish=wish, member=member, note="周六上午搬好了")
    assert told(recipient=secretary).count() == 2
    before = told(recipient=member_user).count()
    confirmed = actions.wish_confirm(wish=wish, by=secretary, hours=Decimal("2.5"))
    assert confirmed.status == Wish.Status.CONFIRMED
    assert told(recipient=wisher).count() == 3 and told(recipient=member_user).count() == before + 1
    task = PartyTask.objects.get(pk=confirmed.task_id)
    assert task.assignee == member and task.hours == Decimal("2.5") and task.completed_on is not None
    thanked = actions.wish_thank(wish=wish, by=wisher, thanks="谢谢党员同志！")
    assert thanked.status == Wish.Status.THANKED and told(recipient=member_user).count() == before + 2
    actions_logged = set(AuditLog.objects.filter(object_id=str(wish.pk)).values_list("action", flat=True))
    assert {"wish_publish", "wish_confirm"} <= actions_logged


def test_a_wish_is_claimed_once(wish, member, unit, group, secretary, make_user, community):
    other_user = make_user(roles.RESIDENT, community)
    other = actions.stationed_report_confirm(report=_report(other_user, unit), by=secretary, group=group).member
    actions.wish_claim(wish=wish, member=member)
    with pytest.raises(ValidationError):
        actions.wish_claim(wish=wish, member=other)
    with pytest.raises(ValidationError):
        actions.wish_fulfil(wish=wish, member=other, note="x")


def test_unclaimed_wish_is_open_again(wish, member):
    actions.wish_claim(wish=wish, member=member)
    assert actions.wish_unclaim(wish=wish, member=member).status == Wish.Status.PUBLISHED


def test_confirm_refuses_hours_out_of_range_and_unfulfilled_wishes(wish, member, secretary):
    with pytest.raises(ValidationError):
        actions.wish_confirm(wish=wish, by=secretary, hours=Decimal(2))
    actions.wish_claim(wish=wish, member=member)
    actions.wish_fulfil(wish=wish, member=member, note="done")
    with pytest.raises(ValidationError) as exc:
        actions.wish_confirm(wish=wish, by=secretary, hours=Decimal(30))
    assert "hours" in exc.value.message_dict


def test_send_back_returns_the_wish_to_the_member(wish, member, secretary):
    actions.wish_claim(wish=wish, member=member)
    actions.wish_fulfil(wish=wish, member=member, note="done")
    assert actions.wish_return(wish=wish, by=secretary, reason="书包还没送到").status == Wish.Status.CLAIMED


def test_wish_wall_masks_the_name_and_hides_the_details(client, wish, member_user, member, wisher):
    client.force_login(member_user)
    html = client.get(reverse("volunteers:wish_wall")).content.decode()
    assert wish.title in html and "一位独居老人需要帮忙搬煤" in html
    assert wisher.resident.name not in html and "王大爷住4楼" not in html and wisher.phone not in html


def test_a_wish_sent_twice_with_one_key_is_posted_once(client, wisher):
    client.force_login(wisher)
    url = reverse("volunteers:my_wishes")
    form = {"title": "给孙子买个书包", "details": "孙子上一年级", "idempotency_key": key_on(client.get(url))}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert Wish.objects.filter(resident=wisher.resident).count() == 1


def test_resident_posts_a_wish_and_staff_publish_it(client, wisher, secretary):
    client.force_login(wisher)
    assert (
        client.post(reverse("volunteers:my_wishes"), {"title": "给孙子买个书包", "details": "孙子上一年级"}).status_code
        == 302
    )
    wish = Wish.objects.get(resident=wisher.resident)
    assert wish.status == Wish.Status.SUBMITTED
    client.force_login(secretary)
    client.post(
        reverse("volunteers:wish_work", args=[wish.pk]),
        {"step": "publish", "title": wish.title, "public_details": "一户困难家庭"},
    )
    assert Wish.objects.get(pk=wish.pk).status == Wish.Status.PUBLISHED


def test_staff_record_a_wish_for_a_resident_found_by_phone(client, secretary, wisher):
    client.force_login(secretary)
    missing = client.post(reverse("volunteers:wish_new"), {"phone": "13000000000", "title": "修轮椅"})
    assert missing.status_code == 200 and missing.context["form"].errors["phone"]
    assert (
        client.post(reverse("volunteers:wish_new"), {"phone": wisher.resident.phone, "title": "修轮椅"}).status_code
        == 302
    )
    assert Wish.objects.get(resident=wisher.resident).posted_by == secretary


def test_member_claims_and_fulfils_on_the_phone(client, wish, member_user, member):
    client.force_login(member_user)
    client.post(reverse("volunteers:wish_step", args=[wish.pk]), {"step": "claim"})
    assert Wish.objects.get(pk=wish.pk).claimed_by == member
    home = client.get(reverse("volunteers:stationed_home"))
    assert f"mine-{wish.pk}" in home.content.decode()
    empty = client.post(reverse("volunteers:wish_step", args=[wish.pk]), {"step": "fulfil", f"w{wish.pk}-note": ""})
    assert empty.status_code == 200 and f'id="id_w{wish.pk}-note_error"' in empty.content.decode()
    assert Wish.objects.get(pk=wish.pk).status == Wish.Status.CLAIMED  # a note is required
    client.post(reverse("volunteers:wish_step", args=[wish.pk]), {"step": "fulfil", f"w{wish.pk}-note": "已送到"})
    assert Wish.objects.get(pk=wish.pk).status == Wish.Status.FULFILLED


def test_member_joins_and_leaves_a_duty_post(client, member_user, member, community):
    post = DutyPost.objects.create(community=community, kind=DutyPost.Kind.AREA, title="3号楼党员责任区")
    client.force_login(member_user)
    client.post(reverse("volunteers:post_step", args=[post.pk]), {"step": "claim"})
    assert list(post.holders.all()) == [member]
    client.post(reverse("volunteers:post_step", args=[post.pk]), {"step": "release"})
    assert not post.holders.exists()


# --------------------------------------------------------------------------------------------------
# Yearly summaries and the metric


@pytest.fixture
def fulfilled(wish, member, secretary, community):
    actions.wish_claim(wish=wish, member=member)
    actions.wish_fulfil(wish=wish, member=member, note="搬好了")
    actions.wish_confirm(wish=wish, by=secretary, hours=Decimal(3))
    DutyPost.objects.create(community=community, kind=DutyPost.Kind.AREA, title="3号楼党员责任区").holders.add(member)
    return wish


def test_summary_workbook_lists_each_member_with_posts_wishes_and_hours(fulfilled, member, unit, community, secretary):
    actions.unit_summaries_prepare(community=community, year=YEAR, by=secretary)
    record = UnitSummary.objects.get(unit=unit, year=YEAR)
    sheet = load_workbook(io.BytesIO(summary.workbook(summary.figures(unit, YEAR)))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert unit.name in rows[0][0]
    member_row = next(r for r in rows if r[0] == member.name)
    assert member_row[1] == f"{timezone.localdate():%Y-%m-%d}"
    assert member_row[3] == "3号楼院党小组" and member_row[4] == "3号楼党员责任区"
    assert member_row[5] == 1 and member_row[6] == 3.0
    assert rows[-1][1] == 1 and rows[-1][5] == 1 and rows[-1][6] == 3.0
    html = summary.print_html(record, summary.figures(unit, YEAR))
    assert member.name in html and "3号楼党员责任区" in html and member.phone not in html


def test_summary_downloads_and_mark_sent_is_audited(client, fulfilled, unit, community, secretary, monkeypatch):
    client.force_login(secretary)
    client.post(f"{reverse('volunteers:summaries')}?year={YEAR}")
    record = UnitSummary.objects.get(unit=unit, year=YEAR)
    xlsx = client.get(reverse("volunteers:summary_file", args=[record.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    monkeypatch.setattr(summary, "html_to_pdf", lambda html: b"%PDF-1.4 " + html.encode()[:20])
    pdf = client.get(reverse("volunteers:summary_file", args=[record.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("volunteers:summary_file", args=[record.pk, "doc"])).status_code == 404
    client.post(reverse("volunteers:summary_sent", args=[record.pk]), {"note": "交单位党支部书记"})
    record.refresh_from_db()
    assert record.sent_at is not None and record.sent_by == secretary
    assert AuditLog.objects.filter(action="unit_summary_sent", object_id=str(record.pk)).exists()
    with pytest.raises(ValidationError):
        actions.unit_summary_mark_sent(summary=record, by=secretary)


def test_summary_pdf_without_chromium_is_the_print_page(client, fulfilled, unit, community, secretary, monkeypatch):
    actions.unit_summaries_prepare(community=community, year=YEAR)
    record = UnitSummary.objects.get(unit=unit, year=YEAR)
    monkeypatch.setattr(summary, "html_to_pdf", lambda html: None)
    client.force_login(secretary)
    page = client.get(reverse("volunteers:summary_file", args=[record.pk, "pdf"]))
    assert page.status_code == 200 and unit.name in page.content.decode()


def test_year_end_task_prepares_every_unit(unit, community):
    StationedUnitFactory(community=community)
    assert prepare_unit_summaries(YEAR) == 2
    assert prepare_unit_summaries(YEAR) == 2
    assert UnitSummary.objects.filter(year=YEAR).count() == 2


def test_metric_share_of_stationed_members_reported_in_and_active(fulfilled, member, unit, community, other_community):
    PartyMember.objects.create(
        community=community,
        name="未报到",
        category=PartyMember.Category.STATIONED,
        management=PartyMember.Management.STATIONED,
        unit=unit,
    )
    values = METRICS["stationed_members_reported_active"].compute([community.pk, other_community.pk], YEAR)
    assert values == {community.pk: 50.0}
    assert METRICS["stationed_members_reported_active"].compute([community.pk], YEAR - 1) == {community.pk: 0.0}


def test_seed_counts_are_realistic(db):
    from portal.core import seeding

    seeding.run(communities=1)
    stationed = PartyMember.objects.filter(category=PartyMember.Category.STATIONED).count()
    confirmed = StationedReport.objects.confirmed().filter(year=YEAR).count()
    assert stationed == 826 and 0.5 < confirmed / stationed < 0.75
    states = set(Wish.objects.values_list("status", flat=True))
    assert states == set(Wish.Status.values)
