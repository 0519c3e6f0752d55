"""Views of a fitted topic model: topics over time, topics by outlet, a 2D map of documents.

Every view is a tidy table (one row per cell of the figure), so the data behind a figure can be
saved beside it and checked. Normalisation is always by the number of *documents* in a group (a
time bin, an outlet), never by a topic's own total: a topic's share in a week is "what part of
that week's coverage was about this topic", so a busy news week does not make every topic rise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["dominant_topics", "time_window", "topics_over_time", "peak_periods", "topics_by_outlet", "outlet_highlights",
           "document_map", "MEASURES"]

#: How a document counts towards a topic: ``weight`` (its topic share, so a document about two
#: topics counts half for each) or ``dominant`` (1 for its strongest topic only).
MEASURES = ("weight", "dominant")


def dominant_topics(doc_topic: np.ndarray) -> np.ndarray:
    """Return each document's strongest topic (-1 for a document with no topic weight)."""
    doc_topic = np.asarray(doc_topic, dtype=float)
    if doc_topic.shape[1] == 0:
        return np.full(doc_topic.shape[0], -1)
    return np.where(doc_topic.sum(axis=1) > 0, doc_topic.argmax(axis=1), -1)


def _contributions(doc_topic: np.ndarray, measure: str) -> np.ndarray:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    doc_topic = np.asarray(doc_topic, dtype=float)
    if measure == "weight":
        return doc_topic
    out = np.zeros_like(doc_topic)
    dom = dominant_topics(doc_topic)
    has = dom >= 0
    out[np.flatnonzero(has), dom[has]] = 1.0
    return out


def time_window(published: pd.Series, *, coverage: float = 0.99) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the date range holding the latest ``coverage`` share of dated documents.

    A corpus often has a few stray old articles (the built-in one: 3 from 2016 before December);
    they would stretch a weekly time axis over months of empty bins. The window starts at the
    ``1 - coverage`` quantile of the dates and ends at the last date. None if nothing is dated.
    """
    dates = pd.to_datetime(pd.Series(published), errors="coerce").dropna()
    if dates.empty:
        return None
    start = dates.quantile(1 - coverage, interpolation="lower").normalize()
    return start, dates.max().normalize()


def topics_over_time(doc_topic: np.ndarray, published: Sequence | pd.Series, *, freq: str = "W", measure: str = "weight",
                     min_docs: int = 10, start: str | pd.Timestamp | None = None, end: str | pd.Timestamp | None = None,
                     labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Return each topic's share of the documents published in each time bin.

    ``share = sum over the bin's documents of their contribution to the topic / documents in the
    bin`` (contribution: see :data:`MEASURES`). Every dated document in the window counts in the
    denominator, including documents without any topic weight, so shares of all topics in a bin
    add up to at most 1. Bins with fewer than ``min_docs`` documents get ``share = NaN`` (a gap:
    too little coverage to say anything; never interpolated), and so do bins without documents
    between the first and last bin.

    Parameters
    ----------
    doc_topic : ndarray (n_docs, n_topics)
        Topic shares per document.
    published : sequence of datetime
        Publication dates aligned with ``doc_topic`` (NaT: not counted).
    freq : str
        ``D`` (days), ``W`` (weeks from Monday to Sunday) or ``M`` (months).
    measure : {"weight", "dominant"}
        See :data:`MEASURES`.
    min_docs : int
        Smallest number of documents in a bin for a share to be reported.
    start, end : date-like, optional
        Window (inclusive); by default :func:`time_window`.
    labels : sequence of str, optional
        Topic labels for the ``label`` column.

    Returns
    -------
    DataFrame
        period (start of the bin), topic, label, docs_in_period, topic_docs (sum of
        contributions), share, sufficient (bool), sorted by period then topic. Empty (with these
        columns) when there is nothing to show, with the reason in ``attrs['reason']``;
        ``attrs['excluded']`` counts undated documents and those outside the window.
    """
    cols = ["period", "topic", "label", "docs_in_period", "topic_docs", "share", "sufficient"]
    doc_topic = np.asarray(doc_topic, dtype=float)
    dates = pd.to_datetime(pd.Series(list(published)), errors="coerce")
    if len(dates) != doc_topic.shape[0]:
        raise ValueError(f"{len(dates)} dates for {doc_topic.shape[0]} documents")
    k = doc_topic.shape[1]
    labels = list(labels) if labels is not None else [str(t) for t in range(k)]
    window = time_window(dates) if start is None or end is None else None
    lo = pd.Timestamp(start) if start is not None else (window[0] if window else None)
    hi = pd.Timestamp(end) if end is not None else (window[1] if window else None)
    dated = dates.notna().to_numpy()
    inside = dated.copy()
    if lo is not None:
        inside &= (dates >= lo).to_numpy() & (dates < hi + pd.Timedelta(days=1)).to_numpy()
    excluded = {"undated": int((~dated).sum()), "outside_window": int((dated & ~inside).sum())}
    if not inside.any() or k == 0:
        out = pd.DataFrame(columns=cols)
        out.attrs["excluded"] = excluded
        out.attrs["reason"] = ("no topic model" if k == 0 else "no document has a publication date" if not dated.any()
                               else "no dated document in the window")
        return out
    codes = {"D": "D", "W": "W-SUN", "M": "M"}
    if freq not in codes:
        raise ValueError(f"freq must be one of {sorted(codes)}, got {freq!r}")
    periods = dates[inside].dt.to_period(codes[freq])
    contrib = _contributions(doc_topic[inside], measure)
    frame = pd.DataFrame(contrib, columns=range(k))
    frame["_period"] = periods.to_numpy()
    sums = frame.groupby("_period").sum()
    counts = frame.groupby("_period").size()
    full = pd.period_range(periods.min(), periods.max(), freq=periods.dt.freq)
    sums = sums.reindex(full, fill_value=0.0)
    counts = counts.reindex(full, fill_value=0)
    rows = []
    for p in full:
        n = int(counts[p])
        ok = n >= min_docs and n > 0
        for t in range(k):
            td = float(sums.at[p, t])
            rows.append((p.start_time, t, labels[t], n, td, td / n if ok else np.nan, ok))
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["excluded"] = excluded
    return out


