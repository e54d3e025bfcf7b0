"""The marketing cockpit (the director's first screen), computed without Streamlit.

tiles (KPI values, change, sparkline series, status), anomalies (robust weekly band),
why (explain as a waterfall), compare (week over week, month over month), budget,
campaigns, benchmarks and actions. Every number is aggregated in SQL through the
metrics layer; pages/cockpit.py only draws, and `python -m lib.cli cockpit` prints the same.
"""
