"""Customer value: retention cohorts, lifetime value against CAC, RFM tiers, A/B tests
and break-even warnings (issue 9; methods in docs/customers.md).

Everything per customer or per order is aggregated in SQL where the tabs live
(lib.customers.data); the modules work on the small aggregated frames:

    cohorts    load_cohorts, retention_matrix, retention_curves, repeat_rates
    ltv        channel_values, ltv_by_channel (for the channel comparison page)
    rfm        tier_summary, tier_customers
    abtest     experiments, z_test, users_needed
    break_even break_even_status, break_even_flags (for the cockpit)
"""
