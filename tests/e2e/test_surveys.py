"""Browser journey of a survey (民意调查): three residents answer on 375 px phones (one in the elderly mode, one who
first forgets a required answer), the secretary closes it and publishes the results, the results page shows the
counts as a chart and a table, and the minutes of the agenda item quote them. Selectors by id and value."""

import datetime as dt

import pytest
from django.utils import timezone

from councils import actions
from councils.models import Council, Response, Survey
from councils.tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory
from portal.core import roles
from portal.tests.factories import UserFactory
from residents.tests.factories import ResidentFactory
from tests.e2e.test_accessibility import audit
from tests.e2e.test_councils import csp_errors, login

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def fits(page) -> bool:
    """Nothing wider than the phone's screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def world(community, transactional_db):
    secretary = UserFactory(role=roles.COUNCIL_SECRETARY, community=community, name="秘书小王")
    UserFactory(role=roles.BRANCH_SECRETARY, community=community, name="书记老李")
    UserFactory(role=roles.COMMITTEE_DIRECTOR, community=community, name="主任老张")
    council = {c.kind: c for c in actions.councils_ensure(community=community)}[Council.Kind.DELIBERATION]
    MemberFactory.create_batch(7, council=council)
    meeting = MeetingFactory(council=council, title="党居议事会例会", starts_at=timezone.now() - dt.timedelta(hours=2))
    item = AgendaItemFactory(meeting=meeting, title="3号楼加装电梯")
    actions.attendance_record(
        meeting=meeting, present_member_ids=list(council.members.values_list("pk", flat=True)), by=secretary
    )
    now = timezone.now()
    survey = actions.survey_save(
        community_id=community.pk,
        by=secretary,
        title="3号楼加装电梯意见征求",
        intro="请每位居民表达意见，结果将写入党居议事会纪要。",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        council=council,
        agenda_item=item,
    )
    q1 = actions.question_add(
        survey=survey, by=secretary, kind="single", text="您是否同意加装电梯？", options=["同意", "不同意"]
    )
    actions.question_add(
        survey=survey,
        by=secretary,
        kind="multiple",
        text="您希望电梯装在哪一侧？",
        options=["东侧", "西侧", "北侧"],
        show_if_option=q1.options.get(text="同意"),
    )
    actions.question_add(survey=survey, by=secretary, kind="scale", text="您对目前上下楼的便利程度打几分？")
    actions.question_add(survey=survey, by=secretary, kind="text", text="其他意见", required=False)
    actions.survey_open(survey=survey, by=secretary)
    residents = []
    for name in ("张大爷", "李阿姨", "王先生"):
        user = UserFactory(role=roles.RESIDENT, community=community, name=name)
        ResidentFactory(community=community, user=user, name=name)
        residents.append(user)
    return {"secretary": secretary, "survey": survey, "residents": residents, "meeting": meeting}


def option_id(survey, text):
    return survey.questions.get(options__text=text).options.get(text=text).pk


def test_three_residents_answer_on_phones_and_the_results_reach_the_minutes(
    browser, live_server, world, desktop, screenshot
):
    survey = world["survey"]
    q1, q2, q3, q4 = survey.questions.order_by("order")
    plans = [
        # (answer to q1, sides, scale, text, elderly mode)
        ("同意", ["东侧"], 2, "腿脚不便，希望早日装上。", True),
        ("同意", ["东侧", "北侧"], 3, "", False),
        ("不同意", [], 4, "担心一楼采光。", False),
    ]
    for n, (user, (agree, sides, scale, text, elder)) in enumerate(zip(world["residents"], plans, strict=True)):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = csp_errors(page)
        login(page, user, live_server.url)
        if elder:
            page.goto("/")
            page.locator("footer .elder-toggle").click()
            page.wait_for_load_state()
        page.goto("/councils/surveys/")
        if n == 2:
            assert fits(page)
            screenshot(page, "survey-list-phone")
        page.locator(f'a[href="/councils/surveys/{survey.pk}/"]').click()
        page.wait_for_selector(".survey-form")
        page.check(f'input[name="q{q1.pk}"][value="{option_id(survey, agree)}"]')
        if text:
            page.fill(f"#id_q{q4.pk}", text)
        if n == 0:
            # The first forgets the scale (and where the lift should go): each missing answer is marked at its
            # question, and what was answered is still there.
            page.locator(".survey-form button[type=submit]").click()
            page.wait_for_selector(f"#id_q{q3.pk}_error")
            assert page.locator(f"#id_q{q2.pk}_error").is_visible()
            assert page.locator(f'input[name="q{q1.pk}"][value="{option_id(survey, agree)}"]').is_checked()
            assert page.input_value(f"#id_q{q4.pk}") == text
            assert fits(page)
            screenshot(page, "survey-missing-answer-phone-elder")
        for side in sides:
            page.check(f'input[name="q{q2.pk}"][value="{option_id(survey, side)}"]')
        page.check(f'input[name="q{q3.pk}"][value="{scale}"]')
        if n == 1:
            assert fits(page)
            screenshot(page, "survey-answer-phone")
        page.locator(".survey-form button[type=submit]").click()
        page.wait_for_url(f"**/councils/surveys/{survey.pk}/thanks/")
        assert not [e for e in errors if "Content Security Policy" in e], errors
        context.close()
    assert Response.objects.filter(survey=survey).count() == 3

    # The secretary closes the survey and publishes the results; the summary is quoted with the minutes.
    login(desktop, world["secretary"], live_server.url)
    desktop.goto(f"/councils/work/surveys/{survey.pk}/")
    desktop.locator(f'form[action="/councils/work/surveys/{survey.pk}/close/"] button').click()
    desktop.wait_for_load_state()
    desktop.locator(f'form[action="/councils/work/surveys/{survey.pk}/publish/"] button').click()
    desktop.wait_for_load_state()
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.PUBLISHED
    screenshot(desktop, "survey-work-desktop")
    desktop.goto(f"/councils/work/meeting/{world['meeting'].pk}/minutes/")
    summary = desktop.locator(".minutes-item .survey-summary").inner_text()
    assert "同意 2" in summary and "不同意 1" in summary
    screenshot(desktop, "survey-in-minutes-desktop")

    # Anyone reads the results on a phone: a chart and the same counts in a table.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    page = context.new_page()
    page.goto(f"/councils/surveys/{survey.pk}/results/")
    assert page.locator("svg.bar-chart").count() == 3  # two choice questions and the scale
    first = page.locator(f"#result-{q1.pk}").locator("xpath=..")
    rows = first.locator("tbody tr")
    assert rows.nth(0).inner_text().split()[:2] == ["同意", "2"]
    assert rows.nth(1).inner_text().split()[:2] == ["不同意", "1"]
    side = page.locator(f"#result-{q2.pk}").locator("xpath=..").locator("tbody tr")
    assert side.nth(0).inner_text().split()[:2] == ["东侧", "2"]
    assert "担心一楼采光" in page.locator(f"#result-{q4.pk}").locator("xpath=..").inner_text()
    assert fits(page)
    screenshot(page, "survey-results-phone")
    context.close()
    desktop.goto(f"/councils/surveys/{survey.pk}/results/")
    screenshot(desktop, "survey-results-desktop")


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder-mode"])
def test_the_answer_page_has_no_serious_accessibility_violations(browser, live_server, world, elder):
    survey, user = world["survey"], world["residents"][0]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="zh-CN", **PHONE)
    page = context.new_page()
    try:
        login(page, user, live_server.url)
        if elder:
            page.goto("/")
            page.locator("footer .elder-toggle").click()
            page.wait_for_load_state()
        page.goto(f"/councils/surveys/{survey.pk}/")
        page.locator(".survey-form button[type=submit]").click()  # with the messages of missing answers
        page.wait_for_load_state()
        assert audit(page) == []
    finally:
        context.close()
