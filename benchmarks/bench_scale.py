"""Scale benchmark: every stage of newsscope on 10k and 100k generated aggregator pages.

For each size N the benchmark builds a corpus once (cached in the work folder):
:func:`newsscope.synth.vary_articles` makes N distinct articles from the built-in corpus
(rewrites with topical donor sentences and invented names, 3% exact and 5% near duplicates, dates
over ``--date-epochs`` spans of the input's period) and :func:`newsscope.synth.generate_pages`
renders each as one aggregator page in the seed's format (every variant and encoding) with a
manifest. Then each stage runs in its own Python process, on the previous stage's output:

``parse``      ``read_corpus(pages, manifest=...)``: list, read, decode, parse, apply the manifest
``clean``      ``clean.clean_articles``: repairs, fields, boilerplate, language, exact + near dedup
``vectorize``  ``vectorize.build_dtm``: tokens, phrases, outlet terms, the document-term matrix
``trends``     ``trends.detect_bursts``: Kleinberg bursts over the whole vocabulary, grouped
``topics``     ``topics.fit_topics(dtm=...)``: the k sweep with stability refits, labels, tables
``ner``        ``actors.extract_mentions`` on a sample, once with ``n_process=1`` and once with 2

Each process starts with an empty cache (``NEWSSCOPE_CACHE``), so nothing is reused. Recorded
per stage: wall and CPU seconds of the stage call alone (loading its input is timed
separately; CPU includes finished worker processes such as NER's), throughput, the peak
resident memory of the stage's process (``wait4`` ru_maxrss) and the peak of the summed RSS of
its process tree (sampled every 0.1 s; differs for NER with worker processes). Results go to
``benchmarks/results/scale.csv`` (rows of other sizes and stages are kept) and the table with
the machine's facts to ``benchmarks/README.md``.

Goals (2 cores): parse >= 5,000 pages/s per core; 100k articles through every stage except NER
in <= 5 min with peak memory <= 6 GB; NER throughput grows linearly with processes.

Usage::

    python benchmarks/bench_scale.py                                   # 10k and 100k, all stages
    python benchmarks/bench_scale.py --sizes 10000 --stages parse,clean
    python benchmarks/bench_scale.py --sizes 100000 --stages clean --profile   # where time goes
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
RESULTS_CSV = HERE / "results" / "scale.csv"
README = HERE / "README.md"
STAGES = ("parse", "clean", "vectorize", "trends", "topics", "ner")
PIPELINE = ("parse", "clean", "vectorize", "trends", "topics")  # the 5-minute goal
GOAL_PARSE_PER_CORE = 5000
GOAL_PIPELINE_SECONDS = 300
GOAL_PEAK_MB = 6 * 1024
GOAL_STREAM_SECONDS = 3600  # 1,000,000 articles through every stage except NER, partitioned
GOAL_STREAM_PEAK_MB = 8 * 1024
MARK_BEGIN, MARK_END = "<!-- bench_scale:begin -->", "<!-- bench_scale:end -->"


# --------------------------------------------------------------------------- machine facts

def machine_facts() -> dict[str, Any]:
    """Return cores, RAM, CPU model and Python version of this machine."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram_gb = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "ram_gb": ram_gb, "python": platform.python_version()}


# --------------------------------------------------------------------------- memory sampling

def _tree_rss_kb(root: int) -> int:
    """Sum of VmRSS (kB) over ``root`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    return total


class TreeSampler(threading.Thread):
    """Sample the summed RSS of a process tree until stopped; ``peak_kb`` holds the maximum."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# --------------------------------------------------------------------------- the stages (child side)

def _load(path: Path) -> Any:
    with open(path, "rb") as fh:
        return pickle.load(fh)


