"""Parser throughput on one core: pages/s and MB/s over generated aggregator pages.

Renders N pages (default 12,000) from the built-in articles in the seed's format with every
variant and encoding of :mod:`newsscope.synth` into a temporary folder, then times three
stages in this single process (one core):

``parse_text``   the parser alone, on texts already in memory;
``read+parse``   reading, decoding and parsing every file;
``parse_paths``  the whole ``newsscope.parsing.parse_paths`` call: listing, reading, decoding,
                 parsing, accounting and the typed article table.

Each stage runs ``--repeat`` times; the best run counts (CPU time of this process, so other
load on the machine does not distort it; wall time is reported too). The parse is also checked
against the generator's known answers. The table is printed and written to
``benchmarks/results/parse.csv``. Goal: >= 5,000 pages/s per core for ``parse_paths``.

Usage: ``python benchmarks/bench_parse.py [--n 12000] [--seed 0] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from newsscope.corpus import load_corpus
from newsscope.parsing import parse_paths, parse_text, read_page_file
from newsscope.parsing.files import _list_files
from newsscope.synth import generate_pages, read_truth

GOAL_PAGES_PER_S = 5000
RESULTS = Path(__file__).resolve().parent / "results" / "parse.csv"
FIELDS = ["source", "section", "authors", "title", "captions", "image_credits", "text", "paywalled"]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _best(fn, repeat: int) -> tuple[float, float]:
    """Return the best (cpu, wall) seconds of ``repeat`` runs of ``fn``."""
    runs = []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        runs.append((time.process_time() - c0, time.perf_counter() - w0))
    return min(runs)


def _none(v: object) -> object:
    return None if v is None or (isinstance(v, float) and v != v) else v


def _accuracy(folder: Path, articles: pd.DataFrame) -> float:
    truth = read_truth(folder).set_index("file")
    got = articles.set_index("origin").reindex(truth.index)
    ok = [True] * len(truth)
    for field in FIELDS:
        ok = [k and _none(a) == _none(b) for k, a, b in zip(ok, truth[field], got[field])]
    return sum(ok) / max(len(ok), 1)


def run(n: int, seed: int, repeat: int) -> pd.DataFrame:
    """Generate ``n`` pages, time the three stages and return the result table."""
    articles = load_corpus("builtin:newsarticles")
    with tempfile.TemporaryDirectory(prefix="newsscope-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate_pages(articles, folder, n, seed=seed)
        print(f"generated {n:,} pages in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        pages_dir = folder / "pages"
        files = _list_files([pages_dir])
        n_bytes = sum(os.path.getsize(f) for f in files)
        texts = [p.text for p in (read_page_file(f) for f in files) if not p.rejected]  # also warms the page cache
        text_bytes = sum(len(t.encode("utf-8")) for t in texts)
        stages = {
            "parse_text": (lambda: [parse_text(t, "x", normalized=True) for t in texts], len(texts), text_bytes),
            "read+parse": (lambda: [parse_text(p.text, f, p.warnings, normalized=True) for f in files
                                    for p in [read_page_file(f)] if not p.rejected], len(files), n_bytes),
            "parse_paths": (lambda: parse_paths([pages_dir]), len(files), n_bytes),
        }
        rows = []
        for stage, (fn, count, size) in stages.items():
            cpu, wall = _best(fn, repeat)
            rows.append({"stage": stage, "pages": count, "megabytes": round(size / 1e6, 2),
                         "cpu_seconds": round(cpu, 3), "wall_seconds": round(wall, 3),
                         "pages_per_s": round(count / cpu), "mb_per_s": round(size / 1e6 / cpu, 2)})
        result = parse_paths([pages_dir])
        accuracy = _accuracy(folder, result.articles)
    table = pd.DataFrame(rows)
    table["goal_pages_per_s"] = GOAL_PAGES_PER_S
    table["meets_goal"] = table["pages_per_s"] >= GOAL_PAGES_PER_S
    table["exact_parse_share"] = round(accuracy, 4)
    table["python"] = platform.python_version()
    table["cpu"] = _cpu_model()
    return table


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write ``benchmarks/results/parse.csv``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=12000, help="pages to generate (>= 10,000 for the reported figure)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="runs per stage; the best counts")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    table = run(args.n, args.seed, args.repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    cols = ["stage", "pages", "megabytes", "cpu_seconds", "wall_seconds", "pages_per_s", "mb_per_s", "meets_goal"]
    print(table[cols].to_string(index=False))
    print(f"exact parse (all fields equal to the generator's answers): {table['exact_parse_share'].iloc[0]:.2%}")
    print(f"one core of: {table['cpu'].iloc[0]}; Python {table['python'].iloc[0]}; goal >= {GOAL_PAGES_PER_S:,} pages/s")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
