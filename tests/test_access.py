"""The Access table of bad-inputs.md, through the app itself (AppTest of app.py and pages).

Every test signs in through the real login form (streamlit-authenticator's, with our
checks); cookies are handed to a new session the way a browser sends them (st.context.cookies).
"""
import time

import pytest
import yaml

from lib import ROOT
from lib.access import PAGES_BY_ROLE, Viewer
from lib.ui import auth as ui_auth
from lib.ui.widgets import plain
from tests.apptest import (TEST_COOKIE_KEY, TEST_USERS, cookie_given, is_signed_in, on_login_page, open_app,
                           run_page, sign_in, signed_in_app, texts, use_auth)
from tests.test_auth import crafted_cookies

DATA = ROOT / "tests" / "fixtures" / "broken_sheet"  # staff E001 (director) and E002 (manager)
# Every page file is a page of the app (app.py PAGES), its id the file name.
APP_PAGES = {path.stem: f"pages/{path.name}" for path in sorted((ROOT / "pages").glob("*.py"))}
TITLES = {"home": "Marketing Cockpit", "data_quality": "Data quality"}
WRONG = "Username or password is incorrect."


@pytest.fixture
def users(monkeypatch, tmp_path):
    return use_auth(monkeypatch, tmp_path)


def listed_pages(at) -> set[str]:
    """The pages the navigation offers: AppTest can switch only to those. (The next run
    goes to the last page listed.)"""
    listed = set()
    for page, path in APP_PAGES.items():
        try:
            at.switch_page(path)
        except ValueError:  # "Could not find a navigation page"
            continue
        listed.add(page)
    return listed


def pages_of(role: str) -> set[str]:
    return {page for page in APP_PAGES if page in PAGES_BY_ROLE[role]}


# ---- any page before sign-in: only the login form ---------------------------------------


def test_before_sign_in_only_the_login_form(monkeypatch, users):
    at = open_app(monkeypatch, DATA)
    assert on_login_page(at)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.dataframe  # nothing of the data
    assert texts(at) == "Marketing Cockpit\nSign in"
    assert listed_pages(at) == set()  # no page of the app is in the navigation


@pytest.mark.parametrize("page", ["home", "data_quality"])  # the lead adds each page's guard when merging
def test_a_page_run_without_sign_in_refuses_to_render(monkeypatch, page):
    at = run_page(monkeypatch, APP_PAGES[page], DATA, viewer=None)
    assert [e.value for e in at.error] == ["Sign in first: open the app's start page."]
    assert not at.metric and not at.dataframe and not at.title


# ---- each role sees exactly the pages it may --------------------------------------------


@pytest.mark.parametrize("username", sorted(TEST_USERS))
def test_each_role_sees_exactly_its_pages(monkeypatch, users, username):
    role = TEST_USERS[username][0]
    at = signed_in_app(monkeypatch, username, DATA)
    expected = pages_of(role)
    assert listed_pages(at) == expected
    for page in expected:
        at.switch_page(APP_PAGES[page]).run()
        assert not at.exception and not at.error  # drawn, not refused
        if page in TITLES:
            assert at.title[0].value == TITLES[page]
    if not expected:
        assert [w.value for w in at.warning] == ["None of this app's pages is open to your role."]


@pytest.mark.parametrize("role, page", [("staff", "data_quality"), ("viewer", "home"), ("viewer", "data_quality")])
def test_a_page_refuses_a_role_that_may_not_open_it(monkeypatch, role, page):
    at = run_page(monkeypatch, APP_PAGES[page], DATA, viewer=Viewer("someone", role, "E012"))
    assert [e.value for e in at.error] == ["Your role may not open this page. Pick a page from the menu."]
    assert not at.metric and not at.dataframe


def test_the_sidebar_names_the_user_and_role_in_both_languages(monkeypatch, users):
    at = signed_in_app(monkeypatch, "mgr", DATA)
    assert "Signed in as 李四 · Manager" in [c.value for c in at.caption]
    at = signed_in_app(monkeypatch, "mgr", DATA, lang="zh")
    assert "当前用户：李四 · 经理" in [c.value for c in at.caption]
    assert [b.label for b in at.button][0] == "退出登录"


# ---- cookies ------------------------------------------------------------------------------


def test_the_sign_in_cookie_signs_a_new_session_in(monkeypatch, users):
    token = cookie_given(signed_in_app(monkeypatch, "boss", DATA))
    at = open_app(monkeypatch, DATA, cookies={"cockpit_auth": token})
    assert is_signed_in(at) and at.title[0].value == "Marketing cockpit"  # the landing page


def test_tampered_expired_alg_none_and_other_crafted_cookies_go_back_to_login(monkeypatch, users):
    good = cookie_given(signed_in_app(monkeypatch, "boss", DATA))
    claims = ui_auth.auth.decode_token(good, TEST_COOKIE_KEY)
    for name, token in crafted_cookies(good, "boss", claims["jti"]).items():
        at = open_app(monkeypatch, DATA, cookies={"cockpit_auth": token})  # asserts no exception
        assert on_login_page(at), name
        assert not at.error, name


