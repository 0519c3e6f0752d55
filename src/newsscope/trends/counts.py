"""The counts burst detection needs, computed per block of documents and summed over blocks.

:func:`newsscope.trends.detect_bursts` reads a document-term matrix only through four passes,
each a function of one block of documents (``X``: documents x terms counts; ``docs``:
``published``, ``source``, ``title`` of the same rows; ``offset``: the block's first row in the
whole matrix) that returns small arrays, and a reducer that adds two such results (integer sums,
so the blocking never changes a result):

1. :func:`block_volume`: articles per (day, outlet) -> the covered days (:func:`coverage`);
2. :func:`block_term_counts`: articles per covered day and term, per outlet and term;
3. :func:`block_member_stats`: for each term burst, its articles and their outlets (the
   ``min_outlets`` filter and the grouping);
4. :func:`block_group_stats`: for each event, its articles per day and its example article.

A source of blocks has ``terms`` and ``reduce_blocks(func, merge, *args)``: run ``func`` on every
block and combine the results with ``merge``. :class:`MatrixBlocks` is a matrix in memory (one
block); :func:`newsscope.engine.stream.trends.burst_parts` runs the passes as tasks over the
blocks of a :class:`~newsscope.vectorize.blocks.DTMBlocks` folder. Memory in the driver: days x
terms and outlets x terms counts (sparse), whatever the corpus size, and the bursts' articles
(bursts x articles incidence: a few dozen entries, some 200 bytes, per article).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
import scipy.sparse as sp

from newsscope.clean.repair import count_lost_characters
from newsscope.trends.series import auto_min_docs

__all__ = [
    "BLOCK_DOC_COLUMNS", "BlockSource", "doc_days", "doc_sources", "day_positions", "MatrixBlocks", "Coverage", "coverage", "effective_outlets",
    "block_volume", "merge_volume", "block_term_counts", "merge_sums", "block_member_stats", "merge_member_stats",
    "block_group_stats",
    "merge_group_stats", "block_outlet_terms", "merge_outlet_terms",
]

#: Columns of ``docs`` the passes read.
BLOCK_DOC_COLUMNS = ["published", "source", "title"]


class BlockSource(Protocol):
    """Blocks of a document-term matrix, as the burst passes read them."""

    terms: np.ndarray

    def reduce_blocks(self, func: Callable[..., Any], merge: Callable[[Any, Any], Any], *args: Any) -> Any:
        """Return ``func(X, docs, offset, *args)`` of every block, combined with ``merge``."""


@dataclass
class MatrixBlocks:
    """A document-term matrix in memory as a single block (what :func:`detect_bursts` runs on)."""

    X: sp.csr_matrix
    docs: pd.DataFrame
    terms: np.ndarray

    def reduce_blocks(self, func: Callable[..., Any], merge: Callable[[Any, Any], Any], *args: Any) -> Any:
        """Run ``func`` on the one block."""
        return func(self.X, self.docs, 0, *args)


def effective_outlets(counts: np.ndarray) -> np.ndarray:
    """Return the effective number of outlets per row (inverse Simpson index of the outlet shares)."""
    counts = np.asarray(counts, dtype=float)
    tot = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = counts / tot[:, None]
        return np.where(tot > 0, 1.0 / (shares ** 2).sum(axis=1), 0.0)


def doc_days(docs: pd.DataFrame, start: Any = None, end: Any = None) -> pd.Series:
    """Each document's publication day within ``[start, end]`` (NaT outside or undated)."""
    if "published" not in docs.columns:
        return pd.Series(pd.NaT, index=docs.index, dtype="datetime64[ns]")
    day = pd.to_datetime(docs["published"]).dt.normalize()
    if start is not None:
        day = day.where(day >= pd.Timestamp(start))
    if end is not None:
        day = day.where(day <= pd.Timestamp(end))
    return day


