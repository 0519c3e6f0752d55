"""A validity check of topics: agreement with the sections outlets put in their URLs.

Many outlets file an article under a section and say so in its address (BBC
``/news/world-us-canada-38897507``, CNN ``/2017/02/07/politics/...``, TASS ``/economy/929603``).
Those sections are an editor's grouping, made independently of any topic model, so the agreement
of the topics with them is an *external* check: normalised mutual information (NMI, arithmetic
normalisation) between each document's dominant topic and its section, per outlet (sections are
each outlet's own vocabulary). It is a validity check, not a target: sections are broad beats
(politics, world, business) while topics also follow single stories, so values well below 1 are
expected; what matters is that the topics carry about as much of the sections as a plain model
does (:func:`baseline_dominant_topics`, scikit-learn's NMF with its defaults at the same k).

Sections are derived generically (:func:`url_sections`): the URL path's segments, lower-cased,
without file extensions and trailing numeric ids; dates, numbers, a leading language code and
one-letter leftovers are skipped. Per outlet, a level of the path on which (nearly) all documents
agree (``news`` for every BBC article) says nothing and the next level is appended; a section
value found in fewer than ``min_docs`` of the outlet's documents is an article's own slug, not a
section, and falls back to its parent (or to no section). An outlet with fewer than two sections
is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

from newsscope import cache

__all__ = ["url_segments", "url_sections", "section_agreement", "baseline_dominant_topics", "topic_section_agreement"]

_EXT = re.compile(r"\.(s?html?|php|aspx?|jsp|cms)$")
_ID = re.compile(r"(?:[-_](?:[a-z][-_])?)?\d{3,}$")
_LEAD_ID = re.compile(r"^\d{3,}[-_]")
_NUMERIC = re.compile(r"^[\d_.-]+$")
_LANG = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$")

#: A level of the path shared by at least this share of an outlet's documents is descended.
CONSTANT_SHARE = 0.9


def url_segments(url: str | None, max_depth: int = 3) -> list[str]:
    """Return the meaningful path segments of ``url`` (at most ``max_depth``), lower-cased.

    >>> url_segments("http://www.bbc.co.uk/news/world-us-canada-38897507")
    ['news', 'world-us-canada']
    >>> url_segments("http://www.cnn.com/2017/02/07/politics/yemen-raid/index.html")
    ['politics', 'yemen-raid']
    >>> url_segments("http://www.dw.com/en/poland-wants-nuclear-weapons/a-37449773?maca=x")
    ['poland-wants-nuclear-weapons']
    """
    if not isinstance(url, str) or not url.strip():
        return []
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return []
    out: list[str] = []
    parts = [p for p in path.lower().split("/") if p]
    for i, seg in enumerate(parts):
        seg = _LEAD_ID.sub("", _ID.sub("", _EXT.sub("", seg))).strip("-_")
        if len(seg) < 2 or _NUMERIC.match(seg) or seg == "index":
            continue
        if i == 0 and len(parts) > 1 and _LANG.match(seg):
            continue  # a leading language code (/en/...)
        out.append(seg)
        if len(out) >= max_depth:
            break
    return out


def url_sections(urls: Sequence[str | None], sources: Sequence[str | None], *, min_docs: int = 3,
                 min_share: float = 0.01, max_levels: int = 2) -> pd.Series:
    """Return each document's section from its URL, per outlet (None: no section).

    Parameters
    ----------
    urls, sources : sequences
        The documents' URLs and outlets (aligned).
    min_docs, min_share : int, float
        A section value must hold at least ``max(min_docs, min_share * outlet documents)`` of
        the outlet's documents; rarer values fall back to their parent level.
    max_levels : int
        At most this many levels of the path form a section (``news/uk-politics``).

    Returns
    -------
    Series of str or None, aligned with the input.
    """
    segs = [url_segments(u) for u in urls]
    src = pd.Series(list(sources), dtype=object).fillna("(unknown)").astype(str)
    out: list[str | None] = [None] * len(segs)
    for outlet, idx in src.groupby(src, sort=True).groups.items():
        idx = list(idx)
        floor = max(min_docs, int(np.ceil(min_share * len(idx))))
        depth = 1
        while depth < max_levels:
            level = [tuple(segs[i][:depth]) for i in idx if len(segs[i]) >= depth]
            if not level or Counter(level).most_common(1)[0][1] < CONSTANT_SHARE * len(idx):
                break
            depth += 1
        labels: dict[int, tuple[str, ...]] = {i: tuple(segs[i][:depth]) for i in idx}
        # a value too rare to be a section is an article's slug: it falls back to its parent level
        # (the level all the outlet's documents share when the path was descended, else no section)
        counts = Counter(v for v in labels.values() if len(v) == depth)
        for i, v in labels.items():
            if len(v) < depth or counts[v] < floor:
                labels[i] = v[:depth - 1]
        for i, v in labels.items():
            out[i] = "/".join(v) if v else None
    return pd.Series(out, dtype=object)


def baseline_dominant_topics(X, k: int, *, random_state: int = 0) -> np.ndarray:
    """Return the dominant topic of each document under scikit-learn's NMF with default settings.

    ``NMF(n_components=k, random_state=random_state)`` on ``TfidfTransformer()`` of the whole
    count matrix (the peer model of ``benchmarks/bench_topics.py``); -1 for an empty document.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        W = NMF(n_components=int(k), random_state=random_state).fit_transform(TfidfTransformer().fit_transform(X))
    return np.where(W.sum(axis=1) > 0, W.argmax(axis=1), -1)


