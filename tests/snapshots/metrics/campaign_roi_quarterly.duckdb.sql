-- Campaign ROI and ROAS, quarterly: Campaign revenue, Campaign spend, Revenue and Spend from marketing_daily
-- params: none
SELECT (strftime(by_period.period, '%Y') || '-Q' || CAST(quarter(by_period.period) AS VARCHAR)) AS period, by_period.campaign_revenue, by_period.campaign_spend, by_period.revenue, by_period.spend
FROM (SELECT date_trunc('quarter', marketing_daily.date) AS period, sum(CASE WHEN (marketing_daily.campaign_id IS NOT NULL) THEN marketing_daily.revenue END) AS campaign_revenue, sum(CASE WHEN (marketing_daily.campaign_id IS NOT NULL) THEN marketing_daily.spend END) AS campaign_spend, sum(marketing_daily.revenue) AS revenue, sum(marketing_daily.spend) AS spend
FROM marketing_daily GROUP BY date_trunc('quarter', marketing_daily.date)) AS by_period;