def doc_sources(docs: pd.DataFrame) -> np.ndarray:
    """Each document's outlet (``"(unknown)"`` when missing, ``"(all)"`` without a source column)."""
    if "source" in docs.columns:
        return docs["source"].fillna("(unknown)").astype(str).to_numpy()
    return np.full(len(docs), "(all)")


def _doc_titles(docs: pd.DataFrame) -> np.ndarray:
    return docs["title"].fillna("").astype(str).to_numpy() if "title" in docs.columns else np.full(len(docs), "")


def day_positions(docs: pd.DataFrame, days: pd.DatetimeIndex, start: Any = None, end: Any = None) -> np.ndarray:
    """Each document's index into the covered ``days`` (-1: not on a covered day)."""
    pos = pd.Series(np.arange(len(days)), index=days)
    return doc_days(docs, start, end).map(pos).fillna(-1).astype(int).to_numpy()


def _binary(X: sp.spmatrix) -> sp.csr_matrix:
    B = sp.csr_matrix(X, copy=True)
    B.data = np.ones_like(B.data, dtype=np.int64)
    return B


# --------------------------------------------------------------------------- pass 1: volume

def block_volume(X: sp.spmatrix, docs: pd.DataFrame, offset: int, start: Any = None, end: Any = None) -> dict[str, Any]:
    """Articles per (day, outlet) of one block, and its number of dated articles."""
    dated = int(docs["published"].notna().sum()) if "published" in docs.columns else 0
    day = doc_days(docs, start, end)
    ok = day.notna().to_numpy()
    table = (pd.DataFrame({"day": day.to_numpy()[ok], "source": doc_sources(docs)[ok]})
             .groupby(["day", "source"], sort=True).size().rename("docs").reset_index())
    return {"dated": dated, "table": table}


