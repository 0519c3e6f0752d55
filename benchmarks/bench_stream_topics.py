"""Topics over DTM blocks (issue 14): wall time and peak memory of the partitioned topic stage.

Builds a generated corpus once (cached in ``benchmarks/work/stream-topics-N/``):
``vary_articles(load_corpus("builtin:newsarticles"), N, seed=0)`` -> ``clean_articles`` (analysis
set) -> ``build_dtm``; slices the matrix into blocks of ``--block`` rows (``.npz`` + a docs
PartStore). Then, each in its own process (so peak RSS is the stage's own):

``stream``   :func:`newsscope.engine.stream.topics.fit_topics_parts` on the blocks (reads one
             block at a time; the sweep on a sample of ``--sample`` documents);
``memory``   :func:`newsscope.topics.fit_topics` on the whole matrix in memory (same k, same
             sample), for comparison.

Prints wall seconds, the peak of the summed RSS of the process and its children (the sweep's loky
workers; sampled every 0.1 s) and the topics' NPMI, diversity, stability and matched agreement.

Usage::

    python benchmarks/bench_stream_topics.py --n 20000 --block 5000 [--k 20]
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


class Blocks:
    """DTM blocks on disk: block-k.npz and a docs PartStore (the interface fit_topics_parts reads)."""

    def __init__(self, root: Path) -> None:
        from newsscope.parts import PartStore

        meta = json.loads((root / "blocks.json").read_text())
        self.root, self.n_docs, self.n_blocks = root, meta["n_docs"], meta["n_blocks"]
        self.terms = pickle.loads((root / "terms.pkl").read_bytes())
        self.vectorizer = pickle.loads((root / "vectorizer.pkl").read_bytes())
        self.docs = PartStore(root / "docs")

    def block_path(self, k: int) -> Path:
        return self.root / f"block-{k:05d}.npz"

    def iter_blocks(self):
        from newsscope.parts import load_sparse

        for k in range(self.n_blocks):
            yield k, load_sparse(self.block_path(k)), self.docs.read_part(k)


def build(work: Path, n: int, block: int) -> None:
    """Generate, clean, vectorize and slice the corpus (once)."""
    from newsscope.clean import clean_articles
    from newsscope.corpus import load_corpus
    from newsscope.parts import PartStore, save_sparse
    from newsscope.synth import vary_articles
    from newsscope.vectorize import build_dtm

    if (work / "blocks.json").is_file():
        return
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    table = vary_articles(load_corpus("builtin:newsarticles"), n, seed=0)
    table["origin"] = [f"vary_articles(seed=0)/{x}" for x in table["synth_id"]]  # one doc_id per row
    table["doc_id"] = None
    arts = clean_articles(table).analysis_set
    dtm = build_dtm(arts)
    (work / "dtm.pkl").write_bytes(pickle.dumps(dtm, protocol=pickle.HIGHEST_PROTOCOL))
    (work / "terms.pkl").write_bytes(pickle.dumps(dtm.terms))
    (work / "vectorizer.pkl").write_bytes(pickle.dumps(dtm.vectorizer))
    cols = [c for c in ("doc_id", "source", "published", "title", "dateline") if c in dtm.docs.columns]
    docs = PartStore.create(work / "docs")
    summaries = []
    for k, lo in enumerate(range(0, dtm.n_docs, block)):
        save_sparse(work / f"block-{k:05d}.npz", dtm.X[lo:lo + block])
        summaries.append(docs.write_part(k, dtm.docs[cols].iloc[lo:lo + block]))
    docs.finish(summaries, cols)
    (work / "blocks.json").write_text(json.dumps({"n_docs": dtm.n_docs, "n_blocks": len(summaries), "terms": len(dtm.terms),
                                                  "nnz": int(dtm.X.nnz), "build_seconds": round(time.perf_counter() - t0, 1)}))


def _tree_rss_mb(pid: int) -> float:
    """Summed RSS of a process and its descendants (MB), from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for t in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (t / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def child(mode: str, work: Path, k: int | None, sample: int, n_jobs: int | None = None) -> dict:
    import os
    import tempfile

    os.environ["NEWSSCOPE_CACHE"] = tempfile.mkdtemp(prefix="bench-stream-topics-")  # nothing reused

    from newsscope.topics import topic_diversity

    peak = {"mb": 0.0}
    stop = threading.Event()

    def sample_rss() -> None:
        while not stop.is_set():
            peak["mb"] = max(peak["mb"], _tree_rss_mb(os.getpid()))
            time.sleep(0.1)

    threading.Thread(target=sample_rss, daemon=True).start()
    t0 = time.perf_counter()
    if mode == "stream":
        from newsscope.engine.stream.topics import fit_topics_parts

        out = fit_topics_parts(Blocks(work), work / f"run-{k}", k=k, sweep_sample=sample, engine="local", progress=False,
                               n_jobs=n_jobs)
        terms = [t.split("; ") for t in out.topics["top_terms"]]
        info = {"k": out.k, "final": out.final, "npmi": float(out.topics["npmi"].mean()), "n_steps": int(out.model.n_steps_)
                if out.final == "minibatch" else 0, "stability": float(out.topics["stability"].mean())}
    else:
        from newsscope.topics import fit_topics

        dtm = pickle.loads((work / "dtm.pkl").read_bytes())
        out = fit_topics("bench", dtm=dtm, k=k, sweep_sample=sample, progress=False, n_jobs=n_jobs)
        terms = [t.split("; ") for t in out.topics["top_terms"]]
        info = {"k": out.k, "npmi": float(out.topics["npmi"].mean()), "stability": float(out.topics["stability"].mean())}
    wall = time.perf_counter() - t0
    stop.set()
    info.update({"mode": mode, "wall_s": round(wall, 1), "peak_tree_mb": round(peak["mb"]),
                 "diversity": topic_diversity(terms), "top_terms": terms})
    return info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--block", type=int, default=5000)
    ap.add_argument("--k", type=int, default=None)
    ap.add_argument("--sample", type=int, default=10000)
    ap.add_argument("--modes", default="stream,memory")
    ap.add_argument("--n-jobs", type=int, default=None, help="processes of the sweep (default: every core)")
    ap.add_argument("--child", default=None)
    args = ap.parse_args()
    work = HERE / "work" / f"stream-topics-{args.n}-{args.block}"
    if args.child:
        print("RESULT " + json.dumps(child(args.child, work, args.k, args.sample, args.n_jobs)))
        return 0
    build(work, args.n, args.block)
    print(json.loads((work / "blocks.json").read_text()))
    results = {}
    for mode in args.modes.split(","):
        cmd = [sys.executable, __file__, "--n", str(args.n), "--block", str(args.block), "--sample", str(args.sample),
               "--child", mode] + (["--k", str(args.k)] if args.k else []) + (
            ["--n-jobs", str(args.n_jobs)] if args.n_jobs else [])
        res = subprocess.run(cmd, capture_output=True, text=True)
        line = [x for x in res.stdout.splitlines() if x.startswith("RESULT ")]
        if not line:
            print(res.stdout[-2000:], res.stderr[-4000:])
            return 1
        results[mode] = json.loads(line[0][7:])
        print({k: v for k, v in results[mode].items() if k != "top_terms"})
    if {"stream", "memory"} <= set(results):
        from newsscope.topics import match_topics

        _, sim = match_topics(results["memory"]["top_terms"], results["stream"]["top_terms"])
        print(f"matched top-term Jaccard stream vs memory: mean {sim.mean():.3f}, min {sim.min():.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
