"""The channel comparison: one row per channel, funnels, efficiency against share,
recommendations, a quality score and period-over-period changes, all from the metrics
layer. Attribution lives in lib.attribution (the CLI uses it too)."""
