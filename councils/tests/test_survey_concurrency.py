"""Survey answers arriving at the same moment never count twice (PostgreSQL): the same person submitting from two
phones, and two members of one household answering a per-household survey at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from councils import actions
from councils.models import Answer, Response, Survey
from councils.tests.test_surveys import make_survey
from portal.core import roles


def submit_together(pairs):
    """Run survey_answer for each (survey, user, data) in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(pairs))
    refused, errors = [], []

    def answer(survey, user, data):
        try:
            barrier.wait()
            actions.survey_answer(survey=survey, user=user, data=data)
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return refused


def scale_survey(secretary, **fields):
    survey = make_survey(secretary, **fields)
    actions.question_add(survey=survey, by=secretary, kind="scale", text="满意度")
    return actions.survey_open(survey=survey, by=secretary)


@pytest.mark.django_db(transaction=True)
def test_one_person_submitting_twice_at_once_counts_once(community, make_user, secretary):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    survey = scale_survey(secretary)
    resident = make_user(roles.RESIDENT, community)
    q = survey.questions.get()
    refused = submit_together([(survey, resident, {q.pk: 4}) for _ in range(4)])
    assert len(refused) == 3
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(question=q).count() == 1
    assert Survey.objects.get(pk=survey.pk).responses_count == 1


@pytest.mark.django_db(transaction=True)
def test_one_household_answering_at_once_counts_once(community, make_user, secretary):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    survey = scale_survey(secretary, per_household=True)
    members = [make_user(roles.RESIDENT, community) for _ in range(3)]
    household = members[0].resident.household
    for m in members[1:]:
        m.resident.household = household
        m.resident.save()
    q = survey.questions.get()
    refused = submit_together([(survey, m, {q.pk: i + 1}) for i, m in enumerate(members)])
    assert len(refused) == 2
    assert Response.objects.filter(survey=survey).count() == 1
    assert Survey.objects.get(pk=survey.pk).responses_count == 1


@pytest.mark.django_db(transaction=True)
def test_many_residents_at_once_are_all_counted(community, make_user, secretary):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    survey = scale_survey(secretary)
    q = survey.questions.get()
    residents = [make_user(roles.RESIDENT, community) for _ in range(6)]
    assert submit_together([(survey, r, {q.pk: 5}) for r in residents]) == []
    assert Survey.objects.get(pk=survey.pk).responses_count == 6 == Response.objects.filter(survey=survey).count()
