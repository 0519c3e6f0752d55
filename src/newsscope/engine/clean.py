"""Cleaning on an engine: the per-article work in partitions, the corpus-wide decisions from merged counts.

:func:`clean_articles` gives the same :class:`~newsscope.clean.CleanResult` as
:func:`newsscope.clean.clean_articles` (the equivalence test in ``tests/test_engine_dask.py``
checks every table), with the work split as follows.

In partitions (tasks, see :mod:`newsscope.engine.clean_tasks`)
    quote and character repairs, datelines/bylines/credits, stray and glued hyphens, whitespace,
    boilerplate stripping, word counts, lost characters, language identification, shingles and
    MinHash signatures, exact-duplicate keys.
Reduced from partitions (merged counts, learnt once)
    the boilerplate n-grams per outlet (distinct bodies counted once), the field counts.
In the driver
    the glued-hyphen model (``GluedHyphenModel.fit`` on the repaired bodies, titles and
    standfirsts gathered from the partitions: its three counting passes depend on each other and
    the model is still evolving, so the stage's own ``fit`` is called); near-duplicate candidates
    by LSH over the signatures (64 numbers per article; only the shingle sets of candidate pairs
    are fetched for the exact Jaccard check); date outliers, the funnel decisions, duplicate
    clusters, the report tables.

:func:`clean_corpus` and :func:`load_clean` mirror :func:`newsscope.clean.clean_corpus` /
:func:`newsscope.clean.load_clean` and share their cache entries (same key: the result is the
same), with page corpora parsed on the engine too.
"""

from __future__ import annotations

import inspect
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope import cache
from newsscope import corpus as corpus_mod
from newsscope.clean import boilerplate as bp
from newsscope.clean import dates as dates_mod
from newsscope.clean import dedup, repair
from newsscope.clean import pipeline as clean_pipeline
from newsscope.clean.funnel import build_funnel
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.pipeline import EXTRA_COLUMNS, CleanResult
from newsscope.clean.settings import CleanSettings
from newsscope.engine import clean_tasks as ct
from newsscope.engine.base import Engine, engine_scope
from newsscope.engine.parse import PARSE_PARTITION, read_corpus

__all__ = ["CLEAN_PARTITION", "clean_articles", "run_clean", "clean_corpus", "load_clean"]