def test_a_cookie_of_a_deleted_user_goes_back_to_login(monkeypatch, users):
    token = cookie_given(signed_in_app(monkeypatch, "worker", DATA))
    config = yaml.safe_load(users.read_text(encoding="utf-8"))
    del config["users"]["worker"]
    users.write_text(yaml.safe_dump(config), encoding="utf-8")
    at = open_app(monkeypatch, DATA, cookies={"cockpit_auth": token})
    assert on_login_page(at) and not at.error


def test_a_deleted_user_who_is_signed_in_is_signed_out_on_the_next_page_load(monkeypatch, users):
    at = signed_in_app(monkeypatch, "worker", DATA)
    config = yaml.safe_load(users.read_text(encoding="utf-8"))
    del config["users"]["worker"]
    users.write_text(yaml.safe_dump(config), encoding="utf-8")
    at.run()
    assert on_login_page(at)
    assert [i.value for i in at.info] == ["Your session has ended. Sign in again."]


def test_a_cookie_copied_before_sign_out_is_rejected_after_it(monkeypatch, users):
    first = signed_in_app(monkeypatch, "boss", DATA)
    copied = cookie_given(first)
    assert is_signed_in(open_app(monkeypatch, DATA, cookies={"cockpit_auth": copied}))  # works before
    first.button(key="sign_out").click().run()
    assert on_login_page(first) and [i.value for i in first.info] == ["You have signed out."]
    first.run()  # the notice stays until the next try to sign in
    assert [i.value for i in first.info] == ["You have signed out."]
    sign_in(first, "boss", "wrong")
    assert not first.info
    again = open_app(monkeypatch, DATA, cookies={"cockpit_auth": copied})
    assert on_login_page(again) and not again.error


def test_a_session_idle_past_the_timeout_signs_out(monkeypatch, tmp_path):
    use_auth(monkeypatch, tmp_path, session={"timeout_minutes": 30, "viewer_timeout_minutes": 600})
    clock = [time.time()]
    ui_auth.runtime().sessions.clock = lambda: clock[0]
    staff = signed_in_app(monkeypatch, "worker", DATA)
    screen = signed_in_app(monkeypatch, "screen", DATA)
    cookie = cookie_given(staff)
    clock[0] += 29 * 60
    staff.run()
    assert is_signed_in(staff)  # activity: the idle time starts again
    clock[0] += 31 * 60
    staff.run()
    screen.run()
    assert on_login_page(staff)
    assert [i.value for i in staff.info] == ["You were signed out after a period without activity. Sign in again."]
    assert is_signed_in(screen)  # the meeting-room screen may stay idle longer
    assert on_login_page(open_app(monkeypatch, DATA, cookies={"cockpit_auth": cookie}))


# ---- passwords and the cool-down ------------------------------------------------------------


def test_wrong_passwords_for_a_real_and_an_unknown_name_get_the_same_messages(monkeypatch, tmp_path):
    use_auth(monkeypatch, tmp_path, login={"max_failures": 3, "cooldown_minutes": 5})
    messages = {}
    for username in ("worker", "no-such-user"):
        at = open_app(monkeypatch, DATA)
        seen = []
        for _ in range(4):
            sign_in(at, username, "wrong-password")
            seen.append([e.value for e in at.error])
        messages[username] = seen
    cooldown = ["Too many failed sign-ins for this username. Try again in 5 minute(s)."]
    assert messages["worker"] == messages["no-such-user"] == [[WRONG], [WRONG], cooldown, cooldown]
    at = sign_in(open_app(monkeypatch, DATA), "worker")  # the right password, during the cool-down
    assert on_login_page(at) and [e.value for e in at.error] == cooldown


@pytest.mark.parametrize("password", ["x" * 73, "密码" * 36, "pass😀word", "pw-worker" + "!" * 64])
def test_an_over_long_or_emoji_password_is_refused_like_a_wrong_one_and_counted(monkeypatch, tmp_path, password):
    use_auth(monkeypatch, tmp_path, login={"max_failures": 2, "cooldown_minutes": 5})
    at = sign_in(open_app(monkeypatch, DATA), "worker", password)
    assert on_login_page(at) and [e.value for e in at.error] == [WRONG]
    sign_in(at, "worker", password)
    sign_in(at, "worker")  # right password: refused, the two tries above counted
    assert [e.value for e in at.error] == ["Too many failed sign-ins for this username. Try again in 5 minute(s)."]


def test_the_chinese_login_form(monkeypatch, users):
    at = open_app(monkeypatch, DATA, lang="zh")
    assert [i.label for i in at.text_input] == ["用户名", "密码"] and at.button[0].label == "登录"
    sign_in(at, "worker", "wrong")
    assert [e.value for e in at.error] == ["用户名或密码错误。"]


