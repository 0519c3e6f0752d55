"""Stability of topics across random seeds: Hungarian matching on top-term overlap.

A topic that reappears whenever the model is refitted with another seed (on a slightly different
sample of the corpus) is a property of the corpus; one that does not is an accident of the
optimiser. Following Greene, O'Callaghan & Cunningham (2014, "How many topics? Stability analysis
for topic models"), the reference model's topics are compared with those of refits:

1. each refit uses a different seed, which drives the model's random initialisation (if any) and
   draws a random subsample of the documents (``subsample`` of them, default 90 %). The subsample
   matters: NMF with an SVD-based initialisation is deterministic, so seeds alone would report a
   meaningless perfect stability;
2. the Jaccard similarity of every pair (reference topic, refit topic) is computed on their
   top-``N`` term *sets*;
3. topics are matched one-to-one with the Hungarian algorithm
   (:func:`scipy.optimize.linear_sum_assignment`), maximising the total Jaccard;
4. a reference topic's stability is its matched Jaccard averaged over refits; the model's
   stability is the mean over topics (equivalently, the mean matched Jaccard).

The refits are *independent* of the reference: they run the whole fitting procedure again with
their own seed on their own subsample, so a topic scores high only if the procedure finds it
again, not because it was built from the fits it is compared with. A topic whose stability is
below :data:`MIN_TOPIC_STABILITY` (0.5: on average fewer than two thirds of its top-10 terms come
back) is reported as *unstable*. Two summaries weigh topics by their documents, because a reader
meets a topic through its documents: :func:`weighted_stability` (the size-weighted mean) and
:func:`unstable_share` (the share of documents whose dominant topic is unstable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.base import clone

__all__ = ["MIN_TOPIC_STABILITY", "weighted_stability", "unstable_share", "jaccard_matrix", "match_topics", "StabilityResult", "refit_seeds", "refit_top_terms", "summarise_stability",
           "topic_stability"]

#: A topic whose stability (mean matched Jaccard with independent refits) is below this is unstable.
MIN_TOPIC_STABILITY = 0.5


def weighted_stability(per_topic: Sequence[float], sizes: Sequence[int]) -> float:
    """Return the mean of the topics' stability weighted by their sizes (documents).

    Topics of size 0 do not count; with no document at all the plain mean is returned (NaN for
    no topic).
    """
    s = np.asarray(per_topic, dtype=float)
    w = np.asarray(sizes, dtype=float)
    if not s.size:
        return float("nan")
    return float((s * w).sum() / w.sum()) if w.sum() > 0 else float(s.mean())


def unstable_share(per_topic: Sequence[float], sizes: Sequence[int], threshold: float = MIN_TOPIC_STABILITY) -> float:
    """Return the share of documents (by dominant topic) in topics with stability below ``threshold``."""
    s = np.asarray(per_topic, dtype=float)
    w = np.asarray(sizes, dtype=float)
    if not s.size or w.sum() <= 0:
        return float("nan") if not s.size else float((s < threshold).mean())
    return float(w[s < threshold].sum() / w.sum())


def jaccard_matrix(top_a: Sequence[Sequence[str]], top_b: Sequence[Sequence[str]]) -> np.ndarray:
    """Return the Jaccard similarity of every topic of ``top_a`` with every topic of ``top_b``.

    Parameters
    ----------
    top_a, top_b : sequence of sequences of str
        Each topic's top terms; only the set of terms counts, not their order.

    Returns
    -------
    numpy.ndarray, shape (len(top_a), len(top_b))
        ``|A ∩ B| / |A ∪ B|`` (0 when both are empty).
    """
    sets_a = [set(t) for t in top_a]
    sets_b = [set(t) for t in top_b]
    out = np.zeros((len(sets_a), len(sets_b)))
    for i, a in enumerate(sets_a):
        for j, b in enumerate(sets_b):
            union = len(a | b)
            out[i, j] = len(a & b) / union if union else 0.0
    return out


def match_topics(top_a: Sequence[Sequence[str]], top_b: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Match topics of two models one-to-one so that the total Jaccard similarity is maximal.

    Parameters
    ----------
    top_a, top_b : sequence of sequences of str
        Each model's topics as top-term lists. The numbers of topics may differ; then only
        ``min(len(top_a), len(top_b))`` pairs are formed.

    Returns
    -------
    match : numpy.ndarray of int, shape (len(top_a),)
        For each topic of ``top_a`` the index of its partner in ``top_b`` (-1 if unmatched).
    similarity : numpy.ndarray, shape (len(top_a),)
        The Jaccard similarity of each matched pair (0 for unmatched topics).
    """
    sim = jaccard_matrix(top_a, top_b)
    match = np.full(len(top_a), -1, dtype=int)
    score = np.zeros(len(top_a))
    if sim.size:
        rows, cols = linear_sum_assignment(sim, maximize=True)
        match[rows] = cols
        score[rows] = sim[rows, cols]
    return match, score


