"""Who may sign in, and the server-side checks behind sign-in (no Streamlit here).

`config/auth.yaml` lists the users: a bcrypt hash of each password (never the password),
a role, and the employee_id that links the user to the `staff` tab (which gives a
manager's department). The Streamlit side (lib/ui/auth.py) draws streamlit-authenticator's
login form and cookie; everything it must not get wrong lives here, where the CLI and the
tests reach it without a browser:

- the cookie key: refused when empty, the library's public example, or under 32 bytes,
  unless demo mode is on (COCKPIT_DEMO=1);
- passwords: checked with bcrypt; one over 72 bytes or holding an emoji can never have
  been set, so it is refused like a wrong one (bcrypt itself would raise) and counted;
- a cool-down per username after repeated failures, the same for real and unknown names;
- server-side sessions: a cookie is accepted only while its session id is known here,
  not revoked (sign-out), not idle past the timeout and not expired;
- cookies are decoded defensively: any bad, tampered, `alg: none` or odd token is None.
"""
from __future__ import annotations

import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt
import jwt
from pydantic import Field, field_validator

from lib.access import ROLES, Viewer
from lib.config import CONFIG_DIR, Strict, _did_you_mean, load_yaml_model
from lib.issues import Issue

MIN_KEY_BYTES = 32
# Keys anyone can read: streamlit-authenticator's default and the one in its README.
PUBLIC_EXAMPLE_KEYS = frozenset({"some_key", "some_signature_key", "random_signature_key"})
BCRYPT_MAX_BYTES = 72
DEMO_ENV = "COCKPIT_DEMO"
KEY_ENV = "COCKPIT_COOKIE_KEY"
AUTH_ENV = "COCKPIT_AUTH"
NEW_KEY_HINT = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


class AuthSetupError(Exception):
    """The app must not start (unsafe cookie key, demo users outside demo mode); says why."""


# ---------------------------------------------------------------------------------------
# config/auth.yaml


class UserConfig(Strict):
    password: str = Field(description="bcrypt hash; make one with python -m lib.cli hash-password")
    role: str = Field("", description="admin, director, manager, staff or viewer; anything else sees nothing")
    employee_id: str | None = Field(None, description="links the user to the staff tab")
    name: str | None = Field(None, description="shown in the sidebar; default: the staff tab's name")
    demo: bool = Field(False, description="a sample-data user whose password is published; demo mode only")

    @field_validator("password")
    @classmethod
    def _bcrypt_hash_only(cls, value: str) -> str:
        if not is_bcrypt_hash(value):
            raise ValueError("is not a bcrypt hash: store only hashes, made with python -m lib.cli hash-password")
        return value


class CookieConfig(Strict):
    name: str = Field("cockpit_auth", pattern=r"^[A-Za-z0-9_]+$")
    expiry_days: float = Field(1, gt=0, le=30, description="how long a browser stays signed in")
    secure: bool = Field(False, description="send the cookie over HTTPS only; set true behind HTTPS")


class SessionConfig(Strict):
    timeout_minutes: float = Field(60, gt=0, description="a session idle this long signs out")
    viewer_timeout_minutes: float = Field(720, gt=0, description="the same for the meeting-room screen (viewer)")


class LoginConfig(Strict):
    max_failures: int = Field(5, ge=1, le=100, description="wrong passwords in a row before the cool-down")
    cooldown_minutes: float = Field(5, gt=0, description="how long a username is then refused")


class AuthConfig(Strict):
    cookie: CookieConfig = CookieConfig()
    session: SessionConfig = SessionConfig()
    login: LoginConfig = LoginConfig()
    users: dict[str, UserConfig] = Field(default_factory=dict)

    def timeout_seconds(self, role: str) -> float:
        minutes = self.session.viewer_timeout_minutes if role == "viewer" else self.session.timeout_minutes
        return minutes * 60


def auth_path() -> Path:
    return Path(os.environ[AUTH_ENV]) if os.environ.get(AUTH_ENV) else CONFIG_DIR / "auth.yaml"


def load_auth(path: Path | None = None) -> AuthConfig:
    """What the app reads: an unknown or empty role is kept (that user sees nothing)."""
    return load_yaml_model(path or auth_path(), AuthConfig, extra_checks=_username_issues)


