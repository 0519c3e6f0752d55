"""Keyword time series: document shares per day or week, Wilson intervals, outlet balance, gaps.

A keyword's *document share* in a period is the number of articles mentioning it divided by the
number of articles published in that period. Raw counts follow the corpus volume, which in
scraped collections is very uneven (some days hold one outlet's articles only), so they are never
shown alone. Periods with fewer than ``min_docs`` articles are **gaps** (NaN): their shares are
too noisy to draw, and nothing is interpolated across them.

The *outlet-balanced* share is the mean of the per-outlet shares in a period, over the outlets
with at least ``min_outlet_docs`` articles in it, so that one high-volume outlet cannot make a
trend alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "wilson_interval",
    "balanced_interval",
    "period_index",
    "main_period",
    "auto_min_docs",
    "volume",
    "term_share",
    "has_dates",
    "summarize_shares",
]


def wilson_interval(k: np.ndarray | int, n: np.ndarray | int, z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    """Return the Wilson score interval ``(low, high)`` for ``k`` successes in ``n`` trials.

    .. math::

        \\frac{\\hat p + \\frac{z^2}{2n} \\pm z \\sqrt{\\frac{\\hat p (1 - \\hat p)}{n} + \\frac{z^2}{4 n^2}}}{1 + \\frac{z^2}{n}}

    ``n == 0`` gives NaN. Works element-wise on arrays.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def balanced_interval(k: np.ndarray, n: np.ndarray, z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (mean share, low, high) of the mean of per-group proportions ``k / n``.

    ``k`` and ``n`` are 2-D (periods x groups); groups with ``n == 0`` are ignored. The interval
    is a normal approximation around the mean with each group's variance taken from the
    Agresti-Coull estimate ``(k + z^2/2) / (n + z^2)`` (so a group with 0 mentions still adds
    uncertainty), clipped to [0, 1].
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    valid = n > 0
    m = valid.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(valid, k / n, 0.0)
        mean = np.where(m > 0, p.sum(axis=1) / m, np.nan)
        p_adj = (k + z * z / 2) / (n + z * z)
        var_g = np.where(valid, p_adj * (1 - p_adj) / (n + z * z), 0.0)
        se = np.sqrt(var_g.sum(axis=1)) / m
    low = np.clip(mean - z * se, 0.0, 1.0)
    high = np.clip(mean + z * se, 0.0, 1.0)
    return mean, low, high


def has_dates(docs: pd.DataFrame) -> bool:
    """Return True if any article has a publication date."""
    return "published" in docs.columns and bool(docs["published"].notna().any())


def period_index(published: pd.Series, freq: str = "D") -> pd.Series:
    """Return each article's period start (``D``: day, ``W``: week starting Monday); NaT stays NaT."""
    pub = pd.to_datetime(published)
    if freq == "D":
        return pub.dt.normalize()
    if freq in ("W", "W-MON"):
        day = pub.dt.normalize()
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    raise ValueError(f"freq={freq!r}: use 'D' (days) or 'W' (weeks starting Monday)")


def main_period(published: pd.Series, sources: pd.Series | None = None, coverage: float = 0.99,
                min_outlets: float = 2.0) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return (first day, last day) of the main coverage period, or None if nothing is dated.

    With ``sources`` of several outlets, the period runs from the first to the last day on which
    articles come from at least ``min_outlets`` *effective* outlets (inverse Simpson index) and
    number at least a quarter of the median day: a scrape's stray old articles and one outlet's
    weekly back issues do not stretch the time axis. Otherwise it starts at the ``1 - coverage``
    quantile of the dates and ends at the last date.
    """
    pub = pd.to_datetime(published).dt.normalize()
    dated = pub.dropna()
    if dated.empty:
        return None
    if sources is not None:
        src = pd.Series(sources, index=pub.index).fillna("(unknown)")
        if src[pub.notna()].nunique() > 1:
            table = pd.crosstab(pub, src)
            counts = table.to_numpy(dtype=float)
            tot = counts.sum(axis=1)
            eff = 1.0 / ((counts / tot[:, None]) ** 2).sum(axis=1)
            good = table.index[(eff >= min_outlets) & (tot >= auto_min_docs(pd.Series(tot), fraction=0.25))]
            if len(good):
                return pd.Timestamp(good.min()), pd.Timestamp(good.max())
    start = dated.sort_values().iloc[int(np.floor((1 - coverage) * (len(dated) - 1)))]
    return pd.Timestamp(start), pd.Timestamp(dated.max())


def auto_min_docs(totals: pd.Series, fraction: float = 0.2, floor: int = 5) -> int:
    """Return the default coverage threshold: ``fraction`` of the median of the non-empty periods (at least ``floor``)."""
    nz = totals[totals > 0]
    if nz.empty:
        return floor
    return int(max(floor, round(fraction * float(nz.median()))))


def _full_range(periods: pd.Series, freq: str, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DatetimeIndex:
    p = periods.dropna()
    lo = start if start is not None else p.min()
    hi = end if end is not None else p.max()
    lo = period_index(pd.Series([pd.Timestamp(lo)]), freq).iloc[0]
    hi = period_index(pd.Series([pd.Timestamp(hi)]), freq).iloc[0]
    return pd.date_range(lo, hi, freq="D" if freq == "D" else "7D", name="period")


def volume(docs: pd.DataFrame, freq: str = "D", *, by: str | None = "source", start=None, end=None) -> pd.DataFrame:
    """Return articles per period (rows: every period in the range, empty ones 0; columns: ``by`` values or ``docs``)."""
    if not has_dates(docs):
        raise ValueError("the corpus has no publication dates: volume over time cannot be computed")
    per = period_index(docs["published"], freq)
    idx = _full_range(per, freq, start, end)
    if by is None:
        out = per.value_counts().reindex(idx, fill_value=0).rename("docs").to_frame()
    else:
        out = pd.crosstab(per, docs[by].fillna("(unknown)")).reindex(idx, fill_value=0)
        out = out[sorted(out.columns, key=lambda c: (-out[c].sum(), str(c)))]
        out.columns.name = by
    out.index.name = "period"
    return out


def term_share(dtm, terms: str | Iterable[str], freq: str = "D", *, exact: bool = False, min_docs: int | str = "auto",
               min_outlet_docs: int = 3, min_outlets: int = 2, by_outlet: bool = False, start=None, end=None,
               z: float = 1.959963984540054) -> pd.DataFrame:
    """Return the document share of each term per period, with Wilson intervals and gaps.

    Parameters
    ----------
    dtm : DocTermMatrix
        From :func:`newsscope.vectorize.load_dtm`.
    terms : str or iterable of str
        Keywords or phrases. By default a term also counts the phrases containing it
        (``trump`` counts ``donald trump``); ``exact=True`` uses the vocabulary term only.
    freq : {"D", "W"}
        Days or weeks (starting Monday).
    min_docs : int or "auto"
        Periods with fewer articles are gaps (NaN). ``"auto"``: 20% of the median period volume,
        at least 5.
    min_outlet_docs, min_outlets : int
        For the balanced share: an outlet counts in a period if it has at least
        ``min_outlet_docs`` articles there; the period needs ``min_outlets`` such outlets.
    by_outlet : bool
        Also return one row per outlet (column ``outlet``; the all-outlet rows have ``outlet``
        ``"all"``).
    start, end : date-like, optional
        Limit the periods (default: all dated articles).
    z : float
        Normal quantile of the intervals (1.96: 95%).

    Returns
    -------
    pandas.DataFrame
        Long format: term, outlet, period, docs (articles mentioning), total (articles),
        share, low, high (Wilson), balanced, balanced_low, balanced_high (all-outlet rows only),
        n_outlets, gap (bool).
    """
    docs = dtm.docs
    if not has_dates(docs):
        raise ValueError("the corpus has no publication dates: trends over time cannot be computed")
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ValueError("no terms given")
    per = period_index(docs["published"], freq)
    idx = _full_range(per, freq, start, end)
    in_range = per.notna() & per.between(idx[0], idx[-1])
    sources = docs["source"].fillna("(unknown)").to_numpy(dtype=object) if "source" in docs.columns else np.full(len(docs), "(all)", dtype=object)
    outlets = sorted(set(sources[in_range.to_numpy()]))
    pos = pd.Series(np.arange(len(idx)), index=idx)
    row_period = np.full(len(docs), -1)
    row_period[in_range.to_numpy()] = pos.reindex(per[in_range]).to_numpy()
    out_pos = {o: i for i, o in enumerate(outlets)}
    row_outlet = np.array([out_pos.get(s, -1) for s in sources])
    ok = row_period >= 0
    totals_po = np.zeros((len(idx), len(outlets)))
    np.add.at(totals_po, (row_period[ok], row_outlet[ok]), 1)
    totals = totals_po.sum(axis=1)
    md = auto_min_docs(pd.Series(totals)) if min_docs == "auto" else int(min_docs)
    gap = totals < md
    frames = []
    for term in terms:
        present = dtm.presence(term, exact=exact)
        if not present.any():
            hint = "" if exact else f" (nor in any phrase); matching terms: {dtm.matching_terms(term)[:5]}"
            raise KeyError(f"term {term!r} is not in the vocabulary{hint}")
        k_po = np.zeros_like(totals_po)
        sel = ok & present
        np.add.at(k_po, (row_period[sel], row_outlet[sel]), 1)
        k = k_po.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(totals > 0, k / totals, np.nan)
        low, high = wilson_interval(k, totals, z)
        n_bal = np.where(totals_po >= min_outlet_docs, totals_po, 0)
        k_bal = np.where(totals_po >= min_outlet_docs, k_po, 0)
        bal, bal_low, bal_high = balanced_interval(k_bal, n_bal, z)
        n_out = (n_bal > 0).sum(axis=1)
        bal_gap = gap | (n_out < min_outlets)
        f = pd.DataFrame({
            "term": term, "outlet": "all", "period": idx, "docs": k.astype(int), "total": totals.astype(int),
            "share": np.where(gap, np.nan, share), "low": np.where(gap, np.nan, low), "high": np.where(gap, np.nan, high),
            "balanced": np.where(bal_gap, np.nan, bal), "balanced_low": np.where(bal_gap, np.nan, bal_low),
            "balanced_high": np.where(bal_gap, np.nan, bal_high), "n_outlets": n_out.astype(int), "gap": gap,
        })
        frames.append(f)
        if by_outlet:
            for o, j in out_pos.items():
                n_o, k_o = totals_po[:, j], k_po[:, j]
                g = n_o < min_outlet_docs
                with np.errstate(divide="ignore", invalid="ignore"):
                    s_o = np.where(n_o > 0, k_o / n_o, np.nan)
                lo_o, hi_o = wilson_interval(k_o, n_o, z)
                frames.append(pd.DataFrame({
                    "term": term, "outlet": o, "period": idx, "docs": k_o.astype(int), "total": n_o.astype(int),
                    "share": np.where(g, np.nan, s_o), "low": np.where(g, np.nan, lo_o), "high": np.where(g, np.nan, hi_o),
                    "balanced": np.nan, "balanced_low": np.nan, "balanced_high": np.nan, "n_outlets": 1, "gap": g,
                }))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["min_docs"] = md
    out.attrs["freq"] = freq
    return out


def summarize_shares(shares: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """Return one row per term of a :func:`term_share` table: articles, periods, peak share and period.

    ``articles`` sums the mentions over all periods, ``periods`` counts those that are not gaps,
    ``peak_share`` (rounded to ``decimals``) and ``peak_period`` (a date) are the highest share and
    its first period; a term whose periods are all gaps gets NaN and None. Terms keep their order.
    """
    rows = []
    for term, s in shares[shares["outlet"] == "all"].groupby("term", sort=False):
        valid = s.dropna(subset=["share"])
        peak = valid.loc[valid["share"].idxmax()] if len(valid) else None
        rows.append({"term": term, "articles": int(s["docs"].sum()), "periods": len(valid),
                     "peak_share": round(float(peak["share"]), decimals) if peak is not None else np.nan,
                     "peak_period": pd.Timestamp(peak["period"]).date() if peak is not None else None})
    out = pd.DataFrame(rows, columns=["term", "articles", "periods", "peak_share", "peak_period"]).set_index("term")
    return out.astype({"peak_period": object})
