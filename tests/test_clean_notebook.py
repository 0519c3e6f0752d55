"""Notebook 01 runs unchanged on a folder of pages (no dates): time-based parts degrade with a message."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from newsscope import paths, runner

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01-clean-articles.ipynb"
PAGES = ROOT / "tests" / "fixtures" / "pages"


@pytest.mark.slow
def test_notebook_01_on_fixture_pages(tmp_path):
    if not NOTEBOOK.is_file() or not PAGES.is_dir():
        pytest.fail(f"missing {NOTEBOOK} or {PAGES}")
    out = tmp_path / "01.ipynb"
    runner.execute_notebook(NOTEBOOK, out_path=out, timeout=600,
                            parameters={"corpus": str(PAGES), "min_words": 20})
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if o.get("output_type") == "stream" and o.get("name") == "stdout")
    n_files = len([p for p in PAGES.iterdir() if p.is_file()])
    assert f"{n_files} inputs ->" in text
    assert "No article has a usable date" in text
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    # results and figures went to the test's output root, not to the committed ones
    assert (paths.results_dir() / "cleaning_funnel.csv").is_file()
    assert str(paths.results_dir()).startswith(os.environ["NEWSSCOPE_OUT"])
    assert (paths.figures_dir() / "01-funnel.png").is_file()
    assert not (paths.figures_dir() / "01-coverage.png").exists()
