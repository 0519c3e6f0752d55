"""``newsscope stream``: the partitioned pipeline from the command line, for corpora bigger than memory.

Runs :func:`newsscope.engine.stream.pipeline.run_partitioned` (parse, clean, vectorize, bursts,
topics over parts on disk) and writes the result tables of the contract into the output root's
``data/results/``. A rerun reuses every finished stage; a stage that cannot start because of the
disk or memory stops with a message naming the limit and the setting.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_stream_arguments", "run_stream"]


def add_stream_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``newsscope stream``."""
    p.add_argument("corpus", help="corpus spec: builtin:NAME, a folder of pages (any kind) or a table")
    p.add_argument("--manifest", help="manifest CSV file,url,published[,source]")
    p.add_argument("--out", help="output root for data/results (default: out/<corpus name>; never the committed results "
                   "of the notebooks)")
    p.add_argument("--root", help="run folder for the parts (default: data/processed/partitioned/<corpus fingerprint>)")
    p.add_argument("--engine", choices=["local", "dask", "dask-local"], default=None,
                   help="where partitions run (default: NEWSSCOPE_ENGINE or local; dask-local uses every core)")
    p.add_argument("--scheduler", help="Dask scheduler address for --engine dask")
    p.add_argument("--workers", type=int, default=None, help="worker processes of --engine dask-local")
    p.add_argument("--partition-size", type=int, default=None, help="files or rows per partition (memory per task grows with it)")
    p.add_argument("--k", type=int, default=None, help="number of topics (default: chosen on a sample)")
    p.add_argument("--refresh", action="store_true", help="recompute every stage")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")


def run_stream(args: argparse.Namespace) -> int:
    """Run ``newsscope stream``; return the exit status (0 done, 1 stopped by a limit)."""
    from newsscope.engine.stream.parse import STREAM_PARSE_PARTITION
    from newsscope.engine.stream.pipeline import run_partitioned, write_results
    from newsscope.parts import DiskSpaceError, PartitionMemoryError
    from newsscope.runner import choose_output_root

    out_root, choice = choose_output_root(args.corpus, args.manifest, args.out)
    if out_root is None:
        from newsscope import paths

        out_root = paths.project_root() / "out" / "builtin"
    options = {k: v for k, v in (("scheduler", args.scheduler), ("n_workers", args.workers)) if v is not None}
    try:
        run = run_partitioned(choice.corpus, args.root, manifest=choice.manifest, engine=args.engine,
                              partition_size=args.partition_size or STREAM_PARSE_PARTITION, k=args.k, refresh=args.refresh,
                              progress=not args.no_progress, **options)
    except (DiskSpaceError, PartitionMemoryError) as exc:
        print(f"newsscope stream: {exc}", file=sys.stderr)
        return 1
    written = write_results(run, Path(out_root) / "data" / "results")
    outcomes = run.parsed.outcomes()
    print(f"inputs: {int(outcomes.sum()):,} ({', '.join(f'{k} {v:,}' for k, v in outcomes.items())})")
    print(f"articles: {run.parsed.n_articles:,} parsed, {run.clean.analysis_rows:,} in the analysis set")
    print(f"document-term blocks: {run.blocks.n_docs:,} documents x {len(run.blocks.terms):,} terms")
    print(f"bursts: {len(run.bursts):,}; topics: k = {run.topics.k}")
    if run.reused:
        print(f"reused from the run folder: {', '.join(run.reused)}")
    print(f"run folder: {run.root}")
    for path in written:
        print(path)
    return 0
