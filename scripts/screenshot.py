"""Screenshot pages of a running app in headless Chromium (Debian's, never a downloaded one).

    python scripts/screenshot.py http://localhost:8501/ out.png [--height 2000] [--user e001 [--password P]]

Waits until Streamlit has finished running the page before it takes the picture. The app
shows only its login form until someone signs in: --user signs in first (in demo mode the
password of a demo user is "demo-" + the username, the default here), then opens the URL.
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


def sign_in(page, username: str, password: str, timeout_ms: int = 60000, cookie: str = "cockpit_auth") -> None:
    """Fill the app's login form on the current page; wait until the app is drawn and the
    browser holds the sign-in cookie (so a new page load is signed in too)."""
    wait_for_streamlit(page, timeout_ms)
    page.get_by_label("Username").or_(page.get_by_label("用户名")).fill(username)
    page.get_by_label("Password", exact=True).or_(page.get_by_label("密码", exact=True)).fill(password)
    page.get_by_role("button", name="Sign in").or_(page.get_by_role("button", name="登录")).click()
    page.wait_for_selector('[data-testid="stSidebar"] button:has-text("Sign out"), '
                           '[data-testid="stSidebar"] button:has-text("退出登录")', timeout=timeout_ms)
    wait_for_streamlit(page, timeout_ms)
    page.wait_for_function(f"() => document.cookie.includes('{cookie}=')", timeout=timeout_ms)


def shoot(url: str, out: str, width: int = 1440, height: int = 1800, user: str | None = None,
          password: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        if user:
            page.goto(url)
            sign_in(page, user, password or f"demo-{user}")
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
    ap.add_argument("--user", help="sign in as this user first")
    ap.add_argument("--password", help="default: demo- followed by the username (demo mode)")
    a = ap.parse_args()
    if not chromium_path():
        sys.exit("chromium is not installed (apt-get install chromium)")
    shoot(a.url, a.out, a.width, a.height, a.user, a.password)
