"""A resident applies on a phone, the director approves, the volunteer signs up, is checked in and out, sees the hours."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from PIL import Image

from portal.core import roles
from volunteers.models import Activity, SignUp, Volunteer
from volunteers.tests.factories import ActivityFactory, TeamFactory

pytestmark = pytest.mark.e2e
BASE: list[str] = []


@pytest.fixture(autouse=True)
def _base_url(live_server):
    BASE[:] = [live_server.url]


def log_in(page, user):
    """Sign `user` in by session cookie (the login form itself is covered by test_foundation)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": BASE[0],
            }
        ]
    )


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_resident_applies_is_approved_signs_up_is_checked_in_and_out_and_sees_hours(
    phone, desktop, community, make_user, screenshot, transactional_db, tmp_path
):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    resident = make_user(roles.RESIDENT, community, name="刘芳")
    director = make_user(roles.COMMITTEE_DIRECTOR, community, name="张主任")
    team = TeamFactory(community=community, name="环境卫生服务队")
    activity = ActivityFactory(
        community=community,
        team=team,
        title="清扫3号楼院",
        date=timezone.localdate() + dt.timedelta(days=1),
        start_time=dt.time(9),
        end_time=dt.time(12),
        capacity=8,
        skills_wanted=["cleaning"],
        serves="3号楼院的居民",
    )
    photo = tmp_path / "me.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), (210, 160, 130)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    # 1. The resident applies on a phone.
    log_in(phone, resident)
    phone.goto("/volunteers/")
    screenshot(phone, "volunteers-index-resident-phone")
    phone.locator("#apply-link").click()
    phone.locator("input[name=skills][value=cleaning]").check()
    phone.locator("input[name=skills][value=haircut]").check()
    phone.locator("#id_skill_note").fill("退休理发师")
    phone.locator("input[name=availability][value=weekend]").check()
    phone.locator("#id_photo").set_input_files(str(photo))
    phone.locator("#id_agree").check()
    screenshot(phone, "volunteers-apply-phone")
    assert no_horizontal_scroll(phone)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url("**/volunteers/")
    assert phone.locator("#my-status").is_visible()
    volunteer = Volunteer.objects.get(resident__user=resident)
    assert volunteer.status == "applied"

    # 2. The director approves, into the environment team.
    log_in(desktop, director)
    desktop.goto("/volunteers/coordinate/applications/")
    card = desktop.locator(f"#application-{volunteer.pk}")
    card.locator("select[name=team]").select_option(str(team.pk))
    card.locator("button[name=approve]").click()
    desktop.wait_for_load_state()
    volunteer.refresh_from_db()
    assert volunteer.status == "approved" and volunteer.number

    # 3. The volunteer signs up for the activity.
    phone.goto("/volunteers/")
    assert phone.locator("#my-number").inner_text() == volunteer.number
    phone.goto(f"/volunteers/activities/{activity.pk}/")
    phone.locator("#signup").click()
    phone.wait_for_load_state()
    assert phone.locator("#signup-state").is_visible()
    screenshot(phone, "volunteers-activity-signed-up-phone")
    assert Activity.objects.get(pk=activity.pk).seats_taken == 1
    signup = SignUp.objects.get(activity=activity, volunteer=volunteer)

    # 4. The coordinator checks in at 09:00, out at 12:30, and confirms 3.5 hours — on a phone too.
    log_in(desktop, director)
    desktop.set_viewport_size({"width": 375, "height": 812})
    desktop.goto(f"/volunteers/coordinate/activities/{activity.pk}/")
    row = desktop.locator(f"#signup-{signup.pk}")
    row.locator("input[name=at]").fill("09:00")
    row.locator("button.check-in").click()
    desktop.wait_for_load_state()
    row = desktop.locator(f"#signup-{signup.pk}")
    row.locator("input[name=at]").fill("12:30")
    row.locator("button.check-out").click()
    desktop.wait_for_load_state()
    row = desktop.locator(f"#signup-{signup.pk}")
    assert row.locator(".hours").inner_text() == "3.50"
    screenshot(desktop, "volunteers-roster-phone")
    row.locator("button.confirm").click()
    desktop.wait_for_load_state()
    signup.refresh_from_db()
    assert signup.hours_confirmed_by == director

    # 5. The volunteer sees the hours, and the printable statement.
    phone.goto("/volunteers/")
    assert phone.locator("#my-hours").inner_text() == "3.50"
    screenshot(phone, "volunteers-index-volunteer-phone")
    phone.goto("/volunteers/me/hours/")
    assert phone.locator("#total-hours").inner_text() == "3.50"
    assert "清扫3号楼院" in phone.content()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "volunteers-statement-phone")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_badge_is_drawn_and_verifies_on_a_phone(phone, community, make_user, screenshot, transactional_db):
    from django.contrib.auth.models import Group

    from volunteers.tests.factories import VolunteerFactory

    user = make_user(roles.RESIDENT, community, name="王秀英")
    user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
    VolunteerFactory(
        community=community, resident=user.resident, team=TeamFactory(community=community, name="敬老助老服务队")
    )
    log_in(phone, user)
    phone.goto("/volunteers/me/badge/")
    phone.locator("#request-badge").click()
    phone.wait_for_load_state()
    image = phone.locator("#badge-status img")
    image.wait_for()
    assert phone.evaluate("document.querySelector('#badge-status img').naturalWidth") == 638
    screenshot(phone, "volunteers-badge-phone")
    verify_url = user.resident.volunteer.badges.get().verify_url
    phone.goto(verify_url)
    assert phone.locator("#verdict").is_visible()
    assert "王秀英" not in phone.content()
    screenshot(phone, "volunteers-badge-verify-phone")


def test_coordinator_and_public_pages_fit_a_phone(phone, community, make_user, screenshot, transactional_db):
    """With seeded data: every coordinator page and the party-station pages work at 375 px, without sideways scroll."""
    import random

    from residents.tests.factories import ResidentFactory
    from volunteers import seed
    from volunteers.tests.test_party import make_network

    for i in range(120):
        ResidentFactory(
            community=community,
            birth_date=dt.date(1940 + i % 60, 1 + i % 12, 1 + i % 28),
            lives_alone=i % 7 == 0,
            is_disabled=i % 19 == 0,
            is_retiree=i % 3 == 0,
        )
    make_network(community, members_per_group=3)
    seed.seed_community(community, rng=random.Random(7), scale_index=0)
    director = make_user(roles.COMMITTEE_DIRECTOR, community, name="张主任")
    log_in(phone, director)
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    person = community.people_served.first()
    pages = {
        "coordinate": "/volunteers/coordinate/",
        "stats": f"/volunteers/coordinate/stats/?month={month}",
        "growth": "/volunteers/coordinate/growth/",
        "volunteers": "/volunteers/coordinate/volunteers/",
        "served": "/volunteers/coordinate/served/",
        "served-detail": f"/volunteers/coordinate/served/{person.pk}/",
        "party": f"/volunteers/party/?c={community.slug}",
        "duties": f"/volunteers/party/duties/?c={community.slug}",
        "activities": "/volunteers/activities/",
        "scan": f"/volunteers/coordinate/activities/{community.volunteer_activities.first().pk}/scan/",
        "plan-activity": "/volunteers/coordinate/activities/new/",
    }
    for name, url in pages.items():
        response = phone.goto(url)
        assert response.status == 200, url
        assert no_horizontal_scroll(phone), url
        screenshot(phone, f"volunteers-{name}-phone")
