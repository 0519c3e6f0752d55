"""Topic models on a document-term matrix: NMF on TF-IDF (default) or LDA on counts.

:class:`TopicModel` follows scikit-learn's contract (parameters only in ``__init__``, ``fit``
returns ``self``, fitted attributes end in ``_``, ``random_state``). It wraps
:class:`sklearn.decomposition.NMF` / :class:`~sklearn.decomposition.LatentDirichletAllocation`
and adds what a topic analysis needs: vocabulary pruning for the model (document-frequency bounds
and terms kept out), topic weights that are comparable between documents, topics ordered by size,
and each topic's top terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation, non_negative_factorization
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

__all__ = ["TopicModel", "MODELS", "select_top_terms"]

MODELS = ("nmf", "lda")


def _unpack(X: Any, terms: Sequence[str] | None) -> tuple[sp.csr_matrix, np.ndarray]:
    """Accept a matrix (+ terms) or an object with ``X`` and ``terms`` (a DocTermMatrix)."""
    if hasattr(X, "X") and hasattr(X, "terms"):
        terms = X.terms if terms is None else terms
        X = X.X
    # a private copy in canonical form: NMF's result depends on the order of the stored entries,
    # and sorting the caller's matrix in place would change their later results
    X = sp.csr_matrix(X, dtype=np.float32, copy=True)
    X.sum_duplicates()
    X.sort_indices()
    if X.nnz and X.data.min() < 0:
        raise ValueError("TopicModel needs non-negative term counts; the matrix has negative entries")
    if terms is None:
        terms = [f"term{i}" for i in range(X.shape[1])]
    terms = np.asarray(terms, dtype=object).astype(str)
    if len(terms) != X.shape[1]:
        raise ValueError(f"{len(terms)} terms given for a matrix with {X.shape[1]} columns")
    return X, terms


def _nested(a: str, b: str) -> bool:
    """Return True if one term is the other or contains it as a whole-word sequence."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return f" {short} " in f" {long_} "


def select_top_terms(weights: np.ndarray, terms: np.ndarray, n: int, *, collapse_nested: bool = True) -> list[int]:
    """Return the column indices of a topic's ``n`` strongest terms, best first.

    Ties in weight keep column order (stable sort). With ``collapse_nested`` a term is skipped
    when it contains, or is contained in, a term already selected (see :class:`TopicModel`).
    Terms of weight 0 are never selected, so a list may be shorter than ``n``.
    """
    order = np.argsort(-weights, kind="stable")
    chosen: list[int] = []
    for j in order:
        if len(chosen) >= n or weights[j] <= 0:
            break
        if collapse_nested and any(_nested(str(terms[j]), str(terms[c])) for c in chosen):
            continue
        chosen.append(int(j))
    return chosen