def peak_periods(over_time: pd.DataFrame) -> pd.DataFrame:
    """Return each topic's peak period: topic, label, peak (period start), peak_share, mean_share.

    Only periods with enough documents (``sufficient``) count; ``mean_share`` is the mean over
    those periods. Sorted by peak period, then topic. Empty if ``over_time`` is.
    """
    cols = ["topic", "label", "peak", "peak_share", "mean_share"]
    ok = over_time[over_time["sufficient"]] if not over_time.empty else over_time
    if ok.empty:
        return pd.DataFrame(columns=cols)
    idx = ok.sort_values(["topic", "share", "period"], ascending=[True, False, True]).groupby("topic").head(1)
    mean = ok.groupby("topic")["share"].mean()
    out = pd.DataFrame({"topic": idx["topic"].to_numpy(), "label": idx["label"].to_numpy(), "peak": idx["period"].to_numpy(),
                        "peak_share": idx["share"].to_numpy(), "mean_share": mean.loc[idx["topic"]].to_numpy()})
    return out.sort_values(["peak", "topic"], kind="stable").reset_index(drop=True)


def topics_by_outlet(doc_topic: np.ndarray, sources: Sequence, *, measure: str = "weight", min_docs: int = 20,
                     labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Return each topic's share of each outlet's documents, and its lift over the whole corpus.

    ``share = contributions of the outlet's documents to the topic / the outlet's documents``;
    ``lift = share / the topic's share of all documents`` (2 = twice as much of this outlet's
    coverage is about the topic as of the corpus's). Outlets with fewer than ``min_docs``
    documents are pooled as ``other outlets``; documents without a source as ``(unknown)``.

    Returns
    -------
    DataFrame
        source, topic, label, docs_in_source, topic_docs, share, lift; outlets ordered by size
        (then name), topics by id.
    """
    cols = ["source", "topic", "label", "docs_in_source", "topic_docs", "share", "lift"]
    doc_topic = np.asarray(doc_topic, dtype=float)
    k = doc_topic.shape[1]
    labels = list(labels) if labels is not None else [str(t) for t in range(k)]
    src = pd.Series([s if isinstance(s, str) and s.strip() else "(unknown)" for s in sources], dtype=object)
    if len(src) != doc_topic.shape[0]:
        raise ValueError(f"{len(src)} sources for {doc_topic.shape[0]} documents")
    if len(src) == 0 or k == 0:
        out = pd.DataFrame(columns=cols)
        out.attrs["reason"] = "no topic model" if k == 0 else "no documents"
        return out
    sizes = src.value_counts()
    small = sizes[sizes < min_docs].index
    if len(small) and len(small) < len(sizes):
        src = src.where(~src.isin(small), "other outlets")
    contrib = _contributions(doc_topic, measure)
    overall = contrib.sum(axis=0) / len(src)
    counts = src.value_counts()
    order = sorted(counts.index, key=lambda s: (s == "other outlets", -counts[s], s))
    rows = []
    for s in order:
        mask = (src == s).to_numpy()
        n = int(mask.sum())
        tot = contrib[mask].sum(axis=0)
        for t in range(k):
            share = float(tot[t]) / n
            lift = share / overall[t] if overall[t] > 0 else np.nan
            rows.append((s, t, labels[t], n, float(tot[t]), share, lift))
    return pd.DataFrame(rows, columns=cols)


def outlet_highlights(by_outlet: pd.DataFrame, *, n: int = 2, min_share: float = 0.02) -> pd.DataFrame:
    """Return each outlet's ``n`` most over-represented topics (highest lift, share >= ``min_share``).

    Columns: source, topic, label, share, lift; outlets in the order of ``by_outlet``, topics by
    lift (descending), then topic id.
    """
    cols = ["source", "topic", "label", "share", "lift"]
    if by_outlet.empty:
        return pd.DataFrame(columns=cols)
    order = {s: i for i, s in enumerate(dict.fromkeys(by_outlet["source"]))}
    cand = by_outlet[by_outlet["share"] >= min_share].assign(_o=lambda d: d["source"].map(order))
    top = cand.sort_values(["_o", "lift", "topic"], ascending=[True, False, True]).groupby("source", sort=False).head(n)
    return top[cols].reset_index(drop=True)


def document_map(features, *, n_components: int = 50, perplexity: float = 30.0, max_iter: int = 500,
                 random_state: int = 0) -> np.ndarray:
    """Return 2D coordinates of documents: truncated SVD (LSA) of their TF-IDF rows, then t-SNE.

    Parameters
    ----------
    features : sparse matrix or ndarray (n_docs, n_features)
        Usually the TF-IDF matrix the topic model saw (``TopicModel.tfidf_`` of its vocabulary).
    n_components : int
        SVD dimensions before t-SNE (capped below the number of features and documents).
    perplexity : float
        t-SNE perplexity, lowered for small corpora (it must be below the number of documents).
    max_iter : int
        t-SNE iterations.
    random_state : int
        Seed of SVD and t-SNE.

    Returns
    -------
    ndarray (n_docs, 2)
        Coordinates; for fewer than 4 documents, the first two SVD axes (or zeros).

    Notes
    -----
    Runs single-threaded (BLAS and OpenMP): on a busy two-core machine, t-SNE's OpenMP threads
    made a 60-document map 25 times slower, and a single thread leaves a core to other work.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _document_map(features, n_components, perplexity, max_iter, random_state)


def _document_map(features, n_components: int, perplexity: float, max_iter: int, random_state: int) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.manifold import TSNE

    n_docs, n_feat = features.shape
    if n_docs == 0:
        return np.zeros((0, 2))
    dims = max(1, min(n_components, n_feat - 1, n_docs - 1))
    if dims < 2 or n_docs < 4:
        out = np.zeros((n_docs, 2))
        if dims >= 1 and n_feat > 1 and n_docs > 1:
            z = TruncatedSVD(dims, random_state=random_state).fit_transform(features)
            out[:, : z.shape[1]] = z[:, :2]
        return out
    Z = TruncatedSVD(dims, random_state=random_state).fit_transform(features)
    perp = float(min(perplexity, max(2.0, (n_docs - 1) / 3)))
    tsne = TSNE(n_components=2, perplexity=perp, init="pca", max_iter=max_iter, random_state=random_state,
                metric="cosine")
    return tsne.fit_transform(Z)
