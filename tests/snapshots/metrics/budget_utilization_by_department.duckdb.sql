-- Budget utilisation by department, 2026-10-19 to 2026-10-25: Spend from marketing_daily
-- params: before=datetime.date(2026, 10, 26), start=datetime.date(2026, 10, 19)
SELECT marketing_daily.department AS department, sum(marketing_daily.spend) AS spend
FROM marketing_daily
WHERE marketing_daily.date >= $1 AND marketing_daily.date < $2 GROUP BY marketing_daily.department;

-- Budget utilisation by department, 2026-10-19 to 2026-10-25: Budget from budget (monthly amounts spread evenly over their days)
-- params: end_month='2026-10', start_month='2026-10'
SELECT budget.month AS _month, budget.department AS department, sum(budget.amount) AS budget
FROM budget
WHERE budget.month >= $1 AND budget.month <= $2 GROUP BY budget.month, budget.department;
