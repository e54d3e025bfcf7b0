"""The appraisal page as a user sees it, on the sample data, in headless Chromium (English and Chinese)."""
import pytest

from tests.browser import ARTIFACTS, DEMO, browser_page, require_chromium, running_app, sign_in, wait_for_streamlit

pytestmark = pytest.mark.browser


def open_appraisal(page, url: str, lang: str, link: str, shot: str):
    """Start at the app's root (the frame: navigation, language) and follow the sidebar link."""
    page.goto(f"{url}/?lang={lang}")
    wait_for_streamlit(page)
    page.get_by_role("link", name=link).click()
    page.wait_for_timeout(1000)
    wait_for_streamlit(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / shot
    page.screenshot(path=str(path), full_page=True)
    return path


def test_appraisal_page_in_chromium_english_and_chinese():
    require_chromium()
    with running_app(DEMO) as url, browser_page() as page:
        sign_in(page, url, "e001")  # the director: everyone's rows
        shot = open_appraisal(page, url, "en", "Appraisal", "appraisal_en.png")
        body = page.inner_text("body")
        assert "Performance appraisal" in body and "People appraised" in body
        assert "Score distribution" in body and "Marketing star 2026-10" in body
        assert page.locator(".vega-embed").count() >= 1 and shot.stat().st_size > 50_000
        shot = open_appraisal(page, url, "zh", "绩效考核", "appraisal_zh.png")
        body = page.inner_text("body")
        assert "考核人数" in body and "得分分布" in body and "2026-10 营销之星" in body
        assert shot.stat().st_size > 50_000
