"""Engines: parse, clean and NER in partitions, in this process or on a Dask cluster, same results.

Public API
----------
get_engine(engine=None, *, scheduler=None, n_workers=None, ...) -> Engine
    ``"local"`` (default; ``NEWSSCOPE_ENGINE`` changes it), ``"dask"`` (a running cluster:
    ``scheduler=`` or ``NEWSSCOPE_DASK_SCHEDULER``), ``"dask-local"`` (a ``LocalCluster`` on this
    machine), an :class:`Engine` or a ``distributed.Client``. Use it as a context manager.
parse_paths(paths, root=None, *, engine=None, exclude=(), ...) -> ParseResult
    :func:`newsscope.parsing.parse_paths`, files parsed in partitions.
read_corpus(spec, manifest=None, columns=None, *, engine=None) -> LoadResult
    :func:`newsscope.corpus.read_corpus` with page folders parsed on the engine.
clean_articles(raw, settings=None, *, rejected=None, engine=None) -> CleanResult
    :func:`newsscope.clean.clean_articles` with the per-article work in partitions.
load_clean(corpus, *, engine=None, ...) / clean_corpus(...)
    :func:`newsscope.clean.load_clean` / :func:`newsscope.clean.clean_corpus` computed on the
    engine on a cache miss (same cache); without an engine (argument or ``NEWSSCOPE_ENGINE``),
    the stage's own code in this process.
extract_mentions(articles, settings=None, *, engine=None) -> (mentions, sentences)
    :func:`newsscope.actors.ner.extract_mentions` with spaCy run in partitions.
load_actors(corpus, *, engine=None, **settings) -> ActorNetwork
    :func:`newsscope.actors.load_actors` with cleaning and NER on the engine.
count_terms(articles, vectorizer, *, freq="D", engine=None) -> TermCounts
    Vocabulary (document frequencies) and trend counts (documents per day per term), reduced.
count_cooccurrences(resolved, sentences, unit="sentence", *, engine=None) -> (actors, pairs, N)
    Actor and pair counts reduced from partitions, with NPMI, G² and p-values.

Every function gives the result of the sequential stage function, whatever the engine and the
partitioning (``tests/test_engine_dask.py``). Modules: :mod:`~newsscope.engine.core` (the
abstraction), :mod:`~newsscope.engine.base` (the local engine; choosing an engine),
:mod:`~newsscope.engine.dask`, :mod:`~newsscope.engine.parse`, :mod:`~newsscope.engine.clean` and :mod:`~newsscope.engine.clean_tasks`,
:mod:`~newsscope.engine.ner`, :mod:`~newsscope.engine.counts`.
"""

from newsscope.engine.base import (ENGINE_ENV, ENGINE_NAMES, SCHEDULER_ENV, Engine, LocalEngine, PartitionError, engine_requested,
                                   engine_scope, get_engine, partition_bounds)
from newsscope.engine.clean import clean_articles, clean_corpus, load_clean
from newsscope.engine.counts import TermCounts, count_cooccurrences, count_terms
from newsscope.engine.ner import extract_mentions, load_actors
from newsscope.engine.parse import parse_paths, read_corpus

__all__ = [
    "ENGINE_ENV", "ENGINE_NAMES", "SCHEDULER_ENV", "Engine", "LocalEngine", "PartitionError", "engine_requested", "engine_scope",
    "get_engine",
    "partition_bounds", "parse_paths", "read_corpus", "clean_articles", "clean_corpus", "load_clean", "extract_mentions",
    "load_actors", "TermCounts", "count_terms", "count_cooccurrences",
]
