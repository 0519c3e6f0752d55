"""Labels: terms kept out, label selection, representative headlines, relabelling."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from newsscope.topics.labels import (
    apply_relabel, find_keep_out_terms, label_topics, make_label, outlet_template_terms, representative_documents,
)


def test_make_label_skips_nested_terms_and_keeps_phrases() -> None:
    assert make_label(["north korea", "korea", "kim jong-nam", "malaysia"]) == "north korea / kim jong-nam / malaysia"
    assert make_label(["putin", "vladimir putin", "kremlin", "moscow"], 2) == "putin / kremlin"
    assert make_label(["a"]) == "a"


def test_label_topics_makes_labels_distinct() -> None:
    labels = label_topics([["trump", "white house", "budget", "wall"], ["trump", "white house", "budget", "tax"]])
    assert labels[0] == "trump / white house / budget"
    assert labels[1] == "trump / white house / budget / tax"


def _dtm(rows, terms, sources, datelines, outlet_terms=None):
    X = sp.csr_matrix(np.array(rows))
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(rows))], "source": sources, "dateline": datelines})
    vec = SimpleNamespace(outlet_terms_=outlet_terms or {})
    return SimpleNamespace(X=X, terms=np.array(terms), docs=docs, vectorizer=vec)


def test_find_keep_out_terms() -> None:
    terms = ["al jazeera", "cnn", "kirov", "moscow", "getty images", "share button", "kremlin", "told"]
    rows = [
        # al jaz cnn kirov moscow getty share kremlin told
        [1, 0, 1, 0, 0, 1, 1, 0],   # TASS, dateline KIROV
        [0, 0, 1, 1, 0, 1, 1, 0],   # TASS, dateline KIROV
        [0, 0, 0, 1, 0, 1, 1, 0],   # TASS, dateline MOSCOW
        [0, 0, 0, 1, 0, 1, 0, 1],   # TASS, dateline MOSCOW
        [0, 1, 0, 1, 1, 0, 1, 1],   # Al Jazeera
        [0, 0, 0, 1, 0, 0, 0, 1],   # Al Jazeera
    ]
    sources = ["TASS"] * 4 + ["Al Jazeera"] * 2
    datelines = ["KIROV", "KIROV", "MOSCOW", "MOSCOW", None, None]
    dtm = _dtm(rows, terms, sources, datelines, outlet_terms={"cnn": ("CNN",), "bbc": ("BBC",)})
    keep = find_keep_out_terms(dtm, extra=["Told"])
    # outlet names (source values, the vectorizer's outlet terms present in the vocabulary)
    assert "al jazeera" in keep and "cnn" in keep and "bbc" not in keep
    # kirov only ever appears as a dateline; moscow is also news content (2 of its 5 docs)
    assert "kirov" in keep and "moscow" not in keep
    assert "getty images" in keep            # known boilerplate
    assert "share button" not in keep        # in 4 docs: below the template detector's 10-document minimum
    assert "told" in keep                    # user's extra term, lower-cased
    assert "kremlin" not in keep
    assert keep == sorted(keep)


def test_outlet_template_terms_flags_page_furniture_not_content() -> None:
    rng = np.random.default_rng(0)
    n_a, n_b = 40, 40
    share = np.r_[np.ones(n_a // 2), np.zeros(n_a // 2), np.zeros(n_b)]        # in half of outlet A, only A
    local = np.r_[(rng.random(n_a) < 0.15).astype(int), np.zeros(n_b)]          # A's content word: 15 % of A
    common = (rng.random(n_a + n_b) < 0.5).astype(int)                           # everyone's word
    X = sp.csr_matrix(np.c_[share, local, common])
    sources = ["A"] * n_a + ["B"] * n_b
    assert outlet_template_terms(X, ["share", "garda", "people"], sources) == ["share"]
    assert outlet_template_terms(X, ["share", "garda", "people"], [None] * (n_a + n_b)) == []


def test_representative_documents_ranking_and_dedupe() -> None:
    doc_topic = np.array([
        [0.9, 0.1], [1.0, 0.0], [1.0, 0.0], [0.6, 0.4], [0.2, 0.8], [0.0, 0.0], [1.0, 0.0],
    ])
    weights = np.array([[5, 1], [2, 0], [3, 0], [1, 1], [1, 4], [0, 0], [9, 0]], dtype=float)
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(7)],
                         "title": ["Nine", "Two", "Three", "Six", "Eight", "Nothing", "three "],
                         "source": list("ABCDEFG")})
    rep = representative_documents(doc_topic, docs, n=3, weights=weights)
    t0 = rep[rep["topic"] == 0]
    # share 1.0 first (ties by raw weight: d6 9 > d2 3 > d1 2); d2 repeats d6's headline "three"
    assert t0["doc_id"].tolist() == ["d6", "d1", "d0"]
    assert t0["rank"].tolist() == [1, 2, 3]
    assert rep[rep["topic"] == 1]["doc_id"].tolist() == ["d4"]       # only its dominant documents
    assert "d5" not in rep["doc_id"].tolist()                         # no topic at all
    assert list(rep.columns) == ["topic", "rank", "doc_id", "title", "share", "source"]
    with pytest.raises(ValueError, match="rows"):
        representative_documents(doc_topic[:3], docs)


def test_apply_relabel_by_id_and_first_term_and_warns_on_unknown_keys() -> None:
    labels = ["a / b", "c / d", "e / f"]
    top = [["a", "b"], ["c", "d"], ["e", "f"]]
    assert apply_relabel(labels, None) == labels
    assert apply_relabel(labels, {1: "Second", "e": "Third", "0": "First"}, top) == ["First", "Second", "Third"]
    with pytest.warns(UserWarning, match="match no topic"):
        out = apply_relabel(labels, {7: "x", "zzz": "y", "c": "C"}, top)
    assert out == ["a / b", "C", "e / f"]
