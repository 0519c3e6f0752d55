"""The cached entry point on News100 (real articles), result tables, small and undated corpora."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from newsscope import paths, topics
from newsscope.topics import pipeline, selection
from topics_synth import PLANTED, planted_corpus

SETTINGS = dict(k_range=(3, 5), n_refits=2, extend=False, progress=False)


@pytest.fixture(scope="module")
def news100(tmp_path_factory: pytest.TempPathFactory):
    """One fit on News100 shared by the tests of this module (its own cache folder)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("NEWSSCOPE_CACHE", str(tmp_path_factory.mktemp("cache100")))
    try:
        yield topics.fit_topics("builtin:news100", **SETTINGS)
    finally:
        mp.undo()


def test_result_tables_on_news100(news100) -> None:
    r = news100
    assert r.ok and r.k in (3, 5)
    assert r.selection["k"].tolist() == [3, 5] and r.selection["chosen"].sum() == 1
    assert r.reason.startswith(f"k={r.k}:")
    t = r.topics
    assert t["topic"].tolist() == list(range(r.k))
    assert t["size"].is_monotonic_decreasing
    assert t["size"].sum() + (r.model.dominant_topic_ < 0).sum() == len(r.docs) == 100
    assert all(len(s.split("; ")) == 10 for s in t["top_terms"])
    assert t["npmi"].between(-1, 1).all() and t["stability"].between(0, 1).all()
    assert (t["stable"] == (t["stability"] >= 0.5)).all()
    # outlet names never reach the topics
    outlets = {s.lower() for s in r.docs["source"].dropna().unique()}
    assert not outlets & {w for s in t["top_terms"] for w in s.split("; ")}
    # every document accounted for in doc_topics, weights are shares
    dt = r.doc_topics
    assert set(dt["doc_id"]) == set(r.docs["doc_id"])
    assert (dt.groupby("doc_id")["weight"].sum() <= 1.001).all()  # shares rounded to 4 decimals
    assert list(dt.columns) == ["doc_id", "topic", "weight"]
    # headlines: up to three per topic, from the topic's own documents
    assert r.headlines.groupby("topic").size().max() <= 3
    dom = dict(zip(r.docs["doc_id"], r.model.dominant_topic_))
    assert all(dom[d] == t for d, t in zip(r.headlines["doc_id"], r.headlines["topic"]))


def test_rerun_uses_the_cache_and_relabel_does_not_refit(news100, monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    # the module fixture's cache folder is gone from the environment: refit into a fresh one, then rerun
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path_factory.mktemp("cache-rerun")))
    first = topics.fit_topics("builtin:news100", **SETTINGS)

    def boom(*args, **kwargs):
        raise AssertionError("the sweep ran again instead of using the cache")

    monkeypatch.setattr(pipeline, "sweep_k", boom)
    again = topics.fit_topics("builtin:news100", relabel={0: "First topic"}, **SETTINGS)
    assert again.topics["label"].iloc[0] == "First topic"
    assert again.topics["auto_label"].iloc[0] == first.topics["label"].iloc[0]
    pd.testing.assert_frame_equal(first.doc_topics, again.doc_topics)
    assert first.topics.drop(columns="label").equals(again.topics.drop(columns="label"))
    assert first.topics["top_terms"].tolist() == news100.topics["top_terms"].tolist()  # deterministic


def test_write_topic_results(news100) -> None:
    written = topics.write_topic_results(news100)
    assert [p.name for p in written] == ["topics.csv", "doc_topics.csv"]
    assert all(p.parent == paths.results_dir() for p in written)
    t = pd.read_csv(written[0])
    assert list(t.columns) == ["topic", "label", "top_terms", "size", "npmi", "stability", "stable"]
    d = pd.read_csv(written[1], dtype={"doc_id": str})
    assert list(d.columns) == ["doc_id", "topic", "weight"]
    assert d["doc_id"].is_monotonic_increasing


def test_map_documents(news100) -> None:
    m = topics.map_documents(news100, max_iter=250)
    assert len(m) == 100 and list(m.columns) == ["doc_id", "x", "y", "topic", "label", "weight"]
    assert np.isfinite(m[["x", "y"]].to_numpy()).all()
    assert m.attrs["note"] == "" and m["doc_id"].tolist() == news100.docs["doc_id"].astype(str).tolist()


