"""Topic quality measured on the corpus itself: NPMI coherence and topic diversity.

NPMI (normalised pointwise mutual information, Bouma 2009; used for topics by Aletras & Stevenson
2013 and Röder et al. 2015) is computed here from **document co-occurrence in the corpus the model
was fitted on** (an *intrinsic* reference, not Wikipedia):

.. math::

    P(w) = \\frac{D(w)}{D}, \\quad P(w_i, w_j) = \\frac{D(w_i, w_j)}{D}, \\quad
    \\mathrm{NPMI}(w_i, w_j) = \\frac{\\log \\frac{P(w_i, w_j)}{P(w_i) P(w_j)}}{-\\log P(w_i, w_j)}

where ``D(w)`` is the number of documents containing term ``w`` (a count > 0 in the document-term
matrix, so a phrase such as ``north korea`` counts as one term), ``D(w_i, w_j)`` the number
containing both, and ``D`` the number of documents. A topic's coherence is the mean NPMI over all
``N (N - 1) / 2`` unordered pairs of its top-``N`` terms; a model's coherence is the mean over
topics.

Edge cases, stated because they move the number:

* a pair that **never co-occurs** scores ``-1`` (the limit of NPMI as ``P(w_i, w_j) -> 0``) by
  default. With ``eps`` given, ``eps`` is added to the joint probability instead (Palmetto's
  convention with ``eps = 1e-12``), which gives a value close to but above ``-1``;
* a pair that occurs in **every** document (``P(w_i, w_j) = 1``) scores ``1``;
* a term that occurs in no document cannot co-occur and scores ``-1`` with every partner.

Topic diversity (Dieng et al. 2020) is the number of unique terms among all topics' top-``N``
terms divided by ``k * N``: 1 means no two topics share a top term.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["document_presence", "npmi_matrix", "cooccurrence_counts", "npmi_from_counts", "topic_npmi",
           "topic_npmi_from_counts", "npmi_coherence", "topic_diversity"]


def document_presence(X) -> sp.csc_matrix:
    """Return the binary document-term presence matrix (CSC, int32) of a count matrix ``X``."""
    B = sp.csc_matrix(X, copy=True)
    B.eliminate_zeros()
    B.data = np.ones_like(B.data, dtype=np.int32)
    return B.astype(np.int32)


def npmi_matrix(presence, columns: Sequence[int], *, eps: float | None = None) -> np.ndarray:
    """Return the symmetric NPMI matrix of the terms at ``columns`` (diagonal set to 1).

    Parameters
    ----------
    presence : sparse matrix, shape (n_docs, n_terms)
        Document-term counts or presence (anything > 0 counts as present).
    columns : sequence of int
        Column indices of the terms.
    eps : float, optional
        If None (default) pairs that never co-occur score -1. Otherwise ``eps`` is added to the
        joint probability inside both logarithms.

    Returns
    -------
    numpy.ndarray, shape (len(columns), len(columns))
    """
    n_docs = presence.shape[0]
    if n_docs == 0:
        raise ValueError("cannot compute NPMI on an empty corpus (0 documents)")
    return npmi_from_counts(cooccurrence_counts(presence, columns), n_docs, eps=eps)


def cooccurrence_counts(presence, columns: Sequence[int]) -> np.ndarray:
    """Return the documents holding each pair of the terms at ``columns`` (diagonal: each term's documents).

    Counts add up over row blocks of a corpus: the sum of the blocks' counts is the corpus's
    (what :func:`npmi_from_counts` needs for a corpus stored in blocks).

    Parameters
    ----------
    presence : sparse matrix, shape (n_docs, n_terms)
        Document-term counts or presence (anything > 0 counts as present).
    columns : sequence of int
        Column indices of the terms.

    Returns
    -------
    numpy.ndarray of float64, shape (len(columns), len(columns))
        Whole numbers.
    """
    cols = np.asarray(columns, dtype=np.int64)
    B = sp.csc_matrix(presence)[:, cols]
    B = (B > 0).astype(np.float64)
    return np.asarray((B.T @ B).todense(), dtype=np.float64)


def npmi_from_counts(joint: np.ndarray, n_docs: int, *, eps: float | None = None) -> np.ndarray:
    """Return the NPMI matrix of terms from their co-occurrence counts (see :func:`npmi_matrix`).

    Parameters
    ----------
    joint : ndarray, shape (n, n)
        Documents holding both terms (diagonal: documents holding the term), e.g. from
        :func:`cooccurrence_counts` summed over blocks.
    n_docs : int
        Documents in the corpus.
    eps : float, optional
        See :func:`npmi_matrix`.
    """
    if n_docs <= 0:
        raise ValueError("cannot compute NPMI on an empty corpus (0 documents)")
    joint = np.asarray(joint, dtype=np.float64)
    df = np.diag(joint).copy()
    p_i = df / n_docs
    p_ij = joint / n_docs
    with np.errstate(divide="ignore", invalid="ignore"):
        if eps is None:
            pmi = np.log(p_ij) - np.log(p_i)[:, None] - np.log(p_i)[None, :]
            out = pmi / -np.log(p_ij)
            out[joint == 0] = -1.0
        else:
            pj = p_ij + eps
            pmi = np.log(pj) - np.log(p_i + eps)[:, None] - np.log(p_i + eps)[None, :]
            out = pmi / -np.log(pj)
        out[p_ij >= 1.0] = 1.0
    np.fill_diagonal(out, 1.0)
    return out


def topic_npmi(presence, top_columns: Sequence[Sequence[int]], *, eps: float | None = None) -> np.ndarray:
    """Return the NPMI coherence of each topic: mean NPMI over the pairs of its top terms.

    Parameters
    ----------
    presence : sparse matrix, shape (n_docs, n_terms)
        The corpus as document-term counts (the reference for co-occurrence).
    top_columns : sequence of sequences of int
        For each topic, the column indices of its top terms (best first).
    eps : float, optional
        See :func:`npmi_matrix`.

    Returns
    -------
    numpy.ndarray, shape (n_topics,)
        NaN for a topic with fewer than two terms.
    """
    out = np.full(len(top_columns), np.nan)
    for t, cols in enumerate(top_columns):
        cols = list(cols)
        if len(cols) < 2:
            continue
        m = npmi_matrix(presence, cols, eps=eps)
        iu = np.triu_indices(len(cols), k=1)
        out[t] = float(m[iu].mean())
    return out


def topic_npmi_from_counts(joint: np.ndarray, n_docs: int, positions: Sequence[Sequence[int]], *,
                           eps: float | None = None) -> np.ndarray:
    """Return each topic's NPMI coherence from co-occurrence counts (as :func:`topic_npmi`).

    Parameters
    ----------
    joint : ndarray, shape (n, n)
        Co-occurrence counts of a set of terms (:func:`cooccurrence_counts`, summed over blocks).
    n_docs : int
        Documents in the corpus.
    positions : sequence of sequences of int
        For each topic, the positions of its top terms in ``joint`` (best first).
    eps : float, optional
        See :func:`npmi_matrix`.
    """
    joint = np.asarray(joint, dtype=np.float64)
    out = np.full(len(positions), np.nan)
    for t, pos in enumerate(positions):
        pos = np.asarray(list(pos), dtype=np.int64)
        if len(pos) < 2:
            continue
        m = npmi_from_counts(joint[np.ix_(pos, pos)], n_docs, eps=eps)
        iu = np.triu_indices(len(pos), k=1)
        out[t] = float(m[iu].mean())
    return out


def npmi_coherence(presence, top_columns: Sequence[Sequence[int]], *, eps: float | None = None) -> float:
    """Return the model's NPMI coherence: the mean of :func:`topic_npmi` over topics."""
    scores = topic_npmi(presence, top_columns, eps=eps)
    return float(np.nanmean(scores)) if np.isfinite(scores).any() else float("nan")


def topic_diversity(top_terms: Sequence[Sequence[str]]) -> float:
    """Return the share of unique terms among all topics' top terms (1 = no term shared).

    Parameters
    ----------
    top_terms : sequence of sequences of str
        Each topic's top terms (usually the top 10).
    """
    all_terms = [t for topic in top_terms for t in topic]
    if not all_terms:
        return float("nan")
    return len(set(all_terms)) / len(all_terms)
