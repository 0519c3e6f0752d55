"""Keyword trends: time series with intervals, bursts, keyness and keyword-in-context.

Public API::

    term_share(dtm, terms, freq="D", ...)      # document share per period, Wilson CIs, gaps
    volume(docs, freq="D", by="source")        # articles per period
    detect_bursts(dtm, ...)                    # Kleinberg bursts over the vocabulary, grouped
    write_bursts(bursts)                       # data/results/bursts.csv
    keyness(target, reference, ...)            # G² and log ratio; keyness_period / keyness_outlet
    kwic(term, docs, window=8)                 # keyword in context table
"""

from newsscope.trends.bursts import BURST_COLUMNS, burst_intervals, daily_counts, detect_bursts, kleinberg
from newsscope.trends.keyness import g2, keyness, keyness_outlet, keyness_period, log_ratio
from newsscope.trends.kwic import kwic, term_pattern
from newsscope.trends.results import write_bursts
from newsscope.trends.series import (
    auto_min_docs, balanced_interval, has_dates, main_period, period_index, term_share, volume, wilson_interval,
)

__all__ = [
    "wilson_interval", "balanced_interval", "period_index", "main_period", "auto_min_docs", "volume", "term_share",
    "has_dates", "kleinberg", "burst_intervals", "daily_counts", "detect_bursts", "BURST_COLUMNS",
    "g2", "log_ratio", "keyness", "keyness_period", "keyness_outlet", "kwic", "term_pattern", "write_bursts",
]
