"""Cleaning: text repair, datelines and credits, boilerplate, duplicates, language, dates, funnel.

Public API
----------
load_clean(corpus, *, manifest=None, columns=None, include_removed=False, **settings) -> DataFrame
    The cleaned article table (cached), computed in this process on a cache miss;
    ``newsscope.engine.load_clean(corpus, engine=...)`` computes it on an engine instead.
clean_corpus(corpus, ..., refresh=False, **settings) -> CleanResult
    The table with every row's status plus the reports (funnel, repairs, boilerplate, duplicates).
clean_articles(raw, settings=None, rejected=None, n_jobs=None) -> CleanResult
    The same on an article table in memory (no caching). ``n_jobs`` (also an argument of
    ``clean_corpus``/``load_clean``): processes for the per-article phases; default all cores
    from 20,000 articles up, this process below; never changes the result (not in the cache key).
CleanSettings
    Every threshold, documented.
write_funnel(result) -> Path
    ``data/results/cleaning_funnel.csv``.

Modules by concern: :mod:`~newsscope.clean.repair` (text repairs), :mod:`~newsscope.clean.hyphens`
(glued hyphens from corpus evidence; its text scans in :mod:`~newsscope.clean.hyphen_scan`),
:mod:`~newsscope.clean.letters` (lost letters restored on corpus, lexicon and word-list evidence;
its scans and the lexicon file in :mod:`~newsscope.clean.letter_scan`), :mod:`~newsscope.clean.fields` (datelines, bylines,
credits), :mod:`~newsscope.clean.boilerplate`, :mod:`~newsscope.clean.dedup` (exact and MinHash
near-duplicates), :mod:`~newsscope.clean.language`, :mod:`~newsscope.clean.dates`,
:mod:`~newsscope.clean.funnel`, :mod:`~newsscope.clean.pipeline` (the steps in order),
:mod:`~newsscope.clean.phases` (the per-article phases, on blocks of rows),
:mod:`~newsscope.clean.parallel` (blocks on forked workers), :mod:`~newsscope.clean.result`
(decisions, warnings, report tables), :mod:`~newsscope.clean.partwise` (the per-part passes of a
corpus stored in parts, run by ``newsscope.engine.stream.clean.clean_parts``),
:mod:`~newsscope.clean.loading` (cached entry points), :mod:`~newsscope.clean.report`
(tables and figures for the notebook).
"""

from newsscope.clean.funnel import FUNNEL_COLUMNS, STATUS_ORDER, build_funnel, check_funnel
from newsscope.clean.loading import clean_corpus, code_version, load_clean
from newsscope.clean.pipeline import EXTRA_COLUMNS, CleanResult, clean_articles
from newsscope.clean.settings import CLEAN_VERSION, CleanSettings

__all__ = [
    "CLEAN_VERSION",
    "EXTRA_COLUMNS",
    "FUNNEL_COLUMNS",
    "STATUS_ORDER",
    "CleanResult",
    "CleanSettings",
    "build_funnel",
    "check_funnel",
    "clean_articles",
    "clean_corpus",
    "code_version",
    "load_clean",
    "write_funnel",
]


def write_funnel(result: CleanResult, folder=None):
    """Write ``result.funnel`` to ``<results>/cleaning_funnel.csv`` (or into ``folder``) and return the path.

    ``result`` is anything with a ``funnel`` table (also the partitioned clean's ``CleanParts``).
    """
    from pathlib import Path

    from newsscope import paths

    out = paths.ensure_dir(Path(folder) if folder is not None else paths.results_dir()) / "cleaning_funnel.csv"
    result.funnel.to_csv(out, index=False, lineterminator="\n")
    return out
