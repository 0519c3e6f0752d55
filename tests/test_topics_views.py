"""Views: topics over time normalised by documents per bin, topics by outlet, document map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from newsscope.topics.views import (
    document_map, dominant_topics, outlet_highlights, peak_periods, time_window, topics_by_outlet, topics_over_time,
)

DATES = pd.to_datetime(["2017-03-01"] * 4 + ["2017-03-03"] + [None])
DOC_TOPIC = np.array([
    [1.0, 0.0], [1.0, 0.0], [0.5, 0.5], [0.0, 1.0],   # 1 March: four documents
    [0.0, 1.0],                                        # 3 March: one document
    [1.0, 0.0],                                        # undated
])


def _cell(df: pd.DataFrame, day: str, topic: int) -> pd.Series:
    return df[(df["period"] == pd.Timestamp(day)) & (df["topic"] == topic)].iloc[0]


def test_shares_are_normalised_by_documents_per_bin_not_by_topic_total() -> None:
    out = topics_over_time(DOC_TOPIC, DATES, freq="D", min_docs=1, start="2017-03-01", end="2017-03-03")
    # weight: topic 0 on 1 March = (1 + 1 + 0.5 + 0) / 4 documents
    assert _cell(out, "2017-03-01", 0)["share"] == pytest.approx(2.5 / 4)
    assert _cell(out, "2017-03-01", 1)["share"] == pytest.approx(1.5 / 4)
    # normalising by topic 1's own total (2.5) would give 1.0 / 2.5 = 0.4 here; per document it is 1.0
    assert _cell(out, "2017-03-03", 1)["share"] == pytest.approx(1.0)
    # the empty day in between is a gap, not zero and not interpolated
    gap = _cell(out, "2017-03-02", 0)
    assert gap["docs_in_period"] == 0 and np.isnan(gap["share"]) and not gap["sufficient"]
    assert out.attrs["excluded"] == {"undated": 1, "outside_window": 0}
    for _, g in out.dropna(subset=["share"]).groupby("period"):
        assert g["share"].sum() <= 1 + 1e-9


def test_dominant_measure_and_minimum_coverage() -> None:
    out = topics_over_time(DOC_TOPIC, DATES, freq="D", measure="dominant", min_docs=2, start="2017-03-01", end="2017-03-03")
    assert _cell(out, "2017-03-01", 0)["share"] == pytest.approx(3 / 4)   # the 50/50 document counts for topic 0
    assert _cell(out, "2017-03-01", 0)["topic_docs"] == 3
    assert np.isnan(_cell(out, "2017-03-03", 1)["share"])                # one document < min_docs
    assert _cell(out, "2017-03-03", 1)["topic_docs"] == 1


def test_weekly_bins_window_and_no_dates() -> None:
    out = topics_over_time(DOC_TOPIC, DATES, freq="W", min_docs=1, labels=["x", "y"])
    assert out["period"].unique().tolist() == [pd.Timestamp("2017-02-27")]  # the Monday
    assert _cell(out, "2017-02-27", 1)["share"] == pytest.approx(2.5 / 5)
    assert out["label"].tolist() == ["x", "y"]
    none = topics_over_time(DOC_TOPIC, [None] * 6)
    assert none.empty and none.attrs["excluded"]["undated"] == 6
    assert none.attrs["reason"] == "no document has a publication date"
    assert topics_over_time(np.zeros((6, 0)), DATES).attrs["reason"] == "no topic model"
    with pytest.raises(ValueError, match="freq"):
        topics_over_time(DOC_TOPIC, DATES, freq="Q")
    with pytest.raises(ValueError, match="dates"):
        topics_over_time(DOC_TOPIC, DATES[:3])


def test_time_window_drops_stray_old_documents() -> None:
    dates = pd.Series(pd.to_datetime(["2016-04-19"] + ["2017-03-01"] * 199))
    assert time_window(dates) == (pd.Timestamp("2017-03-01"), pd.Timestamp("2017-03-01"))
    assert time_window(pd.Series([pd.NaT, pd.NaT])) is None
    out = topics_over_time(np.ones((200, 1)), dates, freq="D", min_docs=1)
    assert out.attrs["excluded"]["outside_window"] == 1


def test_topics_by_outlet_share_and_lift() -> None:
    doc_topic = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [0, 0]], dtype=float)
    sources = ["A", "A", "A", "B", "B", None]
    out = topics_by_outlet(doc_topic, sources, min_docs=1)
    a0 = out[(out["source"] == "A") & (out["topic"] == 0)].iloc[0]
    assert a0["share"] == pytest.approx(2 / 3)
    assert a0["lift"] == pytest.approx((2 / 3) / (2 / 6))
    b1 = out[(out["source"] == "B") & (out["topic"] == 1)].iloc[0]
    assert b1["share"] == 1.0 and b1["docs_in_source"] == 2
    assert out["source"].unique().tolist() == ["A", "B", "(unknown)"]
    pooled = topics_by_outlet(doc_topic, sources, min_docs=3)
    assert pooled["source"].unique().tolist() == ["A", "other outlets"]


def test_dominant_topics_and_document_map() -> None:
    assert dominant_topics(np.array([[0.2, 0.8], [0, 0]])).tolist() == [1, -1]
    rng = np.random.default_rng(0)
    feats = sp.csr_matrix(rng.random((60, 30)))
    a = document_map(feats, n_components=10, perplexity=10, max_iter=250, random_state=1)
    b = document_map(feats, n_components=10, perplexity=10, max_iter=250, random_state=1)
    assert a.shape == (60, 2) and np.array_equal(a, b)
    assert document_map(sp.csr_matrix(rng.random((1, 5)))).shape == (1, 2)
    assert document_map(sp.csr_matrix((0, 5))).shape == (0, 2)


def test_peak_periods_and_outlet_highlights() -> None:
    out = topics_over_time(DOC_TOPIC, DATES, freq="D", min_docs=1, start="2017-03-01", end="2017-03-03", labels=["x", "y"])
    peaks = peak_periods(out)
    assert peaks["topic"].tolist() == [0, 1]
    assert peaks.loc[0, "peak"] == pd.Timestamp("2017-03-01") and peaks.loc[0, "peak_share"] == pytest.approx(2.5 / 4)
    assert peaks.loc[1, "peak"] == pd.Timestamp("2017-03-03") and peaks.loc[1, "peak_share"] == 1.0
    # the gap day does not count in the mean
    assert peaks.loc[1, "mean_share"] == pytest.approx((1.5 / 4 + 1.0) / 2)
    assert peak_periods(out.iloc[:0]).empty
    doc_topic = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [1, 0]], dtype=float)
    by = topics_by_outlet(doc_topic, ["A", "A", "A", "B", "B", "B"], min_docs=1)
    hi = outlet_highlights(by, n=1)
    assert hi[["source", "topic"]].values.tolist() == [["A", 0], ["B", 1]]
