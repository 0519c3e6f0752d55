"""Engine benchmark: the local engine against a Dask ``LocalCluster`` on the same machine.

Builds (once, in ``benchmarks/work/engine-<N>``) N aggregator pages from N distinct articles
(:func:`newsscope.synth_articles.vary_articles` + :func:`newsscope.synth.generate_pages`), then
times, in this process, each stage locally and right after on the cluster:

``parse``  ``parsing.parse_paths`` (sequential) vs ``engine.parse_paths`` on the cluster
``clean``  ``clean.clean_articles`` vs ``engine.clean_articles``
``ner``    ``actors.ner.extract_mentions`` with ``n_process=1`` and ``2`` vs ``engine.extract_mentions``
           (on the first ``--ner-docs`` cleaned articles; each run with an empty mention store)

Recorded: wall seconds, and CPU seconds of this process (the driver) and of the workers (spaCy's
pool or the Dask workers), so the parallel share of the work shows even when the shared machine is
busy and wall times say little: the ideal speed-up on W free cores is the local run's CPU /
(the Dask run's driver CPU + its workers' CPU / W). Every engine result is checked against the sequential one (``pandas.testing``);
the NER must come from the workers (during the Dask run this process cannot load spaCy, and a task
that returns fewer rows than documents is an error). The cluster's
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
from contextlib import contextmanager
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


def _cpu() -> tuple[float, float]:
    """CPU seconds of (this process, its workers): spaCy's finished n_process children or the Dask workers."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = children.ru_utime + children.ru_stime
    if _ENGINE is not None:  # worker processes still running: ask them
        workers += sum(_ENGINE.client.run(time.process_time).values())
    return time.process_time(), workers