# ---- roles from the config -----------------------------------------------------------------


def test_a_changed_role_applies_on_the_next_page_load(monkeypatch, users):
    at = signed_in_app(monkeypatch, "mgr", DATA)
    assert listed_pages(at) == pages_of("manager")
    at.switch_page("pages/data_quality.py").run()
    assert at.title[0].value == "Data quality"
    config = yaml.safe_load(users.read_text(encoding="utf-8"))
    config["users"]["mgr"]["role"] = "staff"
    users.write_text(yaml.safe_dump(config), encoding="utf-8")
    at.run()
    assert at.title[0].value == "Marketing cockpit"  # no longer on Data quality: back to the landing page
    assert listed_pages(at) == pages_of("staff") and "data_quality" not in pages_of("staff")
    assert "Signed in as 李四 · Staff" in [c.value for c in at.caption]
    assert at.session_state["viewer"] == Viewer("mgr", "staff", "E002", "数字营销部")


@pytest.mark.parametrize("role", ["", "auditor", "Admin"])
def test_an_unknown_or_empty_role_sees_nothing(monkeypatch, tmp_path, role):
    use_auth(monkeypatch, tmp_path, users={"odd": {"role": role, "employee_id": "E001"}})
    at = signed_in_app(monkeypatch, "odd", DATA)
    assert listed_pages(at) == set()
    assert [w.value for w in at.warning] == [
        "Your account has no role that may open a page. Ask an administrator to set your role "
        "(admin, director, manager, staff or viewer) in config/auth.yaml."]
    assert not at.metric and not at.dataframe
    assert at.session_state["viewer"].role == ""


# ---- the app refuses to start with an unsafe cookie key ----------------------------------


@pytest.mark.parametrize("key, problem", [
    ("", "no cookie key is set (the environment variable COCKPIT_COOKIE_KEY or cookie_key in "
         ".streamlit/secrets.toml)"),
    ("some_key", "the cookie key 'some_key' is streamlit-authenticator's public example key"),
    ("0123456789abcdef0123456789abcde", "the cookie key is 31 bytes long; it needs 32 or more"),
])
def test_an_unsafe_cookie_key_refuses_to_start_and_says_why(monkeypatch, users, key, problem):
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", key)
    at = open_app(monkeypatch, DATA)
    assert [e.value for e in at.error] == [
        f"The app refuses to start: {problem}. Set COCKPIT_COOKIE_KEY (or cookie_key in .streamlit/secrets.toml) "
        "to 32 or more random bytes, for example the output of python -c \"import secrets; "
        "print(secrets.token_urlsafe(48))\". To try the app on the sample data instead, start it in demo mode: "
        "make run (or COCKPIT_DEMO=1 streamlit run app.py)."]
    assert not at.text_input and not at.button and not at.title  # not even the login form


def test_the_cookie_key_from_streamlit_secrets(monkeypatch, users):
    monkeypatch.delenv("COCKPIT_COOKIE_KEY")
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COCKPIT_DATA", str(DATA))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["cookie_key"] = "s" * 40
    at.run()
    assert on_login_page(at)
    at.secrets["cookie_key"] = "some_key"
    at.run()
    assert at.error[0].value.startswith("The app refuses to start: the cookie key 'some_key' is")


def test_demo_users_refuse_to_start_outside_demo_mode_and_sign_in_in_demo_mode(monkeypatch):
    monkeypatch.delenv("COCKPIT_AUTH", raising=False)  # the committed config/auth.yaml
    monkeypatch.setenv("COCKPIT_COOKIE_KEY", TEST_COOKIE_KEY)
    monkeypatch.delenv("COCKPIT_DEMO", raising=False)
    ui_auth.runtime.clear()
    at = open_app(monkeypatch, DATA)
    assert at.error[0].value.startswith("The app refuses to start: config/auth.yaml holds the demo users admin, "
                                        "e001, e002, e004, e012, e021, meeting")
    monkeypatch.setenv("COCKPIT_DEMO", "1")
    monkeypatch.delenv("COCKPIT_COOKIE_KEY")  # demo mode needs no key: a random one per process
    at = open_app(monkeypatch, DATA)
    assert at.info[0].value.startswith("Demo mode: sign in as one of the sample data's users below.")
    demo_users = at.dataframe[0].value
    assert list(demo_users["Username"]) == ["e001", "e002", "e004", "e012", "e021", "admin", "meeting"]
    sees = dict(zip(demo_users["Username"], demo_users["Sees"]))  # which account to try for what
    assert sees["e012"] == "the dashboards; only their own appraisal"
    assert sees["e002"] == "every page; appraisals of their own department"
    assert sees["meeting"] == "cockpit, channels, OKRs, weekly review; no personal data"
    sign_in(at, "E001", "demo-e001")  # the form matches names in lower case
    assert is_signed_in(at)
    assert f"Signed in as {plain('<script>alert(1)</script>')} · Director" in [c.value for c in at.caption]
