"""Shared fixtures."""
import pytest

from tests.fake_sheets import FakeSheets


@pytest.fixture
def fake_sheets(monkeypatch):
    """A fake Google Sheets API + token endpoint on 127.0.0.1 (see tests/fake_sheets.py)."""
    for name in ("NO_PROXY", "no_proxy"):  # a proxy from the environment must not catch 127.0.0.1
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    with FakeSheets() as fake:
        yield fake
