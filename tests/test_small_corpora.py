"""All four notebooks on small and awkward corpora, through ``newsscope run --corpus ... --out ...``.

The matrix (``tests/small_corpora.py``): 1, 5, 25 and 80 dated generated pages, undated pages, a
single outlet, a single day, ``builtin:news100``, the committed ``data/raw/inkl`` sample and a
table of titles only (every article removed by cleaning). Each case runs in its own output root
and its own cold cache (two cases at a time); each must end with four executed notebooks, no error,
and for notebooks 01-03 no stderr, progress widget or temporary path in the outputs.

Reproducibility, on the 80-page case: a second cold run with a fresh cache gives byte-identical
result tables and figure data, and a warm rerun (same cache) gives the same notebook outputs as
the cold run. The committed default outputs are never touched.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from newsscope import paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
from small_corpora import CASE_NAMES, Case, build_cases  # noqa: E402

NOTEBOOKS = ["01-clean-articles.ipynb", "02-keyword-trends.ipynb", "03-actor-cooccurrence.ipynb", "04-topic-clusters.ipynb"]
RESULTS = ["cleaning_funnel.csv", "bursts.csv", "actors.csv", "actor_aliases.csv", "actor_edges.csv", "topics.csv", "doc_topics.csv"]
#: Notebooks whose outputs must be free of stderr and progress residue (04 is checked by its own tests).
CLEAN_OUTPUTS = NOTEBOOKS[:3]
#: Cases known to fail in notebook 04 on this branch (owned by the topics work): name -> reason.
XFAIL_04: dict[str, str] = {}
REPEATED = "pages-80"


@dataclass
class Run:
    """One ``newsscope run`` of a case."""

    out: Path
    cache: Path
    returncode: int
    stderr: str
    seconds: float


def _run(case: Case, out: Path, cache: Path) -> Run:
    env = dict(os.environ, NEWSSCOPE_CACHE=str(cache), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    env.pop("NEWSSCOPE_OUT", None)
    cmd = [sys.executable, "-m", "newsscope", "run", "--corpus", case.corpus, "--out", str(out)]
    if case.manifest:
        cmd += ["--manifest", case.manifest]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    return Run(out, cache, proc.returncode, proc.stderr, time.perf_counter() - t0)


def _digest_tree(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def _outputs(nb_path: Path) -> list[list[dict]]:
    """Each code cell's outputs, consecutive stream chunks of one stream joined (the kernel cuts them by timing)."""
    nb = nbformat.read(nb_path, as_version=4)
    cells = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        outs: list[dict] = []
        for o in c.get("outputs", []):
            o = dict(o)
            if outs and o["output_type"] == "stream" and outs[-1]["output_type"] == "stream" and outs[-1]["name"] == o["name"]:
                outs[-1] = dict(outs[-1], text=outs[-1]["text"] + o["text"])
            else:
                outs.append(o)
        cells.append(outs)
    return cells


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Run every case (two at a time), plus a fresh-cache repeat and a warm rerun of the 80-page case."""
    base = tmp_path_factory.mktemp("matrix")
    cases = {c.name: c for c in build_cases(base / "corpora")}
    root = paths.project_root()
    committed = {d: _digest_tree(root / d) for d in ("figures", "data/results", "notebooks")}

    def job(name: str) -> list[tuple[str, Run]]:
        if name == f"{REPEATED}-fresh":
            return [(name, _run(cases[REPEATED], base / "out" / name, base / "cache" / name))]
        cold = _run(cases[name], base / "out" / name, base / "cache" / name)
        runs = [(name, cold)]
        if name == REPEATED and cold.returncode == 0:  # warm: the same cache, another output root
            runs.append((f"{name}-warm", _run(cases[name], base / "out" / f"{name}-warm", base / "cache" / name)))
        return runs

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        # the slowest cases first, so that the two workers finish together
        order = [REPEATED, "news100", f"{REPEATED}-fresh"] + [n for n in CASE_NAMES if n not in (REPEATED, "news100")]
        runs = dict(r for result in pool.map(job, order) for r in result)
    wall = time.perf_counter() - t0
    print(f"\nsmall-corpus matrix: {len(runs)} runs in {wall:.0f} s wall; "
          + ", ".join(f"{k} {v.seconds:.0f} s" for k, v in runs.items()))
    assert {d: _digest_tree(root / d) for d in ("figures", "data/results", "notebooks")} == committed, \
        "a run on another corpus changed the committed default outputs"
    return runs


def _params() -> list:
    out = []
    for name in CASE_NAMES:
        marks = [pytest.mark.xfail(strict=False, reason=f"notebook 04: {XFAIL_04[name]}")] if name in XFAIL_04 else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", _params())
def test_every_notebook_runs_on_a_small_corpus(matrix: dict[str, Run], name: str) -> None:
    run = matrix[name]
    assert run.returncode == 0, f"{name}: newsscope run failed:\n{run.stderr[-3000:]}"
    executed = sorted(p.name for p in (run.out / "notebooks").glob("*.ipynb"))
    assert executed == NOTEBOOKS
    assert (run.out / "data" / "results" / "cleaning_funnel.csv").stat().st_size > 0
    for nb_name in NOTEBOOKS:
        for cell in _outputs(run.out / "notebooks" / nb_name):
            for o in cell:
                assert o["output_type"] != "error", f"{name} {nb_name}: {o.get('ename')}: {o.get('evalue')}"
                if nb_name not in CLEAN_OUTPUTS:
                    continue
                assert not (o["output_type"] == "stream" and o["name"] == "stderr"), f"{name} {nb_name}: stderr {o['text'][:300]!r}"
                data = o.get("data", {})
                assert not any("widget" in k for k in data), f"{name} {nb_name}: a progress widget in the output"
                text = o.get("text", "") + str(data.get("text/plain", ""))
                assert str(run.out.parent.parent) not in text, f"{name} {nb_name}: a temporary path in the output"


@pytest.mark.slow
def test_small_corpora_are_accounted_for(matrix: dict[str, Run]) -> None:
    """The funnel of each run starts with its inputs: the corpus parameter really was used."""
    expected = {"pages-1": 1, "pages-5": 5, "pages-25": 25, "pages-80": 80, "undated": 30, "one-outlet": 40,
                "one-day": 40, "news100": 100, "inkl-sample": 1, "titles-table": 60}
    for name, n in expected.items():
        if matrix[name].returncode != 0:
            continue  # reported by the test above
        funnel = (matrix[name].out / "data" / "results" / "cleaning_funnel.csv").read_text().splitlines()
        assert funnel[1].split(",")[1] == str(n), (name, funnel[1])
    titles = (matrix["titles-table"].out / "data" / "results" / "cleaning_funnel.csv").read_text().splitlines()
    assert titles[-1].split(",")[2] == "0", "a table of titles only leaves no article to analyse"


@pytest.mark.slow
def test_fresh_caches_give_byte_identical_results(matrix: dict[str, Run]) -> None:
    a, b = matrix[REPEATED], matrix[f"{REPEATED}-fresh"]
    assert a.returncode == 0 and b.returncode == 0, b.stderr[-3000:]
    for name in RESULTS:
        assert (a.out / "data" / "results" / name).read_bytes() == (b.out / "data" / "results" / name).read_bytes(), \
            f"{name} differs between two cold runs"
    csv_a = {p.name: p.read_bytes() for p in (a.out / "figures").glob("*.csv")}
    csv_b = {p.name: p.read_bytes() for p in (b.out / "figures").glob("*.csv")}
    assert csv_a and csv_a == csv_b


@pytest.mark.slow
def test_a_warm_rerun_shows_the_same_outputs_as_the_cold_run(matrix: dict[str, Run]) -> None:
    cold, warm = matrix[REPEATED], matrix.get(f"{REPEATED}-warm")
    assert warm is not None and warm.returncode == 0, warm.stderr[-3000:] if warm else "no warm run"
    for nb_name in CLEAN_OUTPUTS:
        a = _outputs(cold.out / "notebooks" / nb_name)
        b = _outputs(warm.out / "notebooks" / nb_name)
        for i, (x, y) in enumerate(zip(a, b)):
            assert x == y, f"{nb_name}, code cell {i}: the warm rerun's outputs differ from the cold run's"
        assert len(a) == len(b)
    for name in RESULTS:
        assert (cold.out / "data" / "results" / name).read_bytes() == (warm.out / "data" / "results" / name).read_bytes(), name
