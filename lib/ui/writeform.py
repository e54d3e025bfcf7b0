"""What the forms that append a row to a tab share (OKR check-ins, new actions from the
weekly review): a token so that a double submit writes once, the write under a spinner
with a failure that says why (the fields keep what was typed), and the messages shown on
the run after the write."""
from __future__ import annotations

import hashlib
import uuid
from typing import Callable

import streamlit as st

from lib.store import Store
from lib.ui import state
from lib.ui.widgets import plain
from lib.writeback import WriteError, WriteResult, append_row


def submission_token(row_text: str, nonce_key: str) -> str:
    """The same row sent twice from one session gives the same token (the nonce lives in
    the session), so lib.writeback writes it once; another session's same row is new."""
    nonce = st.session_state.setdefault(nonce_key, uuid.uuid4().hex)
    return hashlib.sha256(f"{nonce}|{row_text}".encode()).hexdigest()


def append(store: Store, tab: str, row: dict, token: str, saving: str,
           failed: Callable[[str], str]) -> WriteResult | None:
    """Append `row` to `tab` where that tab comes from; None (with the reason on the page)
    when the write failed. The reason may quote the sheet, so it is escaped."""
    holder = state.holder()
    try:
        with st.spinner(saving):
            return append_row(holder.config, tab, row, token, store=store,
                              gsheet_credentials=holder.gsheet_credentials)
    except WriteError as exc:
        st.error(plain(failed(str(exc))), icon="⛔")
        return None


def show_flash(key: str) -> None:
    """The messages a write left for the next run ([(kind, text)], kind an st function)."""
    for kind, text in st.session_state.pop(key, []):
        getattr(st, kind)(plain(text))  # ids, titles and names are sheet text
