"""Surveys: building, opening, answering (required, conditional, invalid), once per person / per household,
results, the Excel export, the summary quoted with the minutes, and the staff's and residents' pages."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from councils import actions
from councils.models import Answer, Response, Survey
from councils.privacy import export_user_data
from councils.survey_results import agenda_summaries, results, summary_lines, texts_workbook
from councils.tests.factories import SuggestionFactory
from portal.core import roles
from portal.core.models import AuditLog, Notification
from residents.tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory


def make_survey(by, **fields):
    now = timezone.now()
    values = {
        "title": "加装电梯意见征求",
        "intro": "请各位居民表达意见。",
        "opens_at": now - dt.timedelta(hours=1),
        "closes_at": now + dt.timedelta(days=7),
        **fields,
    }
    buildings = values.pop("buildings", ())
    return actions.survey_save(community_id=by.community_id, by=by, buildings=buildings, **values)


@pytest.fixture
def survey(secretary):
    """Draft: a single choice, a conditional multiple choice, a scale and an optional free text."""
    survey = make_survey(secretary)
    q1 = actions.question_add(
        survey=survey, by=secretary, kind="single", text="您是否同意加装电梯？", options=["同意", "不同意"]
    )
    agree = q1.options.get(text="同意")
    actions.question_add(
        survey=survey,
        by=secretary,
        kind="multiple",
        text="您希望电梯装在哪里？",
        options=["东侧", "西侧", "北侧"],
        show_if_option=agree,
    )
    actions.question_add(survey=survey, by=secretary, kind="scale", text="对目前出行便利的满意度")
    actions.question_add(survey=survey, by=secretary, kind="text", text="其他意见", required=False)
    return survey


def option(survey, text):
    return survey.questions.get(options__text=text).options.get(text=text).pk


def answers(survey, *, agree=True, where=("东侧",), scale=4, text=""):
    q1, q2, q3, q4 = survey.questions.order_by("order")
    return {
        q1.pk: option(survey, "同意" if agree else "不同意"),
        q2.pk: [option(survey, w) for w in where],
        q3.pk: scale,
        q4.pk: text,
    }


@pytest.fixture
def open_survey(survey, secretary):
    return actions.survey_open(survey=survey, by=secretary)


def test_building_a_survey_is_audited_and_checked(survey, secretary):
    assert survey.status == Survey.Status.DRAFT
    assert AuditLog.objects.filter(action="survey_create", object_id=str(survey.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        actions.question_add(survey=survey, by=secretary, kind="single", text="只有一个选项", options=["是"])
    assert "options" in exc.value.message_dict
    with pytest.raises(ValidationError):
        actions.question_add(survey=survey, by=secretary, kind="single", text="重复", options=["是", "是"])


def test_a_resident_cannot_build_a_survey(resident_user, survey):
    with pytest.raises(PermissionDenied):
        make_survey(resident_user)
    with pytest.raises(PermissionDenied):
        actions.question_add(survey=survey, by=resident_user, kind="text", text="?")


def test_staff_of_another_community_cannot_touch_it(survey, make_user, other_community):
    other = make_user(roles.COUNCIL_SECRETARY, other_community)
    with pytest.raises(Http404):
        actions.survey_open(survey=survey, by=other)


def test_an_empty_survey_does_not_open(secretary):
    survey = make_survey(secretary)
    with pytest.raises(ValidationError):
        actions.survey_open(survey=survey, by=secretary)


def test_questions_are_fixed_once_open(open_survey, secretary):
    assert open_survey.questions.first().is_locked
    with pytest.raises(ValidationError):
        actions.question_add(survey=open_survey, by=secretary, kind="text", text="晚加的问题")


def test_answer_counts_once_per_person(open_survey, resident_user):
    actions.survey_answer(survey=open_survey, user=resident_user, data=answers(open_survey, text="希望尽快"))
    open_survey.refresh_from_db()
    assert open_survey.responses_count == 1
    with pytest.raises(ValidationError) as exc:
        actions.survey_answer(survey=open_survey, user=resident_user, data=answers(open_survey))
    assert exc.value.code == "answered"
    open_survey.refresh_from_db()
    assert open_survey.responses_count == 1 and Response.objects.count() == 1


def test_the_database_refuses_a_second_response(open_survey, resident_user):
    Response.objects.create(survey=open_survey, user=resident_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=open_survey, user=resident_user)


def test_one_answer_per_household(secretary, make_user, community):
    survey = make_survey(secretary, per_household=True)
    actions.question_add(survey=survey, by=secretary, kind="scale", text="满意度")
    actions.survey_open(survey=survey, by=secretary)
    first = make_user(roles.RESIDENT, community)
    second = make_user(roles.RESIDENT, community)
    ResidentFactory(community=community, user=None)  # an unrelated neighbour
    second.resident.household = first.resident.household
    second.resident.save()
    q = survey.questions.get()
    actions.survey_answer(survey=survey, user=first, data={q.pk: 3})
    with pytest.raises(ValidationError) as exc:
        actions.survey_answer(survey=survey, user=second, data={q.pk: 5})
    assert exc.value.code == "household_answered"
    assert Response.objects.get().household_id == first.resident.household_id


def test_missing_required_answers_are_named_per_question(open_survey, resident_user):
    q1, q2, q3, q4 = open_survey.questions.order_by("order")
    with pytest.raises(ValidationError) as exc:
        actions.survey_answer(survey=open_survey, user=resident_user, data={q1.pk: option(open_survey, "同意")})
    errors = exc.value.message_dict
    assert set(errors) == {f"q{q2.pk}", f"q{q3.pk}"}  # q2 shows because 同意 was chosen; q4 is optional
    assert not Response.objects.exists()


def test_a_skipped_question_is_neither_required_nor_kept(open_survey, resident_user):
    q1, q2, q3, q4 = open_survey.questions.order_by("order")
    data = answers(open_survey, agree=False)
    actions.survey_answer(survey=open_survey, user=resident_user, data=data)
    assert not Answer.objects.filter(question=q2).exists()  # 不同意: where to put it was not asked
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"q1": "999999"},
        {"q1": "abc"},
        {"q3": 9},
        {"q3": ["1", "2"]},
        {"q2": ["x"]},
        {"q4": "长" * 2001},
    ],
)
def test_invalid_values_are_refused(open_survey, resident_user, bad):
    q = {f"q{i}": question for i, question in enumerate(open_survey.questions.order_by("order"), 1)}
    data = answers(open_survey)
    for key, value in bad.items():
        data[q[key].pk] = value
    with pytest.raises(ValidationError) as exc:
        actions.survey_answer(survey=open_survey, user=resident_user, data=data)
    assert f"q{q[next(iter(bad))].pk}" in exc.value.message_dict


def test_only_the_asked_buildings_answer(secretary, make_user, community):
    building = BuildingFactory(community=community)
    survey = make_survey(secretary, buildings=[building])
    actions.question_add(survey=survey, by=secretary, kind="scale", text="满意度")
    actions.survey_open(survey=survey, by=secretary)
    outside = make_user(roles.RESIDENT, community)
    inside = make_user(roles.RESIDENT, community)
    inside.resident.household = HouseholdFactory(community=community, building=building)
    inside.resident.save()
    assert actions.may_answer(survey, outside)
    assert not actions.may_answer(survey, inside)
    assert list(Survey.objects.for_resident(outside)) == []
    assert list(Survey.objects.for_resident(inside)) == [survey]


def test_not_before_the_start_nor_after_the_end(secretary, resident_user):
    later = make_survey(
        secretary, opens_at=timezone.now() + dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=3)
    )
    actions.question_add(survey=later, by=secretary, kind="scale", text="满意度")
    actions.survey_open(survey=later, by=secretary)
    with pytest.raises(ValidationError):
        actions.survey_answer(survey=later, user=resident_user, data={later.questions.get().pk: 3})


def test_results_summary_export_and_minutes(client, open_survey, secretary, make_user, community, held_meeting):
    for i, (agree, scale) in enumerate([(True, 5), (True, 4), (False, 2)]):
        user = make_user(roles.RESIDENT, community)
        actions.survey_answer(
            survey=open_survey,
            user=user,
            data=answers(open_survey, agree=agree, scale=scale, text=f'=HYPERLINK("x") 意见{i}'),
        )
    found = results(open_survey)
    assert found[0].rows[0][:2] == ("同意", 2) and found[0].rows[1][:2] == ("不同意", 1)
    assert found[2].average == round((5 + 4 + 2) / 3, 1)
    assert len(found[3].texts) == 3
    assert found[0].panel.bars and found[0].panel.bars[0].value == 2
    sheet = load_workbook(io.BytesIO(texts_workbook(open_survey))).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(cells) == 3 and all(c.startswith("=HYPERLINK") for c in cells)
    assert sheet.cell(row=2, column=2).data_type == "s"
    # attached to an agenda item: quoted with the minutes once ended
    item = held_meeting.agenda.first()
    Survey.objects.filter(pk=open_survey.pk).update(agenda_item=item)
    assert agenda_summaries([item.pk]) == {}
    actions.survey_close(survey=open_survey, by=secretary)
    summary = agenda_summaries([item.pk])[item.pk][0][1]
    assert "3" in summary[0] and "同意 2" in summary[1]
    open_survey.refresh_from_db()
    assert summary_lines(open_survey) == summary
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    client.force_login(secretary)
    page = client.get(reverse("councils:minutes", args=[minutes.pk])).content.decode()
    assert "同意 2" in page


def test_publish_only_after_the_end_and_then_final(open_survey, secretary, resident_user):
    with pytest.raises(ValidationError):
        actions.survey_publish(survey=open_survey, by=secretary)
    actions.survey_close(survey=open_survey, by=secretary)
    actions.survey_publish(survey=open_survey, by=secretary)
    open_survey.refresh_from_db()
    assert open_survey.is_locked and open_survey.results_visible
    with pytest.raises(ValidationError):
        actions.survey_save(survey=open_survey, by=secretary, title="改了")


def test_opening_tells_the_proposer_of_the_suggestion_only(secretary, community, resident_user):
    suggestion = SuggestionFactory(community=community)
    survey = make_survey(secretary, suggestion=suggestion)
    actions.question_add(survey=survey, by=secretary, kind="scale", text="满意度")
    actions.survey_open(survey=survey, by=secretary)
    told = Notification.objects.filter(title__contains=survey.title)
    assert [n.recipient_id for n in told] == [suggestion.proposer_id]


def test_my_answers_are_in_my_data_download(open_survey, resident_user):
    assert export_user_data(resident_user)["survey_answers"] == []
    actions.survey_answer(survey=open_survey, user=resident_user, data=answers(open_survey, text="希望尽快"))
    mine = export_user_data(resident_user)["survey_answers"]
    assert mine[0]["survey"] == open_survey.title
    assert {"question": "其他意见", "answer": "希望尽快"} in mine[0]["answers"]
    assert {"question": "您是否同意加装电梯？", "answer": "同意"} in mine[0]["answers"]
