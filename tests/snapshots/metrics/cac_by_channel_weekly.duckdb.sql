-- CAC by channel, weekly, 2026-10-19 to 2026-10-25, region 华东 / 华北 only: Spend and New customers from marketing_daily
-- params: before=datetime.date(2026, 10, 26), start=datetime.date(2026, 10, 19), where_region=['华东', '华北']
SELECT strftime(by_period.period, '%G-W%V') AS period, by_period.channel, by_period.spend, by_period.new_customers
FROM (SELECT date_trunc('week', marketing_daily.date) AS period, marketing_daily.channel AS channel, sum(marketing_daily.spend) AS spend, sum(marketing_daily.new_customers) AS new_customers
FROM marketing_daily
WHERE marketing_daily.date >= $1 AND marketing_daily.date < $2 AND marketing_daily.region IN (__[POSTCOMPILE_where_region]) GROUP BY date_trunc('week', marketing_daily.date), marketing_daily.channel) AS by_period;
