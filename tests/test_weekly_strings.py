"""Every string of the weekly review exists in English and Chinese, and every one is used."""
import re

from lib import ROOT
from lib.i18n import STRINGS
from lib.strings.weekly import STRINGS as WEEKLY
from lib.weekly.config import SLIDES
from lib.weekly.slides import STAGES

SOURCES = [ROOT / "pages" / "weekly.py", ROOT / "lib" / "ui" / "weekly.py", ROOT / "app.py",
           *sorted((ROOT / "lib" / "weekly").glob("*.py"))]
TEXT = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
PROBLEMS = ("title", "title_long", "owner", "owner_unknown", "due", "due_past", "metric")  # lib.weekly.new_action


def test_every_key_has_both_languages_and_the_area_prefix():
    for key, text in WEEKLY.items():
        assert key.startswith("weekly."), key
        assert text.get("en") and text.get("zh"), key
        assert set(re.findall(r"\{(\w+)\}", text["en"])) == set(re.findall(r"\{(\w+)\}", text["zh"])), key


def test_every_key_the_code_uses_exists():
    used = set(re.findall(r"""t\(\s*["'](weekly\.[a-z0-9_.]+)["']""", TEXT))
    used |= {f"weekly.slide.{s}" for s in SLIDES} | {f"weekly.stage.{s}" for s in STAGES}
    used |= {f"weekly.why.reason.{r}" for r in ("off_target", "unusual", "moved")}
    used |= {f"weekly.form.problem.{p}" for p in PROBLEMS}
    assert len(used) > 60
    assert sorted(used - set(STRINGS)) == []


def test_no_string_is_left_unused():
    """A key is used when the code names it whole, or builds it from its last part
    (weekly.col.{c} for the columns, weekly.form.problem.{key})."""
    unused = [k for k in WEEKLY if k not in TEXT and f'"{k.rsplit(".", 1)[1]}"' not in TEXT]
    assert unused == []
