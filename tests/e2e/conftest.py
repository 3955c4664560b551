"""Browser journeys: Playwright driving Debian's chromium against Django's live server.

Fixtures: `browser` (one chromium per session), `phone` (a page sized like a phone, 375×812) and `desktop`
(1280×900), both pointed at `live_server`. Screenshots go to test-artifacts/screens/.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"chromium not found at {CHROMIUM}")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


def _page(browser, live_server, **context_args):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def phone(browser, live_server):
    context, page = _page(
        browser,
        live_server,
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    context, page = _page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves test-artifacts/screens/name.png (full page) for a human to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, phone_number, password):
    """Log in through the real form; staff then pass the second step with a code of their authenticator app."""
    page.goto("/accounts/login/")
    page.fill("#id_username", phone_number)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/accounts/login/second/"):
        from portal.core.models import User  # lazy: the app registry is ready only once Django is set up
        from portal.tests.second_step import second_code  # lazy: imports the models too

        method, code = second_code(User.objects.get(phone=phone_number))
        page.goto(f"/accounts/login/second/?method={method}")
        page.fill("#id_code", code)
        page.get_by_role("button", name="确认并登录", exact=True).click()
        page.wait_for_load_state()