#: Articles per cleaning task.
CLEAN_PARTITION = 1000
_MARGIN = inspect.signature(dedup.near_duplicate_pairs).parameters["margin"].default
_ROW_COLUMNS = ["text", "title", "standfirst", "captions", "dateline", "authors", "source"]


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
    act = sizes >= s.min_shingles
    if active is not None:
        act &= np.asarray(active, dtype=bool)
    cand = dedup.lsh_candidates(sig, bands=s.lsh_bands, max_bucket=s.max_bucket, active=act)
    empty = pd.DataFrame({"i": np.zeros(0, np.int64), "j": np.zeros(0, np.int64), "jaccard": np.zeros(0), "estimate": np.zeros(0)})
    if len(cand) == 0:
        return empty
    est = (sig[cand[:, 0]] == sig[cand[:, 1]]).mean(axis=1)
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
    det.frequent_ = eng.gather(eng.submit(ct.frequent_grams, merged, dict(docs), d))
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
    bundles = eng.map(ct.repair_and_extract, [df.iloc[lo:hi][_ROW_COLUMNS] for lo, hi in bounds], ss,
                      desc="clean: repairs and fields")
    timings["repairs_fields"] = time.perf_counter() - t_start

    t0 = time.perf_counter()
    model = _hyphen_model(eng, bundles, s) if s.repair_text and n else None
    bundles = eng.map(ct.repair_hyphens, bundles, eng.scatter(model), ss, desc="clean: glued hyphens")
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

    def col(key: str) -> list:
        return [x for p in parts for x in p[key]]

    texts = col("texts")
    df["text"] = texts
    df["title"] = col("titles")
    df["standfirst"] = [x if isinstance(x, str) and x else None for x in col("standfirsts")]
    df["captions"] = col("captions")
    df["dateline"] = col("datelines")
    df["authors"] = col("authors")
    df["contributors"] = col("contributors")
    df["credits"] = col("credits")
    removed_bp = col("removed")
    df["boilerplate_removed"] = removed_bp
    rule_counts = col("rule_counts")
    field_counter: Counter = Counter()
    for p in parts:
        field_counter.update(p["field_counter"])
    df["n_words"] = col("n_words")
    lost = col("lost")
    df["n_replacement_chars"] = [a for a, _ in lost]
    df["n_lost_chars"] = [b for _, b in lost]
    df["language"] = col("language")
    df["language_confidence"] = col("language_confidence")
    df["date_status"] = dates_mod.date_status(df["published"], df["warnings"], window_days=s.date_window_days,
                                              min_neighbours=s.date_min_neighbours,
                                              min_neighbour_share=s.date_min_neighbour_share).to_numpy()
    order_rules = {r: k for k, r in enumerate(repair.RULES)}
    df["repairs"] = [sorted((r for r, c in rc.items() if c), key=lambda r: order_rules.get(r, 99)) for rc in rule_counts]
    df["n_repairs"] = [int(sum(rc.values())) for rc in rule_counts]
    exact_keys = col("exact_key")
    del parts

    # 6. decisions (as newsscope.clean.pipeline.clean_articles) --------------------------------
    status = np.array(["kept"] * n, dtype=object)
    nw = df["n_words"].to_numpy()
    status[nw == 0] = "empty"
    status[(status == "kept") & (nw < s.min_words)] = "too_short"
    other_lang = (df["language"] != s.language).to_numpy() & (df["language_confidence"] >= s.language_min_confidence).to_numpy()
    status[(status == "kept") & other_lang] = "other_language"
    if s.drop_date_outliers:
        status[(status == "kept") & (df["date_status"] == "outlier").to_numpy()] = "date_outlier"
    pub_key = df["published"].fillna(pd.Timestamp.max).to_numpy()
    priority = np.lexsort((df["doc_id"].to_numpy().astype(str), -nw, pub_key))
    rank = np.empty(n, dtype=np.int64)
    rank[priority] = np.arange(n)
    duplicate_of = np.array([None] * n, dtype=object)
    similarity = np.full(n, np.nan)
    active = status == "kept"
    codes = np.asarray(pd.factorize(pd.Series(exact_keys, dtype="object"), sort=False)[0]) if n else np.zeros(0, np.int64)
    groups = np.where(np.array([k == "" for k in exact_keys], dtype=bool), -1, codes)
    best: dict[int, int] = {}
    for p in priority:
        if active[p] and groups[p] >= 0:
            g = groups[p]
            if g in best:
                status[p] = "exact_duplicate"
                duplicate_of[p] = df.at[best[g], "doc_id"]
                similarity[p] = 1.0
            else:
                best[g] = p
    active = status == "kept"
    pairs = _near_pairs(eng, shingles, bounds, s, active=active)
    eng.release(shingles)
    canon = dedup.cluster_greedy(n, pairs, rank)
    sim_of = {}
    for i, j, jac in zip(pairs["i"], pairs["j"], pairs["jaccard"]):
        sim_of[(int(i), int(j))] = sim_of[(int(j), int(i))] = float(jac)
    for q in np.where(canon != np.arange(n))[0]:
        status[q] = "near_duplicate"
        duplicate_of[q] = df.at[int(canon[q]), "doc_id"]
        similarity[q] = sim_of[(int(q), int(canon[q]))]
    # an exact duplicate of a row later merged as a near duplicate points at that row's canonical one
    doc_ids = df["doc_id"].tolist()
    id_pos_all = {d: k for k, d in enumerate(doc_ids)}
    for k in range(n):
        target = duplicate_of[k]
        seen = {doc_ids[k]}
        while target is not None and duplicate_of[id_pos_all[target]] is not None and target not in seen:
            seen.add(target)
            target = duplicate_of[id_pos_all[target]]
        duplicate_of[k] = target
    df["status"] = status
    df["duplicate_of"] = duplicate_of
    df["similarity"] = similarity
    copies = np.where(status == "kept", 1, 0)
    id_pos = {d: k for k, d in enumerate(df["doc_id"])}
    for d in duplicate_of:
        if d is not None:
            copies[id_pos[d]] += 1
    df["copies"] = copies
    timings["decisions"] = time.perf_counter() - t0
    result = _finish(df, n, s, status, rule_counts, field_counter, removed_bp, model, rejected)
    timings["total"] = time.perf_counter() - t_start
    result.timings = timings
    return result


