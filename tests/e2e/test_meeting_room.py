"""Browser journey of the meeting room: five members vote on their phones (375 px), first on an amendment and then
on the amended motion, while the projector (1280 px) shows the count as it comes in; the secretary runs the room
on a desktop and enters the vote of a member without an account; the result lands in the minutes."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils import actions
from councils.models import Council, MinutesItem, Motion, Speaker
from councils.tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory
from portal.core import roles
from portal.tests.factories import UserFactory
from tests.e2e.test_councils import csp_errors, login

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
NAMES = ["张建国", "李秀英", "王志强", "赵丽华", "陈德明"]


def _page(browser, live_server, user, **context_args):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    page = context.new_page()
    page.set_default_timeout(15000)
    if user is not None:
        login(page, user, live_server.url)
    return page


def test_five_members_vote_on_an_amended_motion_while_the_projector_counts(
    browser, live_server, community, screenshot, transactional_db
):
    secretary = UserFactory(role=roles.COUNCIL_SECRETARY, community=community, name="秘书小王")
    UserFactory(role=roles.BRANCH_SECRETARY, community=community, name="书记老李")
    UserFactory(role=roles.COMMITTEE_DIRECTOR, community=community, name="主任老张")
    council = {c.kind: c for c in actions.councils_ensure(community=community)}[Council.Kind.DELIBERATION]
    voters = [
        MemberFactory(council=council, name=name, user=UserFactory(role=roles.RESIDENT, community=community, name=name))
        for name in NAMES
    ]
    paper = MemberFactory(council=council, name="孙大爷")  # no account: the secretary enters his vote
    MemberFactory(council=council, name="周阿姨")  # absent
    meeting = MeetingFactory(
        council=council, title="2026年第四季度党居议事会", starts_at=timezone.now() - dt.timedelta(minutes=30)
    )
    item = AgendaItemFactory(meeting=meeting, title="供暖费收缴与困难户减免")
    actions.attendance_record(meeting=meeting, present_member_ids=[m.pk for m in [*voters, paper]], by=secretary)

    # The secretary proposes the motion and an amendment in the meeting room, and opens the amendment's vote.
    desk = _page(browser, live_server, secretary, viewport={"width": 1280, "height": 900})
    desk_errors = csp_errors(desk)
    desk.goto(f"/councils/work/meeting/{meeting.pk}/")
    desk.click("#meeting-room")
    desk.wait_for_url(re.compile(r"/room/$"))
    desk.click(f"#item-{item.pk} summary")
    desk.fill(f"#id_motion{item.pk}_text", "供暖费按建筑面积每平方米22元收取。")
    desk.click(f"#propose-{item.pk}")
    desk.wait_for_load_state()
    motion = Motion.objects.get(agenda_item=item, amends__isnull=True)
    desk.click(f"#item-{item.pk} summary")
    desk.fill(f"#id_motion{item.pk}_text", "供暖费按建筑面积每平方米22元收取，低保户和困难户减半。")
    desk.select_option(f"#id_motion{item.pk}_proposed_by", str(voters[1].pk))
    desk.click(f"#propose-{item.pk}")
    desk.wait_for_load_state()
    amendment = Motion.objects.get(amends=motion)
    desk.click(f"#open-{amendment.pk}")
    desk.wait_for_selector("#open-vote")
    screenshot(desk, "meeting-room-secretary-desktop")

    # The projector: a signed link, no account on that computer.
    projector = _page(browser, live_server, None, viewport={"width": 1280, "height": 800})
    projector_errors = csp_errors(projector)
    projector.goto(desk.get_attribute("#signed-projector", "href"))
    expect(projector.locator("#projector-motion")).to_contain_text("低保户和困难户减半")
    expect(projector.locator("#count-yes")).to_have_text("0")

    # Five phones: the members vote on the amendment; the projector follows by itself (htmx polling).
    phones = [_page(browser, live_server, m.user, **PHONE) for m in voters]
    phone_errors = [csp_errors(p) for p in phones]
    for p in phones:
        p.goto(f"/councils/room/{meeting.pk}/")
    screenshot(phones[0], "meeting-room-vote-phone")

    # 陈德明 asks to speak from his phone; the secretary gives him the floor; the projector shows who speaks.
    phones[4].click("#ask-speak")
    phones[4].wait_for_selector("#my-turn")
    speaker = Speaker.objects.get(member=voters[4])
    desk.reload()
    desk.click(f"#speaker-{speaker.pk} form[action$='/start/'] button")
    desk.wait_for_load_state()
    expect(projector.locator("#projector-speaking")).to_contain_text("陈德明")
    screenshot(desk, "meeting-room-speakers-desktop")
    desk.click(f"#speaker-{speaker.pk} form[action$='/stop/'] button")
    desk.wait_for_load_state()
    speaker.refresh_from_db()
    assert speaker.status == "done"
    for p, choice in zip(phones[:3], ("yes", "yes", "no"), strict=True):
        p.click(f"#vote-{choice}")
        p.wait_for_selector("#my-vote")
    expect(projector.locator("#count-yes")).to_have_text("2")
    expect(projector.locator("#count-no")).to_have_text("1")
    screenshot(projector, "meeting-room-projector-counting-desktop")
    screenshot(phones[0], "meeting-room-voted-phone")
    for p, choice in zip(phones[3:], ("yes", "abstain"), strict=True):
        p.click(f"#vote-{choice}")
        p.wait_for_selector("#my-vote")
    expect(projector.locator("#count-yes")).to_have_text("3")
    desk.reload()
    desk.click("#close-vote")
    desk.wait_for_load_state()
    amendment.refresh_from_db()
    assert (amendment.votes_yes, amendment.votes_no, amendment.votes_abstain, amendment.carried) == (3, 1, 1, True)
    motion.refresh_from_db()
    assert "低保户和困难户减半" in motion.text and motion.original_text == "供暖费按建筑面积每平方米22元收取。"
    expect(projector.locator("#projector-result")).to_contain_text("通过")

    # The amended motion: the phones pick the new vote up without a reload; the secretary enters 孙大爷's vote.
    desk.click(f"#open-{motion.pk}")
    desk.wait_for_selector("#open-vote")
    for p in phones:
        expect(p.locator("#vote-yes")).to_be_visible()
        assert "低保户和困难户减半" in p.inner_text("#member-motion")
    for p, choice in zip(phones, ("yes", "yes", "yes", "no", "yes"), strict=True):
        p.click(f"#vote-{choice}")
        p.wait_for_selector("#my-vote")
    desk.reload()
    desk.select_option("#id_member", str(paper.pk))
    desk.select_option("#id_choice", "abstain")
    desk.click("#enter-ballot")
    desk.wait_for_load_state()
    expect(projector.locator("#count-yes")).to_have_text("4")
    expect(projector.locator("#count-abstain")).to_have_text("1")
    expect(projector.locator("#projector-result")).to_contain_text("0")  # nobody left to vote
    screenshot(projector, "meeting-room-projector-desktop")
    desk.click("#close-vote")
    desk.wait_for_load_state()
    expect(projector.locator("#projector-result")).to_contain_text("通过")
    screenshot(projector, "meeting-room-projector-result-desktop")
    expect(phones[2].locator("#member-result")).to_contain_text("通过")
    screenshot(phones[2], "meeting-room-result-phone")
    screenshot(desk, "meeting-room-after-votes-desktop")

    # The minutes carry the vote's totals, not typed ones.
    desk.goto(f"/councils/work/meeting/{meeting.pk}/minutes/")
    row = MinutesItem.objects.get(agenda_item=item)
    assert (row.votes_for, row.votes_against, row.votes_abstain) == (4, 1, 1)
    assert desk.locator(f"#id_item{row.pk}-votes_for").is_disabled()
    assert "低保户和困难户减半" in row.decision

    # The secretary's room works on a phone too.
    small = _page(browser, live_server, secretary, **PHONE)
    small.goto(f"/councils/work/meeting/{meeting.pk}/room/")
    screenshot(small, "meeting-room-secretary-phone")
    for p in [*phones, small]:
        assert p.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scrolling
    for errors in [desk_errors, projector_errors, *phone_errors]:
        assert not [e for e in errors if "Content Security Policy" in e], errors