def _timed(func, *args, **kwargs):
    t0, (d0, w0) = time.perf_counter(), _cpu()
    value = func(*args, **kwargs)
    d1, w1 = _cpu()
    return value, time.perf_counter() - t0, (d1 - d0, w1 - w0)


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

    def record(stage: str, eng: str, items: int, wall: float, cpu: tuple[float, float], note: str = "") -> None:
        driver, workers = cpu
        # on free cores: the local run's CPU against the driver's (serial) CPU plus the workers' CPU shared by W
        local = next((r for r in rows if r["stage"] == stage and r["engine"] in ("local", "local n_process=1")), None)
        bound = None
        if local is not None and eng.startswith("dask") and workers > 0:
            bound = (local["cpu_driver_s"] + local["cpu_workers_s"]) / (driver + workers / args.workers)
        rows.append({"stage": stage, "engine": eng, "items": items, "wall_s": round(wall, 2),
                     "cpu_driver_s": round(driver, 2), "cpu_workers_s": round(workers, 2),
                     "items_per_s": round(items / wall, 1) if wall > 0 and items else None,
                     "ideal_speedup": round(bound, 2) if bound else None, "note": note})
        print(f"{stage:<8} {eng:<22} {items:>6} items {wall:8.2f} s wall  CPU {driver:7.2f} s driver {workers:7.2f} s workers"
              f"  {note}", flush=True)

    # The cluster starts first; then each stage runs locally and right after on the cluster, so that
    # both see about the same load on a shared machine.
    global _ENGINE
    label = f"dask-local x{args.workers}"
    eng, w, c = _timed(engine.get_engine, "dask-local", n_workers=args.workers, progress=False)
    record("start", label, 0, w, c, "LocalCluster start")
    _ENGINE = eng
    try:
        _, w, c = _timed(eng.client.run, _warm, 0)
        record("warm-up", label, 0, w, c, "import newsscope in the workers")

        ref_parse, w, c = _timed(parse_paths, [pages], exclude=[manifest])
        record("parse", "local", len(ref_parse.accounting), w, c)
        got, w, c = _timed(engine.parse_paths, [pages], engine=eng, exclude=[manifest])
        for name in ("articles", "rejected", "accounting"):
            pd.testing.assert_frame_equal(getattr(ref_parse, name), getattr(got, name))
        record("parse", label, len(got.accounting), w, c, "identical")

        raw = conform_articles(apply_manifest(ref_parse.articles, read_manifest(manifest)))
        ref_clean, w, c = _timed(clean_articles, raw, rejected=ref_parse.rejected)
        record("clean", "local", len(raw), w, c)
        got, w, c = _timed(engine.clean_articles, raw, rejected=ref_parse.rejected, engine=eng)
        for name in ("articles", "funnel", "duplicates", "boilerplate", "repair_counts"):
            pd.testing.assert_frame_equal(getattr(ref_clean, name), getattr(got, name))
        steps = ", ".join(f"{k} {v:.1f}" for k, v in got.timings.items() if k != "total")
        record("clean", label, len(raw), w, c, f"identical; steps (s): {steps}")

        docs = ref_clean.analysis_set.iloc[: args.ner_docs]
        ref_ner = None
        for n_process in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                os.environ["NEWSSCOPE_CACHE"] = tmp
                got, w, c = _timed(ner.extract_mentions, docs, n_process=n_process, progress=False)
            ref_ner = ref_ner or got
            record("ner", f"local n_process={n_process}", len(docs), w, c)
        with tempfile.TemporaryDirectory() as tmp, _no_spacy_in_driver(ner):
            os.environ["NEWSSCOPE_CACHE"] = tmp
            got, w, c = _timed(engine.extract_mentions, docs, engine=eng)
        # every document was recognised on the workers (the driver could not load spaCy; a task that
        # returns fewer rows than documents raises PartitionError), and the tables are the local ones
        assert got[1].attrs["ner_new"] == len(set(ner.document_texts(docs))) and got[1].attrs["ner_engine"] == "dask-local"
        pd.testing.assert_frame_equal(ref_ner[0], got[0])
        pd.testing.assert_frame_equal(ref_ner[1], got[1])
        record("ner", label, len(docs), w, c, "identical, all on the workers")
    finally:
        _ENGINE = None
        t0, c0 = time.perf_counter(), time.process_time()
        eng.close()
        record("stop", label, 0, time.perf_counter() - t0, (time.process_time() - c0, 0.0), "cluster shutdown")

    load_after = os.getloadavg()
    table = pd.DataFrame(rows)
    RESULTS.mkdir(exist_ok=True)
    table.to_csv(RESULTS / "engine.csv", index=False, lineterminator="\n")
    facts = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} (shared machine)")
    md = [f"Engine benchmark: {args.pages:,} generated pages, NER on {len(docs):,} articles; {facts}.", "",
          "| stage | engine | items | wall s | CPU s driver | CPU s workers | items/s | ideal speed-up | note |",
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        md.append(f"| {r['stage']} | {r['engine']} | {r['items'] or ''} | {r['wall_s']:.2f} | {r['cpu_driver_s']:.2f} | "
                  f"{r['cpu_workers_s']:.2f} | {r['items_per_s'] or ''} | {r['ideal_speedup'] or ''} | {r['note']} |")
    md += ["", f"CPU s workers: the Dask worker processes (or spaCy's n_process pool). Ideal speed-up: the local run's CPU "
           f"/ (the Dask run's driver CPU + its workers' CPU / {args.workers}): what {args.workers} free cores would give "
           "(the driver's share is serial; the engine's extra work counts against it)."]
    (RESULTS / "engine.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))


@contextmanager
def _no_spacy_in_driver(ner_module):
    """While inside, this process cannot load or run a spaCy pipeline (the Dask workers are other processes)."""
    def refuse(*args, **kwargs):
        raise AssertionError("NER ran in the driver during the engine run: the workers' results were not used")

    saved = ner_module.load_pipeline, ner_module._init_worker
    ner_module.load_pipeline = ner_module._init_worker = refuse
    try:
        yield
    finally:
        ner_module.load_pipeline, ner_module._init_worker = saved


def _warm(_: int) -> bool:
    import newsscope.actors.ner  # noqa: F401
    import newsscope.clean  # noqa: F401
    import newsscope.parsing  # noqa: F401
    from newsscope.clean import language

    language._identifier()
    return True


if __name__ == "__main__":
    main()
