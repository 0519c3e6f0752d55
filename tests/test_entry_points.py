"""Entry points: the engine layer chooses where cleaning runs; a stage loads the cleaned corpus once.

The cleaning stage (:mod:`newsscope.clean`) knows nothing of engines; ``newsscope.engine.load_clean``
and ``clean_corpus`` choose one (argument or ``NEWSSCOPE_ENGINE``) and hand the stage a ``compute``
hook, so both share one cache entry. ``fit_topics`` gets the cleaned table and the matrix in one pass.
"""

from __future__ import annotations

import pandas as pd
import pytest

from newsscope import cache, clean, engine
from newsscope.clean import pipeline
from newsscope.engine import LocalEngine
from newsscope.engine import clean as eclean

SPEC = "builtin:news100"


def _entries(kind: str) -> list[str]:
    folder = cache.cache_file(kind, "x", "pkl").parent
    return sorted(p.name for p in folder.glob("*.pkl")) if folder.is_dir() else []


def _forbid(monkeypatch: pytest.MonkeyPatch, module, name: str) -> None:
    monkeypatch.setattr(module, name, lambda *a, **k: pytest.fail(f"{module.__name__}.{name} was called"))


def test_the_cleaning_stage_refuses_an_engine_and_names_the_entry_point():
    for func in (clean.load_clean, clean.clean_corpus):
        with pytest.raises(TypeError, match=r"newsscope\.engine\.load_clean\(\.\.\., engine=\.\.\.\)"):
            func(SPEC, engine="dask")


@pytest.mark.parametrize("env", [None, "local"])
def test_without_an_engine_the_entry_point_runs_the_stage_here(news100_path, monkeypatch, env):
    if env is None:
        monkeypatch.delenv("NEWSSCOPE_ENGINE", raising=False)
    else:
        monkeypatch.setenv("NEWSSCOPE_ENGINE", env)
    _forbid(monkeypatch, eclean, "run_clean")
    got = engine.load_clean(SPEC, include_removed=True)
    _forbid(monkeypatch, pipeline, "clean_articles")  # the stage finds the entry: nothing recomputed
    pd.testing.assert_frame_equal(clean.load_clean(SPEC, include_removed=True), got, check_exact=True)
    assert len(_entries("clean")) == 1


def test_on_an_engine_the_stage_cache_is_shared_and_the_table_the_same(news100_path, monkeypatch):
    calls = []
    real = eclean.run_clean

    def recording(corpus, settings, **kw):
        calls.append(kw["engine"])
        return real(corpus, settings, **kw)

    monkeypatch.setattr(eclean, "run_clean", recording)
    eng = LocalEngine(progress=False)
    got = engine.clean_corpus(SPEC, engine=eng, partition_size=30)  # four partitions
    assert calls == [eng]
    _forbid(monkeypatch, pipeline, "clean_articles")
    again = clean.load_clean(SPEC, include_removed=True)
    pd.testing.assert_frame_equal(got.articles, again, check_exact=True)
    assert len(_entries("clean")) == 1
    monkeypatch.undo()
    fresh = clean.clean_corpus(SPEC, refresh=True)  # the stage's own code, recomputed
    pd.testing.assert_frame_equal(fresh.articles, got.articles, check_exact=True)
    pd.testing.assert_frame_equal(fresh.funnel, got.funnel, check_exact=True)


def test_the_environment_variable_sends_a_missing_result_to_the_engine(news100_path, monkeypatch):
    monkeypatch.setenv("NEWSSCOPE_ENGINE", "dask-local")
    seen = []
    real = eclean.run_clean

    def instead(corpus, settings, **kw):  # no cluster in a unit test: record the choice, run on the local engine
        seen.append(kw.pop("engine"))
        return real(corpus, settings, engine=LocalEngine(progress=False), **kw)

    monkeypatch.setattr(eclean, "run_clean", instead)
    _forbid(monkeypatch, pipeline, "clean_articles")
    table = engine.load_clean(SPEC)
    assert seen == [None]  # None: get_engine reads NEWSSCOPE_ENGINE
    assert table["status"].eq("kept").all() and len(table) > 50


def test_fit_topics_loads_the_cleaned_corpus_once(news100_path, monkeypatch):
    from newsscope.topics import fit_topics
    from newsscope.vectorize import load_dtm

    calls = []
    real = clean.load_clean
    monkeypatch.setattr(clean, "load_clean", lambda *a, **k: calls.append(a) or real(*a, **k))
    result = fit_topics(SPEC, k_range=(4,), n_refits=2, n_jobs=1, progress=False)
    assert result.k == 4
    assert len(calls) == 1, f"the cleaned corpus was loaded {len(calls)} times"
    # the matrix built from the table passed in is the one load_dtm caches for the corpus
    entries = _entries("dtm")
    assert len(entries) == 1
    dtm = load_dtm(SPEC)
    assert _entries("dtm") == entries and len(calls) == 2
    assert dtm.X.shape[0] == len(result.docs)
