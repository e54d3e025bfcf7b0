"""A page whose config file is invalid lists every problem (file, key, hint) and stops: it
never shows numbers computed from a half-read config, and never a traceback."""
import pytest

from lib import ROOT
from lib.issues import ConfigError, Issue
from tests.apptest import run_page

SAMPLE = ROOT / "sample_data" / "csv"
PROBLEM = Issue("error", "unknown metric 'cacc'", source="config/x.yaml", key="tiles.0.metric",
                hint="did you mean 'cac'?")


def _broken(*_args, **_kwargs):
    raise ConfigError([PROBLEM])


@pytest.mark.parametrize("page, module, loader", [
    ("pages/cockpit.py", "lib.ui.cockpit", "_configs"),
    ("pages/channels.py", "lib.ui.channels", "_catalog"),
    ("pages/okr.py", "lib.ui.okr", "load_okr_config"),
    ("pages/customers.py", "lib.ui.customers", "load_customers_config"),
    ("pages/weekly.py", "lib.ui.weekly", "_configs"),
    ("pages/home.py", "lib.ui.state", "get_store"),
])
def test_an_invalid_config_is_listed_and_the_page_stops(monkeypatch, page, module, loader):
    monkeypatch.setattr(f"{module}.{loader}", _broken)
    at = run_page(monkeypatch, page, SAMPLE)
    assert [e.value for e in at.error] == ["The configuration has problems; fix them and reload the page."]
    [issues] = [d.value for d in at.dataframe]
    listed = " ".join(str(v) for v in issues.to_numpy().ravel())
    assert "unknown metric 'cacc'" in listed and "tiles.0.metric" in listed and "did you mean 'cac'?" in listed
    assert not at.metric and not at.get("arrow_vega_lite_chart")  # no numbers under the error
