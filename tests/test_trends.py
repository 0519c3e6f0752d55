"""Trends: interval maths, the burst model on synthetic series, keyness by hand, KWIC, shares and gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newsscope import paths
from newsscope.trends import (
    balanced_interval, burst_intervals, detect_bursts, g2, keyness, keyness_outlet, keyness_period, kleinberg, kwic,
    log_ratio, main_period, term_share, volume, wilson_interval, write_bursts,
)
from newsscope.trends.bursts import daily_counts, effective_outlets, outlet_baseline
from newsscope.vectorize import build_dtm

# --------------------------------------------------------------------------- intervals


def test_wilson_interval_against_hand_computation():
    # k = 5, n = 20, z = 1.96: p = 0.25, centre = (0.25 + 0.09604) / 1.19208, half = 1.96 * 0.108518 / 1.19208
    low, high = wilson_interval(5, 20, z=1.96)
    assert low == pytest.approx(0.11186, abs=1e-4)
    assert high == pytest.approx(0.46870, abs=1e-4)
    low0, high0 = wilson_interval(0, 10, z=1.96)
    assert low0 == 0.0 and high0 == pytest.approx(3.8416 / 13.8416, abs=1e-9)  # z²/(n + z²) when k = 0
    lo, hi = wilson_interval(np.array([0, 3]), np.array([0, 3]))
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and hi[1] == 1.0 and lo[1] < 1.0


def test_balanced_interval_is_mean_of_outlet_shares():
    k = np.array([[1, 9], [0, 0]])
    n = np.array([[10, 10], [5, 0]])
    mean, low, high = balanced_interval(k, n)
    assert mean[0] == pytest.approx(0.5)  # (0.1 + 0.9) / 2, although the pooled share is also 0.5
    assert mean[1] == 0.0  # only the outlet with articles counts
    assert low[0] < 0.5 < high[0] and low[1] == 0.0 and high[1] > 0.0


# --------------------------------------------------------------------------- burst model


def test_kleinberg_finds_a_known_burst():
    d = np.full(40, 100)
    r = np.full(40, 2)
    r[20:25] = 20  # a five-day burst at ten times the base rate
    states, gain = kleinberg(r, d, s=2, gamma=1)
    assert list(np.flatnonzero(states)) == [20, 21, 22, 23, 24]
    (first, last, weight, level), = burst_intervals(states, gain)
    assert (first, last, level) == (20, 24, 1)
    assert weight == pytest.approx(gain[20:25].sum()) and weight > 0


def test_kleinberg_no_burst_in_a_flat_series_and_vectorised():
    d = np.full(30, 50)
    flat = np.full(30, 5)
    spiky = flat.copy()
    spiky[10] = 30
    states, _ = kleinberg(np.vstack([flat, spiky]), d, s=2, gamma=1)
    assert states[0].sum() == 0
    assert list(np.flatnonzero(states[1])) == [10]
    with pytest.raises(ValueError, match="between 0 and"):
        kleinberg(np.array([5]), np.array([3]))
    with pytest.raises(ValueError, match="> 1"):
        kleinberg(flat, d, s=1)


def test_kleinberg_gamma_controls_sensitivity():
    d = np.full(30, 100)
    r = np.full(30, 3)
    r[15] = 8  # a weak one-day rise
    weak, _ = kleinberg(r, d, s=2, gamma=0.1)
    strict, _ = kleinberg(r, d, s=2, gamma=3)
    assert weak[15] == 1 and strict.sum() == 0


def test_outlet_baseline_removes_coverage_artefact():
    """A term that outlet A uses in every article must not burst on days A dominates."""
    days = 20
    by_outlet = np.tile([10.0, 10.0], (days, 1))
    by_outlet[8:11, 0] = 60  # outlet A publishes six times more on three days
    totals = by_outlet.sum(axis=1)
    r = by_outlet[:, 0] * 0.5  # the term: half of A's articles, none of B's
    glob, _ = kleinberg(r, totals, s=1.5, gamma=0.5)
    assert glob[8:11].all()  # Kleinberg's constant base rate sees a burst

    class DC:  # the fields outlet_baseline reads
        pass

    dc = DC()
    dc.by_outlet, dc.totals, dc.outlets = by_outlet, totals, ["A", "B"]
    dc.mentions = r[None, :]
    dc.outlet_mentions = np.array([[r.sum()], [0.0]])
    p0 = outlet_baseline(dc, shrink=0.0)
    adj, _ = kleinberg(r, totals, p0=p0, s=1.5, gamma=0.5)
    assert adj.sum() == 0
    assert effective_outlets(np.array([[8, 1, 1], [5, 5, 0]])).round(2).tolist() == [1.52, 2.0]


# --------------------------------------------------------------------------- a synthetic corpus

FILLER = [
    "The council discussed the budget and local schools in a long meeting.",
    "Farmers reported a good harvest and stable prices at the market.",
    "The football club won its match after a late goal by the captain.",
    "Researchers published a study on sleep and coffee among students.",
    "The museum opened an exhibition of modern paintings and sculptures.",
]


@pytest.fixture(scope="module")
def synthetic():
    rows = []
    day0 = pd.Timestamp("2017-03-01")
    for day in range(30):
        for outlet in ("Alpha", "Beta", "Gamma"):
            for j in range(6):
                text = FILLER[(day + j) % len(FILLER)]
                if 14 <= day <= 16 and j < 4:
                    text = "The volcano eruption forced thousands to flee as ash covered villages. " + text
                rows.append({"doc_id": f"{day}-{outlet}-{j}", "source": outlet, "published": day0 + pd.Timedelta(days=day),
                             "title": f"Story {day} {j}", "text": text})
    # a thinly covered day: one article with a rare word must not make a burst
    rows.append({"doc_id": "lonely", "source": "Alpha", "published": pd.Timestamp("2017-04-05"), "title": "Lonely",
                 "text": "A zeppelin zeppelin zeppelin landed. " * 3})
    docs = pd.DataFrame(rows)
    return build_dtm(docs, min_df=1)


def test_detect_bursts_on_synthetic_event(synthetic):
    bursts = detect_bursts(synthetic, min_count=5)
    top = bursts.iloc[0]
    # the strongest burst groups terms of the planted sentence, and only those
    terms = top["term"].split("; ")
    planted = " the volcano eruption forced thousands to flee as ash covered villages "
    assert len(terms) >= 2 and any("volcano" in t for t in terms)
    assert all(f" {t} " in planted for t in terms), terms
    assert str(top["start"]) == "2017-03-15" and str(top["end"]) == "2017-03-17"
    assert top["docs"] == 36 and top["peak_share"] == pytest.approx(12 / 18)
    assert not bursts["term"].str.contains("zeppelin").any()
    skipped = bursts.attrs["skipped_days"]
    assert "2017-04-05" in skipped["day"].dt.strftime("%Y-%m-%d").tolist()
    assert list(bursts["weight"]) == sorted(bursts["weight"], reverse=True)
    # filler words repeat on a five-day cycle and never burst
    assert not bursts["term"].str.contains("harvest|museum|football").any()


def test_write_bursts_contract(synthetic):
    bursts = detect_bursts(synthetic, min_count=5)
    path = write_bursts(bursts)
    assert path == paths.results_dir() / "bursts.csv"
    back = pd.read_csv(path)
    assert list(back.columns[:6]) == ["term", "start", "end", "weight", "peak_share", "docs"]
    assert len(back) == len(bursts)


def test_term_share_gaps_and_values(synthetic):
    share = term_share(synthetic, ["volcano"], freq="D", min_docs=10)
    allrows = share[share["outlet"] == "all"].set_index("period")
    assert allrows.loc["2017-03-15", "share"] == pytest.approx(12 / 18)
    assert allrows.loc["2017-03-01", "share"] == 0.0
    # days with no article between the last covered day and the lonely one are gaps, not zeros
    assert np.isnan(allrows.loc["2017-04-02", "share"]) and allrows.loc["2017-04-02", "gap"]
    assert np.isnan(allrows.loc["2017-04-05", "share"])  # one article < min_docs
    assert allrows.loc["2017-03-15", "balanced"] == pytest.approx(4 / 6)
    lo, hi = allrows.loc["2017-03-15", ["low", "high"]]
    assert lo < 12 / 18 < hi
    by = term_share(synthetic, "volcano", by_outlet=True, min_docs=10)
    assert set(by["outlet"]) == {"all", "Alpha", "Beta", "Gamma"}
    with pytest.raises(KeyError, match="not in the vocabulary"):
        term_share(synthetic, "unicorn")
    vol = volume(synthetic.docs, "W")
    assert vol.to_numpy().sum() == len(synthetic.docs) and list(vol.columns) == ["Alpha", "Beta", "Gamma"]
    assert main_period(synthetic.docs["published"])[0] == pd.Timestamp("2017-03-01")


def test_no_dates_is_a_clear_error(synthetic):
    from newsscope.vectorize.dtm import DocTermMatrix

    undated = DocTermMatrix(synthetic.X, synthetic.terms, synthetic.docs.assign(published=pd.NaT), synthetic.vectorizer)
    none = detect_bursts(undated)  # no dates: no burst, and the reason (notebook 02 prints it)
    assert none.empty and none.attrs["note"] == "No bursts: no article has a publication date."
    with pytest.raises(ValueError, match="no publication dates"):
        term_share(undated, "volcano")
    # keyness by outlet needs no dates: the same table as with dates, led by Alpha's one odd article
    key = keyness_outlet(undated, "Alpha", min_freq=1)
    pd.testing.assert_frame_equal(key, keyness_outlet(synthetic, "Alpha", min_freq=1))
    assert key["term"].head(2).tolist() == ["zeppelin", "landed"] and key.loc[0, "target"] == 9
    assert key.loc[0, "reference"] == 0 and key.loc[0, "direction"] == "over"


# --------------------------------------------------------------------------- keyness


def test_g2_and_log_ratio_by_hand():
    # a=10 of c=1000, b=5 of d=2000: E1 = 5, E2 = 10, G² = 2(10 ln 2 + 5 ln 0.5) = 10 ln 2
    assert g2(10, 5, 1000, 2000) == pytest.approx(10 * np.log(2))
    assert log_ratio(10, 5, 1000, 2000) == pytest.approx(2.0)
    # under-use is negative; zero frequency: 0 ln 0 = 0, and 0.5 in the log ratio
    assert g2(0, 10, 1000, 1000) == pytest.approx(-2 * 10 * np.log(2))
    assert log_ratio(0, 10, 1000, 1000) == pytest.approx(np.log2(0.5 / 10))
    assert g2(5, 5, 1000, 1000) == pytest.approx(0.0)


def test_keyness_table_and_filters():
    terms = np.array(["a", "b", "c", "d"])
    table = keyness(np.array([10, 2, 0, 50]), np.array([5, 2, 10, 100]), terms, min_freq=5, target_size=1000, reference_size=2000)
    # b is below min_freq; d is exactly proportional (G² = 0, p = 1) and sorts after a; c is under-used
    assert table["term"].tolist() == ["a", "d", "c"]
    assert table.set_index("term").loc["d", "g2"] == pytest.approx(0.0)
    assert table.iloc[0]["g2"] == pytest.approx(10 * np.log(2)) and table.iloc[0]["direction"] == "over"
    assert table.iloc[0]["p_value"] == pytest.approx(0.00846, abs=1e-4)
    assert table.iloc[-1]["direction"] == "under"


def test_keyness_period_and_outlet(synthetic):
    per = keyness_period(synthetic, "2017-03-15", "2017-03-17", min_g2=15.13)
    event_words = {"volcano", "eruption", "ash", "villages", "flee", "covered", "forced", "thousands"}
    assert set(per.iloc[0]["term"].split()) <= event_words
    assert set(" ".join(per["term"]).split()) <= event_words  # nothing else is key for those days
    assert (per["direction"] == "over").iloc[0]
    docs = keyness_outlet(synthetic, "Alpha", unit="docs", min_freq=1)
    assert docs.attrs["target_docs"] == 181 and "zeppelin" in docs["term"].tolist()
    with pytest.raises(ValueError, match="not in the corpus"):
        keyness_outlet(synthetic, "Omega")


# --------------------------------------------------------------------------- KWIC


def test_kwic_variants_window_and_order():
    docs = pd.DataFrame({
        "doc_id": ["b", "a", "c"],
        "source": ["X", "Y", "X"],
        "published": pd.to_datetime(["2017-02-14", "2017-02-13", "2017-02-15"]),
        "title": ["Kim Jong-nam killed", "Airport attack", "Other"],
        "text": ["Police said Kim Jong-nam's body was taken away from the airport by ambulance.",
                 "Witnesses saw two women approach Kim Jong Nam at the airport in Kuala Lumpur on Monday.",
                 "Nothing about him here, but the U.S. and the US agree."],
    })
    k = kwic("kim jong-nam", docs, window=3, per_doc=None)
    assert k["doc_id"].tolist() == ["a", "b", "b"]  # by date; title before text
    assert k.iloc[0]["left"] == "two women approach" and k.iloc[0]["right"] == "at the airport"
    assert k.iloc[0]["match"] == "Kim Jong Nam"
    assert k.iloc[1]["field"] == "title" and k.iloc[2]["match"] == "Kim Jong-nam's"
    assert len(kwic("kim jong-nam", docs, per_doc=1)) == 2
    assert len(kwic("kim jong-nam", docs, limit=1)) == 1
    assert kwic("u.s.", docs)["match"].tolist() == ["U.S."]  # one per article by default
    assert len(kwic("u.s.", docs, per_doc=None)) == 2
    assert kwic("zeppelin", docs).empty
    assert kwic("airport", docs, sources=["X"], start="2017-02-14")["doc_id"].tolist() == ["b"]


def test_main_period_skips_single_outlet_back_issues():
    pub = pd.to_datetime(["2016-12-02"] * 30 + ["2017-02-06"] * 10 + ["2017-02-07"] * 10 + ["2017-03-01"])
    src = ["Weekly"] * 30 + ["A", "B"] * 5 + ["A"] * 10 + ["B"]
    start, end = main_period(pd.Series(pub), pd.Series(src))
    assert (start, end) == (pd.Timestamp("2017-02-06"), pd.Timestamp("2017-02-06"))  # 02-07 has one outlet only
    assert main_period(pd.Series(pub))[0] == pd.Timestamp("2016-12-02")  # without sources: the quantile rule
    assert main_period(pd.Series([pd.NaT, pd.NaT])) is None


def test_keyness_period_reference_window(synthetic):
    full = keyness_period(synthetic, "2017-03-15", "2017-03-17", min_freq=1)
    window = keyness_period(synthetic, "2017-03-15", "2017-03-17", reference_start="2017-03-01", reference_end="2017-03-30", min_freq=1)
    assert full.attrs["reference_docs"] == window.attrs["reference_docs"] + 1  # the lonely April article left out
    assert "zeppelin" in full["term"].tolist() and "zeppelin" not in window["term"].tolist()


# --------------------------------------------------------------------------- grouping from pruned pairs

def test_overlapping_pairs_give_the_groups_of_the_full_matrix():
    """Only pairs that can join are kept, a chunk at a time; the groups equal those of M @ M.T."""
    import scipy.sparse as sp

    from newsscope.trends.bursts import assign_groups, overlapping_pairs

    rng = np.random.default_rng(3)
    n_bursts, n_docs = 400, 3000
    # clustered bursts (events) so that many pairs pass the thresholds and many do not
    event_docs = [rng.choice(n_docs, size=rng.integers(20, 120), replace=False) for _ in range(40)]
    rows, cols = [], []
    for b in range(n_bursts):
        base = event_docs[b % 40]
        keep = base[rng.random(len(base)) < rng.uniform(0.3, 1.0)]
        noise = rng.choice(n_docs, size=rng.integers(0, 30), replace=False)
        docs = np.unique(np.concatenate([keep, noise]))
        rows += [b] * len(docs)
        cols += docs.tolist()
    M = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n_bursts, n_docs))
    sizes = np.diff(M.indptr).astype(float)
    first = rng.integers(0, 20, n_bursts)
    last = first + rng.integers(0, 6, n_bursts)
    members = pd.DataFrame({"first": first, "last": last})
    full = (M @ M.T).tocsr()
    want = assign_groups(members, sizes, full)
    for chunk in (1, 5_000, 10**9):
        pruned = overlapping_pairs(M, sizes, first, last, chunk_products=chunk)
        assert pruned.nnz < full.nnz / 4  # most pairs are dropped
        i, j = pruned.nonzero()
        assert (j < i).all() and (np.asarray(pruned[i, j]).ravel() == np.asarray(full[i, j]).ravel()).all()
        got = assign_groups(members, sizes, pruned)
        assert got[1] == want[1] and (got[0] == want[0]).all()
    assert 5 < want[1] < n_bursts - 5  # the test groups something and keeps something apart


def test_detect_bursts_is_the_same_in_small_pair_chunks(monkeypatch, news100_path):
    import warnings

    from newsscope.corpus import load_corpus
    from newsscope.trends import bursts as bursts_mod

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_corpus("builtin:newsarticles")
    dtm = build_dtm(articles.head(2000), min_df=3)
    want = detect_bursts(dtm)
    monkeypatch.setattr(bursts_mod, "PAIR_CHUNK_PRODUCTS", 50)
    got = detect_bursts(dtm)
    assert len(want) > 20 and (want["n_terms"] > 2).sum() > 5
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(got.attrs["members"], want.attrs["members"])
