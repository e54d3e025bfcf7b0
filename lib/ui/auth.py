"""The sign-in gate: streamlit-authenticator's login form, logout button and cookie, with
the checks of lib.auth plugged into it.

app.py calls `gate(lang)` before it draws anything else (only the login form until someone
signs in), loads the data, then `enter(account, store, lang)`, which builds the Viewer
from config/auth.yaml on every run (a changed role applies on the next page load) and
keeps it in session state for `state.viewer()` and `state.guard()`.

What streamlit-authenticator 0.4.2 does not do by itself, and where it is done here:
- its cookie decoder catches only two jwt errors, so an `alg: none` cookie or one without
  `exp_date` raised a traceback, and a cookie of a deleted user raised LoginError:
  `_ServerSessionCookie.get_cookie` uses lib.auth.user_of_cookie, which never raises;
- its cookie stays valid after logout (it only deletes the browser's copy): every cookie
  names a server-side session (lib.auth.Sessions) that logout revokes;
- it copies roles into session state once, at login: the role is read from the config on
  every run instead, and `st.session_state["roles"]` is never used;
- bcrypt raises on a password over 72 bytes, which it swallowed without counting, and it
  counted no failure for an unknown username: `_CheckedLogin.check_credentials` uses
  lib.auth.attempt_sign_in (cool-down, same path for real and unknown names);
- `logout` is its own session-state key, so the sign-out button's key is "sign_out";
- its default cookie key 'some_key' is public: lib.auth.resolve_cookie_key refuses it.
"""
from __future__ import annotations

import datetime as dt
import logging
import math
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.models import AuthenticationModel, CookieModel
from streamlit_authenticator.utilities import LoginError

from lib import auth
from lib.access import Viewer
from lib.i18n import t
from lib.issues import ConfigError
from lib.ui.state import VIEWER_KEY
from lib.ui.widgets import plain, show_issues

SESSION_KEY = "_auth_session"  # the server-side session id (the cookie's jti)
COOKIE_OP_KEY = "_auth_cookie_op"  # a cookie to set or delete in the browser
NOTICE_KEY = "_auth_notice"  # why the last session ended, shown above the login form
LOG = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Server memory shared by every session: failed sign-ins and signed-in sessions."""
    throttle: auth.Throttle
    sessions: auth.Sessions
    demo_key: str


@st.cache_resource(show_spinner=False)
def runtime() -> Runtime:
    return Runtime(auth.Throttle(), auth.Sessions(), secrets.token_urlsafe(48))


def request_cookies() -> Mapping[str, str]:
    """The cookies the browser sent when this session opened (tests replace this)."""
    return st.context.cookies


@dataclass(frozen=True)
class Setup:
    config: auth.AuthConfig
    key: str
    demo: bool


def _configured_key() -> str | None:
    if os.environ.get(auth.KEY_ENV):
        return os.environ[auth.KEY_ENV]
    try:
        return st.secrets.get("cookie_key")
    except Exception:  # no secrets.toml at all
        return None


def setup_or_stop(lang: str, page_ids=()) -> Setup:
    """The users and the cookie key, or the reason the app refuses to start (and a stop)."""
    demo = auth.demo_mode()
    try:
        config = auth.load_auth()
        key = auth.resolve_cookie_key(_configured_key(), demo, runtime().demo_key)
        auth.refuse_demo_users(config, demo)
    except ConfigError as exc:
        issues = exc.issues

        def config_invalid() -> None:
            st.error(t("app.config_invalid", lang))
            show_issues(issues, lang)

        only_page(config_invalid, t("app.title", lang), page_ids)
    except auth.AuthSetupError as exc:
        LOG.error("%s", exc)
        reason = str(exc)
        only_page(lambda: st.error(reason), t("app.title", lang), page_ids)
    return Setup(config, key, demo)


def only_page(draw, title: str, page_ids=()) -> None:
    """Run `draw` as the app's only page, then stop. Each page's URL (/appraisal) shows it
    too: a link followed before sign-in gets the login form instead of "page not found",
    and the page itself once signed in. Nothing is listed (the navigation is hidden), and
    calling st.navigation keeps Streamlit from listing the files of pages/ by themselves."""
    pages = [st.Page(draw, title=title, url_path="start", default=True)]
    pages += [st.Page(draw, title=title, url_path=page) for page in page_ids]
    st.navigation(pages, position="hidden").run()
    st.stop()


# ---------------------------------------------------------------------------------------
# streamlit-authenticator with our checks


class _CheckedLogin(AuthenticationModel):
    """The library's login logic; the password check is lib.auth.attempt_sign_in."""

    def __init__(self, credentials: dict, setup: Setup, runtime_: Runtime, lang: str):
        super().__init__(credentials, auto_hash=False, secret_key=setup.key)
        self.setup, self.runtime, self.lang = setup, runtime_, lang
        self.attempt: auth.Attempt | None = None  # set when the form was submitted this run

    def check_credentials(self, username: str, password: str) -> bool:
        self.attempt = auth.attempt_sign_in(self.setup.config, self.runtime.throttle, username, password)
        if not self.attempt.ok and self.attempt.cooldown_seconds > 0:
            raise LoginError(t("auth.cooldown", self.lang, minutes=math.ceil(self.attempt.cooldown_seconds / 60)))
        return self.attempt.ok


