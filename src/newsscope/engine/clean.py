"""Cleaning on an engine: the per-article work in partitions, the corpus-wide decisions from merged counts.

:func:`clean_articles` gives the same :class:`~newsscope.clean.CleanResult` as
:func:`newsscope.clean.clean_articles` (the equivalence test in ``tests/test_engine_dask.py``
checks every table), with the work split as follows.

In partitions (tasks, see :mod:`newsscope.engine.clean_tasks`)
    quote and character repairs, datelines/bylines/credits, stray and glued hyphens, whitespace,
    boilerplate stripping, word counts, lost characters, language identification, shingles and
    MinHash signatures, exact-duplicate keys.
Reduced from partitions (merged counts, learnt once)
    the boilerplate n-grams per outlet (distinct bodies counted once), the field counts, the
    accented and damaged word counts the lost-letter model is fitted on
    (:class:`newsscope.clean.letters.LostLetterModel`).
In the driver
    the glued-hyphen model (``GluedHyphenModel.fit`` on the repaired bodies, titles and
    standfirsts gathered from the partitions: its three counting passes depend on each other and
    the model is still evolving, so the stage's own ``fit`` is called); near-duplicate candidates
    by LSH over the signatures (64 numbers per article; only the shingle sets of candidate pairs
    are fetched for the exact Jaccard check); date outliers, the funnel decisions, duplicate
    clusters, the report tables.

:func:`clean_corpus` and :func:`load_clean` are :func:`newsscope.clean.clean_corpus` /
:func:`newsscope.clean.load_clean` with the engine chosen here (argument or ``NEWSSCOPE_ENGINE``):
the stage keeps its cache (one key, one entry) and calls back :func:`run_clean` for a missing
result, with page corpora parsed on the engine too.
"""

from __future__ import annotations

import inspect
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope import corpus as corpus_mod
from newsscope.clean import boilerplate as bp
from newsscope.clean import dedup, letters
from newsscope.clean import loading as clean_loading
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.phases import ROW_COLUMNS
from newsscope.clean.result import MEASURE_COLUMNS, CleanResult, decide_status, fill_columns, finish_result
from newsscope.clean.settings import CleanSettings
from newsscope.engine import clean_tasks as ct
from newsscope.engine.base import Engine, engine_requested, engine_scope
from newsscope.engine.parse import PARSE_PARTITION, read_corpus

__all__ = ["CLEAN_PARTITION", "clean_articles", "run_clean", "clean_corpus", "load_clean", "near_pairs_from_signatures"]

#: Articles per cleaning task.
CLEAN_PARTITION = 1000
_MARGIN = inspect.signature(dedup.near_duplicate_pairs).parameters["margin"].default


def _hyphen_model(eng: Engine, bundles: list[Any], s: CleanSettings) -> GluedHyphenModel:
    """Fit the glued-hyphen model in the driver, on the texts in the order the stage uses."""
    parts = eng.gather(eng.map(ct.hyphen_inputs, bundles))
    texts = [t for p in parts for t in p[0]]
    titles = [t for p in parts for t in p[1]]
    standfirsts = [t for p in parts for t in p[2]]
    sources = [g for p in parts for g in p[3]]
    fit_texts = texts + titles + [x for x in standfirsts if isinstance(x, str)]
    fit_groups = sources + sources + [g for g, x in zip(sources, standfirsts) if isinstance(x, str)]
    return GluedHyphenModel(compound_prior=s.hyphen_compound_prior, content_prior=s.hyphen_content_prior).fit(fit_texts, fit_groups)


