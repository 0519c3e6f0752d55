"""All four notebooks on a folder of saved web pages, without a manifest (issue 11, item 4).

150 HTML pages from three site templates, published over 30 days (the dates are only in the
pages: JSON-LD, ``article:published_time``, the URL), rendered from distinct built-in stories
with :mod:`newsscope.synth_html`. ``runner.run_notebooks(corpus=..., out=...)`` runs every
notebook on them with a fresh cache; the test checks that every notebook ran, that the pages'
own dates reached the analysis (dated trends), and that the committed outputs were not touched.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from newsscope import clean as clean_stage
from newsscope import corpus, runner
from newsscope.synth_html import generate_html_pages


@pytest.mark.slow
def test_notebooks_run_on_saved_web_pages_without_a_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = corpus.load_corpus("builtin:newsarticles")
    stories = articles.iloc[::25].head(150)  # distinct stories from across the corpus
    truth = generate_html_pages(stories, tmp_path / "web", 150, seed=3, days=30, start="2024-03-01")
    pages = tmp_path / "web" / "pages"
    assert not list(pages.rglob("*.csv"))  # no manifest anywhere
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("NEWSSCOPE_CORPUS", raising=False)
    monkeypatch.delenv("NEWSSCOPE_MANIFEST", raising=False)
    out = tmp_path / "out"
    run = runner.run_notebooks(corpus=str(pages), out=out, timeout=600)
    assert not run.failed, run.summary()
    written = run.written
    assert [p.name for p in written] == ["01-clean-articles.ipynb", "02-keyword-trends.ipynb",
                                         "03-actor-cooccurrence.ipynb", "04-topic-clusters.ipynb"]
    for path in written:
        nb = nbformat.read(path, as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    funnel = pd.read_csv(out / "data" / "results" / "cleaning_funnel.csv")
    assert funnel["articles_in"].iloc[0] == 150 and funnel["removed"].iloc[0] == 0  # every page read
    # the pages' own dates: every kept article dated, over the 30 days the pages were published in
    clean = clean_stage.load_clean(str(pages))
    assert clean["published"].notna().all()
    assert clean["published"].min() >= pd.Timestamp("2024-03-01") and clean["published"].max() <= pd.Timestamp("2024-03-30")
    assert clean["published"].dt.normalize().nunique() >= 25
    assert sorted(clean["source"].unique()) == sorted(truth["source"].unique())
    # trends were computed over time (figures with dated data behind them)
    assert list((out / "figures").glob("02-*.csv"))
    assert os.path.commonpath([out, *written]) == str(out)
