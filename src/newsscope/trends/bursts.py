"""Bursts: Kleinberg's state model on daily document counts, over the whole vocabulary.

For each term, day ``t`` has ``d_t`` articles of which ``r_t`` mention the term. Kleinberg's
(2002) batched model has a base state with mention probability ``p_0`` and burst states ``i``
with ``p_i = s^i p_0``; the cost of state ``i`` on day ``t`` is the binomial
``-ln[C(d_t, r_t) p_i^{r_t} (1 - p_i)^{d_t - r_t}]``, moving up ``j - i`` levels costs
``(j - i) γ ln n`` (``n`` days) and moving down is free. The cheapest state sequence (Viterbi,
vectorised over all terms) marks the bursts; a burst's **weight** is the cost it saves against
the base state, ``Σ_t [σ_0(t) - σ_1(t)]`` over its days.

Two changes make it fit scraped news corpora, whose daily coverage is very uneven:

* **Outlet-adjusted base rate** (``baseline="outlet"``, default). Instead of one ``p_0`` for all
  days, ``p_0(t) = Σ_o d_{o,t} p_o / d_t``: the mix of that day's outlets times each outlet's
  usual rate of the term (shrunk towards the overall rate). A term an outlet uses every day (its
  boilerplate, its home country) then does not "burst" on days that outlet dominates. With
  ``baseline="global"`` it is Kleinberg's constant ``p_0 = R / D``.
* **Low-coverage days are skipped** (fewer than ``min_day_docs`` articles): they are left out of
  the sequence, not interpolated, and a burst never starts or ends on them.

Bursts of terms that share their articles (``devos``, ``betsy devos``, ``education secretary``)
are grouped into one event: in order of weight, a burst joins the strongest earlier burst whose
days overlap and whose articles overlap (overlap coefficient ≥ ``group_overlap``).

Everything is computed from counts (:mod:`newsscope.trends.counts`): :func:`detect_bursts` runs
the counting passes on its matrix in memory, :func:`bursts_from_blocks` on any source of blocks
(the document-term blocks of a partitioned corpus), with one implementation and the same result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from newsscope.trends.counts import (
    BlockSource, MatrixBlocks, block_group_stats, block_member_stats, block_term_counts, block_volume, coverage,
    day_positions, doc_sources, effective_outlets, merge_group_stats, merge_member_stats, merge_sums, merge_volume,
)
from newsscope.trends.series import has_dates

__all__ = ["kleinberg", "burst_intervals", "daily_counts", "count_days", "detect_bursts", "bursts_from_blocks",
           "assign_groups", "overlapping_pairs", "effective_outlets", "BURST_COLUMNS", "MEMBER_COLUMNS"]

#: Columns of ``bursts.csv`` (the contract) followed by extra columns for reading.
BURST_COLUMNS = ["term", "start", "end", "weight", "peak_share", "docs", "peak_date", "n_terms", "example_title"]
#: Columns of ``attrs["members"]``: one row per term burst, ``group`` = row of its event.
MEMBER_COLUMNS = ["term", "first", "last", "start", "end", "weight", "level", "peak_share", "peak_date", "docs", "group"]


def _state_costs(r: np.ndarray, d: np.ndarray, p0: np.ndarray, s: float, n_states: int) -> np.ndarray:
    """Return costs (terms x days x states) without the binomial coefficient (same in every state)."""
    costs = np.empty(r.shape + (n_states,))
    for i in range(n_states):
        p = np.clip(p0 * s ** i, 1e-12, 1 - 1e-9)
        costs[..., i] = -(r * np.log(p) + (d - r) * np.log1p(-p))
    return costs


def kleinberg(r: np.ndarray, d: np.ndarray, *, p0: np.ndarray | float | None = None, s: float = 2.0, gamma: float = 1.0,
              n_states: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Return the optimal burst states and the per-day cost saving of state 1 over state 0.

    Parameters
    ----------
    r : array (days,) or (terms, days)
        Articles mentioning the term per day.
    d : array (days,) or (terms, days)
        Articles per day (broadcast over terms).
    p0 : float or array, optional
        Base-state probability, constant or per day (and term). Default ``Σ r / Σ d`` per term.
    s : float
        Ratio between successive states' probabilities (> 1).
    gamma : float
        Cost of moving up one state, in units of ``ln(days)``.
    n_states : int
        Number of states (2: base and burst).

    Returns
    -------
    states : int array, same shape as ``r``
        0 = base; ``i`` = burst level ``i``.
    gain : float array, same shape as ``r``
        ``σ_0 - σ_1`` per day (positive where the day looks bursty).
    """
    if s <= 1:
        raise ValueError(f"s={s!r}: the state ratio must be > 1")
    if n_states < 2:
        raise ValueError(f"n_states={n_states!r}: need at least 2 states")
    squeeze = np.ndim(r) == 1
    r = np.atleast_2d(np.asarray(r, dtype=float))
    d = np.broadcast_to(np.asarray(d, dtype=float), r.shape)
    if np.any(r > d) or np.any(r < 0):
        raise ValueError("mentions must lie between 0 and the number of articles each day")
    if p0 is None:
        tot = d.sum(axis=1, keepdims=True)
        p0 = np.where(tot > 0, r.sum(axis=1, keepdims=True) / np.maximum(tot, 1), 0.0)
    p0 = np.broadcast_to(np.asarray(p0, dtype=float), r.shape)
    n_terms, T = r.shape
    if T == 0:
        e = np.zeros(r.shape, dtype=int)
        return (e[0], e[0].astype(float)) if squeeze else (e, e.astype(float))
    costs = _state_costs(r, d, p0, s, n_states)
    up = gamma * math.log(max(T, 2))
    levels = np.arange(n_states)
    trans = np.maximum(levels[None, :] - levels[:, None], 0) * up  # from i (rows) to j (cols)
    # Viterbi: start in the base state
    acc = costs[:, 0, :] + trans[0][None, :]
    back = np.zeros((n_terms, T, n_states), dtype=np.int8)
    for t in range(1, T):
        tot = acc[:, :, None] + trans[None, :, :]  # terms x from x to
        back[:, t, :] = np.argmin(tot, axis=1)
        acc = tot.min(axis=1) + costs[:, t, :]
    states = np.zeros((n_terms, T), dtype=int)
    states[:, -1] = np.argmin(acc, axis=1)
    rows = np.arange(n_terms)
    for t in range(T - 1, 0, -1):
        states[:, t - 1] = back[rows, t, states[:, t]]
    gain = costs[..., 0] - costs[..., 1]
    if squeeze:
        return states[0], gain[0]
    return states, gain