def check_auth(path: Path | None = None) -> AuthConfig:
    """What `check` reads: also every role must be known, and staff and managers need an employee_id."""
    return load_yaml_model(path or auth_path(), AuthConfig,
                           extra_checks=lambda data, file: _username_issues(data, file) + _role_issues(data, file))


def _users(data) -> dict:
    users = data.get("users") if isinstance(data, dict) else None
    return users if isinstance(users, dict) else {}


def _username_issues(data, file: str) -> list[Issue]:
    """The login form lower-cases what is typed, so a name in capitals could never sign in."""
    return [Issue("error", f"username {name!r} must be lower case letters, digits or . _ @ - (the login form "
                           f"matches names in lower case): write {normalise_username(str(name))!r}",
                  source=file, key=f"users.{name}")
            for name in _users(data)
            if not re.fullmatch(r"[a-z0-9._@-]{1,64}", str(name))]


def _role_issues(data, file: str) -> list[Issue]:
    issues = []
    for name, user in _users(data).items():
        if not isinstance(user, dict):
            continue
        role = user.get("role")
        if role not in ROLES:
            hint = _did_you_mean(str(role or ""), ROLES).removeprefix("; ") or "roles: " + ", ".join(ROLES)
            problem = "role is empty" if not role else f"unknown role {role!r}"
            issues.append(Issue("error", f"{problem}: this user would see nothing", source=file,
                                key=f"users.{name}.role", hint=hint))
        elif role in ("staff", "manager") and not user.get("employee_id"):
            issues.append(Issue("error", f"a {role} needs employee_id (the staff tab says whose rows they see)",
                                source=file, key=f"users.{name}.employee_id"))
    return issues


def normalise_username(name: str) -> str:
    """As streamlit-authenticator does before it looks a name up."""
    return name.lower().strip()


# ---------------------------------------------------------------------------------------
# cookie key and demo mode


