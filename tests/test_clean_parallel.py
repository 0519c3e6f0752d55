"""Cleaning on forked workers (``n_jobs``) gives exactly the serial result; when it runs in parallel."""

from __future__ import annotations

import pandas as pd
import pytest

from newsscope import cores, corpus
from newsscope.clean import CleanSettings, clean_articles, parallel
from newsscope.synth_articles import vary_articles

TABLES = ("articles", "funnel", "repairs", "repair_counts", "field_counts", "boilerplate", "duplicates", "rejected")


@pytest.fixture(scope="module")
def raw(news100_path) -> pd.DataFrame:
    # 300 rewrites of News100's articles with planted exact and near duplicates
    table = vary_articles(corpus.load_corpus("builtin:news100"), 300, seed=3)
    table["origin"] = [f"vary/{x}" for x in table["synth_id"]]
    return corpus.conform_articles(table)


SETTINGS = CleanSettings(boilerplate_min_docs=3)  # so that boilerplate is found in this small corpus


@pytest.fixture(scope="module")
def serial(raw):
    """The reference: every phase in this process."""
    return clean_articles(raw, SETTINGS, n_jobs=1)


def _spy_on_blocks(monkeypatch) -> list[int]:
    """Record the ``n_jobs`` of every per-article phase (``parallel.map_blocks``), split into small blocks."""
    calls: list[int] = []
    real_map = parallel.map_blocks

    def spy(func, n, n_jobs):
        calls.append(n_jobs)
        return real_map(func, n, n_jobs)

    monkeypatch.setattr(parallel, "MIN_BLOCK", 16)  # many small blocks: each phase is split
    monkeypatch.setattr(parallel, "map_blocks", spy)
    return calls


def _assert_same(ref, got) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(ref, name), getattr(got, name), check_exact=True, obj=name)
    for name in ("glue_rates_", "decisions_", "chains_"):
        pd.testing.assert_frame_equal(getattr(ref.hyphens, name), getattr(got.hyphens, name), obj=f"hyphens.{name}")


@pytest.mark.skipif(not cores.can_fork(), reason="needs fork")
def test_two_workers_give_the_serial_result(raw, serial, monkeypatch):
    a = serial.articles
    # the slice exercises every step that is split into blocks or learnt from the whole corpus
    assert a["status"].isin(["exact_duplicate", "near_duplicate"]).sum() >= 10
    assert (a["boilerplate_removed"] != "").sum() >= 5
    assert serial.repairs["occurrences"].sum() > 0 and len(serial.hyphens.decisions_) > 0
    calls = _spy_on_blocks(monkeypatch)
    assert len(parallel.block_bounds(len(raw), 2)) == 8
    got = clean_articles(raw, SETTINGS, n_jobs=2)
    assert calls and set(calls) == {2}
    _assert_same(serial, got)


@pytest.mark.skipif(not cores.can_fork(), reason="needs fork")
@pytest.mark.parametrize("above", [0, 1], ids=["corpus-at-threshold", "corpus-below-threshold"])
def test_both_sides_of_the_size_threshold_give_the_serial_tables(raw, serial, monkeypatch, above):
    """``n_jobs=None`` (the default): workers from PARALLEL_MIN_ARTICLES articles, lowered to this corpus' size."""
    monkeypatch.setattr(cores, "available_cores", lambda: 2)  # the same decision on a one-core machine
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ARTICLES", len(raw) + above)
    calls = _spy_on_blocks(monkeypatch)
    got = clean_articles(raw, SETTINGS)
    assert len(calls) >= 3 and set(calls) == ({1} if above else {2})
    _assert_same(serial, got)


def test_small_corpora_stay_in_this_process_and_bad_n_jobs_is_an_error():
    assert parallel.resolve_jobs(None, parallel.PARALLEL_MIN_ARTICLES - 1) == 1
    assert parallel.resolve_jobs(1, 10**6) == 1
    assert parallel.resolve_jobs(4, 3) == (3 if cores.can_fork() else 1)  # never more processes than rows
    assert parallel.block_bounds(0, 2) == [] and parallel.block_bounds(10, 1) == [(0, 10)]
    bounds = parallel.block_bounds(10_000, 2, min_block=100)
    assert bounds[0][0] == 0 and bounds[-1][1] == 10_000 and all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    for bad in (0, -2, 1.5):
        with pytest.raises(ValueError, match="n_jobs"):
            parallel.resolve_jobs(bad, 100)


@pytest.mark.skipif(not cores.can_fork(), reason="needs fork")
def test_a_worker_error_reaches_the_caller():
    def fail(lo, hi):
        if lo > 0:
            raise RuntimeError(f"bad block {lo}:{hi}")
        return lo

    with pytest.raises(RuntimeError, match="bad block"):
        parallel.map_blocks(fail, 4000, 2)
    assert parallel.map_blocks(lambda lo, hi: (lo, hi), 4000, 2)[0] == (0, 500)


@pytest.mark.skipif(not cores.can_fork(), reason="needs fork")
def test_boilerplate_and_hyphen_models_fitted_on_two_workers_equal_the_serial_fit(monkeypatch, news100_path):
    from newsscope.clean.boilerplate import BoilerplateDetector
    from newsscope.clean.hyphens import GluedHyphenModel

    raw = corpus.load_corpus("builtin:news100")
    texts = [t + ("\n\nShare this story on Facebook Twitter Email" if k % 3 == 0 else "") for k, t in enumerate(raw["text"])] * 2
    groups = raw["source"].tolist() * 2
    counted = [k % 7 != 0 for k in range(len(texts))]
    monkeypatch.setattr(parallel, "MIN_BLOCK", 20)
    ref = BoilerplateDetector(min_docs=3, min_share=0.0).fit(texts, groups, counted=counted)
    got = BoilerplateDetector(min_docs=3, min_share=0.0, n_jobs=2).fit(texts, groups, counted=counted)
    assert sum(len(v) for v in ref.frequent_.values()) > 0
    assert got.frequent_ == ref.frequent_ and got.n_docs_ == ref.n_docs_
    href = GluedHyphenModel().fit(texts, groups)
    hgot = GluedHyphenModel(n_jobs=2).fit(texts, groups)
    assert len(href.decisions_) > 0
    for name in ("glue_rates_", "decisions_", "chains_"):
        pd.testing.assert_frame_equal(getattr(href, name), getattr(hgot, name), obj=name)
