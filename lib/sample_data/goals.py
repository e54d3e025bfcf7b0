"""OKRs (objectives, key results, weekly check-ins) and the action list.

Company key results are tied to metrics (new customers, CAC, revenue) and their check-ins
carry the metric's quarter-to-date value, computed from the generated daily rows, so the
sheet and the metrics layer agree. Department key results are typed in by hand. As of the
data's last day (2026-10-31) the fourth quarter is a third gone: some key results are on
track, some at risk, one has no check-in yet, one is on track but its owner has lost
confidence.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lib.sample_data import world

QUARTER_TITLES = {
    "2025-Q3": "下半年开局：线索量与获客效率稳步提升",
    "2025-Q4": "冲刺双11与年终，全年获客目标达成",
    "2026-Q1": "淡季不淡：春节后快速恢复获客节奏",
    "2026-Q2": "618 与内容渠道放量，降低整体获客成本",
    "2026-Q3": "提升线索质量，投放结构向高效渠道倾斜",
    "2026-Q4": "双11 冲刺：新客规模与获客效率双提升",
}

# department -> (objective, [(kr title, unit, start, target)]), start/target per quarter scale
DEPARTMENT_OKRS = {
    "数字营销部": ("搜索与信息流投放提效", [("SEM 单条线索成本降至目标", "¥", 380, 300),
                                         ("信息流有效线索数", "条", 0, 1500)]),
    "内容运营部": ("内容渠道成为第一获客来源", [("抖音+小红书新增粉丝", "人", 0, 60000),
                                            ("爆款内容（10万+播放）篇数", "篇", 0, 12)]),
    "活动策划部": ("线下活动带来高质量客户", [("举办线下沙龙场次", "场", 0, 18),
                                          ("活动线索转化率", "%", 8, 14)]),
    "客户增长部": ("老客与私域贡献更多新客", [("私域社群新增成员", "人", 0, 8000),
                                          ("老客推荐新客数", "个", 0, 130)]),
    "品牌公关部": ("品牌声量与直播转化双提升", [("品牌直播场次", "场", 0, 24),
                                            ("正面媒体报道篇数", "篇", 0, 40)]),
}

# How fast each department's key results move relative to the straight line, per quarter
# (1.0 = exactly on the ideal line); the last quarter shows every status.
PACE = {"数字营销部": (1.05, 0.80), "内容运营部": (1.15, 1.20), "活动策划部": (0.60, 0.95),
        "客户增长部": (0.95, 0.55), "品牌公关部": (1.00, 1.00)}
NOT_STARTED = ("2026-Q4", "品牌公关部", 1)  # a key result nobody has checked in yet
LOW_CONFIDENCE = ("2026-Q4", "品牌公关部", 0)  # on pace, but its owner doubts it


def _quarter_range(q: str) -> tuple[dt.date, dt.date]:
    year, n = int(q[:4]), int(q[-1])
    first = dt.date(year, 3 * n - 2, 1)
    nxt = dt.date(year + (n == 4), 1 if n == 4 else 3 * n + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _fridays(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    out = []
    while day <= min(last, world.LAST_DAY):
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def _qtd(daily: pd.DataFrame, first: dt.date, day: dt.date) -> dict[str, float]:
    rows = daily[(daily["date"] >= first) & (daily["date"] <= day)]
    spend, new = rows["spend"].sum(), rows["new_customers"].sum()
    return {"new_customers": float(new), "revenue": float(rows["revenue"].sum()),
            "cac": float(spend / new) if new else float("nan")}


def okrs(daily: pd.DataFrame, staff: pd.DataFrame, rng: np.random.Generator
         ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    managers = dict(zip(staff.loc[staff["level"] == "manager", "department"],
                        staff.loc[staff["level"] == "manager", "employee_id"]))
    objectives, krs, checkins = [], [], []
    previous_cac = None
    for q, title in QUARTER_TITLES.items():
        first, last = _quarter_range(q)
        qn = q.replace("-", "")
        company = f"O-{qn}-00"
        objectives.append({"objective_id": company, "quarter": q, "title": title, "owner": world.CENTRE,
                           "parent_id": None})
        # Company key results tied to metrics; targets a little above the quarter's run rate.
        full = _qtd(daily, first, last)
        days_in = (min(last, world.LAST_DAY) - first).days + 1
        scale = ((last - first).days + 1) / days_in
        cac_now = full["cac"]
        start_cac = round(previous_cac if previous_cac else cac_now * 1.08, -1)
        company_krs = [
            ("new_customers", "新增客户数", "个", 0, round(full["new_customers"] * scale * 1.04, -1)),
            ("cac", "整体获客成本（CAC）降至", "¥", start_cac, round(min(start_cac, cac_now) * 0.96, -1)),
            ("revenue", "新客首单收入", "¥", 0, round(full["revenue"] * scale * 1.06, -4)),
        ]
        previous_cac = cac_now
        for i, (metric, kr_title, unit, start, target) in enumerate(company_krs, 1):
            kr_id = f"KR-{qn}-00-{i}"
            krs.append({"kr_id": kr_id, "objective_id": company, "title": kr_title, "metric": metric,
                        "start_value": start, "target_value": target, "unit": unit, "weight": 2 if i == 1 else 1})
            for friday in _fridays(first, last):
                value = _qtd(daily, first, friday)[metric]
                if value != value:  # no customers yet this quarter: nothing to report
                    continue
                confidence = 8 if metric != "cac" else 6
                checkins.append({"kr_id": kr_id, "date": friday, "value": round(value, 2),
                                 "confidence": confidence, "note": None, "author_id": "E001"})
        for d, (dept, (obj_title, dept_krs)) in enumerate(DEPARTMENT_OKRS.items(), 1):
            oid = f"O-{qn}-{d:02d}"
            objectives.append({"objective_id": oid, "quarter": q, "title": obj_title, "owner": dept,
                               "parent_id": company})
            pace = PACE[dept][1] if q == "2026-Q4" else PACE[dept][0] * rng.uniform(0.9, 1.1)
            for k, (kr_title, unit, start, target) in enumerate(dept_krs):
                kr_id = f"KR-{qn}-{d:02d}-{k + 1}"
                krs.append({"kr_id": kr_id, "objective_id": oid, "title": kr_title, "metric": None,
                            "start_value": start, "target_value": target, "unit": unit, "weight": 1})
                if (q, dept, k) == NOT_STARTED:
                    continue
                checkins += _manual_checkins(kr_id, first, last, start, target, pace, managers[dept],
                                             low_confidence=(q, dept, k) == LOW_CONFIDENCE, rng=rng)
    return pd.DataFrame(objectives), pd.DataFrame(krs), pd.DataFrame(checkins)


def _manual_checkins(kr_id, first, last, start, target, pace, author, low_confidence, rng) -> list[dict]:
    out, length = [], (last - first).days + 1
    progress = 0.0
    for friday in _fridays(first, last):
        ideal = ((friday - first).days + 1) / length
        progress = max(progress, min(1.25, pace * ideal * rng.uniform(0.92, 1.08)))
        value = start + (target - start) * progress
        gap = ideal - min(progress, 1.0)
        confidence = 3 if low_confidence else int(np.clip(round(8 - 14 * gap), 2, 10))
        note = "关键资源未到位，担心后半程完不成" if low_confidence else ("进度落后，已制定追赶计划" if gap > 0.2 else None)
        out.append({"kr_id": kr_id, "date": friday, "value": round(value, 1), "confidence": confidence,
                    "note": note, "author_id": author})
    return out


def actions() -> pd.DataFrame:
    """The weekly meeting's action list, as of the data's last day (some overdue)."""
    rows = [
        ("A-001", "百度SEM 品牌词出价策略复盘，华东区限价", "E007", "2026-10-26", "2026-11-06", "doing", "cac", -0.12, "2026-W45"),
        ("A-002", "抖音双11预热追加预算审批（已超支）", "E003", "2026-10-26", "2026-10-30", "open", "spend", None, "2026-W44"),
        ("A-003", "朋友圈广告素材全面更新，解决点击率下滑", "E013", "2026-09-07", "2026-10-16", "doing", "ctr", 0.15, "2026-W42"),
        ("A-004", "郑凯辅导计划：每周一对一跟进展会线索", "E009", "2026-09-14", "2026-10-31", "doing", None, None, "2026-W44"),
        ("A-005", "B站科普季复盘：高播放低转化原因", "E008", "2026-06-08", "2026-06-26", "done", "lead_conversion", 0.05, "2026-W26"),
        ("A-006", "老客推荐奖励从现金改为服务时长", "E025", "2026-08-31", "2026-09-30", "done", "cac", -0.05, "2026-W40"),
        ("A-007", "落地页新版本（案例前置）全量上线", "E014", "2026-09-01", "2026-09-11", "done", "lead_conversion", 0.2, "2026-W37"),
        ("A-008", "西北区线索转化率低：销售跟进时效排查", "E002", "2026-10-12", "2026-10-23", "open", "lead_conversion", 0.1, "2026-W43"),
        ("A-009", "线下沙龙报名到场率提升方案", "E022", "2026-10-05", "2026-11-13", "doing", "leads", 0.1, "2026-W46"),
        ("A-010", "EDM 标题测试延长两周以达到样本量", "E023", "2026-09-23", "2026-10-09", "done", "ctr", None, "2026-W41"),
        ("A-011", "直播话术 C 版推广到全部场次", "E028", "2026-10-19", "2026-11-06", "open", "lead_conversion", 0.25, "2026-W45"),
        ("A-012", "私域社群分层运营 SOP 上线", "E024", "2026-08-10", "2026-09-18", "done", "new_customers", 0.08, "2026-W38"),
        ("A-013", "展会线索 48 小时内回访率达 90%", "E021", "2026-09-21", "2026-10-16", "open", "lead_conversion", 0.06, "2026-W42"),
        ("A-014", "广告法合规培训（全员）", "E006", "2026-08-24", "2026-09-04", "done", None, None, "2026-W36"),
        ("A-015", "知乎信息流预算上调 20%（低 CAC 渠道）", "E002", "2026-10-19", "2026-10-28", "doing", "new_customers", 0.05, "2026-W44"),
        ("A-016", "季度渠道归因模型评审", "E001", "2026-10-05", "2026-11-20", "open", "roi", None, "2026-W47"),
        ("A-017", "小红书达人合作名单扩充", "E017", "2026-07-06", "2026-07-31", "dropped", "impressions", 0.1, "2026-W31"),
        ("A-018", "客户数据保护制度宣贯与抽查", "E005", "2026-01-05", "2026-01-23", "done", None, None, "2026-W04"),
    ]
    return pd.DataFrame(rows, columns=["action_id", "title", "owner_id", "created", "due", "status", "metric",
                                       "expected_lift", "review_week"])
