"""UI strings of the OKR page (pages/okr.py, lib/ui/okr.py)."""

STRINGS = {
    "okr.page": {"en": "OKRs", "zh": "OKR 进展"},
    "okr.title": {"en": "OKR progress", "zh": "OKR 进展"},
    "okr.intro": {
        "en": "Objectives and their key results for a quarter, judged at a date: progress against the "
              "share of the quarter that has passed. Key results tied to a metric follow it live; the "
              "others follow the team's check-ins.",
        "zh": "按季度查看目标（O）及其关键结果（KR），在选定日期评估：将进度与季度已过去的比例对比。"
              "关联指标的 KR 实时跟随指标，其余 KR 跟随团队的进展更新。",
    },
    "okr.quarter": {"en": "Quarter", "zh": "季度"},
    "okr.as_of": {"en": "As of", "zh": "评估日期"},
    "okr.as_of_help": {
        "en": "Progress is judged at this date. It starts at today, or at the data's last day ({day}) "
              "when the data ends earlier; a past quarter starts at its last day.",
        "zh": "在该日期评估进度。默认是今天；若数据截止得更早，则为数据的最后一天（{day}）；"
              "已结束的季度默认为其最后一天。",
    },
    "okr.no_objectives": {"en": "No objectives in the objectives tab yet.", "zh": "objectives 表中还没有目标。"},
    "okr.judged": {
        "en": "Judged at {as_of}: {expected} of {quarter} has passed ({elapsed} of {days} days).",
        "zh": "评估日期 {as_of}：{quarter} 已过去 {expected}（{days} 天中的 {elapsed} 天）。",
    },
    "okr.company": {"en": "Company progress", "zh": "公司整体进度"},
    "okr.company_help": {"en": "Mean progress of the top-level objectives; the change is against the expected progress.",
                         "zh": "顶层目标进度的平均值；变化值为相对预期进度的差距。"},
    "okr.expected": {"en": "Expected by now", "zh": "当前应达进度"},
    "okr.objectives_on_track": {"en": "Objectives on track or done", "zh": "正常或已完成的目标"},
    "okr.krs_behind": {"en": "Key results at risk or off track", "zh": "有风险或落后的 KR"},
    "okr.vs_expected": {"en": "{gap} pts vs expected", "zh": "较预期 {gap} 个百分点"},
    "okr.departments": {"en": "By department", "zh": "各部门"},
    "okr.departments_help": {
        "en": "A department's progress is the mean progress of the objectives it owns (an objective owned "
              "by a person counts for that person's department). The line marks the expected progress.",
        "zh": "部门进度为其负责目标的平均进度（由个人负责的目标计入其所在部门）。竖线为预期进度。",
    },
    "okr.department": {"en": "Department", "zh": "部门"},
    "okr.progress": {"en": "Progress", "zh": "进度"},
    "okr.status": {"en": "Status", "zh": "状态"},
    "okr.objectives": {"en": "Objectives", "zh": "目标"},
    "okr.tree_help": {
        "en": "Each objective with its progress (the weighted progress of its key results, each counted "
              "up to 100%) in its status colour; objectives with a parent are shown under it. The dashed "
              "line is the expected progress. Open an objective below for its key results.",
        "zh": "每个目标的进度（其关键结果的加权进度，每个 KR 最多计 100%），颜色表示状态；有上级目标的"
              "显示在上级之下。虚线为预期进度。在下方展开目标可查看其关键结果。",
    },
    "okr.owner": {"en": "Owner: {owner}", "zh": "负责人：{owner}"},
    "okr.owner_department": {"en": "Owner: {owner} ({department})", "zh": "负责人：{owner}（{department}）"},
    "okr.no_owner": {"en": "No owner", "zh": "未指定负责人"},
    "okr.progress_text": {"en": "{progress} (expected {expected})", "zh": "{progress}（预期 {expected}）"},
    "okr.key_results": {"en": "Key results ({n})", "zh": "关键结果（{n}）"},
    "okr.no_key_results": {"en": "This objective has no key results yet.", "zh": "该目标还没有关键结果。"},
    "okr.kr_line": {"en": "Now {current} · start {start} → target {target}",
                    "zh": "当前 {current} · 起点 {start} → 目标 {target}"},
    "okr.kr_progress": {"en": "Progress {progress} (expected {expected})", "zh": "进度 {progress}（预期 {expected}）"},
    "okr.kr_no_value": {"en": "No value yet", "zh": "尚无数值"},
    "okr.confidence": {"en": "Confidence {confidence}/10", "zh": "信心 {confidence}/10"},
    "okr.low_confidence": {"en": "Low confidence ({confidence}/10): at least at risk",
                           "zh": "信心偏低（{confidence}/10）：至少为“有风险”"},
    "okr.live_metric": {"en": "Live from the metric {metric}, {start} to {end}",
                        "zh": "实时指标 {metric}，{start} 至 {end}"},
    "okr.open_in_cockpit": {"en": "Open {metric} on the cockpit", "zh": "在驾驶舱查看 {metric}"},
    "okr.last_checkin": {"en": "Last check-in {date}", "zh": "最近更新 {date}"},
    "okr.weight": {"en": "Weight {weight}", "zh": "权重 {weight}"},
    "okr.status.done": {"en": "Done", "zh": "已完成"},
    "okr.status.on_track": {"en": "On track", "zh": "正常"},
    "okr.status.at_risk": {"en": "At risk", "zh": "有风险"},
    "okr.status.off_track": {"en": "Off track", "zh": "落后"},
    "okr.status.not_started": {"en": "Not started", "zh": "未开始"},
    # burn-up chart
    "okr.chart.date": {"en": "Date", "zh": "日期"},
    "okr.chart.value": {"en": "Value", "zh": "数值"},
    "okr.chart.series": {"en": "Line", "zh": "曲线"},
    "okr.chart.ideal": {"en": "Ideal", "zh": "理想进度"},
    "okr.chart.checkins": {"en": "Check-ins", "zh": "进展更新"},
    "okr.chart.metric": {"en": "Live metric", "zh": "实时指标"},
    "okr.chart.expected": {"en": "Expected", "zh": "预期"},
    "okr.chart.help": {
        "en": "Burn-up: the dashed line runs from the start value on the quarter's first day to the target "
              "on its last; check-ins show the last value of each week{metric}. The diamond is where the "
              "line stands at the as-of date (the red rule). Below: the confidence of each week's last "
              "check-in; the orange line is the low-confidence level ({low}).",
        "zh": "燃尽（累积）图：虚线从季度第一天的起点连到最后一天的目标；进展更新显示每周最后一次的数值{metric}。"
              "菱形为评估日期（红色竖线）时理想线上的位置。下方为每周最后一次更新的信心值，橙色线为低信心阈值（{low}）。",
    },
    "okr.chart.help_metric": {"en": "; the green line is the metric's quarter-to-date value at the end of each week",
                              "zh": "；绿线为指标在每周末的季度累计值"},
    "okr.chart.confidence": {"en": "Confidence", "zh": "信心"},
    "okr.chart.week": {"en": "Week", "zh": "周"},
    # recent check-ins and the form
    "okr.recent": {"en": "Latest check-ins this quarter", "zh": "本季度最新进展更新"},
    "okr.recent_none": {"en": "No check-ins in this quarter up to {as_of}.", "zh": "本季度截至 {as_of} 还没有进展更新。"},
    "okr.col.kr": {"en": "Key result", "zh": "关键结果"},
    "okr.col.date": {"en": "Date", "zh": "日期"},
    "okr.col.value": {"en": "Value", "zh": "数值"},
    "okr.col.confidence": {"en": "Confidence", "zh": "信心"},
    "okr.col.note": {"en": "Note", "zh": "备注"},
    "okr.col.author": {"en": "Author", "zh": "填写人"},
    "okr.form.title": {"en": "Add a check-in", "zh": "新增进展更新"},
    "okr.form.where": {"en": "The check-in is added as a new row to the checkins tab of {source}.",
                       "zh": "进展更新会作为新行写入 {source} 的 checkins 表。"},
    "okr.form.kr": {"en": "Key result", "zh": "关键结果"},
    "okr.form.date": {"en": "Date", "zh": "日期"},
    "okr.form.value": {"en": "Value", "zh": "数值"},
    "okr.form.value_help": {"en": "As you would type it in the sheet: 1,234 · ¥1,234 · 12%",
                            "zh": "与在表格中填写的方式相同：1,234 · ¥1,234 · 12%"},
    "okr.form.confidence": {"en": "Confidence (0-10)", "zh": "信心（0-10）"},
    "okr.form.note": {"en": "Note", "zh": "备注"},
    "okr.form.submit": {"en": "Save check-in", "zh": "保存进展更新"},
    "okr.form.saving": {"en": "Saving the check-in…", "zh": "正在保存进展更新…"},
    "okr.form.saved": {"en": "Saved: {kr} = {value} on {date} in {source}.",
                       "zh": "已保存：{kr} = {value}（{date}），写入 {source}。"},
    "okr.form.duplicate": {"en": "This check-in was already saved ({kr} = {value} on {date}); it was not written again.",
                           "zh": "该进展更新已保存过（{kr} = {value}，{date}），未重复写入。"},
    "okr.form.dropped": {"en": "Not saved, because the checkins tab has no such column: {columns}. Add the column to row 1 of the tab.",
                         "zh": "以下内容未保存，因为 checkins 表没有对应的列：{columns}。请在该表第 1 行添加这些列。"},
    "okr.form.failed": {"en": "The check-in was not saved: {reason}. What you typed is kept; fix it and save again.",
                        "zh": "进展更新未保存：{reason}。您填写的内容已保留，修改后请重新保存。"},
    "okr.form.read_only": {"en": "Your role can look at OKRs but not add check-ins.",
                           "zh": "您的角色可以查看 OKR，但不能新增进展更新。"},
    "okr.form.no_krs": {"en": "This quarter has no key results to check in on.", "zh": "本季度没有可更新的关键结果。"},
    "okr.issues": {"en": "Problems with the OKR tabs", "zh": "OKR 数据表的问题"},
}
