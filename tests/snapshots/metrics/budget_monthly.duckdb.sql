-- Budget, monthly, 2026-10-01 to 2026-10-31: Budget from budget (monthly amounts spread evenly over their days)
-- params: end_month='2026-10', start_month='2026-10'
SELECT budget.month AS _month, sum(budget.amount) AS budget
FROM budget
WHERE budget.month >= $1 AND budget.month <= $2 GROUP BY budget.month;
