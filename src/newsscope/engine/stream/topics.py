"""Topics of a corpus stored in DTM blocks: selection on a sample, a mini-batch model, weights per block.

:func:`fit_topics_parts` runs the topic stage of the partitioned pipeline with bounded memory:

1. one pass over the blocks in this process (one block at a time): document frequencies,
   the counts behind the keep-out terms, and the rows of a seeded sample of at most
   ``sweep_sample`` documents (the rows :func:`newsscope.topics.fit_topics` draws);
2. model selection on the sample, as :func:`~newsscope.topics.fit_topics` does it (the same
   k range, sweep, rule and range extension): k, the sample's model of that k and the
   stability refits;
3. the final model: on a corpus no bigger than the sample, the sample's model itself (so the
   topics are those of the in-memory stage exactly); otherwise a
   :class:`~newsscope.topics.minibatch.MiniBatchTopicModel` started from the sample's topics
   (they keep their identity and labels) and trained over all blocks in mini-batches;
4. one engine task per block (``engine.map``): it loads its block's file, solves the documents'
   topic weights and writes ``root/topics/doc_topics/`` part k, returning only counts (topic
   sizes, co-occurrence of the top terms), which are summed into the topics table (size, NPMI).

Results: ``root/topics/topics.parquet`` (the contract columns of ``topics.csv`` + ``stable``,
``share``, ``auto_label``), ``selection.parquet``, ``model.pkl`` and the ``doc_topics`` PartStore
(doc_id, topic, weight; per part sorted by doc_id, as ``doc_topics.csv`` is).
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from newsscope.engine.base import Engine, engine_scope
from newsscope.parts import PartStore, load_sparse, read_part_file
from newsscope.topics.blockstats import count_blocks, keep_out_terms_from_counts, sample_rows
from newsscope.topics.labels import apply_relabel, label_topics
from newsscope.topics.minibatch import (
    MiniBatchTopicModel, doc_topic_part, initial_components, merge_part_stats, stream_topic_table,
)
from newsscope.topics.models import TopicModel
from newsscope.topics.pipeline import (
    MIN_DOCUMENTS, SWEEP_SAMPLE, default_vocabulary, resolve_k_range, sweep_and_choose,
)
from newsscope.topics.stability import summarise_stability

__all__ = ["load_topics_parts", "StreamTopics", "fit_topics_parts", "FINAL_MODELS"]

#: ``final=``: ``auto`` (the sample's model when the sample is the whole corpus, else mini-batch),
#: ``minibatch`` (always the mini-batch model), ``sample`` (always the sample's model).
FINAL_MODELS = ("auto", "minibatch", "sample")
#: Settings of :class:`~newsscope.topics.minibatch.MiniBatchTopicModel` accepted as keyword arguments.
MINIBATCH_PARAMS = ("batch_size", "n_passes", "forget_factor", "init_floor", "transform_iter")


@dataclass
class StreamTopics:
    """The topic stage of a corpus in blocks.

    Attributes
    ----------
    k : int
    reason : str
        Why this k.
    topics : DataFrame
        topic, label, top_terms, size, npmi, stability, stable, share, auto_label.
    selection : DataFrame
        The sweep on the sample (k, npmi, diversity, stability, ..., chosen).
    doc_topics : PartStore
        doc_id, topic, weight; one part per block.
    model : MiniBatchTopicModel or TopicModel
        The final model.
    final : str
        ``minibatch`` or ``sample``: which model gave the topics.
    keep_out : list of str
    n_docs, n_sample : int
        Documents in the corpus and in the sample the sweep ran on.
    messages : list of str
    """

    k: int
    reason: str
    topics: pd.DataFrame
    selection: pd.DataFrame
    doc_topics: PartStore
    model: Any = field(repr=False)
    final: str
    keep_out: list[str] = field(default_factory=list)
    n_docs: int = 0
    n_sample: int = 0
    messages: list[str] = field(default_factory=list)


class _Blocks:
    """Re-iterable count blocks for the mini-batch fit (one block in memory at a time)."""

    def __init__(self, blocks: Any) -> None:
        self.blocks = blocks

    def __call__(self):
        return (X for _, X, _ in self.blocks.iter_blocks())


def _doc_topic_task(item: tuple, model: Any, columns: np.ndarray, out_root: str) -> dict[str, Any]:
    """One block ``item = (k, block file, docs file, doc ids, shares)``: load it, solve the weights,
    write its ``doc_topics`` part; return the part's summary and counts."""
    k, block_file, docs_file, doc_ids, shares = item
    X = load_sparse(block_file)
    if doc_ids is None:
        doc_ids = read_part_file(docs_file, ["doc_id"])["doc_id"].astype(str).tolist()
    table, stats = doc_topic_part(model, X, doc_ids, columns, shares=shares)
    summary = PartStore(out_root).write_part(k, table)
    return {**summary, "stats": stats}


