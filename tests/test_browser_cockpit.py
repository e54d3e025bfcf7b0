"""The cockpit as a director sees it: the real app on the sample data in headless Chromium,
a drill-down by clicking a bar, and screenshots in English and Chinese (artifacts/)."""
import pytest

from tests.browser import ARTIFACTS, DEMO, browser_page, require_chromium, running_app, sign_in
from tests.browser import wait_for_streamlit

pytestmark = pytest.mark.browser


def settle(page, extra_ms: int = 1500) -> None:
    wait_for_streamlit(page)
    page.wait_for_timeout(extra_ms)  # data grids draw after the charts


def shoot(page, name: str) -> int:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path.stat().st_size


def test_cockpit_in_chromium_english_and_chinese():
    require_chromium()
    with running_app(DEMO) as url, browser_page(height=4300) as page:
        sign_in(page, url + "/cockpit?lang=en", "e001")  # a deep link as the first request: the sign-in
        page.goto(url + "/cockpit?lang=en")  # signed in (the cookie): the page itself
        settle(page, 4000)
        body = page.inner_text("body")
        assert "Refresh now" in body  # the app frame ran, not the bare page file
        assert "Marketing cockpit" in body and "Week 2026-W43 (2026-10-19 → 2026-10-25) against 2026-W42" in body
        for section in ("Unusual in 2026-W43", "Why did this move", "Budget", "Campaigns", "Actions",
                        "Against industry benchmarks", "Week over week: 2026-W43 against 2026-W42"):
            assert section in body
        assert "Spend: ¥663,859 in 2026-W43, above its usual range" in body
        assert shoot(page, "cockpit_en.png") > 100_000

        chart = page.locator("[class*='st-key-cockpit_breakdown']")
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.click(box["x"] + 120, box["y"] + 14)  # the first (largest) bar: 抖音
        settle(page)
        body = page.inner_text("body")
        assert "Channel: 抖音" in body and "¥210.2K" in body  # 抖音's spend in W43
        page.get_by_role("button", name="All data").click()
        settle(page)
        assert "Channel: 抖音" not in page.inner_text("body")

        page.goto(url + "/cockpit?lang=zh")
        settle(page, 4000)
        body = page.inner_text("body")
        assert "营销驾驶舱" in body and "变化原因" in body and "2026-W43 异常指标" in body
        assert shoot(page, "cockpit_zh.png") > 100_000
