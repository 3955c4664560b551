"""A resident applies in the browser (skills, availability, photo checked with Pillow); staff approve."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal.core import roles
from portal.core.models import AuditLog, Notification
from volunteers import actions
from volunteers.models import Volunteer
from volunteers.tests.factories import TeamFactory, VolunteerFactory


def jpeg(size=(800, 1000), fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(out, format=fmt)
    return SimpleUploadedFile(f"me.{fmt.lower()}", out.getvalue(), content_type=f"image/{fmt.lower()}")


def form_data(**overrides):
    data = {"skills": ["haircut", "repair"], "skill_note": "退休理发师", "availability": ["weekend"], "agree": "on"}
    data.update(overrides)
    return data


def test_resident_applies_with_a_photo_and_waits_for_a_decision(client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("volunteers:apply"), {**form_data(), "photo": jpeg()})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(resident=resident_user.resident)
    assert volunteer.status == Volunteer.Status.APPLIED
    assert volunteer.number == ""
    assert volunteer.skills == ["haircut", "repair"]
    with volunteer.photo.open("rb") as f, Image.open(f) as im:
        assert im.format == "JPEG"
        assert max(im.size) <= 800 and im.size[0] <= 600  # shrunk to the badge box
        assert not im.getexif()  # no EXIF (GPS) kept
    page = client.get(reverse("volunteers:index"))
    assert "application received" in page.content.decode() or "申请" in page.content.decode()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("fake.jpg", b"not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile("doc.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
    ],
)
def test_a_file_that_is_not_a_usable_photo_is_refused_next_to_the_field(client, resident_user, upload):
    client.force_login(resident_user)
    response = client.post(reverse("volunteers:apply"), {**form_data(), "photo": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert response.context["form"]["skill_note"].value() == "退休理发师"  # what was typed stays
    assert not Volunteer.objects.exists()


def test_a_gif_is_not_accepted_even_when_valid(client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("volunteers:apply"), {**form_data(), "photo": jpeg(fmt="GIF")})
    assert response.context["form"].errors["photo"]


def test_skills_and_availability_are_required(client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("volunteers:apply"), {"agree": "on", "photo": jpeg()})
    errors = response.context["form"].errors
    assert "skills" in errors and "availability" in errors


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(reverse("volunteers:apply"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unlinked_account_cannot_apply(client, make_user, community):
    user = make_user(roles.RESIDENT, None)  # no resident record
    client.force_login(user)
    assert client.get(reverse("volunteers:apply")).status_code == 302


def test_applying_twice_is_refused(resident_user):
    actions.volunteer_apply(resident=resident_user.resident, skills=["haircut"])
    with pytest.raises(ValidationError):
        actions.volunteer_apply(resident=resident_user.resident, skills=["repair"])


def test_approval_gives_a_number_the_volunteer_role_and_a_message(resident_user, director, community):
    team = TeamFactory(community=community)
    applied = actions.volunteer_apply(resident=resident_user.resident, skills=["haircut"])
    volunteer = actions.volunteer_approve(volunteer=applied, by=director, team=team)
    assert volunteer.status == Volunteer.Status.APPROVED
    assert volunteer.number == f"ZY{community.pk:03d}00001"
    assert volunteer.team == team
    assert resident_user.groups.filter(name=roles.VOLUNTEER).exists()
    assert Notification.objects.filter(recipient=resident_user, body__contains=volunteer.number).exists()
    assert AuditLog.objects.filter(action="volunteer_approve", object_id=str(volunteer.pk)).exists()


def test_numbers_count_up_within_a_community(director, community):
    first = actions.volunteer_approve(volunteer=VolunteerFactory(community=community, status="applied"), by=director)
    second = actions.volunteer_approve(volunteer=VolunteerFactory(community=community, status="applied"), by=director)
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_only_an_application_can_be_approved(director, community):
    volunteer = VolunteerFactory(community=community)
    with pytest.raises(ValidationError):
        actions.volunteer_approve(volunteer=volunteer, by=director)


def test_a_team_of_another_community_is_refused(director, community, other_community):
    volunteer = VolunteerFactory(community=community, status="applied")
    with pytest.raises(ValidationError):
        actions.volunteer_approve(volunteer=volunteer, by=director, team=TeamFactory(community=other_community))


def test_declined_applicant_may_apply_again(resident_user, director):
    applied = actions.volunteer_apply(resident=resident_user.resident, skills=["haircut"])
    actions.volunteer_reject(volunteer=applied, by=director)
    again = actions.volunteer_apply(resident=resident_user.resident, skills=["repair"])
    assert again.pk == applied.pk and again.status == Volunteer.Status.APPLIED


def test_director_approves_on_the_applications_page(client, director, community):
    volunteer = VolunteerFactory(community=community, status="applied")
    team = TeamFactory(community=community)
    client.force_login(director)
    page = client.get(reverse("volunteers:applications"))
    assert volunteer.resident.name in page.content.decode()
    response = client.post(reverse("volunteers:application_approve", args=[volunteer.pk]), {"team": team.pk})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == "approved" and volunteer.team == team


def test_director_of_another_community_gets_404(client, other_director, community):
    volunteer = VolunteerFactory(community=community, status="applied")
    client.force_login(other_director)
    assert client.post(reverse("volunteers:application_approve", args=[volunteer.pk])).status_code == 404


def test_team_leader_cannot_approve(client, leader_user, community):
    volunteer = VolunteerFactory(community=community, status="applied")
    client.force_login(leader_user)
    assert client.post(reverse("volunteers:application_approve", args=[volunteer.pk])).status_code == 403
    assert client.get(reverse("volunteers:applications")).status_code == 403


def test_admin_action_approves(client, director, community):
    volunteer = VolunteerFactory(community=community, status="applied")
    client.force_login(director)
    response = client.post(
        reverse("admin:volunteers_volunteer_changelist"),
        {"action": "approve", "_selected_action": [volunteer.pk]},
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == "approved" and volunteer.number


def test_the_application_form_carries_a_csrf_token(client, resident_user):
    client.force_login(resident_user)
    assert b"csrfmiddlewaretoken" in client.get(reverse("volunteers:apply")).content
