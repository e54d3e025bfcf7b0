"""The weekly review on the meeting-room screen: the real app on the sample data in headless
Chromium, presentation layout (no sidebar), every slide stepped through with the → key and
photographed in English and Chinese (artifacts/weekly_*.png); and the .html report opened
with the network cut off, fetching nothing."""
import pytest

from lib import ROOT, cli
from tests.browser import ARTIFACTS, DEMO, browser_page, require_chromium, running_app, sign_in, wait_for_streamlit

pytestmark = pytest.mark.browser

SLIDES = {"en": ["Headline KPIs", "What moved and why", "Channels", "OKRs", "Appraisal alerts", "Actions due",
                 "New actions"],
          "zh": ["核心指标", "变化及原因", "渠道", "OKR 进展", "考核提醒", "到期行动", "新增行动"]}
SEEN = {  # a sentence or number each slide must show
    "en": ["¥2.44M", "Revenue fell ¥492,800 (-17%) against 2026-W42", "All channels",
           "2026-Q4 judged at 2026-10-25", "Coaching plans (two months in a row below 60)", "10 days overdue",
           "Note a new action"],
    "zh": ["¥243.7万", "销售额较 2026-W42 下降 ¥492,800 (-17%)", "全部渠道", "2026-Q4 按 2026-10-25 评估",
           "辅导计划（连续两个月低于 60 分）", "逾期 10 天", "记录新行动"],
}


def heading(page) -> str:
    return page.locator(".st-key-weekly_deck h2").first.inner_text()


def step_through(page, url: str, lang: str) -> None:
    page.goto(f"{url}/weekly?present=1&lang={lang}")
    wait_for_streamlit(page)
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()  # the big-screen layout
    for i, (title, seen) in enumerate(zip(SLIDES[lang], SEEN[lang])):
        if i:
            page.keyboard.press("ArrowRight")  # the Next button's shortcut
            page.wait_for_function(f"() => document.querySelector('.st-key-weekly_deck h2')?.innerText"
                                   f".startsWith({title!r})", timeout=60000)
            wait_for_streamlit(page)
        assert heading(page) == f"{title} · 2026-W43"
        assert seen in page.inner_text(".st-key-weekly_deck")
        path = ARTIFACTS / f"weekly_{i + 1}_{lang}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 40_000
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('.st-key-weekly_deck h2')?.innerText"
                           f".startsWith({SLIDES[lang][5]!r})", timeout=60000)


def test_weekly_review_slides_in_chromium_and_the_report_offline(tmp_path):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(DEMO) as url, browser_page(width=1920, height=1080) as page:
        sign_in(page, url + "/weekly?lang=en", "e001")  # the director: appraisal alerts included
        step_through(page, url, "en")
        step_through(page, url, "zh")
        page.goto(f"{url}/weekly?lang=en")  # the normal layout, with the sidebar and the downloads
        wait_for_streamlit(page)
        body = page.inner_text("body")
        assert "Weekly review" in body and "Report (.html)" in body and "Report (.xlsx)" in body
        page.screenshot(path=str(ARTIFACTS / "weekly_page_en.png"), full_page=True)

    report = tmp_path / "review.html"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(report), "--data",
                     str(ROOT / "sample_data" / "csv"), "--appraisal"]) == 0
    with browser_page(width=1200, height=900) as page:
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.context.set_offline(True)
        page.set_content(report.read_text(encoding="utf-8"), wait_until="load")
        assert requests == []  # nothing fetched: styles and charts are in the file
        assert page.locator("svg.chart").count() == 6
        assert all(box["width"] > 300 for box in (c.bounding_box() for c in page.locator("svg.chart").all()))
        assert "Weekly review 2026-W43" in page.inner_text("h1")
        page.screenshot(path=str(ARTIFACTS / "weekly_report_en.png"), full_page=True)
