-- Budget, monthly, 2026-10-01 to 2026-10-31: Budget from budget (monthly amounts spread evenly over their days)
-- params: amount_1=0, category_1=['online_ads', 'offline_events', 'training', 'other'], end_month='2026-10', start_month='2026-10'
SELECT budget.month AS _month, sum(budget.amount) AS budget
FROM (SELECT budget.month AS month, budget.department AS department, budget.category AS category, budget.channel AS channel, budget.amount AS amount
FROM budget
WHERE budget.month IS NOT NULL AND budget.department IS NOT NULL AND budget.category IS NOT NULL AND NOT (budget.category IS NOT NULL AND (budget.category NOT IN (__[POSTCOMPILE_category_1]))) AND budget.amount IS NOT NULL AND NOT (budget.amount IS NOT NULL AND budget.amount < ?)) AS budget
WHERE budget.month >= ? AND budget.month <= ? GROUP BY budget.month;
