"""NPMI coherence and topic diversity against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from newsscope.topics.coherence import npmi_coherence, npmi_matrix, topic_diversity, topic_npmi

# Four documents over the terms a, b, c (columns 0, 1, 2); counts > 1 must count once.
#   d1: a b    d2: a a b    d3: a c    d4: c
# D(a)=3, D(b)=2, D(c)=2; D(a,b)=2, D(a,c)=1, D(b,c)=0.
X = sp.csr_matrix(np.array([[1, 1, 0], [2, 1, 0], [1, 0, 1], [0, 0, 3]]))
NPMI_AB = math.log((2 / 4) / ((3 / 4) * (2 / 4))) / -math.log(2 / 4)   # log(4/3)/log 2 = 0.415
NPMI_AC = math.log((1 / 4) / ((3 / 4) * (2 / 4))) / -math.log(1 / 4)   # log(2/3)/log 4 = -0.292


def test_npmi_pairs_match_hand_computation() -> None:
    m = npmi_matrix(X, [0, 1, 2])
    assert m[0, 1] == pytest.approx(0.4150374992788438)
    assert m[0, 1] == pytest.approx(NPMI_AB)
    assert m[0, 2] == pytest.approx(-0.2924812503605781)
    assert m[0, 2] == pytest.approx(NPMI_AC)
    assert m[1, 2] == -1.0                      # never together: the limit -1
    assert np.allclose(m, m.T)
    assert np.allclose(np.diag(m), 1.0)


def test_topic_npmi_is_mean_over_pairs() -> None:
    scores = topic_npmi(X, [[0, 1, 2], [0, 1], [2]])
    assert scores[0] == pytest.approx((NPMI_AB + NPMI_AC - 1.0) / 3)
    assert scores[1] == pytest.approx(NPMI_AB)
    assert np.isnan(scores[2])                  # one term: no pair
    assert npmi_coherence(X, [[0, 1, 2], [0, 1]]) == pytest.approx((scores[0] + scores[1]) / 2)


def test_epsilon_variant_gives_finite_value_above_minus_one() -> None:
    eps = 1e-12
    m = npmi_matrix(X, [1, 2], eps=eps)
    expected = (math.log(eps) - math.log(0.5 + eps) - math.log(0.5 + eps)) / -math.log(eps)
    assert m[0, 1] == pytest.approx(expected)
    assert -1.0 < m[0, 1] < -0.9
    # for co-occurring pairs epsilon changes (almost) nothing
    assert npmi_matrix(X, [0, 1], eps=eps)[0, 1] == pytest.approx(NPMI_AB, abs=1e-9)


def test_pair_in_every_document_scores_one_and_independent_pair_zero() -> None:
    # a and b in all docs; c and d independent: P(c)=P(d)=1/2, P(c,d)=1/4 -> PMI 0
    Y = sp.csr_matrix(np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 1], [1, 1, 0, 0]]))
    m = npmi_matrix(Y, [0, 1, 2, 3])
    assert m[0, 1] == 1.0
    assert m[2, 3] == pytest.approx(0.0, abs=1e-12)


def test_absent_term_scores_minus_one_and_empty_corpus_fails() -> None:
    Y = sp.csr_matrix(np.array([[1, 0], [1, 0]]))
    assert npmi_matrix(Y, [0, 1])[0, 1] == -1.0
    with pytest.raises(ValueError, match="empty corpus"):
        npmi_matrix(sp.csr_matrix((0, 2)), [0, 1])


def test_topic_diversity() -> None:
    assert topic_diversity([["a", "b"], ["c", "d"]]) == 1.0
    assert topic_diversity([["a", "b"], ["a", "c"]]) == pytest.approx(3 / 4)
    assert topic_diversity([["a", "b", "c"], ["a", "b", "c"]]) == pytest.approx(0.5)
    assert math.isnan(topic_diversity([]))
