"""The OKR page as a user sees it: `streamlit run` on the sample data, in headless Chromium,
in English and Chinese, with the first objective's key results opened."""
import pytest

from tests.browser import ARTIFACTS, DEMO, browser_page, require_chromium, running_app, sign_in, wait_for_streamlit

pytestmark = pytest.mark.browser


def open_okr_page(page, url: str, name: str):
    page.goto(url)
    wait_for_streamlit(page)
    page.locator('[data-testid="stExpander"] summary').first.click()  # the company objective's KRs
    wait_for_streamlit(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path, page.inner_text("body")


def test_okr_page_in_chromium_english_and_chinese():
    require_chromium()
    with running_app(DEMO) as url, browser_page(height=2600) as page:
        sign_in(page, url, "e001")  # the director
        shot, body = open_okr_page(page, url + "/okr?lang=en", "okr_en.png")
        # the sample data ends 2026-10-31, before today: the page opens at that day
        assert "Judged at 2026-10-31: 34% of 2026-Q4 has passed (31 of 92 days)." in body
        assert "By department" in body and "Add a check-in" in body
        assert "KR-2026Q4-00-1 · 新增客户数" in body  # the opened key results
        assert page.locator(".vega-embed").count() >= 5  # roll-up, tree, burn-ups and confidence
        assert shot.stat().st_size > 50_000
        _, body = open_okr_page(page, url + "/okr?lang=zh", "okr_zh.png")
        assert "评估日期 2026-10-31：2026-Q4 已过去 34%（92 天中的 31 天）。" in body
        assert "各部门" in body and "新增进展更新" in body
