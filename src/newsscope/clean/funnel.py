"""The cleaning funnel: how many articles each step removed, and why; it reconciles to the row.

Every input (raw row, or page file) has exactly one ``status``: ``kept`` or the first step that
removed it. The funnel walks the steps in order; each step's ``articles_in`` is the previous
step's ``articles_out`` and ``removed`` is the number of rows with that step's status, so
``articles_in - removed == articles_out`` at every step and the last ``articles_out`` is the
number of kept articles. :func:`check_funnel` verifies exactly that.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from newsscope.clean.settings import CleanSettings

__all__ = ["STATUS_ORDER", "FUNNEL_COLUMNS", "build_funnel", "check_funnel"]

#: Removal statuses in funnel order (``rejected: <reason>`` statuses belong to ``rejected``).
STATUS_ORDER: tuple[str, ...] = ("rejected", "empty", "too_short", "other_language", "date_outlier",
                                 "exact_duplicate", "near_duplicate")
FUNNEL_COLUMNS = ["step", "articles_in", "articles_out", "removed", "reason"]


def _reasons(s: CleanSettings, rejected: Counter) -> dict[str, tuple[str, str]]:
    rej = "; ".join(f"{r}: {n}" for r, n in sorted(rejected.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"
    return {
        "rejected": ("read inputs", f"input files the parser rejected ({rej})"),
        "empty": ("empty body", "no words left in the body after repairs, field extraction and boilerplate removal"),
        "too_short": ("too short", f"fewer than {s.min_words} words in the cleaned body (video blurbs, galleries, fragments)"),
        "other_language": ("other language", f"not '{s.language}' with py3langid confidence >= {s.language_min_confidence}"),
        "date_outlier": ("date outlier", f"fewer than {s.date_min_neighbours} articles within {s.date_window_days} days"),
        "exact_duplicate": ("exact duplicate", "same words as an earlier (canonical) article after normalisation"),
        "near_duplicate": ("near duplicate", f"Jaccard similarity of word {s.shingle_size}-gram shingles >= {s.near_duplicate_threshold} with a canonical article"),
    }


def build_funnel(status: pd.Series, settings: CleanSettings | None = None) -> pd.DataFrame:
    """Return the funnel table (``FUNNEL_COLUMNS``) for a status per input.

    Raises
    ------
    ValueError
        If a status is neither ``kept`` nor a known removal reason.
    """
    s = settings or CleanSettings()
    st = status.astype(str)
    base = st.str.replace(r"^rejected: .*$", "rejected", regex=True)
    unknown = sorted(set(base) - set(STATUS_ORDER) - {"kept"})
    if unknown:
        raise ValueError(f"unknown article status(es) {unknown}; expected 'kept' or one of {STATUS_ORDER}")
    rejected = Counter(x.split(": ", 1)[1] for x in st if x.startswith("rejected: "))
    reasons = _reasons(s, rejected)
    counts = Counter(base)
    rows = []
    remaining = len(st)
    for key in STATUS_ORDER:
        if key == "date_outlier" and not s.drop_date_outliers:
            continue
        removed = counts.get(key, 0)
        step, reason = reasons[key]
        rows.append((step, remaining, remaining - removed, removed, reason))
        remaining -= removed
    return pd.DataFrame(rows, columns=FUNNEL_COLUMNS)


def check_funnel(funnel: pd.DataFrame, status: pd.Series) -> None:
    """Raise AssertionError unless the funnel reconciles with the statuses to the row."""
    assert list(funnel.columns) == FUNNEL_COLUMNS, funnel.columns
    assert funnel["articles_in"].iloc[0] == len(status), "first step must start with every input"
    for prev, nxt in zip(funnel.itertuples(), funnel.iloc[1:].itertuples()):
        assert prev.articles_out == nxt.articles_in, f"{prev.step} -> {nxt.step} does not chain"
    assert (funnel["articles_in"] - funnel["removed"] == funnel["articles_out"]).all()
    assert funnel["articles_out"].iloc[-1] == int((status == "kept").sum()), "last step must end with the kept articles"
    assert funnel["removed"].sum() + (status == "kept").sum() == len(status)
