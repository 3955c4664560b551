"""Family proxies (子女代办): grants (period, revocation by either side, scope of rights, the health file apart),
acting as proxy on the booking, case and sign-up pages through the one ?for= path, "由 X 代办" on every act, the
elder's inbox, the counter's set-up with consent recorded, and who may not."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.models import AuditLog, Notification, SensitiveAccessLog
from residents.models_proxies import ProxyGrant, Right
from residents.proxies import proxy_grant, proxy_revoke, proxy_subject
from services.models import Booking, Case, EventRegistration
from services.tests.factories_stations import HealthFileFactory, StationEventFactory

CONFIRM = {"documents_ready": "on", "note": ""}


@pytest.fixture
def elder(make_user, community):
    return make_user(roles.RESIDENT, community, name="王秀英").resident


@pytest.fixture
def child(make_user, community):
    return make_user(roles.RESIDENT, community, name="李建国")


def _grant(elder, child, **kw):
    today = timezone.localdate()
    kw.setdefault("starts_on", today)
    kw.setdefault("ends_on", today + dt.timedelta(days=30))
    return proxy_grant(grantor=elder, grantee=child, by=elder.user, **kw)


# --- grants ----------------------------------------------------------------------------------------


def test_a_grant_is_told_to_both_sides_and_works_within_its_period_only(elder, child):
    grant = _grant(elder, child)
    assert grant.consent == ProxyGrant.Consent.ONLINE and not grant.can_see_health  # health: off by default
    assert proxy_subject(child, elder.pk, Right.BOOK) == elder
    assert Notification.objects.filter(recipient=elder.user, title__contains="代办").exists()
    assert Notification.objects.filter(recipient=child, title__contains="代办").exists()
    assert AuditLog.objects.filter(action="proxy_grant").exists()
    ProxyGrant.objects.filter(pk=grant.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=9), ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert proxy_subject(child, elder.pk, Right.BOOK) is None  # expired: stops at once
    ProxyGrant.objects.filter(pk=grant.pk).update(
        starts_on=timezone.localdate() + dt.timedelta(days=1), ends_on=timezone.localdate() + dt.timedelta(days=5)
    )
    assert proxy_subject(child, elder.pk, Right.BOOK) is None  # not yet begun


@pytest.mark.parametrize("side", ["elder", "child"])
def test_either_side_may_revoke_and_it_stops_at_once(client, elder, child, side):
    grant = _grant(elder, child)
    who = elder.user if side == "elder" else child
    client.force_login(who)
    url = reverse("portal:proxy_revoke", args=[grant.pk])
    assert client.get(url).status_code == 200  # the confirm page
    assert client.post(url).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == who
    assert proxy_subject(child, elder.pk, Right.BOOK) is None
    other = child if side == "elder" else elder.user
    assert Notification.objects.filter(recipient=other, title="家人代办已结束").exists()  # the other side is told


def test_a_stranger_may_not_revoke_and_sees_no_grant(client, elder, child, make_user, community):
    grant = _grant(elder, child)
    client.force_login(make_user(roles.RESIDENT, community))
    assert client.post(reverse("portal:proxy_revoke", args=[grant.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        proxy_revoke(grant=grant, by=make_user(roles.RESIDENT, community))


def test_the_period_and_the_account_are_checked(elder, child):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        _grant(elder, child, starts_on=today, ends_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _grant(elder, child, starts_on=today, ends_on=today + dt.timedelta(days=4 * 366))
    with pytest.raises(ValidationError):
        _grant(elder, elder.user)


def test_the_rights_are_scoped(elder, child):
    _grant(elder, child, rights={"can_book": True, "can_file_cases": False, "can_sign_up": False})
    assert proxy_subject(child, elder.pk, Right.BOOK) == elder
    assert proxy_subject(child, elder.pk, Right.CASES) is None
    assert proxy_subject(child, elder.pk, Right.SIGN_UP) is None
    assert proxy_subject(child, elder.pk, Right.HEALTH) is None


def test_the_resident_grants_on_the_page_by_phone_number(client, elder, child):
    client.force_login(elder.user)
    today = timezone.localdate()
    data = {
        "phone": child.phone,
        "relation": "儿子",
        "can_book": "on",
        "can_file_cases": "on",
        "can_sign_up": "on",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=90)).isoformat(),
    }
    assert client.post(reverse("portal:proxies"), data).status_code == 302
    grant = ProxyGrant.objects.get(grantor=elder)
    assert grant.grantee == child and grant.can_book and not grant.can_see_health
    # An unknown number: a message next to the field, what was typed is kept.
    response = client.post(reverse("portal:proxies"), {**data, "phone": "13900000999"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'value="13900000999"' in response.content.decode()


# --- acting on the pages -------------------------------------------------------------------------------


def test_the_child_books_for_the_elder_and_the_elder_sees_who_did(client, elder, child, item, slot):
    _grant(elder, child)
    client.force_login(child)
    page = client.get(reverse("services:book", args=[item.pk]))
    assert page.status_code == 200 and elder.name in page.content.decode()  # "for myself / for 王秀英"
    response = client.post(reverse("services:book_confirm", args=[item.pk, slot.pk]), {**CONFIRM, "for": elder.pk})
    booking = Booking.objects.get(resident=elder)
    assert response.status_code == 302 and booking.booked_by == child and booking.is_acted_for
    note = Notification.objects.filter(recipient=elder.user, url__contains=booking.code).get()
    assert "由 李建国 代办" in note.body
    client.force_login(elder.user)
    assert "由 李建国 代办" in client.get(reverse("services:booking", args=[booking.code])).content.decode()
    # The child can see and cancel it; the elder is told.
    client.force_login(child)
    assert client.get(reverse("services:booking", args=[booking.code])).status_code == 200
    assert client.post(reverse("services:booking_cancel", args=[booking.code])).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == child
    assert Notification.objects.filter(recipient=elder.user, title__contains="取消").exists()


def test_without_a_grant_or_after_revocation_the_for_parameter_is_refused(client, elder, child, item, slot):
    client.force_login(child)
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    assert client.post(url, {**CONFIRM, "for": elder.pk}).status_code == 403  # a resident without the staff right
    grant = _grant(elder, child)
    proxy_revoke(grant=grant, by=elder.user)
    assert client.post(url, {**CONFIRM, "for": elder.pk}).status_code == 403
    assert not Booking.objects.filter(resident=elder).exists()


def test_a_book_only_grant_does_not_file_cases(client, elder, child, catalogue):
    _grant(elder, child, rights={"can_book": True, "can_file_cases": False, "can_sign_up": False})
    client.force_login(child)
    assert client.get(reverse("services:case_new"), {"for": elder.pk}).status_code == 403


def test_the_child_files_a_case_for_the_elder(client, elder, child, catalogue):
    _grant(elder, child)
    client.force_login(child)
    assert client.get(reverse("services:case_new"), {"for": elder.pk}).status_code == 200
    data = {"kind": "repair", "title": "楼道灯坏了", "description": "三单元二楼楼道灯不亮", "for": elder.pk}
    response = client.post(reverse("services:case_new"), data)
    case = Case.objects.get(resident=elder)
    assert response.status_code == 302 and case.filed_by == child
    assert "由 李建国 代办" in case.events.get(kind="filed").text
    assert client.get(reverse("services:case", args=[case.pk])).status_code == 200
    assert "由 李建国 代办" in Notification.objects.get(recipient=elder.user, url__contains=str(case.pk)).body


def test_the_child_signs_the_elder_up_to_an_event(client, elder, child, community):
    event = StationEventFactory(community=community, capacity=5)
    _grant(elder, child)
    client.force_login(child)
    page = client.get(reverse("services:stations:event", args=[event.pk]), {"for": elder.pk})
    assert page.status_code == 200 and "正在为" in page.content.decode()
    client.post(reverse("services:stations:event_register", args=[event.pk]), {"for": elder.pk})
    registration = EventRegistration.objects.get(resident=elder, event=event)
    assert registration.registered_by == child and registration.is_acted_for
    assert "由 李建国 代办" in Notification.objects.get(recipient=elder.user, title__contains=event.title).body
    assert not EventRegistration.objects.filter(resident=child.resident).exists()


# --- the health file apart -------------------------------------------------------------------------------


def test_a_proxy_never_sees_the_health_file_without_the_separate_grant(client, elder, child):
    file = HealthFileFactory(consent__resident=elder, allergies="青霉素过敏")
    grant = _grant(elder, child)
    client.force_login(child)
    url = reverse("services:health:my_file")
    assert client.get(url, {"for": elder.pk}).status_code == 404
    denied = SensitiveAccessLog.objects.get(subject=elder, actor=child)
    assert denied.denied
    grant = _grant(elder, child, rights={"can_book": True, "can_see_health": True})  # replaces the first one
    assert ProxyGrant.objects.get(pk=grant.pk).can_see_health
    response = client.get(url, {"for": elder.pk})
    assert response.status_code == 200 and "青霉素过敏" in response.content.decode()
    assert SensitiveAccessLog.objects.filter(subject=elder, actor=child, denied=False).count() == 1
    proxy_revoke(grant=grant, by=child)
    assert client.get(url, {"for": elder.pk}).status_code == 404
    assert file.pk


# --- the counter --------------------------------------------------------------------------------------------


def test_the_counter_sets_up_a_proxy_with_the_consent_recorded(client, elder, child, hall_staff):
    client.force_login(hall_staff)
    url = reverse("services:desk_proxies", args=[elder.pk])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    data = {
        "phone": child.phone,
        "can_book": "on",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    response = client.post(url, data)  # no consent chosen: told, nothing made
    assert response.status_code == 200 and response.context["form"].errors["consent"]
    assert client.post(url, {**data, "consent": "form"}).status_code == 302
    grant = ProxyGrant.objects.get(grantor=elder)
    assert grant.consent == "form" and grant.consent_recorded_by == hall_staff and grant.created_at
    assert Notification.objects.filter(recipient=elder.user, title__contains="代办").exists()
    assert client.post(reverse("portal:proxy_revoke", args=[grant.pk])).status_code == 302  # the counter may end it


def test_the_counter_of_another_community_and_other_roles_may_not(client, elder, make_user, other_community, community):
    client.force_login(make_user(roles.HALL_STAFF, other_community))
    assert client.get(reverse("services:desk_proxies", args=[elder.pk])).status_code == 404
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    assert client.get(reverse("services:desk_proxies", args=[elder.pk])).status_code == 403
    client.force_login(make_user(roles.RESIDENT, community))
    assert client.get(reverse("services:desk_proxies", args=[elder.pk])).status_code == 403


def test_the_child_lists_the_elders_appointments(client, elder, child, item, slot, make_user, community):
    _grant(elder, child)
    client.force_login(child)
    client.post(reverse("services:book_confirm", args=[item.pk, slot.pk]), {**CONFIRM, "for": elder.pk})
    code = Booking.objects.get(resident=elder).code
    response = client.get(reverse("services:my_bookings"), {"for": elder.pk})
    assert response.status_code == 200 and code in response.content.decode()
    assert code not in client.get(reverse("services:my_bookings")).content.decode()  # not among the child's own
    client.force_login(make_user(roles.RESIDENT, community))
    assert client.get(reverse("services:my_bookings"), {"for": elder.pk}).status_code == 403
