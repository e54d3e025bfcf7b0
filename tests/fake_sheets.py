"""A small fake of the Google Sheets v4 API and Google's OAuth token endpoint, for tests.

It runs on 127.0.0.1 on an ephemeral port, so the real client code (google-auth's JWT
grant, gspread's HTTP calls, our retry policy) runs unchanged against it. Supported:

  POST /token                                      service-account JWT grant (signature checked)
  GET  /v4/spreadsheets/{id}                       metadata: sheets[].properties.title
  GET  /v4/spreadsheets/{id}/values:batchGet       ranges=... (repeated), valueRenderOption
  POST /v4/spreadsheets/{id}/values/{range}:append valueInputOption, insertDataOption

Tests program faults (a queue answered before normal behaviour) and read back every
request. The service-account key is generated at test time; no key text is in the repo.
"""
from __future__ import annotations

import base64
import functools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_EMAIL = "cockpit-reader@test-project.iam.gserviceaccount.com"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth always signs for Google's token URL, whatever token_uri says; Google does the same check.
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
_STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                 404: "NOT_FOUND", 408: "DEADLINE_EXCEEDED", 429: "RESOURCE_EXHAUSTED",
                 500: "INTERNAL", 502: "BAD_GATEWAY", 503: "UNAVAILABLE"}
PROXY_PAGE = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>proxy error</body></html>"


# ---- keys ------------------------------------------------------------------------------


@functools.cache
def rsa_key(which: str = "good") -> rsa.RSAPrivateKey:
    """An RSA key made once per test run ("good" is the registered one, any other name is not)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_jwt(assertion: str, public_key, audiences: tuple[str, ...]) -> dict | None:
    """The claims of a signed JWT (RS256) for one of `audiences`, or None when it does not verify."""
    try:
        head, payload, signature = assertion.split(".")
        public_key.verify(_b64decode(signature), f"{head}.{payload}".encode(),
                          padding.PKCS1v15(), hashes.SHA256())
        claims = json.loads(_b64decode(payload))
    except (ValueError, InvalidSignature):
        return None
    if claims.get("aud") not in audiences or claims.get("exp", 0) < time.time():
        return None
    return claims


# ---- faults and records ----------------------------------------------------------------


@dataclass
class Fault:
    """One programmed answer. status None = answer normally (after `delay`)."""

    status: int | None = 500
    body: str | dict | None = None  # default: Google's JSON error for the status
    content_type: str = "application/json; charset=UTF-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    kind: str | None = None  # only for this request kind (metadata, batchGet, append)

    @classmethod
    def html(cls, status: int = 200, **kw) -> "Fault":
        """A proxy's error page where JSON was expected."""
        return cls(status, PROXY_PAGE, "text/html; charset=utf-8", **kw)

    @classmethod
    def slow(cls, seconds: float, **kw) -> "Fault":
        """The normal answer, but only after `seconds`."""
        return cls(None, delay=seconds, **kw)


@dataclass
class Recorded:
    kind: str  # token, metadata, batchGet, append or unknown
    method: str
    path: str  # decoded
    query: dict[str, list[str]]
    auth: str | None
    body: bytes
    status: int = 0  # what the fake answered


def _error(status: int, message: str) -> dict:
    return {"error": {"code": status, "message": message, "status": _STATUS_NAMES.get(status, "UNKNOWN")}}


def split_range(a1: str) -> str:
    """The sheet title of an A1 range: 'it''s'!A:ZZ -> it's, Sheet1!A1 -> Sheet1."""
    quoted = re.fullmatch(r"'((?:[^']|'')*)'(?:!.*)?", a1)
    if quoted:
        return quoted.group(1).replace("''", "'")
    return a1.split("!", 1)[0]


