"""Topics of a corpus stored in row blocks: NMF fitted in mini-batches, weights per block.

The in-memory :class:`~newsscope.topics.models.TopicModel` factorises the TF-IDF matrix of the
whole corpus at once. :class:`MiniBatchTopicModel` fits the same model (the same vocabulary
pruning, the same TF-IDF weighting, the same topic-term ranking) with scikit-learn's
:class:`~sklearn.decomposition.MiniBatchNMF`, reading the count blocks one at a time:

1. document frequencies summed over blocks give the vocabulary (``min_df``/``max_df``, terms
   kept out) and the idf, so every block is weighted as the whole matrix would be
   (sublinear tf, idf, l2-normalised rows);
2. the rows are regrouped into mini-batches of ``batch_size`` rows in corpus order, whatever
   the blocks' sizes (so the fitted model does not depend on the partitioning), and
   ``partial_fit`` runs over them for ``n_passes`` passes;
3. the initial topics are those of a model fitted on a sample (``init_components``, see
   :func:`initial_components`), so topics keep their identity (and order and labels) from the
   sample's model to the final one;
4. a document's topic weights are solved with the topics held fixed (coordinate descent, a fixed
   number of iterations and no tolerance, so each document's weights depend on that document
   alone, not on the other rows of its block).

:func:`doc_topic_part` is the per-block step (weights, ``doc_topics`` rows and the counts the
topics table needs), :func:`stream_topic_table` the table from the reduced counts.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import MiniBatchNMF, non_negative_factorization
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from newsscope.topics.coherence import cooccurrence_counts, topic_npmi_from_counts
from newsscope.topics.models import select_top_terms
from newsscope.topics.pipeline import doc_topic_table
from newsscope.topics.stability import MIN_TOPIC_STABILITY

__all__ = ["MiniBatchTopicModel", "vocabulary_mask", "initial_components", "rebatch", "doc_topic_part",
           "merge_part_stats", "stream_topic_table"]


def vocabulary_mask(df: np.ndarray, n_docs: int, terms: np.ndarray, *, min_df: int | float = 5, max_df: int | float = 0.25,
                    stop_terms: Sequence[str] | None = None) -> np.ndarray:
    """Return the columns a topic model uses, from document frequencies (the rule of ``TopicModel``)."""
    df = np.asarray(df)
    lo = min_df * n_docs if isinstance(min_df, float) else min_df
    hi = max_df * n_docs if isinstance(max_df, float) else max_df
    mask = (df >= lo) & (df <= hi) & (df > 0)
    if stop_terms:
        mask &= ~np.isin(np.asarray(terms).astype(str), np.asarray(list(stop_terms), dtype=object).astype(str))
    return mask


def initial_components(model: Any) -> np.ndarray:
    """Return a fitted :class:`~newsscope.topics.models.TopicModel`'s topics in TF-IDF scale (k x n_terms).

    ``components_`` rows sum to 1; multiplied back by the topics' scale they are the NMF factor
    ``H`` the model found (in the model's topic order).
    """
    check_is_fitted(model, "components_")
    scale = np.asarray(model.topic_scale_)[np.asarray(model.order_)]
    return np.asarray(model.components_) * scale[:, None]


def rebatch(blocks: Iterable[Any], batch_size: int) -> Iterator[sp.csr_matrix]:
    """Yield the rows of ``blocks`` in order, in batches of ``batch_size`` rows (the last may be smaller).

    At most one block and one batch are held at a time; the batches are the same whatever the
    blocks' sizes.
    """
    pending: list[sp.csr_matrix] = []
    held = 0
    for X in blocks:
        X = sp.csr_matrix(X)
        start = 0
        while start < X.shape[0]:
            take = min(batch_size - held, X.shape[0] - start)
            pending.append(X[start:start + take])
            held += take
            start += take
            if held == batch_size:
                yield pending[0] if len(pending) == 1 else sp.vstack(pending, format="csr")
                pending, held = [], 0
    if held:
        yield pending[0] if len(pending) == 1 else sp.vstack(pending, format="csr")


def _term_scores(H: np.ndarray, exclusivity: float) -> np.ndarray:
    """The ranking scores of ``TopicModel._term_scores``: ``w * (w / sum over topics) ** exclusivity``."""
    if not exclusivity:
        return H.copy()
    total = H.sum(axis=0, keepdims=True)
    excl = np.divide(H, total, out=np.zeros_like(H), where=total > 0)
    return H * excl ** float(exclusivity)


class MiniBatchTopicModel(TransformerMixin, BaseEstimator):
    """NMF on TF-IDF fitted in mini-batches over row blocks of term counts (see the module docstring).

    Parameters
    ----------
    n_topics : int
        Number of topics k.
    min_df, max_df, stop_terms, sublinear_tf
        Vocabulary and weighting, as for :class:`~newsscope.topics.models.TopicModel`
        (document frequencies over all blocks).
    batch_size : int
        Rows per mini-batch.
    n_passes : int
        Passes over all rows.
    forget_factor : float
        :class:`~sklearn.decomposition.MiniBatchNMF`'s weight of past batches.
    init_floor : float
        Share of the mean initial topic weight given to terms with weight 0 in
        ``init_components`` (multiplicative updates never move a zero).
    alpha_W, alpha_H, l1_ratio : float
        NMF regularisation.
    transform_iter : int
        Coordinate-descent iterations solving a document's weights (no tolerance: a document's
        weights do not depend on the other rows solved with it).
    n_top_terms, exclusivity, collapse_nested
        Top terms, as for :class:`~newsscope.topics.models.TopicModel`.
    random_state : int or None
        Seed of MiniBatchNMF.

    Attributes
    ----------
    components_ : ndarray (n_topics, n_terms)
        Topic-term weights, rows summing to 1 (0 outside the model's vocabulary).
    topic_scale_ : ndarray (n_topics,)
        Row sums of the NMF factor (weights are in TF-IDF mass).
    vocabulary_mask_ : ndarray of bool
    tfidf_ : TfidfTransformer
        With the idf of the whole corpus.
    estimator_ : MiniBatchNMF
    top_terms_, top_term_indices_, term_scores_
        As for :class:`~newsscope.topics.models.TopicModel`.
    terms_ : ndarray of str
    n_docs_ : int
        Documents seen in one pass.
    n_steps_ : int
        Mini-batches run.
    """

    def __init__(self, n_topics: int = 10, *, min_df: int | float = 5, max_df: int | float = 0.25,
                 stop_terms: Sequence[str] | None = None, sublinear_tf: bool = True, batch_size: int = 2048,
                 n_passes: int = 3, forget_factor: float = 0.7, init_floor: float = 1e-3, alpha_W: float = 0.0,
                 alpha_H: float | str = "same", l1_ratio: float = 0.0, transform_iter: int = 50, n_top_terms: int = 10,
                 exclusivity: float = 2.0, collapse_nested: bool = True, random_state: int | None = 0) -> None:
        self.n_topics = n_topics
        self.min_df = min_df
        self.max_df = max_df
        self.stop_terms = stop_terms
        self.sublinear_tf = sublinear_tf
        self.batch_size = batch_size
        self.n_passes = n_passes
        self.forget_factor = forget_factor
        self.init_floor = init_floor
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.transform_iter = transform_iter
        self.n_top_terms = n_top_terms
        self.exclusivity = exclusivity
        self.collapse_nested = collapse_nested
        self.random_state = random_state

    def fit(self, X, y: Any = None, *, terms: Sequence[str] | None = None,
            init_components: np.ndarray | None = None) -> "MiniBatchTopicModel":
        """Fit on one count matrix (a corpus that is one block); see :meth:`fit_blocks`."""
        X = sp.csr_matrix(X)
        return self.fit_blocks(lambda: iter([X]), terms=terms if terms is not None else [f"term{i}" for i in range(X.shape[1])],
                               init_components=init_components)

    def fit_blocks(self, blocks: Callable[[], Iterable[Any]], *, terms: Sequence[str], document_frequencies: np.ndarray | None = None,
                   n_docs: int | None = None, init_components: np.ndarray | None = None) -> "MiniBatchTopicModel":
        """Fit on the count blocks that ``blocks()`` yields (called once per pass, in the same order each time).

        Parameters
        ----------
        blocks : callable
            Returns a fresh iterable of count matrices (rows: documents, columns: ``terms``).
        terms : sequence of str
            Column names.
        document_frequencies, n_docs : ndarray, int, optional
            Documents per term and in total (one more pass over the blocks if not given).
        init_components : ndarray (n_topics, n_terms), optional
            Initial topics (e.g. :func:`initial_components` of a model fitted on a sample); the
            fitted topics keep their order. Default: NNDSVDa on the first mini-batch.

        Returns
        -------
        self
        """
        terms = np.asarray(terms, dtype=object).astype(str)
        if document_frequencies is None or n_docs is None:
            df = np.zeros(len(terms), dtype=np.int64)
            n_docs = 0
            for X in blocks():
                df += np.asarray((sp.csr_matrix(X) > 0).sum(axis=0)).ravel()
                n_docs += X.shape[0]
        else:
            df = np.asarray(document_frequencies, dtype=np.int64)
        k = int(self.n_topics)
        mask = vocabulary_mask(df, int(n_docs), terms, min_df=self.min_df, max_df=self.max_df, stop_terms=self.stop_terms)
        if mask.sum() < k:
            raise ValueError(f"only {int(mask.sum())} terms are left after pruning (min_df={self.min_df}, max_df={self.max_df}) "
                             f"for {k} topics; lower n_topics or min_df, or use a larger corpus")
        self.terms_, self.n_features_in_, self.vocabulary_mask_, self.n_docs_ = terms, len(terms), mask, int(n_docs)
        cols = np.flatnonzero(mask)
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        self.tfidf_.idf_ = np.log((1.0 + n_docs) / (1.0 + df[cols])) + 1.0  # smooth idf, as TfidfTransformer.fit
        est = MiniBatchNMF(n_components=k, init="custom" if init_components is not None else "nndsvda", beta_loss="frobenius",
                           batch_size=int(self.batch_size), forget_factor=self.forget_factor, alpha_W=self.alpha_W,
                           alpha_H=self.alpha_H, l1_ratio=self.l1_ratio, random_state=self.random_state)
        H0 = None
        if init_components is not None:
            H0 = np.asarray(init_components, dtype=np.float32)[:, cols].copy()
            if H0.shape[0] != k:
                raise ValueError(f"init_components has {H0.shape[0]} topics; n_topics is {k}")
            H0[H0 <= 0] = float(self.init_floor) * float(H0.mean())
        with threadpool_limits(limits=1, user_api="blas"):
            for _ in range(int(self.n_passes)):
                for batch in rebatch(blocks(), int(self.batch_size)):
                    Xt = self._weigh(batch[:, cols])
                    if H0 is not None:
                        W0 = np.ones((Xt.shape[0], k), dtype=Xt.dtype)
                        est.partial_fit(Xt, W=W0, H=H0.astype(Xt.dtype))
                        H0 = None
                    else:
                        est.partial_fit(Xt)
        self.estimator_ = est
        self.n_steps_ = int(est.n_steps_)
        H = np.asarray(est.components_, dtype=np.float64)
        s = H.sum(axis=1)
        s[s == 0] = 1.0
        self.topic_scale_ = s
        comp = np.zeros((k, len(terms)))
        comp[:, cols] = H / s[:, None]
        self.components_ = comp
        n = min(int(self.n_top_terms), int(mask.sum()))
        self.term_scores_ = _term_scores(comp, self.exclusivity)
        self.top_term_indices_ = [select_top_terms(row, terms, n, collapse_nested=self.collapse_nested) for row in self.term_scores_]
        self.top_terms_ = [[str(terms[j]) for j in row] for row in self.top_term_indices_]
        return self

    def _weigh(self, Xm) -> sp.csr_matrix:
        """TF-IDF rows (sublinear tf, corpus idf, l2) of counts already restricted to the model's columns."""
        return self.tfidf_.transform(sp.csr_matrix(Xm, dtype=np.float32))

    def weights(self, X) -> np.ndarray:
        """Return the raw topic weights of documents (TF-IDF mass per topic; 0 for rows without model terms)."""
        check_is_fitted(self, "components_")
        X = sp.csr_matrix(X, dtype=np.float32)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} columns; the model was fitted on {self.n_features_in_}")
        Xm = X[:, np.flatnonzero(self.vocabulary_mask_)]
        Xm.sum_duplicates()
        Xm.sort_indices()
        Xt = self._weigh(Xm)
        H = np.ascontiguousarray(self.estimator_.components_, dtype=Xt.dtype)
        with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            W, _, _ = non_negative_factorization(Xt, H=H, n_components=H.shape[0], init=None, update_H=False, solver="cd",
                                                 max_iter=int(self.transform_iter), tol=0.0)
        W = np.asarray(W, dtype=np.float64) * self.topic_scale_
        W[np.asarray(Xm.sum(axis=1)).ravel() == 0] = 0.0
        return W

    def transform(self, X) -> np.ndarray:
        """Return the topic shares of documents (rows sum to 1, or 0 without model terms)."""
        W = self.weights(X)
        sums = W.sum(axis=1, keepdims=True)
        return np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the output column names ``topic0 ... topic{k-1}``."""
        check_is_fitted(self, "components_")
        return np.array([f"topic{i}" for i in range(self.components_.shape[0])], dtype=object)


def doc_topic_part(model: Any, X, doc_ids: Sequence[str], columns: Sequence[int],
                   shares: np.ndarray | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The topic step of one block: its ``doc_topics`` rows and the counts the topics table needs.

    Parameters
    ----------
    model : MiniBatchTopicModel or TopicModel
        Fitted; its ``transform`` gives the shares unless ``shares`` is given.
    X : sparse matrix
        The block's counts.
    doc_ids : sequence of str
        The block's documents.
    columns : sequence of int
        Terms whose co-occurrence is counted (the union of the topics' top terms).
    shares : ndarray, optional
        The block's topic shares, when already known (a model fitted on every document).

    Returns
    -------
    table : DataFrame
        doc_id, topic, weight (:func:`~newsscope.topics.pipeline.doc_topic_table`).
    stats : dict
        rows, sizes (documents per dominant topic), unassigned (rows without a model term),
        cooccurrence (:func:`~newsscope.topics.coherence.cooccurrence_counts` of ``columns``).
    """
    if shares is None:
        shares = model.transform(X)
    shares = np.asarray(shares, dtype=float)
    k = shares.shape[1]
    has = shares.sum(axis=1) > 0
    dom = shares.argmax(axis=1)[has]
    stats = {"rows": int(shares.shape[0]), "sizes": np.bincount(dom, minlength=k).astype(np.int64),
             "unassigned": int((~has).sum()), "cooccurrence": cooccurrence_counts(X, columns)}
    return doc_topic_table(shares, doc_ids), stats


