-- Budget utilisation by department, 2026-10-19 to 2026-10-25: Spend from marketing_daily
-- params: before=datetime.date(2026, 10, 26), clicks_1=0, engagements_1=0, impressions_1=0, leads_1=0, new_customers_1=0, orders_1=0, spend_1=0, start=datetime.date(2026, 10, 19)
SELECT marketing_daily.department AS department, sum(marketing_daily.spend) AS spend
FROM (SELECT marketing_daily.date AS date, marketing_daily.channel AS channel, marketing_daily.region AS region, marketing_daily.product_line AS product_line, marketing_daily.department AS department, marketing_daily.campaign_id AS campaign_id, marketing_daily.spend AS spend, marketing_daily.impressions AS impressions, marketing_daily.clicks AS clicks, marketing_daily.engagements AS engagements, marketing_daily.leads AS leads, marketing_daily.new_customers AS new_customers, marketing_daily.orders AS orders, marketing_daily.revenue AS revenue
FROM marketing_daily
WHERE marketing_daily.date IS NOT NULL AND marketing_daily.channel IS NOT NULL AND marketing_daily.spend IS NOT NULL AND NOT (marketing_daily.spend IS NOT NULL AND marketing_daily.spend < %(spend_1)s) AND NOT (marketing_daily.impressions IS NOT NULL AND marketing_daily.impressions < %(impressions_1)s) AND NOT (marketing_daily.clicks IS NOT NULL AND marketing_daily.clicks < %(clicks_1)s) AND NOT (marketing_daily.engagements IS NOT NULL AND marketing_daily.engagements < %(engagements_1)s) AND NOT (marketing_daily.leads IS NOT NULL AND marketing_daily.leads < %(leads_1)s) AND NOT (marketing_daily.new_customers IS NOT NULL AND marketing_daily.new_customers < %(new_customers_1)s) AND NOT (marketing_daily.orders IS NOT NULL AND marketing_daily.orders < %(orders_1)s)) AS marketing_daily
WHERE marketing_daily.date >= %(start)s AND marketing_daily.date < %(before)s GROUP BY marketing_daily.department;

-- Budget utilisation by department, 2026-10-19 to 2026-10-25: Budget from budget (monthly amounts spread evenly over their days)
-- params: amount_1=0, category_1=['online_ads', 'offline_events', 'training', 'other'], end_month='2026-10', start_month='2026-10'
SELECT budget.month AS _month, budget.department AS department, sum(budget.amount) AS budget
FROM (SELECT budget.month AS month, budget.department AS department, budget.category AS category, budget.channel AS channel, budget.amount AS amount
FROM budget
WHERE budget.month IS NOT NULL AND budget.department IS NOT NULL AND budget.category IS NOT NULL AND NOT (budget.category IS NOT NULL AND (budget.category NOT IN (__[POSTCOMPILE_category_1]))) AND budget.amount IS NOT NULL AND NOT (budget.amount IS NOT NULL AND budget.amount < %(amount_1)s)) AS budget
WHERE budget.month >= %(start_month)s AND budget.month <= %(end_month)s GROUP BY budget.month, budget.department;
