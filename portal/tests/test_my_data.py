"""我的 → download my data holds every kind of record about me (opened and checked), and a request to correct or
delete my information (PIPL arts. 45–47) opens a case at the hall, acknowledged in my inbox, on the workbench."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import SuggestionSupport
from councils.tests.factories import SuggestionFactory
from portal.core import roles
from portal.core.audit import sensitive_read
from portal.core.models import Notification
from services.events.actions import event_register
from services.hall.actions import booking_create, case_file
from services.hall.models import Case
from services.models import ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday
from services.tests.factories_stations import StationEventFactory
from volunteers.models import HourCorrection
from volunteers.tests.factories import PersonServedFactory, SignUpFactory, VolunteerFactory


@pytest.fixture
def other_resident_user(make_user, community):
    return make_user(roles.RESIDENT, community)


@pytest.fixture
def me(resident_user):
    return resident_user


@pytest.fixture
def my_records(me, community, hall_staff):
    resident = me.resident
    other = SuggestionFactory(community=community)
    mine = SuggestionFactory(community=community, proposer=me, title="路灯不亮")
    SuggestionSupport.objects.create(suggestion=other, user=me)
    volunteer = VolunteerFactory(community=community, resident=resident)
    signup = SignUpFactory(volunteer=volunteer, activity__community=community, activity__title="清扫楼院")
    HourCorrection.objects.create(signup=signup, old_hours=None, new_hours=3, reason="补登")
    PersonServedFactory(community=community, resident=resident, needs="每周探访")
    event = StationEventFactory(community=community, title="健康讲座")
    event_register(event=event, resident=resident)
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(2)
    slot = SlotFactory(
        counter=item.counter,
        date=day,
        starts_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone()),
    )
    booking = booking_create(resident=resident, item=item, slot=slot, booked_by=me)
    case = case_file(resident=resident, kind="repair", title="水管漏水", description="厨房", filed_by=me)
    sensitive_read(actor=hall_staff, subjects=[resident], field="id_number", purpose="办理证明")
    return {"suggestion": mine, "other": other, "booking": booking, "case": case}


def _download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("portal:my_data"))
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_download_holds_every_kind_of_record_about_me(client, me, my_records, hall_staff):
    data = _download(client, me)
    councils = data["councils"]
    assert [s["title"] for s in councils["suggestions"]] == ["路灯不亮"]
    assert [s["suggestion__title"] for s in councils["supported_suggestions"]] == [my_records["other"].title]
    volunteers = data["volunteers"]
    assert volunteers["volunteer"]["status"] == "approved"
    assert [s["activity__title"] for s in volunteers["signups"]] == ["清扫楼院"]
    assert volunteers["hour_corrections"][0]["reason"] == "补登"
    assert volunteers["served_as"][0]["needs"] == "每周探访"
    services = data["services"]
    assert services["hall_bookings"][0]["code"] == my_records["booking"].code
    assert services["cases"][0]["title"] == "水管漏水"
    assert services["event_registrations"][0]["event__title"] == "健康讲座"
    assert data["notification_settings"]["inbox"] is True and data["notification_settings"]["sms"] is True
    assert data["notifications"]  # the booking's and the case's acknowledgements
    assert data["messages_sent"] and {m["channel"] for m in data["messages_sent"]} <= {"sms", "email"}
    log = data["residents"]["access_log"]
    assert log == [
        {"when": log[0]["when"], "what": "id_number", "by": hall_staff.name, "purpose": "办理证明", "denied": False}
    ]
    assert "login_sessions" in data


def test_the_download_holds_nobody_elses_records(client, me, my_records, other_resident_user):
    data = _download(client, other_resident_user)
    text = json.dumps(data, ensure_ascii=False)
    assert "路灯不亮" not in text and my_records["booking"].code not in text and "水管漏水" not in text
    assert data["councils"]["suggestions"] == [] and data["volunteers"]["volunteer"] is None


def test_a_correction_request_opens_a_case_at_the_hall(client, me, community, hall_staff):
    client.force_login(me)
    url = reverse("portal:data_request")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "correct", "text": "我的出生日期登记错了，应为1950-03-02。"})
    case = Case.objects.get(resident=me.resident)
    assert response.status_code == 302 and response["Location"] == reverse("services:case", args=[case.pk])
    assert case.kind == Case.Kind.RIGHTS and case.community_id == community.pk
    assert "更正" in case.title and "1950-03-02" in case.description
    assert case.filed_by == me and case.assignee is None
    # Acknowledged in the resident's inbox.
    assert Notification.objects.filter(recipient=me, url=reverse("services:case", args=[case.pk])).exists()
    # On the hall's workbench, among the unassigned cases.
    client.force_login(hall_staff)
    page = client.get(reverse("portal:workbench")).content.decode()
    assert case.number in page


def test_a_deletion_request_says_so_in_the_case(client, me):
    client.force_login(me)
    client.post(reverse("portal:data_request"), {"kind": "delete", "text": "请删除我的志愿者照片。"})
    case = Case.objects.get(resident=me.resident)
    assert "删除" in case.title


@pytest.mark.parametrize(
    "data",
    [{}, {"kind": "sell", "text": "x"}, {"kind": "correct", "text": ""}, {"kind": "correct", "text": "x" * 3000}],
)
def test_a_bad_request_is_told_next_to_the_field_and_kept(client, me, data):
    client.force_login(me)
    response = client.post(reverse("portal:data_request"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Case.objects.filter(resident=me.resident).exists()


def test_staff_and_unconfirmed_accounts_are_sent_back(client, hall_staff, make_user):
    client.force_login(hall_staff)
    assert client.get(reverse("portal:data_request")).status_code == 302
    client.force_login(make_user(roles.RESIDENT, None))
    assert client.get(reverse("portal:data_request")).status_code == 302


def test_the_my_page_links_to_the_request(client, me):
    client.force_login(me)
    assert reverse("portal:data_request") in client.get(reverse("portal:my")).content.decode()
