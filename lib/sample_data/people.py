"""The people tabs: staff, monthly KPI actuals, ratings, compliance and calibrations.

The story: 朱晓峰 (E014) earns an S in 2026-Q3; 郭鹏 (E016) would too, but an advertising
law violation in August vetoes it; 郑凯 (E021) slides below 60 from August 2026 (a coaching
streak); 何雪 (E018)'s innovation ratings for 2026-Q3 differ by 25 points (calibration
queue); 孙浩 (E012)'s 2026-Q2 teamwork gap was settled by the committee; 曹璐 (E030) joined
in June 2026 (too few months to rank); 邓超 (E029) left at the end of March 2026.
"""
from __future__ import annotations

import datetime as dt
import numpy as np
import pandas as pd

from lib.sample_data import world

# employee_id, name, department, title, level, manager_id, hire_date, active, skill
STAFF = (
    ("E001", "王建国", world.CENTRE, "营销总监", "director", None, "2019-03-01", True, 0.86),
    ("E002", "李静", "数字营销部", "数字营销经理", "manager", "E001", "2020-06-15", True, 0.84),
    ("E003", "张伟", "内容运营部", "内容运营经理", "manager", "E001", "2021-02-01", True, 0.83),
    ("E004", "刘洋", "活动策划部", "活动策划经理", "manager", "E001", "2020-09-01", True, 0.80),
    ("E005", "陈晨", "客户增长部", "客户增长经理", "manager", "E001", "2021-07-12", True, 0.85),
    ("E006", "杨帆", "品牌公关部", "品牌公关经理", "manager", "E001", "2022-03-01", True, 0.81),
    ("E007", "赵磊", "数字营销部", "SEM 主管", "supervisor", "E002", "2021-04-06", True, 0.82),
    ("E008", "黄丽", "内容运营部", "短视频主管", "supervisor", "E003", "2022-05-09", True, 0.84),
    ("E009", "周杰", "活动策划部", "会展主管", "supervisor", "E004", "2021-11-01", True, 0.78),
    ("E010", "吴敏", "客户增长部", "私域运营主管", "supervisor", "E005", "2022-08-15", True, 0.83),
    ("E011", "徐婷", "品牌公关部", "直播主管", "supervisor", "E006", "2023-01-09", True, 0.80),
    ("E012", "孙浩", "数字营销部", "SEM 专员", "specialist", "E007", "2023-03-20", True, 0.79),
    ("E013", "马丽娜", "数字营销部", "信息流优化师", "specialist", "E007", "2023-07-03", True, 0.81),
    ("E014", "朱晓峰", "数字营销部", "数据分析专员", "specialist", "E007", "2022-10-10", True, 0.97),
    ("E015", "胡静", "数字营销部", "投放专员", "specialist", "E007", "2024-02-26", True, 0.76),
    ("E016", "郭鹏", "内容运营部", "抖音运营", "specialist", "E008", "2022-06-06", True, 0.96),
    ("E017", "林悦", "内容运营部", "小红书运营", "specialist", "E008", "2023-09-11", True, 0.84),
    ("E018", "何雪", "内容运营部", "B站内容策划", "specialist", "E008", "2024-01-15", True, 0.80),
    ("E019", "高翔", "内容运营部", "内容编辑", "specialist", "E008", "2023-05-22", True, 0.77),
    ("E020", "罗敏", "活动策划部", "活动执行", "specialist", "E009", "2023-04-17", True, 0.79),
    ("E021", "郑凯", "活动策划部", "展会专员", "specialist", "E009", "2023-08-01", True, 0.74),
    ("E022", "梁爽", "活动策划部", "沙龙运营", "specialist", "E009", "2024-03-04", True, 0.82),
    ("E023", "谢娜", "客户增长部", "EDM 专员", "specialist", "E010", "2023-02-13", True, 0.80),
    ("E024", "宋佳", "客户增长部", "社群运营", "specialist", "E010", "2023-10-09", True, 0.86),
    ("E025", "唐亮", "客户增长部", "推荐计划专员", "specialist", "E010", "2024-05-06", True, 0.78),
    ("E026", "许文", "客户增长部", "客户成功专员", "specialist", "E010", "2022-12-05", True, 0.81),
    ("E027", "韩梅", "品牌公关部", "公关专员", "specialist", "E011", "2023-06-19", True, 0.79),
    ("E028", "冯宇", "品牌公关部", "直播运营", "specialist", "E011", "2024-04-08", True, 0.83),
    ("E029", "邓超", "品牌公关部", "品牌设计", "specialist", "E011", "2022-09-26", False, 0.77),
    ("E030", "曹璐", "品牌公关部", "直播助理", "specialist", "E011", "2026-06-01", True, 0.80),
)
LEFT = {"E029": "2026-03"}  # last month with data
S_GRADE, VETO, COACHING, CALIBRATION, SETTLED = "E014", "E016", "E021", "E018", "E012"

