"""The partitioned pipeline end to end: parse, clean, vectorize, bursts and topics over parts on disk.

:func:`run_partitioned` runs every stage but NER on a corpus of any size with bounded memory,
stage after stage, in one run folder (``root``)::

    root/raw, accounting, rejected   parse_to_parts       (newsscope.engine.stream.parse)
    root/clean, clean_report.pkl     clean_parts          (newsscope.engine.stream.clean)
    root/dtm                         vectorize_parts      (newsscope.engine.stream.vectorize)
    root/trends                      burst_parts          (newsscope.engine.stream.trends)
    root/topics                      fit_topics_parts     (newsscope.engine.stream.topics)

Each stage records the key of its input and settings in ``root/keys.json``; a rerun with the
same corpus and settings reuses every finished stage (execution options — engine, partition
sizes, progress — are not part of a key). :func:`write_results` writes the result tables of the
contract (``cleaning_funnel.csv``, ``bursts.csv``, ``topics.csv``, ``doc_topics.csv``) from the
run folder, streaming the per-document table part by part.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from newsscope import cache, paths
from newsscope.corpus import fingerprint_corpus
from newsscope.engine.base import Engine, engine_scope
from newsscope.engine.stream.clean import CleanParts, clean_parts, load_clean_parts
from newsscope.engine.stream.parse import STREAM_PARSE_PARTITION, ParsedParts, load_parsed_parts, parse_to_parts
from newsscope.engine.stream.topics import StreamTopics, fit_topics_parts, load_topics_parts
from newsscope.engine.stream.trends import burst_parts
from newsscope.engine.stream.vectorize import vectorize_parts
from newsscope.clean import write_funnel
from newsscope.topics.pipeline import write_topic_table
from newsscope.trends.results import write_bursts
from newsscope.vectorize.blocks import DTMBlocks

__all__ = ["PartitionedRun", "run_partitioned", "write_results", "default_root"]

_KEYS = "keys.json"


@dataclass
class PartitionedRun:
    """What :func:`run_partitioned` produced (every table stays on disk under ``root``).

    Attributes
    ----------
    root : Path
    parsed : ParsedParts
    clean : CleanParts
    blocks : DTMBlocks
    bursts : pandas.DataFrame
    topics : StreamTopics
    timings : dict
        Seconds per stage of this call (0 for a stage reused from an earlier run).
    reused : list of str
        The stages reused from an earlier run with the same keys.
    """

    root: Path
    parsed: ParsedParts
    clean: CleanParts
    blocks: DTMBlocks
    bursts: pd.DataFrame
    topics: StreamTopics
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)


def default_root(corpus: str | Path, manifest: str | Path | None = None) -> Path:
    """The run folder of a corpus: ``data/processed/partitioned/<fingerprint of its input>``."""
    return paths.processed_dir() / "partitioned" / fingerprint_corpus(corpus, manifest)[:16]


def _read_keys(root: Path) -> dict[str, str]:
    path = root / _KEYS
    return json.loads(path.read_text()) if path.is_file() else {}


def _write_keys(root: Path, keys: dict[str, str]) -> None:
    cache.write_atomic(root / _KEYS, lambda p: p.write_text(json.dumps(keys, indent=1, sort_keys=True)))


def run_partitioned(corpus: str | Path, root: str | Path | None = None, *, manifest: str | Path | None = None,
                    engine: str | Engine | Any = None, partition_size: int = STREAM_PARSE_PARTITION,
                    model_sample: int = 100_000, fit_sample: int = 100_000, sweep_sample: int = 10_000,
                    k: int | None = None, random_state: int = 0, clean_settings: Any = None,
                    refresh: bool = False, progress: bool = True, **engine_options: Any) -> PartitionedRun:
    """Run parse, clean, vectorize, bursts and topics over parts on disk (bounded memory).

    Parameters
    ----------
    corpus : str or Path
        A corpus spec (``builtin:newsarticles``, a folder of pages of any kind, a table).
    root : str or Path, optional
        The run folder (default: :func:`default_root`).
    manifest : str or Path, optional
        Manifest CSV of a page corpus.
    engine : str, Engine or distributed.Client, optional
        Where the partition tasks run: ``local`` (this process), ``dask-local`` (every core of this
        machine) or a Dask cluster (see :func:`newsscope.engine.get_engine`).
    partition_size : int
        Files (pages) or rows (tables) per partition: the memory one task needs grows with it.
    model_sample, fit_sample, sweep_sample : int
        Rows on which the cleaning models, the vectorizer and the topic selection are fitted
        (seeded samples; the whole corpus when it is smaller — then every table equals the
        in-memory stages' tables).
    k : int, optional
        Number of topics (default: chosen on the sweep sample).
    random_state : int
        Seed of every sample and model.
    clean_settings : CleanSettings, optional
    refresh : bool
        Recompute every stage even if the run folder holds it.
    progress : bool
        Progress bars (stderr).
    **engine_options
        For a named engine (``scheduler``, ``n_workers``, ...).

    Returns
    -------
    PartitionedRun
    """
    root = Path(root) if root is not None else default_root(corpus, manifest)
    root.mkdir(parents=True, exist_ok=True)
    old = {} if refresh else _read_keys(root)
    keys: dict[str, str] = {}
    keys["parse"] = cache.hash_object({"corpus": fingerprint_corpus(corpus, manifest), "version": 1})
    keys["clean"] = cache.hash_object({"in": keys["parse"], "settings": clean_settings, "sample": model_sample,
                                       "seed": random_state})
    keys["vectorize"] = cache.hash_object({"in": keys["clean"], "sample": fit_sample, "seed": random_state})
    keys["trends"] = cache.hash_object({"in": keys["vectorize"]})
    keys["topics"] = cache.hash_object({"in": keys["vectorize"], "sample": sweep_sample, "k": k, "seed": random_state})
    timings: dict[str, float] = {}
    reused: list[str] = []
    done: dict[str, str] = {}
    _write_keys(root, done)  # nothing is valid until a stage of this call completes

    def stage(name: str, load, compute):
        """Reuse the stage if it and every stage before it kept their keys, else compute it; record it."""
        t = time.perf_counter()
        if len(reused) == len(done) and old.get(name) == keys[name]:
            value = load()
            reused.append(name)
        else:
            value = compute()
        timings[name] = time.perf_counter() - t
        done[name] = keys[name]  # recorded at once: an interrupted run resumes after it
        _write_keys(root, done)
        return value

    bursts_file = root / "trends" / "bursts.csv"
    with engine_scope(engine, progress=progress, **engine_options) as eng:
        parsed = stage("parse", lambda: load_parsed_parts(root, str(corpus)),
                       lambda: parse_to_parts(corpus, root, manifest=manifest, partition_size=partition_size, engine=eng,
                                              progress=progress))
        cleaned = stage("clean", lambda: load_clean_parts(root),
                        lambda: clean_parts(parsed.articles, root, clean_settings, rejected=parsed.rejected.read_all(),
                                            engine=eng, model_sample=model_sample, random_state=random_state,
                                            progress=progress))
        blocks = stage("vectorize", lambda: DTMBlocks(root / "dtm"),
                       lambda: vectorize_parts(cleaned.articles, root / "dtm", fit_sample=fit_sample, random_state=random_state,
                                               engine=eng, progress=progress))
        bursts = stage("trends", lambda: pd.read_csv(bursts_file), lambda: burst_parts(blocks, root, engine=eng))
        topics = stage("topics", lambda: load_topics_parts(root),
                       lambda: fit_topics_parts(blocks, root, k=k, sweep_sample=sweep_sample, random_state=random_state,
                                                engine=eng, progress=progress))
    return PartitionedRun(root=root, parsed=parsed, clean=cleaned, blocks=blocks, bursts=bursts, topics=topics,
                          timings=timings, reused=reused)


def write_results(run: PartitionedRun, out_dir: str | Path | None = None) -> list[Path]:
    """Write the contract's result tables of a partitioned run; return the files written.

    ``cleaning_funnel.csv``, ``bursts.csv``, ``topics.csv`` and ``doc_topics.csv`` (the last one
    streamed from the topic parts, one part at a time) into ``out_dir`` (default:
    ``data/results`` of the output root).
    """
    out = Path(out_dir) if out_dir is not None else paths.results_dir()
    out.mkdir(parents=True, exist_ok=True)
    written = [write_funnel(run.clean, out), write_bursts(run.bursts, folder=out), write_topic_table(run.topics.topics, out)]
    doc_topics = out / "doc_topics.csv"
    tmp = doc_topics.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        for k, part in run.topics.doc_topics.iter_parts():
            part.to_csv(fh, index=False, header=k == 0, lineterminator="\n", float_format="%.4f")
    tmp.replace(doc_topics)
    written.append(doc_topics)
    return written
