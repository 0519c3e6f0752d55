"""NER on an engine: documents not yet in the mention store are recognised in partitions.

The actors stage keeps spaCy's output per document in a store keyed by the text's hash
(:class:`newsscope.actors.ner.MentionStore`). Here the missing documents are split into
partitions; each task loads the spaCy pipeline once per worker (and thread) and returns one
store row per document, which the driver appends to the store as tasks finish (an interrupted
run keeps its progress; workers need no access to the store). The mentions and sentences are
then read back by :func:`newsscope.actors.ner.extract_mentions`, which finds every document
stored: the tables are those of a local run.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pandas as pd

from newsscope.engine.base import Engine, engine_scope

__all__ = ["NER_PARTITION", "extract_mentions", "load_actors"]

#: Documents per NER task (a few seconds of spaCy per task).
NER_PARTITION = 200
_LOCAL = threading.local()


def _pipeline(model: str, sentences: str):
    """The spaCy pipeline of this worker thread (loaded once)."""
    from newsscope.actors import ner

    cache = getattr(_LOCAL, "pipelines", None)
    if cache is None:
        cache = _LOCAL.pipelines = {}
    key = (model, sentences)
    if key not in cache:
        cache[key] = ner.load_pipeline(model, sentences)
    return cache[key]


def _ner_partition(items: list[tuple[str, str]], model: str, sentences: str, batch_size: int) -> list[dict[str, Any]]:
    """NER over ``(text_hash, text)`` pairs; one mention-store row per document."""
    from newsscope.actors import ner

    nlp = _pipeline(model, sentences)
    labels = frozenset(ner.ENTITY_LABELS)
    docs = nlp.pipe((t for _, t in items), batch_size=batch_size)
    return [ner._doc_row(h, doc, labels) for (h, _), doc in zip(items, docs)]


def extract_mentions(articles: pd.DataFrame, settings: Any = None, *, engine: str | Engine | Any = None,
                     batch_size: int = 32, partition_size: int = NER_PARTITION, progress: bool = True,
                     **engine_options: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`newsscope.actors.ner.extract_mentions` with the spaCy work done on an engine.

    Parameters
    ----------
    articles : pandas.DataFrame
        Article table with ``doc_id`` and the fields NER reads.
    settings : NerSettings, optional
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`. Workers need the spaCy model installed.
    batch_size : int
        Documents per spaCy batch inside a task.
    partition_size : int
        Documents per task.
    progress : bool
        Progress bar (stderr).

    Returns
    -------
    mentions, sentences : pandas.DataFrame
        As :func:`newsscope.actors.ner.extract_mentions`; ``sentences.attrs`` has ``ner_new``
        (documents recognised now) and ``ner_cached`` (found in the store).
    """
    from newsscope.actors import ner

    settings = settings or ner.NerSettings()
    hashes, store, todo = ner.find_pending(articles, settings)
    if todo:
        model = ner.resolve_model(settings.model)
        items = list(todo.items())
        with engine_scope(engine, progress=progress, **engine_options) as eng:
            parts = [items[lo:hi] for lo, hi in eng.partitions(len(items), partition_size)]
            for _, rows in eng.imap(_ner_partition, parts, model, settings.sentences, batch_size, desc="NER"):
                store.add(rows)
        store.compact()
    mentions, sentences = ner.extract_mentions(articles, settings, n_process=1, progress=False)
    sentences.attrs.update(ner_new=len(todo), ner_cached=len(set(hashes)) - len(todo))
    return mentions, sentences


def load_actors(corpus: Any = "builtin:newsarticles", *, manifest: str | Path | None = None,
                engine: str | Engine | Any = None, engine_options: dict[str, Any] | None = None,
                batch_size: int = 32, partition_size: int = NER_PARTITION, progress: bool = True, refresh: bool = False,
                **settings: Any):
    """:func:`newsscope.actors.load_actors` with cleaning and NER on an engine (same result, same caches).

    The cleaned articles (when ``corpus`` is a spec) and the NER of documents not yet in the
    store run on the engine; alias resolution, counts and the network are then built in this
    process by ``load_actors`` from the stored mentions.
    """
    from newsscope.actors import ActorSettings
    from newsscope.actors import load_actors as _load_actors
    from newsscope.engine.clean import load_clean

    unknown = set(settings) - set(ActorSettings.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown actor setting(s) {sorted(unknown)}; see ActorSettings")
    cfg = ActorSettings(**{k: (tuple(v) if k == "fields" else v) for k, v in settings.items()})
    with engine_scope(engine, progress=progress, **(engine_options or {})) as eng:
        articles = corpus if isinstance(corpus, pd.DataFrame) else load_clean(corpus, manifest=manifest, engine=eng)
        extract_mentions(articles, cfg.ner, engine=eng, batch_size=batch_size, partition_size=partition_size,
                         progress=progress)
    return _load_actors(articles, progress=progress, refresh=refresh, **settings)