def demo_mode(env=None) -> bool:
    return (env if env is not None else os.environ).get(DEMO_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def cookie_key_problem(key: str | None) -> str | None:
    """Why this key must not sign cookies, or None when it is fine."""
    if not key:
        return f"no cookie key is set (the environment variable {KEY_ENV} or cookie_key in .streamlit/secrets.toml)"
    if key.strip() in PUBLIC_EXAMPLE_KEYS:
        return f"the cookie key {key.strip()!r} is streamlit-authenticator's public example key"
    size = len(key.encode("utf-8"))
    if size < MIN_KEY_BYTES:
        return f"the cookie key is {size} bytes long; it needs {MIN_KEY_BYTES} or more"
    return None


def resolve_cookie_key(configured: str | None, demo: bool, demo_key: str) -> str:
    """The key that signs cookies. Outside demo mode a bad key stops the app; in demo mode
    it is replaced by `demo_key` (random per server process, so demo cookies die with it)."""
    problem = cookie_key_problem(configured)
    if problem is None:
        return configured
    if demo:
        return demo_key
    raise AuthSetupError(
        f"The app refuses to start: {problem}. Set {KEY_ENV} (or cookie_key in .streamlit/secrets.toml) "
        f"to {MIN_KEY_BYTES} or more random bytes, for example the output of {NEW_KEY_HINT}. "
        f"To try the app on the sample data instead, start it in demo mode: make run "
        f"(or {DEMO_ENV}=1 streamlit run app.py).")


def refuse_demo_users(config: AuthConfig, demo: bool) -> None:
    published = sorted(name for name, user in config.users.items() if user.demo)
    if published and not demo:
        raise AuthSetupError(
            f"The app refuses to start: config/auth.yaml holds the demo users {', '.join(published)}, whose "
            f"passwords are published in the README. Outside demo mode replace them with your own users "
            f"(hash each password with python -m lib.cli hash-password) or start in demo mode ({DEMO_ENV}=1).")


# ---------------------------------------------------------------------------------------
# passwords


_BCRYPT = re.compile(r"^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$")
# Pictographs, dingbats, flags, variation selector 16, zero-width joiner, keycap, tags.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u20E3\U000E0020-\U000E007F]")


def is_bcrypt_hash(value: str) -> bool:
    return bool(_BCRYPT.match(value or ""))


def password_problem(password: str) -> str | None:
    """Why a password can never be stored (so never matches); None when it can."""
    if not password:
        return "the password is empty"
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return f"the password is over {BCRYPT_MAX_BYTES} bytes (bcrypt reads no further)"
    if _EMOJI.search(password):
        return "the password holds an emoji (its bytes differ between keyboards and systems)"
    return None


def hash_password(password: str, rounds: int = 12) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode()


_dummy_hashes: dict[int, bytes] = {}


def _dummy_hash(cost: int) -> bytes:
    """A hash of a random password with the same cost as real ones: an unknown username
    takes as long to refuse as a wrong password, so timing tells no one a name exists."""
    if cost not in _dummy_hashes:
        _dummy_hashes[cost] = bcrypt.hashpw(secrets.token_bytes(16).hex().encode(), bcrypt.gensalt(cost))
    return _dummy_hashes[cost]


def password_matches(config: AuthConfig, username: str, password: str) -> bool:
    user = config.users.get(username)
    stored = user.password.encode() if user else None
    cost = int(_BCRYPT.match(user.password).group(1)) if user else _typical_cost(config)
    usable = password_problem(password) is None
    if not (stored and usable):  # still spend the time of a real check
        bcrypt.checkpw(b"-", _dummy_hash(cost))
        return False
    return bcrypt.checkpw(password.encode("utf-8"), stored)


def _typical_cost(config: AuthConfig) -> int:
    for user in config.users.values():
        return int(_BCRYPT.match(user.password).group(1))
    return 12


# ---------------------------------------------------------------------------------------
# cool-down after repeated failures


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0
    last: float = 0.0


class Throttle:
    """Failed sign-ins per username (real or not, so both are treated the same).

    After `max_failures` wrong passwords in a row the name is refused for the cool-down,
    whatever is typed; then it gets `max_failures` new tries. Kept in server memory.
    """

    MAX_NAMES = 10_000  # bound the memory a flood of made-up names can take

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._names: dict[str, _Failures] = {}

    def seconds_left(self, username: str) -> float:
        with self._lock:
            entry = self._names.get(username)
            return max(0.0, entry.locked_until - self.clock()) if entry else 0.0

    def failed(self, username: str, max_failures: int, cooldown_seconds: float) -> None:
        now = self.clock()
        with self._lock:
            entry = self._names.setdefault(username, _Failures())
            if entry.locked_until and entry.locked_until <= now:
                entry.count, entry.locked_until = 0, 0.0  # the cool-down is over: fresh tries
            entry.count += 1
            entry.last = now
            if entry.count >= max_failures:
                entry.locked_until = now + cooldown_seconds
            self._prune(now, cooldown_seconds)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._names.pop(username, None)

    def _prune(self, now: float, cooldown_seconds: float) -> None:
        if len(self._names) <= self.MAX_NAMES:
            return
        for name, entry in sorted(self._names.items(), key=lambda kv: kv[1].last):
            if entry.locked_until <= now or len(self._names) > 2 * self.MAX_NAMES:
                del self._names[name]
            if len(self._names) <= self.MAX_NAMES:
                break


@dataclass(frozen=True)
class Attempt:
    ok: bool
    cooldown_seconds: float = 0.0  # > 0: refused without looking at the password


def attempt_sign_in(config: AuthConfig, throttle: Throttle, username: str, password: str) -> Attempt:
    """One press of the sign-in button. The same path for a real and an unknown username."""
    username = normalise_username(username)
    left = throttle.seconds_left(username)
    if left > 0:
        return Attempt(False, left)
    if password_matches(config, username, password):
        throttle.succeeded(username)
        return Attempt(True)
    throttle.failed(username, config.login.max_failures, config.login.cooldown_minutes * 60)
    return Attempt(False, throttle.seconds_left(username))


# ---------------------------------------------------------------------------------------
# server-side sessions


@dataclass
class Session:
    username: str
    expires: float
    last_seen: float
    revoked: bool = False


@dataclass
class Sessions:
    """Every signed-in session by its random id (the cookie's `jti`). A cookie whose id is
    not here, or is revoked, idle past the timeout or expired, signs no one in: signing
    out is remembered on the server, and a restart of the server signs everyone out."""

    clock: object = time.time
    _sessions: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, username: str, lifetime_seconds: float) -> tuple[str, float]:
        now = self.clock()
        jti = secrets.token_urlsafe(24)
        with self._lock:
            self._prune(now)
            self._sessions[jti] = Session(username, now + lifetime_seconds, now)
        return jti, now + lifetime_seconds

    def state(self, jti: str | None, username: str | None, idle_seconds: float) -> str:
        """"ok", "timed_out" (idle or expired) or "unknown" (never issued, revoked, other user)."""
        with self._lock:
            found = self._sessions.get(jti) if isinstance(jti, str) else None
        if found is None or found.revoked or found.username != username:
            return "unknown"
        now = self.clock()
        if now - found.last_seen > idle_seconds or now >= found.expires:
            return "timed_out"
        return "ok"

    def touch(self, jti: str) -> None:
        with self._lock:
            if jti in self._sessions:
                self._sessions[jti].last_seen = self.clock()

    def revoke(self, jti: str | None) -> None:
        with self._lock:
            if jti in self._sessions:
                self._sessions[jti].revoked = True

    def _prune(self, now: float) -> None:
        for jti in [j for j, s in self._sessions.items() if s.expires <= now]:
            del self._sessions[jti]