class TopicModel(TransformerMixin, BaseEstimator):
    """A topic model on document-term counts: NMF on TF-IDF (default) or LDA.

    Parameters
    ----------
    n_topics : int
        Number of topics k.
    model : {"nmf", "lda"}
        ``nmf``: non-negative matrix factorisation of the TF-IDF matrix (sublinear tf, l2-normalised
        rows). ``lda``: latent Dirichlet allocation (batch variational Bayes) on the counts.
    min_df : int or float
        Terms in fewer documents than this (a share if float) are left out of the model.
    max_df : float or int
        Terms in more documents than this (a share if float) are left out of the model.
    stop_terms : sequence of str, optional
        Terms kept out of the model (e.g. outlet names, boilerplate; see
        :func:`newsscope.topics.labels.find_keep_out_terms`).
    sublinear_tf : bool
        NMF: use ``1 + log(tf)`` in the TF-IDF weighting.
    init : str
        NMF initialisation (``nndsvda``, ``nndsvd``, ``nndsvdar`` or ``random``).
    beta_loss : str
        NMF loss (``frobenius`` uses the coordinate-descent solver; others multiplicative updates).
    alpha_W, alpha_H, l1_ratio : float
        NMF regularisation (see :class:`sklearn.decomposition.NMF`).
    doc_topic_prior, topic_word_prior : float, optional
        LDA Dirichlet priors (default ``1 / n_topics``).
    max_iter : int, optional
        Iterations of the optimiser (default: 400 for NMF, 30 passes for LDA).
    tol : float
        NMF stopping tolerance (relative decrease of the projected gradient). The default 1e-3
        (scikit-learn: 1e-4) halves the fitting time on the built-in corpus with the same
        coherence, diversity and stability.
    n_top_terms : int
        Length of each topic's ``top_terms_`` list.
    exclusivity : float
        How much a term's *exclusivity* counts when ranking a topic's terms:
        ``score = w * (w / sum of w over topics) ** exclusivity`` with ``w`` the topic-term weight
        (a FREX-like compromise between frequency and exclusivity, cf. Bischof & Airoldi 2012 and
        the relevance of Sievert & Shirley 2014). 0 ranks by weight alone (scikit-learn's usual
        top words); the default 2.0 demotes terms every topic uses (``people``, ``country``) in
        favour of terms that tell topics apart. The model itself is unchanged. On the built-in
        corpus at k = 6 to 12, 2.0 raised NPMI by 0.02-0.05 over 1.0 and 0.5 at about the same
        stability (``benchmarks/results/topics.md``).
    collapse_nested : bool
        Skip a candidate top term that contains, or is contained in, a higher-ranked top term of
        the same topic as a whole-word sequence (``vladimir putin`` after ``putin``, ``garda``
        after ``garda station``): such pairs repeat one another, make a list less informative and
        inflate coherence (they nearly always co-occur).
    n_members : int
        NMF only. 1: one NMF. More: a consensus NMF over ``n_members`` fits on document
        subsamples (see ``_fit_ensemble``); measured in ``benchmarks/bench_topics.py``, not the
        default: five times the cost, a gain in stability at some k and seeds but not at others on
        the built-in corpus, and results reproducible only to float32 rounding (about 1e-7).
    member_subsample : float
        Share of the documents each consensus member sees.
    random_state : int or None
        Seed of every random choice (NMF's ``random`` / ``nndsvdar`` init, LDA's init, the
        consensus members' subsamples).

    Attributes
    ----------
    components_ : ndarray, shape (n_topics, n_terms)
        Topic-term weights, each row summing to 1 (0 for terms left out of the model).
    doc_topic_ : ndarray, shape (n_docs, n_topics)
        Each training document's topic shares (rows sum to 1; all 0 for a document without any
        term of the model's vocabulary).
    doc_weights_ : ndarray, shape (n_docs, n_topics)
        The unnormalised weights behind ``doc_topic_`` (NMF: TF-IDF mass each topic explains in
        the document; LDA: the topic proportions).
    dominant_topic_ : ndarray of int, shape (n_docs,)
        Each document's strongest topic, -1 for documents without any model term.
    topic_sizes_ : ndarray of int, shape (n_topics,)
        Number of documents whose dominant topic is each topic; topics are ordered by size
        (largest first), ties broken by total weight and then by top term.
    top_terms_ : list of list of str
        Each topic's ``n_top_terms`` strongest terms, best first.
    term_scores_ : ndarray, shape (n_topics, n_terms)
        The ranking scores behind ``top_terms_`` (see ``exclusivity``).
    top_term_indices_ : list of list of int
        Column indices of ``top_terms_``.
    terms_ : ndarray of str
        Column names seen in ``fit``.
    vocabulary_mask_ : ndarray of bool, shape (n_terms,)
        The columns used by the model.
    estimator_ : NMF or LatentDirichletAllocation
        The fitted scikit-learn model (in its own topic order).
    tfidf_ : TfidfTransformer or None
        The fitted TF-IDF weighting (NMF only).
    order_ : ndarray of int
        ``components_[i]`` is the estimator's topic ``order_[i]``.
    n_iter_ : int
        Iterations run by the optimiser.
    """

    def __init__(self, n_topics: int = 10, *, model: str = "nmf", min_df: int | float = 5, max_df: int | float = 0.25,
                 stop_terms: Sequence[str] | None = None, sublinear_tf: bool = True, init: str = "nndsvda",
                 beta_loss: str = "frobenius", alpha_W: float = 0.0, alpha_H: float | str = "same", l1_ratio: float = 0.0,
                 doc_topic_prior: float | None = None, topic_word_prior: float | None = None, max_iter: int | None = None,
                 tol: float = 1e-3, n_top_terms: int = 10, exclusivity: float = 2.0, collapse_nested: bool = True,
                 n_members: int = 1, member_subsample: float = 0.8, random_state: int | None = 0) -> None:
        self.n_topics = n_topics
        self.model = model
        self.min_df = min_df
        self.max_df = max_df
        self.stop_terms = stop_terms
        self.sublinear_tf = sublinear_tf
        self.init = init
        self.beta_loss = beta_loss
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.max_iter = max_iter
        self.tol = tol
        self.n_top_terms = n_top_terms
        self.exclusivity = exclusivity
        self.collapse_nested = collapse_nested
        self.n_members = n_members
        self.member_subsample = member_subsample
        self.random_state = random_state

    # ------------------------------------------------------------------ helpers
    def _mask(self, X: sp.csr_matrix, terms: np.ndarray) -> np.ndarray:
        n_docs = X.shape[0]
        df = np.asarray((X > 0).sum(axis=0)).ravel()
        lo = self.min_df * n_docs if isinstance(self.min_df, float) else self.min_df
        hi = self.max_df * n_docs if isinstance(self.max_df, float) else self.max_df
        mask = (df >= lo) & (df <= hi) & (df > 0)
        if self.stop_terms:
            mask &= ~np.isin(terms, np.asarray(list(self.stop_terms), dtype=object).astype(str))
        return mask

    def _fit_ensemble(self, Xt: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Consensus NMF (Greene et al. 2014; Belford et al. 2018) on the TF-IDF matrix ``Xt``.

        ``n_members`` NMFs are fitted on random document subsamples (``member_subsample``, seeded
        from ``random_state`` and the member's number); their topics (rows of H, L2-normalised)
        are stacked and factorised into ``k`` consensus topics (NNDSVD, deterministic); the
        documents' weights are then solved with the consensus topics held fixed.
        """
        n_docs = Xt.shape[0]
        size = min(n_docs, max(k, int(round(float(self.member_subsample) * n_docs))))
        base = 0 if self.random_state is None else int(self.random_state)
        stack = []
        for m in range(int(self.n_members)):
            rng = np.random.default_rng([base, m])
            rows = np.sort(rng.choice(n_docs, size=size, replace=False))
            member = NMF(n_components=k, init=self.init, solver="cd", alpha_W=self.alpha_W, alpha_H=self.alpha_H,
                         l1_ratio=self.l1_ratio, max_iter=self.max_iter or 400, tol=self.tol,
                         random_state=int(rng.integers(2**31 - 1))).fit(Xt[rows])
            H = member.components_
            norms = np.linalg.norm(H, axis=1, keepdims=True)
            stack.append(np.divide(H, norms, out=np.zeros_like(H), where=norms > 0))
        consensus = NMF(n_components=k, init="nndsvd", solver="cd", max_iter=400, tol=1e-4).fit(np.vstack(stack))
        H = np.ascontiguousarray(consensus.components_, dtype=Xt.dtype)
        W, _, n_iter = non_negative_factorization(Xt, H=H, n_components=k, init=None, update_H=False, solver="cd",
                                                  max_iter=self.max_iter or 400, tol=self.tol)
        # the estimator transforms new documents with the consensus topics held fixed
        est = self.estimator_
        est.components_, est.n_components_, est._n_components = H, k, k
        est.n_features_in_, est.n_iter_, est.reconstruction_err_ = Xt.shape[1], n_iter, float("nan")
        return W, H

    def _weights(self, Xm: sp.csr_matrix) -> np.ndarray:
        """Return raw (unnormalised, estimator-ordered) document-topic weights for kept columns."""
        if self.model == "nmf":
            W = self.estimator_.transform(self.tfidf_.transform(Xm))
            return W * self.topic_scale_
        return self.estimator_.transform(Xm)

    def _term_scores(self, H: np.ndarray) -> np.ndarray:
        if not self.exclusivity:
            return H.copy()
        total = H.sum(axis=0, keepdims=True)
        excl = np.divide(H, total, out=np.zeros_like(H), where=total > 0)
        return H * excl ** float(self.exclusivity)

    def _finish(self, W: np.ndarray, empty: np.ndarray) -> np.ndarray:
        W = W[:, self.order_]
        W[empty] = 0.0
        sums = W.sum(axis=1, keepdims=True)
        return np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)

    # ------------------------------------------------------------------ API
    def fit(self, X, y: Any = None, *, terms: Sequence[str] | None = None) -> "TopicModel":
        """Fit the model on document-term counts.

        BLAS runs single-threaded during the fit: the matrices of a topic model are small, and
        OpenBLAS threads made NMF's coordinate descent three times *slower* from k = 33 on a busy
        two-core machine (and a sweep leaves the other core to other work).

        Parameters
        ----------
        X : sparse matrix (n_docs, n_terms) or DocTermMatrix
            Term counts (a DocTermMatrix brings its own ``terms``).
        y : ignored
        terms : sequence of str, optional
            Column names (default ``term0, term1, ...``).

        Returns
        -------
        self
        """
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, got {self.model!r}")
        if int(self.n_topics) < 1:
            raise ValueError(f"n_topics must be at least 1, got {self.n_topics}")
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(X, terms)

    def _fit(self, X, terms: Sequence[str] | None) -> "TopicModel":
        X, terms = _unpack(X, terms)
        self.terms_ = terms
        self.n_features_in_ = X.shape[1]
        mask = self._mask(X, terms)
        if mask.sum() < self.n_topics:
            raise ValueError(f"only {int(mask.sum())} terms are left after pruning (min_df={self.min_df}, max_df={self.max_df}) "
                             f"for {self.n_topics} topics; lower n_topics or min_df, or use a larger corpus")
        if X.shape[0] < self.n_topics:
            raise ValueError(f"{X.shape[0]} documents cannot hold {self.n_topics} topics; lower n_topics")
        self.vocabulary_mask_ = mask
        Xm = X[:, np.flatnonzero(mask)]
        empty = np.asarray(Xm.sum(axis=1)).ravel() == 0
        k = int(self.n_topics)
        if self.model == "nmf":
            self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(Xm)
            Xt = self.tfidf_.transform(Xm)
            solver = "cd" if self.beta_loss in ("frobenius", 2) else "mu"
            self.estimator_ = NMF(n_components=k, init=self.init, beta_loss=self.beta_loss, solver=solver,
                                  alpha_W=self.alpha_W, alpha_H=self.alpha_H, l1_ratio=self.l1_ratio,
                                  max_iter=self.max_iter or 400, tol=self.tol, random_state=self.random_state)
            if int(self.n_members) > 1:
                W, H = self._fit_ensemble(Xt, k)
            else:
                W = self.estimator_.fit_transform(Xt)
                H = self.estimator_.components_
            s = H.sum(axis=1)
            s[s == 0] = 1.0
            self.topic_scale_ = s  # W H = (W s)(H / s): topics as term distributions, weights in TF-IDF mass
            W = W * s
            H = H / s[:, None]
        else:
            self.tfidf_ = None
            self.estimator_ = LatentDirichletAllocation(
                n_components=k, learning_method="batch", doc_topic_prior=self.doc_topic_prior,
                topic_word_prior=self.topic_word_prior, max_iter=self.max_iter or 30, random_state=self.random_state)
            W = self.estimator_.fit_transform(Xm)
            H = self.estimator_.components_ / self.estimator_.components_.sum(axis=1, keepdims=True)
        self.n_iter_ = int(self.estimator_.n_iter_)
        # order topics: most documents first, then total weight, then top term (deterministic)
        W_e = W.copy()
        W_e[empty] = 0.0
        dom = np.where(W_e.sum(axis=1) > 0, W_e.argmax(axis=1), -1)
        sizes = np.bincount(dom[dom >= 0], minlength=k)
        total = W_e.sum(axis=0)
        first = [terms[np.flatnonzero(mask)[np.argmax(H[t])]] for t in range(k)]
        self.order_ = np.array(sorted(range(k), key=lambda t: (-sizes[t], -round(float(total[t]), 9), first[t], t)))
        comp = np.zeros((k, X.shape[1]))
        comp[:, np.flatnonzero(mask)] = H[self.order_]
        self.components_ = comp
        self.doc_weights_ = W[:, self.order_].copy()
        self.doc_weights_[empty] = 0.0
        self.doc_topic_ = self._finish(W, empty)
        has = self.doc_topic_.sum(axis=1) > 0
        self.dominant_topic_ = np.where(has, self.doc_topic_.argmax(axis=1), -1)
        self.topic_sizes_ = np.bincount(self.dominant_topic_[has], minlength=k)
        n = min(int(self.n_top_terms), int(mask.sum()))
        self.term_scores_ = self._term_scores(self.components_)
        self.top_term_indices_ = [select_top_terms(row, terms, n, collapse_nested=self.collapse_nested)
                                  for row in self.term_scores_]
        self.top_terms_ = [[str(terms[j]) for j in row] for row in self.top_term_indices_]
        return self

    def transform(self, X, *, terms: Sequence[str] | None = None) -> np.ndarray:
        """Return the topic shares of new documents (rows sum to 1, or 0 without model terms).

        The columns of ``X`` must be those seen in :meth:`fit`.
        """
        check_is_fitted(self, "components_")
        X, terms = _unpack(X, terms if terms is not None else self.terms_)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} columns; the model was fitted on {self.n_features_in_}")
        Xm = X[:, np.flatnonzero(self.vocabulary_mask_)]
        empty = np.asarray(Xm.sum(axis=1)).ravel() == 0
        with threadpool_limits(limits=1, user_api="blas"):
            return self._finish(self._weights(Xm), empty)

    def fit_transform(self, X, y: Any = None, **fit_params: Any) -> np.ndarray:
        """Fit and return ``doc_topic_``."""
        return self.fit(X, y, **fit_params).doc_topic_

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the output column names ``topic0 ... topic{k-1}``."""
        check_is_fitted(self, "components_")
        return np.array([f"topic{i}" for i in range(self.components_.shape[0])], dtype=object)
