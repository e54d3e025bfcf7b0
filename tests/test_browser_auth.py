"""Sign-in as a user sees it: the real login form, cookie and sign-out in headless Chromium,
on a copy of the sample data in which one name carries an HTML payload."""
import shutil

import pytest

from lib import ROOT
from tests.browser import ARTIFACTS, DEMO, chromium, running_app
from screenshot import sign_in, wait_for_streamlit  # noqa: E402 (scripts/ is on the path via tests.browser)

pytestmark = pytest.mark.browser

PERSON_TAB = "Person"
PAYLOAD = '<img src=x onerror="alert(1)">'


def nav_links(page) -> list[str]:
    """The labels of the sidebar navigation (each link also holds its icon's name)."""
    return [link.inner_text().strip().split("\n")[-1] for link in page.query_selector_all('[data-testid="stSidebarNavLink"]')]


def metric(page, label: str) -> str:
    for tile in page.query_selector_all('[data-testid="stMetric"]'):
        lines = [line.strip() for line in tile.inner_text().split("\n") if line.strip()]
        if lines and lines[0] == label:
            return lines[1]
    raise AssertionError(f"no metric {label!r}")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_staff_and_director_sign_in_see_their_appraisal_rows_and_a_copied_cookie_dies_with_sign_out(tmp_path):
    data = tmp_path / "csv"
    shutil.copytree(ROOT / "sample_data" / "csv", data)
    staff = (data / "staff.csv").read_text(encoding="utf-8-sig")
    (data / "staff.csv").write_text(staff.replace("E021,郑凯,", f'E021,"郑凯{PAYLOAD.replace(chr(34), chr(34) * 2)}",'),
                                    encoding="utf-8")
    dialogs = []
    with running_app({**DEMO, "COCKPIT_DATA": str(data)}) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1440, "height": 1200})
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        page.goto(url + "/data_quality")  # a page's own URL before sign-in: only the login form
        wait_for_streamlit(page)
        body = page.inner_text("body")
        assert "Sign in" in body and "Quarantined rows" not in body and nav_links(page) == []
        assert page.inner_text("h1") == "Marketing Cockpit"
        shot(page, "login_en.png")

        page.goto(url)
        sign_in(page, "e021", "demo-e021")
        staff_pages = nav_links(page)  # (Streamlit lists no navigation for a single page)
        assert "Data quality" not in staff_pages and (staff_pages == [] or "Home" in staff_pages)
        assert "What is loaded" in page.inner_text("body")
        assert f"Signed in as 郑凯{PAYLOAD} · Staff" in page.inner_text('[data-testid="stSidebar"]')
        assert page.query_selector('img[src="x"]') is None  # the name stayed text
        shot(page, "signed_in_staff_en.png")

        page.goto(url + "/appraisal")  # his own appraisal, and nobody else's
        wait_for_streamlit(page)
        assert metric(page, "People appraised") == "1"
        page.get_by_role("tab", name=PERSON_TAB).click()
        picked = page.get_by_label("Show the details of").input_value()
        assert picked == f"郑凯{PAYLOAD} (E021, 活动策划部)"  # the person picker: only him, as text
        assert page.query_selector('img[src="x"]') is None
        shot(page, "appraisal_staff_en.png")

        copied = [c for c in context.cookies() if c["name"] == "cockpit_auth"]
        assert copied[0]["sameSite"] == "Strict"
        page.goto(url + "/data_quality")  # a new session: the cookie signs it in; no Data quality for staff
        wait_for_streamlit(page)
        assert "Sign out" in page.inner_text('[data-testid="stSidebar"]')
        assert page.inner_text("h1") == "Marketing Cockpit" and "What is loaded" in page.inner_text("body")

        page.goto(url)  # (no "page not found" notice in the way of the button)
        wait_for_streamlit(page)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_selector('text="You have signed out."')
        page.wait_for_function("() => !document.cookie.includes('cockpit_auth=')", timeout=20000)

        thief = browser.new_context(viewport={"width": 1440, "height": 1200})
        thief.add_cookies(copied)  # the cookie copied before sign-out
        stolen = thief.new_page()
        stolen.goto(url)
        wait_for_streamlit(stolen)
        assert stolen.get_by_role("button", name="Sign in").is_visible()
        assert nav_links(stolen) == [] and "Signed in as" not in stolen.inner_text("body")

        page.goto(url + "/appraisal?lang=zh")  # a link to a page, followed while signed out
        wait_for_streamlit(page)
        assert page.get_by_role("dialog").count() == 0  # the login form, no "page not found"
        sign_in(page, "e001", "demo-e001")
        assert page.inner_text("h1") == "绩效考核"  # signed in: the linked page itself
        assert int(metric(page, "考核人数")) >= 25  # the director: everyone
        assert {"首页", "数据质量", "绩效考核"} <= set(nav_links(page))  # every page
        assert "当前用户：王建国 · 总监" in page.inner_text('[data-testid="stSidebar"]')
        shot(page, "appraisal_director_zh.png")
        page.get_by_role("link", name="数据质量").click()
        wait_for_streamlit(page)
        assert "数据质量" in page.inner_text("h1")
        shot(page, "signed_in_director_zh.png")
    assert dialogs == []  # no script ever ran
