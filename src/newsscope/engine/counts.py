"""Counts reduced from partitions: vocabulary (document frequencies), trend counts, co-occurrences.

Each count is computed per partition of the documents and summed (integers, so the sum is exact
and the partitioning does not matter):

:func:`count_terms`
    With a fitted :class:`~newsscope.vectorize.NewsVectorizer` (its phrases, stop words and
    outlet names): documents and occurrences per term over the whole corpus, the vocabulary the
    vectorizer's ``min_df``/``max_df``/``max_features`` rules keep (:meth:`TermCounts.vocabulary`),
    and the trend counts: documents per period (day or week) per term, and articles per period.
:func:`count_cooccurrences`
    Units (sentences or articles) naming each actor, and naming each pair of actors, from
    resolved mentions; the association measures (NPMI, G², p-value) are computed once from the
    sums, as :func:`newsscope.actors.cooccur.count_cooccurrences` computes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from newsscope.engine.base import Engine, engine_scope

__all__ = ["COUNT_PARTITION", "TermCounts", "count_terms", "count_cooccurrences"]

#: Documents per counting task.
COUNT_PARTITION = 2000


@dataclass
class TermCounts:
    """Term counts of a corpus, reduced from partitions.

    Attributes
    ----------
    n_documents : int
    terms : pandas.DataFrame
        term, docs (documents containing it), count (occurrences): every term the vectorizer's
        analyser produces (before ``min_df``/``max_df``), sorted by term.
    trends : pandas.DataFrame
        period, term, docs: documents per period mentioning the term (dated documents only),
        sorted by period then term; only pairs with docs > 0.
    volume : pandas.DataFrame
        period, docs: dated documents per period, sorted by period.
    freq : str
        ``"D"`` (days) or ``"W"`` (weeks starting Monday).
    """

    n_documents: int
    terms: pd.DataFrame
    trends: pd.DataFrame
    volume: pd.DataFrame
    freq: str = "D"

    def vocabulary(self, min_df: int | float = 2, max_df: int | float = 1.0, max_features: int | None = None) -> pd.DataFrame:
        """The terms kept by the vectorizer's rules (as ``NewsVectorizer.fit`` prunes), sorted by term.

        Parameters
        ----------
        min_df, max_df, max_features
            As for :class:`~newsscope.vectorize.NewsVectorizer` (a float is a proportion of
            the documents; ties of ``max_features`` are broken alphabetically).

        Returns
        -------
        pandas.DataFrame
            term, docs, count.
        """
        n = self.n_documents
        df = self.terms["docs"].to_numpy()
        lo = min_df if isinstance(min_df, (int, np.integer)) else int(np.ceil(min_df * n))
        hi = max_df if isinstance(max_df, (int, np.integer)) else int(np.floor(max_df * n))
        if isinstance(max_df, float) and max_df >= 1.0:
            hi = n
        keep = (df >= lo) & (df <= hi)
        out = self.terms[keep]
        if max_features is not None:
            out = out.assign(_neg=-out["count"]).sort_values(["_neg", "term"], kind="mergesort").head(int(max_features))
            out = out.drop(columns="_neg").sort_values("term", kind="mergesort")
        return out.reset_index(drop=True)

    def trend_matrix(self, terms: list[str] | None = None) -> pd.DataFrame:
        """Documents per period (rows) and term (columns), zero-filled, for the given terms."""
        t = self.trends if terms is None else self.trends[self.trends["term"].isin(terms)]
        wide = t.pivot(index="period", columns="term", values="docs").reindex(self.volume["period"]).fillna(0).astype(np.int64)
        return wide if terms is None else wide.reindex(columns=terms, fill_value=0)


def _count_partition(rows: pd.DataFrame, vectorizer: Any, freq: str) -> dict[str, Any]:
    from newsscope.trends.series import period_index
    from newsscope.vectorize import document_texts

    texts = document_texts(rows)
    sources = rows["source"].tolist() if "source" in rows.columns else None
    analysed = vectorizer.analyse_texts(texts, sources)
    docs: Counter = Counter()
    total: Counter = Counter()
    for terms in analysed:
        total.update(terms)
        docs.update(set(terms))
    per = period_index(rows["published"], freq) if "published" in rows.columns else pd.Series(pd.NaT, index=rows.index)
    dated = per.notna().to_numpy()
    lengths = np.array([len(set(t)) for t, d in zip(analysed, dated) if d], dtype=np.int64)
    periods = np.repeat(per[dated].to_numpy(), lengths)
    words = [w for t, d in zip(analysed, dated) if d for w in sorted(set(t))]
    trends = (pd.DataFrame({"period": periods, "term": pd.Series(words, dtype=object)})
              .groupby(["period", "term"], sort=True).size().rename("docs").reset_index())
    volume = per[dated].value_counts().rename_axis("period").rename("docs").reset_index()
    return {"n": len(rows), "docs": docs, "total": total, "trends": trends, "volume": volume}


def _merge_counts(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    docs = Counter(a["docs"])
    docs.update(b["docs"])
    total = Counter(a["total"])
    total.update(b["total"])
    trends = pd.concat([a["trends"], b["trends"]], ignore_index=True).groupby(["period", "term"], sort=True)["docs"].sum().reset_index()
    volume = pd.concat([a["volume"], b["volume"]], ignore_index=True).groupby("period", sort=True)["docs"].sum().reset_index()
    return {"n": a["n"] + b["n"], "docs": docs, "total": total, "trends": trends, "volume": volume}


def count_terms(articles: pd.DataFrame, vectorizer: Any, *, freq: str = "D", engine: str | Engine | Any = None,
                partition_size: int = COUNT_PARTITION, progress: bool = True, **engine_options: Any) -> TermCounts:
    """Count terms per document on an engine and reduce: vocabulary, document frequencies, trends.

    Parameters
    ----------
    articles : pandas.DataFrame
        Article table (title, standfirst, text, source, published).
    vectorizer : NewsVectorizer
        Fitted (its phrases, stop words and outlet names decide what a term is). Fit it on the
        corpus or on a sample (``NewsVectorizer(...).fit(sample)``) when the corpus does not fit
        in this process.
    freq : {"D", "W"}
        Trend periods: days or weeks starting Monday.
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`.
    partition_size : int
        Documents per task.

    Returns
    -------
    TermCounts
        For a vectorizer fitted on ``articles``, ``vocabulary(vec.min_df, vec.max_df,
        vec.max_features)`` holds the vectorizer's vocabulary and document frequencies.
    """
    keep = [c for c in ("title", "standfirst", "text", "source", "published") if c in articles.columns]
    with engine_scope(engine, progress=progress, **engine_options) as eng:
        bounds = eng.partitions(len(articles), partition_size) or [(0, 0)]
        vec = eng.scatter(vectorizer)
        parts = eng.map(_count_partition, [articles.iloc[lo:hi][keep] for lo, hi in bounds], vec, freq,
                        desc="counting terms")
        merged = eng.reduce(_merge_counts, parts)
    terms = sorted(merged["docs"])
    table = pd.DataFrame({"term": pd.Series(terms, dtype=object),
                          "docs": np.array([merged["docs"][t] for t in terms], dtype=np.int64),
                          "count": np.array([merged["total"][t] for t in terms], dtype=np.int64)})
    trends = merged["trends"].astype({"docs": np.int64}).reset_index(drop=True)
    volume = merged["volume"].astype({"docs": np.int64}).reset_index(drop=True)
    return TermCounts(n_documents=int(merged["n"]), terms=table, trends=trends, volume=volume, freq=freq)


# --------------------------------------------------------------------------- co-occurrence

def _cooccur_partition(m: pd.DataFrame, n_units: int) -> dict[str, Any]:
    """Units per actor and per actor pair in one partition of documents."""
    m = m.drop_duplicates()
    actors = np.sort(m["actor"].unique()) if len(m) else np.array([], dtype=object)
    ucodes, uniq = pd.factorize(pd.MultiIndex.from_arrays([m["doc_id"], m["sent"]]), sort=True)
    acodes = np.searchsorted(actors, m["actor"].to_numpy())
    X = sp.csc_matrix((np.ones(len(m), dtype=np.int64), (ucodes, acodes)), shape=(len(uniq), len(actors)))
    X.sum_duplicates()
    units = pd.DataFrame({"actor": actors, "units": np.asarray(X.sum(axis=0)).ravel().astype(np.int64)})
    C = sp.triu((X.T @ X).tocsr(), k=1).tocoo()
    pairs = pd.DataFrame({"source": actors[C.row], "target": actors[C.col], "cooccurrences": C.data.astype(np.int64)})
    return {"actors": units, "pairs": pairs, "n_units": int(n_units), "n_seen": len(uniq)}


def _merge_cooccur(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    actors = pd.concat([a["actors"], b["actors"]], ignore_index=True).groupby("actor", sort=True)["units"].sum().reset_index()
    pairs = pd.concat([a["pairs"], b["pairs"]], ignore_index=True).groupby(["source", "target"], sort=True)[
        "cooccurrences"].sum().reset_index()
    return {"actors": actors, "pairs": pairs, "n_units": a["n_units"] + b["n_units"], "n_seen": a["n_seen"] + b["n_seen"]}


def count_cooccurrences(resolved: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", *,
                        engine: str | Engine | Any = None, partition_size: int = COUNT_PARTITION, progress: bool = True,
                        **engine_options: Any) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Co-occurrence counts reduced from partitions of documents.

    Parameters
    ----------
    resolved : pandas.DataFrame
        Resolved mentions (doc_id, sent, actor); rows without an actor are ignored.
    sentences : pandas.DataFrame
        Every sentence of the corpus (doc_id, sent): N.
    unit : {"sentence", "article"}
    engine, partition_size, progress, **engine_options
        See :func:`count_terms`.

    Returns
    -------
    actors : pandas.DataFrame
        actor, units (sorted by actor).
    pairs : pandas.DataFrame
        source, target, cooccurrences, expected, npmi, llr, p_value (sorted by source, target):
        the ``pairs`` of :func:`newsscope.actors.cooccur.count_cooccurrences`.
    n_units : int
        N of the measures.
    """
    from newsscope.actors.cooccur import g2, g2_pvalue, npmi

    if unit not in {"sentence", "article"}:
        raise ValueError(f"unit={unit!r}: use 'sentence' or 'article'")
    m = resolved.loc[resolved["actor"].notna(), ["doc_id", "sent", "actor"]]
    if unit == "article":
        m = m.assign(sent=-1)
    doc_ids = np.sort(pd.unique(pd.concat([sentences["doc_id"], m["doc_id"]], ignore_index=True)))
    with engine_scope(engine, progress=progress, **engine_options) as eng:
        bounds = eng.partitions(len(doc_ids), partition_size) or [(0, 0)]
        part_of_doc = pd.Series(np.repeat(np.arange(len(bounds)), [hi - lo for lo, hi in bounds]), index=doc_ids)
        m_part = part_of_doc.reindex(m["doc_id"]).to_numpy()
        s_part = part_of_doc.reindex(sentences["doc_id"]).to_numpy()
        items, n_units = [], []
        for k, (lo, hi) in enumerate(bounds):
            items.append(m[m_part == k])
            in_part = sentences[s_part == k]
            n_units.append(in_part["doc_id"].nunique() if unit == "article" else len(in_part))
        parts = [eng.submit(_cooccur_partition, it, nu) for it, nu in zip(items, n_units)]
        merged = eng.reduce(_merge_cooccur, parts)
    actors = merged["actors"].astype({"units": np.int64})
    N = float(max(merged["n_units"], merged["n_seen"]))
    p = merged["pairs"]
    cols = ["source", "target", "cooccurrences", "expected", "npmi", "llr", "p_value"]
    if len(actors) < 2 or p.empty:
        return actors, pd.DataFrame(columns=cols), int(N)
    n = actors.set_index("actor")["units"].astype(float)
    c = p["cooccurrences"].to_numpy(dtype=float)
    ni, nj = n.reindex(p["source"]).to_numpy(), n.reindex(p["target"]).to_numpy()
    stat = g2(c, ni, nj, N)
    out = pd.DataFrame({"source": p["source"].to_numpy(), "target": p["target"].to_numpy(), "cooccurrences": c.astype(int),
                        "expected": ni * nj / N, "npmi": npmi(c, ni, nj, N), "llr": stat, "p_value": g2_pvalue(stat)})
    return actors, out.sort_values(["source", "target"]).reset_index(drop=True), int(N)
