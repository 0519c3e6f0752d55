"""Keyness: which terms a part of the corpus uses more (or less) than the rest.

For a term with frequency ``a`` in the target (of ``c`` tokens) and ``b`` in the reference (of
``d`` tokens), the log-likelihood statistic (Dunning 1993; Rayson & Garside 2000) is

.. math::

    G^2 = 2 \\left(a \\ln \\frac{a}{E_1} + b \\ln \\frac{b}{E_2}\\right), \\quad
    E_1 = c \\frac{a + b}{c + d}, \\quad E_2 = d \\frac{a + b}{c + d}

(``0 ln 0 = 0``), signed negative when the term is relatively rarer in the target. ``G^2`` says
how sure we are that the frequencies differ (``p`` from the χ² distribution with one degree of
freedom: 3.84 is p < 0.05, 15.13 is p < 0.0001); the **log ratio** (Hardie 2014),
``log2((a / c) / (b / d))``, says how large the difference is (1 = twice as frequent), with a zero
frequency replaced by 0.5 so it stays finite. Terms rarer than ``min_freq`` in the target are not
reported as over-used, since huge ratios of tiny counts say little.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

__all__ = ["top_keyness", "format_keyness", "g2", "log_ratio", "keyness", "compare_counts", "keyness_period", "keyness_outlet",
           "outlet_keyness"]


def g2(a: np.ndarray | float, b: np.ndarray | float, c: float, d: float) -> np.ndarray:
    """Return the signed log-likelihood ``G²`` (positive: relatively more frequent in the target)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if c <= 0 or d <= 0:
        raise ValueError(f"corpus sizes must be positive (target {c}, reference {d})")
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    val = 2 * (t1 + t2)
    return np.where(a / c >= b / d, val, -val)


def log_ratio(a: np.ndarray | float, b: np.ndarray | float, c: float, d: float, zero: float = 0.5) -> np.ndarray:
    """Return Hardie's log ratio ``log2((a / c) / (b / d))``, zero frequencies replaced by ``zero``."""
    a = np.where(np.asarray(a, dtype=float) > 0, a, zero)
    b = np.where(np.asarray(b, dtype=float) > 0, b, zero)
    return np.log2((a / c) / (b / d))


def keyness(target: np.ndarray, reference: np.ndarray, terms: np.ndarray, *, min_freq: int = 5, min_g2: float = 0.0,
            target_size: float | None = None, reference_size: float | None = None) -> pd.DataFrame:
    """Return the keyness table of two frequency vectors over the same terms.

    Parameters
    ----------
    target, reference : array of int
        Term frequencies (tokens or documents) in the target and the reference.
    terms : array of str
    min_freq : int
        Over-used terms need at least this frequency in the target, under-used ones this
        frequency in the reference.
    min_g2 : float
        Keep only ``|G²| >= min_g2`` (e.g. 15.13 for p < 0.0001).
    target_size, reference_size : float, optional
        Corpus sizes (default: the sums of the vectors, i.e. tokens in the vocabulary).

    Returns
    -------
    pandas.DataFrame
        term, target, reference, target_per_10k, reference_per_10k, g2 (signed), p_value,
        log_ratio, direction (``over``/``under``); sorted by G² descending (over-used first,
        then under-used from the most under-used), ties by term.
    """
    a = np.asarray(target, dtype=float).ravel()
    b = np.asarray(reference, dtype=float).ravel()
    terms = np.asarray(terms).astype(str)
    if not (len(a) == len(b) == len(terms)):
        raise ValueError(f"lengths differ: target {len(a)}, reference {len(b)}, terms {len(terms)}")
    c = float(target_size if target_size is not None else a.sum())
    d = float(reference_size if reference_size is not None else b.sum())
    g = g2(a, b, c, d)
    lr = log_ratio(a, b, c, d)
    out = pd.DataFrame({
        "term": terms, "target": a.astype(int), "reference": b.astype(int),
        "target_per_10k": a / c * 1e4, "reference_per_10k": b / d * 1e4,
        "g2": g, "p_value": stats.chi2.sf(np.abs(g), 1), "log_ratio": lr,
        "direction": np.where(g >= 0, "over", "under"),
    })
    keep = np.where(g >= 0, a >= min_freq, b >= min_freq) & (np.abs(g) >= min_g2) & ((a + b) > 0)
    out = out[keep]
    over = out[out["direction"] == "over"].sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    under = out[out["direction"] == "under"].sort_values(["g2", "term"], ascending=[True, True], kind="stable")
    return pd.concat([over, under], ignore_index=True)


def _split(dtm, mask: np.ndarray, unit: str, **kwargs: Any) -> pd.DataFrame:
    if unit not in ("tokens", "docs"):
        raise ValueError(f"unit={unit!r}: use 'tokens' or 'docs'")
    if mask.sum() == 0 or (~mask).sum() == 0:
        return compare_counts(None, None, dtm.terms, int(mask.sum()), int((~mask).sum()), unit, **kwargs)
    X = dtm.X.tocsr()
    if unit == "docs":
        X = X.copy()
        X.data = np.ones_like(X.data)
    t = np.asarray(X[mask].sum(axis=0)).ravel()
    r = np.asarray(X[~mask].sum(axis=0)).ravel()
    return compare_counts(t, r, dtm.terms, int(mask.sum()), int((~mask).sum()), unit, **kwargs)


