-- Campaign ROI and ROAS, quarterly: Campaign revenue, Campaign spend, Revenue and Spend from marketing_daily
-- params: none
SELECT (strftime(marketing_daily.date, '%Y') || '-Q' || CAST(quarter(marketing_daily.date) AS VARCHAR)) AS period, sum(CASE WHEN (marketing_daily.campaign_id IS NOT NULL) THEN marketing_daily.revenue END) AS campaign_revenue, sum(CASE WHEN (marketing_daily.campaign_id IS NOT NULL) THEN marketing_daily.spend END) AS campaign_spend, sum(marketing_daily.revenue) AS revenue, sum(marketing_daily.spend) AS spend
FROM marketing_daily GROUP BY (strftime(marketing_daily.date, '%Y') || '-Q' || CAST(quarter(marketing_daily.date) AS VARCHAR));
