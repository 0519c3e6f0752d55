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

Recorded per size: CPU seconds during the call, of the process and of the worker processes it
forked (``clean_articles`` runs its per-article phases on all cores from 20,000 articles up;
``time.process_time`` plus ``RUSAGE_CHILDREN``; other load on the shared machine barely changes
it) and wall seconds beside it (which does depend on that load: with both cores busy elsewhere
two workers cannot run side by side), per-article figures, the stage wall times the stage
reports, peak resident memory of the process (``ru_maxrss``, including the input table), of the
largest worker, and what the process held before the call, the machine's 1-minute load
average, the number of processes used, and a digest of the cleaned table (every column and
row; equal digests mean equal output, e.g. between code versions or ``n_jobs``). Writes
``benchmarks/results/clean.csv``.

Goal (issue 7): 100k articles through parse, clean, vectorize, trends and topics in 5 minutes
on 2 cores, so cleaning should take at most about 1 ms of CPU per article and, on both cores,
0.5 ms of wall time (50 s for 100k; judged from 20,000 articles up; on the built-in corpus the
fixed costs, about 0.5 s, weigh in). The wall goal needs the two cores free of other work.

Usage: ``python benchmarks/bench_clean.py [--sizes builtin,20000,100000] [--seed 0] [--n-jobs N]``
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
GOAL_WALL_MS_PER_ARTICLE = 0.5  # 100k articles in 50 s on 2 quiet cores
STAGES = ("repairs_fields", "repair_hyphens", "boilerplate", "strip_measures", "dedup")


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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child(size: str, seed: int, n_jobs: int | None = None) -> dict:
    """Load the input, clean it once, return the measurements (runs in its own process)."""
    raw, rejected = load_input(size, seed)
    from newsscope.clean import check_funnel, clean_articles
    from newsscope.clean.parallel import resolve_jobs

    rss_before = _rss_mb()
    load = os.getloadavg()[0]
    c0, k0, w0 = time.process_time(), _children_cpu(), time.perf_counter()
    result = clean_articles(raw, rejected=rejected, n_jobs=n_jobs)
    cpu, wall = time.process_time() - c0 + _children_cpu() - k0, time.perf_counter() - w0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    check_funnel(result.funnel, result.articles["status"])
    n = len(raw)
    row = {
        "size": size, "articles": n, "kept": int((result.articles["status"] == "kept").sum()),
        "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
        "cpu_ms_per_article": round(1000 * cpu / n, 3), "wall_ms_per_article": round(1000 * wall / n, 3),
        "articles_per_cpu_s": round(n / cpu), "peak_rss_mb": round(peak), "worker_peak_rss_mb": round(worker_peak),
        "rss_before_mb": round(rss_before), "load_avg_1min": round(load, 2), "n_jobs": resolve_jobs(n_jobs, n),
    }
    row.update({f"{k}_wall_s": round(result.timings.get(k, float("nan")), 2) for k in STAGES})
    row["table_digest"] = digest(result.articles)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="builtin,20000,100000", help="comma-separated: builtin and/or article counts")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-jobs", type=int, default=None, help="processes for cleaning (default: the stage's own choice)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed, args.n_jobs)))
        return

    import numpy as np
    import pandas as pd

    rows = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if size != "builtin":  # generate (and cache) the input outside the timed process
            subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); "
                            f"import bench_clean as b; b.load_input({size!r}, {args.seed})"], check=True)
        print(f"cleaning {size} ...", file=sys.stderr, flush=True)
        jobs = [] if args.n_jobs is None else ["--n-jobs", str(args.n_jobs)]
        out = subprocess.run([sys.executable, __file__, "--child", size, "--seed", str(args.seed), *jobs],
                             check=True, stdout=subprocess.PIPE, text=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  {row['articles']:,} articles: {row['cpu_s']} s CPU ({row['cpu_ms_per_article']} ms/article), "
              f"{row['wall_s']} s wall, peak RSS {row['peak_rss_mb']:,} MB, load {row['load_avg_1min']}", file=sys.stderr)
        rows.append(row)
    table = pd.DataFrame(rows)
    table["goal_cpu_ms_per_article"] = GOAL_MS_PER_ARTICLE
    table["goal_wall_ms_per_article"] = GOAL_WALL_MS_PER_ARTICLE
    # the goal is about scale: on the small built-in corpus fixed costs (loading the language
    # model, about 0.5 s) weigh in, so it is judged only from 20,000 articles up
    at_scale = table["articles"] >= 20000
    table["meets_goal"] = [bool(ok) if big else None for ok, big in
                           zip(table["cpu_ms_per_article"] <= GOAL_MS_PER_ARTICLE, at_scale)]
    table["meets_wall_goal"] = [bool(ok) if big else None for ok, big in
                                zip(table["wall_ms_per_article"] <= GOAL_WALL_MS_PER_ARTICLE, at_scale)]
    table["machine"] = f"{platform.machine()} x{os.cpu_count()} / Python {platform.python_version()} / numpy {np.__version__}"
    pd.set_option("display.width", 220)
    print(table[["size", "articles", "kept", "n_jobs", "cpu_s", "wall_s", "cpu_ms_per_article", "peak_rss_mb",
                 "worker_peak_rss_mb", "load_avg_1min", "meets_goal", "meets_wall_goal", "table_digest"]].to_string(index=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS, index=False, lineterminator="\n")
    print(f"written {RESULTS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