def burst_intervals(states: np.ndarray, gain: np.ndarray) -> list[tuple[int, int, float, int]]:
    """Return ``(first, last, weight, level)`` of each maximal run of states ≥ 1 (indices inclusive)."""
    out = []
    T = len(states)
    t = 0
    while t < T:
        if states[t] >= 1:
            u = t
            while u + 1 < T and states[u + 1] >= 1:
                u += 1
            out.append((t, u, float(gain[t:u + 1].sum()), int(states[t:u + 1].max())))
            t = u + 1
        else:
            t += 1
    return out


@dataclass
class DailyCounts:
    """Per-day article and mention counts of a document-term matrix (covered days only)."""

    days: pd.DatetimeIndex
    totals: np.ndarray          # days
    mentions: np.ndarray        # terms x days
    by_outlet: np.ndarray       # days x outlets (articles)
    outlet_mentions: np.ndarray  # outlets x terms (articles mentioning, whole period)
    outlets: list[str]
    term_index: np.ndarray      # vocabulary columns of the rows of ``mentions``
    min_day_docs: int
    skipped_days: pd.DataFrame
    day_of_doc: np.ndarray | None = None  # per document: index into ``days`` or -1 (matrix in memory only)
    doc_outlet: np.ndarray | None = None  # per document: index into ``outlets`` or -1 (matrix in memory only)

    def series(self, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (mentions per day, articles mentioning per outlet) for a boolean document vector."""
        if self.day_of_doc is None or self.doc_outlet is None:
            raise ValueError("these daily counts come from blocks: they hold no per-document days")
        sel = present & (self.day_of_doc >= 0)
        r = np.bincount(self.day_of_doc[sel], minlength=len(self.days)).astype(float)
        om = np.bincount(self.doc_outlet[sel], minlength=len(self.outlets)).astype(float)
        return r, om


def count_days(source: BlockSource, *, min_count: int = 10, min_day_docs: int | str = "auto", min_day_outlets: float = 2.0,
               start: Any = None, end: Any = None) -> DailyCounts | None:
    """Daily counts of a source of blocks (two counting passes); None when no article is dated.

    See :func:`daily_counts` for the parameters.
    """
    vol = source.reduce_blocks(block_volume, merge_volume, start, end)
    if vol["dated"] == 0:
        return None
    cov = coverage(vol["table"], min_day_docs=min_day_docs, min_day_outlets=min_day_outlets)
    tc = source.reduce_blocks(block_term_counts, merge_sums, cov.days, cov.outlets, start, end)
    df = np.asarray(tc["days"].sum(axis=0)).ravel()
    term_index = np.flatnonzero(df >= min_count)
    mentions = tc["days"][:, term_index].toarray().T.astype(float)  # terms x days (the layout detect_bursts always had)
    outlet_mentions = tc["outlets"][:, term_index].toarray().astype(float)
    return DailyCounts(days=cov.days, totals=cov.totals, mentions=mentions, by_outlet=np.ascontiguousarray(cov.by_outlet),
                       outlet_mentions=outlet_mentions, outlets=cov.outlets, term_index=term_index,
                       min_day_docs=cov.min_day_docs, skipped_days=cov.skipped_days)


def daily_counts(dtm, *, min_count: int = 10, min_day_docs: int | str = "auto", min_day_outlets: float = 2.0,
                 start=None, end=None) -> DailyCounts:
    """Aggregate a document-term matrix into daily counts for burst detection.

    Terms in fewer than ``min_count`` articles of the covered days are left out. A day is
    skipped (listed in ``skipped_days`` with the reason) when it has fewer than
    ``min_day_docs`` articles (``"auto"``: 25% of the median day, at least 5) or when its
    articles come from fewer than ``min_day_outlets`` *effective* outlets (inverse Simpson index:
    a day of 8 DW features and 2 other articles counts as 1.5 outlets). The outlet rule applies
    only when the corpus has several outlets.
    """
    docs = dtm.docs
    if not has_dates(docs):
        raise ValueError("the corpus has no publication dates: bursts cannot be detected")
    dc = count_days(MatrixBlocks(dtm.X, docs, np.asarray(dtm.terms)), min_count=min_count, min_day_docs=min_day_docs,
                    min_day_outlets=min_day_outlets, start=start, end=end)
    opos = {o: i for i, o in enumerate(dc.outlets)}
    dc.day_of_doc = day_positions(docs, dc.days, start, end)
    dc.doc_outlet = np.array([opos.get(x, -1) for x in doc_sources(docs)])
    return dc


def outlet_baseline(dc: DailyCounts, shrink: float = 20.0, mentions: np.ndarray | None = None,
                    outlet_mentions: np.ndarray | None = None) -> np.ndarray:
    """Return the outlet-adjusted base rate ``p_0(t)`` per term and day (terms x days).

    Each outlet's rate of a term is ``(k_o + shrink p) / (n_o + shrink)``: its own share of
    articles mentioning the term, shrunk towards the overall share ``p`` (an outlet with few
    articles does not get an extreme rate). ``mentions`` (terms x days) and ``outlet_mentions``
    (outlets x terms) default to those of ``dc``.
    """
    mentions = dc.mentions if mentions is None else np.atleast_2d(mentions)
    outlet_mentions = dc.outlet_mentions if outlet_mentions is None else np.asarray(outlet_mentions).reshape(len(dc.outlets), -1)
    n_o = dc.by_outlet.sum(axis=0)  # outlets
    p_all = mentions.sum(axis=1) / max(dc.totals.sum(), 1.0)  # terms
    rate = (outlet_mentions.T + shrink * p_all[:, None]) / (n_o[None, :] + shrink)  # terms x outlets
    expected = rate @ dc.by_outlet.T  # terms x days
    return expected / np.maximum(dc.totals[None, :], 1.0)


def detect_bursts(dtm, *, min_count: int = 10, min_day_docs: int | str = "auto", min_day_outlets: float = 2.0,
                  s: float = 3.0, gamma: float = 1.0,
                  n_states: int = 2, baseline: str = "outlet", group: bool = True, group_overlap: float = 0.5,
                  min_docs: int = 5, min_outlets: int = 2, start=None, end=None) -> pd.DataFrame:
    """Detect bursts of every term above ``min_count`` and return them strongest first.

    Parameters
    ----------
    dtm : DocTermMatrix
    min_count : int
        Minimum number of (dated, covered) articles mentioning a term.
    min_day_docs : int or "auto"
        Days with fewer articles are skipped (see :func:`daily_counts`).
    min_day_outlets : float
        Days with fewer effective outlets are skipped (see :func:`daily_counts`).
    s, gamma, n_states
        Kleinberg's parameters (see :func:`kleinberg`).
    baseline : {"outlet", "global"}
        Outlet-adjusted or constant base rate (see the module docstring).
    group : bool
        Merge bursts of terms sharing their articles into events.
    group_overlap : float
        Minimum overlap coefficient ``|A ∩ B| / min(|A|, |B|)`` of the articles of two bursts.
    min_docs : int
        Drop bursts with fewer articles mentioning the term within the burst.
    min_outlets : int
        Drop bursts whose articles come from fewer outlets (default 2: a word bursting in one
        outlet only is mostly its house style, a promo or an author's initials; set 1 to keep
        single-outlet stories, and on single-outlet corpora it is lowered to 1).
    start, end : date-like, optional
        Limit the days considered.

    Returns
    -------
    pandas.DataFrame
        ``term`` (a group's terms joined by ``"; "``, strongest first), ``start``, ``end``,
        ``weight``, ``peak_share``, ``docs``, ``peak_date``, ``n_terms``, ``example_title``;
        ``attrs["members"]``: one row per term burst, ``group`` being the row of its event in
        this table; ``attrs["skipped_days"]``: the days left out and why; ``attrs["note"]``:
        empty, or why there is no burst (no dates, fewer than two covered days, no term frequent
        enough, nothing bursting in enough articles). Never raises for a small or undated corpus.
    """
    return bursts_from_blocks(MatrixBlocks(dtm.X, dtm.docs, np.asarray(dtm.terms)), min_count=min_count,
                              min_day_docs=min_day_docs, min_day_outlets=min_day_outlets, s=s, gamma=gamma,
                              n_states=n_states, baseline=baseline, group=group, group_overlap=group_overlap,
                              min_docs=min_docs, min_outlets=min_outlets, start=start, end=end)


def bursts_from_blocks(source: BlockSource, *, min_count: int = 10, min_day_docs: int | str = "auto",
                       min_day_outlets: float = 2.0, s: float = 3.0, gamma: float = 1.0, n_states: int = 2,
                       baseline: str = "outlet", group: bool = True, group_overlap: float = 0.5, min_docs: int = 5,
                       min_outlets: int = 2, start=None, end=None) -> pd.DataFrame:
    """Detect bursts from the counts of a source of document-term blocks (see :func:`detect_bursts`).

    Parameters
    ----------
    source : BlockSource
        ``terms`` and ``reduce_blocks`` (:class:`~newsscope.trends.counts.MatrixBlocks` for a
        matrix in memory; the partitioned pipeline's blocks run each pass as tasks).
    **params
        As for :func:`detect_bursts`.

    Returns
    -------
    pandas.DataFrame
        The table of :func:`detect_bursts` (with the same ``attrs``).
    """
    if baseline not in ("outlet", "global"):
        raise ValueError(f"baseline={baseline!r}: use 'outlet' or 'global'")
    params = {"min_count": min_count, "s": s, "gamma": gamma, "n_states": n_states, "baseline": baseline,
              "group_overlap": group_overlap if group else None, "min_docs": min_docs, "min_outlets": min_outlets}
    dc = count_days(source, min_count=min_count, min_day_docs=min_day_docs, min_day_outlets=min_day_outlets, start=start, end=end)
    if dc is None:
        return _no_bursts("no article has a publication date", None, params)
    if len(dc.days) < 2:
        return _no_bursts(f"{len(dc.days)} day(s) covered well enough (a burst needs a change over at least 2 days)", dc, params)
    if len(dc.term_index) == 0:
        return _no_bursts(f"no term is in {min_count} or more articles of the covered days", dc, params)
    p0 = outlet_baseline(dc) if baseline == "outlet" else None
    states, gain = kleinberg(dc.mentions, dc.totals[None, :], p0=p0, s=s, gamma=gamma, n_states=n_states)
    rows = []
    for i in np.flatnonzero(states.max(axis=1) >= 1):
        for a, b, w, level in burst_intervals(states[i], gain[i]):
            r = dc.mentions[i, a:b + 1]
            share = r / dc.totals[a:b + 1]
            k = int(np.argmax(share))
            rows.append({"term": str(source.terms[dc.term_index[i]]), "col": int(dc.term_index[i]), "first": a, "last": b,
                         "start": dc.days[a], "end": dc.days[b], "weight": w, "level": level,
                         "peak_share": float(share[k]), "peak_date": dc.days[a + k], "docs": int(r.sum())})
    members = pd.DataFrame(rows, columns=["term", "col", *MEMBER_COLUMNS[1:-1]])
    members = members[members["docs"] >= min_docs].reset_index(drop=True)
    pos = np.arange(len(members))
    stats = None
    if len(members):
        stats = source.reduce_blocks(block_member_stats, merge_member_stats, dc.days, dc.outlets, *_windows(members), start, end)
        if min_outlets > 1 and len(dc.outlets) > 1:
            pos = np.flatnonzero((stats["outlets"] > 0).sum(axis=1) >= min_outlets)
            members = members.iloc[pos].reset_index(drop=True)
    if members.empty:
        return _no_bursts(f"no term bursts in {min_docs} or more articles"
                          + (f" from {min_outlets} or more outlets" if min_outlets > 1 and len(dc.outlets) > 1 else ""), dc, params)
    order = members.sort_values(["weight", "term"], ascending=[False, True], kind="stable").index.to_numpy()
    members = members.loc[order].reset_index(drop=True)
    pos = pos[order]
    incidence = stats["incidence"].tocsr()[pos]
    sizes = np.diff(incidence.indptr).astype(float)
    inter = (overlapping_pairs(incidence, sizes, members["first"].to_numpy(), members["last"].to_numpy(), overlap=group_overlap)
             if group else sp.csr_matrix((len(members), len(members)), dtype=np.int64))
    del incidence
    group_of, n_groups = assign_groups(members, sizes, inter, overlap=group_overlap if group else None)
    out, members = _events(source, dc, members, group_of, n_groups, start, end)
    out.attrs["members"] = members
    out.attrs["skipped_days"] = dc.skipped_days
    out.attrs["min_day_docs"] = dc.min_day_docs
    out.attrs["params"] = params
    out.attrs["note"] = ""
    return out


def _windows(members: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (members["col"].to_numpy(dtype=np.int64), members["first"].to_numpy(dtype=np.int64),
            members["last"].to_numpy(dtype=np.int64))


def _no_bursts(reason: str, dc: DailyCounts | None, params: dict) -> pd.DataFrame:
    """Return an empty burst table carrying the same ``attrs`` as a full one, and why it is empty in ``note``."""
    out = pd.DataFrame(columns=BURST_COLUMNS)
    out.attrs["members"] = pd.DataFrame(columns=MEMBER_COLUMNS)
    out.attrs["skipped_days"] = dc.skipped_days if dc is not None else pd.DataFrame(columns=["day", "docs", "effective_outlets", "reason"])
    out.attrs["min_day_docs"] = dc.min_day_docs if dc is not None else None
    out.attrs["params"] = params
    out.attrs["note"] = f"No bursts: {reason}."
    return out


#: Products of incidence entries per chunk of :func:`overlapping_pairs` (bounds its memory).
PAIR_CHUNK_PRODUCTS = 20_000_000


def overlapping_pairs(incidence: sp.csr_matrix, sizes: np.ndarray, first: np.ndarray, last: np.ndarray, *,
                      overlap: float = 0.5, min_share_of_larger: float = 0.2,
                      chunk_products: int = PAIR_CHUNK_PRODUCTS) -> sp.csr_matrix:
    """The shared articles of the pairs of bursts that may join one event (the rest left out).

    Parameters
    ----------
    incidence : scipy.sparse.csr_matrix
        Bursts x articles (1: the article mentions the term during the burst), bursts in the
        order :func:`assign_groups` reads them.
    sizes : array
        Articles per burst (the row sums).
    first, last : array
        Each burst's first and last day (positions).
    overlap, min_share_of_larger : float
        As for :func:`assign_groups`.
    chunk_products : int
        Bound on the products computed at once: the shared articles are counted a chunk of
        bursts at a time, so memory holds one chunk's pairs, not every pair.

    Returns
    -------
    scipy.sparse.csr_matrix
        Bursts x bursts: ``[i, j]`` (``j < i``) the articles shared by bursts ``i`` and ``j``,
        kept only where the days overlap and the shares reach both thresholds, the only entries
        :func:`assign_groups` can use, so its groups are those of the full matrix.
    """
    n = incidence.shape[0]
    inc = sp.csr_matrix(incidence, dtype=np.int32)
    by_doc = inc.T.tocsr()
    per_doc = np.diff(by_doc.indptr).astype(np.int64)
    products = inc @ per_doc  # the products each burst's row takes
    rows, cols, vals = [], [], []
    lo = 0
    while lo < n:
        hi = lo + max(1, int(np.searchsorted(np.cumsum(products[lo:]), chunk_products, side="right")))
        P = (inc[lo:hi] @ by_doc).tocoo()
        i, j, v = P.row.astype(np.int64) + lo, P.col.astype(np.int64), P.data.astype(np.int64)
        small, large = np.minimum(sizes[i], sizes[j]), np.maximum(sizes[i], sizes[j])
        keep = ((j < i) & (first[i] <= last[j]) & (last[i] >= first[j])
                & (v >= overlap * small) & (v >= min_share_of_larger * large))
        rows.append(i[keep]); cols.append(j[keep]); vals.append(v[keep])
        lo = hi
    if not rows:
        return sp.csr_matrix((n, n), dtype=np.int64)
    out = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    out.sort_indices()
    return out


def assign_groups(members: pd.DataFrame, sizes: np.ndarray, inter: sp.csr_matrix, overlap: float | None = 0.5,
                  min_share_of_larger: float = 0.2) -> tuple[np.ndarray, int]:
    """Group term bursts (strongest first) into events; return each burst's group and the number of groups.

    In order of weight, a burst joins the first (strongest) group whose lead burst overlaps it
    in time and shares articles with it: at least ``overlap`` of the smaller burst's articles and
    ``min_share_of_larger`` of the larger one's (so that a small burst of an ambiguous word, such
    as Malaysia's ``attorney general`` in the Kim Jong-nam case, does not join a large event).
    ``sizes`` are the bursts' articles and ``inter`` their shared articles (bursts x bursts;
    entries with ``j >= i`` or below the thresholds are never used, see
    :func:`overlapping_pairs`). Groups are numbered in the order of their lead bursts.
    """
    first = members["first"].to_numpy()
    last = members["last"].to_numpy()
    group_of = np.full(len(members), -1)
    n_groups = 0
    lead_group: dict[int, int] = {}
    for i in range(len(members)):
        if overlap is not None:
            lo, hi = inter.indptr[i], inter.indptr[i + 1]
            cand = [(lead_group[j], j, v) for j, v in zip(inter.indices[lo:hi].tolist(), inter.data[lo:hi].tolist())
                    if j in lead_group]
            for g, j, v in sorted(cand):
                if first[i] > last[j] or last[i] < first[j]:
                    continue
                small, large = min(sizes[i], sizes[j]), max(sizes[i], sizes[j])
                if v >= overlap * small and v >= min_share_of_larger * large:
                    group_of[i] = g
                    break
        if group_of[i] < 0:
            group_of[i] = n_groups
            lead_group[i] = n_groups
            n_groups += 1
    return group_of, n_groups


def _events(source: BlockSource, dc: DailyCounts, members: pd.DataFrame, group_of: np.ndarray, n_groups: int,
            start: Any, end: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (events, members with ``group``): one row per group, strongest first.

    A group's weight is the sum of its members' weights: the evidence of all the words that
    burst for the event, so that an event covered in many distinct words (names, places, a
    phrase) outranks a common word that happens to rise for a few days. ``docs`` and
    ``peak_share`` count the articles mentioning any of the group's terms; the example title is
    that of an undamaged title's article holding most of the group's term bursts.
    """
    stats = source.reduce_blocks(block_group_stats, merge_group_stats, dc.days, *_windows(members), group_of, n_groups,
                                 start, end)
    members = members.assign(group=group_of)
    first = members["first"].to_numpy()
    last = members["last"].to_numpy()
    term_arr = members["term"].to_numpy(dtype=object)
    weight_arr = members["weight"].to_numpy(dtype=float)
    dates = [d.date() for d in dc.days]
    by_group = np.argsort(group_of, kind="stable")  # each group's members in row order
    bounds = np.searchsorted(group_of[by_group], np.arange(n_groups + 1))
    events = []
    for g in range(n_groups):
        idx = by_group[bounds[g]:bounds[g + 1]]
        terms = list(dict.fromkeys(term_arr[idx].tolist()))  # a term may burst twice within one event
        f, l = int(first[idx].min()), int(last[idx].max())
        share = stats["per_day"][g, f:l + 1] / dc.totals[f:l + 1]
        k = int(np.argmax(share))
        weight = float(weight_arr[idx].sum())
        events.append({"term": "; ".join(terms), "start": dates[f], "end": dates[l],
                       "weight": weight, "peak_share": float(share[k]),
                       "docs": int(stats["sizes"][g]), "peak_date": dates[f + k], "n_terms": len(terms),
                       "example_title": stats["best"][g][4] if stats["best"][g] else ""})
    out = pd.DataFrame(events, columns=BURST_COLUMNS)
    order = out.sort_values(["weight", "term"], ascending=[False, True], kind="stable").index.to_numpy()
    out = out.loc[order].reset_index(drop=True)
    rank_of = np.empty(len(order), dtype=int)
    rank_of[order] = np.arange(len(order))
    members = members.assign(group=rank_of[members["group"].to_numpy()])  # group = row of the event table
    return out, members.drop(columns=["col"])