def section_agreement(sections: Sequence[str | None], sources: Sequence[str | None],
                      assignments: dict[str, Sequence[int]], *, min_docs: int = 20) -> pd.DataFrame:
    """Return the NMI between sections and each assignment of documents to topics, per outlet.

    Parameters
    ----------
    sections, sources : sequences
        Each document's section (None: none) and outlet, e.g. from :func:`url_sections`.
    assignments : dict of str to sequence of int
        Named dominant-topic assignments (e.g. ``{"topics": ..., "sklearn NMF": ...}``); -1 is
        no topic (such documents are left out).
    min_docs : int
        Outlets with fewer documents that have a section (or fewer than two sections) are left out.

    Returns
    -------
    DataFrame
        One row per outlet (sorted by outlet): source, docs (with a section), sections, the
        largest sections (``top_sections``), then one ``nmi_<name>`` column per assignment
        (rounded to 3 decimals); last a row ``all outlets`` with the document-weighted means.
        Empty (with these columns) when no outlet qualifies.
    """
    names = list(assignments)
    cols = ["source", "docs", "sections", "top_sections"] + [f"nmi_{n.replace(' ', '_')}" for n in names]
    sec = pd.Series(list(sections), dtype=object)
    src = pd.Series(list(sources), dtype=object).fillna("(unknown)").astype(str)
    assign = {n: np.asarray(a, dtype=int) for n, a in assignments.items()}
    rows = []
    for outlet in sorted(src.unique()):
        mask = (src == outlet).to_numpy() & sec.notna().to_numpy()
        for a in assign.values():
            mask &= a >= 0
        labels = sec[mask].astype(str)
        if mask.sum() < min_docs or labels.nunique() < 2:
            continue
        counts = labels.value_counts()
        top = ", ".join(f"{s} ({n})" for s, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:4])
        row = {"source": outlet, "docs": int(mask.sum()), "sections": int(counts.size), "top_sections": top}
        for n, a in assign.items():
            row[f"nmi_{n.replace(' ', '_')}"] = round(float(normalized_mutual_info_score(labels.to_numpy(), a[mask])), 3)
        rows.append(row)
    table = pd.DataFrame(rows, columns=cols)
    if len(table):
        w = table["docs"].to_numpy(dtype=float)
        total = {"source": "all outlets", "docs": int(w.sum()), "sections": int(table["sections"].sum()), "top_sections": ""}
        for c in cols[4:]:
            total[c] = round(float((table[c] * w).sum() / w.sum()), 3)
        table = pd.concat([table, pd.DataFrame([total], columns=cols)], ignore_index=True)
    return table


def topic_section_agreement(result, *, min_docs: int = 20, random_state: int = 0, refresh: bool = False) -> pd.DataFrame:
    """Return :func:`section_agreement` of a :class:`~newsscope.topics.pipeline.TopicResult`'s topics.

    The documents' sections come from the ``url`` column of the matrix's documents; the topics are
    compared with scikit-learn's NMF at the same k (:func:`baseline_dominant_topics`, cached with
    the topic model). Columns: source, docs, sections, top_sections, nmi_topics, nmi_sklearn_NMF.
    When nothing can be compared the table is empty and ``attrs["reason"]`` says why.
    """
    cols = ["source", "docs", "sections", "top_sections", "nmi_topics", "nmi_sklearn_NMF"]
    empty = pd.DataFrame(columns=cols)
    docs = getattr(result.dtm, "docs", None) if result.ok else None
    if docs is None or "url" not in docs or docs["url"].isna().all():
        empty.attrs["reason"] = "no topic model" if not result.ok else "the documents have no URLs"
        return empty
    sources = docs["source"] if "source" in docs else [None] * len(docs)
    sections = url_sections(docs["url"].tolist(), list(sources))
    if sections.notna().sum() == 0:
        empty.attrs["reason"] = "no URL carries a section"
        return empty
    from newsscope.topics.pipeline import TOPICS_VERSION

    key = {"topics": result.key, "k": int(result.k), "random_state": random_state, "version": TOPICS_VERSION}
    base = cache.cached_pickle("topics-baseline", key, lambda: baseline_dominant_topics(result.dtm.X, result.k,
                                                                                           random_state=random_state),
                               refresh=refresh)
    table = section_agreement(sections, list(sources), {"topics": result.model.dominant_topic_, "sklearn NMF": base},
                              min_docs=min_docs)
    if table.empty:
        table.attrs["reason"] = f"no outlet has at least {min_docs} documents in two or more URL sections"
    return table
