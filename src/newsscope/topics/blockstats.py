"""What a topic model needs from a document-term matrix stored in row blocks, in one pass.

A corpus too big for memory keeps its document-term matrix as CSR blocks on disk (one block per
partition of the documents; see ``newsscope.vectorize.blocks``). :func:`count_blocks` reads the
blocks one at a time and keeps only what is small at any corpus size:

* document frequencies of every term (one integer per term), summed over blocks;
* per-outlet document frequencies (sparse: outlets x terms) and outlet sizes, for
  :func:`~newsscope.topics.labels.outlet_template_terms`;
* for dateline places, the documents naming the place that carry it as their dateline;
* the rows of a seeded sample of the documents (:func:`sample_rows`: the same rows
  :func:`~newsscope.topics.pipeline.fit_topics` draws for its sweep).

:func:`keep_out_terms_from_counts` then gives the terms kept out of topic models exactly as
:func:`~newsscope.topics.labels.find_keep_out_terms` gives them on the whole matrix.

The blocks object needs ``terms`` (array of str), ``n_docs``, ``n_blocks`` and ``iter_blocks()``
yielding ``(k, X, docs)`` with ``docs`` holding ``doc_id`` and ``source`` (``dateline`` if known),
and optionally ``vectorizer`` (its ``outlet_terms_``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from newsscope.topics.labels import BOILERPLATE_TERMS, _norm

__all__ = ["BlockCounts", "sample_rows", "count_blocks", "keep_out_terms_from_counts"]


@dataclass
class BlockCounts:
    """Counts reduced over the blocks of a document-term matrix (see the module docstring).

    Attributes
    ----------
    n_docs : int
    block_rows : list of int
        Documents of every block, in order.
    df : ndarray of int64, shape (n_terms,)
        Documents containing each term.
    outlets : list of str
        Outlet names (``source``), in order of first appearance.
    outlet_docs : ndarray of int64
        Documents of each outlet.
    outlet_df : scipy.sparse.csr_matrix, shape (n_outlets, n_terms)
        Documents of each outlet containing each term.
    dateline_hits : dict of str to int
        For each dateline place that is a vocabulary term: documents containing the term whose
        dateline is that place. None when the blocks carry no ``dateline`` column.
    sample : scipy.sparse.csr_matrix or None
        The sample's rows (in corpus order), if a sample was asked for.
    sample_positions : ndarray of int64
        The sample's rows as positions in the corpus.
    """

    n_docs: int
    block_rows: list[int]
    df: np.ndarray
    outlets: list[str] = field(default_factory=list)
    outlet_docs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    outlet_df: Any = None
    dateline_hits: dict[str, int] | None = None
    sample: Any = None
    sample_positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def sample_rows(n_docs: int, size: int | None, random_state: int) -> np.ndarray:
    """Return the sorted positions of a seeded sample of ``size`` of ``n_docs`` documents (all if ``size >= n_docs``).

    The same draw as :func:`~newsscope.topics.pipeline.fit_topics`'s sweep sample, so a corpus
    gives the same sample in memory and in blocks.
    """
    if not size or size >= n_docs:
        return np.arange(n_docs, dtype=np.int64)
    return np.sort(np.random.default_rng(random_state).choice(n_docs, size=int(size), replace=False)).astype(np.int64)


def _presence(X) -> sp.csr_matrix:
    B = sp.csr_matrix(X, copy=True)
    B.eliminate_zeros()
    B.data = np.ones_like(B.data, dtype=np.int64)
    return B


def count_blocks(blocks: Any, *, sample: np.ndarray | None = None, outlets: bool = True) -> BlockCounts:
    """Read every block once and reduce the counts a topic model needs (see the module docstring).

    Parameters
    ----------
    blocks : DTMBlocks-like
        See the module docstring.
    sample : ndarray of int, optional
        Sorted corpus positions of the rows to keep (e.g. :func:`sample_rows`).
    outlets : bool
        Count per-outlet document frequencies and dateline places (for the keep-out terms).

    Returns
    -------
    BlockCounts
    """
    terms = np.asarray(blocks.terms).astype(str)
    vocab = {t: j for j, t in enumerate(terms)}
    n_terms = len(terms)
    df = np.zeros(n_terms, dtype=np.int64)
    rows: list[int] = []
    outlet_code: dict[str, int] = {}
    outlet_docs: list[int] = []
    outlet_df = sp.csr_matrix((0, n_terms), dtype=np.int64)
    hits: dict[str, int] | None = None
    pieces = []
    start = 0
    sample = None if sample is None else np.asarray(sample, dtype=np.int64)
    for _, X, docs in blocks.iter_blocks():
        X = sp.csr_matrix(X)
        n = X.shape[0]
        if len(docs) != n:
            raise ValueError(f"a block has {n} matrix rows but {len(docs)} document rows")
        B = _presence(X)
        df += np.asarray(B.sum(axis=0)).ravel()
        if sample is not None:
            lo, hi = np.searchsorted(sample, [start, start + n])
            if hi > lo:
                pieces.append(X[sample[lo:hi] - start])
        if outlets and "source" in docs.columns:
            src = [s if isinstance(s, str) and s else None for s in docs["source"]]
            for s in src:
                if s is not None and s not in outlet_code:
                    outlet_code[s] = len(outlet_code)
                    outlet_docs.append(0)
            has = np.array([s is not None for s in src], dtype=bool)
            codes = np.array([outlet_code[s] for s in src if s is not None], dtype=np.int64)
            for c in codes:
                outlet_docs[c] += 1
            if codes.size:
                G = sp.csr_matrix((np.ones(codes.size, dtype=np.int64), (codes, np.flatnonzero(has))),
                                  shape=(len(outlet_code), n))
                outlet_df.resize((len(outlet_code), n_terms))
                outlet_df = (outlet_df + (G @ B)).tocsr()
        if outlets and "dateline" in docs.columns:
            hits = {} if hits is None else hits
            places = [_norm(v) if isinstance(v, str) else None for v in docs["dateline"]]
            at = [(i, vocab[p], p) for i, p in enumerate(places) if p is not None and p in vocab]
            if at:
                present = np.asarray(B[[a[0] for a in at], [a[1] for a in at]]).ravel() > 0
                for (_, _, place), yes in zip(at, present):
                    if yes:
                        hits[place] = hits.get(place, 0) + 1
        rows.append(n)
        start += n
    if start != int(getattr(blocks, "n_docs", start)):
        raise ValueError(f"the blocks hold {start} documents, but n_docs says {blocks.n_docs}")
    out = BlockCounts(n_docs=start, block_rows=rows, df=df, outlets=list(outlet_code),
                      outlet_docs=np.asarray(outlet_docs, dtype=np.int64), outlet_df=outlet_df, dateline_hits=hits)
    if sample is not None:
        out.sample = sp.vstack(pieces, format="csr") if pieces else sp.csr_matrix((0, n_terms))
        out.sample_positions = sample
    return out


def keep_out_terms_from_counts(counts: BlockCounts, terms: np.ndarray, *, outlet_terms: Iterable[str] = (),
                               extra: Iterable[str] = (), dateline_share: float = 0.9, min_outlet_share: float = 0.25,
                               min_concentration: float = 0.95, min_docs: int = 10) -> list[str]:
    """Return the terms kept out of topic models, from counts reduced over blocks.

    The same four kinds of term, by the same rules, as
    :func:`~newsscope.topics.labels.find_keep_out_terms` on the whole matrix: the vectorizer's
    ``outlet_terms``, the outlets' names, dateline places (when the blocks carry datelines),
    boilerplate (:data:`~newsscope.topics.labels.BOILERPLATE_TERMS` and outlet template terms,
    see :func:`~newsscope.topics.labels.outlet_template_terms`) and ``extra``.
    """
    terms = np.asarray(terms).astype(str)
    vocab = {t: j for j, t in enumerate(terms)}
    out: set[str] = {str(t) for t in outlet_terms}
    out.update(_norm(s) for s in counts.outlets)
    for place, n in (counts.dateline_hits or {}).items():
        j = vocab[place]
        if counts.df[j] and n / counts.df[j] >= dateline_share:
            out.add(place)
    out.update(BOILERPLATE_TERMS)
    if counts.outlets and counts.outlet_df is not None:
        df_all = counts.df
        O = counts.outlet_df.tocsr()
        for o, n_o in enumerate(counts.outlet_docs):
            if n_o < min_docs:
                continue
            row = O.getrow(o)
            cols, df_out = row.indices, row.data
            conc = df_out / np.maximum(df_all[cols], 1)
            hit = (df_out >= max(min_outlet_share * n_o, min_docs)) & (conc >= min_concentration)
            out.update(str(terms[j]) for j in cols[hit])
    out.update(_norm(t) for t in extra)
    return sorted(t for t in out if t in vocab)


def docs_frame(docs: pd.DataFrame) -> pd.DataFrame:
    """Return the document columns kept beside topic results: doc_id, source, published, title."""
    return docs[[c for c in ("doc_id", "source", "published", "title") if c in docs.columns]].reset_index(drop=True)