def _display(value):
    """FORMATTED_VALUE, roughly: what the cell shows, always text."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return value


def _trimmed(rows: list[list], render: str) -> list[list]:
    """Rows as the API returns them: no trailing empty cells or rows, empty cells as ""."""
    out = []
    for row in rows:
        cells = ["" if v is None else v for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells if render == "UNFORMATTED_VALUE" else [_display(v) for v in cells])
    while out and not out[-1]:
        out.pop()
    return out


# ---- the server ------------------------------------------------------------------------


class FakeSheets:
    """Use as a context manager; `sheets` maps spreadsheet id -> {title: rows}."""

    def __init__(self):
        self.sheets: dict[str, dict[str, list[list]]] = {}
        self.faults: list[Fault | int] = []
        self.requests: list[Recorded] = []
        self.tokens: set[str] = set()
        self.public_key = rsa_key("good").public_key()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    # -- lifecycle
    def __enter__(self) -> "FakeSheets":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()  # releases slow answers still waiting
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_uri(self) -> str:
        return self.base_url + "/token"

    def service_account_info(self, key: rsa.RSAPrivateKey | None = None) -> dict:
        """A service-account JSON whose token_uri is this fake (key: default the registered one)."""
        return {
            "type": "service_account", "project_id": "test-project", "private_key_id": "k1",
            "private_key": key_pem(key or rsa_key("good")), "client_email": CLIENT_EMAIL,
            "client_id": "1", "token_uri": self.token_uri,
        }

    # -- what tests read back
    def api_requests(self, kind: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if r.kind != "token" and (kind is None or r.kind == kind)]

    def kinds(self) -> list[str]:
        return [r.kind for r in self.requests]

    # -- used by the handler
    def take_fault(self, kind: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self.faults):
                fault = Fault(fault) if isinstance(fault, int) else fault
                if fault.kind in (None, kind):
                    del self.faults[i]
                    return fault
        return None

    def pause(self, seconds: float) -> None:
        self._stop.wait(seconds)  # ends early when the server stops

    def record(self, rec: Recorded) -> None:
        with self._lock:
            self.requests.append(rec)


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout) before a slow answer was sent

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    # -- routing
    def _dispatch(self, method: str) -> None:
        fake: FakeSheets = self.server.fake
        url = urlsplit(self.path)
        segments = [unquote(s) for s in url.path.split("/")]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        rec = Recorded(_kind(method, segments), method, "/".join(segments), parse_qs(url.query),
                       self.headers.get("Authorization"), body)
        fake.record(rec)
        if rec.kind == "token":
            return self._token(rec)
        fault = fake.take_fault(rec.kind)
        if fault is not None:
            fake.pause(fault.delay)
            if fault.status is not None:
                body = fault.body if fault.body is not None else _error(fault.status, f"fault {fault.status}")
                return self._send(rec, fault.status, body, fault.content_type, fault.headers)
        if (rec.auth or "").removeprefix("Bearer ") not in fake.tokens:
            return self._send(rec, 401, _error(401, "Request had invalid authentication credentials."))
        if rec.kind == "unknown" or segments[3] not in fake.sheets:
            return self._send(rec, 404, _error(404, "Requested entity was not found."))
        book = fake.sheets[segments[3]]
        handler = {"metadata": self._metadata, "batchGet": self._batch_get, "append": self._append}[rec.kind]
        status, answer = handler(rec, segments, book)
        self._send(rec, status, answer)

    def _token(self, rec: Recorded) -> None:
        fake: FakeSheets = self.server.fake
        form = parse_qs(rec.body.decode())
        claims = None
        if form.get("grant_type") == [JWT_GRANT]:
            claims = verify_jwt(form.get("assertion", [""])[0], fake.public_key,
                                (GOOGLE_TOKEN_URL, fake.token_uri))
        if claims is None or claims.get("iss") != CLIENT_EMAIL:
            return self._send(rec, 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        token = "ya29.fake-" + secrets.token_urlsafe(12)
        fake.tokens.add(token)
        self._send(rec, 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})

    def _metadata(self, rec, segments, book):
        return 200, {"sheets": [{"properties": {"title": title}} for title in book]}

    def _batch_get(self, rec, segments, book):
        render = rec.query.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
        value_ranges = []
        for a1 in rec.query.get("ranges", []):
            title = split_range(a1)
            if title not in book:
                return 400, _error(400, f"Unable to parse range: {a1}")
            rows = _trimmed(book[title], render)
            vr = {"range": f"'{title}'!A1:ZZ{max(len(rows), 1)}", "majorDimension": "ROWS"}
            if rows:  # like Google: no "values" key for an empty range
                vr["values"] = rows
            value_ranges.append(vr)
        return 200, {"spreadsheetId": segments[3], "valueRanges": value_ranges}

    def _append(self, rec, segments, book):
        a1 = segments[5].removesuffix(":append")
        title = split_range(a1)
        if "valueInputOption" not in rec.query:
            return 400, _error(400, "'valueInputOption' is required but not specified")
        if title not in book:
            return 400, _error(400, f"Unable to parse range: {a1}")
        rows = json.loads(rec.body or b"{}").get("values", [])
        book[title].extend(rows)
        return 200, {"spreadsheetId": segments[3], "tableRange": a1,
                     "updates": {"updatedRange": a1, "updatedRows": len(rows)}}

    def _send(self, rec: Recorded, status: int, body, content_type="application/json; charset=UTF-8",
              headers: dict | None = None) -> None:
        rec.status = status
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _kind(method: str, segments: list[str]) -> str:
    """segments of /v4/spreadsheets/{id}[/values:batchGet | /values/{range}:append]."""
    if method == "POST" and segments == ["", "token"]:
        return "token"
    if segments[1:3] != ["v4", "spreadsheets"] or len(segments) < 4:
        return "unknown"
    if len(segments) == 4 and method == "GET":
        return "metadata"
    if segments[4:] == ["values:batchGet"] and method == "GET":
        return "batchGet"
    if len(segments) == 6 and segments[4] == "values" and segments[5].endswith(":append") and method == "POST":
        return "append"
    return "unknown"
