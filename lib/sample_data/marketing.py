"""The marketing tabs: daily results per channel, campaigns, budget, customers and their
orders, touchpoint journeys, experiments, benchmarks and targets.

Customers are made from the daily rows (one customer per new customer counted), and each
customer's first order is the revenue of that row, so the tabs agree with each other.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from lib.sample_data import world
from lib.sample_data.world import CHANNEL, CHANNELS, FIRST_DAY, LAST_DAY, Channel

TOTAL_DAYS = (LAST_DAY - FIRST_DAY).days
COMBOS = [(r, p, wr * wp) for r, wr in world.REGIONS.items() for p, wp in world.PRODUCT_LINES.items()]


def _campaign_on(channel: str, day: dt.date) -> world.Campaign | None:
    for c in world.CAMPAIGNS:
        if c.channel == channel and c.start <= day <= c.end:
            return c
    return None


def _salon_days(rng: np.random.Generator) -> dict[dt.date, str]:
    """About six salons a month, mostly Thursdays to Saturdays, each in one region."""
    out = {}
    regions, weights = list(world.REGIONS), np.array(list(world.REGIONS.values()))
    for day in world.days():
        if day.weekday() >= 3 and rng.random() < 0.35 * (1.3 if day.month == 12 else 1.0):
            out[day] = regions[rng.choice(len(regions), p=weights / weights.sum())]
    return out


def _expo_days() -> dict[dt.date, tuple[str, str]]:
    return {first + dt.timedelta(days=i): (region, product)
            for first, region, product in world.EXPOS for i in range(3)}


def _daily_spend(ch: Channel, day: dt.date, rng: np.random.Generator) -> float:
    t = (day - FIRST_DAY).days / TOTAL_DAYS
    weekend = day.weekday() >= 5
    if ch.name == "EDM":  # newsletters go out on Tuesdays and Thursdays only
        if day.weekday() not in (1, 3):
            return 0.0
        factor = 3.5
    else:
        factor = ch.weekend if weekend else 1.0
    campaign = _campaign_on(ch.name, day)
    boost = campaign.boost if campaign else 1.0
    return ch.spend * (1 + ch.growth * t) * world.SEASON[day.month] * factor * boost * rng.lognormal(0, 0.12)


def _parts(rng: np.random.Generator, k: int) -> list[tuple[str, str, float]]:
    """k (region, product line) cells of one channel-day with their share of its spend."""
    weights = np.array([w for _, _, w in COMBOS])
    picked = rng.choice(len(COMBOS), size=min(k, len(COMBOS)), replace=False, p=weights / weights.sum())
    shares = weights[picked] * rng.lognormal(0, 0.25, size=len(picked))
    shares = shares / shares.sum()
    return [(COMBOS[i][0], COMBOS[i][1], s) for i, s in zip(picked, shares)]


def _row(ch: Channel, day: dt.date, region: str, product: str, spend: float,
         rng: np.random.Generator, campaign: world.Campaign | None) -> dict:
    t = (day - FIRST_DAY).days / TOTAL_DAYS
    yuan_per_impression, conversion = ch.yuan_per_impression, ch.conversion
    if campaign is not None:
        conversion *= campaign.efficiency
    if ch.name == "百度SEM" and region == "华东" and world.ANOMALY_WEEK[0] <= day <= world.ANOMALY_WEEK[1]:
        # A competitor's bidding war on brand keywords in East China: more spend, dearer clicks.
        spend *= 2.2
        yuan_per_impression *= 2.0
        conversion *= 0.6
    ctr = ch.ctr * (1 + ch.ctr_drift * t)
    impressions = int(rng.poisson(spend / yuan_per_impression * rng.lognormal(0, 0.08)))
    clicks = int(rng.binomial(impressions, min(ctr, 1.0)))
    leads = int(rng.binomial(clicks, ch.lead_rate))
    new = int(rng.binomial(leads, min(conversion * world.REGION_CONVERSION[region], 1.0)))
    engagements = int(rng.binomial(impressions, ch.engagement_rate)) if ch.engagement_rate else None
    return {"date": day, "channel": ch.name, "region": region, "product_line": product,
            "department": ch.department, "campaign_id": campaign.campaign_id if campaign else None,
            "spend": round(spend, 2), "impressions": impressions, "clicks": clicks,
            "engagements": engagements, "leads": leads, "new_customers": new}


def _referral_row(day: dt.date, rng: np.random.Generator) -> dict:
    """Referrals: no ads, so no impressions or clicks; the spend is the reward paid."""
    region, product, _ = _parts(rng, 1)[0]
    campaign = _campaign_on("老客推荐", day)
    leads = int(rng.poisson(4.5 * world.SEASON[day.month] * (campaign.boost if campaign else 1.0)))
    new = int(rng.binomial(leads, CHANNEL["老客推荐"].conversion))
    return {"date": day, "channel": "老客推荐", "region": region, "product_line": product,
            "department": CHANNEL["老客推荐"].department,
            "campaign_id": campaign.campaign_id if campaign else None,
            "spend": float(220 * leads + 500 * new), "impressions": None, "clicks": None,
            "engagements": None, "leads": leads, "new_customers": new}


def marketing_daily(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """Daily results; `rows` (approximate) sets how finely a channel-day is split over
    regions and product lines."""
    salons, expos = _salon_days(rng), _expo_days()
    online = [c for c in CHANNELS if c.kind == "online"]
    parts = max(1, min(len(COMBOS), round(rows / ((TOTAL_DAYS + 1) * (len(online) + 1)))))
    out = []
    for day in world.days():
        for ch in CHANNELS:
            if ch.kind == "referral":
                out.append(_referral_row(day, rng))
                continue
            if ch.kind == "salon":
                if day in salons:
                    product = list(world.PRODUCT_LINES)[rng.integers(len(world.PRODUCT_LINES))]
                    spend = ch.spend * rng.lognormal(0, 0.15)
                    out.append(_row(ch, day, salons[day], product, spend, rng, _campaign_on(ch.name, day)))
                continue
            if ch.kind == "expo":
                if day in expos:
                    region, product = expos[day]
                    out.append(_row(ch, day, region, product, ch.spend * rng.lognormal(0, 0.1), rng,
                                    _campaign_on(ch.name, day)))
                continue
            spend = _daily_spend(ch, day, rng)
            if spend <= 0:
                continue
            campaign = _campaign_on(ch.name, day)
            for region, product, share in _parts(rng, parts):
                out.append(_row(ch, day, region, product, spend * share, rng, campaign))
    return pd.DataFrame(out)


# ---- customers and orders ---------------------------------------------------------------

def customers_and_orders(daily: pd.DataFrame, rng: np.random.Generator
                         ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One customer per new customer of a daily row; its first order lands on that day and
    the row's orders and revenue are those first orders. Repeat orders follow each
    channel's retention curve (world.RETENTION)."""
    segments = list(world.SEGMENTS)
    customers, first_orders = [], []
    revenue = np.zeros(len(daily))
    for i, row in enumerate(daily.itertuples(index=False)):
        mix = np.array(CHANNEL[row.channel].segment_mix)
        for _ in range(int(row.new_customers)):
            segment = segments[rng.choice(3, p=mix / mix.sum())]
            amount = round(world.FIRST_ORDER[row.product_line] * world.SEGMENTS[segment]
                           * rng.lognormal(0, 0.35), -1)
            customers.append((row.date, row.channel, row.region, row.product_line, segment))
            first_orders.append((len(customers) - 1, row.date, amount))
            revenue[i] += amount
    daily = daily.assign(orders=daily["new_customers"], revenue=revenue.round(2))
    cust = pd.DataFrame(customers, columns=["acquired_at", "channel", "region", "product_line", "segment"])
    cust.insert(0, "customer_id", [f"C{n:06d}" for n in range(1, len(cust) + 1)])
    orders = list(first_orders)
    for idx, first_day, first_amount in first_orders:
        a, tau, floor = world.RETENTION[cust.at[idx, "channel"]]
        m = 1
        while True:
            day = first_day + dt.timedelta(days=int(round(30.44 * m + rng.uniform(-9, 9))))
            if day > LAST_DAY:
                break
            if rng.random() < a * math.exp(-m / tau) + floor:
                orders.append((idx, day, round(first_amount * rng.lognormal(-0.45, 0.4), -1)))
            m += 1
    frame = pd.DataFrame(orders, columns=["idx", "date", "amount"]).sort_values(["date", "idx"], kind="stable")
    frame["customer_id"] = cust["customer_id"].to_numpy()[frame["idx"].to_numpy()]
    frame.insert(0, "order_id", [f"O{n:07d}" for n in range(1, len(frame) + 1)])
    return daily, cust, frame[["order_id", "customer_id", "date", "amount"]].reset_index(drop=True)


