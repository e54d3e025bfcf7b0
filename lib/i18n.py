"""Every string the UI shows, in English and Simplified Chinese, in one place.

`t("home.title", "zh")` returns the Chinese text; `{name}` placeholders are filled from
keyword arguments. A test checks that every key has both languages and that every key
used in pages/ and lib/ui/ exists here.
"""
from __future__ import annotations

LANGS = {"en": "English", "zh": "中文"}
DEFAULT_LANG = "en"

STRINGS: dict[str, dict[str, str]] = {
    # ---- app frame ---------------------------------------------------------------------
    "app.title": {"en": "Marketing Cockpit", "zh": "营销驾驶舱"},
    "app.language": {"en": "Language", "zh": "语言"},
    "app.refresh": {"en": "Refresh now", "zh": "立即刷新"},
    "app.refresh_help": {"en": "Read every source again now instead of waiting {minutes} minutes",
                         "zh": "立即重新读取所有数据源，不必等待 {minutes} 分钟"},
    "app.loading": {"en": "Reading and checking the data…", "zh": "正在读取并校验数据…"},
    "app.loaded": {"en": "Data loaded {age}", "zh": "数据加载于{age}"},
    "app.config_invalid": {"en": "The configuration has problems; fix them and reload the page.",
                           "zh": "配置文件有问题，请修正后刷新页面。"},
    "nav.overview": {"en": "Overview", "zh": "总览"},
    "nav.data": {"en": "Data", "zh": "数据"},
    "nav.marketing": {"en": "Marketing", "zh": "营销"},
    "nav.goals": {"en": "Goals", "zh": "目标"},
    "page.home": {"en": "Home", "zh": "首页"},
    "page.data_quality": {"en": "Data quality", "zh": "数据质量"},
    "page.channels": {"en": "Channels", "zh": "渠道对比"},
    # ---- source banners ----------------------------------------------------------------
    "banner.stale": {
        "en": "Source {source} could not be read ({error}). Showing the last good data, loaded {age}.",
        "zh": "数据源 {source} 读取失败（{error}）。当前显示上次成功加载的数据（{age}）。",
    },
    "banner.unavailable": {
        "en": "Source {source} is unavailable ({error}) and there is no earlier data to show.",
        "zh": "数据源 {source} 不可用（{error}），且没有可显示的历史数据。",
    },
    "missing.tabs": {
        "en": "This page needs the tab(s) {tabs}, which no source provides. Add them to the sheet: {columns}",
        "zh": "本页需要数据表 {tabs}，但没有数据源提供。请在表格中添加：{columns}",
    },
    # ---- home --------------------------------------------------------------------------
    "home.title": {"en": "Marketing Cockpit", "zh": "营销驾驶舱"},
    "home.intro": {
        "en": "One shared sheet in, every marketing and team number out. This page shows what "
              "is loaded and whether it is fresh; bad rows are set aside and listed under Data quality.",
        "zh": "一张共享表格录入，所有营销与团队指标一览。本页显示已加载的数据及其新鲜度；"
              "有问题的行会被隔离，并在“数据质量”页列出。",
    },
    "home.tabs_loaded": {"en": "Tabs loaded", "zh": "已加载数据表"},
    "home.good_rows": {"en": "Good rows", "zh": "有效行"},
    "home.quarantined": {"en": "Quarantined rows", "zh": "隔离行"},
    "home.period": {"en": "Data covers", "zh": "数据覆盖"},
    "home.months": {"en": "{n} months", "zh": "{n} 个月"},
    "home.sources": {"en": "Sources", "zh": "数据源"},
    "home.tabs": {"en": "What is loaded", "zh": "已加载内容"},
    "home.see_quality": {"en": "See the quarantined rows", "zh": "查看隔离行"},
    "home.not_loaded": {"en": "Not loaded", "zh": "未加载"},
    "home.config_problems": {"en": "Configuration problems", "zh": "配置问题"},
    "home.rows_chart": {"en": "Rows per tab", "zh": "各数据表行数"},
    "col.tab": {"en": "Tab", "zh": "数据表"},
    "col.description": {"en": "Contents", "zh": "内容"},
    "col.source": {"en": "Source", "zh": "数据源"},
    "col.rows": {"en": "Rows", "zh": "行数"},
    "col.quarantined": {"en": "Quarantined", "zh": "隔离"},
    "col.freshness": {"en": "Freshness", "zh": "新鲜度"},
    "col.status": {"en": "Status", "zh": "状态"},
    "col.error": {"en": "Error", "zh": "错误"},
    "col.row": {"en": "Sheet row", "zh": "表格行号"},
    "col.column": {"en": "Column", "zh": "列"},
    "col.value": {"en": "Value", "zh": "值"},
    "col.problem": {"en": "Problem", "zh": "问题"},
    "col.expected": {"en": "Expected", "zh": "应为"},
    "col.level": {"en": "Level", "zh": "级别"},
    "col.kind": {"en": "Kind", "zh": "类型"},
    "status.ok": {"en": "OK", "zh": "正常"},
    "status.stale": {"en": "Stale: last good data", "zh": "过期：上次有效数据"},
    "status.failed": {"en": "Failed", "zh": "失败"},
    "status.live": {"en": "live in database", "zh": "数据库实时"},
    "level.error": {"en": "error", "zh": "错误"},
    "level.warning": {"en": "warning", "zh": "警告"},
    # ---- data quality ------------------------------------------------------------------
    "dq.title": {"en": "Data quality", "zh": "数据质量"},
    "dq.intro": {
        "en": "Every row set aside, with the spreadsheet row (the header is row 1), the column, "
              "the value as typed and what was expected. The other rows are in use.",
        "zh": "所有被隔离的行：表格行号（表头为第 1 行）、列、原始值以及应填写的内容。其余行正常使用。",
    },
    "dq.filter_tab": {"en": "Tab", "zh": "数据表"},
    "dq.all_tabs": {"en": "All tabs", "zh": "全部数据表"},
    "dq.none": {"en": "No quarantined rows: every row passed the checks.",
                "zh": "没有隔离行：所有行均通过校验。"},
    "dq.quarantine": {"en": "Quarantined rows", "zh": "隔离行"},
    "dq.warnings": {"en": "Warnings (rows kept)", "zh": "警告（行已保留）"},
    "dq.tab_problems": {"en": "Tab and source problems", "zh": "数据表与数据源问题"},
    "dq.count": {"en": "{rows} quarantined row(s) in {tabs} tab(s)", "zh": "{tabs} 个数据表中共 {rows} 行被隔离"},
    "dq.download": {"en": "Download the list (.csv)", "zh": "下载清单（.csv）"},
    "dq.by_tab_chart": {"en": "Problems per tab", "zh": "各数据表问题数"},
    "dq.row_values": {"en": "The row as typed", "zh": "原始行内容"},
}

