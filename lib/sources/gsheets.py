"""Google Sheets source: read tabs as unformatted values, append rows as typed.

Built on gspread's own HTTP code (gspread.Client, HTTPClient.values_batch_get and so on),
with our HTTP client subclass in front of it because gspread 6.2.1 has no default
timeout, its BackOffHTTPClient retries almost without end, and its URLs are fixed at
import time (so patching gspread.urls does nothing; we rewrite the URL prefix instead).

Values are asked for with valueRenderOption=UNFORMATTED_VALUE and
dateTimeRenderOption=SERIAL_NUMBER: numbers stay numbers, dates arrive as serial numbers
and text stays text ("007" keeps its zeros), so the sheet's display format never changes
a value. get_all_records is not used: its number guessing turns "007" into 7.
"""
from __future__ import annotations

import email.utils
import functools
import json
import os
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import gspread
import requests
from google.auth.exceptions import RefreshError, TransportError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from lib.sources.base import RawTab, SourceError, WriteOutcomeUnknown, rows_to_rawtab

GOOGLE_API = "https://sheets.googleapis.com"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
ENV_JSON = "GOOGLE_SERVICE_ACCOUNT_JSON"
ENV_PATH = "GOOGLE_APPLICATION_CREDENTIALS"
REQUIRED_KEYS = ("type", "client_email", "private_key", "token_uri")

_HOW_TO_SET = (
    "Put the service account's JSON key in the app's secrets as [gcp_service_account] "
    f"(.streamlit/secrets.toml), or for the CLI in {ENV_JSON} (the JSON text) or "
    f"{ENV_PATH} (the path of the JSON file). The JSON needs the keys "
    + ", ".join(REQUIRED_KEYS) + " (as downloaded from Google Cloud console: "
    "IAM > Service accounts > Keys > Add key > JSON)."
)


@dataclass
class SheetSettings:
    spreadsheet_id: str
    timeout_seconds: float = 20.0  # per request
    max_attempts: int = 4  # total attempts per request (1 = no retry)
    total_seconds: float = 60.0  # overall time limit for one request incl. retries
    backoff_seconds: float = 1.0  # first back-off; doubles each retry, with jitter
    api_base: str = GOOGLE_API


# ---- credentials ---------------------------------------------------------------------


def load_credentials_info(env=os.environ) -> dict | None:
    """The service-account JSON from the environment, or None when none is set."""
    if env.get(ENV_JSON):
        try:
            info = json.loads(env[ENV_JSON])
        except ValueError as exc:
            raise SourceError(f"{ENV_JSON} is not valid JSON ({exc}). {_HOW_TO_SET}") from exc
        return _as_dict(info, ENV_JSON)
    if env.get(ENV_PATH):
        path = Path(env[ENV_PATH]).expanduser()
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SourceError(f"{ENV_PATH} names {path}, which cannot be read ({exc}). {_HOW_TO_SET}") from exc
        except ValueError as exc:
            raise SourceError(f"{path} (from {ENV_PATH}) is not valid JSON ({exc}). {_HOW_TO_SET}") from exc
        return _as_dict(info, str(path))
    return None


def _as_dict(info: object, where: str) -> dict:
    if not isinstance(info, dict):
        raise SourceError(f"{where} holds JSON but not an object. {_HOW_TO_SET}")
    return info


def _build_credentials(info: dict | None):
    from google.oauth2.service_account import Credentials

    if not info:
        raise SourceError(f"No Google service-account credentials are set. {_HOW_TO_SET}")
    info = dict(info)
    missing = [k for k in REQUIRED_KEYS if not info.get(k)]
    if missing:
        raise SourceError(f"The service-account credentials lack {', '.join(missing)}. {_HOW_TO_SET}")
    if info["type"] != "service_account":
        raise SourceError(f"The credentials are of type {info['type']!r}, not 'service_account'. {_HOW_TO_SET}")
    key = str(info["private_key"])
    if "\\n" in key and "\n" not in key:
        # A key pasted into an env var or a one-line secret often keeps "\n" as two characters.
        info["private_key"] = key.replace("\\n", "\n")
    try:
        return Credentials.from_service_account_info(info, scopes=SCOPES)
    except Exception as exc:  # the key text does not parse: say which secret to fix
        raise SourceError(f"The service-account private_key cannot be read ({exc}). {_HOW_TO_SET}") from exc


# ---- HTTP: timeouts and bounded retries ------------------------------------------------


