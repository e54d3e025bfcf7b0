"""The Customer value page as a user sees it: `streamlit run` on the sample data, headless
Chromium, English and Chinese, the retention tab and the A/B tests tab."""
import re

import pytest

from tests.browser import (ARTIFACTS, DEMO, browser_page, require_chromium, running_app, screenshot, sign_in,
                           wait_for_streamlit)

pytestmark = pytest.mark.browser


def open_tab(page, label: str, name: str):
    page.get_by_role("tab", name=label).click()
    wait_for_streamlit(page)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def test_customer_value_page_in_chromium_english_and_chinese():
    require_chromium()
    with running_app(DEMO) as url, browser_page(height=2400) as page:
        sign_in(page, url, "e001")  # the director
        shot = screenshot(page, url + "/customers?lang=en", "customers_retention_en.png")
        body = page.inner_text("body")
        assert "Customer value" in body and "Retention by acquisition month" in body
        customers = int(re.search(r"Customers\s+([\d,]+)", body).group(1).replace(",", ""))
        assert customers > 3000
        assert page.locator(".vega-embed").count() >= 3  # heat-map, curves, repeat-purchase bars
        assert shot.stat().st_size > 60_000
        ab = open_tab(page, "A/B tests", "customers_abtest_en.png")
        text = page.inner_text("body")
        assert "All experiments" in text and "significant" in text and "no effect" in text
        assert ab.stat().st_size > 60_000
        screenshot(page, url + "/customers?lang=zh", "customers_retention_zh.png")
        assert "按获客月份的留存" in page.inner_text("body")
        open_tab(page, "回本预警", "customers_break_even_zh.png")
        assert "未回本" in page.inner_text("body")
