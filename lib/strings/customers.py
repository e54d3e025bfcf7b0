"""Strings of the Customer value page (pages/customers.py, lib/ui/customers.py)."""
STRINGS = {
    "customers.page": {"en": "Customer value", "zh": "客户价值"},
    "customers.title": {"en": "Customer value", "zh": "客户价值"},
    "customers.intro": {
        "en": "What a customer is worth over time, by the channel that brought them: how many keep ordering, "
              "what they spend, how they compare with what they cost; which customers need which care; which "
              "tests worked; and what has not paid back yet.",
        "zh": "按获客渠道看客户的长期价值：多少客户持续下单、消费多少、与获客成本相比如何；哪些客户需要怎样的维护；"
              "哪些实验有效；哪些投入尚未回本。",
    },
    # ---- filters -----------------------------------------------------------------------
    "customers.as_of": {"en": "As of", "zh": "截至日期"},
    "customers.as_of_help": {
        "en": "Orders up to this day count. A month counts in the cohorts only once it is complete.",
        "zh": "统计截至该日的订单。同期群只计入已结束的完整月份。",
    },
    "customers.channels": {"en": "Channels", "zh": "渠道"},
    "customers.regions": {"en": "Regions", "zh": "区域"},
    "customers.product_lines": {"en": "Product lines", "zh": "产品线"},
    "customers.all": {"en": "All", "zh": "全部"},
    "customers.computing": {"en": "Computing customer value…", "zh": "正在计算客户价值…"},
    "customers.needs": {
        "en": "This part needs the tab(s) {tabs}, which no source provides. Add them to the sheet: {columns}",
        "zh": "此部分需要数据表 {tabs}，但没有数据源提供。请在表格中添加：{columns}",
    },
    "customers.no_customers": {"en": "No customers in this selection.", "zh": "当前筛选下没有客户。"},
    # ---- tabs --------------------------------------------------------------------------
    "customers.tab_retention": {"en": "Retention", "zh": "留存"},
    "customers.tab_ltv": {"en": "Lifetime value", "zh": "客户终身价值"},
    "customers.tab_rfm": {"en": "RFM tiers", "zh": "RFM 分层"},
    "customers.tab_abtest": {"en": "A/B tests", "zh": "A/B 实验"},
    "customers.tab_break_even": {"en": "Break-even", "zh": "回本预警"},
    # ---- retention ---------------------------------------------------------------------
    "customers.kpi_customers": {"en": "Customers", "zh": "客户数"},
    "customers.kpi_repeat": {"en": "Repeat-purchase rate", "zh": "复购率"},
    "customers.kpi_repeat_help": {"en": "Customers with two or more orders, of customers with an order",
                                  "zh": "下单两次及以上的客户 ÷ 有下单的客户"},
    "customers.kpi_month": {"en": "Still ordering in month {k}", "zh": "第 {k} 个月仍下单"},
    "customers.kpi_month_help": {"en": "Share of customers with an order in the {k}th month after the month "
                                       "they were acquired (all cohorts that have reached it)",
                                 "zh": "获客当月之后第 {k} 个月有下单的客户占比（所有已到达该月的同期群）"},
    "customers.heatmap": {"en": "Retention by acquisition month", "zh": "按获客月份的留存"},
    "customers.heatmap_channel": {"en": "Channel", "zh": "渠道"},
    "customers.all_channels": {"en": "All channels", "zh": "全部渠道"},
    "customers.month_axis": {"en": "Months since acquisition", "zh": "获客后月数"},
    "customers.cohort_axis": {"en": "Acquired in", "zh": "获客月份"},
    "customers.retention": {"en": "Still ordering", "zh": "仍在下单"},
    "customers.active": {"en": "Ordering", "zh": "下单客户"},
    "customers.curves": {"en": "Retention curves by channel", "zh": "各渠道留存曲线"},
    "customers.curves_caption": {
        "en": "Month 1 onwards; each point pools the cohorts that have reached that month. Up to {last}, the last "
              "complete month.",
        "zh": "从第 1 个月起；每个点汇总已到达该月的所有同期群。截至最后一个完整月份 {last}。",
    },
    "customers.repeat_title": {"en": "Repeat-purchase rate by channel", "zh": "各渠道复购率"},
    "customers.col_channel": {"en": "Channel", "zh": "渠道"},
    "customers.col_customers": {"en": "Customers", "zh": "客户数"},
    "customers.col_buyers": {"en": "With an order", "zh": "有下单"},
    "customers.col_repeat_buyers": {"en": "Two or more orders", "zh": "两单及以上"},
    "customers.col_repeat_rate": {"en": "Repeat-purchase rate", "zh": "复购率"},
    # ---- ltv ---------------------------------------------------------------------------
    "customers.ltv_title": {"en": "Lifetime value against acquisition cost", "zh": "客户终身价值与获客成本"},
    "customers.ltv_caption": {
        "en": "Revenue per acquired customer{margin}. Observed: what cohorts have spent so far; projected: the "
              "first month plus a fitted monthly decay of the retention curve. LTV/CAC uses the {horizon}-month LTV; "
              "CAC is spend ÷ new customers of the channel over the same period.",
        "zh": "每位获客客户带来的销售额{margin}。实际值：同期群至今的消费；预测值：首月消费加上按月衰减拟合的留存曲线。"
              "LTV/CAC 使用 {horizon} 个月 LTV；CAC 为同期该渠道花费 ÷ 新客户数。",
    },
    "customers.ltv_margin": {"en": " × margin {margin}", "zh": " × 毛利率 {margin}"},
    "customers.col_ltv_12": {"en": "LTV 12 months", "zh": "12 个月 LTV"},
    "customers.col_ltv_24": {"en": "LTV 24 months", "zh": "24 个月 LTV"},
    "customers.col_cac": {"en": "CAC", "zh": "获客成本"},
    "customers.col_ltv_cac": {"en": "LTV/CAC", "zh": "LTV/CAC"},
    "customers.col_payback": {"en": "Payback (months)", "zh": "回本周期（月）"},
    "customers.col_month0": {"en": "First month", "zh": "首月消费"},
    "customers.col_decay": {"en": "Monthly retention factor", "zh": "月留存衰减系数"},
    "customers.payback_never": {"en": "not within {months} months", "zh": "{months} 个月内未回本"},
    "customers.ltv_curve": {"en": "Cumulative value per customer", "zh": "每位客户累计价值"},
    "customers.ltv_ratio_chart": {"en": "LTV/CAC by channel", "zh": "各渠道 LTV/CAC"},
    "customers.observed": {"en": "observed", "zh": "实际"},
    "customers.projected": {"en": "projected", "zh": "预测"},
    "customers.value": {"en": "Value per customer", "zh": "每位客户价值"},
    "customers.kind": {"en": "Line", "zh": "曲线"},
    "customers.no_cac": {"en": "CAC needs the daily marketing tab (marketing_daily); LTV is shown without it.",
                         "zh": "获客成本需要每日营销数据表（marketing_daily）；下方仅显示 LTV。"},
    "customers.ltv_missing": {
        "en": "A dash: too little history to fit the decay (two months with at least {n} customers each are needed).",
        "zh": "显示“—”表示历史数据不足以拟合衰减（需要至少两个月、每月至少 {n} 位客户）。",
    },
    # ---- rfm ---------------------------------------------------------------------------
    "customers.rfm_caption": {
        "en": "Recency, frequency and monetary scores 1–{bins} (quantile bins of all customers in the selection). "
              "Dormant: no order since {cutoff}. High value: R ≥ {r}, F ≥ {f}, M ≥ {m}. Everyone else: potential.",
        "zh": "最近消费、消费频次、消费金额各评 1–{bins} 分（按当前筛选下全部客户的分位数分箱）。"
              "沉睡：{cutoff} 之后无订单。高价值：R ≥ {r}、F ≥ {f}、M ≥ {m}。其余为潜力客户。",
    },
    "customers.tier_shares": {"en": "{customers} of customers · {revenue} of revenue",
                              "zh": "占客户 {customers} · 占销售额 {revenue}"},
    "customers.care": {"en": "Suggested care", "zh": "建议维护方式"},
    "customers.tier_chart": {"en": "Share of customers and of revenue", "zh": "客户占比与销售额占比"},
    "customers.share_customers": {"en": "Customers", "zh": "客户"},
    "customers.share_revenue": {"en": "Revenue", "zh": "销售额"},
    "customers.share": {"en": "Share", "zh": "占比"},
    "customers.tier": {"en": "Tier", "zh": "分层"},
    "customers.tier_list": {"en": "Customers of a tier", "zh": "分层客户名单"},
    "customers.tier_preview": {"en": "The {shown} highest-revenue of {total} customers; download the full list.",
                               "zh": "显示销售额最高的 {shown} 位（共 {total} 位）；完整名单请下载。"},
    "customers.download_csv": {"en": "Download the list (.csv)", "zh": "下载名单（.csv）"},
    "customers.download_xlsx": {"en": "Download the list (.xlsx)", "zh": "下载名单（.xlsx）"},
    "customers.no_personal": {"en": "Customer lists are not shown to this role.", "zh": "此角色不显示客户名单。"},
    "customers.col_customer_id": {"en": "Customer", "zh": "客户"},
    "customers.col_region": {"en": "Region", "zh": "区域"},
    "customers.col_segment": {"en": "Segment", "zh": "客户类型"},
    "customers.col_acquired": {"en": "Acquired", "zh": "获客日期"},
    "customers.col_last_order": {"en": "Last order", "zh": "最近下单"},
    "customers.col_orders": {"en": "Orders", "zh": "订单数"},
    "customers.col_revenue": {"en": "Revenue", "zh": "销售额"},
    "customers.col_rfm": {"en": "R · F · M", "zh": "R · F · M"},
    # ---- a/b tests ---------------------------------------------------------------------
    "customers.ab_caption": {
        "en": "Each variant against the experiment's first variant in the sheet (the control). Two-sided pooled "
              "z-test; significant when p < {alpha}; no effect when the {level} interval of the difference stays "
              "within ±{band} of the control rate; otherwise not yet. Users needed: per variant, to detect the "
              "observed difference with power {power}.",
        "zh": "每个变体与表格中该实验的第一个变体（对照组）比较。双侧合并两比例 z 检验；p < {alpha} 为显著；"
              "差值的 {level} 置信区间落在对照组转化率 ±{band} 以内为无效果；否则为尚无定论。所需用户数：每组达到 "
              "{power} 检验功效所需的用户数。",
    },
    "customers.ab_summary": {"en": "All experiments", "zh": "全部实验"},
    "customers.col_experiment": {"en": "Experiment", "zh": "实验"},
    "customers.col_variant": {"en": "Variant", "zh": "变体"},
    "customers.col_users": {"en": "Users", "zh": "用户数"},
    "customers.col_conversions": {"en": "Conversions", "zh": "转化数"},
    "customers.col_rate": {"en": "Conversion rate", "zh": "转化率"},
    "customers.col_lift": {"en": "Lift", "zh": "相对提升"},
    "customers.col_abs_lift": {"en": "Difference", "zh": "差值"},
    "customers.col_p": {"en": "p-value", "zh": "p 值"},
    "customers.col_ci": {"en": "{level} CI of the difference", "zh": "差值 {level} 置信区间"},
    "customers.col_needed": {"en": "Users needed", "zh": "所需用户数"},
    "customers.col_verdict": {"en": "Verdict", "zh": "结论"},
    "customers.col_problem": {"en": "Problem", "zh": "问题"},
    "customers.control": {"en": "control", "zh": "对照组"},
    "customers.col_control": {"en": "Control", "zh": "对照组"},
    "customers.verdict.significant": {"en": "significant", "zh": "显著"},
    "customers.verdict.not_yet": {"en": "not yet", "zh": "尚无定论"},
    "customers.verdict.no_effect": {"en": "no effect", "zh": "无效果"},
    "customers.ab_period": {"en": "{metric} · {start} → {end}", "zh": "{metric} · {start} → {end}"},
    "customers.ab_chart": {"en": "Conversion rate with its {level} interval", "zh": "转化率及其 {level} 置信区间"},
    # ---- break-even --------------------------------------------------------------------
    "customers.be_caption": {
        "en": "Campaigns: revenue on the campaign's days against its spend, once {months} months have passed since "
              "it started. Channels: order revenue of the customers acquired {since} → {until} against the "
              "channel's spend in those months.",
        "zh": "活动：开始满 {months} 个月后，活动期间销售额与花费的对比。渠道：{since} → {until} 获取的客户的订单销售额，"
              "与该渠道这几个月的花费对比。",
    },
    "customers.be_flagged": {"en": "{n} not paid back after {months} months", "zh": "{n} 项满 {months} 个月仍未回本"},
    "customers.be_none": {"en": "Everything judged so far has paid back within {months} months.",
                          "zh": "已到期的活动与渠道均在 {months} 个月内回本。"},
    "customers.be_chart": {"en": "Revenue as a share of spend", "zh": "销售额 ÷ 花费"},
    "customers.col_kind": {"en": "Kind", "zh": "类型"},
    "customers.col_name": {"en": "Name", "zh": "名称"},
    "customers.col_since": {"en": "Since", "zh": "起始"},
    "customers.col_horizon_end": {"en": "Horizon ends", "zh": "回本期限"},
    "customers.col_spend": {"en": "Spend", "zh": "花费"},
    "customers.col_coverage": {"en": "Paid back", "zh": "回本比例"},
    "customers.col_shortfall": {"en": "Shortfall", "zh": "缺口"},
    "customers.col_status": {"en": "Status", "zh": "状态"},
    "customers.kind.campaign": {"en": "campaign", "zh": "活动"},
    "customers.kind.channel": {"en": "channel", "zh": "渠道"},
    "customers.status.not_covered": {"en": "not paid back", "zh": "未回本"},
    "customers.status.covered": {"en": "paid back", "zh": "已回本"},
    "customers.status.pending": {"en": "horizon not reached", "zh": "未到期"},
}
