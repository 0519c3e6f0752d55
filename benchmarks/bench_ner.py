"""NER throughput: documents/s of the actor stage's spaCy pipeline, for n_process=1 and 2.

Runs :func:`newsscope.actors.ner.extract_mentions` (small English pipeline, NER + sentence
splitter only, mentions written to the per-document store) on the first N cleaned articles of
the built-in corpus with a fresh, temporary cache, so every document really goes through spaCy:

``senter, n_process=1``       the default pipeline in this process;
``senter, n_process=2``       the default pipeline in two worker processes (the notebook default);
``sentencizer, n_process=1``  the rule-based sentence splitter instead of the statistical senter.

Wall time and CPU time (this process plus its finished workers) are reported with the load
average, because the machine is shared: on a busy machine wall time overstates the cost, CPU
time does not. With ``--full`` the whole corpus is processed cold with n_process=2 (the
stage's target: <= 150 s on 2 cores). The table is printed and written to
``benchmarks/results/ner.csv``.

Usage: ``python benchmarks/bench_ner.py [--n 400] [--batch-size 32] [--full]``
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results" / "ner.csv"
GOAL_FULL_SECONDS = 150.0


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(articles: pd.DataFrame, sentences: str, n_process: int, batch_size: int) -> dict:
    from newsscope.actors import ner

    with tempfile.TemporaryDirectory(prefix="bench-ner-") as tmp:
        os.environ["NEWSSCOPE_CACHE"] = tmp
        words = sum(len(t.split()) for t in ner.document_texts(articles))
        load0 = os.getloadavg()[0]
        c0, t0 = cpu_seconds(), time.perf_counter()
        mentions, sents = ner.extract_mentions(articles, ner.NerSettings(sentences=sentences), n_process=n_process,
                                               batch_size=batch_size, progress=False)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        load1 = os.getloadavg()[0]
    return {"config": f"{sentences}, n_process={n_process}", "docs": len(articles), "words": words,
            "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "docs_per_s": round(len(articles) / wall, 1),
            "words_per_s": round(words / wall), "docs_per_cpu_s": round(len(articles) / cpu, 1),
            "mentions": len(mentions), "sentences": len(sents), "load_avg": round((load0 + load1) / 2, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400, help="documents per configuration (default 400)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--full", action="store_true", help="also process the whole corpus cold with n_process=2")
    args = parser.parse_args(argv)

    from newsscope.clean import load_clean

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_clean("builtin:newsarticles")
    sample = corpus.iloc[: args.n]
    rows = [run(sample, "senter", 1, args.batch_size), run(sample, "senter", 2, args.batch_size),
            run(sample, "sentencizer", 1, args.batch_size)]
    if args.full:
        full = run(corpus, "senter", 2, args.batch_size)
        full["config"] = "full corpus cold, senter, n_process=2"
        rows.append(full)
    table = pd.DataFrame(rows)
    table["machine"] = f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS, index=False, lineterminator="\n")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.drop(columns="machine").to_string(index=False))
    if args.full:
        ok = rows[-1]["wall_s"] <= GOAL_FULL_SECONDS
        print(f"full corpus: {rows[-1]['wall_s']} s wall (goal <= {GOAL_FULL_SECONDS:.0f} s): {'met' if ok else 'NOT met'}"
              f" at load average {rows[-1]['load_avg']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
