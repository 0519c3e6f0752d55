"""Co-occurrence of actors in sentences or articles: counts, association, significance, evidence.

For a unit (sentence or article) the question is "are both actors named in it?". With ``N``
units, ``n_i`` units naming actor *i* and ``c_ij`` naming both:

* **NPMI** (normalised pointwise mutual information, Bouma 2009):
  ``log(p_ij / (p_i p_j)) / -log(p_ij)`` with ``p = count / N``; 1 = always together,
  0 = independent, -1 = never together.
* **G²** (log-likelihood ratio, Dunning 1993) of the 2x2 table
  ``[[c, n_i - c], [n_j - c, N - n_i - n_j + c]]``: ``2 * sum(O * ln(O / E))``; the p-value is
  the chi-square tail with one degree of freedom.

An edge needs ``cooccurrences >= min_count``, a positive association (more co-occurrences than
expected) and a p-value below ``alpha`` after a correction for the number of pairs tested
(Benjamini-Hochberg by default). Optionally the disparity filter (Serrano, Boguna and Vespignani
2009) keeps only each actor's locally significant edges (the *backbone*).

Every edge keeps its evidence: the articles where the pair co-occurs and one example sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import chi2

from newsscope.clean.repair import count_lost_characters

__all__ = [
    "npmi", "g2", "g2_pvalue", "Cooccurrence", "count_cooccurrences", "filter_edges", "adjust_pvalues",
    "disparity_filter", "edge_evidence", "annotate_evidence", "pick_example", "unit_pairs",
]


def npmi(c: np.ndarray | float, n_i: np.ndarray | float, n_j: np.ndarray | float, n: float) -> np.ndarray:
    """Normalised PMI of co-occurrence counts (``nan`` where ``c == 0``; 1 where ``c == N``)."""
    c, n_i, n_j = (np.asarray(x, dtype=float) for x in (c, n_i, n_j))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_ij = c / n
        pmi = np.log(p_ij) - np.log(n_i / n) - np.log(n_j / n)
        out = pmi / -np.log(p_ij)
    out = np.where(c <= 0, np.nan, out)
    return np.where(c >= n, 1.0, out)


def g2(c: np.ndarray | float, n_i: np.ndarray | float, n_j: np.ndarray | float, n: float) -> np.ndarray:
    """Log-likelihood ratio G² of the 2x2 co-occurrence table (0 * log 0 taken as 0)."""
    c, n_i, n_j = (np.asarray(x, dtype=float) for x in (c, n_i, n_j))
    obs = [c, n_i - c, n_j - c, n - n_i - n_j + c]
    exp = [n_i * n_j / n, n_i * (n - n_j) / n, (n - n_i) * n_j / n, (n - n_i) * (n - n_j) / n]
    total = np.zeros(np.broadcast(c, n_i, n_j).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(obs, exp):
            total = total + np.where(o > 0, o * np.log(o / e), 0.0)
    return np.maximum(2.0 * total, 0.0)


def g2_pvalue(stat: np.ndarray | float) -> np.ndarray:
    """Upper tail of the chi-square distribution with one degree of freedom."""
    return chi2.sf(np.asarray(stat, dtype=float), 1)


def adjust_pvalues(p: np.ndarray, method: str | None = "fdr") -> np.ndarray:
    """Correct p-values for multiple testing: ``"fdr"`` (Benjamini-Hochberg), ``"bonferroni"`` or None."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if method is None or m == 0:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    if method == "fdr":
        order = np.argsort(p, kind="stable")
        ranked = p[order] * m / np.arange(1, m + 1)
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        out = np.empty(m)
        out[order] = np.minimum(ranked, 1.0)
        return out
    raise ValueError(f"correction={method!r}: use 'fdr', 'bonferroni' or None")