def _finish(df: pd.DataFrame, n: int, s: CleanSettings, status: np.ndarray, rule_counts: list[Counter],
            field_counter: Counter, removed_bp: list[str], model: GluedHyphenModel | None,
            rejected: pd.DataFrame | None) -> CleanResult:
    """Warnings, rejected inputs and report tables (as the end of ``newsscope.clean.clean_articles``)."""
    new_warn = []
    for w, nrep, ds, lang, conf, st in zip(df["warnings"], df["n_replacement_chars"], df["date_status"], df["language"],
                                          df["language_confidence"], status):
        w = list(w)
        if nrep:
            w.append(f"{nrep} replacement character(s) U+FFFD: text lost in the source")
        if ds == "outlier":
            w.append("date outlier: few other articles within the date window")
        if lang and lang != s.language and conf < s.language_min_confidence and st == "kept":
            w.append(f"language uncertain: {lang} ({conf:.2f})")
        new_warn.append(w)
    df["warnings"] = new_warn
    rej = rejected if rejected is not None else pd.DataFrame(columns=["origin", "reason", "detail"])
    if len(rej):
        rrows = corpus_mod.conform_articles(pd.DataFrame({
            "origin": rej["origin"].astype(str).to_numpy(),
            "warnings": [[f"rejected: {r}" + (f" ({d})" if isinstance(d, str) and d else "")]
                         for r, d in zip(rej["reason"], rej.get("detail", [""] * len(rej)))],
        }))
        rrows["text_raw"] = ""
        rrows["status"] = ["rejected: " + str(r) for r in rej["reason"]]
        for c, val in (("duplicate_of", None), ("similarity", np.nan), ("copies", 0), ("language", ""),
                       ("language_confidence", 0.0), ("n_words", 0), ("n_replacement_chars", 0), ("n_lost_chars", 0),
                       ("n_repairs", 0), ("boilerplate_removed", ""), ("date_status", "missing")):
            rrows[c] = val
        for c in ("repairs", "contributors", "credits"):
            rrows[c] = [[] for _ in range(len(rrows))]
        df = pd.concat([df, rrows], ignore_index=True)
    cols = corpus_mod.ARTICLE_COLUMNS + EXTRA_COLUMNS + ["text_raw"]
    df = df[cols + [c for c in df.columns if c not in cols]]
    df["copies"] = df["copies"].astype(int)
    df["n_words"] = df["n_words"].astype(int)
    funnel = build_funnel(df["status"], s)
    repairs_tbl = clean_pipeline._repair_table(rule_counts, df["doc_id"].iloc[:n].tolist())
    bp_tbl = bp.summarize_removed(pd.DataFrame({"source": df["source"].iloc[:n], "doc_id": df["doc_id"].iloc[:n],
                                                "removed": removed_bp})) if s.boilerplate else \
        pd.DataFrame(columns=["source", "passage", "articles"])
    field_tbl = pd.DataFrame(sorted(field_counter.items(), key=lambda kv: (-kv[1], kv[0])), columns=["field", "articles"])
    return CleanResult(articles=df, funnel=funnel, repairs=repairs_tbl[0], repair_counts=repairs_tbl[1],
                       field_counts=field_tbl, boilerplate=bp_tbl, duplicates=clean_pipeline._duplicate_table(df),
                       hyphens=model, rejected=rej.reset_index(drop=True), settings=s.to_dict())


