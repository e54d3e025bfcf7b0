"""The channel comparison page as a user sees it: `streamlit run` on the sample data, headless Chromium."""
import pytest

from tests.browser import (ARTIFACTS, DEMO, browser_page, require_chromium, running_app, screenshot, sign_in,
                           wait_for_streamlit)

pytestmark = pytest.mark.browser


def open_tab(page, label: str, name: str) -> str:
    page.locator('[data-testid="stTab"]', has_text=label).click()
    wait_for_streamlit(page)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    return page.inner_text('[data-testid="stMain"]')


def test_channels_page_in_chromium_english_and_chinese():
    require_chromium()
    with running_app(DEMO) as url, browser_page(height=1100) as page:
        sign_in(page, url, "e001")  # the director
        shot = screenshot(page, url + "/channels?lang=en", "channels_en.png")
        body = page.inner_text("body")
        assert "Channel comparison" in body and "Blended CAC" in body and "Marketing" in body
        assert shot.stat().st_size > 50_000
        advice = open_tab(page, "Efficiency & advice", "channels_efficiency_en.png")
        assert "Recommendations" in advice and ("Scale up" in advice or "Review" in advice)
        credit = open_tab(page, "Attribution", "channels_attribution_en.png")
        assert "Markov" in credit and "journeys converted" in credit
        screenshot(page, url + "/channels?lang=zh", "channels_zh.png")
        assert "渠道对比" in page.inner_text("body")
        assert "效率与建议" in open_tab(page, "效率与建议", "channels_efficiency_zh.png")