def fit_topics_parts(blocks: Any, root: Path, *, k: int | None = None, k_range=None, sweep_sample: int | None = SWEEP_SAMPLE,
                     random_state: int = 0, engine: str | Engine | Any = None, progress: bool = True,
                     **params: Any) -> StreamTopics:
    """Fit topics on a document-term matrix stored in blocks and write the results under ``root/topics``.

    Parameters
    ----------
    blocks : DTMBlocks-like
        ``terms``, ``n_docs``, ``n_blocks``, ``iter_blocks()`` yielding ``(k, X, docs)``,
        ``block_path(k)`` (the block's ``.npz``); optionally ``docs`` (a PartStore whose part
        k holds block k's documents; else the document ids are read in the first pass) and
        ``vectorizer`` (its ``outlet_terms_``).
    root : Path
        The run folder; results go to ``root/topics/``.
    k, k_range : optional
        As for :func:`newsscope.topics.fit_topics`.
    sweep_sample : int or None
        Most documents the sweep runs on (a seeded sample; None: all, which holds them all in
        memory).
    random_state : int
        Seed of the sample, the models and the refits.
    engine : str, Engine or distributed.Client, optional
        Runs the per-block weight tasks (see :func:`newsscope.engine.get_engine`).
    progress : bool
        Progress bars.
    **params
        ``model_params``, ``n_refits``, ``subsample``, ``keep_out``, ``selection_params``,
        ``extend``, ``relabel``, ``n_jobs`` (as for :func:`~newsscope.topics.fit_topics`);
        ``final`` (:data:`FINAL_MODELS`); the mini-batch settings :data:`MINIBATCH_PARAMS`;
        ``parts_at_once`` (blocks submitted to the engine together; None: all, their counts summed
        as they finish; does not change the result).

    Returns
    -------
    StreamTopics
    """
    root = Path(root)
    final = params.pop("final", "auto")
    if final not in FINAL_MODELS:
        raise ValueError(f"final must be one of {FINAL_MODELS}, got {final!r}")
    model_params = dict(params.pop("model_params", None) or {})
    n_refits, subsample = int(params.pop("n_refits", 3)), float(params.pop("subsample", 0.9))
    extra_keep, sel_params = params.pop("keep_out", ()), params.pop("selection_params", None)
    extend, relabel, n_jobs = params.pop("extend", True), params.pop("relabel", None), params.pop("n_jobs", None)
    parts_at_once = params.pop("parts_at_once", None)
    mb_params = {name: params.pop(name) for name in MINIBATCH_PARAMS if name in params}
    if params:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(params))}")
    n_docs = int(blocks.n_docs)
    if n_docs < MIN_DOCUMENTS:
        raise ValueError(f"the corpus has {n_docs} document(s); topic modelling needs at least {MIN_DOCUMENTS}")
    terms = np.asarray(blocks.terms).astype(str)
    messages: list[str] = []

    # 1. one pass: document frequencies, keep-out counts, the sample
    rows = sample_rows(n_docs, sweep_sample, random_state)
    counts = count_blocks(blocks, sample=rows)
    n_sample = len(rows)
    if n_sample < n_docs:
        messages.append(f"k was chosen on a random sample of {n_sample:,} of the {n_docs:,} documents (seed {random_state}).")
    vectorizer = getattr(blocks, "vectorizer", None)
    keep = keep_out_terms_from_counts(counts, terms, outlet_terms=getattr(vectorizer, "outlet_terms_", None) or (),
                                      extra=extra_keep)
    vocab = default_vocabulary(n_docs)
    vocab.update(model_params)
    template = TopicModel(stop_terms=tuple(keep), random_state=random_state, **vocab)

    # 2. selection on the sample
    ks, k, more = resolve_k_range(n_docs, k, k_range)
    messages.extend(more)
    sweep, chosen, reason, notes = sweep_and_choose(
        template, counts.sample, terms=terms, ks=ks, k=k, limit=max(2, n_docs // 5), n_refits=n_refits,
        subsample=subsample, random_state=random_state, selection_params=sel_params, extend=extend, n_jobs=n_jobs,
        progress=progress)
    messages.extend(notes)
    sample_model: TopicModel = sweep.models[chosen]
    stab = sweep.stability[chosen]
    selection = sweep.table.copy()
    selection["chosen"] = selection["k"] == chosen

    # 3. the final model
    use_sample = final == "sample" or (final == "auto" and n_sample == n_docs)
    if use_sample:
        model: Any = sample_model
        per_topic = stab.per_topic
    else:
        model = MiniBatchTopicModel(chosen, min_df=template.min_df, max_df=template.max_df, stop_terms=tuple(keep),
                                    sublinear_tf=template.sublinear_tf, exclusivity=template.exclusivity,
                                    n_top_terms=template.n_top_terms, collapse_nested=template.collapse_nested,
                                    random_state=random_state, **mb_params)
        model.fit_blocks(_Blocks(blocks), terms=terms, document_frequencies=counts.df, n_docs=n_docs,
                         init_components=initial_components(sample_model))
        # the sample's fits (its reference and its refits) are independent fits of the final model's topics
        per_topic = summarise_stability(model.top_terms_, [sample_model.top_terms_] + stab.refit_terms,
                                        [random_state] + stab.seeds).per_topic
        messages.append(f"the final model was fitted in mini-batches over all {n_docs:,} documents "
                        f"({model.n_steps_} mini-batches of {model.batch_size} rows), starting from the sample's topics.")
    block_rows = list(counts.block_rows)
    del counts  # the sample's rows are no longer needed
    columns = np.unique(np.concatenate([np.asarray(t, dtype=np.int64) for t in model.top_term_indices_]))

    # 4. weights per block on the engine
    out_dir = root / "topics"
    out_dir.mkdir(parents=True, exist_ok=True)
    store = PartStore.create(out_dir / "doc_topics")
    docs_store = getattr(blocks, "docs", None)
    n_blocks = len(block_rows)
    ids: list[list[str] | None] = [None] * n_blocks
    if docs_store is None:  # the document ids of every block, read once here
        for b, _, docs in blocks.iter_blocks():
            ids[b] = docs["doc_id"].astype(str).tolist()
    shares: list[np.ndarray | None] = [None] * n_blocks
    if use_sample and n_sample == n_docs:  # the sample's model saw every document: its weights are the result
        starts = np.cumsum([0] + block_rows)
        shares = [sample_model.doc_topic_[starts[b]:starts[b + 1]] for b in range(n_blocks)]
    items = [(b, str(blocks.block_path(b)), str(docs_store.part_path(b)) if docs_store is not None else None, ids[b], shares[b])
             for b in range(n_blocks)]
    summaries: list[dict[str, Any]] = []
    stats: dict[str, Any] | None = None

    def consume(values) -> None:  # sum the parts' counts as they arrive (whole numbers: any order gives the same)
        nonlocal stats
        for value in values:
            part = value.pop("stats")
            stats = part if stats is None else merge_part_stats(stats, part)
            summaries.append(value)

    with engine_scope(engine, progress=progress) as eng:
        shared = eng.scatter(model)
        if parts_at_once:
            for lo in range(0, n_blocks, int(parts_at_once)):
                consume(eng.gather(eng.map(_doc_topic_task, items[lo:lo + int(parts_at_once)], shared, columns,
                                           str(store.root), desc="topic weights")))
        else:
            consume(value for _, value in eng.imap(_doc_topic_task, items, shared, columns, str(store.root),
                                                   desc="topic weights"))
    summaries.sort(key=lambda v: v["part"])
    store.finish(summaries, ["doc_id", "topic", "weight"], meta={"k": int(chosen), "final": "sample" if use_sample else "minibatch"})
    if stats["rows"] != n_docs:
        raise RuntimeError(f"topic weights were written for {stats['rows']} documents, but the corpus has {n_docs}")

    auto = label_topics(model.top_terms_)
    labels = apply_relabel(auto, relabel, model.top_terms_)
    topics = stream_topic_table(model.top_terms_, model.top_term_indices_, columns, stats, per_topic, labels, auto)
    topics.to_parquet(out_dir / "topics.parquet", index=False)
    selection.to_parquet(out_dir / "selection.parquet", index=False)
    (out_dir / "model.pkl").write_bytes(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    (out_dir / "result.json").write_text(json.dumps({"k": int(chosen), "reason": reason, "final": "sample" if use_sample else "minibatch",
                                                     "keep_out": list(keep), "n_docs": int(n_docs), "n_sample": int(n_sample),
                                                     "messages": list(messages)}, indent=1))
    return StreamTopics(k=int(chosen), reason=reason, topics=topics, selection=selection, doc_topics=store, model=model,
                        final="sample" if use_sample else "minibatch", keep_out=keep, n_docs=n_docs, n_sample=n_sample,
                        messages=messages)


def load_topics_parts(root: str | Path) -> StreamTopics:
    """The topic stage a finished :func:`fit_topics_parts` left under ``root/topics``."""
    out_dir = Path(root) / "topics"
    info = json.loads((out_dir / "result.json").read_text())
    model = pickle.loads((out_dir / "model.pkl").read_bytes())
    return StreamTopics(k=int(info["k"]), reason=info["reason"], topics=pd.read_parquet(out_dir / "topics.parquet"),
                        selection=pd.read_parquet(out_dir / "selection.parquet"), doc_topics=PartStore(out_dir / "doc_topics"),
                        model=model, final=info["final"], keep_out=info["keep_out"], n_docs=info["n_docs"],
                        n_sample=info["n_sample"], messages=info["messages"])
