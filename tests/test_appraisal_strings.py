"""Every string the appraisal page and its tables use exists in English and Chinese."""
import re

from lib import ROOT
from lib.appraisal.config import RATER_TYPES
from lib.appraisal.flags import FLAGS
from lib.i18n import STRINGS
from lib.strings.appraisal import STRINGS as AREA

SOURCES = [ROOT / "pages" / "appraisal.py", ROOT / "lib" / "ui" / "appraisal.py", ROOT / "lib" / "appraisal" / "views.py"]


def test_every_appraisal_string_has_both_languages():
    assert all(key.startswith("appraisal.") for key in AREA)
    assert [key for key, text in AREA.items() if not (text.get("en") and text.get("zh"))] == []


def test_every_key_the_code_uses_exists():
    literal = re.compile(r"""t\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
    used = {key for path in SOURCES for key in literal.findall(path.read_text(encoding="utf-8"))}
    assert used and sorted(used - set(STRINGS)) == []
    dynamic = [f"appraisal.flag.{f}" for f in FLAGS] + [f"appraisal.rater.{r}" for r in RATER_TYPES] + \
        [f"appraisal.kind.{k}" for k in ("quantitative", "qualitative")] + \
        [f"appraisal.missing.{m}" for m in ("no_kpi_rows", "not_scored", "no_ratings", "no_counted_ratings")] + \
        [f"appraisal.record_{m}" for m in ("success", "failed")] + [f"grain.{g}" for g in ("month", "quarter", "year")]
    assert [key for key in dynamic if key not in STRINGS] == []


def test_every_column_of_the_tables_has_a_label(tmp_path):
    from lib.access import SYSTEM
    from lib.appraisal import appraise, load_appraisal_config
    from lib.appraisal import views
    from lib.config import sources_for_data
    from lib.store import load_store
    from tests.test_appraisal_engine import team_sheet

    cfg = load_appraisal_config()
    store = load_store(sources_for_data(str(team_sheet(tmp_path / "team"))))
    for period in ("2026-07", "2026"):
        app = appraise(store, cfg, period, SYSTEM)
        person = app.result("E01")
        frames = [views.team_table(app, cfg, "en"), views.coaching_list(app), views.s_grade_list(app, cfg),
                  views.department_table(app), views.breakdown(person, cfg, "en"), *views.ratings_table(person, cfg, "en"),
                  views.compliance_items(app, "E03"), views.calibration_table(app, cfg, "en")]
        columns = {c for frame in frames for c in frame.columns}
        assert sorted(c for c in columns if f"appraisal.col.{c}" not in STRINGS) == []
