"""Cancelling a place and declining an application ask first: the GET shows the question, only the POST acts."""

from django.urls import reverse

from volunteers.models import SignUp, Volunteer
from volunteers.tests.factories import ActivityFactory, VolunteerFactory


def test_cancelling_a_place_asks_first(client, volunteer_user, community):
    activity = ActivityFactory(community=community, capacity=2)
    client.force_login(volunteer_user)
    client.post(reverse("volunteers:activity_signup", args=[activity.pk]))
    signup = SignUp.objects.get(activity=activity)
    url = reverse("volunteers:signup_cancel", args=[signup.pk])
    page = client.get(reverse("volunteers:activity_detail", args=[activity.pk])).content.decode()
    assert f'href="{url}"' in page
    asked = client.get(url)
    assert asked.status_code == 200 and 'id="confirm-yes"' in asked.content.decode()
    assert activity.title in asked.content.decode()
    assert SignUp.objects.get(pk=signup.pk).status == "active"
    client.post(url)
    assert SignUp.objects.get(pk=signup.pk).status == "cancelled"


def test_declining_an_application_asks_first_with_a_note(client, director, community):
    applicant = VolunteerFactory(community=community, status=Volunteer.Status.APPLIED)
    client.force_login(director)
    url = reverse("volunteers:application_reject", args=[applicant.pk])
    assert f'href="{url}"' in client.get(reverse("volunteers:applications")).content.decode()
    asked = client.get(url)
    body = asked.content.decode()
    assert asked.status_code == 200 and 'id="confirm-yes"' in body and 'name="note"' in body
    assert applicant.resident.name in body
    assert Volunteer.objects.get(pk=applicant.pk).status == Volunteer.Status.APPLIED
    client.post(url, {"note": "名额已满"})
    applicant.refresh_from_db()
    assert applicant.status == Volunteer.Status.REJECTED and applicant.decision_note == "名额已满"


def test_approving_is_still_a_post_only(client, director, community):
    applicant = VolunteerFactory(community=community, status=Volunteer.Status.APPLIED)
    client.force_login(director)
    assert client.get(reverse("volunteers:application_approve", args=[applicant.pk])).status_code == 405
