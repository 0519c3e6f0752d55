"""Keyword trends: time series with intervals, bursts, keyness and keyword-in-context.

Public API::

    term_share(dtm, terms, freq="D", ...)      # document share per period, Wilson CIs, gaps
    volume(docs, freq="D", by="source")        # articles per period
    detect_bursts(dtm, ...)                    # Kleinberg bursts over the vocabulary, grouped
    bursts.bursts_from_blocks(blocks, ...)     # the same from counts summed over document-term blocks (trends.counts)
    write_bursts(bursts)                       # data/results/bursts.csv
    keyness(target, reference, ...)            # G² and log ratio; keyness_period / keyness_outlet
    keyness.outlet_keyness(blocks, outlet)     # keyness_outlet from per-outlet counts summed over blocks
    kwic(term, docs, window=8)                 # keyword in context table
    choose_keywords(dtm, bursts, keywords=None, corpus=...)   # parameters that fit the corpus
    plotting.plot_volume(...), ...             # notebook 02's figures (newsscope.trends.plotting)
"""

from newsscope.trends.bursts import BURST_COLUMNS, MEMBER_COLUMNS, burst_intervals, daily_counts, detect_bursts, kleinberg
from newsscope.trends.choose import TUNED, choose_keywords, choose_lookup_terms, choose_outlet, choose_period
from newsscope.trends.keyness import g2, keyness, keyness_outlet, keyness_period, log_ratio, top_keyness, format_keyness
from newsscope.trends.kwic import burst_contexts, kwic, term_pattern
from newsscope.trends.results import look_up_bursts, summarize_bursts, write_bursts
from newsscope.trends.series import (
    auto_min_docs, balanced_interval, has_dates, main_period, period_index, summarize_shares, term_share, volume,
    wilson_interval,
)

__all__ = [
    "wilson_interval", "balanced_interval", "period_index", "main_period", "auto_min_docs", "volume", "term_share", "summarize_shares",
    "has_dates", "kleinberg", "burst_intervals", "daily_counts", "detect_bursts", "BURST_COLUMNS", "MEMBER_COLUMNS",
    "TUNED", "choose_keywords", "choose_lookup_terms", "choose_outlet", "choose_period",
    "g2", "log_ratio", "keyness", "keyness_period", "keyness_outlet", "kwic", "term_pattern", "burst_contexts", "write_bursts",
    "summarize_bursts", "look_up_bursts", "top_keyness", "format_keyness",
]
