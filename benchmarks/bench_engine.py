"""Engine benchmark: the local engine against a Dask ``LocalCluster`` on the same machine.

Builds (once, in ``benchmarks/work/engine-<N>``) N aggregator pages from N distinct articles
(:func:`newsscope.synth_articles.vary_articles` + :func:`newsscope.synth.generate_pages`), then
times, in this process:

``parse``  ``parsing.parse_paths`` (sequential) vs ``engine.parse_paths`` on the cluster
``clean``  ``clean.clean_articles`` vs ``engine.clean_articles``
``ner``    ``actors.ner.extract_mentions`` with ``n_process=1`` and ``2`` vs ``engine.extract_mentions``
           (on the first ``--ner-docs`` cleaned articles; each run with an empty mention store)

Recorded: wall seconds and CPU seconds of every process involved (this one, spaCy's worker
processes, the Dask workers), so the engine's overhead shows even when the shared machine is
busy. Every engine result is checked against the sequential one (``pandas.testing``). The cluster's
start and shutdown are timed apart from the stages; the first stage on a fresh cluster pays for
importing newsscope in the workers (``warm-up`` row). The machine is shared: the load average
before and after is recorded with the numbers. Results: ``benchmarks/results/engine.csv`` and a
Markdown table in ``benchmarks/results/engine.md``.

Usage::

    python benchmarks/bench_engine.py                     # 5,000 pages, 2 workers, NER on 1,000
    python benchmarks/bench_engine.py --pages 20000 --workers 4 --ner-docs 2000
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _corpus(n: int, seed: int) -> Path:
    from newsscope import corpus, synth
    from newsscope.synth_articles import vary_articles

    out = HERE / "work" / f"engine-{n}-{seed}"
    if not (out / "manifest.csv").is_file():
        arts = vary_articles(corpus.load_corpus("builtin:newsarticles"), n, seed=seed)
        synth.generate_pages(arts, out, n, seed=seed, replace=False)
    return out


_ENGINE = None  # the Dask engine while it runs: its workers' CPU counts too


def _cpu() -> float:
    """CPU seconds of this process and of the workers: spaCy's pool (finished children) or the Dask workers."""
    if _ENGINE is not None:  # worker processes still running: ask them
        return time.process_time() + sum(_ENGINE.client.run(time.process_time).values())
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(func, *args, **kwargs):
    t0, c0 = time.perf_counter(), _cpu()
    value = func(*args, **kwargs)
    return value, time.perf_counter() - t0, _cpu() - c0


def main() -> None:  # noqa: PLR0915 - a linear script
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--ner-docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from newsscope import engine
    from newsscope.actors import ner
    from newsscope.clean import clean_articles
    from newsscope.corpus import apply_manifest, conform_articles, read_manifest
    from newsscope.parsing import parse_paths

    work = _corpus(args.pages, args.seed)
    pages, manifest = work / "pages", work / "manifest.csv"
    load_before = os.getloadavg()
    rows: list[dict] = []

    def record(stage: str, eng: str, items: int, wall: float, cpu: float, note: str = "") -> None:
        rows.append({"stage": stage, "engine": eng, "items": items, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                     "items_per_s": round(items / wall, 1) if wall > 0 and items else None, "note": note})
        print(f"{stage:<8} {eng:<22} {items:>6} items {wall:8.2f} s wall {cpu:8.2f} s CPU  {note}", flush=True)

    # ---- sequential
    ref_parse, w, c = _timed(parse_paths, [pages], exclude=[manifest])
    record("parse", "local", len(ref_parse.accounting), w, c)
    raw = conform_articles(apply_manifest(ref_parse.articles, read_manifest(manifest)))
    ref_clean, w, c = _timed(clean_articles, raw, rejected=ref_parse.rejected)
    record("clean", "local", len(raw), w, c)
    docs = ref_clean.analysis_set.iloc[: args.ner_docs]
    ref_ner = None
    for n_process in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["NEWSSCOPE_CACHE"] = tmp
            got, w, c = _timed(ner.extract_mentions, docs, n_process=n_process, progress=False)
        ref_ner = ref_ner or got
        record("ner", f"local n_process={n_process}", len(docs), w, c)

    # ---- Dask LocalCluster
    global _ENGINE
    eng, w, c = _timed(engine.get_engine, "dask-local", n_workers=args.workers, progress=False)
    record("start", f"dask-local x{args.workers}", 0, w, c, "LocalCluster start")
    _ENGINE = eng
    try:
        _, w, c = _timed(eng.client.run, _warm, 0)
        record("warm-up", f"dask-local x{args.workers}", 0, w, c, "import newsscope in the workers")
        got, w, c = _timed(engine.parse_paths, [pages], engine=eng, exclude=[manifest])
        for name in ("articles", "rejected", "accounting"):
            pd.testing.assert_frame_equal(getattr(ref_parse, name), getattr(got, name))
        record("parse", f"dask-local x{args.workers}", len(got.accounting), w, c, "identical")
        got, w, c = _timed(engine.clean_articles, raw, rejected=ref_parse.rejected, engine=eng)
        for name in ("articles", "funnel", "duplicates", "boilerplate", "repair_counts"):
            pd.testing.assert_frame_equal(getattr(ref_clean, name), getattr(got, name))
        steps = ", ".join(f"{k} {v:.1f}" for k, v in got.timings.items() if k != "total")
        record("clean", f"dask-local x{args.workers}", len(raw), w, c, f"identical; steps (s): {steps}")
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["NEWSSCOPE_CACHE"] = tmp
            got, w, c = _timed(engine.extract_mentions, docs, engine=eng)
        pd.testing.assert_frame_equal(ref_ner[0], got[0])
        pd.testing.assert_frame_equal(ref_ner[1], got[1])
        record("ner", f"dask-local x{args.workers}", len(docs), w, c, "identical")
    finally:
        _ENGINE = None
        t0, c0 = time.perf_counter(), time.process_time()
        eng.close()
        record("stop", f"dask-local x{args.workers}", 0, time.perf_counter() - t0, time.process_time() - c0,
               "cluster shutdown")

    load_after = os.getloadavg()
    table = pd.DataFrame(rows)
    RESULTS.mkdir(exist_ok=True)
    table.to_csv(RESULTS / "engine.csv", index=False, lineterminator="\n")
    facts = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} (shared machine)")
    md = [f"Engine benchmark: {args.pages:,} generated pages, NER on {len(docs):,} articles; {facts}.", "",
          "| stage | engine | items | wall s | CPU s (all processes) | items/s | note |",
          "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        md.append(f"| {r['stage']} | {r['engine']} | {r['items'] or ''} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | "
                  f"{r['items_per_s'] or ''} | {r['note']} |")
    (RESULTS / "engine.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))


def _warm(_: int) -> bool:
    import newsscope.actors.ner  # noqa: F401
    import newsscope.clean  # noqa: F401
    import newsscope.parsing  # noqa: F401
    from newsscope.clean import language

    language._identifier()
    return True


if __name__ == "__main__":
    main()
