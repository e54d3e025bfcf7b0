"""Strings of the channel comparison page (pages/channels.py, lib/ui/channels.py, lib/channels/charts.py)."""

STRINGS = {
    "channels.title": {"en": "Channel comparison", "zh": "渠道对比"},
    "channels.loading": {"en": "Adding up the channels…", "zh": "正在汇总各渠道数据…"},
    "channels.no_period": {"en": "There is no complete period in the daily marketing data yet.",
                           "zh": "每日营销数据中还没有完整的周期。"},
    "channels.empty": {"en": "No channel has data for this selection.", "zh": "当前筛选条件下没有渠道数据。"},
    "channels.compared": {"en": "changes against {previous}", "zh": "变化对比 {previous}"},
    "channels.drill.all": {"en": "All channels", "zh": "全部渠道"},
    "channels.headline.blended_cac": {"en": "Blended CAC", "zh": "综合获客成本"},
    # ---- sections ---------------------------------------------------------------------
    "channels.tab.table": {"en": ":material/table_chart: Channels", "zh": ":material/table_chart: 渠道明细"},
    "channels.tab.funnels": {"en": ":material/filter_alt: Funnels", "zh": ":material/filter_alt: 转化漏斗"},
    "channels.tab.efficiency": {"en": ":material/target: Efficiency & advice", "zh": ":material/target: 效率与建议"},
    "channels.tab.quality": {"en": ":material/military_tech: Quality score", "zh": ":material/military_tech: 渠道质量分"},
    "channels.tab.attribution": {"en": ":material/alt_route: Attribution", "zh": ":material/alt_route: 归因分析"},
    "channels.tab.changes": {"en": ":material/compare_arrows: Week / month over month", "zh": ":material/compare_arrows: 周环比 / 月环比"},
    # ---- table ------------------------------------------------------------------------
    "channels.col.channel": {"en": "Channel", "zh": "渠道"},
    "channels.col.spend": {"en": "Spend", "zh": "花费"},
    "channels.col.ltv_12": {"en": "LTV (12 mo)", "zh": "12个月 LTV"},
    "channels.col.ltv_cac": {"en": "LTV/CAC", "zh": "LTV/CAC"},
    "channels.col.payback": {"en": "Payback (months)", "zh": "回本月数"},
    "channels.help.ltv": {"en": "Projected revenue per customer acquired in the 12 months up to the period's end, "
                                "against that year's CAC (see the Customers page for the method)",
                          "zh": "截至本期末 12 个月内获得的客户的预测人均收入，与同期 CAC 对比（方法见“客户价值”页）"},
    "channels.col.share_of_spend": {"en": "Share of spend", "zh": "花费占比"},
    "channels.col.share_of_new_customers": {"en": "Share of new customers", "zh": "新客占比"},
    "channels.help.share_of_spend": {"en": "The channel's spend / the spend of all channels shown.",
                                     "zh": "该渠道花费 ÷ 所列全部渠道花费。"},
    "channels.help.share_of_new_customers": {"en": "The channel's new customers / the new customers of all channels shown.",
                                             "zh": "该渠道新客户数 ÷ 所列全部渠道新客户数。"},
    "channels.table.note": {
        "en": "Click a column header to sort. CVR = leads / clicks, lead conversion = new customers / leads. "
              "Shares are of the channels shown; the bars are scaled to the largest share. "
              "— means there is no value (a division by zero: no impressions or clicks offline, no new customers), not 0.",
        "zh": "点击列标题可排序。转化率 = 线索数 ÷ 点击量，线索转化率 = 新客户数 ÷ 线索数。"
              "占比以所列渠道为总数，条形按最大占比缩放。“—”表示没有数值（除数为零：线下渠道无曝光或点击、没有新客户），而不是 0。",
    },
    "channels.table.inside": {"en": "Inside {channel}: by region", "zh": "{channel}：按区域拆分"},
    # ---- funnels ----------------------------------------------------------------------
    "channels.funnel.pick": {"en": "Channels to compare", "zh": "对比的渠道"},
    "channels.funnel.none": {"en": "Pick at least one channel.", "zh": "请至少选择一个渠道。"},
    "channels.funnel.stage": {"en": "Stage", "zh": "阶段"},
    "channels.funnel.count": {"en": "Count", "zh": "数量"},
    "channels.funnel.step": {"en": "From the stage before", "zh": "较上一阶段转化"},
    "channels.funnel.note": {
        "en": "Impressions → clicks → leads → new customers on a log scale; in brackets the share of the stage "
              "before that reached this one. Offline channels start at leads.",
        "zh": "曝光 → 点击 → 线索 → 新客户（对数刻度）；括号内为上一阶段转化到本阶段的比例。线下渠道从线索开始。",
    },
    # ---- efficiency and recommendations -------------------------------------------------
    "channels.efficiency.cac_axis": {"en": "CAC (¥)", "zh": "获客成本（¥）"},
    "channels.efficiency.action": {"en": "Advice", "zh": "建议"},
    "channels.efficiency.blended": {"en": "blended CAC", "zh": "综合获客成本"},
    "channels.efficiency.low_cac": {"en": "low CAC ({ratio} of blended)", "zh": "低获客成本（综合的 {ratio}）"},
    "channels.efficiency.high_cac": {"en": "high CAC ({ratio} of blended)", "zh": "高获客成本（综合的 {ratio}）"},
    "channels.efficiency.small_share": {"en": "← small share (< {share})", "zh": "← 小占比（< {share}）"},
    "channels.efficiency.large_share": {"en": "large share (≥ {share}) →", "zh": "大占比（≥ {share}）→"},
    "channels.efficiency.note": {
        "en": "Bubble area = spend. Dashed lines: the CAC and share thresholds from config/channels.yaml. "
              "Click a bubble to look at that channel alone.",
        "zh": "气泡面积 = 花费。虚线为 config/channels.yaml 中的获客成本与占比阈值。点击气泡可单独查看该渠道。",
    },
    "channels.efficiency.no_cac": {"en": "No channel won a new customer in this selection, so there is no CAC to compare.",
                                   "zh": "当前筛选下没有渠道获得新客户，无法比较获客成本。"},
    "channels.action.scale_up": {"en": "Scale up", "zh": "加大投入"},
    "channels.action.review": {"en": "Review", "zh": "复盘优化"},
    "channels.action.no_customers": {"en": "No new customers", "zh": "无新客户"},
    "channels.action.hold": {"en": "Hold", "zh": "保持"},
    "channels.action.too_few": {"en": "Too few to judge", "zh": "样本过少"},
    "channels.advice.title": {"en": "Recommendations", "zh": "建议清单"},
    "channels.advice.none": {"en": "Nothing to act on: no channel is both cheap and small, or expensive and large.",
                             "zh": "暂无需要调整的渠道：没有既便宜又占比小、或既昂贵又占比大的渠道。"},
    "channels.advice.scale_up": {
        "en": "**Scale up {channel}**: CAC {cac} is {ratio} of the blended {blended}, and it brings only {share} "
              "of the new customers.",
        "zh": "**加大投入 {channel}**：获客成本 {cac}，仅为综合获客成本 {blended} 的 {ratio}，但只带来 {share} 的新客户。",
    },
    "channels.advice.review": {
        "en": "**Review {channel}**: CAC {cac} is {ratio} of the blended {blended}, on {share} of the new "
              "customers; it pushes the blended CAC up.",
        "zh": "**复盘 {channel}**：获客成本 {cac}，是综合获客成本 {blended} 的 {ratio}，且占新客户的 {share}，"
              "拉高了整体获客成本。",
    },
    "channels.advice.no_customers": {
        "en": "**Review {channel}**: {spend} spent without a single new customer.",
        "zh": "**复盘 {channel}**：花费 {spend}，但没有获得任何新客户。",
    },
    "channels.advice.rules": {
        "en": "Scale up: CAC ≤ {low} of blended and under {small} of new customers. Review: CAC ≥ {high} of "
              "blended and at least {large} of new customers. Channels with fewer than {min} new customers are "
              "not judged. Thresholds: config/channels.yaml.",
        "zh": "加大投入：获客成本 ≤ 综合的 {low} 且新客占比低于 {small}。复盘：获客成本 ≥ 综合的 {high} 且新客占比至少 {large}。"
              "新客户少于 {min} 个的渠道不作判断。阈值见 config/channels.yaml。",
    },
    # ---- quality score -----------------------------------------------------------------
    "channels.quality.score": {"en": "Quality score", "zh": "质量分"},
    "channels.quality.grade": {"en": "Grade", "zh": "等级"},
    "channels.quality.rank": {"en": "Rank", "zh": "排名"},
    "channels.quality.coverage": {"en": "Coverage", "zh": "覆盖度"},
    "channels.quality.coverage_help": {
        "en": "Share of the weights the channel has data for (offline channels have no CTR).",
        "zh": "该渠道有数据的指标权重之和（线下渠道没有点击率）。",
    },
    "channels.quality.norm_help": {
        "en": "{metric} normalised over the channels shown: 1 = best, 0 = worst.",
        "zh": "{metric}在所列渠道中的归一化得分：1 = 最好，0 = 最差。",
    },
    "channels.quality.note": {
        "en": "Score = weighted average of the normalised metrics × 100 (weights: {weights}); a channel is scored "
              "on the metrics it has. Weights and grades: config/channels.yaml.",
        "zh": "质量分 = 各归一化指标的加权平均 × 100（权重：{weights}）；渠道仅按其有数据的指标计分。"
              "权重与等级见 config/channels.yaml。",
    },
    # ---- attribution -------------------------------------------------------------------
    "channels.attribution.scope": {"en": "Journeys", "zh": "用户旅程"},
    "channels.attribution.scope_period": {"en": "ending in {period}", "zh": "结束于 {period}"},
    "channels.attribution.scope_all": {"en": "all", "zh": "全部"},
    "channels.attribution.measure": {"en": "Credit", "zh": "归因口径"},
    "channels.attribution.conversions": {"en": "Conversions", "zh": "转化数"},
    "channels.attribution.value": {"en": "Value (¥)", "zh": "转化价值（¥）"},
    "channels.attribution.model": {"en": "Model", "zh": "模型"},
    "channels.attribution.computing": {"en": "Crediting the journeys…", "zh": "正在计算归因…"},
    "channels.attribution.none": {"en": "No journey converted in this selection.", "zh": "当前范围内没有完成转化的旅程。"},
    "channels.attribution.note": {
        "en": "{converted} of {journeys} journeys converted, worth {value}. Every model splits each converted "
              "journey's conversion and value over its touches, so each column adds up to {total}. Time decay "
              "halves a touch's weight every {half_life} days before the conversion; Markov uses the removal "
              "effect over all journeys, converted or not. Filters other than channel do not apply to journeys.",
        "zh": "{journeys} 条旅程中 {converted} 条完成转化，价值 {value}。每个模型都把每条转化旅程的转化与价值分配给其触点，"
              "因此每一列合计都是 {total}。时间衰减模型中，触点距转化每远 {half_life} 天权重减半；马尔可夫模型基于全部旅程"
              "（含未转化）的移除效应。除渠道外的筛选条件不作用于旅程。",
    },
    "channels.model.first_touch": {"en": "First touch", "zh": "首次触点"},
    "channels.model.last_touch": {"en": "Last touch", "zh": "末次触点"},
    "channels.model.linear": {"en": "Linear", "zh": "线性"},
    "channels.model.position_based": {"en": "Position-based", "zh": "位置加权"},
    "channels.model.time_decay": {"en": "Time decay", "zh": "时间衰减"},
    "channels.model.markov": {"en": "Markov", "zh": "马尔可夫"},
    # ---- week over week, month over month ------------------------------------------------
    "channels.compare.kind": {"en": "Compare", "zh": "对比方式"},
    "channels.compare.week": {"en": "Week over week", "zh": "周环比"},
    "channels.compare.month": {"en": "Month over month", "zh": "月环比"},
    "channels.compare.metric": {"en": "Metric in the chart", "zh": "图表指标"},
    "channels.compare.periods": {"en": "{now} against {before}", "zh": "{now} 对比 {before}"},
    "channels.compare.change_of": {"en": "Change of {metric}, {before} → {now}", "zh": "{metric}变化（{before} → {now}）"},
    "channels.compare.change": {"en": "Change", "zh": "变化"},
    "channels.compare.pct": {"en": "Change %", "zh": "变化率"},
}
