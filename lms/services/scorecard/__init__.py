"""The programme scorecard: metrics, suppression, charts and cache."""
