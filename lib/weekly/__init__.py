"""The weekly review (docs/weekly.md): the meeting screen's slides and the exported report.

review: the sections of one ISO week (headline KPIs, what moved and why, channels, OKRs,
appraisal alerts, actions), each from the lib function its own page uses; slides: the
order, the PDCA stage and auto-advance of the slides; new_action: an action noted in the
meeting, checked before lib.writeback writes it; report: the .html and .xlsx files.
"""
