"""lib/auth.py on its own: cookie key, passwords, cool-down, server-side sessions, tokens,
config/auth.yaml (the Access table of bad-inputs.md, below the browser)."""
import base64
import json
import textwrap
import time

import bcrypt
import jwt
import pandas as pd
import pytest

from lib import ROOT
from lib.access import NOBODY, may_open, restrict
from lib.auth import (AuthConfig, AuthSetupError, Sessions, Throttle, attempt_sign_in, check_auth, cookie_key_problem,
                      decode_token, encode_token, hash_password, load_auth, password_matches, password_problem,
                      refuse_demo_users, resolve_cookie_key, user_of_cookie, viewer_for)
from lib.issues import ConfigError

KEY = "k" * 40


def config(max_failures=3, cooldown_minutes=5, **users) -> AuthConfig:
    users = users or {"anna": ("staff", "E012", "right-password")}
    return AuthConfig.model_validate({
        "login": {"max_failures": max_failures, "cooldown_minutes": cooldown_minutes},
        "users": {name: {"role": role, "employee_id": emp,
                         "password": bcrypt.hashpw(pw.encode(), bcrypt.gensalt(4)).decode()}
                  for name, (role, emp, pw) in users.items()},
    })


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


# ---- the cookie key ------------------------------------------------------------------


@pytest.mark.parametrize("key, problem", [
    (None, "no cookie key is set (the environment variable COCKPIT_COOKIE_KEY or cookie_key in .streamlit/secrets.toml)"),
    ("", "no cookie key is set (the environment variable COCKPIT_COOKIE_KEY or cookie_key in .streamlit/secrets.toml)"),
    ("some_key", "the cookie key 'some_key' is streamlit-authenticator's public example key"),
    ("too-short-key", "the cookie key is 13 bytes long; it needs 32 or more"),
    ("密钥" * 5, "the cookie key is 30 bytes long; it needs 32 or more"),  # bytes, not characters
    ("x" * 32, None),
])
def test_cookie_key_problems(key, problem):
    assert cookie_key_problem(key) == problem


def test_a_bad_key_stops_the_app_outside_demo_mode_and_is_replaced_in_demo_mode():
    with pytest.raises(AuthSetupError) as err:
        resolve_cookie_key("some_key", demo=False, demo_key="random" * 8)
    assert str(err.value) == (
        "The app refuses to start: the cookie key 'some_key' is streamlit-authenticator's public example key. "
        "Set COCKPIT_COOKIE_KEY (or cookie_key in .streamlit/secrets.toml) to 32 or more random bytes, for example "
        "the output of python -c \"import secrets; print(secrets.token_urlsafe(48))\". To try the app on the sample "
        "data instead, start it in demo mode: make run (or COCKPIT_DEMO=1 streamlit run app.py).")
    assert resolve_cookie_key("some_key", demo=True, demo_key="random" * 8) == "random" * 8
    assert resolve_cookie_key("y" * 40, demo=True, demo_key="random" * 8) == "y" * 40  # a good key is kept


def test_demo_users_refuse_to_start_outside_demo_mode():
    committed = load_auth(ROOT / "config" / "auth.yaml")
    refuse_demo_users(committed, demo=True)  # fine in demo mode
    with pytest.raises(AuthSetupError) as err:
        refuse_demo_users(committed, demo=False)
    assert str(err.value).startswith("The app refuses to start: config/auth.yaml holds the demo users "
                                     "admin, e001, e002, e004, e012, e021, meeting, whose passwords are published")


# ---- passwords -----------------------------------------------------------------------


def test_passwords_that_can_never_be_stored():
    assert password_problem("a" * 72) is None
    assert password_problem("密码" * 12) is None  # 72 bytes of Chinese: fine
    assert password_problem("a" * 73) == "the password is over 72 bytes (bcrypt reads no further)"
    assert password_problem("密码" * 12 + "a") == "the password is over 72 bytes (bcrypt reads no further)"
    for emoji in ("pass😀word", "❤️love", "ok👍🏽", "flag🇨🇳"):
        assert password_problem(emoji) == "the password holds an emoji (its bytes differ between keyboards and systems)"
    with pytest.raises(ValueError):
        hash_password("a" * 73)


