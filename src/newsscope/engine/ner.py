"""NER on an engine: documents not yet in the mention store are recognised in partitions.

The actors stage keeps spaCy's output per document in a store keyed by the text's hash
(:class:`newsscope.actors.ner.MentionStore`). Here the missing documents are split into
partitions; each task loads the spaCy pipeline once per worker (and thread) and returns one
store row per document, which the driver appends to the store as tasks finish (an interrupted
run keeps its progress; workers need no access to the store). The mentions and sentences are
then read back from the store.

The driver never runs spaCy itself: a task that returns fewer rows than the documents it was
given (or rows for other documents) is an error naming the partition and the documents left
without mentions (:class:`~newsscope.engine.base.PartitionError`), raised after every task has
finished and the good rows are stored; a document still missing from the store when the
mentions are read back is an error too (:class:`MissingMentionsError`). So a cluster run either
did its NER on the workers or says which documents it could not do.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pandas as pd

from newsscope.engine.base import Engine, PartitionError, engine_scope

__all__ = ["NER_PARTITION", "MissingMentionsError", "extract_mentions", "load_actors"]

#: Documents per NER task (a few seconds of spaCy per task).
NER_PARTITION = 200
#: Document ids named in an error message (the count is always given).
_NAMED = 5
_LOCAL = threading.local()


class MissingMentionsError(RuntimeError):
    """Documents have no stored NER result after the engine ran; the message names them."""


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


def _name_docs(hashes: list[str], doc_ids: dict[str, list[str]]) -> str:
    """``N document(s) (doc ids a, b, ...)`` for the text hashes ``hashes``."""
    ids = [d for h in hashes for d in doc_ids.get(h, [h])]
    shown = ", ".join(ids[:_NAMED]) + (f", ... ({len(ids) - _NAMED} more)" if len(ids) > _NAMED else "")
    return f"{len(ids)} document(s) (doc_id {shown})"


def _check_rows(k: int, n: int, part: list[tuple[str, str]], rows: Any) -> tuple[list[dict[str, Any]], list[str], str]:
    """The rows of partition ``k`` that belong to it, the hashes it left out, and what was wrong ("" if nothing)."""
    expected = [h for h, _ in part]
    if not isinstance(rows, list):
        return [], expected, f"partition {k + 1} of {n} returned {type(rows).__name__}, not a list of rows"
    wanted = set(expected)
    kept, seen, stray = [], set(), 0
    for row in rows:
        h = row.get("text_hash") if isinstance(row, dict) else None
        if h in wanted and h not in seen:
            kept.append(row)
            seen.add(h)
        else:
            stray += 1
    missing = [h for h in expected if h not in seen]
    if not missing and not stray:
        return kept, [], ""
    what = f"partition {k + 1} of {n} returned {len(kept)} of {len(expected)} documents"
    return kept, missing, what + (f" and {stray} row(s) for documents it was not given" if stray else "")


def _describe_problems(engine: str, problems: list[tuple[int, str, list[str]]], doc_ids: dict[str, list[str]]) -> str:
    """The error message for partitions that did not return a row for every document."""
    n_docs = sum(len(doc_ids.get(h, [h])) for _, _, hs in problems for h in hs)
    lines = [f"{what}; without mentions: {_name_docs(hs, doc_ids)}" for _, what, hs in problems[:_NAMED]]
    if len(problems) > _NAMED:
        lines.append(f"... and {len(problems) - _NAMED} more partition(s)")
    return (f"NER on the {engine} engine left {n_docs} document(s) without a result: "
            + "; ".join(lines) + ". The driver does not run NER in the workers' place: fix the workers (spaCy model "
            "installed, same newsscope version) and run again; stored documents are not recomputed")


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
        (documents recognised now, on the engine), ``ner_cached`` (found in the store) and
        ``ner_engine`` (the engine's name, or None when every document was stored).

    Raises
    ------
    PartitionError
        When a task returned fewer rows than documents it was given (or rows for other
        documents); the message names the partitions and the documents. The rows the tasks did
        return are stored first. The driver never runs NER in the workers' place.
    MissingMentionsError
        When documents are still not in the mention store after the engine ran (e.g. the store
        was removed meanwhile); the message names them.
    """
    from newsscope.actors import ner

    settings = settings or ner.NerSettings()
    hashes, store, todo = ner.find_pending(articles, settings)
    doc_ids: dict[str, list[str]] = {}
    for d, h in zip(articles["doc_id"].tolist(), hashes):
        doc_ids.setdefault(h, []).append(str(d))
    engine_name = None
    if todo:
        model = ner.resolve_model(settings.model)
        items = list(todo.items())
        problems: list[tuple[int, str, list[str]]] = []
        with engine_scope(engine, progress=progress, **engine_options) as eng:
            engine_name = eng.name
            parts = [items[lo:hi] for lo, hi in eng.partitions(len(items), partition_size)]
            for k, rows in eng.imap(_ner_partition, parts, model, settings.sentences, batch_size, desc="NER"):
                kept, missing, what = _check_rows(k, len(parts), parts[k], rows)
                store.add(kept)
                if what:
                    problems.append((k, what, missing))
        store.compact()
        if problems:
            raise PartitionError(_describe_problems(engine_name, sorted(problems), doc_ids))
    stored = store.load(set(hashes)).set_index("text_hash")
    absent = [h for h in dict.fromkeys(hashes) if h not in stored.index]
    if absent:
        raise MissingMentionsError(f"no NER result in the mention store {store.folder} for {_name_docs(absent, doc_ids)} "
                                   "after the engine ran; run again to recognise them")
    mentions, sentences = ner._explode(articles["doc_id"].tolist(), hashes, stored)
    sentences.attrs.update(ner_new=len(todo), ner_cached=len(set(hashes)) - len(todo), ner_engine=engine_name)
    return mentions, sentences


def load_actors(corpus: Any = "builtin:newsarticles", *, manifest: str | Path | None = None,
                engine: str | Engine | Any = None, engine_options: dict[str, Any] | None = None,
                batch_size: int = 32, partition_size: int = NER_PARTITION, progress: bool = True, refresh: bool = False,
                **settings: Any):
    """:func:`newsscope.actors.load_actors` with cleaning and NER on an engine (same result, same caches).

    The cleaned articles (when ``corpus`` is a spec) and the NER of documents not yet in the
    store run on the engine; alias resolution, counts and the network are then built in this
    process by ``load_actors`` from the stored mentions. ``info`` of the result reports the
    engine's NER: ``ner_new`` (documents recognised on the engine), ``ner_cached`` and
    ``ner_engine``.

    Raises
    ------
    PartitionError, MissingMentionsError
        See :func:`extract_mentions`: NER that the engine did not return is never recomputed here.
    MissingMentionsError
        Also when the actor stage found documents without stored mentions after the engine ran
        (it would have recognised them in this process).
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
        _, sentences = extract_mentions(articles, cfg.ner, engine=eng, batch_size=batch_size,
                                        partition_size=partition_size, progress=progress)
    net = _load_actors(articles, n_process=1, progress=progress, refresh=refresh, **settings)
    if net.info.get("ner_new", 0):
        raise MissingMentionsError(f"the actor stage ran NER in this process on {net.info['ner_new']} document(s) that "
                                   "the engine had stored moments before (was the mention store changed meanwhile?)")
    net.info.update({k: sentences.attrs[k] for k in ("ner_new", "ner_cached", "ner_engine")})
    return net
