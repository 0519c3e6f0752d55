"""``newsscope run``: failures a user can act on, the run record, and where a run writes.

Real kernels run small notebooks written into a temporary project root (``NEWSSCOPE_ROOT``).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from newsscope import runner
from newsscope.cli import main
from newsscope.runner.execute import describe_failure, strip_ansi
from newsscope.runner.record import RECORD_NAME, choose_output_root, corpus_name

PARAMS = 'corpus = None      # the corpus\nmanifest = None    # its manifest'


def write_notebook(path: Path, *sources: str, params: bool = False) -> Path:
    cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}")]
    if params:
        cell = nbformat.v4.new_code_cell(PARAMS)
        cell.metadata["tags"] = ["parameters"]
        cells.append(cell)
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


FIGURE = ("import matplotlib\nmatplotlib.use('Agg')\nimport pandas as pd\nfrom newsscope import plots\n"
          "fig, ax = plots.new_figure('small')\nax.plot([1, 2], [2, 1])\n"
          "_ = plots.save_figure(fig, '{name}', pd.DataFrame({{'x': [1, 2]}}), close=True)")
FAILING = ("from newsscope import paths\n"
           "paths.ensure_dir(paths.results_dir()).joinpath('bursts.csv').write_text('term\\n')\n"
           "def summarise(bursts):\n    return bursts['members']\n\nsummarise({})")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root with three tiny notebooks; 02 fails in its second code cell."""
    root = tmp_path / "proj"
    nbs = root / "notebooks"
    write_notebook(nbs / "01-first.ipynb", "print('one')", FIGURE.format(name="01-line"))
    write_notebook(nbs / "02-second.ipynb", "print('before the failure')", FAILING, "print('never reached')",
                   params=True)
    write_notebook(nbs / "03-third.ipynb", "print('three')", FIGURE.format(name="03-line"))
    (root / "data").mkdir()
    monkeypatch.setenv("NEWSSCOPE_ROOT", str(root))
    monkeypatch.delenv("NEWSSCOPE_OUT", raising=False)
    monkeypatch.delenv("NEWSSCOPE_CORPUS", raising=False)
    monkeypatch.delenv("NEWSSCOPE_MANIFEST", raising=False)
    monkeypatch.chdir(root)
    return root


def test_failing_cell_is_explained_saved_beside_and_the_others_still_run(project: Path, capfd: pytest.CaptureFixture[str]) -> None:
    nbs = project / "notebooks"
    committed = (nbs / "02-second.ipynb").read_bytes()
    status = main(["run", "--timeout", "120"])
    err = capfd.readouterr().err
    assert status == 1
    # the account: notebook, cell number and first line, error, traceback tail, where it was saved
    assert "02-second.ipynb failed at cell [3]: from newsscope import paths" in err
    assert "KeyError: 'members'" in err
    assert "traceback (last lines):" in err and "return bursts['members']" in err
    assert "executed up to the failure: notebooks/02-second.failed.ipynb" in err
    assert "1 of 3 notebooks failed: 02-second (KeyError: 'members'); ran: 01-first, 03-third" in err
    assert "written before the failure (possibly incomplete): data/results/bursts.csv" in err
    assert "\x1b[" not in err
    assert "without encryption" not in err  # IPC transport: ipykernel has nothing to warn about
    # the committed notebook is untouched; the partly executed copy sits beside it
    assert (nbs / "02-second.ipynb").read_bytes() == committed
    failed = nbformat.read(nbs / "02-second.failed.ipynb", as_version=4)
    code = [c for c in failed.cells if c.cell_type == "code"]
    assert code[1].outputs[0]["text"] == "before the failure\n"
    assert code[2].outputs[0]["output_type"] == "error" and code[2].outputs[0]["ename"] == "KeyError"
    assert code[3].outputs == [] and code[3].execution_count is None
    # the notebooks after it ran
    for name in ("01-first", "03-third"):
        nb = nbformat.read(nbs / f"{name}.ipynb", as_version=4)
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    record = json.loads((nbs / RECORD_NAME).read_text())
    assert record["in_place"] is True and record["corpus"] == "builtin:newsarticles"
    entries = record["notebooks"]
    assert [entries[k]["status"] for k in ("01-first", "02-second", "03-third")] == ["ok", "failed", "ok"]
    assert entries["02-second"]["cell"] == 3 and entries["02-second"]["error"] == "KeyError: 'members'"
    assert entries["01-first"]["figures"] == ["01-line"] and entries["03-third"]["figures"] == ["03-line"]
    assert (project / "figures" / "01-line.png").is_file()
    # the report of this run marks 02 failed and shows its page as executed up to the failure
    report = runner.write_report()
    assert {st.stem: st.status for st in report.notebooks} == {"01-first": "ok", "02-second": "failed", "03-third": "ok"}
    assert [f.name for f in report.figures] == ["01-line", "03-line"]
    failed_page = (project / "report" / "02-second.failed.html").read_text()
    assert "before the failure" in failed_page and "KeyError" in failed_page

    # fixed: the next run of 02 writes it and removes the stale .failed copy; 01's entry is kept
    nb = nbformat.read(nbs / "02-second.ipynb", as_version=4)
    nb.cells[3].source = "print('fixed')"
    nbformat.write(nb, nbs / "02-second.ipynb")
    assert main(["run", "--only", "02"]) == 0
    assert "1 of 1 notebooks ran" in capfd.readouterr().err
    assert not (nbs / "02-second.failed.ipynb").exists()
    entries = json.loads((nbs / RECORD_NAME).read_text())["notebooks"]
    assert entries["02-second"]["status"] == "ok" and "error" not in entries["02-second"]
    assert entries["01-first"]["figures"] == ["01-line"]


