"""Screenshot pages of a running app in headless Chromium (Debian's, never a downloaded one).

    python scripts/screenshot.py http://localhost:8501/ out.png [--lang zh] [--height 2000]

Waits until Streamlit has finished running the page before it takes the picture.
"""
from __future__ import annotations

import argparse
import shutil
import sys

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def wait_for_streamlit(page, timeout_ms: int = 60000) -> None:
    """Wait until the script run is over: the app has content, no "Running"/"Stop" status,
    no loading skeletons, and every Vega chart has drawn; checked twice to be sure."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    settled = """() => {
        const main = document.querySelector('[data-testid="stMain"]');
        if (!main || main.innerText.trim().length === 0) return false;
        const status = document.querySelector('[data-testid="stStatusWidget"]');
        if (status && /Running|Stop|Connecting/.test(status.innerText)) return false;
        if (document.querySelector('[data-testid="stSkeleton"], .stSkeleton')) return false;
        const charts = [...document.querySelectorAll('.vega-embed')];
        return charts.every(c => c.querySelector('canvas, svg'));
    }"""
    for _ in range(2):
        page.wait_for_function(settled, timeout=timeout_ms)
        page.wait_for_timeout(800)  # let Vega finish drawing and late reruns start
    page.wait_for_function(settled, timeout=timeout_ms)


def shoot(url: str, out: str, width: int = 1440, height: int = 1800) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        wait_for_streamlit(page)
        page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=1800)
    a = ap.parse_args()
    if not chromium_path():
        sys.exit("chromium is not installed (apt-get install chromium)")
    shoot(a.url, a.out, a.width, a.height)
