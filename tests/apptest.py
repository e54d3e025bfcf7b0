"""Helpers for AppTest: run a page file against a chosen data folder and language."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lib import ROOT


def run_page(monkeypatch, page: str, data: str | None = None, lang: str = "en", session: dict | None = None,
             timeout: float = 60) -> AppTest:
    if data is not None:
        monkeypatch.setenv("COCKPIT_DATA", str(data))
    at = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
    at.session_state["lang"] = lang
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page wrote as text, for 'the page says X' assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)