class _ServerSessionCookie(CookieModel):
    """The library's re-authentication cookie, backed by a server-side session."""

    def __init__(self, library_cookie: CookieModel, setup: Setup, runtime_: Runtime):
        # Not CookieModel.__init__: that would put a second CookieManager on the page.
        self.cookie_manager = library_cookie.cookie_manager
        self.cookie_name = setup.config.cookie.name
        self.cookie_key = setup.key
        self.cookie_expiry_days = setup.config.cookie.expiry_days
        self.token = self.exp_date = None
        self.setup, self.runtime = setup, runtime_
        self.drawn = False

    def get_cookie(self) -> dict | None:
        if st.session_state.get("logout"):  # signed out in this session: no cookie counts
            return None
        token = request_cookies().get(self.cookie_name)
        found = auth.user_of_cookie(token, self.cookie_key, self.setup.config, self.runtime.sessions)
        if found is None:
            return None
        username, session_id = found
        st.session_state[SESSION_KEY] = session_id
        return {"username": username}

    def set_cookie(self) -> None:
        username = st.session_state["username"]
        session_id, expires = self.runtime.sessions.start(username, self.cookie_expiry_days * 86400)
        st.session_state[SESSION_KEY] = session_id
        token = auth.encode_token(username, session_id, expires, self.cookie_key)
        # Drawn by flush() on the next run: this one ends with st.rerun, which would take
        # the component off the page before the browser ran it.
        st.session_state[COOKIE_OP_KEY] = ("set", token, expires)

    def delete_cookie(self) -> None:
        st.session_state[COOKIE_OP_KEY] = ("delete", None, None)

    def flush(self) -> None:
        """Draw the pending cookie change until the browser reports it done (once a run)."""
        op = st.session_state.get(COOKIE_OP_KEY)
        if not op or self.drawn:
            return
        kind, token, expires = op
        browser = self.cookie_manager.cookies if isinstance(self.cookie_manager.cookies, dict) else {}
        if (kind == "set" and browser.get(self.cookie_name) == token) or (
                kind == "delete" and self.cookie_name not in browser):
            del st.session_state[COOKIE_OP_KEY]
            return
        self.drawn = True
        if kind == "set":
            self.cookie_manager.set(self.cookie_name, token, key="auth_cookie_set", same_site="strict",
                                    expires_at=dt.datetime.fromtimestamp(expires),
                                    secure=self.setup.config.cookie.secure or None)
        else:
            try:
                self.cookie_manager.delete(self.cookie_name, key="auth_cookie_delete")
            except KeyError:  # the component's own copy of the cookies did not have it
                pass


def _authenticator(setup: Setup, runtime_: Runtime, lang: str) -> tuple[stauth.Authenticate, _CheckedLogin]:
    """Built on every run from the config as it is now (users added, removed, re-roled)."""
    credentials = {"usernames": {
        name: {"password": user.password, "name": user.name or name, "email": None, "roles": None}
        for name, user in setup.config.users.items()
    }}
    authenticator = stauth.Authenticate(
        credentials, setup.config.cookie.name, setup.key, setup.config.cookie.expiry_days,
        auto_hash=False, login_sleep_time=0,  # cookies come from st.context: nothing to wait for
    )
    login = _CheckedLogin(credentials, setup, runtime_, lang)
    authenticator.authentication_controller.authentication_model = login
    library_cookie = authenticator.cookie_controller.cookie_model
    authenticator.cookie_controller.cookie_model = _ServerSessionCookie(library_cookie, setup, runtime_)
    return authenticator, login


# ---------------------------------------------------------------------------------------
# the gate


@dataclass
class Account:
    """The signed-in user of this run, and what enter() needs to offer sign-out."""
    username: str
    user: auth.UserConfig
    setup: Setup
    authenticator: stauth.Authenticate
    login: _CheckedLogin
    lang: str


