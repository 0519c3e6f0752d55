"""The cleaning pipeline: raw article table -> every row with a status, and the analysis set.

Order of work (each step feeds the next):

1. repair quotes and lost characters (title, standfirst, body, captions);
2. datelines, outlet tags, bylines and trailing credits out of the body into fields;
3. repair stray and glued hyphens and lost letters (corpus evidence) and whitespace;
4. remove boilerplate found from the data (per outlet, counted once per story);
5. measure words, lost characters and language; date status;
6. decide, in funnel order: empty, too short, not the analysis language, (date outlier),
   exact duplicate, near duplicate; everything else is kept.

Steps 1-3a, 3b and 4-5 treat each article on its own (:mod:`newsscope.clean.phases`) given
the corpus-level models fitted between them (glued hyphens, boilerplate), so they run on blocks
of rows; from 20,000 articles up (``n_jobs``) the blocks, and the models' counting passes, run
on all cores (forked workers, :mod:`newsscope.clean.parallel`). The result never depends on
it. Step 6 and the report tables are in :mod:`newsscope.clean.result`, shared with the
partitioned engine (:mod:`newsscope.engine.clean`).

:func:`newsscope.clean.loading.clean_corpus` runs it on a corpus spec and caches the
:class:`CleanResult`; :func:`newsscope.clean.loading.load_clean` returns its article table.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from newsscope import corpus as corpus_mod
from newsscope.clean import boilerplate as bp
from newsscope.clean import dedup, language, letters, parallel, phases
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.result import EXTRA_COLUMNS, MEASURE_COLUMNS, CleanResult, decide_status, fill_columns, finish_result
from newsscope.clean.settings import CLEAN_VERSION, CleanSettings
from newsscope.progress import progress_bar

__all__ = ["CleanResult", "FittedModels", "clean_articles", "fit_models", "code_version", "EXTRA_COLUMNS"]

_STAGES = ("repairs and fields", "hyphens", "boilerplate", "strip and measure", "duplicates")


def _stage_bar(n: int):
    """One progress bar over the cleaning stages (shown for corpora of 1,000 articles or more)."""
    return progress_bar(total=len(_STAGES), desc=f"cleaning {n:,} articles", unit="stage", enabled=n >= 1000,
                        leave=False, bar_format="{desc}: {n_fmt}/{total_fmt} stages [{elapsed}]{postfix}")


def clean_articles(raw: pd.DataFrame, settings: CleanSettings | None = None, *,
                   rejected: pd.DataFrame | None = None, n_jobs: int | None = None) -> CleanResult:
    """Clean a raw article table (see the module docstring for the steps).

    Parameters
    ----------
    raw : pandas.DataFrame
        An article table (``newsscope.corpus.ARTICLE_COLUMNS``).
    settings : CleanSettings, optional
    rejected : pandas.DataFrame, optional
        Inputs rejected before parsing (origin, reason, detail); they enter the funnel.
    n_jobs : int, optional
        Processes for the per-article phases (:mod:`newsscope.clean.phases`): None (default)
        all available cores from :data:`newsscope.clean.parallel.PARALLEL_MIN_ARTICLES`
        (20,000) articles up and this process below; -1 all cores; a number that many
        (forked workers; one process where the platform cannot fork). It never changes the
        result, so it is not a setting and not part of any cache key.

    Returns
    -------
    CleanResult
    """
    s = settings or CleanSettings()
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    df = corpus_mod.conform_articles(raw).copy()
    n = len(df)
    repeated = df["doc_id"].duplicated(keep=False)
    if repeated.any():
        first = df.loc[repeated, "doc_id"].iloc[0]
        rows = df.index[df["doc_id"] == first].tolist()
        origins = df.loc[rows, "origin"].tolist()
        raise ValueError(f"{int(repeated.sum())} rows share a doc_id, e.g. doc_id {first!r} at rows {rows} (origins {origins}); "
                         "doc_ids must be unique: give each row its own origin (the corpus loaders do)")
    df["text_raw"] = df["text"]
    jobs = parallel.resolve_jobs(n_jobs, n)
    bar = _stage_bar(n)
    fit = _fit(df, s, jobs, timings, bar)
    b, field_counter, model, letter_model, det = fit.bundle, fit.field_counter, fit.hyphens, fit.letters, fit.boilerplate
    values, offsets, signatures, exact = fit.values, fit.offsets, fit.signatures, fit.exact
    texts, titles, rule_counts, sources = b["texts"], b["titles"], b["rule_counts"], b["groups"]
    del fit

    # 4-5. strip boilerplate, measure (per article) -------------------------------------------------
    t0 = time.perf_counter()

    def finish_block(lo: int, hi: int) -> tuple[list, dict, dict | None]:
        body, removed, changed = phases.strip_boilerplate(texts[lo:hi], sources[lo:hi], det)
        measures = phases.measure_texts(titles[lo:hi], body, s)
        new = [body[i] for i in changed]
        fp = phases.fingerprint_block(new, s) if changed else None
        return [(lo + i, body[i], removed[i]) for i in changed], measures, fp

    if jobs > 1:
        language.load_models()  # once, shared by the workers
    parts = parallel.map_blocks(finish_block, n, jobs)
    bp.release_cache()
    removed_bp: list[str] = [""] * n
    stripped = [i for p in parts for i, _, _ in p[0]]
    for p in parts:
        for i, body, rem in p[0]:
            texts[i] = body
            removed_bp[i] = rem
    if stripped:
        new_values, new_offsets, new_sig, new_keys = phases.join_fingerprints([p[2] for p in parts if p[2] is not None], s.num_perm)
        values, offsets = dedup.replace_shingles(values, offsets, stripped, new_values, new_offsets)
        signatures[stripped] = new_sig
        for i, key in zip(stripped, new_keys):
            exact[i] = key
    measures = {k: [x for p in parts for x in p[1][k]] for k in parts[0][1]} if parts else \
        {k: [] for k in MEASURE_COLUMNS}
    del parts

    b.update(texts=texts, removed=removed_bp, **measures)
    fill_columns(df, b, s)
    del b, measures
    timings["strip_measures"] = time.perf_counter() - t0
    bar.update()
    bar.set_postfix_str(_STAGES[4])

    # 6. decisions ---------------------------------------------------------------------------------
    t0 = time.perf_counter()

    def near_pairs(active: np.ndarray) -> pd.DataFrame:
        return dedup.near_duplicate_pairs(
            texts, shingle_size=s.shingle_size, num_perm=s.num_perm, bands=s.lsh_bands, threshold=s.near_duplicate_threshold,
            min_shingles=s.min_shingles, max_bucket=s.max_bucket, active=active, shingles=(values, offsets), signatures=signatures)

    status = decide_status(df, s, dedup.groups_from_keys(exact), near_pairs)
    timings["dedup"] = time.perf_counter() - t0
    bar.update()
    bar.close()
    result = finish_result(df, s, status, rule_counts, field_counter, removed_bp, model, rejected, letter_model)
    timings["total"] = time.perf_counter() - t_start
    result.timings = timings
    return result



@dataclass
class FittedModels:
    """What cleaning learns from the whole corpus before the per-article steps 4-5 (see :func:`fit_models`).

    Attributes
    ----------
    hyphens : GluedHyphenModel or None
    letters : LostLetterModel or None
    boilerplate : BoilerplateDetector or None
    bundle : dict
        The per-article results of steps 1-3 (:mod:`newsscope.clean.phases`' bundle).
    field_counter : Counter
    values, offsets, signatures, exact
        The bodies' shingle sets, MinHash signatures and exact-duplicate keys after step 3.
    """

    hyphens: GluedHyphenModel | None
    letters: letters.LostLetterModel | None
    boilerplate: bp.BoilerplateDetector | None
    bundle: dict = field(repr=False, default_factory=dict)
    field_counter: Counter = field(repr=False, default_factory=Counter)
    values: np.ndarray | None = field(repr=False, default=None)
    offsets: np.ndarray | None = field(repr=False, default=None)
    signatures: np.ndarray | None = field(repr=False, default=None)
    exact: list | None = field(repr=False, default=None)


def fit_models(raw: pd.DataFrame, settings: CleanSettings | None = None, *, n_jobs: int | None = None,
               letter_model: letters.LostLetterModel | None = None) -> FittedModels:
    """Steps 1-4 of cleaning on an article table: the corpus-wide models fitted on it.

    The glued-hyphen model, the lost-letter model and the boilerplate detector, exactly as
    :func:`clean_articles` fits them on the same table (it calls this function). A corpus
    cleaned part by part (:mod:`newsscope.clean.partwise`) fits them on a sample of its rows.

    Parameters
    ----------
    raw : pandas.DataFrame
        An article table.
    settings : CleanSettings, optional
    n_jobs : int, optional
        As for :func:`clean_articles`.
    letter_model : LostLetterModel, optional
        A lost-letter model fitted already (e.g. on the counts of a whole corpus of which
        ``raw`` is a sample), used instead of one fitted on ``raw``.

    Returns
    -------
    FittedModels
        The models; the intermediate per-article results are dropped (see :func:`clean_articles`).
    """
    s = settings or CleanSettings()
    df = corpus_mod.conform_articles(raw)
    fit = _fit(df, s, parallel.resolve_jobs(n_jobs, len(df)), {}, None, letter_model)
    return FittedModels(fit.hyphens, fit.letters, fit.boilerplate)


def _fit(df: pd.DataFrame, s: CleanSettings, jobs: int, timings: dict[str, float], bar=None,
         letter_model: letters.LostLetterModel | None = None) -> FittedModels:
    """Steps 1-4 on the conformed table ``df`` (with the per-article results, for :func:`clean_articles`)."""
    t_start = time.perf_counter()
    n = len(df)
    rows = df[phases.ROW_COLUMNS]
    sources = [x if isinstance(x, str) and x else "(unknown)" for x in df["source"]]
    if bar is None:
        bar = progress_bar(total=len(_STAGES), enabled=False)
    # 1-3a. quotes and lost characters, fields, stray hyphens (per article) ----------------------
    bar.set_postfix_str(_STAGES[0])
    parts = parallel.map_blocks(lambda lo, hi: phases.repair_and_extract(rows.iloc[lo:hi], s), n, jobs)
    field_counter: Counter = Counter()
    for p in parts:
        field_counter.update(p["field_counter"])
    b = phases.join_bundles(parts)
    del parts
    timings["repairs_fields"] = time.perf_counter() - t_start
    bar.update()
    bar.set_postfix_str(_STAGES[1])

    # 3b. glued hyphens (corpus model) and whitespace; the bodies' fingerprints -------------------
    t0 = time.perf_counter()
    model = None
    if s.repair_text:
        standfirsts = b["standfirsts"]
        fit_texts = b["texts"] + b["titles"] + [x for x in standfirsts if isinstance(x, str)]
        fit_groups = sources + sources + [g for g, x in zip(sources, standfirsts) if isinstance(x, str)]
        model = GluedHyphenModel(compound_prior=s.hyphen_compound_prior, content_prior=s.hyphen_content_prior,
                                 n_jobs=jobs).fit(fit_texts, fit_groups)
        model.n_jobs = None  # (where it was fitted is no part of the result)
        del fit_texts, fit_groups
    if not s.repair_text:
        letter_model = None
    # lost letters: accented and damaged words counted over the corpus (blocks' counts summed)
    if s.repair_text and letter_model is None:
        counts = parallel.map_blocks(lambda lo, hi: letters.count_bundle(phases.slice_bundle(b, lo, hi, letters.BUNDLE_KEYS)),
                                     n, jobs)
        letter_model = letters.LostLetterModel(text_language=s.language).fit_counts(letters.LetterCounts.merge(counts))
        del counts

    def hyphens_block(lo: int, hi: int) -> tuple[dict, dict]:  # (only what changes goes back)
        part = phases.repair_hyphens(phases.slice_bundle(b, lo, hi, phases.HYPHEN_KEYS), model, s, letter_model)
        return part, phases.fingerprint_block(part["texts"], s)

    parts = parallel.map_blocks(hyphens_block, n, jobs)
    b.update(phases.join_bundles([p for p, _ in parts]) if parts else {})
    # the bodies' shingle sets, MinHash signatures and exact-duplicate keys, kept for the
    # duplicate step (each depends on its body only; only stripped bodies change)
    values, offsets, signatures, exact = phases.join_fingerprints([f for _, f in parts], s.num_perm)
    del parts
    texts, titles, rule_counts = b["texts"], b["titles"], b["rule_counts"]
    timings["repair_hyphens"] = time.perf_counter() - t0
    bar.update()
    bar.set_postfix_str(_STAGES[2])

    # 4. boilerplate (learnt from the data) --------------------------------------------------------
    t0 = time.perf_counter()
    det = None
    if s.boilerplate:
        pre_pairs = dedup.near_duplicate_pairs(
            texts, shingle_size=s.shingle_size, num_perm=s.num_perm, bands=s.lsh_bands,
            threshold=s.near_duplicate_threshold, min_shingles=s.min_shingles, max_bucket=s.max_bucket,
            shingles=(values, offsets), signatures=signatures)
        prelim = dedup.cluster_greedy(n, pre_pairs, np.arange(n))
        det = bp.BoilerplateDetector(ngram=s.boilerplate_ngram, min_docs=s.boilerplate_min_docs,
                                     min_share=s.boilerplate_min_share, edge_tokens=s.boilerplate_edge_tokens,
                                     min_span=s.boilerplate_min_span, n_jobs=jobs).fit(texts, sources, counted=prelim == np.arange(n))
        det.n_jobs = None  # (where it was fitted is no part of the result)
    timings["boilerplate"] = time.perf_counter() - t0
    bar.update()
    bar.set_postfix_str(_STAGES[3])

    return FittedModels(model, letter_model, det, b, field_counter, values, offsets, signatures, exact)


def code_version(kind: str = "pages") -> str:
    """``CLEAN_VERSION`` plus a hash of the source code the cleaned table depends on.

    The cleaning modules and ``corpus.py`` always count; the page parser only for corpora of
    pages (``kind == 'pages'``), so work on the parser does not invalidate cleaned tables.
    """
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(CLEAN_VERSION.encode())
    files = sorted((root / "clean").glob("*.py")) + [root / "corpus.py", root / "schema.py"]
    if kind == "pages":
        files += sorted((root / "parsing").glob("*.py"))
    files.append(letters.lexicon_path())  # the lexicon of lost letters is data the output depends on
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return CLEAN_VERSION + "+" + h.hexdigest()[:12]
