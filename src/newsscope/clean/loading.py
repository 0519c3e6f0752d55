"""Cached entry points: ``clean_corpus`` (every row and the reports) and ``load_clean`` (the table).

The cache key is the corpus fingerprint (input files' content, manifest, column mapping), every
cleaning setting and the code version (:func:`code_version`), so a change to any of them
recomputes and a rerun with the same inputs returns in about a second.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from newsscope import cache, corpus as corpus_mod
from newsscope.clean import pipeline
from newsscope.clean.pipeline import CleanResult, code_version
from newsscope.clean.settings import CleanSettings

__all__ = ["Compute", "code_version", "clean_corpus", "load_clean"]

#: ``compute(corpus, settings, manifest=..., columns=...) -> CleanResult``: computes a missing result elsewhere.
Compute = Callable[..., CleanResult]


def _refuse_engine(settings: dict[str, Any]) -> None:
    if "engine" in settings:
        raise TypeError("engine= is not an option of the cleaning stage (it runs in this process): call "
                        "newsscope.engine.load_clean(..., engine=...) or newsscope.engine.clean_corpus(..., engine=...)")


def clean_corpus(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None,
                 columns: dict[str, str] | None = None, refresh: bool = False, n_jobs: int | None = None,
                 compute: Compute | None = None, **settings: Any) -> CleanResult:
    """Load and clean a corpus; the result is cached in ``data/processed/clean``.

    Parameters
    ----------
    corpus, manifest, columns
        As for :func:`newsscope.corpus.read_corpus`.
    refresh : bool
        Recompute even when a cached result exists.
    n_jobs : int, optional
        Processes for cleaning in this process (see :func:`newsscope.clean.clean_articles`:
        default all cores from 20,000 articles up). Not part of the cache key: it never changes
        the result.
    compute : callable, optional
        ``compute(corpus, settings, manifest=..., columns=...) -> CleanResult`` computes a missing
        result instead of reading and cleaning the corpus in this process. It must give the same
        result (the cache entry is shared). :func:`newsscope.engine.clean_corpus` passes one that
        runs on a Dask cluster (``engine="dask"`` or ``NEWSSCOPE_ENGINE``): use that entry point
        to choose an engine; this stage knows nothing of engines.
    **settings
        Fields of :class:`CleanSettings`.

    Returns
    -------
    CleanResult
    """
    _refuse_engine(settings)
    s = CleanSettings.from_kwargs(**settings)
    key = {
        "corpus": corpus_mod.fingerprint_corpus(corpus, manifest=manifest, columns=columns),
        "settings": s.to_dict(),
        "code": code_version(corpus_mod.resolve_spec(corpus)[0]),
    }

    def run() -> CleanResult:
        # the loaders' warnings (odd dates, manifest problems) are kept with the result, not
        # printed: cold and warm runs then show the same, and notebook 01 summarises them
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if compute is not None:  # e.g. partitioned parse and clean on an engine, same result (tests/test_engine_dask.py)
                result = compute(corpus, s, manifest=manifest, columns=columns)
            else:
                loaded = corpus_mod.read_corpus(corpus, manifest=manifest, columns=columns)
                result = pipeline.clean_articles(loaded.articles, s, rejected=loaded.rejected, n_jobs=n_jobs)
        result.load_warnings = [_without_folders(str(w.message)) for w in caught if issubclass(w.category, UserWarning)]
        result.articles.attrs = {}
        return result

    result = cache.cached_pickle("clean", key, run, refresh=refresh)
    result.articles.attrs = {"spec": str(corpus), "clean_key": cache.hash_object(key)[:24], "settings": s.to_dict()}
    return result


def load_clean(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None,
               columns: dict[str, str] | None = None, include_removed: bool = False, n_jobs: int | None = None,
               compute: Compute | None = None, **settings: Any) -> pd.DataFrame:
    """Return the cleaned article table of ``corpus`` (cached; a second call takes about a second).

    Parameters
    ----------
    corpus, manifest, columns
        As for :func:`newsscope.corpus.read_corpus`.
    include_removed : bool
        False (default): the analysis set, one row per kept article (``status == 'kept'``),
        duplicates merged into their canonical row (``copies`` counts the raw rows it stands
        for). True: every raw row and every rejected input file, with ``status`` (``kept`` or
        the removal reason), ``duplicate_of`` and the body as read (``text_raw``).
    n_jobs : int, optional
        Processes for a missing result (see :func:`clean_corpus`; never changes the table).
    compute : callable, optional
        How a missing result is computed (see :func:`clean_corpus`); for an engine, call
        :func:`newsscope.engine.load_clean`.
    **settings
        Fields of :class:`CleanSettings` (e.g. ``min_words=60``).

    Returns
    -------
    pandas.DataFrame
        ``ARTICLE_COLUMNS`` followed by ``EXTRA_COLUMNS``.
    """
    result = clean_corpus(corpus, manifest=manifest, columns=columns, n_jobs=n_jobs, compute=compute, **settings)
    df = result.articles if include_removed else result.analysis_set
    out = df.copy()
    out.attrs = dict(result.articles.attrs)
    return out


def _without_folders(message: str) -> str:
    """Drop the folders of a leading absolute path (``/a/b/NewsArticles.csv: ...`` -> ``NewsArticles.csv: ...``)."""
    return re.sub(r"^(?:[A-Za-z]:)?[\\/][^:]*[\\/]", "", message)
