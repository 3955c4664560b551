"""On a phone (375 px): the confirmation steps of a move and of a no-show, and search results with the best match
first, the match highlighted and a snippet around it. Each page fits the phone's width; screenshots are kept."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.core import roles
from portal.core.search import SearchDocument, search_index_update
from residents.tests.factories import ResidentFactory
from services.hall import actions
from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import BookingFactory, SlotFactory, next_weekday
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_move_asks_first_on_a_phone_and_keeps_the_code(
    phone, community, make_user, password, screenshot, transactional_db
):
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(2)
    tz = timezone.get_current_timezone()
    first, later = (
        SlotFactory(counter=item.counter, date=day, starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=tz))
        for hour in (9, 10)
    )
    user = make_user(community=community)
    booking = actions.booking_create(resident=user.resident, item=item, slot=first, booked_by=user)

    login(phone, user.phone, password)
    phone.goto(f"/services/bookings/{booking.code}/reschedule/?day={day.isoformat()}")
    phone.locator(f"a.slot[href*='slot={later.pk}']").click()
    phone.wait_for_selector("#confirm-yes")
    assert "10:00" in phone.content() and booking.code in phone.content()
    screenshot(phone, "hall-move-confirm-phone")
    assert _fits(phone)
    assert Booking.objects.get(pk=booking.pk).slot_id == first.pk
    phone.locator("#confirm-yes").click()
    phone.wait_for_selector("#moved-from")
    assert phone.locator("#booking-code").inner_text().strip() == booking.code
    assert Booking.objects.get(code=booking.code).slot_id == later.pk


def test_a_no_show_asks_first_at_the_desk(phone, community, make_user, password, screenshot, transactional_db):
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    now = timezone.localtime()
    begun = SlotFactory(counter=item.counter, date=now.date(), starts_at=now - dt.timedelta(minutes=5))
    booking = BookingFactory(slot=begun, item=item, resident=ResidentFactory(community=community, name="张秀兰"))
    staff = make_user(roles.HALL_STAFF, community)
    login(phone, staff.phone, password)
    phone.goto(f"/services/desk/counters/{item.counter_id}/")
    phone.locator(f"a[href='/services/desk/bookings/{booking.pk}/finish/']").click()
    phone.wait_for_selector("#confirm-yes")
    assert "张秀兰" in phone.content()
    screenshot(phone, "desk-no-show-confirm-phone")
    assert _fits(phone)
    phone.locator("#confirm-yes").click()
    phone.wait_for_url(f"**/services/desk/counters/{item.counter_id}/")
    assert Booking.objects.get(pk=booking.pk).desk == Booking.Desk.NO_SHOW


def test_search_results_on_a_phone(phone, screenshot, transactional_db):
    long_text = "本周社区开展环境整治，" * 10 + "请居民注意节约用水。" + "楼道堆物将统一清理，" * 10
    search_index_update(
        [
            SearchDocument("notice", 1, "社区环境整治通知", long_text, "/notices/1/", None),
            SearchDocument("service", 2, "自来水管道维修", "厨房卫生间漏水、水管爆裂，物业上门维修。", "/s/2/", None),
        ]
    )
    phone.goto("/search/?q=水")
    titles = phone.locator("main .list-group-item a").all_inner_texts()
    assert titles[0] == "自来水管道维修" and titles[-1] == "社区环境整治通知"
    assert phone.locator("main .list-group-item a mark").first.inner_text() == "水"
    assert "节约用水" in phone.locator(".search-snippet").last.inner_text()
    screenshot(phone, "search-phone")
    assert _fits(phone)
