"""Contact boards (联系标牌) per courtyard, and their A4 posters with a QR code."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal.site.models import ContactPerson
from residents.models import Branch, GeneralBranch, PartyGroup
from residents.tests.factories import BuildingFactory


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def make_board(community):
    building = BuildingFactory(community=community, name="3号楼")
    worker = ContactPerson.objects.create(community=community, kind="worker", name="王敏", phone="0317-1234567")
    worker.buildings.add(building)
    ContactPerson.objects.create(community=community, kind="police", name="李警官", phone="0317-7654321")
    gb = GeneralBranch.objects.create(community=community, name="南环东路社区党总支")
    branch = Branch.objects.create(community=community, general_branch=gb, name="第一支部")
    group = PartyGroup.objects.create(
        community=community, branch=branch, name="3号楼党小组", leader="赵大爷", contact_phone="13800000001"
    )
    group.buildings.add(building)
    return building


def test_board_shows_the_worker_police_and_party_group_leader(client, community):
    building = make_board(community)
    html = client.get(reverse("portal:board", args=[building.pk])).content.decode()
    for text in ("王敏", "0317-1234567", "李警官", "赵大爷", "13800000001"):
        assert text in html


def test_poster_carries_a_qr_code_to_the_board_page(client, community):
    building = make_board(community)
    response = client.get(reverse("portal:board_poster", args=[building.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    assert f"/boards/{building.pk}/" in html


def test_board_list_of_a_community(client, community, django_assert_max_num_queries):
    make_board(community)
    BuildingFactory.create_batch(3, community=community)
    with django_assert_max_num_queries(4) as small:
        html = client.get(reverse("portal:boards", args=[community.slug])).content.decode()
    assert "3号楼" in html
    BuildingFactory.create_batch(30, community=community)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("portal:boards", args=[community.slug]))


def test_contact_photo_is_checked_and_served(client, community, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = ContactPerson(community=community, kind="deputy", name="孙代表", phone="0317-1", photo=jpeg())
    person.full_clean()
    person.save()
    response = client.get(reverse("portal:contact_photo", args=[person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_a_fake_image_is_refused_as_a_photo(community):
    import pytest
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile("p.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    person = ContactPerson(community=community, kind="deputy", name="孙代表", phone="0317-1", photo=fake)
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "photo" in exc.value.message_dict


def test_nearby_facilities_list_by_kind_with_unit_rooms(client, community, django_assert_max_num_queries):
    from portal.site.models import Facility
    from residents.tests.factories import StationedUnitFactory

    unit = StationedUnitFactory(community=community, name="沧县实验学校")
    Facility.objects.create(community=community, kind="clinic", name="社区卫生服务站", walk_minutes=4)
    Facility.objects.create(community=community, kind="unit_room", name="图书室", unit=unit, opening_hours="9:00-17:00")
    with django_assert_max_num_queries(3):
        html = client.get(reverse("portal:facilities", args=[community.slug])).content.decode()
    assert "社区卫生服务站" in html and "图书室" in html and "沧县实验学校" in html


def test_contact_leads_a_resident_to_their_own_courtyard_board(client, resident_user, community):
    client.force_login(resident_user)
    response = client.get(reverse("portal:contact"))
    assert response["Location"] == reverse("portal:board", args=[resident_user.resident.household.building_id])


def test_contact_leads_a_visitor_to_the_boards_list(client, community):
    assert client.get(reverse("portal:contact"))["Location"] == reverse("portal:boards", args=[community.slug])