# Monthly KPI targets by level; cac is lower-is-better.
TARGETS = {
    "sales": {"director": 6_000_000, "manager": 1_500_000, "supervisor": 800_000, "specialist": 400_000},
    "new_customers": {"director": 520, "manager": 110, "supervisor": 60, "specialist": 30},
    "lead_conversion": 0.10,
    "repurchase_rate": 0.30,
    "cac": 3_500,
    "campaign_roi": 2.0,
    "content_reach": {"director": 3_000_000, "manager": 600_000, "supervisor": 300_000, "specialist": 150_000},
}
ROUNDING = {"sales": -2, "new_customers": 0, "lead_conversion": 3, "repurchase_rate": 3, "cac": 0,
            "campaign_roi": 2, "content_reach": -2}


def staff() -> pd.DataFrame:
    rows = [{"employee_id": e, "name": n, "department": d, "title": t, "level": lv, "manager_id": m,
             "hire_date": h, "active": "yes" if a else "no"} for e, n, d, t, lv, m, h, a, _ in STAFF]
    return pd.DataFrame(rows)


def _employed_months(employee: tuple) -> list[str]:
    hire = dt.date.fromisoformat(employee[6])
    first = max(world.FIRST_DAY, hire.replace(day=1))
    months = world.months(first)
    return [m for m in months if employee[0] not in LEFT or m <= LEFT[employee[0]]]


def _form(employee_id: str, month: str, skill: float) -> float:
    """How well a person does in a month, as a share of target (about 1.0 = on target)."""
    if employee_id == COACHING and month >= "2026-07":
        return {"2026-07": 0.66, "2026-08": 0.55, "2026-09": 0.52, "2026-10": 0.50}[month]
    if employee_id == S_GRADE and month >= "2026-07":
        return 1.08
    return skill