def merge_volume(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Add two :func:`block_volume` results."""
    parts = [t for t in (a["table"], b["table"]) if len(t)]
    table = (pd.concat(parts, ignore_index=True).groupby(["day", "source"], sort=True)["docs"].sum().reset_index()
             if parts else a["table"])
    return {"dated": a["dated"] + b["dated"], "table": table}


@dataclass
class Coverage:
    """The days burst detection uses and their articles per outlet."""

    days: pd.DatetimeIndex
    totals: np.ndarray       # days: articles
    by_outlet: np.ndarray    # days x outlets: articles
    outlets: list[str]
    min_day_docs: int
    skipped_days: pd.DataFrame


def coverage(volume: pd.DataFrame, *, min_day_docs: int | str = "auto", min_day_outlets: float = 2.0) -> Coverage:
    """Decide the covered days from articles per (day, outlet) (see :func:`newsscope.trends.daily_counts`)."""
    table = volume.set_index(["day", "source"])["docs"].unstack("source", fill_value=0).sort_index().astype(np.int64)
    per_day = table.sum(axis=1)
    md = auto_min_docs(per_day, fraction=0.25) if min_day_docs == "auto" else int(min_day_docs)
    eff = pd.Series(effective_outlets(table.to_numpy()), index=table.index)
    multi = table.shape[1] > 1
    reason = np.where(per_day < md, f"fewer than {md} articles",
                      np.where(multi & (eff < min_day_outlets), f"fewer than {min_day_outlets:g} effective outlets", ""))
    keep = reason == ""
    skipped = pd.DataFrame({"day": per_day.index[~keep], "docs": per_day.to_numpy()[~keep],
                            "effective_outlets": eff.to_numpy()[~keep].round(2), "reason": reason[~keep]})
    kept = per_day[keep]
    sub = table[keep]
    outlets = [str(c) for c in sub.columns if sub[c].sum() > 0]
    return Coverage(days=pd.DatetimeIndex(kept.index, name="day"), totals=kept.to_numpy().astype(float),
                    by_outlet=sub[outlets].to_numpy().astype(float), outlets=outlets, min_day_docs=md, skipped_days=skipped)


# --------------------------------------------------------------------------- pass 2: term counts

def block_term_counts(X: sp.spmatrix, docs: pd.DataFrame, offset: int, days: pd.DatetimeIndex, outlets: list[str],
                      start: Any = None, end: Any = None) -> dict[str, sp.csr_matrix]:
    """Articles mentioning each term per covered day (days x terms) and per outlet (outlets x terms)."""
    B = _binary(X)
    day_of_doc = day_positions(docs, days, start, end)
    rows = np.flatnonzero(day_of_doc >= 0)
    opos = {o: i for i, o in enumerate(outlets)}
    orow = np.array([opos.get(x, -1) for x in doc_sources(docs)], dtype=np.int64)
    one = np.ones(len(rows), dtype=np.int64)
    D = sp.csr_matrix((one, (day_of_doc[rows], rows)), shape=(len(days), B.shape[0]))
    O = sp.csr_matrix((one, (orow[rows], rows)), shape=(len(outlets), B.shape[0]))
    return {"days": (D @ B).tocsr(), "outlets": (O @ B).tocsr()}


def merge_sums(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Add two results holding arrays or sparse matrices under the same keys."""
    return {k: a[k] + b[k] for k in a}


# --------------------------------------------------------------------------- pass 3: bursts' articles

def _incidence(X: sp.spmatrix, day_of_doc: np.ndarray, cols: np.ndarray, firsts: np.ndarray, lasts: np.ndarray) -> sp.csr_matrix:
    """Bursts x documents: the block's articles mentioning the term during the burst."""
    Xc = sp.csc_matrix(X)
    indptr = [0]
    indices: list[np.ndarray] = []
    for col, a, b in zip(cols, firsts, lasts):
        rows = Xc.indices[Xc.indptr[col]:Xc.indptr[col + 1]]
        d = day_of_doc[rows]
        sel = np.sort(rows[(d >= a) & (d <= b)])
        indices.append(sel)
        indptr.append(indptr[-1] + len(sel))
    idx = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    return sp.csr_matrix((np.ones(len(idx), dtype=np.int64), idx, np.asarray(indptr)), shape=(len(cols), X.shape[0]))


def block_member_stats(X: sp.spmatrix, docs: pd.DataFrame, offset: int, days: pd.DatetimeIndex, outlets: list[str],
                       cols: np.ndarray, firsts: np.ndarray, lasts: np.ndarray, start: Any = None,
                       end: Any = None) -> dict[str, Any]:
    """Per term burst: its articles in the block (``incidence``, bursts x block documents) and per outlet.

    The incidence of all blocks side by side (:func:`merge_member_stats`) is bursts x articles:
    as many entries as the bursts have articles, a few dozen per article, so the shared
    articles of every pair of bursts are computed from it in the driver, a chunk of bursts at a
    time (:func:`newsscope.trends.bursts.overlapping_pairs`), never as one bursts x bursts
    matrix (a million articles have some 10^8 pairs of bursts sharing an article).
    """
    day_of_doc = day_positions(docs, days, start, end)
    M = _incidence(X, day_of_doc, cols, firsts, lasts)
    opos = {o: i for i, o in enumerate(outlets)}
    orow = np.array([opos.get(x, -1) for x in doc_sources(docs)], dtype=np.int64)
    rows = np.flatnonzero(orow >= 0)
    O = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, orow[rows])), shape=(X.shape[0], len(outlets)))
    inc = sp.csc_matrix(M, dtype=np.int32)
    inc.indices = inc.indices.astype(np.int32)
    inc.indptr = inc.indptr.astype(np.int64)
    return {"incidence": inc, "outlets": np.asarray((M @ O).todense(), dtype=np.int64)}