def test_a_long_password_whose_first_72_bytes_match_is_still_wrong():
    # bcrypt itself ignores bytes after the 72nd; a password over 72 bytes never matches.
    base = "p" * 72
    cfg = config(anna=("staff", "E012", base))
    assert password_matches(cfg, "anna", base)
    assert not password_matches(cfg, "anna", base + "-anything")


def test_the_committed_demo_users_are_the_sample_data_people_with_the_documented_passwords():
    committed = check_auth(ROOT / "config" / "auth.yaml")
    staff = pd.read_csv(ROOT / "sample_data" / "csv" / "staff.csv", encoding="utf-8-sig").set_index("employee_id")
    roles = {name: user.role for name, user in committed.users.items()}
    assert roles == {"e001": "director", "e002": "manager", "e004": "manager", "e012": "staff", "e021": "staff",
                     "admin": "admin", "meeting": "viewer"}
    for name, user in committed.users.items():
        assert user.demo
        assert bcrypt.checkpw(f"demo-{name}".encode(), user.password.encode()), name
        if user.employee_id:
            level = staff.loc[user.employee_id, "level"]
            assert {"director": "director", "manager": "manager", "staff": "specialist"}[user.role] == level


# ---- cool-down -----------------------------------------------------------------------


def test_wrong_passwords_for_a_real_and_an_unknown_name_get_the_same_cool_down():
    cfg = config(max_failures=3, cooldown_minutes=5)
    clock = Clock()
    throttle = Throttle(clock)
    real = [attempt_sign_in(cfg, throttle, "anna", "wrong") for _ in range(4)]
    unknown = [attempt_sign_in(cfg, throttle, "nobody-here", "wrong") for _ in range(4)]
    assert real == unknown
    assert [a.cooldown_seconds for a in real] == [0, 0, 300, 300]
    assert not any(a.ok for a in real)


def test_during_the_cool_down_even_the_right_password_is_refused_then_new_tries_come():
    cfg = config(max_failures=2, cooldown_minutes=5)
    clock = Clock()
    throttle = Throttle(clock)
    attempt_sign_in(cfg, throttle, "anna", "wrong")
    attempt_sign_in(cfg, throttle, "anna", "wrong")
    clock.now += 299
    refused = attempt_sign_in(cfg, throttle, "anna", "right-password")
    assert not refused.ok and refused.cooldown_seconds == 1
    clock.now += 2
    assert attempt_sign_in(cfg, throttle, "ANNA ", "right-password").ok  # as the form normalises names
    assert throttle.seconds_left("anna") == 0


def test_over_long_and_emoji_passwords_count_as_failures():
    cfg = config(max_failures=2)
    throttle = Throttle(Clock())
    attempts = [attempt_sign_in(cfg, throttle, "anna", pw) for pw in ("x" * 80, "pw😀", "right-password")]
    assert [a.ok for a in attempts] == [False, False, False]
    assert [a.cooldown_seconds for a in attempts] == [0, 300, 300]  # two failures: the right one is refused too


def test_a_success_clears_the_count():
    cfg = config(max_failures=3)
    throttle = Throttle(Clock())
    attempt_sign_in(cfg, throttle, "anna", "wrong")
    attempt_sign_in(cfg, throttle, "anna", "wrong")
    assert attempt_sign_in(cfg, throttle, "anna", "right-password").ok
    assert [attempt_sign_in(cfg, throttle, "anna", "wrong").cooldown_seconds for _ in range(3)] == [0, 0, 300]


# ---- server-side sessions ------------------------------------------------------------


