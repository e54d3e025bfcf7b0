"""Start the real app (streamlit run) and drive it with Debian's Chromium through Playwright.

Skips with a reason when chromium is not installed (a user's machine); .ci/run installs it.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lib import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from screenshot import CHROMIUM_ARGS, chromium_path, wait_for_streamlit  # noqa: E402

ARTIFACTS = ROOT / "artifacts"


def require_chromium() -> str:
    path = chromium_path()
    if not path:
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests need Debian's Chromium")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(env: dict | None = None, timeout: float = 60):
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("the app did not start: " + proc.stdout.read1().decode(errors="replace"))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium():
    """The Chromium browser itself, for tests that need several contexts (cookie jars)."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_page(width: int = 1440, height: int = 1600):
    with chromium() as browser:
        yield browser.new_page(viewport={"width": width, "height": height})


# The app signs nobody in by itself: start it in demo mode and sign in as a demo user of
# config/auth.yaml (password "demo-" + username, see docs/security.md).
DEMO = {"COCKPIT_DEMO": "1"}


def sign_in(page, url: str, username: str, password: str | None = None) -> None:
    """Open the app and sign in through its login form; returns once the app is drawn."""
    from screenshot import sign_in as fill_login_form

    page.goto(url)
    fill_login_form(page, username, f"demo-{username}" if password is None else password)
    # The root URL then switches to the role's first page (a history.pushState in the
    # browser). A page.goto started before that lands can be cancelled by it, leaving the
    # browser on the first page: wait until the app has arrived there.
    page.wait_for_url(lambda address: urlparse(address).path.strip("/") != "", timeout=60000)
    wait_for_streamlit(page)


def screenshot(page, url: str, name: str) -> Path:
    page.goto(url)
    wait_for_streamlit(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