def merge_member_stats(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Combine two :func:`block_member_stats` results: incidences side by side, outlet counts added."""
    A, B = a["incidence"], b["incidence"]
    inc = sp.csc_matrix((np.concatenate([A.data, B.data]), np.concatenate([A.indices, B.indices]),
                         np.concatenate([A.indptr, B.indptr[1:] + A.indptr[-1]])), shape=(A.shape[0], A.shape[1] + B.shape[1]))
    return {"incidence": inc, "outlets": a["outlets"] + b["outlets"]}


# --------------------------------------------------------------------------- pass 4: events

def block_group_stats(X: sp.spmatrix, docs: pd.DataFrame, offset: int, days: pd.DatetimeIndex, cols: np.ndarray,
                      firsts: np.ndarray, lasts: np.ndarray, group_of: np.ndarray, n_groups: int, start: Any = None,
                      end: Any = None) -> dict[str, Any]:
    """Per event (a group of term bursts): its articles per day, their number, the best example article.

    The example is an article with an undamaged title (no lost characters) holding most of the
    group's term bursts; ties: earliest day, then row. ``best`` holds per group ``None`` or
    ``(damaged, -bursts, day, row, title)`` (``row`` in the whole matrix): the smallest wins.
    """
    day_of_doc = day_positions(docs, days, start, end)
    M = _incidence(X, day_of_doc, cols, firsts, lasts)
    G = sp.csr_matrix((np.ones(len(group_of), dtype=np.int64), (np.asarray(group_of), np.arange(len(group_of)))),
                      shape=(n_groups, len(group_of)))
    C = (G @ M).tocsr()
    C.sort_indices()
    titles = _doc_titles(docs)
    in_any = np.unique(C.indices)
    damaged = np.zeros(X.shape[0], dtype=bool)
    damaged[in_any] = [count_lost_characters(titles[i])[1] > 0 for i in in_any]
    per_day = np.zeros((n_groups, len(days)), dtype=np.int64)
    sizes = np.zeros(n_groups, dtype=np.int64)
    best: list[tuple | None] = [None] * n_groups
    for g in range(n_groups):
        union = C.indices[C.indptr[g]:C.indptr[g + 1]]
        if not len(union):
            continue
        counts = C.data[C.indptr[g]:C.indptr[g + 1]]
        per_day[g] = np.bincount(day_of_doc[union], minlength=len(days))
        sizes[g] = len(union)
        i = np.lexsort((union, day_of_doc[union], -counts, damaged[union]))[0]
        doc = int(union[i])
        best[g] = (bool(damaged[doc]), -int(counts[i]), int(day_of_doc[doc]), offset + doc, str(titles[doc]))
    return {"per_day": per_day, "sizes": sizes, "best": best}


def merge_group_stats(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Add two :func:`block_group_stats` results (the smaller example key wins)."""
    best = [_smaller(x, y) for x, y in zip(a["best"], b["best"])]
    return {"per_day": a["per_day"] + b["per_day"], "sizes": a["sizes"] + b["sizes"], "best": best}


def _smaller(x: tuple | None, y: tuple | None) -> tuple | None:
    if x is None:
        return y
    if y is None:
        return x
    return x if x[:4] <= y[:4] else y


# --------------------------------------------------------------------------- keyness by outlet

def block_outlet_terms(X: sp.spmatrix, docs: pd.DataFrame, offset: int) -> dict[str, tuple[sp.csr_matrix, sp.csr_matrix, int]]:
    """Per outlet (``source`` as text): term occurrences (1 x terms), documents per term (1 x terms), documents."""
    X = sp.csr_matrix(X)
    src = docs["source"].astype(str).to_numpy()
    outlets, code = np.unique(src, return_inverse=True)
    O = sp.csr_matrix((np.ones(len(src), dtype=np.int64), (code, np.arange(len(src)))), shape=(len(outlets), len(src)))
    tokens, present = (O @ X).tocsr(), (O @ _binary(X)).tocsr()
    n = np.bincount(code, minlength=len(outlets))
    return {str(o): (tokens[i], present[i], int(n[i])) for i, o in enumerate(outlets)}


def merge_outlet_terms(a: dict[str, tuple], b: dict[str, tuple]) -> dict[str, tuple]:
    """Add two :func:`block_outlet_terms` results."""
    out = dict(a)
    for o, (t, d, n) in b.items():
        out[o] = (out[o][0] + t, out[o][1] + d, out[o][2] + n) if o in out else (t, d, n)
    return out