# ---------------------------------------------------------------------------------------
# the cookie's token (streamlit-authenticator's format: username and exp_date, plus jti)


def encode_token(username: str, jti: str, expires: float, key: str) -> str:
    return jwt.encode({"username": username, "exp_date": expires, "jti": jti}, key, algorithm="HS256")


def decode_token(token: str, key: str, now: float | None = None) -> dict | None:
    """The token's claims, or None for anything not signed by us with HS256 and unexpired.
    Never raises: a tampered or `alg: none` cookie must lead back to the login form."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    username, expires, jti = claims.get("username"), claims.get("exp_date"), claims.get("jti")
    if not isinstance(username, str) or not isinstance(jti, str):
        return None
    if isinstance(expires, bool) or not isinstance(expires, (int, float)):
        return None
    if expires <= (time.time() if now is None else now):
        return None
    return claims


def user_of_cookie(token: str | None, key: str, config: AuthConfig, sessions: Sessions) -> tuple[str, str] | None:
    """(username, session id) when this cookie may sign its holder in; else None."""
    claims = decode_token(token, key) if token else None
    if claims is None or claims["username"] not in config.users:  # a deleted user's cookie
        return None
    username = claims["username"]
    role = config.users[username].role
    if sessions.state(claims["jti"], username, config.timeout_seconds(role)) != "ok":
        return None
    return username, claims["jti"]


# ---------------------------------------------------------------------------------------
# the signed-in user as a Viewer


def viewer_for(config: AuthConfig, username: str, department: str | None) -> Viewer:
    """Read from the config on every page load, so a changed role applies at once."""
    user = config.users[username]
    return Viewer(username, user.role if user.role in ROLES else "", user.employee_id, department)


class UnknownUser(ValueError):
    """--as names no user of config/auth.yaml."""


def viewer_as(config: AuthConfig, name: str, store) -> Viewer:
    """The Viewer of a user named by username or by the employee_id of exactly one user
    (the CLI's --as): the same role, department and rows as that user has in the app."""
    key = normalise_username(name)
    username = key if key in config.users else None
    if username is None:
        matches = [u for u, user in config.users.items() if normalise_username(user.employee_id or "") == key]
        username = matches[0] if len(matches) == 1 else None
    if username is None:
        raise UnknownUser(f"no user {name!r} in config/auth.yaml (give a username, or the employee_id of one user)")
    return viewer_for(config, username, department_of(store, config.users[username].employee_id))


def department_of(store, employee_id: str | None) -> str | None:
    """A person's department from the staff tab (None when unknown: a manager then sees no rows)."""
    if not employee_id or not store.has("staff"):
        return None
    rows = store.read("staff", ["department"], where=lambda s: [s.c.employee_id == employee_id])
    return str(rows["department"].iloc[0]) if len(rows) else None


def staff_name(store, employee_id: str | None) -> str | None:
    if not employee_id or not store.has("staff"):
        return None
    rows = store.read("staff", ["name"], where=lambda s: [s.c.employee_id == employee_id])
    return str(rows["name"].iloc[0]) if len(rows) else None
