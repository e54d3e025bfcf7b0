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


@pytest.fixture(autouse=True)
def apptest_runs_app_py_like_the_server(monkeypatch):
    """AppTest re-detects the pages/ folder on every run and then runs the current page's
    file alone (Streamlit's old multipage mode), skipping app.py and its sign-in gate. The
    real server leaves that mode for good once app.py calls st.navigation; do the same."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