def gate(lang: str, page_ids=()) -> Account:
    """Until someone is signed in, the run ends here with the login page as the only page
    (under the app's own URL and each page's, `page_ids`)."""
    setup = setup_or_stop(lang, page_ids)
    rt = runtime()
    with st.sidebar:  # the cookie component is invisible; keep it out of the page
        authenticator, login = _authenticator(setup, rt, lang)
    _end_session_if_invalid(setup, rt, authenticator)
    if not st.session_state.get("authentication_status"):
        authenticator.login(location="unrendered")  # a valid cookie signs in here, drawing nothing
    if not st.session_state.get("authentication_status"):
        def sign_in() -> None:
            _sign_in_page(authenticator, login, setup, lang)
            _flush_cookie(authenticator)

        only_page(sign_in, t("auth.form_title", lang), page_ids)
    _flush_cookie(authenticator)
    username = st.session_state["username"]
    rt.sessions.touch(st.session_state[SESSION_KEY])
    return Account(username, setup.config.users[username], setup, authenticator, login, lang)


def _flush_cookie(authenticator: stauth.Authenticate) -> None:
    with st.sidebar:
        authenticator.cookie_controller.cookie_model.flush()


def _end_session_if_invalid(setup: Setup, rt: Runtime, authenticator: stauth.Authenticate) -> None:
    """A signed-in session whose user was deleted, or whose server session timed out or
    was revoked, goes back to the login form."""
    if not st.session_state.get("authentication_status"):
        return
    username = st.session_state.get("username")
    session_id = st.session_state.get(SESSION_KEY)
    user = setup.config.users.get(username)
    state = rt.sessions.state(session_id, username, setup.config.timeout_seconds(user.role)) if user else "unknown"
    if state == "ok":
        return
    rt.sessions.revoke(session_id)
    authenticator.logout(location="unrendered")
    _forget_session()
    st.session_state[NOTICE_KEY] = "auth.timed_out" if state == "timed_out" else "auth.signed_out"


def _forget_session() -> None:
    for key in (SESSION_KEY, VIEWER_KEY):
        st.session_state.pop(key, None)


def _sign_in_page(authenticator: stauth.Authenticate, login: _CheckedLogin, setup: Setup, lang: str) -> None:
    st.title(t("app.title", lang))
    notice = st.empty()
    fields = {"Form name": t("auth.form_title", lang), "Username": t("auth.username", lang),
              "Password": t("auth.password", lang), "Login": t("auth.sign_in", lang)}
    form, _ = st.columns([3, 2])
    with form:
        try:
            authenticator.login(location="main", fields=fields, key="sign_in")
        except LoginError as exc:  # the cool-down
            st.error(str(exc))
        else:
            if st.session_state.get("authentication_status"):
                st.rerun()  # the app with the pages of this role; the cookie is set on that run
            if login.attempt is not None:
                st.error(t("auth.wrong", lang))
    # Why the last session ended stays on the login page (reruns come from the cookie
    # component too) until the next try to sign in.
    if login.attempt is not None:
        st.session_state.pop(NOTICE_KEY, None)
    elif st.session_state.get(NOTICE_KEY):
        notice.info(t(st.session_state[NOTICE_KEY], lang))
    _demo_users(setup, lang)


def _demo_users(setup: Setup, lang: str) -> None:
    demo = {name: user for name, user in setup.config.users.items() if user.demo}
    if not (setup.demo and demo):
        return
    st.info(t("auth.demo_hint", lang))
    st.dataframe(pd.DataFrame([
        {t("auth.username", lang): name, t("auth.password", lang): f"demo-{name}",
         t("auth.role", lang): role_label(user.role, lang), t("auth.employee_id", lang): user.employee_id or "",
         t("auth.sees", lang): t(f"auth.sees.{user.role if user.role in auth.ROLES else 'none'}", lang)}
        for name, user in demo.items()
    ]), hide_index=True)


def role_label(role: str, lang: str) -> str:
    return t(f"auth.role.{role}", lang) if role in auth.ROLES else t("auth.role.none", lang)


def enter(account: Account, store, lang: str) -> Viewer:
    """The signed-in Viewer (role from the config as it is now, department from the staff
    tab), kept for the pages; the sidebar says who is signed in and offers sign-out."""
    user = account.user
    viewer = auth.viewer_for(account.setup.config, account.username, auth.department_of(store, user.employee_id))
    st.session_state[VIEWER_KEY] = viewer
    name = user.name or auth.staff_name(store, user.employee_id) or account.username
    rt = runtime()
    with st.sidebar:
        st.caption(t("auth.signed_in_as", lang, name=plain(name), role=role_label(viewer.role, lang)))
        account.authenticator.logout(t("auth.sign_out", lang), location="main", key="sign_out",
                                     callback=lambda _info: rt.sessions.revoke(st.session_state.get(SESSION_KEY)))
    if not st.session_state.get("authentication_status"):  # the button was pressed
        _forget_session()
        st.session_state[NOTICE_KEY] = "auth.bye"
        st.rerun()  # the login page; the cookie is deleted on that run
    return viewer
