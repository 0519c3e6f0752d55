"""Dates: status per article (ok, missing, malformed, outlier, future) and coverage tables.

Outliers are judged by density, not by distance from the median, because a corpus may mix daily
and weekly outlets: a date is an *outlier* when fewer than ``min_neighbours`` articles (and fewer
than ``min_neighbour_share`` of the dated articles) were published within ``window_days`` of it.
In the built-in corpus this flags three articles from April and August 2016, months before the
rest, and keeps China Daily's weekly issues from December 2016 on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["date_status", "date_warning_flags", "coverage_table", "core_window", "date_summary"]

_MALFORMED_MARKERS = ("cannot parse", "non-standard value", "bad date")


def date_warning_flags(warnings: Any) -> np.ndarray:
    """Per article: did the loader warn about its date (a value it could not parse, or read leniently)?

    Parameters
    ----------
    warnings : sequence
        Each article's warnings (a list of str; anything else counts as none).
    """
    texts = (" ".join(w) if isinstance(w, (list, tuple, np.ndarray)) else "" for w in warnings)
    return np.fromiter((any(m in w for m in _MALFORMED_MARKERS) for w in texts), dtype=bool)


def date_status(published: pd.Series, warnings: pd.Series | None = None, *, window_days: int = 30,
                min_neighbours: int = 5, min_neighbour_share: float = 0.005,
                today: pd.Timestamp | None = None, warned: np.ndarray | None = None) -> pd.Series:
    """Return a status per article: ``ok``, ``missing``, ``malformed``, ``repaired``, ``outlier``, ``future``.

    ``malformed``: the source had a date that could not be read (``published`` is NaT);
    ``repaired``: a non-standard date string was read leniently (e.g. padded with spaces and a
    time); ``future``: after ``today`` (default: now, UTC). ``warned`` (one bool per article,
    :func:`date_warning_flags`) replaces ``warnings`` where the warnings themselves are not at hand.
    """
    pub = pd.to_datetime(published)
    n = len(pub)
    status = np.array(["ok"] * n, dtype=object)
    if warned is not None:
        date_warn = np.asarray(warned, dtype=bool)
    else:
        date_warn = date_warning_flags(warnings if warnings is not None else [None] * n)
    missing = pub.isna().to_numpy()
    status[missing] = "missing"
    for i in range(n):
        if date_warn[i]:
            status[i] = "malformed" if missing[i] else "repaired"
    dated = ~missing
    if dated.sum():
        days = pub[dated].dt.normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
        order = np.sort(days)
        lo = np.searchsorted(order, days - window_days, side="left")
        hi = np.searchsorted(order, days + window_days, side="right")
        neighbours = hi - lo  # includes the article itself
        need = max(min_neighbours, min_neighbour_share * dated.sum())
        out = neighbours < need
        idx = np.where(dated)[0]
        for k, i in enumerate(idx):
            if out[k] and status[i] == "ok":
                status[i] = "outlier"
        now = (today or pd.Timestamp.now(tz="UTC").tz_localize(None)).normalize() + pd.Timedelta(days=1)
        fut = (pub > now).to_numpy() & dated
        status[fut] = "future"
    return pd.Series(status, index=published.index, name="date_status")


def core_window(df: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day of the articles with a usable date (status ok or repaired), or None."""
    ok = df["date_status"].isin(["ok", "repaired"]) & df["published"].notna()
    if not ok.any():
        return None
    d = df.loc[ok, "published"].dt.normalize()
    return d.min(), d.max()


def coverage_table(df: pd.DataFrame, *, weight: str | None = None) -> pd.DataFrame:
    """Articles per outlet (rows) and day (columns) over the core window, zero-filled.

    Parameters
    ----------
    df : pandas.DataFrame
        Articles with ``source``, ``published`` and ``date_status``.
    weight : str, optional
        Column to sum instead of counting rows (e.g. ``copies`` for raw counts).

    Returns
    -------
    pandas.DataFrame
        Index: outlet (sorted by total, descending, then name); columns: every day of the core
        window (days without articles are 0, so gaps show). Empty when no article has a date.
    """
    win = core_window(df)
    if win is None:
        return pd.DataFrame()
    ok = df["date_status"].isin(["ok", "repaired"]) & df["published"].notna()
    d = df.loc[ok].assign(day=df.loc[ok, "published"].dt.normalize(), source=df.loc[ok, "source"].fillna("(unknown)"))
    values = d[weight] if weight else pd.Series(1, index=d.index)
    table = values.groupby([d["source"], d["day"]]).sum().unstack("day", fill_value=0)
    days = pd.date_range(win[0], win[1], freq="D")
    table = table.reindex(columns=days, fill_value=0)
    totals = table.sum(axis=1)
    order = sorted(table.index, key=lambda s: (-totals[s], s))
    table = table.loc[order].astype(int)
    table.columns = [c.date() for c in table.columns]
    table.index.name = "source"
    return table


def date_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Counts per date status, with the first and last date in each group."""
    g = df.groupby("date_status", sort=True)
    out = pd.DataFrame({
        "articles": g.size(),
        "first": g["published"].min().dt.date,
        "last": g["published"].max().dt.date,
    })
    order = ["ok", "repaired", "outlier", "future", "malformed", "missing"]
    return out.reindex([s for s in order if s in out.index]).reset_index()
