"""Strings of the shared sidebar filters."""
STRINGS = {
    "filters.title": {"en": "Filters", "zh": "筛选"},
    "filters.grain": {"en": "Period", "zh": "周期"},
    "filters.period": {"en": "Showing", "zh": "查看"},
    "filters.all": {"en": "All", "zh": "全部"},
    "filters.drill_root": {"en": "All data", "zh": "全部数据"},
    "grain.day": {"en": "Day", "zh": "日"},
    "grain.week": {"en": "Week", "zh": "周"},
    "grain.month": {"en": "Month", "zh": "月"},
    "grain.quarter": {"en": "Quarter", "zh": "季度"},
    "grain.year": {"en": "Year", "zh": "年"},
    "dim.department": {"en": "Department", "zh": "部门"},
    "dim.product_line": {"en": "Product line", "zh": "产品线"},
    "dim.region": {"en": "Region", "zh": "区域"},
    "dim.channel": {"en": "Channel", "zh": "渠道"},
    "dim.campaign_id": {"en": "Campaign", "zh": "活动"},
}