def test_corpus_file_sends_run_and_report_to_an_output_root(project: Path, capfd: pytest.CaptureFixture[str]) -> None:
    nbs = project / "notebooks"
    (nbs / "02-second.ipynb").unlink()
    write_notebook(nbs / "01-first.ipynb", "from newsscope import config, paths\n"
                   "print(config.resolve_corpus(corpus).corpus)\n"
                   "paths.ensure_dir(paths.results_dir()).joinpath('r.csv').write_text('x\\n1\\n')", params=True)
    before = {p.name: p.read_bytes() for p in nbs.iterdir()}
    (project / "data" / "corpus.toml").write_text('[corpus]\nspec = "builtin:news100"\n')
    assert main(["run", "--only", "01"]) == 0
    err = capfd.readouterr().err
    out = project / "out" / "news100"
    assert "corpus builtin:news100 (data/corpus.toml): notebooks, results and figures go to out/news100" in err
    assert {p.name: p.read_bytes() for p in nbs.iterdir()} == before  # the committed notebooks are untouched
    assert not (project / "data" / "results").exists()
    assert (out / "data" / "results" / "r.csv").is_file()
    nb = nbformat.read(out / "notebooks" / "01-first.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "corpus = 'builtin:news100'" in injected[0].source
    assert nb.cells[3].outputs[0]["text"] == "builtin:news100\n"
    # `newsscope report` without options renders what `run` wrote for the same setting
    assert main(["report"]) == 0
    index = (out / "report" / "index.html").read_text()
    assert "builtin:news100" in index and 'href="01-first.html"' in index
    assert "03-third" in index and "missing" in index  # never run into this root
    assert not (project / "report").exists()


def test_choose_output_root(tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert choose_output_root()[0] is None  # built-in default: in place
    assert choose_output_root(out="mine")[0] == project / "mine"
    assert choose_output_root("builtin:newsarticles")[0] == project / "out" / "newsarticles"
    pages = tmp_path / "pages"
    pages.mkdir()
    root, choice = choose_output_root(str(pages))
    assert root == project / "out" / "pages" and choice.corpus == str(pages)
    monkeypatch.setenv("NEWSSCOPE_CORPUS", str(tmp_path / "articles.csv"))
    root, choice = choose_output_root()
    assert root == project / "out" / "articles" and choice.origin == "environment"
    assert [corpus_name(s) for s in ("builtin:news100", "a/b/", "t.parquet")] == ["news100", "b", "t"]


def test_describe_failure_of_a_timeout_names_the_running_cell() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell(""),
                                         nbformat.v4.new_code_cell("import time\ntime.sleep(99)")])
    nb.cells[0].execution_count = 1
    f = describe_failure(nb, TimeoutError("A cell timed out while it was being executed, after 5 seconds.\n"
                                          "Here is a preview: ..."), notebook="05-x.ipynb")
    assert (f.cell, f.first_line) == (3, "import time")
    assert f.error == "TimeoutError: A cell timed out while it was being executed, after 5 seconds."
    assert strip_ansi("\x1b[0;31mKeyError\x1b[0m: 'members'") == "KeyError: 'members'"


def test_missing_notebooks_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--only", "99"]) == 2
    assert "no numbered notebooks" in capsys.readouterr().err
    assert runner.list_notebooks(["01", "03-third"]) == [project / "notebooks" / "01-first.ipynb",
                                                          project / "notebooks" / "03-third.ipynb"]