@dataclass
class Cooccurrence:
    """Counts of actors and actor pairs over units, with the incidence matrix kept for evidence.

    Attributes
    ----------
    unit : str
        ``"sentence"`` or ``"article"``.
    actors : pandas.DataFrame
        actor, units (units naming it).
    units : pandas.DataFrame
        doc_id, sent (-1 for articles), n_actors, start, end (the sentence's characters; 0 for
        articles): one row per unit that names an actor, in incidence-matrix row order.
    n_units : int
        All units of the corpus, including those naming no actor (the N of the measures).
    incidence : scipy.sparse.csc_matrix
        units x actors, 1 where the unit names the actor.
    pairs : pandas.DataFrame
        Every pair that co-occurs at least once: source, target (alphabetical), cooccurrences,
        expected, npmi, llr, p_value.
    """

    unit: str
    actors: pd.DataFrame
    units: pd.DataFrame
    n_units: int
    incidence: sp.csc_matrix
    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)

    def actor_index(self, name: str) -> int:
        """Return the column of ``name`` in the incidence matrix (KeyError naming near misses)."""
        pos = np.flatnonzero(self.actors["actor"].to_numpy() == name)
        if not len(pos):
            near = [a for a in self.actors["actor"] if name.lower() in a.lower()][:5]
            raise KeyError(f"actor {name!r} is not in the co-occurrence data" + (f"; did you mean {near}?" if near else ""))
        return int(pos[0])

    def shared_units(self, a: str, b: str) -> np.ndarray:
        """Return the row numbers of the units naming both ``a`` and ``b``."""
        X = self.incidence
        ia, ib = self.actor_index(a), self.actor_index(b)
        ra = X.indices[X.indptr[ia]:X.indptr[ia + 1]]
        rb = X.indices[X.indptr[ib]:X.indptr[ib + 1]]
        return np.intersect1d(ra, rb, assume_unique=True)