@dataclass
class _Failure:
    """A transient failure of one attempt."""

    what: str  # what happened, as a sentence without the full stop
    retry_after: float | None = None  # seconds the server asked us to wait
    sent: bool = True  # False when the request surely had no effect (safe to repeat a POST)


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client with a timeout on every request and bounded retries.

    Every gspread call (values_batch_get, values_append, ...) goes through request(), so
    this is the one place for the URL rewrite, the timeout and the retry policy.
    """

    def __init__(self, auth, session=None, *, settings: SheetSettings, sleep=time.sleep):
        super().__init__(auth, session)
        self.settings = settings
        self.sleep = sleep
        self.timeout = settings.timeout_seconds

    def request(self, method, endpoint, params=None, data=None, json=None, files=None, headers=None):
        s = self.settings
        url = self._rebase(endpoint)
        # A read can be repeated blindly. A write (values.append, a POST) is repeated only when
        # the failure shows it had no effect (429, 408, no connection made): see append_rows.
        repeatable = method.upper() in ("GET", "HEAD")
        # Time spent = time waiting for answers + time backing off. Counting the back-off
        # as requested (not by the wall clock) keeps the limit exact with an injected sleep.
        spent, attempts = 0.0, 0
        while True:
            attempts += 1
            started = time.monotonic()
            outcome = self._attempt(method, url, min(s.timeout_seconds, s.total_seconds - spent),
                                    params=params, data=data, json=json, files=files, headers=headers)
            spent += time.monotonic() - started
            if not isinstance(outcome, _Failure):
                return outcome
            if outcome.sent and not repeatable:
                raise WriteOutcomeUnknown(
                    f"{outcome.what} during a write, so whether the rows were written "
                    "is unknown. Not retried, so nothing is written twice: check the sheet, then "
                    "submit again if the rows are not there.")
            wait = self._wait(attempts, outcome.retry_after)
            if attempts >= s.max_attempts or spent + wait >= s.total_seconds:
                raise SourceError(self._gave_up(outcome, attempts, spent, wait))
            self.sleep(wait)
            spent += wait

    def _rebase(self, endpoint: str) -> str:
        base = self.settings.api_base.rstrip("/")
        if base != GOOGLE_API and endpoint.startswith(GOOGLE_API):
            return base + endpoint[len(GOOGLE_API):]
        return endpoint

    def _attempt(self, method, url, timeout, **kwargs):
        """One try: the response, a _Failure worth retrying, or an exception that is final."""
        try:
            # max_allowed_time also bounds the token exchange that may run before the request.
            response = self.session.request(method, url, timeout=timeout, max_allowed_time=timeout, **kwargs)
        except RefreshError as exc:
            if getattr(exc, "retryable", False):  # the token endpoint itself had a hiccup
                return _Failure(f"Google's token endpoint failed ({_reason(exc)})", sent=False)
            raise  # the credentials were refused: retrying cannot help
        except TransportError as exc:  # the token endpoint was unreachable; nothing was sent
            return _Failure(f"Google's token endpoint could not be reached ({exc})", sent=False)
        except requests.ConnectTimeout:
            return _Failure(f"Google Sheets could not be connected to within {timeout:.3g} s", sent=False)
        except requests.Timeout:
            return _Failure(f"Google Sheets did not answer within {timeout:.3g} s")
        except requests.ConnectionError as exc:
            # Could have failed before or after the request went out: treated as sent.
            return _Failure(f"the connection to Google Sheets failed ({exc})")
        return self._judge(response)

    def _judge(self, response: requests.Response):
        status = f"Google Sheets answered {response.status_code} {response.reason or ''}".rstrip()
        if response.status_code in (408, 429):  # refused before doing anything: safe to repeat
            return _Failure(status, _retry_after(response), sent=False)
        if response.status_code >= 500:
            return _Failure(status, _retry_after(response))
        if not response.ok:
            raise APIError(response)  # 400/401/403/404...: final, the source explains it
        if not _looks_like_json(response):
            return _Failure(f"{status} with an HTML page instead of JSON (a proxy or gateway error page)")
        return response

    def _wait(self, attempts: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after  # the server knows best when it can take us again
        nominal = self.settings.backoff_seconds * 2 ** (attempts - 1)
        return nominal / 2 + random.uniform(0, nominal / 2)  # jitter so clients do not march in step

    def _gave_up(self, failure: _Failure, attempts: int, spent: float, wait: float) -> str:
        s = self.settings
        text = f"{failure.what}; gave up after {attempts} attempt(s) in {spent:.1f} s"
        if attempts < s.max_attempts:
            asked = "Google asked to wait" if failure.retry_after is not None else "the next try was due in"
            text += f" ({asked} {wait:.1f} s, past the total limit of {s.total_seconds:g} s)"
        return text + ". Try again later."


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _reason(exc: Exception) -> object:
    return exc.args[0] if exc.args else exc  # google-auth packs (message, response data) in args


def _looks_like_json(response: requests.Response) -> bool:
    # A cheap look at the first byte: batchGet answers can be large, and gspread parses them anyway.
    return response.content.lstrip()[:1] in (b"{", b"[")


# ---- the source ------------------------------------------------------------------------


def a1_quote(title: str) -> str:
    """A sheet title as it must appear in an A1 range: 'it''s' for it's."""
    return "'" + title.replace("'", "''") + "'"


