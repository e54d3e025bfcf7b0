"""The fictional marketing centre the sample data describes: its channels, regions,
departments, calendar and the story the numbers should tell.

Everything the generator varies by is a constant here, so the story can be read in one
place: referrals are cheap but small, Baidu SEM is the costly workhorse, Douyin and
Xiaohongshu grow, WeChat Moments ads wear out, a bidding war lifts SEM's CAC in East
China in the last complete week, and the Douyin pre-Double-11 campaign overspends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIRST_DAY = dt.date(2025, 5, 1)
LAST_DAY = dt.date(2026, 10, 31)  # a Saturday: the last complete ISO week is 2026-W43
ANOMALY_WEEK = (dt.date(2026, 10, 19), dt.date(2026, 10, 25))  # 2026-W43

REGIONS = {"华东": 0.30, "华南": 0.22, "华北": 0.20, "西南": 0.11, "华中": 0.10, "西北": 0.07}
# How well a region's leads turn into customers, relative to the average.
REGION_CONVERSION = {"华东": 1.10, "华南": 1.05, "华北": 1.0, "西南": 0.92, "华中": 0.95, "西北": 0.80}
PRODUCT_LINES = {"智能营销云": 0.45, "数据分析平台": 0.35, "咨询培训": 0.20}
# First-order value (yuan) by product line; segment multiplies it.
FIRST_ORDER = {"智能营销云": 11_000, "数据分析平台": 16_000, "咨询培训": 6_500}
SEGMENTS = {"大型企业": 2.0, "中型企业": 1.0, "小微企业": 0.55}

CENTRE = "市场中心"  # the director's unit, above the five departments
DEPARTMENTS = ("数字营销部", "内容运营部", "活动策划部", "客户增长部", "品牌公关部")


@dataclass(frozen=True)
class Channel:
    name: str
    department: str
    kind: str  # "online": daily rows; "salon" / "expo": rows on event days; "referral": no ad metrics
    spend: float  # average daily spend (yuan) at the start, before season and trend
    yuan_per_impression: float  # 1 / (impressions per yuan)
    ctr: float
    lead_rate: float  # leads per click
    conversion: float  # new customers per lead
    engagement_rate: float  # engagements per impression
    growth: float = 0.0  # relative change of spend over the 18 months
    ctr_drift: float = 0.0  # relative change of CTR over the 18 months (creative wear-out)
    weekend: float = 1.0  # weekend spend relative to a weekday
    segment_mix: tuple[float, float, float] = (0.25, 0.45, 0.30)  # 大型, 中型, 小微
    budget_category: str = "online_ads"


CHANNELS: tuple[Channel, ...] = (
    Channel("百度SEM", "数字营销部", "online", 16_000, 0.28, 0.030, 0.032, 0.060, 0.004,
            growth=0.10, weekend=0.55, segment_mix=(0.30, 0.45, 0.25)),
    Channel("朋友圈广告", "数字营销部", "online", 8_500, 0.030, 0.0085, 0.011, 0.070, 0.012,
            growth=-0.10, ctr_drift=-0.35, weekend=1.1),
    Channel("知乎信息流", "数字营销部", "online", 4_500, 0.035, 0.012, 0.016, 0.090, 0.015,
            growth=0.15, weekend=0.8, segment_mix=(0.30, 0.50, 0.20)),
    Channel("抖音", "内容运营部", "online", 7_000, 0.014, 0.015, 0.0040, 0.070, 0.045,
            growth=0.80, weekend=1.3, segment_mix=(0.10, 0.40, 0.50)),
    Channel("小红书", "内容运营部", "online", 3_500, 0.020, 0.020, 0.0065, 0.080, 0.060,
            growth=0.90, weekend=1.3, segment_mix=(0.10, 0.40, 0.50)),
    Channel("B站", "内容运营部", "online", 2_800, 0.020, 0.018, 0.0050, 0.065, 0.070,
            growth=0.20, weekend=1.2, segment_mix=(0.10, 0.45, 0.45)),
    Channel("线下沙龙", "活动策划部", "salon", 26_000, 8.0, 0.08, 0.25, 0.120, 0.04,
            segment_mix=(0.35, 0.45, 0.20), budget_category="offline_events"),
    Channel("行业展会", "活动策划部", "expo", 210_000, 4.0, 0.06, 0.13, 0.060, 0.02,
            segment_mix=(0.55, 0.35, 0.10), budget_category="offline_events"),
    Channel("老客推荐", "客户增长部", "referral", 0.0, 0.0, 0.0, 0.0, 0.300, 0.0,
            segment_mix=(0.30, 0.45, 0.25), budget_category="other"),
    Channel("直播", "品牌公关部", "online", 5_000, 0.016, 0.020, 0.0045, 0.065, 0.080,
            growth=0.35, weekend=1.4, segment_mix=(0.10, 0.40, 0.50)),
    Channel("EDM", "客户增长部", "online", 450, 0.010, 0.022, 0.008, 0.060, 0.0,
            weekend=0.0, segment_mix=(0.25, 0.50, 0.25), budget_category="other"),
    Channel("私域社群", "客户增长部", "online", 1_300, 0.045, 0.040, 0.012, 0.130, 0.150,
            growth=0.40, weekend=1.0, segment_mix=(0.15, 0.45, 0.40), budget_category="other"),
)
CHANNEL = {c.name: c for c in CHANNELS}

# Monthly demand: the Spring Festival dip, 618, Double 11 and the year-end push.
SEASON = {1: 0.95, 2: 0.62, 3: 1.0, 4: 1.0, 5: 1.02, 6: 1.18, 7: 0.95, 8: 0.92, 9: 1.05,
          10: 1.10, 11: 1.32, 12: 1.12}

# Monthly chance that a customer orders again, by months since acquisition m:
# a * exp(-m / tau) + floor. Referrals and the private community keep customers longest.
RETENTION = {
    "百度SEM": (0.22, 6.0, 0.030), "朋友圈广告": (0.16, 4.0, 0.020), "知乎信息流": (0.22, 6.0, 0.035),
    "抖音": (0.16, 3.0, 0.015), "小红书": (0.18, 3.5, 0.020), "B站": (0.17, 4.0, 0.020),
    "线下沙龙": (0.26, 8.0, 0.045), "行业展会": (0.28, 9.0, 0.050), "老客推荐": (0.34, 10.0, 0.060),
    "直播": (0.15, 3.0, 0.015), "EDM": (0.24, 7.0, 0.040), "私域社群": (0.32, 10.0, 0.060),
}

# Trade shows: (first day, region, product line) - three days each.
EXPOS = (
    (dt.date(2025, 6, 18), "华东", "智能营销云"), (dt.date(2025, 9, 10), "华南", "数据分析平台"),
    (dt.date(2025, 11, 12), "华北", "智能营销云"), (dt.date(2026, 3, 25), "西南", "咨询培训"),
    (dt.date(2026, 6, 17), "华东", "智能营销云"), (dt.date(2026, 9, 16), "华南", "数据分析平台"),
)


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    channel: str
    start: dt.date
    end: dt.date
    boost: float  # spend multiplier on its channel while it runs
    budget_factor: float  # budget / expected spend: < 1 means it will overspend
    owner_level: str = "supervisor"
    efficiency: float = 1.0  # conversion multiplier while it runs (< 1: under-delivers)


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign("CMP-2505-01", "五一企业数字化节", "百度SEM", _d("2025-05-01"), _d("2025-05-10"), 1.3, 1.02),
    Campaign("CMP-2506-01", "618 年中大促", "抖音", _d("2025-06-01"), _d("2025-06-20"), 1.6, 1.05),
    Campaign("CMP-2506-02", "618 朋友圈专项", "朋友圈广告", _d("2025-06-05"), _d("2025-06-18"), 1.5, 1.0),
    Campaign("CMP-2506-03", "华东智能营销展", "行业展会", _d("2025-06-18"), _d("2025-06-20"), 1.0, 1.04),
    Campaign("CMP-2507-01", "数据分析白皮书推广", "知乎信息流", _d("2025-07-07"), _d("2025-08-03"), 1.4, 1.06),
    Campaign("CMP-2509-01", "秋季新品发布会", "直播", _d("2025-09-01"), _d("2025-09-14"), 1.8, 1.0),
    Campaign("CMP-2509-02", "华南数据大会", "行业展会", _d("2025-09-10"), _d("2025-09-12"), 1.0, 1.02),
    Campaign("CMP-2510-01", "双11 预热", "抖音", _d("2025-10-20"), _d("2025-11-11"), 1.7, 1.03),
    Campaign("CMP-2511-01", "双11 搜索冲刺", "百度SEM", _d("2025-11-01"), _d("2025-11-11"), 1.5, 1.0),
    Campaign("CMP-2511-02", "北方营销峰会", "行业展会", _d("2025-11-12"), _d("2025-11-14"), 1.0, 1.0),
    Campaign("CMP-2512-01", "年终客户答谢沙龙季", "线下沙龙", _d("2025-12-01"), _d("2025-12-31"), 1.3, 1.05),
    Campaign("CMP-2601-01", "年货节私域裂变", "私域社群", _d("2026-01-05"), _d("2026-02-08"), 1.6, 1.1),
    Campaign("CMP-2603-01", "春季招商", "百度SEM", _d("2026-03-02"), _d("2026-03-29"), 1.3, 1.0),
    Campaign("CMP-2603-02", "西南培训展", "行业展会", _d("2026-03-25"), _d("2026-03-27"), 1.0, 1.05),
    Campaign("CMP-2604-01", "B站技术科普季", "B站", _d("2026-04-06"), _d("2026-05-31"), 1.7, 1.0,
             efficiency=0.45),  # under-delivers: plenty of views, few customers
    Campaign("CMP-2605-01", "小红书种草计划", "小红书", _d("2026-05-04"), _d("2026-06-18"), 1.5, 1.03),
    Campaign("CMP-2606-01", "618 年中大促", "抖音", _d("2026-06-01"), _d("2026-06-20"), 1.7, 1.02),
    Campaign("CMP-2606-02", "华东智能营销展", "行业展会", _d("2026-06-17"), _d("2026-06-19"), 1.0, 1.0),
    Campaign("CMP-2607-01", "老客推荐有礼", "老客推荐", _d("2026-07-01"), _d("2026-08-31"), 1.5, 1.1),
    Campaign("CMP-2609-01", "华南数据大会", "行业展会", _d("2026-09-16"), _d("2026-09-18"), 1.0, 1.03),
    Campaign("CMP-2609-02", "开学季直播周", "直播", _d("2026-09-01"), _d("2026-09-14"), 1.6, 1.04),
    Campaign("CMP-2610-01", "双11 预热", "抖音", _d("2026-10-12"), _d("2026-11-11"), 1.9, 0.60),  # overspends
    Campaign("CMP-2610-02", "EDM 老客唤醒", "EDM", _d("2026-10-08"), _d("2026-10-31"), 1.8, 1.05),
)


def days(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def months(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def quarters(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> list[str]:
    seen: list[str] = []
    for month in months(first, last):
        y, m = map(int, month.split("-"))
        q = f"{y}-Q{(m - 1) // 3 + 1}"
        if q not in seen:
            seen.append(q)
    return seen