def test_map_documents_of_a_big_corpus_is_a_seeded_sample_and_says_so(news100) -> None:
    m = topics.map_documents(news100, max_docs=40, max_iter=250)
    again = topics.map_documents(news100, max_docs=40, max_iter=250)
    other = topics.map_documents(news100, max_docs=40, max_iter=250, random_state=1)
    ids = news100.docs["doc_id"].astype(str).tolist()
    assert len(m) == 40 and set(m["doc_id"]) <= set(ids)
    assert m["doc_id"].map(ids.index).is_monotonic_increasing  # in corpus order
    assert "sample of 40 of the 100 documents (seed 0)" in m.attrs["note"]
    pd.testing.assert_frame_equal(m, again)
    assert set(other["doc_id"]) != set(m["doc_id"])
    # each sampled document keeps its own dominant topic and weight
    full = topics.map_documents(news100, max_iter=250).set_index("doc_id")
    pd.testing.assert_frame_equal(m.set_index("doc_id")[["topic", "label", "weight"]], full.loc[m["doc_id"], ["topic", "label", "weight"]])


def _fake_dtm(n_docs: int, dated: bool = True):
    X, terms = planted_corpus(seed=0, docs_per_topic=-(-n_docs // 3))
    X = X[:n_docs]
    docs = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(X.shape[0])], "source": ["A", "B"] * (X.shape[0] // 2) + ["A"] * (X.shape[0] % 2),
                         "published": pd.Timestamp("2017-03-01") if dated else pd.NaT, "title": [f"t{i}" for i in range(X.shape[0])]})
    return SimpleNamespace(X=X, terms=terms, docs=docs, vectorizer=SimpleNamespace(outlet_terms_={}))


def test_small_and_undated_corpora_degrade_with_messages() -> None:
    tiny = topics.fit_topics(dtm=_fake_dtm(5), progress=False)
    assert not tiny.ok and tiny.k is None and "at least 20" in tiny.messages[0]
    assert tiny.doc_topics["topic"].tolist() == [-1] * 5       # still accounted for
    assert topics.write_topic_results(tiny) == []
    assert topics.map_documents(tiny).empty
    r = topics.fit_topics(dtm=_fake_dtm(30, dated=False), k_range=(3, 10, 20), n_refits=1, progress=False)
    assert r.ok and set(r.selection["k"]) == {3}                # 30 documents: k <= 6
    assert any("dropped" in m for m in r.messages)
    assert any("publication date" in m for m in r.messages)
    # the eight planted words lead each topic (tiny weights of other words fill the list to ten)
    assert sorted(map(sorted, (s.split("; ")[:8] for s in r.topics["top_terms"]))) == sorted(map(sorted, PLANTED))


def test_choose_k_rule() -> None:
    table = pd.DataFrame({"k": [10, 15, 20, 25, 30], "npmi": [0.40, 0.45, 0.455, 0.44, 0.50],
                          "diversity": [0.95, 0.95, 0.95, 0.95, 0.85],
                          "stability_weighted": [0.9, 0.82, 0.85, 0.9, 0.9], "unstable_share": [0.0, 0.05, 0.08, 0.0, 0.0]})
    k, reason = selection.choose_k(table)
    # 30 has the best NPMI but fails diversity; 15 and 20 tie within 0.01 -> the more stable 20
    assert k == 20
    assert "k=15" in reason and "diversity >= 0.90" in reason
    k2, _ = selection.choose_k(table, npmi_tolerance=0.0)
    assert k2 == 20
    k3, _ = selection.choose_k(table, npmi_tolerance=0.06)
    assert k3 == 10                                              # ties 10..25: most stable is 10 (tie with 25 -> smaller)
    # too many documents in unstable topics disqualifies a k even with a good mean
    k5, _ = selection.choose_k(table.assign(unstable_share=[0.0, 0.05, 0.30, 0.11, 0.0]))
    assert k5 == 15
    # nothing admissible: the most stable k (within 0.02 ties go to the better NPMI), and the reason says so
    bad = table.assign(stability_weighted=[0.50, 0.62, 0.61, 0.40, 0.70])
    k4, reason4 = selection.choose_k(bad)
    assert k4 == 20 and "NO k met the rule" in reason4 and "size-weighted stability >= 0.80" in reason4
    with pytest.raises(ValueError):
        selection.choose_k(table.iloc[:0])


def test_sweep_k_finds_the_planted_number_of_topics() -> None:
    X, terms = planted_corpus(seed=2)
    model = topics.TopicModel(min_df=1, max_df=1.0, n_top_terms=8)
    sweep = selection.sweep_k(model, X, terms=terms, k_range=[3, 4, 5, 1], n_refits=2, progress=False)
    assert sweep.table["k"].tolist() == [3, 4, 5]
    best = sweep.table.set_index("k")
    assert best.loc[3, "stability"] == pytest.approx(1.0)
    assert best.loc[3, "diversity"] == 1.0
    assert selection.choose_k(sweep.table)[0] == 3


