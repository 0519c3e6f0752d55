"""Choosing the number of topics k: a sweep of coherence, diversity and stability, and a rule.

For each k the model is fitted once on the whole corpus (the *reference*, seed
``random_state``) and ``n_refits`` more times with other seeds on 90 % document subsamples
(independent refits); the sweep records the reference's NPMI coherence
(:mod:`~newsscope.topics.coherence`), its topic diversity and its stability
(:mod:`~newsscope.topics.stability`): the plain mean over topics, the mean weighted by the topics'
documents, and the share of documents in unstable topics (stability < 0.5).

The rule (:func:`choose_k`), stated so that a reader can check it against the figure:

1. *admissible* k: diversity >= ``min_diversity`` (0.90: topics barely share top terms),
   size-weighted stability >= ``min_stability`` (0.80: the topics that hold the documents keep
   about nine of their ten top terms when the seed and a tenth of the documents change) and at
   most ``max_unstable_share`` (10 %) of the documents in unstable topics;
2. among admissible k, the best NPMI; every admissible k within ``npmi_tolerance`` (0.01, about
   what a change of seed moves NPMI) of it is a tie;
3. among ties, the most stable k (size-weighted); then the smaller k.

If no k is admissible, the most stable k is taken (size-weighted stability; k within 0.02 of the
best tie and go to the better NPMI, then the smaller k), among the k with enough diversity if
any; the reason says which threshold failed.

Stability is not monotone in k: a k at which the corpus's stories fall into the same groups
whatever the sample can sit next to one where two stories trade documents. The sweep therefore
uses a fine grid (:func:`~newsscope.topics.pipeline.default_k_range`), and
:func:`~newsscope.topics.pipeline.fit_topics` extends it when the chosen k lies at its edge.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone

from newsscope import cores
from newsscope.progress import progress_bar
from newsscope.topics.coherence import topic_diversity, topic_npmi
from newsscope.topics.stability import (
    MIN_TOPIC_STABILITY, StabilityResult, refit_seeds, refit_top_terms, summarise_stability, unstable_share,
    weighted_stability,
)

__all__ = ["PARALLEL_MIN_DOCS", "SELECTION_COLUMNS", "SweepResult", "sweep_k", "resolve_n_jobs", "choose_k", "merge_sweeps"]

#: From this many documents on, a sweep runs its fits on every core by default.
PARALLEL_MIN_DOCS = 2_000
#: The columns of a sweep table.
SELECTION_COLUMNS = ["k", "npmi", "diversity", "stability", "stability_weighted", "unstable_share", "npmi_min", "fit_seconds"]


@dataclass
class SweepResult:
    """What a sweep over k produced.

    Attributes
    ----------
    table : DataFrame
        One row per k: k, npmi, diversity, stability (mean over topics), stability_weighted
        (weighted by the topics' documents), unstable_share (documents in topics with stability
        < 0.5), npmi_min (worst topic), fit_seconds.
    models : dict of int to TopicModel
        The reference model of each k (fitted on the whole corpus).
    topic_npmi : dict of int to ndarray
        Each reference topic's NPMI.
    stability : dict of int to StabilityResult
        Stability details of each k.
    """

    table: pd.DataFrame
    models: dict = field(default_factory=dict)
    topic_npmi: dict = field(default_factory=dict)
    stability: dict = field(default_factory=dict)


def _fit_task(model, X, terms, k: int, seed: int, subsample: float | None):
    """One fit of a sweep: the reference model of ``k`` (``subsample`` None) or a refit's top terms.

    Returns ``(model or top terms, seconds)``; module-level so that worker processes can run it.
    """
    t0 = time.perf_counter()
    template = clone(model).set_params(n_topics=k)
    if subsample is None:
        out = template.set_params(random_state=seed).fit(X, terms=terms)
    else:
        out = refit_top_terms(template, X, terms=terms, seed=seed, subsample=subsample)
    return out, time.perf_counter() - t0


def resolve_n_jobs(n_jobs: int | None, n_docs: int) -> int:
    """Return the number of processes for a sweep: ``n_jobs``, or (None) every core from 2,000 documents up.

    Below :data:`PARALLEL_MIN_DOCS` documents a sweep takes seconds; starting worker processes would not pay. The
    workers are joblib's (loky), which need no fork (:func:`newsscope.cores.resolve_jobs`).
    """
    return cores.resolve_jobs(n_jobs, n_docs, min_items=PARALLEL_MIN_DOCS, fork=False)


def sweep_k(model, X, *, terms, k_range: Iterable[int], presence=None, n_refits: int = 3, subsample: float = 0.9,
            random_state: int = 0, n_jobs: int | None = 1, progress: bool = True) -> SweepResult:
    """Fit ``model`` for every k of ``k_range`` and measure NPMI, diversity and stability.

    Parameters
    ----------
    model : TopicModel
        Template; its ``n_topics`` and ``random_state`` are replaced.
    X : sparse matrix (n_docs, n_terms)
        Document-term counts.
    terms : array of str
        Column names.
    k_range : iterable of int
        Values of k (duplicates and k < 2 are dropped).
    presence : sparse matrix, optional
        The co-occurrence reference for NPMI (default ``X``).
    n_refits, subsample : int, float
        See :func:`~newsscope.topics.stability.topic_stability`.
    random_state : int
        Seed of the reference models (refits use the following seeds).
    n_jobs : int or None
        Processes running the fits (each fit is one task; -1: every core; None: every core from
        :data:`PARALLEL_MIN_DOCS` documents up, else 1). The result does not depend on it: every fit is seeded on
        its own.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    SweepResult
    """
    ks = sorted({int(k) for k in k_range if int(k) >= 2})
    if not ks:
        raise ValueError("k_range holds no k >= 2")
    presence = X if presence is None else presence
    seeds = refit_seeds(random_state, n_refits)
    tasks = [(k, random_state, None) for k in ks] + [(k, seed, subsample) for k in ks for seed in seeds]
    jobs = min(resolve_n_jobs(n_jobs, X.shape[0]), len(tasks))
    bar = progress_bar(total=len(tasks), desc="topic models", unit="fit") if progress else None
    outputs: list = [None] * len(tasks)
    if jobs == 1:
        for i, (k, seed, sub) in enumerate(tasks):
            outputs[i] = _fit_task(model, X, terms, k, seed, sub)
            if bar is not None:
                bar.update(1)
    else:
        from joblib import Parallel, delayed

        # the largest k first, so that no long fit starts last
        order = sorted(range(len(tasks)), key=lambda i: (-tasks[i][0], i))
        run = Parallel(n_jobs=jobs, backend="loky", return_as="generator")(
            delayed(_fit_task)(model, X, terms, *tasks[i]) for i in order)
        for i, out in zip(order, run):
            outputs[i] = out
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    result = SweepResult(table=pd.DataFrame())
    rows = []
    for j, k in enumerate(ks):
        ref, fit_s = outputs[j]
        refits = [outputs[len(ks) + j * len(seeds) + r][0] for r in range(len(seeds))]
        npmi = topic_npmi(presence, ref.top_term_indices_)
        stab = summarise_stability(ref.top_terms_, refits, seeds)
        result.models[k] = ref
        result.topic_npmi[k] = npmi
        result.stability[k] = stab
        rows.append({"k": k, "npmi": float(np.nanmean(npmi)), "diversity": topic_diversity(ref.top_terms_),
                     "stability": stab.mean, "stability_weighted": weighted_stability(stab.per_topic, ref.topic_sizes_),
                     "unstable_share": unstable_share(stab.per_topic, ref.topic_sizes_),
                     "npmi_min": float(np.nanmin(npmi)), "fit_seconds": fit_s})
    result.table = pd.DataFrame(rows, columns=SELECTION_COLUMNS)
    return result


def merge_sweeps(a: SweepResult, b: SweepResult) -> SweepResult:
    """Return one sweep holding the k of both (``b`` wins for a k in both), rows sorted by k."""
    table = pd.concat([a.table[~a.table["k"].isin(b.table["k"])], b.table], ignore_index=True)
    return SweepResult(table=table.sort_values("k", kind="stable").reset_index(drop=True),
                       models={**a.models, **b.models}, topic_npmi={**a.topic_npmi, **b.topic_npmi},
                       stability={**a.stability, **b.stability})


def choose_k(table: pd.DataFrame, *, min_diversity: float = 0.90, min_stability: float = 0.80,
             max_unstable_share: float = 0.10, npmi_tolerance: float = 0.01,
             stability_tolerance: float = 0.02) -> tuple[int, str]:
    """Choose k from a sweep table by the rule in the module docstring.

    Parameters
    ----------
    table : DataFrame
        Columns k, npmi, diversity and stability_weighted (or stability), unstable_share
        (optional: without it that condition is not checked).
    min_diversity, min_stability, max_unstable_share, npmi_tolerance : float
        The rule's thresholds (``min_stability`` applies to the size-weighted stability).
    stability_tolerance : float
        When no k is admissible: k within this much of the most stable k tie.

    Returns
    -------
    k : int
    reason : str
        One sentence naming the rule's outcome with the numbers.
    """
    if table.empty:
        raise ValueError("the sweep table is empty")
    t = table.sort_values("k").reset_index(drop=True)
    stab = t["stability_weighted"] if "stability_weighted" in t else t["stability"]
    t = t.assign(_stab=stab.astype(float),
                 _unstable=t["unstable_share"].astype(float) if "unstable_share" in t else 0.0)
    div_ok = t["diversity"] >= min_diversity
    stab_ok = t["_stab"] >= min_stability
    share_ok = t["_unstable"] <= max_unstable_share
    pool = t[div_ok & stab_ok & share_ok]
    rule = (f"rule: best NPMI among k with diversity >= {min_diversity:.2f}, size-weighted stability >= "
            f"{min_stability:.2f} and at most {max_unstable_share:.0%} of documents in unstable topics; ties within "
            f"{npmi_tolerance:.2f} NPMI go to the more stable, then smaller k")
    if not pool.empty:
        best = pool["npmi"].max()
        ties = pool[pool["npmi"] >= best - npmi_tolerance].sort_values(["_stab", "k"], ascending=[False, True], kind="stable")
        note = ""
        others = [int(x) for x in ties["k"].iloc[1:]]
        if others:
            note = f"; tied on NPMI: k={', '.join(map(str, others))} (less stable or larger)"
    else:
        fails = [name for name, ok in ((f"diversity >= {min_diversity:.2f}", div_ok),
                                       (f"size-weighted stability >= {min_stability:.2f}", stab_ok),
                                       (f"at most {max_unstable_share:.0%} of documents in unstable topics", share_ok))
                 if not ok.any()]
        if not fails:
            fails = ["all three conditions together"]
        base = t[div_ok] if div_ok.any() else t
        top = base["_stab"].max()
        ties = base[base["_stab"] >= top - stability_tolerance].sort_values(["npmi", "k"], ascending=[False, True], kind="stable")
        note = (f"; NO k met the rule (none reached {' or '.join(fails)}), so the most stable k was taken "
                f"(k within {stability_tolerance:.2f} of the best size-weighted stability tie and go to the better NPMI)")
    row = ties.iloc[0]
    k = int(row["k"])
    reason = (f"k={k}: NPMI {row['npmi']:.3f}, diversity {row['diversity']:.2f}, size-weighted stability {row['_stab']:.2f}, "
              f"{row['_unstable']:.0%} of documents in unstable topics; {rule}{note}")
    return k, reason