def _dump(obj: Any, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(obj, fh, protocol=5)
    os.replace(tmp, path)


GENERATE_CHUNK = 100_000  # stories varied and rendered at a time: generation memory stays flat at any size


def stage_generate(work: Path, n: int, seed: int, date_epochs: int) -> dict[str, Any]:
    """Vary the built-in articles into ``n`` stories and render one page per story.

    Up to :data:`GENERATE_CHUNK` pages are made in one call (so the 10k and 100k corpora are the
    ones of earlier runs); bigger corpora are made chunk by chunk (``pages/cNN/``), each chunk with
    its own seed and story numbers (``vary_articles(start=)``), so memory stays flat.
    """
    import warnings

    from newsscope.corpus import load_corpus
    from newsscope.synth import generate_pages, vary_articles

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = load_corpus("builtin:newsarticles")
    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    t0 = time.perf_counter()
    vary_s = render_s = 0.0
    manifests, truths, kinds, days = [], [], {}, set()
    chunks = [(0, n)] if n <= GENERATE_CHUNK else [(c, min(GENERATE_CHUNK, n - c * GENERATE_CHUNK))
                                                    for c in range((n + GENERATE_CHUNK - 1) // GENERATE_CHUNK)]
    for c, m in chunks:
        chunked = len(chunks) > 1
        t_a = time.perf_counter()
        # a few more stories than pages: the renderer skips stories too short for a page, and without
        # spares it would wrap around and render some stories twice (unplanned duplicates)
        spare = m + max(50, m // 16)
        varied = vary_articles(base, spare, seed=seed + 7919 * c if chunked else seed, date_epochs=date_epochs,
                               start=c * 2 * GENERATE_CHUNK if chunked else 0)
        t_b = time.perf_counter()
        out = corpus / "chunks" / f"c{c:02d}" if chunked else corpus
        manifest = generate_pages(varied, out, m, seed=seed + 7919 * c if chunked else seed, replace=False)
        if chunked:
            (corpus / "pages").mkdir(parents=True, exist_ok=True)
            os.replace(out / "pages", corpus / "pages" / f"c{c:02d}")
            manifest["file"] = f"c{c:02d}/" + manifest["file"]
        render_s += time.perf_counter() - t_b
        vary_s += t_b - t_a
        rendered = varied[varied["url"].isin(set(manifest["url"]))]
        truths.append(rendered[["synth_id", "kind", "copy_of", "url"]])
        manifests.append(manifest)
        for k, v in rendered["kind"].value_counts().items():
            kinds[k] = kinds.get(k, 0) + int(v)
        days.update(rendered["published"].dropna().dt.normalize().unique())
        del varied, rendered
    manifest = pd.concat(manifests, ignore_index=True)
    if len(chunks) > 1:
        manifest.loc[manifest["in_manifest"], ["file", "url", "published", "source"]].to_csv(corpus / "manifest.csv", index=False)
        shutil.rmtree(corpus / "chunks")
    repeated = int(manifest["url"].duplicated().sum())
    if repeated:
        raise RuntimeError(f"{repeated} stories were rendered twice; generate more spare stories")
    pd.concat(truths, ignore_index=True).to_parquet(corpus / "synth.parquet", index=False)
    return {"items": n, "unit": "pages", "seconds": time.perf_counter() - t0, "details": {
        "vary_seconds": round(vary_s, 1), "render_seconds": round(render_s, 1), "chunks": len(chunks),
        "kinds": kinds, "days": len(days),
        "megabytes": round(sum(f.stat().st_size for f in (corpus / "pages").rglob("*.txt")) / 1e6, 1),
        "unlisted_in_manifest": int((~manifest["in_manifest"]).sum())}}


def _engine(name: str | None, workers: int) -> Any:
    """The newsscope engine to run parse/clean on (None: the plain stage functions)."""
    if not name:
        return None
    from newsscope.engine import get_engine

    return get_engine(name, n_workers=workers or None, progress=False)


def _run_parse(work: Path, engine: Any = None, **_: Any) -> tuple[Any, dict[str, Any]]:
    corpus = work / "corpus"
    if engine is None:
        from newsscope.corpus import read_corpus

        return (lambda: read_corpus(corpus / "pages", manifest=corpus / "manifest.csv")), {}
    from newsscope.engine import read_corpus as engine_read_corpus

    return (lambda: engine_read_corpus(corpus / "pages", manifest=corpus / "manifest.csv", engine=engine)), {}


def _run_clean(work: Path, engine: Any = None, **_: Any) -> tuple[Any, dict[str, Any]]:
    loaded = _load(work / "parsed.pkl")
    if engine is None:
        from newsscope.clean import clean_articles

        return (lambda: clean_articles(loaded.articles, rejected=loaded.rejected)), {"input_rows": len(loaded.articles)}
    from newsscope.engine import clean_articles as engine_clean_articles

    return (lambda: engine_clean_articles(loaded.articles, rejected=loaded.rejected, engine=engine, progress=False)), \
        {"input_rows": len(loaded.articles)}


def _run_vectorize(work: Path, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.vectorize import build_dtm

    docs = _load(work / "clean.pkl")
    return (lambda: build_dtm(docs)), {"input_rows": len(docs)}


def _run_trends(work: Path, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.trends import detect_bursts

    dtm = _load(work / "dtm.pkl")
    return (lambda: detect_bursts(dtm)), {"input_rows": dtm.n_docs}


def _run_topics(work: Path, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.topics import fit_topics

    dtm = _load(work / "dtm.pkl")
    return (lambda: fit_topics("bench", dtm=dtm, progress=False)), {"input_rows": dtm.n_docs}


def _run_ner(work: Path, ner_sample: int = 1000, n_process: int = 1, seed: int = 0, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.actors import extract_mentions, load_pipeline

    docs = _load(work / "clean.pkl")
    sample = docs.sample(n=min(ner_sample, len(docs)), random_state=seed).sort_values("doc_id")
    load_pipeline()  # model loading is not NER throughput
    return (lambda: extract_mentions(sample, n_process=n_process, progress=False)), {
        "input_rows": len(sample), "n_process": n_process, "chars": int(sample["text"].str.len().sum())}


# --------------------------------------------------------------------------- the partitioned pipeline (--stream)

def _stream_root(work: Path) -> Path:
    return work / "stream"


def _run_stream_parse(work: Path, engine: Any = None, partition_size: int = 0, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.engine.stream.parse import STREAM_PARSE_PARTITION, parse_to_parts

    corpus = work / "corpus"
    return (lambda: parse_to_parts(corpus / "pages", _stream_root(work), manifest=corpus / "manifest.csv", engine=engine,
                                   partition_size=partition_size or STREAM_PARSE_PARTITION, progress=False)), {}


def _run_stream_clean(work: Path, engine: Any = None, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.engine.stream.clean import clean_parts
    from newsscope.parts import PartStore

    root = _stream_root(work)
    raw = PartStore(root / "raw")
    rejected = PartStore(root / "rejected").read_all()
    return (lambda: clean_parts(raw, root, rejected=rejected, engine=engine, progress=False)), {"input_rows": raw.n_rows}


def _run_stream_vectorize(work: Path, engine: Any = None, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.engine.stream.vectorize import vectorize_parts
    from newsscope.parts import PartStore

    root = _stream_root(work)
    clean = PartStore(root / "clean")
    return (lambda: vectorize_parts(clean, root / "dtm", engine=engine, progress=False)), {"input_rows": clean.n_rows}


def _blocks(work: Path) -> Any:
    from newsscope.vectorize.blocks import DTMBlocks

    return DTMBlocks(_stream_root(work) / "dtm")


def _run_stream_trends(work: Path, engine: Any = None, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.engine.stream.trends import burst_parts

    blocks = _blocks(work)
    return (lambda: burst_parts(blocks, _stream_root(work), engine=engine)), {"input_rows": blocks.n_docs}


def _run_stream_topics(work: Path, engine: Any = None, **_: Any) -> tuple[Any, dict[str, Any]]:
    from newsscope.engine.stream.topics import fit_topics_parts

    blocks = _blocks(work)
    return (lambda: fit_topics_parts(blocks, _stream_root(work), engine=engine, progress=False)), {"input_rows": blocks.n_docs}


STREAM_RUNNERS = {"parse": _run_stream_parse, "clean": _run_stream_clean, "vectorize": _run_stream_vectorize,
                  "trends": _run_stream_trends, "topics": _run_stream_topics}


def _finish_stream(stage: str, out: Any, work: Path, info: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
    """Details of a partitioned stage (its output stays in the run folder for the next stage)."""
    if stage == "parse":
        return int(out.outcomes().sum()), "pages", {"articles": out.n_articles, "parts": out.articles.n_parts,
                                                    "outcomes": out.outcomes().to_dict()}
    if stage == "clean":
        cols = ["doc_id", "url", "status", "duplicate_of"]
        arts = out.articles.read_all(cols)
        details = {"kept": int(out.analysis_rows), "status": arts["status"].value_counts().to_dict(), "parts": out.articles.n_parts}
        details.update(_dedup_recall(arts, work))
        return info["input_rows"], "articles", details
    if stage == "vectorize":
        return info["input_rows"], "articles", {"docs": int(out.n_docs), "terms": len(out.terms), "blocks": out.n_blocks}
    if stage == "trends":
        return info["input_rows"], "articles", {"bursts": len(out)}
    if stage == "topics":
        return info["input_rows"], "articles", {"k": int(out.k), "topics": len(out.topics)}
    raise ValueError(stage)


def _finish(stage: str, out: Any, work: Path, info: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
    """Save what the next stage needs; return (items, unit, details)."""
    if stage == "parse":
        _dump(out, work / "parsed.pkl")
        acc = out.accounting["outcome"].value_counts().to_dict()
        return len(out.accounting), "pages", {"articles": len(out.articles), "outcomes": acc}
    if stage == "clean":
        kept = out.analysis_set
        _dump(kept, work / "clean.pkl")
        details = {"kept": len(kept), "timings": {k: round(v, 2) for k, v in out.timings.items()},
                   "status": out.articles["status"].value_counts().to_dict()}
        details.update(_dedup_recall(out.articles, work))
        return info["input_rows"], "articles", details
    if stage == "vectorize":
        _dump(out, work / "dtm.pkl")
        return info["input_rows"], "articles", {"terms": len(out.terms), "nnz": int(out.X.nnz),
                                                 "phrases": len(out.vectorizer.phrases_)}
    if stage == "trends":
        return info["input_rows"], "articles", {"bursts": len(out), "skipped_days": len(out.attrs.get("skipped_days", []))}
    if stage == "topics":
        sel = out.selection
        return info["input_rows"], "articles", {"k": out.k, "fits": int(len(sel)), "messages": out.messages,
                                                 "fit_seconds": {int(k): round(float(s), 1) for k, s in zip(sel["k"], sel.get("fit_seconds", []))}}
    if stage == "ner":
        mentions, _ = out
        return info["input_rows"], "articles", {"n_process": info["n_process"], "mentions": len(mentions),
                                                 "chars": info["chars"]}
    raise ValueError(stage)


def _dedup_recall(articles: pd.DataFrame, work: Path) -> dict[str, Any]:
    """Share of planted duplicate pairs the cleaner merged, and of distinct stories it merged."""
    truth = pd.read_parquet(work / "corpus" / "synth.parquet")
    arts = articles[articles["url"].notna()]
    canon = {u: d if isinstance(d, str) else i for u, d, i in zip(arts["url"], arts["duplicate_of"], arts["doc_id"])}
    status = dict(zip(arts["url"], arts["status"]))
    by_id = truth.set_index("synth_id")
    copies = truth[truth["copy_of"].notna() & truth["copy_of"].isin(by_id.index)]  # both rendered
    pairs = [(u, by_id.at[c, "url"]) for u, c in zip(copies["url"], copies["copy_of"])]
    pairs = [(a, b) for a, b in pairs if a in canon and b in canon]
    found = sum(canon[a] == canon[b] for a, b in pairs)
    sources = set(copies["copy_of"])
    stories = truth[truth["kind"].isin(["original", "rewrite"]) & ~truth["synth_id"].isin(sources)]
    merged = [status[u] in ("exact_duplicate", "near_duplicate") for u in stories["url"] if u in status]
    return {"planted_pairs": len(pairs), "planted_pairs_merged": round(found / max(len(pairs), 1), 3),
            "stories_merged": round(sum(merged) / max(len(merged), 1), 4)}


ENGINE_STAGES = ("parse", "clean")
RUNNERS = {"parse": _run_parse, "clean": _run_clean, "vectorize": _run_vectorize, "trends": _run_trends,
           "topics": _run_topics, "ner": _run_ner}


def child_main(args: argparse.Namespace) -> int:
    """Run one stage in this process and write its measurements as JSON."""
    work = Path(args.work)
    t_load = time.perf_counter()
    if args.child == "generate":
        result = stage_generate(work, args.n, args.seed, args.date_epochs)
        result.update(cpu_seconds=time.process_time(), load_seconds=0.0)
    else:
        stream = args.stream and args.child in STREAM_RUNNERS
        engine = _engine(args.engine, args.workers) if args.child in ENGINE_STAGES or stream else None
        runners = STREAM_RUNNERS if stream else RUNNERS
        run, info = runners[args.child](work, ner_sample=args.ner_sample, n_process=args.n_process, seed=args.seed,
                                        engine=engine, partition_size=args.partition_size)
        load_s = time.perf_counter() - t_load
        profiler = None
        if args.profile_out:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        c0, k0, w0 = time.process_time(), _children_cpu(), time.perf_counter()
        out = run()
        wall = time.perf_counter() - w0
        _stop_worker_pools()  # reap joblib/loky workers so that their CPU time is counted
        cpu = time.process_time() - c0 + _children_cpu() - k0
        if profiler is not None:
            profiler.disable()
            _write_profile(profiler, Path(args.profile_out))
        if engine is not None:
            engine.close()  # workers end here, so their CPU time is counted below
            cpu = time.process_time() - c0 + _children_cpu() - k0
        items, unit, details = (_finish_stream if stream else _finish)(args.child, out, work, info)
        if stream:
            details["engine"] = args.engine or "local"
        result = {"items": items, "unit": unit, "seconds": wall, "cpu_seconds": cpu, "load_seconds": load_s, "details": details}
    Path(args.result).write_text(json.dumps(result, default=str))
    return 0


def _stop_worker_pools() -> None:
    """Shut down joblib's reusable loky pool (topic sweeps), if one was started, and wait for its workers."""
    if "joblib" in sys.modules:
        from joblib.externals.loky import reusable_executor

        executor = getattr(reusable_executor, "_executor", None)
        if executor is not None:
            executor.shutdown(wait=True)


def _children_cpu() -> float:
    """CPU seconds of this process's finished child processes (e.g. NER workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _write_profile(profiler: Any, path: Path) -> None:
    import io
    import pstats

    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue())


# --------------------------------------------------------------------------- parent side

def run_child(stage: str, size: int, work: Path, args: argparse.Namespace, n_process: int = 1) -> dict[str, Any]:
    """Run ``stage`` in a fresh process with an empty cache; return its measurements."""
    label = stage if stage != "ner" else f"ner_{n_process}proc"
    if args.stream and stage in STREAM_RUNNERS:
        label = f"{stage}[stream]"
    elif args.engine and stage in ENGINE_STAGES:
        label = f"{stage}[{args.engine}]"
    cache_dir = work / "cache" / label
    shutil.rmtree(cache_dir, ignore_errors=True)
    result_file = work / f"result-{label}.json"
    result_file.unlink(missing_ok=True)
    profile = (HERE / "work" / "profiles" / f"{size}-{label}.txt") if args.profile else None
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", stage, "--work", str(work), "--n", str(size),
           "--seed", str(args.seed), "--date-epochs", str(args.date_epochs), "--ner-sample", str(args.ner_sample),
           "--n-process", str(n_process), "--result", str(result_file), "--workers", str(args.workers)]
    cmd += ["--engine", args.engine] if args.engine else []
    cmd += ["--stream", "--partition-size", str(args.partition_size)] if args.stream else []
    cmd += ["--profile-out", str(profile)] if profile else []
    env = dict(os.environ, NEWSSCOPE_CACHE=str(cache_dir), NEWSSCOPE_OUT=str(work / "out"), PYTHONHASHSEED="0",
               MPLBACKEND="Agg")
    if args.blas_threads:
        env.update({v: str(args.blas_threads) for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")})
    if stage == "parse":
        warm_page_cache(work / "corpus")
    if args.stream and stage == "parse":
        shutil.rmtree(work / "stream", ignore_errors=True)
    print(f"[{size:,}] {label} ...", file=sys.stderr, flush=True)
    load = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0 or not result_file.is_file():
        raise RuntimeError(f"stage {label} at {size:,} failed (exit status {proc.returncode}); see the output above")
    res = json.loads(result_file.read_text())
    res.update(stage=label, size=size, load_1min=load, peak_rss_mb=round(usage.ru_maxrss / 1024),
               peak_tree_rss_mb=round(sampler.peak_kb / 1024), process_seconds=round(elapsed, 1))
    if profile:
        res["details"]["profile"] = str(profile.relative_to(HERE.parent))
    print(f"[{size:,}] {label}: {res['items']:,} {res['unit']} in {res['seconds']:.1f} s "
          f"(cpu {res['cpu_seconds']:.1f} s), peak {res['peak_rss_mb']:,} MB", file=sys.stderr, flush=True)
    return res


def warm_page_cache(folder: Path) -> None:
    """Read every file under ``folder`` once (untimed), so that the parse stage measures parsing.

    Read cold, right after other work pushed the pages out of the operating system's cache, the
    100k pages took 35 s instead of 20 s on this machine's virtual disk, 30 CPU-s of them: the
    disk, not the parser. A user's first read of a corpus is cold; the figure is in the README.
    """
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                while fh.read(1 << 20):
                    pass


def ensure_corpus(size: int, work: Path, args: argparse.Namespace) -> dict[str, Any] | None:
    """Generate the corpus of ``size`` pages unless the work folder already holds it."""
    stamp = work / "corpus" / "params.json"
    params = {"n": size, "seed": args.seed, "date_epochs": args.date_epochs, "version": 2 if size <= GENERATE_CHUNK else 3}
    if stamp.is_file() and json.loads(stamp.read_text()) == params and not args.regenerate:
        return None
    res = run_child("generate", size, work, args)
    stamp.write_text(json.dumps(params))
    return res


def _row(res: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    items, wall, cpu = res["items"], res["seconds"], res.get("cpu_seconds") or float("nan")
    return {"size": res["size"], "stage": res["stage"], "items": items, "unit": res["unit"],
            "wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "items_per_s": round(items / wall, 1) if wall else None,
            "items_per_cpu_s": round(items / cpu, 1) if cpu and cpu == cpu else None,
            "load_seconds": round(res.get("load_seconds", 0.0), 2), "peak_rss_mb": res["peak_rss_mb"],
            "peak_tree_rss_mb": res["peak_tree_rss_mb"], "details": json.dumps(res.get("details", {}), default=str),
            **facts, "load_1min": res["load_1min"], "date": time.strftime("%Y-%m-%d")}


ORDER = {s: i for i, s in enumerate(("generate", "parse", "clean", "vectorize", "trends", "topics", "ner_1proc", "ner_2proc"))}


def _stage_rank(label: str) -> int:
    """Sort key of a stage label: the in-memory stages in pipeline order, then the partitioned ones."""
    base, _, variant = str(label).partition("[")
    return (100 if variant.startswith("stream") else 10 if variant else 0) + ORDER.get(base, 50)


def merge_results(rows: list[dict[str, Any]], path: Path = RESULTS_CSV) -> pd.DataFrame:
    """Merge ``rows`` into the results CSV (replacing the same size and stage) and return it."""
    new = pd.DataFrame(rows)
    if path.is_file():
        old = pd.read_csv(path)
        keep = ~old.set_index(["size", "stage"]).index.isin(new.set_index(["size", "stage"]).index)
        new = pd.concat([old[keep], new], ignore_index=True)
    new = new.sort_values(["size", "stage"], key=lambda s: s.map(_stage_rank) if s.name == "stage" else s, kind="mergesort")
    path.parent.mkdir(parents=True, exist_ok=True)
    new.to_csv(path, index=False, lineterminator="\n")
    return new.reset_index(drop=True)


def _fmt(x: Any, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "–"
    return f"{x:,.{digits}f}"


def render_block(table: pd.DataFrame) -> str:
    """Return the Markdown of the measured tables and the goal check."""
    lines = []
    for size, g in table.groupby("size", sort=True):
        first = g.iloc[0]
        dates = sorted(set(g["date"].astype(str)))
        lines += [f"### {size:,} pages", "",
                  f"Measured {' to '.join(dates[::max(1, len(dates) - 1)])} on {first['cpu']}, {first['cores']} cores, "
                  f"{first['ram_gb']} GB RAM, Python {first['python']}; BLAS threads: {first.get('blas_threads', 'default')}. "
                  "*load*: the machine's 1-minute load average when the stage started.", "",
                  "| stage | items | wall s | CPU s | items/s | items/CPU-s | peak RSS MB | tree peak MB | load |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in g.itertuples(index=False):
            lines.append(f"| {r.stage} | {r.items:,} {r.unit} | {_fmt(r.wall_seconds, 1)} | {_fmt(r.cpu_seconds, 1)} | "
                         f"{_fmt(r.items_per_s)} | {_fmt(r.items_per_cpu_s)} | {_fmt(r.peak_rss_mb)} | {_fmt(r.peak_tree_rss_mb)} | "
                         f"{_fmt(r.load_1min, 1)} |")
        lines.append("")
        lines += _goal_lines(size, g)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _goal_lines(size: int, g: pd.DataFrame) -> list[str]:
    by = g.set_index("stage")
    out = []
    if "parse" in by.index:
        v = by.at["parse", "items_per_cpu_s"]
        out.append(f"- parse: {_fmt(v)} pages per CPU-second (one core; goal ≥ {GOAL_PARSE_PER_CORE:,}): "
                   f"{'met' if v >= GOAL_PARSE_PER_CORE else 'NOT met'}.")
    for suffix, goal_s, goal_mb, name in (("", GOAL_PIPELINE_SECONDS, GOAL_PEAK_MB, "in memory"),
                                          ("[stream]", GOAL_STREAM_SECONDS, GOAL_STREAM_PEAK_MB, "partitioned")):
        out += _pipeline_line(size, by, suffix, goal_s, goal_mb, name)
    if {"ner_1proc", "ner_2proc"} <= set(by.index):
        r1, r2 = by.at["ner_1proc", "items_per_s"], by.at["ner_2proc", "items_per_s"]
        out.append(f"- NER: {_fmt(r1, 1)} articles/s with 1 process, {_fmt(r2, 1)} with 2: speed-up {r2 / r1:.2f}× "
                   f"(linear = 2.00×).")
    return out


def _pipeline_line(size: int, by: pd.DataFrame, suffix: str, goal_s: float, goal_mb: float, name: str) -> list[str]:
    """The goal check of one path (in memory or partitioned) through every stage except NER."""
    out: list[str] = []
    present = [s + suffix for s in PIPELINE if s + suffix in by.index]
    if present and suffix:
        missing = [s for s in PIPELINE if s + suffix not in by.index]
        total = float(by.loc[present, "wall_seconds"].sum())
        cpu = float(by.loc[present, "cpu_seconds"].sum())
        peak = int(by.loc[present, "peak_tree_rss_mb"].max())
        scope = "every stage except NER" if not missing else f"{', '.join(present)} (not run: {', '.join(missing)})"
        met = total <= goal_s and peak <= goal_mb and not missing
        verdict = "" if size < 1_000_000 else f" — goal ≤ {goal_s / 60:.0f} min and ≤ {goal_mb / 1024:.0f} GB: {'met' if met else 'NOT met'}"
        out.append(f"- {name}, {scope}: {total:,.0f} s wall ({cpu:,.0f} s CPU) in all, peak memory {peak:,} MB{verdict}.")
        return out
    if present:
        total = float(by.loc[present, "wall_seconds"].sum())
        cpu = float(by.loc[present, "cpu_seconds"].sum())
        peak = int(by.loc[present, "peak_tree_rss_mb"].max())
        missing = [s for s in PIPELINE if s not in by.index]
        scope = "every stage except NER" if not missing else f"{', '.join(present)} (not run: {', '.join(missing)})"
        met = min(total, cpu) <= GOAL_PIPELINE_SECONDS and peak <= GOAL_PEAK_MB and not missing
        verdict = "" if size < 100_000 else f" — goal ≤ 300 s and ≤ 6 GB: {'met' if met else 'NOT met'}"
        out.append(f"- {name}, {scope}: {total:,.0f} s wall ({cpu:,.0f} s CPU) in all, peak memory {peak:,} MB{verdict}.")
    return out


CURVE = HERE / "results" / "scale-curve"


def pipeline_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Per size and path (in memory, partitioned): wall and CPU seconds summed over the stages
    except NER, and the highest peak memory (process tree) of any of them; complete runs only."""
    rows = []
    for size, g in table.groupby("size", sort=True):
        by = g.set_index("stage")
        for suffix, path in (("", "in memory"), ("[stream]", "partitioned")):
            labels = [s + suffix for s in PIPELINE]
            if all(lab in by.index for lab in labels):
                rows.append({"size": int(size), "path": path, "wall_seconds": round(float(by.loc[labels, "wall_seconds"].sum()), 1),
                             "cpu_seconds": round(float(by.loc[labels, "cpu_seconds"].sum()), 1),
                             "peak_tree_rss_mb": int(by.loc[labels, "peak_tree_rss_mb"].max())})
    return pd.DataFrame(rows, columns=["size", "path", "wall_seconds", "cpu_seconds", "peak_tree_rss_mb"])


def write_curve(table: pd.DataFrame, stem: Path = CURVE) -> pd.DataFrame:
    """Plot wall time and peak memory against the corpus size (``scale-curve.png`` + ``.csv``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = pipeline_totals(table)
    totals.to_csv(stem.with_suffix(".csv"), index=False, lineterminator="\n")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), dpi=120)
    for path, g in totals.groupby("path", sort=True):
        style = {"marker": "o", "linestyle": "-" if path == "partitioned" else "--"}
        ax1.plot(g["size"], g["wall_seconds"] / 60, label=path, **style)
        ax2.plot(g["size"], g["peak_tree_rss_mb"] / 1024, label=path, **style)
    ax1.axhline(GOAL_STREAM_SECONDS / 60, color="grey", linewidth=0.8, linestyle=":")
    ax2.axhline(GOAL_STREAM_PEAK_MB / 1024, color="grey", linewidth=0.8, linestyle=":")
    for ax, title in ((ax1, "wall time (min), every stage except NER"), (ax2, "peak memory, all processes (GB)")):
        ax.set_xscale("log")
        ax.set_xlabel("articles (generated pages)")
        ax.set_title(title, fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend(frameon=False, fontsize=9)
    fig.tight_layout()
    fig.savefig(stem.with_suffix(".png"))
    plt.close(fig)
    return totals


def write_readme(table: pd.DataFrame, path: Path = README) -> None:
    """Replace the generated block of ``benchmarks/README.md`` with the tables of ``table``."""
    block = f"{MARK_BEGIN}\n{render_block(table)}{MARK_END}"
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Benchmarks\n\n## Scale (`bench_scale.py`)\n\n{MARK_BEGIN}\n{MARK_END}\n"
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def _parse_list(value: str, kind=str) -> list:
    return [kind(v.strip().replace("_", "").replace("k", "000")) if kind is int else v.strip()
            for v in value.split(",") if v.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Stages: " + ", ".join(STAGES))
    ap.add_argument("--sizes", default="10000,100000", help="corpus sizes in pages, comma-separated (10k = 10000)")
    ap.add_argument("--stages", default=",".join(STAGES), help="stages to run, comma-separated; a stage needs the output "
                    "of the one before it in the work folder (parse -> clean -> vectorize -> trends/topics; clean -> ner)")
    ap.add_argument("--work", type=Path, default=HERE / "work", help="scratch folder (git-ignored); one sub-folder per size")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--date-epochs", type=int, default=3, help="spans of the built-in corpus's period the dates cover (3 ≈ a year)")
    ap.add_argument("--ner-sample", type=int, default=1000, help="articles given to NER")
    ap.add_argument("--ner-processes", default="1,2", help="n_process values for NER")
    ap.add_argument("--blas-threads", type=int, default=0, help="threads of OpenBLAS/OpenMP in the stages (default: "
                    "the libraries' own choice, one per core); 1 avoids oversubscription on a busy machine")
    ap.add_argument("--engine", help="run parse and clean on a newsscope engine (e.g. dask-local: both cores); rows "
                    "are labelled stage[engine] and the next stages read their output")
    ap.add_argument("--workers", type=int, default=0, help="worker processes of --engine dask-local (default: one per core)")
    ap.add_argument("--stream", action="store_true", help="run the partitioned pipeline (newsscope.engine.stream: parts on "
                    "disk, bounded memory); rows are labelled stage[stream], on --engine (e.g. dask-local: both cores)")
    ap.add_argument("--partition-size", type=int, default=0, help="files per parse partition of --stream (default: the "
                    "pipeline's own)")
    ap.add_argument("--regenerate", action="store_true", help="render the corpus again even if the work folder has it")
    ap.add_argument("--profile", action="store_true", help="cProfile each stage into benchmarks/work/profiles/")
    ap.add_argument("--no-write", action="store_true", help="do not update results/scale.csv and README.md")
    # internal: run one stage in this process
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--n-process", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args)
    sizes = _parse_list(args.sizes, int)
    stages = _parse_list(args.stages)
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        ap.error(f"unknown stage(s) {unknown}; choose from {', '.join(STAGES)}")
    facts = machine_facts()
    facts["blas_threads"] = args.blas_threads or "default"
    rows = []
    for size in sizes:
        work = args.work / f"n{size}"
        work.mkdir(parents=True, exist_ok=True)
        gen = ensure_corpus(size, work, args)
        if gen is not None:
            rows.append(_row(gen, facts))
        for stage in [s for s in STAGES if s in stages]:
            if stage == "ner":
                for p in _parse_list(args.ner_processes, int):
                    rows.append(_row(run_child("ner", size, work, args, n_process=p), facts))
            else:
                rows.append(_row(run_child(stage, size, work, args), facts))
    shown = pd.DataFrame(rows)
    if not args.no_write:
        table = merge_results(rows)
        write_readme(table[table["stage"] != "generate"])
        write_curve(table)
        print(f"written {RESULTS_CSV.relative_to(HERE.parent)} and {README.relative_to(HERE.parent)}", file=sys.stderr)
    cols = ["size", "stage", "items", "wall_seconds", "cpu_seconds", "items_per_s", "items_per_cpu_s", "peak_rss_mb", "peak_tree_rss_mb"]
    print(shown[cols].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
