"""Association measures against hand-computed values; counting, filtering, backbone and evidence."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from newsscope.actors.cooccur import (adjust_pvalues, annotate_evidence, count_cooccurrences, disparity_filter, edge_evidence,
                                      filter_edges, g2, g2_pvalue, npmi)


def test_npmi_hand_computed() -> None:
    # N = 100 sentences, actor i in 10, j in 20, together in 5:
    # p_ij = 0.05, p_i p_j = 0.02, PMI = ln 2.5 = 0.916291, NPMI = 0.916291 / -ln 0.05 = 0.305865
    assert npmi(5, 10, 20, 100) == pytest.approx(0.3058654, abs=1e-6)
    assert npmi(2, 10, 20, 100) == pytest.approx(0.0)           # exactly as expected: independent
    assert npmi(10, 10, 10, 100) == pytest.approx(1.0)           # always together
    assert np.isnan(npmi(0, 10, 20, 100))                        # never together: undefined (-1 in the limit)
    assert npmi(1, 50, 50, 100) < 0                              # fewer than the 25 expected


def test_g2_hand_computed() -> None:
    # Observed [[5, 5], [15, 75]], expected [[2, 8], [18, 72]]:
    # G2 = 2 (5 ln 2.5 + 5 ln 0.625 + 15 ln(15/18) + 75 ln(75/72)) = 5.116524
    assert g2(5, 10, 20, 100) == pytest.approx(5.1165235, abs=1e-6)
    assert g2(2, 10, 20, 100) == pytest.approx(0.0, abs=1e-12)
    # a zero cell contributes nothing (0 ln 0 = 0): [[0, 10], [20, 70]] vs expected [[2, 8], [18, 72]]
    hand = 2 * (10 * math.log(10 / 8) + 20 * math.log(20 / 18) + 70 * math.log(70 / 72))
    assert g2(0, 10, 20, 100) == pytest.approx(hand)
    # chi-square with one degree of freedom: 3.841459 is the 5% critical value
    assert g2_pvalue(3.841459) == pytest.approx(0.05, abs=1e-6)


def test_adjust_pvalues_hand_computed() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20])
    assert adjust_pvalues(p, "bonferroni").tolist() == pytest.approx([0.04, 0.16, 0.12, 0.8])
    # BH: sorted 0.01, 0.03, 0.04, 0.20 -> 0.04, 0.06, 0.0533, 0.20, then cumulative minimum from the top
    assert adjust_pvalues(p, "fdr").tolist() == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    assert adjust_pvalues(p, None).tolist() == p.tolist()


def _toy() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    texts = {
        "d1": "Putin met Assad in Moscow. Russia backs Syria. Rain fell.",
        "d2": "Putin phoned Assad. Trump tweeted.",
        "d3": "Trump met May. Putin was not there.",
    }
    sents = {"d1": [(0, 26), (27, 45), (46, 56)], "d2": [(0, 19), (20, 33)], "d3": [(0, 14), (15, 35)]}
    sentences = pd.DataFrame([{"doc_id": d, "sent": i, "start": a, "end": b} for d, ss in sents.items() for i, (a, b) in enumerate(ss)])
    rows = [("d1", 0, "Vladimir Putin"), ("d1", 0, "Bashar al-Assad"), ("d1", 0, "Moscow"), ("d1", 1, "Russia"), ("d1", 1, "Syria"),
            ("d2", 0, "Vladimir Putin"), ("d2", 0, "Bashar al-Assad"), ("d2", 1, "Donald Trump"),
            ("d3", 0, "Donald Trump"), ("d3", 0, "Theresa May"), ("d3", 1, "Vladimir Putin"), ("d3", 1, None)]
    mentions = pd.DataFrame(rows, columns=["doc_id", "sent", "actor"])
    return mentions, sentences, texts


def test_count_cooccurrences_sentence_and_article() -> None:
    mentions, sentences, _ = _toy()
    s = count_cooccurrences(mentions, sentences, "sentence")
    assert s.n_units == 7                              # every sentence counts, also those naming nobody
    pairs = s.pairs.set_index(["source", "target"])
    assert pairs.loc[("Bashar al-Assad", "Vladimir Putin"), "cooccurrences"] == 2
    assert ("Donald Trump", "Vladimir Putin") not in pairs.index   # never in one sentence
    n = s.actors.set_index("actor")["units"]
    assert n["Vladimir Putin"] == 3 and n["Donald Trump"] == 2
    # the measures are those of the formulas above, with N = 7
    assert pairs.loc[("Bashar al-Assad", "Vladimir Putin"), "npmi"] == pytest.approx(npmi(2, 2, 3, 7)[()])
    assert pairs.loc[("Bashar al-Assad", "Vladimir Putin"), "llr"] == pytest.approx(g2(2, 2, 3, 7)[()])
    a = count_cooccurrences(mentions, sentences, "article")
    assert a.n_units == 3
    apairs = a.pairs.set_index(["source", "target"])
    assert apairs.loc[("Donald Trump", "Vladimir Putin"), "cooccurrences"] == 2
    assert apairs.loc[("Bashar al-Assad", "Vladimir Putin"), "cooccurrences"] == 2


def test_filter_edges_min_count_direction_and_significance() -> None:
    pairs = pd.DataFrame({
        "source": ["a", "a", "b", "c"], "target": ["b", "c", "c", "d"],
        "cooccurrences": [50, 2, 30, 40], "expected": [5.0, 1.0, 60.0, 35.0],
        "npmi": [0.5, 0.2, -0.2, 0.05], "llr": [80.0, 1.0, 20.0, 0.8], "p_value": [1e-19, 0.3, 1e-5, 0.37],
    })
    kept = filter_edges(pairs, min_count=3, alpha=0.01)
    # a-c: too rare; b-c: significant but *fewer* than expected; c-d: not significant
    assert kept[["source", "target"]].values.tolist() == [["a", "b"]]
    assert len(filter_edges(pairs, min_count=3, alpha=None)) == 2   # a-b and c-d (positive association)


def test_disparity_filter_keeps_the_dominant_edges_of_a_hub() -> None:
    # hub h with one strong tie (to s) and eight weak ones; the weak ones are not significant for h,
    # but each weak leaf has degree 1, so an edge survives only if significant for the hub.
    edges = pd.DataFrame({"source": ["h"] * 9, "target": ["s", *[f"w{i}" for i in range(8)]],
                          "cooccurrences": [200, *([2] * 8)]})
    kept = disparity_filter(edges, alpha=0.05)
    assert kept["target"].tolist() == ["s"]
    # alpha for the strong tie: (1 - 200/216) ** 8
    assert kept["disparity_alpha"].iloc[0] == pytest.approx((1 - 200 / 216) ** 8)


def test_evidence_lookup() -> None:
    mentions, sentences, texts = _toy()
    s = count_cooccurrences(mentions, sentences, "sentence")
    a = count_cooccurrences(mentions, sentences, "article")
    ev = edge_evidence(s, "Vladimir Putin", "Bashar al-Assad", texts)
    assert ev["doc_id"].tolist() == ["d1", "d2"]
    assert ev["sentence"].tolist() == ["Putin met Assad in Moscow.", "Putin phoned Assad."]
    # article level: d2 and d3 name both Trump and Putin, but never in one sentence
    ev = edge_evidence(a, "Donald Trump", "Vladimir Putin", texts, sentence_co=s)
    assert ev["doc_id"].tolist() == ["d2", "d3"] and ev["sentence"].tolist() == ["", ""]
    with pytest.raises(KeyError, match="did you mean"):
        edge_evidence(s, "Putin", "Trump", texts)
    edges = pd.DataFrame({"source": ["Bashar al-Assad", "Donald Trump"], "target": ["Vladimir Putin", "Vladimir Putin"]})
    ann = annotate_evidence(edges, a, s, texts)
    # the example prefers the sentence with fewer other actors: d2's "Putin phoned Assad." (2 actors, d1's has 3)
    assert ann["example_sentence"].tolist() == ["Putin phoned Assad.", ""]
    assert ann["example_doc_ids"].tolist() == ["d2; d1", "d2; d3"]
    assert ann["docs"].tolist() == [2, 2]