def test_sweep_in_two_processes_equals_the_serial_sweep() -> None:
    X, terms = planted_corpus(seed=3)
    model = topics.TopicModel(min_df=1, max_df=1.0, n_top_terms=8)
    serial = selection.sweep_k(model, X, terms=terms, k_range=[3, 4], n_refits=2, n_jobs=1, progress=False)
    parallel = selection.sweep_k(model, X, terms=terms, k_range=[3, 4], n_refits=2, n_jobs=2, progress=False)
    cols = ["k", "npmi", "diversity", "stability", "npmi_min"]
    pd.testing.assert_frame_equal(serial.table[cols], parallel.table[cols])
    for k in (3, 4):
        assert serial.models[k].top_terms_ == parallel.models[k].top_terms_
        np.testing.assert_array_equal(serial.models[k].doc_topic_, parallel.models[k].doc_topic_)
        assert serial.stability[k].refit_terms == parallel.stability[k].refit_terms
    assert selection.resolve_n_jobs(3, 10) == 3


def _brute_force_stability(reference: list[list[str]], refits: list[list[list[str]]]) -> np.ndarray:
    """Each reference topic's matched Jaccard averaged over refits, by trying every one-to-one matching."""
    from itertools import permutations

    out = np.zeros(len(reference))
    for refit in refits:
        best, best_pairs = -1.0, None
        for perm in permutations(range(len(refit)), len(reference)):
            pairs = [len(set(a) & set(refit[j])) / len(set(a) | set(refit[j])) for a, j in zip(reference, perm)]
            if sum(pairs) > best + 1e-12:
                best, best_pairs = sum(pairs), pairs
        out += np.asarray(best_pairs)
    return out / len(refits)


def test_a_large_corpus_sweeps_k_on_a_sample_and_fits_the_chosen_k_on_all(news100) -> None:
    # News100 (about 95 documents after cleaning) with a sample of 60 stands in for 100k with 10k
    from sklearn.base import clone

    dtm = news100.dtm
    n = dtm.X.shape[0]
    r = topics.fit_topics(dtm=dtm, sweep_sample=60, **SETTINGS)
    assert r.ok and r.k in (3, 5)
    assert any(f"sample of 60 of the {n}" in m for m in r.messages)
    # the final model covers every document, not just the sample
    assert r.model.doc_topic_.shape == (n, r.k)
    assert r.doc_topics["doc_id"].nunique() == n
    # its topics' stability, recomputed independently: the sample's reference fit and its refits
    # (seeds 1, 2 on 90 % of the sample) are the final model's refits; brute-force matching
    rows = np.sort(np.random.default_rng(0).choice(n, size=60, replace=False))
    template = clone(r.model)
    sample_fits = [clone(template).set_params(random_state=0).fit(dtm.X[rows], terms=dtm.terms).top_terms_]
    for seed in (1, 2):
        sub = np.sort(np.random.default_rng(seed).choice(60, size=54, replace=False))
        sample_fits.append(clone(template).set_params(random_state=seed).fit(dtm.X[rows][sub], terms=dtm.terms).top_terms_)
    expected = _brute_force_stability(r.model.top_terms_, sample_fits)
    np.testing.assert_allclose(r.topics["stability"].to_numpy(), np.round(expected, 3), atol=1e-9)
    # the sample changes the key: the full sweep is a different cached result
    full = topics.fit_topics(dtm=dtm, sweep_sample=None, **SETTINGS)
    assert full.key != r.key and not any("sample" in m for m in full.messages)
    assert topics.fit_topics(dtm=dtm, sweep_sample=n, **SETTINGS).key == full.key


def test_the_sweep_sample_threshold_from_both_sides(news100, monkeypatch: pytest.MonkeyPatch) -> None:
    dtm = news100.dtm
    n = dtm.X.shape[0]
    monkeypatch.setattr(pipeline, "SWEEP_SAMPLE", n)          # exactly n documents: no sample
    at = topics.fit_topics(dtm=dtm, **SETTINGS)
    assert not any("sample" in m for m in at.messages)
    monkeypatch.setattr(pipeline, "SWEEP_SAMPLE", n - 1)      # one more document than the threshold: sampled
    above = topics.fit_topics(dtm=dtm, **SETTINGS)
    assert any(f"sample of {n - 1:,} of the {n:,}" in m for m in above.messages)
    assert above.key != at.key and above.model.doc_topic_.shape[0] == n