# ---- campaigns and budget ---------------------------------------------------------------

def campaigns(daily: pd.DataFrame, owners: dict[str, str], rng: np.random.Generator) -> pd.DataFrame:
    """Each campaign's budget is its planned spend: the spend so far times its budget factor,
    scaled up to the whole window for a campaign still running at the end of the data."""
    spent = daily.groupby("campaign_id")["spend"].sum()
    out = []
    for c in world.CAMPAIGNS:
        so_far = float(spent.get(c.campaign_id, 0.0))
        elapsed = (min(c.end, LAST_DAY) - c.start).days + 1
        planned = so_far * ((c.end - c.start).days + 1) / elapsed
        if c.budget_factor < 1:  # the overspender: judged against what it has spent already
            planned = so_far
        out.append({"campaign_id": c.campaign_id, "name": c.name, "channel": c.channel,
                    "department": CHANNEL[c.channel].department, "owner_id": owners[CHANNEL[c.channel].department],
                    "start_date": c.start, "end_date": c.end,
                    "budget": round(planned * c.budget_factor * rng.uniform(0.99, 1.01), -3)})
    return pd.DataFrame(out)


# Per-department monthly training budgets (yuan): no spend of these is in marketing_daily.
TRAINING = {"数字营销部": 42_000, "内容运营部": 38_000, "活动策划部": 26_000, "客户增长部": 30_000,
            "品牌公关部": 28_000}