TAB_LABELS: dict[str, dict[str, str]] = {
    "marketing_daily": {"en": "Daily marketing", "zh": "每日营销数据"},
    "campaigns": {"en": "Campaigns", "zh": "营销活动"},
    "budget": {"en": "Budget", "zh": "预算"},
    "touchpoints": {"en": "Touchpoints", "zh": "触点"},
    "conversions": {"en": "Conversions", "zh": "转化"},
    "benchmarks": {"en": "Benchmarks", "zh": "行业基准"},
    "targets": {"en": "Targets", "zh": "目标"},
    "customers": {"en": "Customers", "zh": "客户"},
    "orders": {"en": "Orders", "zh": "订单"},
    "experiments": {"en": "A/B experiments", "zh": "A/B 实验"},
    "actions": {"en": "Actions", "zh": "行动项"},
    "staff": {"en": "Staff", "zh": "员工"},
    "kpi_actuals": {"en": "KPI actuals", "zh": "KPI 实际值"},
    "ratings": {"en": "Ratings", "zh": "评分"},
    "compliance": {"en": "Compliance", "zh": "合规"},
    "calibrations": {"en": "Calibrations", "zh": "校准"},
    "objectives": {"en": "Objectives", "zh": "目标（O）"},
    "key_results": {"en": "Key results", "zh": "关键结果（KR）"},
    "checkins": {"en": "Check-ins", "zh": "进展更新"},
}


def _merge_area_strings() -> None:
    from lib.strings import collect

    for module, strings in collect().items():
        clash = set(strings) & set(STRINGS)
        if clash:
            raise KeyError(f"lib/strings/{module}.py repeats keys {sorted(clash)}")
        STRINGS.update(strings)


_merge_area_strings()


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def tab_label(tab: str, lang: str = DEFAULT_LANG) -> str:
    return TAB_LABELS.get(tab, {}).get(lang, tab)