def compare_counts(target: np.ndarray | None, reference: np.ndarray | None, terms: np.ndarray, target_docs: int,
                   reference_docs: int, unit: str, **kwargs: Any) -> pd.DataFrame:
    """Return the keyness table of a target and a reference given as term counts over ``terms``.

    ``unit="tokens"``: counts of occurrences (sizes: their sums); ``"docs"``: documents
    mentioning each term (sizes: ``target_docs`` and ``reference_docs``). An empty side gives an
    empty table whose ``attrs["note"]`` says so. Other keywords go to :func:`keyness`.
    """
    if unit not in ("tokens", "docs"):
        raise ValueError(f"unit={unit!r}: use 'tokens' or 'docs'")
    empty = "target" if target_docs == 0 else "reference" if reference_docs == 0 else None
    if empty is not None:  # nothing to compare: an empty table that says why
        out = keyness(np.zeros(len(terms)), np.zeros(len(terms)), terms, target_size=1.0, reference_size=1.0)
        out.attrs.update({"target_docs": int(target_docs), "reference_docs": int(reference_docs), "unit": unit,
                          "note": f"the {empty} part of the corpus is empty: nothing to compare"})
        return out
    sizes = {"target_size": float(target_docs), "reference_size": float(reference_docs)} if unit == "docs" else {}
    out = keyness(target, reference, terms, **sizes, **kwargs)
    out.attrs.update({"target_docs": int(target_docs), "reference_docs": int(reference_docs), "unit": unit, "note": ""})
    return out


def format_keyness(table: pd.DataFrame, empty: str = "No term passes the thresholds.") -> str:
    """Return a keyness table as text (term, target, reference, g2, log_ratio, direction; rounded to 0.01), or ``empty``."""
    if not len(table):
        return empty
    return table[["term", "target", "reference", "g2", "log_ratio", "direction"]].round(2).to_string(index=False)


def top_keyness(table: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """Return the ``n`` most over-used then the ``n`` most under-used terms of a keyness table (by G²)."""
    return pd.concat([table[table["direction"] == "over"].head(n), table[table["direction"] == "under"].head(n)])


def keyness_period(dtm, start: Any, end: Any, *, unit: str = "tokens", reference_start: Any = None, reference_end: Any = None,
                   **kwargs: Any) -> pd.DataFrame:
    """Return the keyness of the articles published from ``start`` to ``end`` (inclusive days) against other dated articles.

    The reference is every other dated article, or only those from ``reference_start`` to
    ``reference_end`` (e.g. the main coverage period, so that a scrape's stray old articles do
    not weigh on it). ``unit="docs"`` compares document frequencies instead of token counts.
    Other keywords go to :func:`keyness`.
    """
    day = pd.to_datetime(dtm.docs["published"]).dt.normalize()
    dated = day.notna().to_numpy()
    if not dated.any():
        raise ValueError("the corpus has no publication dates: keyness by period cannot be computed")
    if reference_start is not None:
        dated = dated & (day >= pd.Timestamp(reference_start)).fillna(False).to_numpy()
    if reference_end is not None:
        dated = dated & (day <= pd.Timestamp(reference_end)).fillna(False).to_numpy()
    mask = ((day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))).fillna(False).to_numpy()
    sub = _restrict(dtm, dated)
    return _split(sub, mask[dated], unit, **kwargs)


def keyness_outlet(dtm, outlet: str, *, unit: str = "tokens", **kwargs: Any) -> pd.DataFrame:
    """Return the keyness of one outlet's articles against all other outlets' articles."""
    from newsscope.trends.counts import MatrixBlocks

    return outlet_keyness(MatrixBlocks(dtm.X, dtm.docs, np.asarray(dtm.terms)), outlet, unit=unit, **kwargs)


def outlet_keyness(source: Any, outlet: str, *, unit: str = "tokens", **kwargs: Any) -> pd.DataFrame:
    """:func:`keyness_outlet` from per-outlet term counts reduced over a source of blocks.

    ``source``: see :class:`newsscope.trends.counts.BlockSource` (a matrix in memory, or the
    blocks of a partitioned run, whose counting runs as tasks).
    """
    from newsscope.trends.counts import block_outlet_terms, merge_outlet_terms

    if unit not in ("tokens", "docs"):
        raise ValueError(f"unit={unit!r}: use 'tokens' or 'docs'")
    counts = source.reduce_blocks(block_outlet_terms, merge_outlet_terms)
    if outlet not in counts:
        raise ValueError(f"outlet {outlet!r} is not in the corpus; outlets: {sorted(counts)}")
    key = 0 if unit == "tokens" else 1
    n_target = counts[outlet][2]
    n_ref = sum(c[2] for o, c in counts.items() if o != outlet)
    if n_target == 0 or n_ref == 0:
        return compare_counts(None, None, source.terms, n_target, n_ref, unit, **kwargs)
    t = counts[outlet][key].toarray().ravel()
    r = sum(c[key] for o, c in counts.items() if o != outlet).toarray().ravel()
    return compare_counts(t, r, source.terms, n_target, n_ref, unit, **kwargs)


class _Sub:
    def __init__(self, X: sp.csr_matrix, terms: np.ndarray) -> None:
        self.X, self.terms = X, terms


def _restrict(dtm, rows: np.ndarray) -> _Sub:
    return _Sub(dtm.X.tocsr()[rows], dtm.terms)
