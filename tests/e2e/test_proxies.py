"""Family proxies on a phone (375 px): an elder lets their son act for them (子女代办), the son books an appointment
for the elder by choosing "for 王秀英" on the booking page, and the elder sees "由 李建国 代办" on the appointment
and the notice in their inbox."""

import datetime as dt

import pytest
from django.utils import timezone

from residents.models import ProxyGrant
from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_elder_grants_a_proxy_and_the_child_books_for_them_on_a_phone(
    phone, desktop, community, make_user, password, screenshot, transactional_db
):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(2)
    tz = timezone.get_current_timezone()
    for hour in (9, 10):
        SlotFactory(counter=item.counter, date=day, starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=tz))
    elder = make_user(community=community, name="王秀英")
    child = make_user(community=community, name="李建国")

    # The elder grants the proxy under 我的 → 家人代办.
    login(phone, elder.phone, password)
    phone.goto("/my/")
    phone.locator("#proxies-link").click()
    phone.wait_for_selector("#id_phone")
    phone.fill("#id_phone", child.phone)
    phone.fill("#id_relation", "儿子")
    assert not phone.locator("#id_can_see_health").is_checked()  # the health file: off unless ticked
    screenshot(phone, "proxies-grant-phone")
    assert _fits(phone)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_selector("#given li")
    assert "李建国" in phone.locator("#given").inner_text()
    screenshot(phone, "proxies-granted-phone")
    assert _fits(phone)
    assert ProxyGrant.objects.filter(grantor=elder.resident, grantee=child, revoked_at__isnull=True).exists()

    # The son books for his mother: "for 王秀英" on the booking page.
    phone.context.clear_cookies()
    login(phone, child.phone, password)
    phone.goto("/my/proxies/")
    assert "王秀英" in phone.locator("#received").inner_text()
    screenshot(phone, "proxies-received-phone")
    phone.goto(f"/services/items/{item.pk}/book/")
    phone.locator(f"nav a[data-for='{elder.resident.pk}']").click()
    phone.wait_for_url(f"**for={elder.resident.pk}**")
    assert "正在为" in phone.content()
    screenshot(phone, "proxies-book-for-phone")
    assert _fits(phone)
    phone.locator(f"a.day[href*='day={day.isoformat()}']").click()
    phone.wait_for_url(f"**day={day.isoformat()}**")
    phone.locator("a.slot").first.click()
    phone.wait_for_selector("#confirm-booking")
    phone.locator("#id_documents_ready").check()
    phone.locator("#confirm-booking").click()
    phone.wait_for_selector("#booking-code")
    code = phone.locator("#booking-code").inner_text().strip()
    booking = Booking.objects.get(code=code)
    assert booking.resident == elder.resident and booking.booked_by == child
    screenshot(phone, "proxies-booked-phone")

    # The elder sees who booked it, and the notice in the inbox.
    phone.context.clear_cookies()
    login(phone, elder.phone, password)
    phone.goto(f"/services/bookings/{code}/")
    assert "由 李建国 代办" in phone.content()
    screenshot(phone, "proxies-elder-booking-phone")
    assert _fits(phone)
    phone.goto("/my/inbox/")
    inbox = phone.content()
    assert "预约成功" in inbox and "由 李建国 代办" in inbox and "家人代办已授权" in inbox
    screenshot(phone, "proxies-elder-inbox-phone")
    assert _fits(phone)
    phone.goto("/my/notifications/")
    screenshot(phone, "notification-settings-phone")
    assert _fits(phone)
    assert not errors, errors

    # The same pages at 1280 px.
    login(desktop, elder.phone, password)
    desktop.goto("/my/proxies/")
    screenshot(desktop, "proxies-desktop")
    desktop.goto("/my/notifications/")
    screenshot(desktop, "notification-settings-desktop")
