"""The user's own corpus end to end, and reproducibility of the whole analysis.

Two hundred aggregator pages are generated from the built-in sample (``newsscope.synth``), then
all four notebooks run on them through ``newsscope run --corpus ... --manifest ... --out ...``
(papermill-style parameter injection), twice, each time with a fresh cache. The test checks that
every notebook, figure and result table lands under the output root, that the committed default
outputs are untouched, and that both runs give byte-identical result tables and figure data.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from newsscope import corpus, paths, synth

RESULTS = ["cleaning_funnel.csv", "bursts.csv", "actors.csv", "actor_aliases.csv", "actor_edges.csv", "topics.csv", "doc_topics.csv"]


def _digest_tree(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def _run(pages: Path, manifest: Path, out: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEWSSCOPE_CACHE=str(cache), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    env.pop("NEWSSCOPE_OUT", None)
    cmd = [sys.executable, "-m", "newsscope", "run", "--corpus", str(pages), "--manifest", str(manifest), "--out", str(out)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def own_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("own")
    articles = corpus.load_corpus("builtin:newsarticles")
    synth.generate_pages(articles, base, n=200, seed=7, manifest_coverage=0.97)
    return base


@pytest.mark.slow
def test_own_corpus_runs_end_to_end_and_reproducibly(own_corpus: Path, tmp_path: Path) -> None:
    root = paths.project_root()
    committed_before = {d: _digest_tree(root / d) for d in ("figures", "data/results", "notebooks")}
    outs = []
    for i in (1, 2):
        out = tmp_path / f"out{i}"
        proc = _run(own_corpus / "pages", own_corpus / "manifest.csv", out, tmp_path / f"cache{i}")
        assert proc.returncode == 0, proc.stderr[-3000:]
        outs.append(out)

    out = outs[0]
    executed = sorted(p.name for p in (out / "notebooks").glob("*.ipynb"))
    assert executed == ["01-clean-articles.ipynb", "02-keyword-trends.ipynb", "03-actor-cooccurrence.ipynb", "04-topic-clusters.ipynb"]
    for name in RESULTS:
        assert (out / "data" / "results" / name).stat().st_size > 0, name
    for nn in ("01", "02", "03", "04"):
        assert list((out / "figures").glob(f"{nn}-*.png")), f"no figure of notebook {nn}"

    # the corpus parameter really was the generated pages: 200 files accounted for in the funnel
    funnel = (out / "data" / "results" / "cleaning_funnel.csv").read_text().splitlines()
    assert funnel[1].split(",")[1] == "200"

    # outputs: no errors, and no timings, absolute paths or memory addresses printed
    for nb_path in sorted((out / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                assert o.get("output_type") != "error", f"{nb_path.name}: {o.get('ename')}: {o.get('evalue')}"
                if o.get("output_type") == "stream" and o.get("name") == "stderr":
                    continue
                text = o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                assert not re.search(r"0x[0-9a-f]{8,}", text), f"{nb_path.name}: memory address in output"
                assert str(tmp_path) not in text, f"{nb_path.name}: a temporary path in output"

    # reproducible: both runs (separate caches) give byte-identical results and figure data
    for name in RESULTS:
        a = (outs[0] / "data" / "results" / name).read_bytes()
        b = (outs[1] / "data" / "results" / name).read_bytes()
        assert a == b, f"{name} differs between two runs"
    csv1 = {p.name: p.read_bytes() for p in (outs[0] / "figures").glob("*.csv")}
    csv2 = {p.name: p.read_bytes() for p in (outs[1] / "figures").glob("*.csv")}
    assert csv1 == csv2

    # the committed default outputs were not touched
    assert {d: _digest_tree(root / d) for d in ("figures", "data/results", "notebooks")} == committed_before
