"""Choosing k on small corpora: the stability rule, the automatic range and its extension, n_jobs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from newsscope import cores, topics
from newsscope.topics import pipeline, selection
from topics_synth import PLANTED, planted_corpus

#: The whole vocabulary in the model and top-8 lists (the planted topics have eight words each).
PLAIN = {"min_df": 1, "max_df": 1.0, "n_top_terms": 8}


def _dtm(X, terms, *, dated: bool = True):
    n = X.shape[0]
    docs = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n)], "source": ["A", "B", "C"] * (n // 3) + ["A"] * (n % 3),
                         "published": pd.Timestamp("2017-03-01") if dated else pd.NaT, "title": [f"t{i}" for i in range(n)]})
    return SimpleNamespace(X=sp.csr_matrix(X), terms=np.asarray(terms), docs=docs, vectorizer=SimpleNamespace(outlet_terms_={}))


def _noise(n_docs: int = 90, n_terms: int = 400, seed: int = 0):
    """Documents of words drawn uniformly: no topic structure at all."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n_docs, n_terms), dtype=np.int64)
    for d in range(n_docs):
        X[d, rng.choice(n_terms, size=8, replace=False)] = rng.integers(1, 3, size=8)
    return X, [f"n{j:03d}" for j in range(n_terms)]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / "cache"))


def test_a_small_planted_corpus_gets_its_planted_k_with_stable_topics() -> None:
    X, terms = planted_corpus(seed=1, docs_per_topic=15)         # 45 documents, 3 planted topics
    r = topics.fit_topics(dtm=_dtm(X, terms), k_range=(2, 3, 4, 5), n_refits=3, progress=False,
                          model_params=PLAIN)
    assert r.k == 3 and "NO k" not in r.reason
    row = r.selection.set_index("k").loc[3]
    assert row["stability_weighted"] == pytest.approx(1.0) and row["unstable_share"] == 0.0
    assert r.topics["stable"].all() and r.display_labels == r.labels
    assert sorted(map(sorted, (s.split("; ")[:8] for s in r.topics["top_terms"]))) == sorted(map(sorted, PLANTED))


def test_a_corpus_without_topics_says_so_and_marks_its_topics_unstable() -> None:
    X, terms = _noise()
    r = topics.fit_topics(dtm=_dtm(X, terms), k_range=(3, 4, 5), n_refits=3, extend=False, progress=False,
                          model_params=PLAIN)
    assert r.ok
    assert "NO k met the rule" in r.reason
    assert (r.selection["stability_weighted"] < 0.8).all()
    unstable = ~r.topics["stable"]
    assert unstable.any()
    assert all(lab.endswith("(unstable)") == bad for lab, bad in zip(r.display_labels, unstable))
    # the column written to topics.csv after the contract ones
    written = topics.write_topic_results(r)
    t = pd.read_csv(written[0])
    assert list(t.columns[-1:]) == ["stable"] and t["stable"].tolist() == r.topics["stable"].tolist()


def test_default_k_range_scales_with_the_corpus() -> None:
    assert pipeline.default_k_range(20) == [2, 3]
    assert pipeline.default_k_range(100) == [2, 3, 4, 5]
    big = pipeline.default_k_range(3725)
    # every k up to 16 (where stability changes from one k to the next), then a coarser grid to 30
    assert big[0] == 6 and big[-1] == pipeline.MAX_AUTO_K
    assert set(range(6, pipeline.FINE_K_UP_TO + 1)) <= set(big) and len(big) <= 18
    assert pipeline.default_k_range(100_000) == big
    for n in (20, 57, 300, 1000, 5000):
        ks = pipeline.default_k_range(n)
        assert ks == sorted(set(ks)) and ks[0] >= 2 and ks[-1] <= max(2, n // 5) and len(ks) <= 18


def test_extension_when_the_chosen_k_is_at_an_edge() -> None:
    assert pipeline._extension([6, 8, 10], 10, limit=100) == [12, 14]
    assert pipeline._extension([6, 8, 10], 6, limit=100) == [2, 4]
    assert pipeline._extension([6, 8, 10], 8, limit=100) == []
    assert pipeline._extension([6, 8, 10], 10, limit=11) == [11]
    assert pipeline._extension([2, 3], 2, limit=10) == []              # nothing below 2
    assert pipeline._extension([4, 5], 5, limit=5) == []               # nothing above the limit


def test_a_range_that_stops_above_the_planted_k_is_extended_downwards() -> None:
    X, terms = planted_corpus(seed=1, docs_per_topic=15)
    r = topics.fit_topics(dtm=_dtm(X, terms), k_range=(4, 5, 6), n_refits=2, progress=False,
                          model_params=PLAIN)
    swept = r.selection["k"].tolist()
    assert swept[0] < 4 and 3 in swept
    assert r.k == 3 and swept[0] < r.k < swept[-1]                     # inside the swept range
    assert any("edge of the swept range" in m for m in r.messages)
    auto = topics.fit_topics(dtm=_dtm(X, terms), n_refits=2, progress=False, model_params=PLAIN)
    assert any(m.startswith("k_range chosen for 45 documents") for m in auto.messages)
    # default_k_range(45) is [2, 3]: k=3 at its upper edge, so 4 and 5 were swept too
    assert pipeline.default_k_range(45) == [2, 3] and auto.selection["k"].tolist() == [2, 3, 4, 5]
    assert auto.k == 3


def _tables(r):
    return (r.topics, r.doc_topics, r.selection.drop(columns="fit_seconds"), r.reason, r.headlines)


def test_fit_topics_gives_identical_tables_whatever_n_jobs(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    X, terms = planted_corpus(seed=4, docs_per_topic=20)
    dtm = _dtm(X, terms)
    runs = []
    for jobs in (1, 2):
        monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / f"cache{jobs}"))   # no cache shared between the runs
        runs.append(topics.fit_topics(dtm=dtm, k_range=(2, 3, 4), n_refits=2, n_jobs=jobs, progress=False,
                                      model_params=PLAIN))
    for a, b in zip(*map(_tables, runs)):
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b)
        else:
            assert a == b
    np.testing.assert_array_equal(runs[0].doc_topic, runs[1].doc_topic)


def test_the_parallel_threshold_from_both_sides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selection, "PARALLEL_MIN_DOCS", 60)
    monkeypatch.setattr(cores, "available_cores", lambda: 2)
    assert selection.resolve_n_jobs(None, 59) == 1
    assert selection.resolve_n_jobs(None, 60) == 2
    # and the sweep really takes the parallel path from the threshold on (and the serial one below)
    import joblib

    calls = []
    real = joblib.Parallel

    class Spy(real):
        def __init__(self, *args, **kwargs):
            calls.append(kwargs.get("n_jobs"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(joblib, "Parallel", Spy)
    X, terms = planted_corpus(seed=5, docs_per_topic=20)           # 60 documents
    model = topics.TopicModel(min_df=1, max_df=1.0, n_top_terms=8)
    at = selection.sweep_k(model, X, terms=terms, k_range=[3], n_refits=1, n_jobs=None, progress=False)
    assert calls == [2]
    below = selection.sweep_k(model, X[:59], terms=terms, k_range=[3], n_refits=1, n_jobs=None, progress=False)
    assert calls == [2]                                              # 59 documents: serial, no pool
    assert at.table["stability"].iloc[0] == pytest.approx(1.0) and below.table["k"].tolist() == [3]
