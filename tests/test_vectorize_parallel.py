"""The vectorizer's worker processes (n_jobs) and block-wise counting give the serial result exactly."""

from __future__ import annotations

import numpy as np
import pytest

from newsscope import cores
from newsscope.corpus import load_corpus
from newsscope.topics.pipeline import fingerprint_dtm
from newsscope.vectorize import NewsVectorizer, build_dtm
from newsscope.vectorize import store as store_mod
from newsscope.vectorize.phrases import count_pairs, merge_pair_counts
from newsscope.vectorize.rows import count_block, join_blocks
from newsscope.vectorize.tokens import tokenize_chunks
from newsscope.vectorize.vectorizer import document_texts

from test_vectorize import CORPUS


@pytest.fixture(scope="module")
def news100():
    return load_corpus("builtin:news100")


def _same_fit(a: NewsVectorizer, b: NewsVectorizer) -> None:
    assert a.vocabulary_ == b.vocabulary_
    assert a.phrases_.keys() == b.phrases_.keys()
    assert a.hyphen_compounds_ == b.hyphen_compounds_
    assert a.outlet_terms_ == b.outlet_terms_
    assert np.array_equal(a.document_frequency_, b.document_frequency_)


@pytest.mark.parametrize("n_jobs", [2, 3])
def test_worker_processes_give_the_serial_matrix(news100, n_jobs):
    serial = build_dtm(news100, n_jobs=1)
    forked = build_dtm(news100, n_jobs=n_jobs)
    assert fingerprint_dtm(forked) == fingerprint_dtm(serial)
    _same_fit(forked.vectorizer, serial.vectorizer)
    assert serial.X.shape[1] > 1000 and len(serial.vectorizer.phrases_) > 20  # a real vocabulary, not a trivial one


def test_worker_processes_keep_outlet_and_compound_rules():
    # the toy corpus exercises hyphen compounds, spaced variants and the DW -> deutsche welle expansion,
    # with its documents split over two workers
    texts, sources = [t for t, _ in CORPUS], [s for _, s in CORPUS]
    params = dict(min_df=1, phrase_min_count=3, phrase_min_df=2, phrase_threshold=0.3, hyphen_min_df=2)
    a = NewsVectorizer(n_jobs=1, **params)
    b = NewsVectorizer(n_jobs=2, **params)
    Xa, Xb = a.fit_transform(texts, sources=sources), b.fit_transform(texts, sources=sources)
    assert (Xa != Xb).nnz == 0
    _same_fit(a, b)
    assert "deutsche welle" in b.outlet_terms_ and "tie-breaking" in b.hyphen_compounds_


def test_n_jobs_default_uses_workers_only_for_large_corpora(monkeypatch):
    monkeypatch.setattr(cores, "available_cores", lambda: 2)
    assert store_mod.resolve_jobs(None, store_mod.PARALLEL_MIN_DOCS - 1) == 1
    assert store_mod.resolve_jobs(None, store_mod.PARALLEL_MIN_DOCS) == 2
    assert store_mod.resolve_jobs(1, 10**6) == 1
    assert store_mod.resolve_jobs(-1, 100) == 2
    assert store_mod.resolve_jobs(4, 3) == 3  # never more processes than documents
    for bad in (0, -2, 1.5, "2", True):
        with pytest.raises(ValueError, match="n_jobs must be None, -1 or a positive integer"):
            store_mod.resolve_jobs(bad, 100)


def test_n_jobs_is_not_part_of_the_dtm_cache_key():
    from newsscope.vectorize.dtm import cache_params

    assert cache_params(NewsVectorizer(n_jobs=2)) == cache_params(NewsVectorizer(n_jobs=1))
    assert cache_params(NewsVectorizer(min_df=3)) != cache_params(NewsVectorizer(min_df=2))


def test_pair_counts_of_blocks_join_exactly(news100):
    docs = [tokenize_chunks(t) for t in document_texts(news100)] + [[]]
    whole = count_pairs(docs)
    joined = merge_pair_counts([count_pairs(docs[:1]), count_pairs(docs[1:40]), count_pairs([]), count_pairs(docs[40:])])
    assert joined.units == whole.units and joined.n == whole.n
    for field in ("unit_counts", "pair_codes", "pair_counts", "pair_docs"):
        assert np.array_equal(getattr(joined, field), getattr(whole, field)), field
    assert joined.pair_count("white", "house") == whole.pair_count("white", "house") > 0


def test_blocks_with_a_fixed_vocabulary_leave_other_terms_out():
    terms = [["b", "a", "b"], [], ["c", "zz"], ["a"]]
    blocks = [count_block(terms.__getitem__, 0, 2), count_block(terms.__getitem__, 2, 4)]
    X, vocab = join_blocks(blocks, 4)
    assert vocab == {"b": 0, "a": 1, "c": 2, "zz": 3}
    assert X.toarray().tolist() == [[2, 1, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1], [0, 1, 0, 0]]
    Y, _ = join_blocks(blocks, 4, vocabulary={"a": 0, "c": 1})
    assert Y.toarray().tolist() == [[1, 0], [0, 0], [0, 1], [1, 0]]


def _fail(doc, source):
    raise ValueError("analysis broke on purpose")


def test_a_failing_worker_is_reported_with_its_error(news100):
    texts = document_texts(news100)[:20]
    with store_mod.ForkedStore(texts, None, True, 2) as st:
        assert len(st) == 20
        with pytest.raises(RuntimeError, match="analysis broke on purpose"):
            st.count_blocks(_fail)


def test_workers_get_ranges_of_equal_text_size():
    assert store_mod.split_points([1] * 10, 2) == [0, 5, 10]
    assert store_mod.split_points([100] + [1] * 9, 2) == [0, 1, 10]  # one long article weighs as much as nine short
    assert store_mod.split_points([1, 1, 1, 100], 3) == [0, 2, 3, 4]  # every range holds a document
    assert store_mod.split_points([5, 5], 3) == [0, 1, 2]
