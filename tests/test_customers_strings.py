"""Every string of the Customer value page exists in English and Chinese."""
import re

from lib import ROOT
from lib.customers.abtest import VERDICTS
from lib.customers.break_even import STATUSES
from lib.i18n import STRINGS
from lib.strings.customers import STRINGS as CUSTOMER_STRINGS

SOURCES = [ROOT / "pages" / "customers.py", ROOT / "lib" / "ui" / "customers.py"]


def test_every_key_has_both_languages_and_the_area_prefix():
    for key, text in CUSTOMER_STRINGS.items():
        assert key.startswith("customers."), key
        assert text.get("en") and text.get("zh"), key
        assert set(re.findall(r"\{(\w+)\}", text["en"])) == set(re.findall(r"\{(\w+)\}", text["zh"])), key


def test_every_key_the_page_uses_exists():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"""t\(\s*["'](customers\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    # keys built at run time
    used |= {f"customers.tab_{n}" for n in ("retention", "ltv", "rfm", "abtest", "break_even")}
    used |= {f"customers.verdict.{v}" for v in VERDICTS} | {f"customers.status.{s}" for s in STATUSES}
    used |= {"customers.kind.campaign", "customers.kind.channel"}
    assert len(used) > 60
    assert sorted(used - set(STRINGS)) == []