def test_sessions_time_out_when_idle_expire_and_stay_revoked():
    clock = Clock()
    sessions = Sessions(clock)
    jti, expires = sessions.start("anna", lifetime_seconds=3600)
    assert expires == 1000 + 3600
    assert sessions.state(jti, "anna", idle_seconds=600) == "ok"
    assert sessions.state(jti, "bert", idle_seconds=600) == "unknown"  # another user's session id
    assert sessions.state("made-up", "anna", idle_seconds=600) == "unknown"
    clock.now += 500
    sessions.touch(jti)
    clock.now += 500  # 1000 s since start, 500 since the last activity
    assert sessions.state(jti, "anna", idle_seconds=600) == "ok"
    clock.now += 601
    assert sessions.state(jti, "anna", idle_seconds=600) == "timed_out"
    jti2, _ = sessions.start("anna", lifetime_seconds=100)
    clock.now += 100
    assert sessions.state(jti2, "anna", idle_seconds=600) == "timed_out"  # expired
    jti3, _ = sessions.start("anna", lifetime_seconds=3600)
    sessions.revoke(jti3)
    sessions.touch(jti3)
    assert sessions.state(jti3, "anna", idle_seconds=600) == "unknown"


# ---- cookie tokens -------------------------------------------------------------------


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def _library_token(username: str, exp_date: float, key: str) -> str:
    """A cookie exactly as streamlit-authenticator 0.4.2 encodes it (no session id)."""
    from streamlit_authenticator.models import CookieModel

    model = CookieModel.__new__(CookieModel)
    model.cookie_key, model.exp_date = key, exp_date
    import streamlit as st
    st.session_state["username"] = username
    return model._token_encode()


