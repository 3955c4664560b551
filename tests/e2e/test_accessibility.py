"""An automated accessibility audit (axe-core, vendored under tests/e2e/vendor) of the main resident pages at
375 px, in the standard mode and in 长辈模式: no serious or critical violations."""

import random
from pathlib import Path

import pytest

from portal.core import roles
from services.seed import seed_hall
from tests.e2e.conftest import CHROMIUM, login

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGES = ["/", "/services/", "/notices/", "/my/", "/services/my/bookings/", "/contact/", "/accounts/login/"]


def audit(page) -> list[str]:
    # The audit script is injected inline; this test's browser context bypasses CSP for that alone.
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder-mode"])
def test_resident_pages_have_no_serious_accessibility_violations(
    browser, live_server, make_user, community, password, elder, transactional_db
):
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium")
    seed_hall(community, rng=random.Random(3), scale_index=0)
    user = make_user(roles.RESIDENT, community)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, bypass_csp=True, locale="zh-CN"
    )
    page = context.new_page()
    try:
        login(page, user.phone, password)
        if elder:
            page.goto("/")
            page.locator("footer .elder-toggle").click()
            page.wait_for_load_state()
            assert "elder" in (page.locator("body").get_attribute("class") or "")
        problems = {}
        for url in PAGES:
            page.goto(url)
            page.wait_for_load_state()
            found = audit(page)
            if found:
                problems[url] = found
        assert problems == {}
    finally:
        context.close()