@dataclass
class StabilityResult:
    """Stability of a reference model's topics across refits.

    Attributes
    ----------
    per_topic : numpy.ndarray, shape (n_topics,)
        Each reference topic's matched Jaccard, averaged over refits.
    per_refit : numpy.ndarray, shape (n_refits,)
        Mean matched Jaccard of each refit.
    seeds : list of int
        The refits' seeds.
    matches : numpy.ndarray, shape (n_refits, n_topics)
        The partner of each reference topic in each refit.
    refit_terms : list of list of list of str
        Each refit's topics as top-term lists (so other models can be compared with them).
    """

    per_topic: np.ndarray
    per_refit: np.ndarray
    seeds: list[int]
    matches: np.ndarray
    refit_terms: list = field(default_factory=list, repr=False)

    @property
    def mean(self) -> float:
        """The model's stability: mean matched Jaccard over topics and refits."""
        return float(self.per_topic.mean()) if self.per_topic.size else float("nan")


def refit_seeds(random_state: int, n_refits: int) -> list[int]:
    """Return the seeds of the stability refits: ``random_state + 1 ... random_state + n_refits``."""
    return [int(random_state) + i for i in range(1, int(n_refits) + 1)]


def refit_top_terms(model, X, *, terms: Sequence[str] | np.ndarray, seed: int, subsample: float = 0.9) -> list[list[str]]:
    """Refit ``model`` with ``seed`` on a random ``subsample`` of the documents; return its top terms.

    The subsample (drawn without replacement, rows kept in order) is a function of ``seed`` and
    the number of documents only, so a refit is reproducible on its own (e.g. in another process).
    """
    if not 0 < subsample <= 1:
        raise ValueError(f"subsample must be in (0, 1], got {subsample}")
    n_docs = X.shape[0]
    if subsample < 1:
        rng = np.random.default_rng(seed)
        rows = np.sort(rng.choice(n_docs, size=max(1, int(round(subsample * n_docs))), replace=False))
        X = X[rows]
    return clone(model).set_params(random_state=seed).fit(X, terms=terms).top_terms_


def summarise_stability(reference: Sequence[Sequence[str]], refits: Sequence[Sequence[Sequence[str]]],
                        seeds: Sequence[int]) -> StabilityResult:
    """Match ``reference`` topics with each refit's topics and average the matched Jaccard.

    Parameters
    ----------
    reference : sequence of sequences of str
        The reference model's topics as top-term lists.
    refits : sequence of topic lists
        Each refit's topics as top-term lists (see :func:`refit_top_terms`).
    seeds : sequence of int
        The refits' seeds (recorded in the result).

    Returns
    -------
    StabilityResult
    """
    n_refits = len(refits)
    per_refit = np.zeros(n_refits)
    matches = np.full((n_refits, len(reference)), -1, dtype=int)
    scores = np.zeros((n_refits, len(reference)))
    for r, topics in enumerate(refits):
        matches[r], scores[r] = match_topics(reference, topics)
        per_refit[r] = scores[r].mean() if len(reference) else np.nan
    per_topic = scores.mean(axis=0) if n_refits else np.full(len(reference), np.nan)
    return StabilityResult(per_topic=per_topic, per_refit=per_refit, seeds=[int(s) for s in seeds], matches=matches,
                           refit_terms=[[list(t) for t in topics] for topics in refits])


def topic_stability(model, X, *, terms: Sequence[str] | np.ndarray, n_refits: int = 3, subsample: float = 0.9,
                    random_state: int = 0, reference: Sequence[Sequence[str]] | None = None) -> StabilityResult:
    """Refit ``model`` with other seeds on document subsamples and measure how its topics recur.

    Parameters
    ----------
    model : TopicModel
        An estimator with a ``random_state`` parameter whose fitted form has ``top_terms_``.
        When ``reference`` is None it is fitted on the whole of ``X`` first.
    X : sparse matrix, shape (n_docs, n_terms)
        Document-term counts.
    terms : array of str
        Column names of ``X``.
    n_refits : int
        Number of refits (seeds ``random_state + 1 ... random_state + n_refits``).
    subsample : float
        Share of documents drawn without replacement for each refit (1.0: all, seeds only).
    random_state : int
        Base seed.
    reference : sequence of sequences of str, optional
        The reference topics' top terms (e.g. of an already fitted model).

    Returns
    -------
    StabilityResult
    """
    if not 0 < subsample <= 1:
        raise ValueError(f"subsample must be in (0, 1], got {subsample}")
    if reference is None:
        reference = clone(model).set_params(random_state=random_state).fit(X, terms=terms).top_terms_
    seeds = refit_seeds(random_state, n_refits)
    refits = [refit_top_terms(model, X, terms=terms, seed=seed, subsample=subsample) for seed in seeds]
    return summarise_stability(reference, refits, seeds)
