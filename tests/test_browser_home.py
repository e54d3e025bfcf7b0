"""The app as a user sees it: started with `streamlit run` on the sample data, in headless Chromium."""
import re

import pytest

from tests.browser import DEMO, browser_page, require_chromium, running_app, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_home_page_in_chromium_english_and_chinese():
    require_chromium()
    with running_app(DEMO) as url, browser_page() as page:
        sign_in(page, url, "e001")  # the director: every page
        shot = screenshot(page, url + "/?lang=en", "home_en.png")
        body = page.inner_text("body")
        assert "Marketing Cockpit" in body and "What is loaded" in body
        assert "19 / 19" in body  # every tab of the template is in the sample data
        good = int(re.search(r"Good rows\s+([\d,]+)", body).group(1).replace(",", ""))
        assert good > 50_000
        assert shot.stat().st_size > 20_000
        screenshot(page, url + "/?lang=zh", "home_zh.png")
        assert "已加载内容" in page.inner_text("body")
