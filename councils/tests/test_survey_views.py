"""Survey pages: who may see and do what, and bad input shown next to its question with every answer kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from councils import actions
from councils.models import Response, Survey
from councils.tests.test_surveys import answers, make_survey, option
from portal.core import roles


@pytest.fixture
def open_survey(secretary):
    survey = make_survey(secretary)
    q1 = actions.question_add(
        survey=survey, by=secretary, kind="single", text="您是否同意加装电梯？", options=["同意", "不同意"]
    )
    actions.question_add(
        survey=survey,
        by=secretary,
        kind="multiple",
        text="您希望电梯装在哪里？",
        options=["东侧", "西侧", "北侧"],
        show_if_option=q1.options.get(text="同意"),
    )
    actions.question_add(survey=survey, by=secretary, kind="scale", text="对目前出行便利的满意度")
    actions.question_add(survey=survey, by=secretary, kind="text", text="其他意见", required=False)
    return actions.survey_open(survey=survey, by=secretary)


def post_data(survey, data):
    out = {}
    for q_id, value in data.items():
        out[f"q{q_id}"] = value
    return out


def test_a_resident_lists_and_answers(client, resident_user, open_survey):
    client.force_login(resident_user)
    page = client.get(reverse("councils:surveys")).content.decode()
    assert open_survey.title in page
    url = reverse("councils:survey", args=[open_survey.pk])
    assert "您希望电梯装在哪里" in client.get(url).content.decode()
    response = client.post(url, post_data(open_survey, answers(open_survey, text="好")))
    assert response.status_code == 302 and response["Location"] == reverse(
        "councils:survey_thanks", args=[open_survey.pk]
    )
    assert Response.objects.filter(survey=open_survey, user=resident_user).count() == 1
    again = client.post(url, post_data(open_survey, answers(open_survey)))
    assert again.status_code == 200 and Response.objects.count() == 1
    assert client.get(reverse("councils:survey_thanks", args=[open_survey.pk])).status_code == 200


def test_a_missing_answer_is_marked_and_the_rest_kept(client, resident_user, open_survey):
    client.force_login(resident_user)
    q1, q2, q3, q4 = open_survey.questions.order_by("order")
    data = {f"q{q1.pk}": option(open_survey, "同意"), f"q{q4.pk}": "我的意见写在这里"}
    response = client.post(reverse("councils:survey", args=[open_survey.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_q{q2.pk}_error"' in html and f'id="id_q{q3.pk}_error"' in html
    assert f'id="id_q{q1.pk}_error"' not in html
    assert "我的意见写在这里" in html  # the text typed is still there
    assert f'value="{option(open_survey, "同意")}" id="id_q{q1.pk}_0" checked' in html or "checked" in html
    assert not Response.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", "999999", "1.5"])
def test_forged_values_never_500(client, resident_user, open_survey, value):
    client.force_login(resident_user)
    q1, q2, q3, q4 = open_survey.questions.order_by("order")
    data = post_data(open_survey, answers(open_survey))
    data[f"q{q1.pk}"] = value
    data[f"q{q3.pk}"] = value
    response = client.post(reverse("councils:survey", args=[open_survey.pk]), data)
    assert response.status_code == 200 and not Response.objects.exists()


def test_other_communities_and_drafts_are_hidden(client, make_user, other_community, secretary, open_survey):
    outsider = make_user(roles.RESIDENT, other_community)
    client.force_login(outsider)
    assert client.get(reverse("councils:survey", args=[open_survey.pk])).status_code == 404
    draft = make_survey(secretary)
    client.force_login(make_user(roles.RESIDENT, secretary.community))
    assert client.get(reverse("councils:survey", args=[draft.pk])).status_code == 404


def test_results_public_only_once_published(client, resident_user, open_survey, secretary):
    url = reverse("councils:survey_results", args=[open_survey.pk])
    assert client.get(url).status_code == 404
    client.force_login(secretary)
    assert client.get(url).status_code == 200  # staff read them at any time
    actions.survey_close(survey=open_survey, by=secretary)
    actions.survey_publish(survey=open_survey, by=secretary)
    client.logout()
    page = client.get(url)
    assert page.status_code == 200 and b'class="bar-chart"' in page.content


def test_staff_pages_and_gates(client, secretary, resident_user, make_user, other_community, open_survey):
    work = reverse("councils:survey_work", args=[open_survey.pk])
    client.force_login(resident_user)
    assert client.get(reverse("councils:survey_staff_list")).status_code == 403
    assert client.get(work).status_code == 403
    client.force_login(make_user(roles.COUNCIL_SECRETARY, other_community))
    assert client.get(work).status_code == 404
    assert client.post(reverse("councils:survey_close", args=[open_survey.pk])).status_code == 404
    client.force_login(secretary)
    assert client.get(reverse("councils:survey_staff_list")).status_code == 200
    assert client.get(work).status_code == 200
    export = client.get(reverse("councils:survey_export", args=[open_survey.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("councils:survey_close", args=[open_survey.pk])).status_code == 405


def test_staff_build_a_survey_in_the_browser(client, secretary):
    client.force_login(secretary)
    now = timezone.localtime()
    bad = client.post(
        reverse("councils:survey_create"),
        {
            "title": "停车意见",
            "opens_at": f"{now:%Y-%m-%dT%H:%M}",
            "closes_at": f"{now - dt.timedelta(days=1):%Y-%m-%dT%H:%M}",
        },
    )
    assert bad.status_code == 200 and "停车意见" in bad.content.decode() and not Survey.objects.exists()
    response = client.post(
        reverse("councils:survey_create"),
        {
            "title": "停车意见",
            "opens_at": f"{now:%Y-%m-%dT%H:%M}",
            "closes_at": f"{now + dt.timedelta(days=7):%Y-%m-%dT%H:%M}",
            "results_public": "on",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    add = reverse("councils:survey_question_add", args=[survey.pk])
    refused = client.post(add, {"kind": "single", "text": "是否同意划线？", "options": "同意", "required": "on"})
    assert refused.status_code == 200 and "是否同意划线" in refused.content.decode() and not survey.questions.exists()
    client.post(add, {"kind": "single", "text": "是否同意划线？", "options": "同意\n不同意", "required": "on"})
    assert survey.questions.get().options.count() == 2
    client.post(reverse("councils:survey_open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_a_survey_asked_from_a_meetings_agenda_item_is_attached_to_it(client, secretary, meeting):
    item = meeting.agenda.order_by("order").first()
    client.force_login(secretary)
    page = client.get(reverse("councils:meeting", args=[meeting.pk])).content.decode()
    link = f"{reverse('councils:survey_create')}?agenda_item={item.pk}"
    assert link in page
    form = client.get(link).context["form"]
    assert form.initial["agenda_item"] == item and form.initial["title"] == item.title
    assert client.get(f"{reverse('councils:survey_create')}?agenda_item=abc").status_code == 200
