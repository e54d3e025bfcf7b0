"""Helpers for AppTest: run a page file (or the whole app, signed in) against a chosen data
folder and language."""
from __future__ import annotations

from pathlib import Path

import bcrypt
import yaml
from streamlit.testing.v1 import AppTest

from lib import ROOT
from lib.access import Viewer

# A page run on its own (no app.py, so no sign-in) sees what this viewer may see.
ADMIN = Viewer("demo", "admin")
VIEWER_KEY = "viewer"  # lib.ui.state.VIEWER_KEY
TEST_COOKIE_KEY = "test-cookie-key-" + "x" * 32  # 48 bytes: long enough, not an example

# username -> (role, employee_id); each password is "pw-" + username. Employee ids are
# those of the sample data and of tests/fixtures/broken_sheet (E001 director, E002 manager).
TEST_USERS = {
    "boss": ("director", "E001"), "mgr": ("manager", "E002"), "mgr4": ("manager", "E004"),
    "worker": ("staff", "E012"), "worker21": ("staff", "E021"), "root": ("admin", None),
    "screen": ("viewer", None),
}


def run_page(monkeypatch, page: str, data: str | None = None, lang: str = "en", session: dict | None = None,
             timeout: float = 60, viewer: Viewer | None = ADMIN) -> AppTest:
    if data is not None:
        monkeypatch.setenv("COCKPIT_DATA", str(data))
    at = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
    at.session_state["lang"] = lang
    if viewer is not None:
        at.session_state[VIEWER_KEY] = viewer
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def write_auth(path: Path, users: dict[str, dict] | None = None, **sections) -> Path:
    """A config/auth.yaml with fast (cost 4) bcrypt hashes; `users` as {name: {role, employee_id, ...}}."""
    if users is None:
        users = {name: {"role": role, **({"employee_id": emp} if emp else {})}
                 for name, (role, emp) in TEST_USERS.items()}
    doc = {**sections, "users": {
        name: {**{k: v for k, v in spec.items() if k != "password"},
               "password": bcrypt.hashpw(spec.get("password", f"pw-{name}").encode(), bcrypt.gensalt(4)).decode()}
        for name, spec in users.items()
    }}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def use_auth(monkeypatch, tmp_path: Path, users: dict[str, dict] | None = None, **sections) -> Path:
    """Point the app at a fresh auth config, a good cookie key and fresh server memory."""
    from lib.ui import auth

    path = write_auth(tmp_path / "auth.yaml", users, **sections)
    monkeypatch.setenv("COCKPIT_AUTH", str(path))
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", TEST_COOKIE_KEY)
    monkeypatch.delenv("COCKPIT_DEMO", raising=False)
    auth.runtime.clear()
    return path


def open_app(monkeypatch, data: str | None = None, lang: str = "en", cookies: dict | None = None,
             timeout: float = 60) -> AppTest:
    """app.py in a new browser session that sends `cookies`; not signed in yet."""
    from lib.ui import auth

    if data is not None:
        monkeypatch.setenv("COCKPIT_DATA", str(data))
    monkeypatch.setattr(auth, "request_cookies", lambda: dict(cookies or {}))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, username: str, password: str | None = None) -> AppTest:
    """Type into the login form and press Sign in."""
    at.text_input[0].input(username)
    at.text_input[1].input(f"pw-{username}" if password is None else password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def signed_in_app(monkeypatch, username: str, data: str | None = None, lang: str = "en") -> AppTest:
    at = sign_in(open_app(monkeypatch, data, lang), username)
    assert is_signed_in(at), texts(at)
    return at


def is_signed_in(at: AppTest) -> bool:
    return any(b.label in ("Sign out", "退出登录") for b in at.button)


def on_login_page(at: AppTest) -> bool:
    return [i.label for i in at.text_input] in (["Username", "Password"], ["用户名", "密码"]) and not is_signed_in(at)


def cookie_given(at: AppTest) -> str:
    """The cookie the browser was told to store at sign-in."""
    kind, token, _expires = at.session_state["_auth_cookie_op"]
    assert kind == "set"
    return token


def texts(at: AppTest) -> str:
    """Everything the page wrote as text, for 'the page says X' assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)