def count_cooccurrences(resolved: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence") -> Cooccurrence:
    """Count actors and pairs per unit.

    Parameters
    ----------
    resolved : pandas.DataFrame
        Resolved mentions (doc_id, sent, actor); rows with a missing actor are ignored.
    sentences : pandas.DataFrame
        All sentences of the corpus (doc_id, sent): gives N (sentences, or articles).
    unit : {"sentence", "article"}
    """
    if unit not in {"sentence", "article"}:
        raise ValueError(f"unit={unit!r}: use 'sentence' or 'article'")
    m = resolved.loc[resolved["actor"].notna(), ["doc_id", "sent", "actor"]]
    if unit == "article":
        m = m.assign(sent=-1)
        n_units = int(sentences["doc_id"].nunique())
    else:
        n_units = len(sentences)
    if m.empty:
        m = pd.DataFrame({"doc_id": pd.Series(dtype=object), "sent": pd.Series(dtype=np.int64), "actor": pd.Series(dtype=object)})
    dcodes, docs = pd.factorize(m["doc_id"], sort=True)
    sent = m["sent"].to_numpy(dtype=np.int64)
    unit_code = dcodes.astype(np.int64) * (int(sent.max()) + 2 if len(sent) else 1) + (sent + 1)
    ucodes, ukeys = pd.factorize(unit_code, sort=True)
    acodes, actors = pd.factorize(m["actor"], sort=True)
    actors = np.asarray(actors, dtype=object)
    X = sp.csc_matrix((np.ones(len(m), dtype=np.int32), (ucodes, acodes)), shape=(len(ukeys), len(actors)))
    X.sum_duplicates()
    X.data[:] = 1
    stride = int(sent.max()) + 2 if len(sent) else 1
    units = pd.DataFrame({"doc_id": np.asarray(docs, dtype=object)[np.asarray(ukeys, dtype=np.int64) // stride],
                          "sent": np.asarray(ukeys, dtype=np.int64) % stride - 1,
                          "n_actors": np.asarray(X.sum(axis=1)).ravel()})
    spans = sentences[["doc_id", "sent", "start", "end"]].astype({"sent": np.int64})
    units = units.merge(spans, on=["doc_id", "sent"], how="left", validate="one_to_one")
    units[["start", "end"]] = units[["start", "end"]].fillna(0).astype(np.int64)
    counts = np.asarray(X.sum(axis=0)).ravel()
    result = Cooccurrence(unit, pd.DataFrame({"actor": actors, "units": counts}), units, max(n_units, len(ukeys)), X)
    result.pairs = _pairs(result)
    return result


def _pairs(co: Cooccurrence) -> pd.DataFrame:
    cols = ["source", "target", "cooccurrences", "expected", "npmi", "llr", "p_value"]
    X = co.incidence
    if X.shape[1] < 2:
        return pd.DataFrame(columns=cols)
    C = sp.triu((X.T @ X).tocsr(), k=1).tocoo()
    n = co.actors["units"].to_numpy(dtype=float)
    i, j, c = C.row, C.col, C.data.astype(float)
    names = co.actors["actor"].to_numpy()
    N = float(co.n_units)
    stat = g2(c, n[i], n[j], N)
    out = pd.DataFrame({"source": names[i], "target": names[j], "cooccurrences": c.astype(int),
                        "expected": n[i] * n[j] / N, "npmi": npmi(c, n[i], n[j], N), "llr": stat,
                        "p_value": g2_pvalue(stat)})
    return out.sort_values(["source", "target"]).reset_index(drop=True)


def filter_edges(pairs: pd.DataFrame, min_count: int = 3, alpha: float | None = 0.01, correction: str | None = "fdr") -> pd.DataFrame:
    """Keep pairs with at least ``min_count`` co-occurrences, positive association and an adjusted
    p-value below ``alpha`` (no significance filter when ``alpha`` is None).

    The correction counts the pairs that pass ``min_count`` (those actually tested). Adds the
    column ``p_adjusted``.
    """
    tested = pairs[(pairs["cooccurrences"] >= min_count)].copy()
    tested["p_adjusted"] = adjust_pvalues(tested["p_value"].to_numpy(), correction)
    keep = tested["cooccurrences"] > tested["expected"]
    if alpha is not None:
        keep &= tested["p_adjusted"] < alpha
    return tested[keep].reset_index(drop=True)


def disparity_filter(edges: pd.DataFrame, weight: str = "cooccurrences", alpha: float = 0.05) -> pd.DataFrame:
    """Return the backbone of ``edges``: edges significant for at least one endpoint.

    For a node with degree ``k > 1`` and strength ``s``, an edge of weight ``w`` is significant
    when ``(1 - w / s) ** (k - 1) < alpha``; edges of degree-1 nodes are kept if significant for
    the other end. Adds ``disparity_alpha`` (the smaller of the two endpoint values).
    """
    if edges.empty:
        return edges.assign(disparity_alpha=pd.Series(dtype=float))
    w = edges[weight].to_numpy(dtype=float)
    ends = pd.concat([edges["source"], edges["target"]], ignore_index=True)
    strength = pd.Series(np.r_[w, w]).groupby(ends.to_numpy()).sum()
    degree = ends.value_counts()

    def alpha_of(node: pd.Series) -> np.ndarray:
        k = degree.reindex(node).to_numpy(dtype=float)
        s = strength.reindex(node).to_numpy(dtype=float)
        a = np.power(1.0 - w / s, k - 1.0)
        return np.where(k > 1, a, 1.0)

    a = np.minimum(alpha_of(edges["source"]), alpha_of(edges["target"]))
    out = edges.assign(disparity_alpha=a)
    return out[out["disparity_alpha"] < alpha].reset_index(drop=True)


def pick_example(candidates: pd.DataFrame) -> int:
    """Return the row label of the best example sentence among ``candidates``.

    ``candidates`` has columns doc_id, sent, n_actors, start, end. Preference: a readable length
    (60-300 characters), then the fewest other actors (the sentence is about the pair), then the
    shorter, then doc_id and position (deterministic).
    """
    length = candidates["end"] - candidates["start"]
    rank = pd.DataFrame({
        "bad_len": ~length.between(60, 300), "n": candidates["n_actors"], "len": length,
        "doc": candidates["doc_id"], "sent": candidates["sent"]}, index=candidates.index)
    return rank.sort_values(["bad_len", "n", "len", "doc", "sent"]).index[0]


def _sentence_text(texts: dict[str, str], doc_id: str, start: int, end: int) -> str:
    return " ".join(texts.get(doc_id, "")[int(start):int(end)].split())


def _damaged_sentences(cand: pd.DataFrame, texts: dict[str, str]) -> np.ndarray:
    """True where a candidate sentence still carries lost characters (U+FFFD, ``?`` inside a word).

    An example should be one a reader can trust: a clean sentence is preferred whenever the pair
    has one. Only articles with damage somewhere are looked at sentence by sentence.
    """
    flags = np.zeros(len(cand), dtype=bool)
    damaged_docs = {d for d in cand["doc_id"].unique() if count_lost_characters(texts.get(d, ""))[1]}
    if not damaged_docs:
        return flags
    rows = np.flatnonzero(cand["doc_id"].isin(damaged_docs).to_numpy())
    doc, start, end = cand["doc_id"].to_numpy(), cand["start"].to_numpy(), cand["end"].to_numpy()
    for r in rows:
        flags[r] = count_lost_characters(texts.get(doc[r], "")[int(start[r]):int(end[r])])[1] > 0
    return flags


def edge_evidence(co: Cooccurrence, a: str, b: str, texts: dict[str, str], sentence_co: Cooccurrence | None = None) -> pd.DataFrame:
    """Return every unit where ``a`` and ``b`` co-occur, with the sentence text.

    Parameters
    ----------
    co : Cooccurrence
        Counts at the unit the edge was found at.
    a, b : str
        Actor names.
    texts : dict
        doc_id -> document text (as given to NER).
    sentence_co : Cooccurrence, optional
        Sentence-level counts, needed for article-level ``co`` to list the sentences naming both
        (articles where they never share a sentence get one row with sent -1 and no sentence).

    Returns
    -------
    pandas.DataFrame
        doc_id, sent, n_actors, start, end, sentence; sorted by doc_id and sent.
    """
    rows = co.units.iloc[co.shared_units(a, b)]
    if co.unit == "article":
        if sentence_co is None:
            raise ValueError("article-level evidence needs sentence_co (the sentence-level counts)")
        docs = set(rows["doc_id"])
        try:
            srows = sentence_co.units.iloc[sentence_co.shared_units(a, b)]
        except KeyError:
            srows = sentence_co.units.iloc[[]]
        srows = srows[srows["doc_id"].isin(docs)]
        missing = sorted(docs - set(srows["doc_id"]))
        rows = pd.concat([srows, pd.DataFrame({"doc_id": missing, "sent": -1, "n_actors": 0, "start": 0, "end": 0})],
                         ignore_index=True)
    out = rows[["doc_id", "sent", "n_actors", "start", "end"]].reset_index(drop=True)
    out["sentence"] = [_sentence_text(texts, d, st, en) if s >= 0 else ""
                       for d, s, st, en in zip(out["doc_id"], out["sent"], out["start"], out["end"])]
    return out.sort_values(["doc_id", "sent"]).reset_index(drop=True)


def unit_pairs(co: Cooccurrence, actors: np.ndarray | None = None) -> pd.DataFrame:
    """Return one row per (unit, pair of actors named in it): unit (row of ``co.units``), i, j.

    ``i < j`` are columns of the incidence matrix (alphabetical order of the names). ``actors``
    optionally restricts the pairs to these columns. Vectorised: every entry of a unit is paired
    with every later entry of the same unit.
    """
    X = co.incidence
    cols = np.arange(X.shape[1]) if actors is None else np.unique(np.asarray(actors, dtype=np.int64))
    R = X[:, cols].tocsr()
    R.sort_indices()
    lens = np.diff(R.indptr)
    rows = np.repeat(np.arange(R.shape[0]), lens)            # unit of every entry
    n_pair = lens[rows]                                       # entries of that unit
    first = np.repeat(np.arange(R.nnz), n_pair)               # entry p, repeated once per partner
    base = np.repeat(R.indptr[rows], n_pair)                  # start of p's unit
    offset = np.arange(len(first)) - np.repeat(np.cumsum(n_pair) - n_pair, n_pair)
    second = base + offset                                    # partner q in the same unit
    keep = second > first
    p, q = first[keep], second[keep]
    return pd.DataFrame({"unit": rows[p].astype(np.int64), "i": cols[R.indices[p]].astype(np.int64),
                         "j": cols[R.indices[q]].astype(np.int64)})


def annotate_evidence(edges: pd.DataFrame, co: Cooccurrence, sentence_co: Cooccurrence, texts: dict[str, str],
                      max_doc_ids: int = 5) -> pd.DataFrame:
    """Add evidence to ``edges``: docs (articles with the pair), example_doc_ids and example_sentence.

    The example sentence is chosen as in :func:`pick_example` among the sentences naming both
    actors (for article-level edges: within the articles of the edge; empty if they never share
    a sentence). ``example_doc_ids`` lists up to ``max_doc_ids`` articles ("; "-separated): the
    one holding the example first, then the others in doc_id order. The full list comes from
    :func:`edge_evidence`.
    """
    out = edges.copy()
    if out.empty:
        return out.assign(docs=pd.Series(dtype=int), example_doc_ids=pd.Series(dtype=object), example_sentence=pd.Series(dtype=object))
    names = co.actors["actor"].to_numpy()
    src = np.searchsorted(names, out["source"].to_numpy())
    tgt = np.searchsorted(names, out["target"].to_numpy())
    edge_key = pd.DataFrame({"i": np.minimum(src, tgt), "j": np.maximum(src, tgt), "edge": np.arange(len(out))})
    involved = np.unique(np.r_[src, tgt])
    # articles of each edge, at the edge's unit
    up = unit_pairs(co, involved).merge(edge_key, on=["i", "j"])
    up["doc_id"] = co.units["doc_id"].to_numpy()[up["unit"].to_numpy()]
    edge_docs = up[["edge", "doc_id"]].drop_duplicates().sort_values(["edge", "doc_id"])
    # example sentences: sentence units naming both
    snames = sentence_co.actors["actor"].to_numpy()
    s_src = np.searchsorted(snames, out["source"].to_numpy())
    s_tgt = np.searchsorted(snames, out["target"].to_numpy())
    s_key = pd.DataFrame({"i": np.minimum(s_src, s_tgt), "j": np.maximum(s_src, s_tgt), "edge": np.arange(len(out))})
    sp_ = unit_pairs(sentence_co, np.unique(np.r_[s_src, s_tgt])).merge(s_key, on=["i", "j"])
    su = sentence_co.units
    cand = pd.DataFrame({"edge": sp_["edge"].to_numpy(), "doc_id": su["doc_id"].to_numpy()[sp_["unit"].to_numpy()],
                         "sent": su["sent"].to_numpy()[sp_["unit"].to_numpy()], "n": su["n_actors"].to_numpy()[sp_["unit"].to_numpy()],
                         "start": su["start"].to_numpy()[sp_["unit"].to_numpy()], "end": su["end"].to_numpy()[sp_["unit"].to_numpy()]})
    if co.unit == "article":
        cand = cand.merge(edge_docs, on=["edge", "doc_id"])
    cand["len"] = cand["end"] - cand["start"]
    cand["bad_len"] = ~cand["len"].between(60, 300)
    cand["damaged"] = _damaged_sentences(cand, texts)
    best = (cand.sort_values(["edge", "damaged", "bad_len", "n", "len", "doc_id", "sent"])
            .drop_duplicates("edge").set_index("edge"))
    docs_of = edge_docs.groupby("edge")["doc_id"].agg(list)
    n_docs, ids, sentences = [], [], []
    for e in range(len(out)):
        docs = docs_of.get(e, [])
        if e in best.index:
            b = best.loc[e]
            first = str(b["doc_id"])
            sentences.append(_sentence_text(texts, first, b["start"], b["end"]))
        else:
            first = docs[0] if docs else ""
            sentences.append("")
        rest = [d for d in docs if d != first][: max_doc_ids - 1]
        ids.append("; ".join([first, *rest]) if first else "")
        n_docs.append(len(docs))
    return out.assign(docs=n_docs, example_doc_ids=ids, example_sentence=sentences)
