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


def test_a_deep_link_opened_first_runs_inside_the_app_frame():
    """Right after a start, /data_quality must still go through app.py (its language switch
    and sign-in gate), not run the page file on its own; once signed in it opens."""
    require_chromium()
    with running_app(DEMO) as url, browser_page() as page:
        screenshot(page, url + "/data_quality?lang=en", "deep_link.png")
        sidebar = page.inner_text('[data-testid="stSidebar"]')
        assert "Language" in sidebar and "Data quality" not in sidebar
        assert "app" not in sidebar.split()  # the old pages/ auto-navigation lists the file app.py
        assert page.get_by_role("button", name="Sign in").is_visible()  # app.py's sign-in gate
        sign_in(page, url, "e001")
        screenshot(page, url + "/data_quality?lang=en", "deep_link_signed_in.png")
        assert page.inner_text("h1") == "Data quality" and "Refresh now" in page.inner_text('[data-testid="stSidebar"]')
