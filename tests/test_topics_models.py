"""TopicModel: scikit-learn's contract, planted-topic recovery, vocabulary handling, top terms."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from newsscope.topics.models import TopicModel, select_top_terms
from topics_synth import PLANTED, planted_corpus


@pytest.fixture(scope="module")
def corpus():
    return planted_corpus(seed=0)


def test_params_only_init_and_clone() -> None:
    m = TopicModel(7, model="lda", exclusivity=0.0, random_state=3)
    params = m.get_params()
    assert params["n_topics"] == 7 and params["model"] == "lda" and params["random_state"] == 3
    c = clone(m)
    assert c.get_params() == params
    assert not hasattr(c, "components_")
    with pytest.raises(NotFittedError):
        c.transform(sp.csr_matrix((1, 3)))


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_fit_returns_self_and_recovers_planted_topics(corpus, model: str) -> None:
    X, terms = corpus
    m = TopicModel(3, model=model, min_df=1, max_df=1.0, n_top_terms=8, random_state=0)
    assert m.fit(X, terms=terms) is m
    assert sorted(map(sorted, m.top_terms_)) == sorted(map(sorted, PLANTED))
    assert m.components_.shape == (3, len(terms))
    assert np.allclose(m.components_.sum(axis=1), 1.0)
    assert m.doc_topic_.shape == (X.shape[0], 3)
    assert np.allclose(m.doc_topic_.sum(axis=1), 1.0)
    # every document's dominant topic is the topic it was drawn from
    planted = np.repeat(np.arange(3), 40)
    for t in range(3):
        assert len(set(m.dominant_topic_[planted == t])) == 1
    assert sorted(m.topic_sizes_.tolist()) == [40, 40, 40]
    assert m.get_feature_names_out().tolist() == ["topic0", "topic1", "topic2"]


def test_topics_ordered_by_size(corpus) -> None:
    X, terms = corpus
    # drop half of the documents of planted topic 2 and a quarter of topic 0
    keep = np.r_[np.arange(10, 40), np.arange(40, 80), np.arange(80, 100)]
    m = TopicModel(3, min_df=1, max_df=1.0, n_top_terms=8).fit(X[keep], terms=terms)
    assert m.topic_sizes_.tolist() == [40, 30, 20]
    assert set(m.top_terms_[0]) == set(PLANTED[1])


def test_seeded_and_deterministic_and_input_untouched(corpus) -> None:
    X, terms = corpus
    X = X[:, np.random.default_rng(0).permutation(X.shape[1])]  # columns out of sorted order
    X.has_sorted_indices = False
    before = (X.data.copy(), X.indices.copy(), X.indptr.copy())
    a = TopicModel(4, min_df=1, max_df=1.0, init="random", random_state=5).fit(X, terms=terms)
    after = (X.data, X.indices, X.indptr)
    assert all(np.array_equal(x, y) for x, y in zip(before, after))
    b = TopicModel(4, min_df=1, max_df=1.0, init="random", random_state=5).fit(X, terms=terms)
    assert np.array_equal(a.components_, b.components_)
    assert np.array_equal(a.doc_topic_, b.doc_topic_)


def test_transform_matches_training_topics(corpus) -> None:
    X, terms = corpus
    m = TopicModel(3, min_df=1, max_df=1.0).fit(X, terms=terms)
    W = m.transform(X)
    assert W.shape == (X.shape[0], 3)
    assert (W.argmax(axis=1) == m.dominant_topic_).all()
    assert m.fit_transform(X, terms=terms).shape == W.shape
    with pytest.raises(ValueError, match="columns"):
        m.transform(X[:, :5])


def test_pruning_stop_terms_and_empty_documents(corpus) -> None:
    X, terms = corpus
    empty_row = sp.csr_matrix((1, X.shape[1]), dtype=X.dtype)
    Xe = sp.vstack([X, empty_row]).tocsr()
    stop = PLANTED[0][:2]
    m = TopicModel(3, min_df=1, max_df=1.0, stop_terms=stop, n_top_terms=8).fit(Xe, terms=terms)
    assert not any(t in stop for topic in m.top_terms_ for t in topic)
    assert not m.vocabulary_mask_[np.isin(terms, stop)].any()
    assert m.dominant_topic_[-1] == -1 and m.doc_topic_[-1].sum() == 0
    assert m.topic_sizes_.sum() == X.shape[0]
    # min_df counts documents: with min_df above every term's document frequency nothing is left
    with pytest.raises(ValueError, match="terms are left"):
        TopicModel(3, min_df=1000).fit(X, terms=terms)
    with pytest.raises(ValueError, match="documents cannot hold"):
        TopicModel(5, min_df=1, max_df=1.0).fit(X[:3], terms=terms)
    with pytest.raises(ValueError, match="non-negative"):
        TopicModel(2, min_df=1).fit(-X, terms=terms)
    with pytest.raises(ValueError, match="model must be"):
        TopicModel(2, model="bertopic").fit(X, terms=terms)


def test_accepts_a_doc_term_matrix_object(corpus) -> None:
    X, terms = corpus

    class DTM:  # the shape of newsscope.vectorize.DocTermMatrix
        pass

    d = DTM()
    d.X, d.terms = X, terms
    m = TopicModel(3, min_df=1, max_df=1.0, n_top_terms=8).fit(d)
    assert set(map(frozenset, m.top_terms_)) == set(map(frozenset, PLANTED))


def test_select_top_terms_collapses_nested_phrases() -> None:
    terms = np.array(["putin", "vladimir putin", "kremlin", "garda", "garda station", "moscow", "north korean", "north korea"])
    w = np.array([0.9, 0.8, 0.7, 0.0, 0.0, 0.6, 0.5, 0.4])
    idx = select_top_terms(w, terms, 5)
    assert [terms[i] for i in idx] == ["putin", "kremlin", "moscow", "north korean", "north korea"]
    assert [terms[i] for i in select_top_terms(w, terms, 3, collapse_nested=False)] == ["putin", "vladimir putin", "kremlin"]
    # zero weights are never selected; a longer phrase first hides its parts
    w2 = np.array([0.1, 0.0, 0.0, 0.2, 0.3, 0.0, 0.0, 0.0])
    assert [terms[i] for i in select_top_terms(w2, terms, 5)] == ["garda station", "putin"]


def test_exclusivity_demotes_terms_every_topic_uses() -> None:
    # a shared word with the largest weight in both topics
    rng = np.random.default_rng(1)
    X, terms = planted_corpus(seed=1)
    shared = sp.csr_matrix(rng.integers(3, 6, size=(X.shape[0], 1)))
    X2 = sp.hstack([X, shared]).tocsr()
    terms2 = np.r_[terms, ["people"]]
    plain = TopicModel(3, min_df=1, max_df=1.0, n_top_terms=3, exclusivity=0.0, sublinear_tf=False).fit(X2, terms=terms2)
    frex = TopicModel(3, min_df=1, max_df=1.0, n_top_terms=3, exclusivity=1.0, sublinear_tf=False).fit(X2, terms=terms2)
    assert sum("people" in t for t in plain.top_terms_) >= 2
    assert not any("people" in t for t in frex.top_terms_)
    assert np.array_equal(plain.components_, frex.components_)  # ranking only: same model


def test_consensus_nmf_recovers_planted_topics_and_follows_the_contract() -> None:
    from sklearn.base import clone

    from topics_synth import PLANTED, planted_corpus

    X, terms = planted_corpus(seed=6)
    m = TopicModel(3, min_df=1, max_df=1.0, n_top_terms=8, n_members=4, member_subsample=0.7, random_state=2)
    assert m.fit(X, terms=terms) is m
    assert sorted(map(sorted, m.top_terms_)) == sorted(map(sorted, PLANTED))
    assert m.doc_topic_.shape == (X.shape[0], 3) and np.allclose(m.doc_topic_.sum(axis=1), 1)
    # the same seed gives the same consensus (to float32 rounding: the stacked factorisation is not
    # bit-reproducible, which is one reason it is an option and not the default); new documents are
    # placed with the consensus topics
    again = clone(m).fit(X, terms=terms)
    np.testing.assert_allclose(m.components_, again.components_, atol=1e-6)
    assert again.top_terms_ == m.top_terms_
    np.testing.assert_allclose(m.transform(X[:5]), m.doc_topic_[:5], atol=1e-6)
    # members are drawn from the seed: another seed is an independent ensemble (other subsamples)
    other = clone(m).set_params(random_state=3).fit(X, terms=terms)
    assert np.abs(m.components_ - other.components_).max() > 1e-3
    assert sorted(map(sorted, other.top_terms_)) == sorted(map(sorted, PLANTED))
