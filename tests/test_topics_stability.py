"""Topic matching with the Hungarian algorithm and stability across seeds."""

from __future__ import annotations

import numpy as np
import pytest

from newsscope.topics.models import TopicModel
from newsscope.topics.stability import jaccard_matrix, match_topics, topic_stability
from topics_synth import PLANTED, planted_corpus

A = [["a", "b", "c", "d"], ["a", "b", "e", "f"]]
B = [["a", "b", "c", "e"], ["c", "d", "g", "h"]]


def test_jaccard_matrix_by_hand() -> None:
    sim = jaccard_matrix(A, B)
    assert sim[0, 0] == pytest.approx(3 / 5)      # {a,b,c} / {a,b,c,d,e}
    assert sim[0, 1] == pytest.approx(2 / 6)      # {c,d} / {a,b,c,d,g,h}
    assert sim[1, 0] == pytest.approx(3 / 5)      # {a,b,e} / {a,b,c,e,f}
    assert sim[1, 1] == 0.0
    assert jaccard_matrix([[]], [[]])[0, 0] == 0.0


def test_hungarian_beats_greedy_matching() -> None:
    # greedy would pair A0-B0 (0.6) and leave A1-B1 (0.0): total 0.6; the optimum is 0.933
    match, score = match_topics(A, B)
    assert match.tolist() == [1, 0]
    assert score == pytest.approx([1 / 3, 3 / 5])
    assert score.sum() == pytest.approx(14 / 15)


def test_match_with_different_numbers_of_topics() -> None:
    match, score = match_topics(A, [["a", "b", "e", "f"]])
    assert match.tolist() == [-1, 0]
    assert score.tolist() == [0.0, 1.0]


def test_planted_topics_are_perfectly_stable() -> None:
    X, terms = planted_corpus(seed=0)
    model = TopicModel(len(PLANTED), min_df=1, max_df=1.0, n_top_terms=8)
    res = topic_stability(model, X, terms=terms, n_refits=3, subsample=0.8, random_state=0)
    assert res.mean == pytest.approx(1.0)
    assert res.seeds == [1, 2, 3]
    assert res.per_topic.shape == (len(PLANTED),)
    assert np.all(res.matches >= 0)


def test_too_many_topics_are_less_stable_and_reference_can_be_given() -> None:
    X, terms = planted_corpus(seed=0)
    model = TopicModel(len(PLANTED) + 3, min_df=1, max_df=1.0, n_top_terms=6, init="random")
    res = topic_stability(model, X, terms=terms, n_refits=3, subsample=0.8, random_state=0)
    assert res.mean < 0.95
    ref = [["w0_0", "w0_1"], ["nothing", "here"]]
    res2 = topic_stability(TopicModel(2, min_df=1, max_df=1.0, n_top_terms=6), X, terms=terms, n_refits=1, reference=ref)
    assert res2.per_topic.shape == (2,)
    with pytest.raises(ValueError, match="subsample"):
        topic_stability(model, X, terms=terms, subsample=0.0)
