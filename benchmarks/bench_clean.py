"""Cleaning throughput: ``clean.clean_articles`` cold, on the built-in corpus and on 20k and 100k articles.

Each size runs in its own Python process (so first-use costs such as loading the language
model are included and memory is measured alone): the input table is loaded first, then
``newsscope.clean.clean_articles`` runs once. Inputs:

``builtin``  the 3,824 raw rows of the built-in corpus (``read_corpus("builtin:newsarticles")``,
             rejected inputs included);
``N``        ``newsscope.synth.vary_articles(base, N, seed=...)``: distinct rewrites of the built-in
             articles (invented names, donor sentences), with planted exact (3%) and near (5%)
             duplicates, each row with its own origin. The generated table is cached in
             ``benchmarks/work/clean/`` (generation is not timed).

Recorded per size: CPU seconds of the process during the call (``time.process_time``; other load
on the shared machine barely changes it) and wall seconds beside it, per-article figures, the
stage wall times the stage reports, peak resident memory of the process (``ru_maxrss``,
including the input table) and what it held before the call, the machine's 1-minute load
average, and a digest of the cleaned table (every column and row; equal digests mean equal
output, e.g. between code versions). Writes ``benchmarks/results/clean.csv``.

Goal (issue 7): 100k articles through parse, clean, vectorize, trends and topics in 5 minutes
on 2 cores, so cleaning should take at most about 1 ms of CPU per article (judged from 20,000
articles up; on the built-in corpus the fixed costs, about 0.5 s, weigh in).

Usage: ``python benchmarks/bench_clean.py [--sizes builtin,20000,100000] [--seed 0]``
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "clean.csv"
WORK = HERE / "work" / "clean"
GOAL_MS_PER_ARTICLE = 1.0
STAGES = ("repair_quotes", "fields", "repair_hyphens", "boilerplate", "measures", "dedup")


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def load_input(size: str, seed: int):
    """The raw article table (and rejected inputs) for one size."""
    from newsscope import corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if size == "builtin":
            loaded = corpus.read_corpus("builtin:newsarticles")
            return loaded.articles, loaded.rejected
        n = int(size)
        path = WORK / f"vary_{n}_seed{seed}.pkl"
        if path.exists():
            return pickle.loads(path.read_bytes()), None
        from newsscope.synth import vary_articles

        table = vary_articles(corpus.load_corpus("builtin:newsarticles"), n, seed=seed)
        table["origin"] = [f"vary_articles(seed={seed})/{x}" for x in table["synth_id"]]
        WORK.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
        return table, None


def digest(df) -> str:
    """SHA-256 of the table as Parquet (every column, every row)."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return hashlib.sha256(buf.getvalue()).hexdigest()[:16]


def child(size: str, seed: int) -> dict:
    """Load the input, clean it once, return the measurements (runs in its own process)."""
    raw, rejected = load_input(size, seed)
    from newsscope.clean import check_funnel, clean_articles

    rss_before = _rss_mb()
    load = os.getloadavg()[0]
    c0, w0 = time.process_time(), time.perf_counter()
    result = clean_articles(raw, rejected=rejected)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    check_funnel(result.funnel, result.articles["status"])
    n = len(raw)
    row = {
        "size": size, "articles": n, "kept": int((result.articles["status"] == "kept").sum()),
        "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
        "cpu_ms_per_article": round(1000 * cpu / n, 3), "wall_ms_per_article": round(1000 * wall / n, 3),
        "articles_per_cpu_s": round(n / cpu), "peak_rss_mb": round(peak), "rss_before_mb": round(rss_before),
        "load_avg_1min": round(load, 2),
    }
    row.update({f"{k}_wall_s": round(result.timings.get(k, float("nan")), 2) for k in STAGES})
    row["table_digest"] = digest(result.articles)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="builtin,20000,100000", help="comma-separated: builtin and/or article counts")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed)))
        return

    import numpy as np
    import pandas as pd

    rows = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if size != "builtin":  # generate (and cache) the input outside the timed process
            subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); "
                            f"import bench_clean as b; b.load_input({size!r}, {args.seed})"], check=True)
        print(f"cleaning {size} ...", file=sys.stderr, flush=True)
        out = subprocess.run([sys.executable, __file__, "--child", size, "--seed", str(args.seed)],
                             check=True, stdout=subprocess.PIPE, text=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  {row['articles']:,} articles: {row['cpu_s']} s CPU ({row['cpu_ms_per_article']} ms/article), "
              f"{row['wall_s']} s wall, peak RSS {row['peak_rss_mb']:,} MB, load {row['load_avg_1min']}", file=sys.stderr)
        rows.append(row)
    table = pd.DataFrame(rows)
    table["goal_cpu_ms_per_article"] = GOAL_MS_PER_ARTICLE
    # the goal is about scale: on the small built-in corpus fixed costs (loading the language
    # model, about 0.5 s) weigh in, so it is judged only from 20,000 articles up
    at_scale = table["articles"] >= 20000
    table["meets_goal"] = [bool(ok) if big else None for ok, big in
                           zip(table["cpu_ms_per_article"] <= GOAL_MS_PER_ARTICLE, at_scale)]
    table["machine"] = f"{platform.machine()} x{os.cpu_count()} / Python {platform.python_version()} / numpy {np.__version__}"
    pd.set_option("display.width", 220)
    print(table[["size", "articles", "kept", "cpu_s", "wall_s", "cpu_ms_per_article", "peak_rss_mb", "load_avg_1min",
                 "meets_goal"]].to_string(index=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS, index=False, lineterminator="\n")
    print(f"written {RESULTS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