def _near_pairs(eng: Engine, shingles: list[Any], bounds: list[tuple[int, int]], s: CleanSettings,
                active: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`newsscope.clean.dedup.near_duplicate_pairs` over partitioned shingles."""
    parts = eng.gather(eng.map(ct.signatures, shingles))
    sig = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, s.num_perm), np.uint32)
    sizes = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    return near_pairs_from_signatures(eng, sig, sizes, shingles, bounds, s, active)


def near_pairs_from_signatures(eng: Engine, sig: np.ndarray, sizes: np.ndarray, shingles: list[Any],
                               bounds: list[tuple[int, int]], s: CleanSettings, active: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`newsscope.clean.dedup.near_duplicate_pairs` from every article's signature, shingle sets fetched for candidates only.

    Parameters
    ----------
    eng : Engine
    sig, sizes : numpy.ndarray
        MinHash signature (``n x num_perm``) and number of shingles of every article.
    shingles : list
        Per partition, what :func:`newsscope.engine.clean_tasks.shingle_subset` reads the
        partition's shingle sets from (a handle to them, or the path of their ``.npz`` file).
    bounds : list of (int, int)
        The partitions' row ranges.
    s : CleanSettings
    active : numpy.ndarray of bool, optional
        Only these articles take part.
    """
    act = sizes >= s.min_shingles
    if active is not None:
        act &= np.asarray(active, dtype=bool)
    cand = dedup.lsh_candidates(sig, bands=s.lsh_bands, max_bucket=s.max_bucket, active=act)
    empty = pd.DataFrame({"i": np.zeros(0, np.int64), "j": np.zeros(0, np.int64), "jaccard": np.zeros(0), "estimate": np.zeros(0)})
    if len(cand) == 0:
        return empty
    est = dedup.estimate_jaccard(sig, cand)
    keep = est >= s.near_duplicate_threshold - _MARGIN
    cand2, est2 = cand[keep], est[keep]
    needed = np.unique(cand2)
    # fetch the shingle sets of the candidates only, partition by partition
    starts = np.array([lo for lo, _ in bounds])
    owner = np.searchsorted(starts, needed, side="right") - 1
    fetch = [(k, needed[owner == k]) for k in range(len(bounds)) if (owner == k).any()]
    got = eng.gather([eng.submit(ct.shingle_subset, shingles[k], idx - bounds[k][0]) for k, idx in fetch])
    sets = [a for chunk in got for a in chunk]
    values = np.concatenate(sets) if sets else np.zeros(0, np.uint32)
    offsets = np.concatenate([[0], np.cumsum([len(a) for a in sets])]).astype(np.int64)
    local = np.searchsorted(needed, cand2)
    jac = dedup.jaccard_pairs(values, offsets, local)
    ok = jac >= s.near_duplicate_threshold
    df = pd.DataFrame({"i": cand2[ok, 0], "j": cand2[ok, 1], "jaccard": jac[ok], "estimate": est2[ok]})
    return df.sort_values(["i", "j"], kind="mergesort").reset_index(drop=True)


def _boilerplate(eng: Engine, bundles: list[Any], bounds: list[tuple[int, int]], counted: np.ndarray,
                 s: CleanSettings) -> bp.BoilerplateDetector:
    """Fit the boilerplate detector: each outlet's distinct bodies counted once, in one partition."""
    det = bp.BoilerplateDetector(ngram=s.boilerplate_ngram, min_docs=s.boilerplate_min_docs, min_share=s.boilerplate_min_share,
                                 edge_tokens=s.boilerplate_edge_tokens, min_span=s.boilerplate_min_span)
    keys = eng.gather([eng.submit(ct.boilerplate_keys, b, counted[lo:hi]) for b, (lo, hi) in zip(bundles, bounds)])
    seen: set[tuple[str, str]] = set()
    docs: Counter = Counter()
    owned: list[list[int]] = []
    for part in keys:
        mine = []
        for i, g, digest in part:
            if (g, digest) in seen:
                continue
            seen.add((g, digest))
            docs[g] += 1
            mine.append(i)
        owned.append(mine)
    d = eng.scatter(det)
    grams = [eng.submit(ct.boilerplate_grams, b, np.asarray(o, dtype=np.int64), d) for b, o in zip(bundles, owned)]
    merged = eng.reduce(ct.merge_nested, grams, gather=False)
    det.n_docs_ = dict(docs)
    frequent = eng.gather(eng.submit(ct.frequent_grams, merged, dict(docs), d))
    det.lines_ = {g: {k[1] for k in grams if len(k) == 2 and k[0] == ct.LINE_MARK} for g, grams in frequent.items()}
    det.lines_ = {g: keys for g, keys in det.lines_.items() if keys}
    det.frequent_ = {g: {k for k in grams if not (len(k) == 2 and k[0] == ct.LINE_MARK)} for g, grams in frequent.items()}
    return det


def clean_articles(raw: pd.DataFrame, settings: CleanSettings | None = None, *, rejected: pd.DataFrame | None = None,
                   engine: str | Engine | Any = None, partition_size: int = CLEAN_PARTITION, progress: bool = True,
                   **engine_options: Any) -> CleanResult:
    """Clean an article table on an engine; the same result as :func:`newsscope.clean.clean_articles`.

    Parameters
    ----------
    raw : pandas.DataFrame
        An article table.
    settings : CleanSettings, optional
    rejected : pandas.DataFrame, optional
        Inputs rejected before parsing (origin, reason, detail).
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`.
    partition_size : int
        Articles per task.
    progress : bool
        Progress bars (stderr).
    **engine_options
        For a named engine (``scheduler``, ``n_workers``, ...).

    Returns
    -------
    CleanResult
        ``timings`` holds the engine's step times (seconds) instead of the sequential ones.
    """
    with engine_scope(engine, progress=progress, **engine_options) as eng:
        return _clean(eng, raw, settings or CleanSettings(), rejected, partition_size)


def _clean(eng: Engine, raw: pd.DataFrame, s: CleanSettings, rejected: pd.DataFrame | None, size: int) -> CleanResult:
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    df = corpus_mod.conform_articles(raw).copy()
    n = len(df)
    df["text_raw"] = df["text"]
    bounds = eng.partitions(n, size) or [(0, 0)]
    ss = eng.scatter(s)
    bundles = eng.map(ct.repair_and_extract, [df.iloc[lo:hi][ROW_COLUMNS] for lo, hi in bounds], ss,
                      desc="clean: repairs and fields")
    timings["repairs_fields"] = time.perf_counter() - t_start

    t0 = time.perf_counter()
    model = _hyphen_model(eng, bundles, s) if s.repair_text and n else None
    letter_model = None
    if s.repair_text and n:  # lost letters: the partitions' word counts summed, the model fitted here
        counts = letters.LetterCounts.merge(eng.gather(eng.map(letters.count_bundle, bundles)))
        letter_model = letters.LostLetterModel(text_language=s.language).fit_counts(counts)
    bundles = eng.map(ct.repair_hyphens, bundles, eng.scatter(model), ss, eng.scatter(letter_model),
                      desc="clean: glued hyphens, lost letters")
    timings["repair_hyphens"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    det = None
    if s.boilerplate:
        shingles = eng.map(ct.shingle_partition, bundles, ss, desc="clean: shingles")
        pre_pairs = _near_pairs(eng, shingles, bounds, s)
        eng.release(shingles)
        prelim = dedup.cluster_greedy(n, pre_pairs, np.arange(n))
        det = _boilerplate(eng, bundles, bounds, prelim == np.arange(n), s)
    bundles = eng.map(ct.finish_partition, bundles, eng.scatter(det), ss, desc="clean: boilerplate, language")
    shingles = eng.map(ct.shingle_partition, bundles, ss, desc="clean: shingles")
    timings["boilerplate_measures"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    parts = eng.gather(bundles)
    eng.release(bundles)

    cols = {k: [x for p in parts for x in p[k]] for k in ("texts", "titles", "standfirsts", "captions", "datelines", "authors",
                                                         "contributors", "credits", "removed", "rule_counts", "exact_key", "unresolved",
                                                         *MEASURE_COLUMNS)}
    field_counter: Counter = Counter()
    for p in parts:
        field_counter.update(p["field_counter"])
    del parts
    fill_columns(df, cols, s)
    exact_keys, rule_counts, removed_bp = cols["exact_key"], cols["rule_counts"], cols["removed"]
    del cols

    # 6. decisions (the stage's own) ------------------------------------------------------------
    codes = np.asarray(pd.factorize(pd.Series(exact_keys, dtype="object"), sort=False)[0]) if n else np.zeros(0, np.int64)
    groups = np.where(np.array([k == "" for k in exact_keys], dtype=bool), -1, codes)
    status = decide_status(df, s, groups, lambda active: _near_pairs(eng, shingles, bounds, s, active=active))
    eng.release(shingles)
    timings["decisions"] = time.perf_counter() - t0
    result = finish_result(df, s, status, rule_counts, field_counter, removed_bp, model, rejected, letter_model)
    timings["total"] = time.perf_counter() - t_start
    result.timings = timings
    return result


def run_clean(corpus: str | Path, settings: CleanSettings, *, manifest: str | Path | None = None,
              columns: dict[str, str] | None = None, engine: str | Engine | Any = None,
              partition_size: int = CLEAN_PARTITION, parse_partition_size: int = PARSE_PARTITION,
              **engine_options: Any) -> CleanResult:
    """Read and clean a corpus on an engine, not cached: the ``compute`` step of ``clean_corpus``.

    The ``compute`` hook :func:`clean_corpus` gives :func:`newsscope.clean.clean_corpus` for an
    engine, instead of ``read_corpus`` + ``clean_articles``; the result (and so the cache entry)
    is the same.
    """
    with engine_scope(engine, **engine_options) as eng:
        loaded = read_corpus(corpus, manifest=manifest, columns=columns, engine=eng, partition_size=parse_partition_size)
        result = _clean(eng, loaded.articles, settings, loaded.rejected, partition_size)
    result.articles.attrs = {}
    return result


def _compute(engine: str | Engine | Any, partition_size: int, parse_partition_size: int,
             engine_options: dict[str, Any] | None) -> Callable[..., CleanResult] | None:
    """The ``compute`` hook for the stage's cache: :func:`run_clean` on ``engine``, or None (this process)."""
    if not engine_requested(engine) and not (engine is None and (engine_options or {}).get("scheduler")):
        return None  # a scheduler address alone selects "dask", as in get_engine

    def compute(corpus: str | Path, settings: CleanSettings, *, manifest: str | Path | None = None,
                columns: dict[str, str] | None = None) -> CleanResult:
        return run_clean(corpus, settings, manifest=manifest, columns=columns, engine=engine, partition_size=partition_size,
                         parse_partition_size=parse_partition_size, **(engine_options or {}))

    return compute


def clean_corpus(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None,
                 columns: dict[str, str] | None = None, refresh: bool = False, engine: str | Engine | Any = None,
                 n_jobs: int | None = None, partition_size: int = CLEAN_PARTITION, parse_partition_size: int = PARSE_PARTITION,
                 engine_options: dict[str, Any] | None = None, **settings: Any) -> CleanResult:
    """:func:`newsscope.clean.clean_corpus` with the engine chosen here (same cache entry, same result).

    Parameters
    ----------
    corpus, manifest, columns, refresh, n_jobs, **settings
        As for :func:`newsscope.clean.clean_corpus`.
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`. Used only when the result is not cached. None:
        the environment variable ``NEWSSCOPE_ENGINE``; None or ``"local"`` (and the variable unset
        or ``local``): the stage's own code in this process (``n_jobs`` processes); otherwise
        parsing and cleaning in partitions on the engine (:func:`run_clean`).
    partition_size, parse_partition_size : int
        Articles per cleaning task, files per parsing task.
    engine_options : dict, optional
        For a named engine (``scheduler``, ``n_workers``, ...).
    """
    return clean_loading.clean_corpus(corpus, manifest=manifest, columns=columns, refresh=refresh, n_jobs=n_jobs,
                                      compute=_compute(engine, partition_size, parse_partition_size, engine_options),
                                      **settings)


def load_clean(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None,
               columns: dict[str, str] | None = None, include_removed: bool = False, engine: str | Engine | Any = None,
               n_jobs: int | None = None, engine_options: dict[str, Any] | None = None, **settings: Any) -> pd.DataFrame:
    """:func:`newsscope.clean.load_clean` with the engine chosen here (same table, same cache).

    Parameters
    ----------
    corpus, manifest, columns, include_removed, n_jobs, **settings
        As for :func:`newsscope.clean.load_clean`.
    engine : str, Engine or distributed.Client, optional
        Where a missing result is computed (see :func:`clean_corpus`; default ``NEWSSCOPE_ENGINE``,
        else this process).
    engine_options : dict, optional
        For a named engine (``scheduler``, ``n_workers``, ...).
    """
    return clean_loading.load_clean(corpus, manifest=manifest, columns=columns, include_removed=include_removed, n_jobs=n_jobs,
                                    compute=_compute(engine, CLEAN_PARTITION, PARSE_PARTITION, engine_options), **settings)