def crafted_cookies(good: str, username: str, jti: str) -> dict[str, str]:
    header, payload, signature = good.split(".")
    future = time.time() + 3600
    return {
        "tampered payload": ".".join([header, _b64({"username": username, "exp_date": future * 2, "jti": jti}), signature]),
        "tampered signature": ".".join([header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")]),
        "alg none": jwt.encode({"username": username, "exp_date": future, "jti": jti}, None, algorithm="none"),
        "alg none by hand": ".".join([_b64({"alg": "none", "typ": "JWT"}),
                                      _b64({"username": username, "exp_date": future, "jti": jti}), ""]),
        "other key": encode_token(username, jti, future, "another-key-" + "z" * 30),
        "expired": encode_token(username, jti, time.time() - 1, KEY),
        "exp_date as text": jwt.encode({"username": username, "exp_date": "9999999999", "jti": jti}, KEY, "HS256"),
        "no exp_date": jwt.encode({"username": username, "jti": jti}, KEY, "HS256"),
        "no session id (the library's own format)": _library_token(username, future, KEY),
        "made-up session id": encode_token(username, "made-up", future, KEY),
        "garbage": "not a token at all",
        "empty": "",
        "huge": "a" * 10_000,
    }


def test_every_crafted_cookie_is_refused_and_nothing_raises():
    cfg = config()
    sessions = Sessions()
    jti, expires = sessions.start("anna", 3600)
    good = encode_token("anna", jti, expires, KEY)
    assert user_of_cookie(good, KEY, cfg, sessions) == ("anna", jti)
    for name, token in crafted_cookies(good, "anna", jti).items():
        assert decode_token(token, KEY) is None or name in ("no session id (the library's own format)",
                                                           "made-up session id"), name
        assert user_of_cookie(token, KEY, cfg, sessions) is None, name


def test_a_cookie_of_a_deleted_user_or_after_sign_out_is_refused():
    cfg = config(anna=("staff", "E012", "pw"), bert=("staff", "E013", "pw"))
    sessions = Sessions()
    jti, expires = sessions.start("bert", 3600)
    cookie = encode_token("bert", jti, expires, KEY)
    assert user_of_cookie(cookie, KEY, cfg, sessions) == ("bert", jti)
    without_bert = AuthConfig.model_validate({"users": {"anna": cfg.users["anna"].model_dump()}})
    assert user_of_cookie(cookie, KEY, without_bert, sessions) is None
    sessions.revoke(jti)
    assert user_of_cookie(cookie, KEY, cfg, sessions) is None


# ---- config/auth.yaml ----------------------------------------------------------------


def write(tmp_path, text: str):
    path = tmp_path / "auth.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


HASH = "$2b$04$" + "a" * 53


def test_check_names_unknown_and_empty_roles_and_a_manager_without_employee_id(tmp_path):
    path = write(tmp_path, f"""
        users:
          anna: {{role: manger, employee_id: E002, password: "{HASH}"}}
          bert: {{role: "", password: "{HASH}"}}
          carl: {{role: manager, password: "{HASH}"}}
          dora: {{role: viewer, password: "{HASH}"}}
    """)
    with pytest.raises(ConfigError) as err:
        check_auth(path)
    assert [(i.key, i.message, i.hint) for i in err.value.issues] == [
        ("users.anna.role", "unknown role 'manger': this user would see nothing", "did you mean 'manager'?"),
        ("users.bert.role", "role is empty: this user would see nothing",
         "roles: admin, director, manager, staff, viewer"),
        ("users.carl.employee_id", "a manager needs employee_id (the staff tab says whose rows they see)", None),
    ]
    # The app itself keeps such users and lets them see nothing (deny by default).
    lenient = load_auth(path)
    for name in ("anna", "bert"):
        who = viewer_for(lenient, name, "数字营销部")
        assert who.role == "" and not may_open(who, "home")
        staff = pd.DataFrame({"employee_id": ["E002"], "department": ["数字营销部"]})
        assert restrict(who, staff, staff).empty
    assert not may_open(NOBODY, "home")


def test_passwords_must_be_bcrypt_hashes_and_names_lower_case(tmp_path):
    path = write(tmp_path, """
        users:
          Anna: {role: staff, employee_id: E012, password: hunter2}
    """)
    with pytest.raises(ConfigError) as err:
        load_auth(path)
    assert [(i.key, i.message) for i in err.value.issues] == [
        ("users.Anna", "username 'Anna' must be lower case letters, digits or . _ @ - (the login form matches names "
                  "in lower case): write 'anna'"),
        ("users.Anna.password", "is not a bcrypt hash: store only hashes, made with python -m lib.cli hash-password"),
    ]


def test_check_command_lists_auth_problems(tmp_path, monkeypatch, capsys):
    from lib.cli import main

    monkeypatch.setenv("COCKPIT_AUTH", str(write(tmp_path, f"""
        users:
          anna: {{role: admn, password: "{HASH}"}}
    """)))
    assert main(["check", "--data", str(ROOT / "tests" / "fixtures" / "golden")]) == 1
    out = capsys.readouterr().out
    assert "users.anna.role" in out and "unknown role 'admn': this user would see nothing" in out


def test_hash_password_command_reads_stdin_and_refuses_unstorable_passwords(monkeypatch, capsys):
    import io

    from lib.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["hash-password"]) == 0
    hashed = capsys.readouterr().out.strip()
    assert bcrypt.checkpw(b"correct horse battery", hashed.encode())
    monkeypatch.setattr("sys.stdin", io.StringIO("x" * 73))
    assert main(["hash-password"]) == 2
    assert capsys.readouterr().err == "error: the password is over 72 bytes (bcrypt reads no further); choose another\n"


def test_the_demo_users_in_docs_match_the_config():
    """docs/security.md lists each demo user with its password, role and employee."""
    import re

    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9]+)` \| `([^`]+)` \| (\w+) \| [^|(]*(?:\((E\d+)\))?", doc, flags=re.M)
    committed = load_auth(ROOT / "config" / "auth.yaml")
    assert [(name, pw, role, emp or None) for name, pw, role, emp in rows] == [
        (name, f"demo-{name}", user.role, user.employee_id) for name, user in committed.users.items()]