def run_clean(corpus: str | Path, settings: CleanSettings, *, manifest: str | Path | None = None,
              columns: dict[str, str] | None = None, engine: str | Engine | Any = None,
              partition_size: int = CLEAN_PARTITION, parse_partition_size: int = PARSE_PARTITION,
              **engine_options: Any) -> CleanResult:
    """Read and clean a corpus on an engine, not cached: the ``compute`` step of ``clean_corpus``.

    The hook for :func:`newsscope.clean.loading.clean_corpus`: with an engine it can call
    ``run_clean(corpus, s, manifest=..., columns=..., engine=engine)`` instead of
    ``read_corpus`` + ``clean_articles``; the result (and so the cache entry) is the same.
    """
    with engine_scope(engine, **engine_options) as eng:
        loaded = read_corpus(corpus, manifest=manifest, columns=columns, engine=eng, partition_size=parse_partition_size)
        result = _clean(eng, loaded.articles, settings, loaded.rejected, partition_size)
    result.articles.attrs = {}
    return result


def clean_corpus(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None,
                 columns: dict[str, str] | None = None, refresh: bool = False, engine: str | Engine | Any = None,
                 partition_size: int = CLEAN_PARTITION, parse_partition_size: int = PARSE_PARTITION,
                 engine_options: dict[str, Any] | None = None, **settings: Any) -> CleanResult:
    """:func:`newsscope.clean.clean_corpus` on an engine (parsing and cleaning partitioned; same cache).

    Parameters
    ----------
    corpus, manifest, columns, refresh, **settings
        As for :func:`newsscope.clean.clean_corpus`.
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`. Used only when the result is not cached.
    partition_size, parse_partition_size : int
        Articles per cleaning task, files per parsing task.
    engine_options : dict, optional
        For a named engine (``scheduler``, ``n_workers``, ...).
    """
    s = CleanSettings.from_kwargs(**settings)
    kind = corpus_mod.resolve_spec(corpus)[0]
    key = {"corpus": corpus_mod.fingerprint_corpus(corpus, manifest=manifest, columns=columns), "settings": s.to_dict(),
           "code": clean_pipeline.code_version(kind)}

    def compute() -> CleanResult:
        return run_clean(corpus, s, manifest=manifest, columns=columns, engine=engine, partition_size=partition_size,
                         parse_partition_size=parse_partition_size, **(engine_options or {}))

    result = cache.cached_pickle("clean", key, compute, refresh=refresh)
    result.articles.attrs = {"spec": str(corpus), "clean_key": cache.hash_object(key)[:24], "settings": s.to_dict()}
    return result


def load_clean(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None,
               columns: dict[str, str] | None = None, include_removed: bool = False, engine: str | Engine | Any = None,
               engine_options: dict[str, Any] | None = None, **settings: Any) -> pd.DataFrame:
    """:func:`newsscope.corpus.load_clean` computed on an engine when not cached (same table, same cache).

    Parameters
    ----------
    corpus, manifest, columns, include_removed, **settings
        As for :func:`newsscope.corpus.load_clean`.
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine` (default: ``NEWSSCOPE_ENGINE`` or local).
    engine_options : dict, optional
        For a named engine (``scheduler``, ``n_workers``, ...).
    """
    result = clean_corpus(corpus, manifest=manifest, columns=columns, engine=engine, engine_options=engine_options, **settings)
    df = result.articles if include_removed else result.analysis_set
    out = df.copy()
    out.attrs = dict(result.articles.attrs)
    return out