# The centre's budget puts online ads at 45% of the total, well over the plan's 30%, and
# offline events and training under theirs: a finding for the budget review.
ONLINE_SHARE = 0.45


def budget(daily: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly budget lines: one per channel (online ads, offline events, other channels),
    training per department, and the centre's brand, PR, content production and tools
    ("other", no channel: not spent through marketing_daily), sized so online ads are
    ONLINE_SHARE of the total."""
    monthly = daily.assign(month=pd.to_datetime(daily["date"]).dt.strftime("%Y-%m")) \
        .groupby(["month", "channel"])["spend"].sum()
    out = []
    for month in world.months():
        online = 0.0
        total_lines = 0.0
        for ch in CHANNELS:
            spend = float(monthly.get((month, ch.name), 0.0))
            if spend <= 0:
                continue
            factor = rng.uniform(0.96, 1.12)
            if month == "2026-10" and ch.name in ("百度SEM", "抖音"):
                factor = {"百度SEM": 0.84, "抖音": 0.86}[ch.name]  # the bidding war and the campaign
            amount = round(spend * factor, -3)
            out.append({"month": month, "department": ch.department, "category": ch.budget_category,
                        "channel": ch.name, "amount": amount})
            total_lines += amount
            online += amount if ch.budget_category == "online_ads" else 0.0
        for dept, amount in TRAINING.items():
            amount = round(amount * rng.uniform(0.9, 1.1), -3)
            out.append({"month": month, "department": dept, "category": "training", "channel": None,
                        "amount": amount})
            total_lines += amount
        centre = max(0.0, online / ONLINE_SHARE - total_lines)
        out.append({"month": month, "department": world.CENTRE, "category": "other", "channel": None,
                    "amount": round(centre, -3)})
    return pd.DataFrame(out)


# ---- journeys ---------------------------------------------------------------------------

FIRST_TOUCH = {"抖音": .18, "小红书": .14, "朋友圈广告": .12, "知乎信息流": .10, "B站": .07, "直播": .08,
               "百度SEM": .12, "行业展会": .03, "线下沙龙": .04, "老客推荐": .06, "EDM": .03, "私域社群": .03}
LATER_TOUCH = {"百度SEM": .25, "知乎信息流": .10, "线下沙龙": .12, "私域社群": .12, "EDM": .12, "直播": .08,
               "小红书": .06, "抖音": .06, "朋友圈广告": .05, "B站": .02, "行业展会": .02}
CLOSERS = {"百度SEM", "线下沙龙", "老客推荐", "私域社群", "EDM"}


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    names, p = list(weights), np.array(list(weights.values()))
    return names[rng.choice(len(names), p=p / p.sum())]


def journeys(rng: np.random.Generator, n: int = 4500) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Touchpoint journeys: awareness channels open them, search, salons, the community
    and e-mail close them; some touches share a timestamp (kept in sheet order)."""
    touches, conversions = [], []
    span = (LAST_DAY - FIRST_DAY).days - 20
    for j in range(1, n + 1):
        jid = f"J{j:05d}"
        first = _pick(rng, FIRST_TOUCH)
        length = 1 if (first == "老客推荐" and rng.random() < 0.7) else min(7, 1 + int(rng.poisson(1.5)))
        path = [first]
        for _ in range(length - 1):
            path.append(path[-1] if rng.random() < 0.12 else _pick(rng, LATER_TOUCH))
        ts = dt.datetime.combine(FIRST_DAY, dt.time(9)) + dt.timedelta(
            days=int(rng.integers(span)), minutes=int(rng.integers(0, 11 * 60)))
        for k, channel in enumerate(path):
            tie = k and channel != path[k - 1] and rng.random() < 0.05  # same minute as the touch before
            if k and not tie:
                ts += dt.timedelta(minutes=int(rng.exponential(2.5 * 24 * 60)) + 1)
            touches.append((jid, ts.strftime("%Y-%m-%d %H:%M"), channel))
        chance = min(0.7, 0.10 + 0.08 * len(CLOSERS & set(path)) + 0.02 * length)
        if rng.random() < chance:
            converted = ts + dt.timedelta(minutes=int(rng.exponential(1.5 * 24 * 60)))
            at = None if rng.random() < 0.1 else converted.strftime("%Y-%m-%d %H:%M")
            conversions.append((jid, at, round(12_000 * rng.lognormal(0, 0.5), -1)))
    return (pd.DataFrame(touches, columns=["journey_id", "ts", "channel"]),
            pd.DataFrame(conversions, columns=["journey_id", "converted_at", "value"]))


# ---- small tabs -------------------------------------------------------------------------

def experiments() -> pd.DataFrame:
    """Four tests: one clearly won, one too small to tell yet, one with no effect, one
    with three variants. The first variant of each is the control."""
    rows = [
        ("EXP-01", "A 旧落地页", 8200, 328, "lead_conversion", "2026-08-03", "2026-08-30"),
        ("EXP-01", "B 新落地页(案例前置)", 8150, 416, "lead_conversion", "2026-08-03", "2026-08-30"),
        ("EXP-02", "A 标题:产品更新", 2100, 99, "ctr", "2026-09-08", "2026-09-22"),
        ("EXP-02", "B 标题:行业报告免费领", 2080, 114, "ctr", "2026-09-08", "2026-09-22"),
        ("EXP-03", "A 月付价格", 5200, 261, "lead_conversion", "2026-06-01", "2026-07-12"),
        ("EXP-03", "B 年付折后价", 5180, 259, "lead_conversion", "2026-06-01", "2026-07-12"),
        ("EXP-04", "A 标准话术", 3000, 150, "lead_conversion", "2026-09-15", "2026-10-15"),
        ("EXP-04", "B 限时优惠话术", 3050, 171, "lead_conversion", "2026-09-15", "2026-10-15"),
        ("EXP-04", "C 客户案例话术", 2980, 199, "lead_conversion", "2026-09-15", "2026-10-15"),
    ]
    return pd.DataFrame(rows, columns=["experiment_id", "variant", "users", "conversions", "metric",
                                       "start_date", "end_date"])


def benchmarks() -> pd.DataFrame:
    source = "2026 中国B2B营销基准报告（示例数据）"
    rows = [("ctr", 0.012), ("cpc", 6.5), ("cpm", 32.0), ("cpl", 420.0), ("lead_conversion", 0.085),
            ("cac", 3600.0), ("roi", 2.6), ("roas", 3.6), ("engagement_rate", 0.035), ("aov", 11500.0)]
    return pd.DataFrame([(m, v, source) for m, v in rows], columns=["metric", "value", "source"])


def _quarter_days(quarter: str) -> int:
    year, q = int(quarter[:4]), int(quarter[-1])
    first = dt.date(year, 3 * q - 2, 1)
    nxt = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return (nxt - first).days


def targets(daily: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Plans set ahead of each period: close to what happened, some missed, some beaten.
    The last quarter's months get targets too, as a plan would."""
    frame = daily.assign(date=pd.to_datetime(daily["date"]))
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    frame["quarter"] = frame["date"].dt.year.astype(str) + "-Q" + ((frame["date"].dt.month - 1) // 3 + 1).astype(str)
    by_month = frame.groupby("month")[["revenue", "new_customers", "leads", "spend"]].sum()
    out = []
    for month, row in by_month.iterrows():
        out.append(("revenue", month, None, round(row["revenue"] * rng.uniform(0.95, 1.10), -4)))
        out.append(("new_customers", month, None, round(row["new_customers"] * rng.uniform(0.94, 1.10))))
        out.append(("leads", month, None, round(row["leads"] * rng.uniform(0.95, 1.08), -1)))
    last = by_month.loc["2026-10"]
    for month, lift in (("2026-11", 1.25), ("2026-12", 1.08)):
        out.append(("revenue", month, None, round(last["revenue"] * lift, -4)))
        out.append(("new_customers", month, None, round(last["new_customers"] * lift)))
        out.append(("leads", month, None, round(last["leads"] * lift, -1)))
    by_quarter = frame.groupby("quarter")[["spend", "new_customers"]].sum()
    for quarter, row in by_quarter.iterrows():
        cac = row["spend"] / row["new_customers"]
        out.append(("cac", quarter, None, round(cac * rng.uniform(0.92, 1.04), -1)))
    dept = frame.groupby(["quarter", "department"])["revenue"].sum()
    covered = frame.groupby("quarter")["date"].agg(lambda d: d.dt.date.nunique())
    for (quarter, department), revenue in dept.items():
        whole = revenue * _quarter_days(quarter) / covered[quarter]  # the plan covers the whole quarter
        out.append(("revenue", quarter, department, round(whole * rng.uniform(0.94, 1.10), -4)))
    return pd.DataFrame([{"metric": m, "period": p, "department": d, "channel": None, "region": None,
                          "product_line": None, "value": v} for m, p, d, v in out])