def kpi_actuals(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for emp in STAFF:
        eid, level, skill = emp[0], emp[4], emp[8]
        for month in _employed_months(emp):
            form = _form(eid, month, skill)
            for indicator, target in TARGETS.items():
                target = target[level] if isinstance(target, dict) else target
                ratio = max(0.05, form * rng.normal(1.0, 0.07))
                actual = target / ratio if indicator == "cac" else target * ratio
                digits = ROUNDING[indicator]
                rows.append({"employee_id": eid, "month": month, "indicator": indicator, "target": target,
                             "actual": round(actual, digits) if digits else int(round(actual))})
    return pd.DataFrame(rows)


def _quality(employee_id: str, period: str, skill: float) -> float:
    """The rating a fair supervisor would give for a period."""
    month = period if len(period) == 7 and period[4] == "-" and "Q" not in period else None
    if month:
        return 100 * min(_form(employee_id, month, skill), 1.15) * 0.92
    return 100 * min(skill, 1.15) * 0.95


def _raters(emp: tuple, by_dept: dict[str, list[str]], managers: dict[str, str]) -> dict[str, str]:
    """supervisor, a peer in the same department and a colleague from another department."""
    eid, dept, manager = emp[0], emp[2], emp[5]
    peers = [p for p in by_dept.get(dept, []) if p not in (eid, manager)]
    other = sorted(d for d in managers if d != dept)
    cross = managers[other[int(eid[1:]) % len(other)]]
    return {"supervisor": manager or "CEO", "peer": peers[0] if peers else None, "cross_dept": cross}


def ratings(rng: np.random.Generator) -> pd.DataFrame:
    by_dept: dict[str, list[str]] = {}
    for emp in STAFF:
        if emp[7]:
            by_dept.setdefault(emp[2], []).append(emp[0])
    managers = {emp[2]: emp[0] for emp in STAFF if emp[4] == "manager"}
    rows = []

    def add(eid, period, dimension, rater, rater_type, score):
        rows.append({"employee_id": eid, "period": period, "dimension": dimension, "rater_id": rater,
                     "rater_type": rater_type, "score": int(round(min(100, max(30, score))))})

    for emp in STAFF:
        eid, skill = emp[0], emp[8]
        raters = _raters(emp, by_dept, managers)
        months = _employed_months(emp)
        for month in months:  # execution: monthly, by the supervisor, with a self rating
            base = _quality(eid, month, skill)
            add(eid, month, "execution", raters["supervisor"], "supervisor", base + rng.normal(0, 2.5))
            add(eid, month, "execution", eid, "self", base + 6 + rng.normal(0, 2))
        # Quarters are rated once they are over (2026-Q4 is not); the year 2025 in December.
        quarters = sorted({_quarter_of(m) for m in months} - {"2026-Q4"})
        periods = quarters + (["2025"] if "2025-12" in months else [])
        for period in periods:
            for dimension in ("innovation", "teamwork"):
                base = _quality(eid, period, skill) + (3 if dimension == "teamwork" else 0)
                scores = {"supervisor": base + rng.normal(0, 2.5), "cross_dept": base - 2 + rng.normal(0, 3),
                          "peer": base + 1 + rng.normal(0, 3)}
                if (eid, period, dimension) == (CALIBRATION, "2026-Q3", "innovation"):
                    scores = {"supervisor": 91, "cross_dept": 66, "peer": 80}
                if (eid, period, dimension) == (SETTLED, "2026-Q2", "teamwork"):
                    scores = {"supervisor": 88, "cross_dept": 63, "peer": 79}
                for rater_type, score in scores.items():
                    if raters[rater_type]:
                        add(eid, period, dimension, raters[rater_type], rater_type, score)
                add(eid, period, dimension, eid, "self", base + 7 + rng.normal(0, 2))
    return pd.DataFrame(rows)


def _quarter_of(month: str) -> str:
    y, m = month.split("-")
    return f"{y}-Q{(int(m) - 1) // 3 + 1}"


def compliance() -> pd.DataFrame:
    """Two checks a month for everyone; two violations in the whole history."""
    violations = {
        (VETO, "2026-08", "广告法合规"): "抖音投放文案使用“全网最低价”等极限词，被平台处罚",
        ("E019", "2025-11", "客户数据保护"): "客户名单通过个人微信发送给外部供应商",
    }
    rows = []
    for emp in STAFF:
        for month in _employed_months(emp):
            for item in ("广告法合规", "客户数据保护"):
                note = violations.get((emp[0], month, item))
                rows.append({"employee_id": emp[0], "month": month, "item": item,
                             "violation": "是" if note else "否", "note": note})
    return pd.DataFrame(rows)


def calibrations(ratings_frame: pd.DataFrame) -> pd.DataFrame:
    """The committee settled E012's 2026-Q2 teamwork gap (supervisor 88 vs cross-department 63)."""
    rows = ratings_frame[(ratings_frame["employee_id"] == SETTLED) & (ratings_frame["period"] == "2026-Q2")
                         & (ratings_frame["dimension"] == "teamwork")]
    weights = {"supervisor": 0.7, "cross_dept": 0.3}
    counted = rows[rows["rater_type"].isin(weights)]
    original = sum(weights[r.rater_type] * r.score for r in counted.itertuples()) / sum(
        weights[r] for r in counted["rater_type"])
    return pd.DataFrame([{
        "employee_id": SETTLED, "period": "2026-Q2", "dimension": "teamwork",
        "original_score": round(original, 1), "calibrated_score": 80,
        "reason": "跨部门评分人只参与了一个联合项目；委员会参考季度协作记录后综合评定",
        "by": "E001", "at": "2026-07-08 10:30"}])
