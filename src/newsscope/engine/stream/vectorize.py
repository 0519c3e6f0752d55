"""Vectorize a partitioned cleaned table into document-term blocks on an engine.

The driver fits the vectorizer's phrases on a seeded sample, every task analyses one part of the
cleaned table (it reads the part's file and writes the part's counts), the driver sums the parts'
term tables into the corpus vocabulary, and every task writes its block over that vocabulary
(:mod:`newsscope.vectorize.blocks` has the steps). The driver holds the sample and the term table,
never the corpus' texts. When the sample is the whole analysis set the fit's own matrix is cut
into the blocks (in the driver: the corpus is then no bigger than ``fit_sample``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from newsscope.engine.base import Engine, engine_scope
from newsscope.parts import PartStore, check_disk
from newsscope.vectorize import NewsVectorizer
from newsscope.vectorize import blocks as vb

__all__ = ["vectorize_parts"]


def vectorize_parts(clean: PartStore, root: str | Path, *, fit_sample: int = 100_000, random_state: int = 0,
                    engine: str | Engine | Any = None, progress: bool = True, **vectorizer_params: Any) -> vb.DTMBlocks:
    """Write the document-term matrix of the analysis set of ``clean`` as one block per part.

    Parameters
    ----------
    clean : PartStore
        The cleaned table, every row with ``status`` (the analysis set is the ``kept`` rows).
    root : str or Path
        The blocks folder (e.g. ``<run>/dtm``); replaced if it exists.
    fit_sample : int
        Phrases, compounds and outlet names are learnt from at most this many analysis rows
        (seeded; the whole analysis set when smaller: then the blocks stacked are
        :func:`newsscope.vectorize.build_dtm`'s matrix exactly). The vocabulary always comes from
        the document frequencies of the whole corpus.
    random_state : int
        Seed of the sample.
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`. Tasks read and write files under ``root``: on a
        cluster, ``clean`` and ``root`` must be on a file system every worker sees.
    progress : bool
        Progress bars.
    **vectorizer_params
        :class:`~newsscope.vectorize.NewsVectorizer` parameters.

    Returns
    -------
    DTMBlocks
        Block k holds part k's analysis rows, in order.
    """
    root = Path(root)
    t0 = time.perf_counter()
    # blocks take about 0.8 times the cleaned parts' bytes (built-in and generated corpora), the
    # parts' counts as much again until each block is written
    clean_bytes = sum(clean.part_path(k).stat().st_size for k in range(clean.n_parts))
    check_disk(root, 1.8 * clean_bytes, what="the document-term blocks", setting="the run folder (root)")
    counts = vb.analysis_counts(clean)
    n_docs = int(counts.sum())
    sample = vb.read_fit_sample(clean, fit_sample, random_state, counts=counts)
    vec = NewsVectorizer(**vectorizer_params)
    vb.start_blocks(root)
    if len(sample) == n_docs:  # the sample is the corpus: the fit counts every document already
        X = vec.fit_transform(sample)
        del sample
        t_fit = time.perf_counter() - t0
        terms = vec.get_feature_names_out()
        summaries = vb.write_fitted_blocks(clean, root, X)
        del X
    else:
        vec.fit(sample)
        del sample
        t_fit = time.perf_counter() - t0
        items = [(k, str(clean.part_path(k))) for k in range(clean.n_parts)]
        with engine_scope(engine, progress=progress) as eng:
            eng.gather(eng.map(vb.count_part, items, eng.scatter(vec), str(root), desc="vectorize: counts"))
            terms = vb.set_vocabulary(vec, vb.reduce_term_counts(root, len(items)), n_docs)
            summaries = eng.gather(eng.map(vb.finish_part, list(range(len(items))), eng.scatter(terms), str(root),
                                           vec.dtype, desc="vectorize: blocks"))
    meta = {"fit_sample": int(fit_sample), "random_state": int(random_state), "fit_rows": int(min(fit_sample, n_docs)),
            "params": {k: repr(v) for k, v in vec.get_params().items()},
            "seconds": {"fit": round(t_fit, 2), "total": round(time.perf_counter() - t0, 2)}}
    return vb.finish_blocks(root, vec, terms, summaries, meta)