def merge_part_stats(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Sum two blocks' :func:`doc_topic_part` stats (whole numbers: exact in any order)."""
    return {"rows": a["rows"] + b["rows"], "sizes": a["sizes"] + b["sizes"], "unassigned": a["unassigned"] + b["unassigned"],
            "cooccurrence": a["cooccurrence"] + b["cooccurrence"]}


def stream_topic_table(top_terms: list[list[str]], top_term_indices: list[list[int]], columns: Sequence[int],
                       stats: dict[str, Any], stability: np.ndarray, labels: list[str],
                       auto_labels: list[str] | None = None) -> pd.DataFrame:
    """Return the topics table (the columns of :func:`~newsscope.topics.pipeline.topic_table`) from reduced counts.

    Sizes are the documents per dominant topic, NPMI comes from the co-occurrence counts of
    ``columns`` over all blocks.
    """
    pos = {int(c): i for i, c in enumerate(columns)}
    npmi = topic_npmi_from_counts(stats["cooccurrence"], int(stats["rows"]), [[pos[int(j)] for j in t] for t in top_term_indices])
    sizes = np.asarray(stats["sizes"], dtype=np.int64)
    stability = np.round(np.asarray(stability, dtype=float), 3)
    return pd.DataFrame({
        "topic": np.arange(len(top_terms)),
        "label": labels,
        "top_terms": ["; ".join(t) for t in top_terms],
        "size": sizes.astype(int),
        "npmi": np.round(npmi, 3),
        "stability": stability,
        "stable": stability >= MIN_TOPIC_STABILITY,
        "share": np.round(sizes / max(int(stats["rows"]), 1), 4),
        "auto_label": auto_labels if auto_labels is not None else labels,
    })