class GoogleSheetSource:
    kind = "gsheet"

    def __init__(self, name: str, settings: SheetSettings, credentials_info: dict | None = None,
                 credentials=None, sleep=time.sleep):
        self.name, self.settings = name, settings
        if credentials is None:
            credentials = _build_credentials(credentials_info)
        self.service_account_email: str | None = (
            (credentials_info or {}).get("client_email")
            or getattr(credentials, "service_account_email", None))
        client = gspread.Client(
            credentials, http_client=functools.partial(RetryingHTTPClient, settings=settings, sleep=sleep))
        self._http: RetryingHTTPClient = client.http_client

    def describe(self) -> str:
        return f"Google Sheet {self.settings.spreadsheet_id}"

    def read(self, tabs: list[str]) -> dict[str, RawTab]:
        """The wanted tabs present in the sheet: one metadata request, one batchGet."""
        sheet_id = self.settings.spreadsheet_id
        found = self._titles(tabs)
        if not found:
            return {}
        params = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
                  "majorDimension": "ROWS"}
        ranges = [f"{a1_quote(title)}!A:ZZ" for title in found.values()]
        with self._errors("reading"):
            answer = self._http.values_batch_get(sheet_id, ranges, params=params)
        value_ranges = answer.get("valueRanges", [])
        if len(value_ranges) != len(ranges):
            raise SourceError(f"Google Sheet {sheet_id} answered {len(value_ranges)} ranges for {len(ranges)} asked")
        # valueRanges come back in the order asked, so no need to parse the returned A1 ranges.
        return {
            tab: rows_to_rawtab(tab, vr.get("values", []), f"Google Sheet {sheet_id} / {title}")
            for (tab, title), vr in zip(found.items(), value_ranges)
        }

    def append_rows(self, tab: str, rows: list[list[object]]) -> None:
        """Add rows under the tab's table, stored exactly as given.

        RAW, never USER_ENTERED: a typed "=HYPERLINK(...)" must stay text, not become a formula.
        A POST append is not repeated after a timeout or a 5xx: Sheets has no idempotency key,
        and a repeat could write the rows twice. The caller gets a SourceError and keeps the
        form data (lib.writeback also spots a row that is already there on a second submit).
        """
        title = self._titles([tab]).get(tab)
        if title is None:
            raise SourceError(f"Google Sheet {self.settings.spreadsheet_id} has no tab {tab!r}: "
                              "add it with the column names in row 1, then try again")
        params = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}
        with self._errors("writing to"):
            self._http.values_append(self.settings.spreadsheet_id, f"{a1_quote(title)}!A1", params,
                                     {"values": rows, "majorDimension": "ROWS"})

    def _titles(self, tabs: list[str]) -> dict[str, str]:
        """Wanted tab -> sheet title, matched ignoring case and surrounding spaces."""
        with self._errors("reading"):
            meta = self._http.fetch_sheet_metadata(
                self.settings.spreadsheet_id, params={"fields": "sheets.properties.title"})
        titles = [s.get("properties", {}).get("title", "") for s in meta.get("sheets", [])]
        by_key = {t.strip().lower(): t for t in titles}
        return {tab: by_key[tab.strip().lower()] for tab in tabs if tab.strip().lower() in by_key}

    @contextmanager
    def _errors(self, doing: str):
        """Turn library errors into a SourceError that says what to do."""
        sheet_id = self.settings.spreadsheet_id
        try:
            yield
        except APIError as exc:
            raise SourceError(self._explain(exc, doing)) from exc
        except RefreshError as exc:
            raise SourceError(
                f"Google refused the service-account credentials of {self.service_account_email or '?'} "
                f"({_reason(exc)}). The key may have been deleted or replaced: create a new JSON key. {_HOW_TO_SET}"
            ) from exc
        except requests.JSONDecodeError as exc:
            raise SourceError(f"Google Sheets answered with broken JSON {doing} sheet {sheet_id}: {exc}") from exc
        except SourceError as exc:  # keeps the kind (WriteOutcomeUnknown stays one)
            raise type(exc)(f"{doing.capitalize()} Google Sheet {sheet_id}: {exc}") from exc

    def _explain(self, exc: APIError, doing: str) -> str:
        sheet_id, status = self.settings.spreadsheet_id, exc.response.status_code
        error = exc.error if isinstance(exc.error, dict) else {"message": exc.error}
        said = str(error.get("message", ""))[:300]
        if status == 403:
            who = self.service_account_email or "the service account's e-mail (client_email)"
            return (f"Google refused access {doing} sheet {sheet_id} (403: {said}). Share the sheet "
                    f"with {who} as Viewer (Editor for check-ins).")
        if status == 404:
            return (f"Google Sheet {sheet_id} was not found (404). Check spreadsheet_id in the "
                    "sources config: it is the part of the sheet's URL between /d/ and /edit.")
        if status == 401:
            return f"Google did not accept the access token (401: {said}). {_HOW_TO_SET}"
        return f"Google Sheets refused the request {doing} sheet {sheet_id} ({status}: {said})"
