"""The document-term matrix in blocks and bursts from block counts agree with the in-memory stages (issue 14).

The built-in corpus (3,824 articles) is cleaned once and written as parts of 1,000 rows. With a fit
sample as big as the corpus, the blocks stacked are :func:`build_dtm`'s matrix of the analysis set
and the bursts are :func:`detect_bursts`'s, exactly. With a smaller sample every analysis row
still gets its block row and the vocabulary comes from the whole corpus' counts. A 2-worker
``LocalCluster`` (separate processes: every task reads and writes files) gives the same blocks.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from newsscope import corpus
from newsscope.clean import clean_articles
from newsscope.clean.result import analysis_rows
from newsscope.engine import LocalEngine, get_engine
from newsscope.engine.stream.trends import burst_parts, keyness_outlet_parts
from newsscope.engine.stream.vectorize import vectorize_parts
from newsscope.parts import PartStore
from newsscope.trends import detect_bursts, keyness_outlet, write_bursts
from newsscope.trends.bursts import bursts_from_blocks
from newsscope.vectorize import build_dtm, document_texts
from newsscope.vectorize.blocks import DOC_BLOCK_COLUMNS, DTMBlocks, sample_positions, start_blocks, transform_part

PART = 1000
SAMPLE = 1000


@pytest.fixture(scope="module")
def cleaned():
    return clean_articles(corpus.load_corpus("builtin:newsarticles"))


@pytest.fixture(scope="module")
def clean_store(cleaned, tmp_path_factory: pytest.TempPathFactory) -> PartStore:
    arts = cleaned.articles
    store = PartStore.create(tmp_path_factory.mktemp("stream") / "clean")
    store.finish([store.write_part(k, arts.iloc[lo:lo + PART]) for k, lo in enumerate(range(0, len(arts), PART))],
                 list(arts.columns))
    return store


@pytest.fixture(scope="module")
def ref_dtm(cleaned):
    return build_dtm(cleaned.analysis_set)


@pytest.fixture(scope="module")
def whole(clean_store, tmp_path_factory) -> DTMBlocks:
    return vectorize_parts(clean_store, tmp_path_factory.mktemp("whole") / "dtm", progress=False)


@pytest.fixture(scope="module")
def sampled(clean_store, tmp_path_factory) -> DTMBlocks:
    return vectorize_parts(clean_store, tmp_path_factory.mktemp("sampled") / "dtm", fit_sample=SAMPLE,
                           engine=LocalEngine(progress=False), progress=False)


def _part_analysis_rows(store: PartStore) -> list[int]:
    return [len(analysis_rows(p)) for _, p in store.iter_parts(["status"])]


def test_blocks_stack_to_build_dtm_of_the_analysis_set(whole, ref_dtm, clean_store, cleaned):
    assert whole.n_blocks == clean_store.n_parts == 4
    assert whole.block_rows == _part_analysis_rows(clean_store) and whole.n_docs == ref_dtm.n_docs
    np.testing.assert_array_equal(whole.terms, ref_dtm.terms)
    got = whole.to_dtm()
    assert got.X.shape == ref_dtm.X.shape and got.X.dtype == ref_dtm.X.dtype
    assert (got.X != ref_dtm.X).nnz == 0
    assert whole.vectorizer.vocabulary_ == ref_dtm.vectorizer.vocabulary_
    pd.testing.assert_series_equal(pd.Series(whole.vectorizer.phrases_), pd.Series(ref_dtm.vectorizer.phrases_))  # NaN scores
    # docs without text, aligned; with the cleaned table, build_dtm's docs exactly
    pd.testing.assert_frame_equal(got.docs, cleaned.analysis_set[DOC_BLOCK_COLUMNS])
    pd.testing.assert_frame_equal(whole.to_dtm(with_text_from=clean_store).docs, ref_dtm.docs)
    k, X, docs = next(iter(whole.iter_blocks()))
    assert k == 0 and X.shape == (len(docs), len(ref_dtm.terms)) and "text" not in docs.columns


def test_bursts_from_blocks_equal_detect_bursts(whole, ref_dtm, tmp_path: Path):
    ref = detect_bursts(ref_dtm)
    assert len(ref) > 100
    got = burst_parts(whole, tmp_path, progress=False)
    pd.testing.assert_frame_equal(got, ref, check_exact=True)
    for key in ("members", "skipped_days"):
        pd.testing.assert_frame_equal(got.attrs[key], ref.attrs[key], check_exact=True)
    assert {k: got.attrs[k] for k in ("params", "note", "min_day_docs")} == {k: ref.attrs[k] for k in ("params", "note", "min_day_docs")}
    written = tmp_path / "trends" / "bursts.csv"
    assert written.read_bytes() == write_bursts(ref, folder=tmp_path / "ref").read_bytes()
    # other settings through the same passes, blocks read in this process
    for params in ({"min_count": 5, "min_outlets": 1, "group_overlap": 0.3, "baseline": "global",
                    "start": "2017-02-01", "end": "2017-04-15"}, {"group": False, "min_day_docs": 3}):
        pd.testing.assert_frame_equal(bursts_from_blocks(whole, **params), detect_bursts(ref_dtm, **params), check_exact=True)


def test_a_smaller_fit_sample_still_gives_every_analysis_row_a_block_row(sampled, whole, clean_store, cleaned):
    assert sampled.meta["meta"]["fit_rows"] == SAMPLE
    assert sampled.n_docs == whole.n_docs == len(cleaned.analysis_set)
    assert sampled.block_rows == _part_analysis_rows(clean_store)
    assert sampled.docs.read_all()["doc_id"].tolist() == cleaned.analysis_set["doc_id"].tolist()
    vec = sampled.vectorizer
    got = sampled.to_dtm()
    # the phrases are the sample's, the vocabulary that of the whole corpus' counts
    assert set(vec.phrases_) != set(whole.vectorizer.phrases_)
    # every term in >= min_df (2) analysis rows of the whole corpus, counted here independently
    analysed = vec.analyse_texts(document_texts(cleaned.analysis_set), cleaned.analysis_set["source"].tolist())
    df = Counter(t for terms in analysed for t in set(terms))
    assert sorted(t for t, c in df.items() if c >= vec.min_df) == list(sampled.terms)
    np.testing.assert_array_equal(np.bincount(got.X.indices, minlength=got.X.shape[1]), [df[t] for t in sampled.terms])
    np.testing.assert_array_equal(vec.document_frequency_, [df[t] for t in sampled.terms])
    col = {t: j for j, t in enumerate(sampled.terms)}
    for i in (0, 1234, len(analysed) - 1):  # rows hold the counts of the analysed terms
        row = got.X[i]
        assert dict(zip(sampled.terms[row.indices], row.data.tolist())) == {t: c for t, c in Counter(analysed[i]).items() if t in col}

def test_sample_positions_are_seeded_and_cover_small_corpora():
    every = sample_positions([3, 0, 2], 10)
    assert [p.tolist() for p in every] == [[0, 1, 2], [], [0, 1]]
    a, b = sample_positions([500, 500], 100, 1), sample_positions([500, 500], 100, 1)
    assert all(np.array_equal(x, y) for x, y in zip(a, b)) and sum(len(p) for p in a) == 100
    assert not np.array_equal(np.concatenate(sample_positions([500, 500], 100, 2)), np.concatenate(a))


def test_a_local_cluster_gives_identical_blocks_and_bursts(sampled, clean_store, tmp_path: Path):
    eng = get_engine("dask-local", n_workers=2, threads_per_worker=1, processes=True, progress=False)
    try:
        got = vectorize_parts(clean_store, tmp_path / "dtm", fit_sample=SAMPLE, engine=eng, progress=False)
        bursts = burst_parts(got, tmp_path, engine=eng)
    finally:
        eng.close()
    np.testing.assert_array_equal(got.terms, sampled.terms)
    assert got.block_rows == sampled.block_rows
    for k in range(sampled.n_blocks):
        A, B = got.read_block(k), sampled.read_block(k)
        assert A.shape == B.shape and (A != B).nnz == 0 and isinstance(A, sp.csr_matrix)
        pd.testing.assert_frame_equal(got.docs.read_part(k), sampled.docs.read_part(k))
    assert got.vectorizer.vocabulary_ == sampled.vectorizer.vocabulary_
    pd.testing.assert_frame_equal(bursts, detect_bursts(sampled.to_dtm()), check_exact=True)


def test_keyness_by_outlet_from_block_counts(whole, ref_dtm):
    for outlet, unit in (("TASS", "tokens"), ("BBC", "docs")):
        ref = keyness_outlet(ref_dtm, outlet, unit=unit, min_g2=3.84)
        got = keyness_outlet_parts(whole, outlet, unit=unit, min_g2=3.84, progress=False)
        assert len(ref) > 1000
        pd.testing.assert_frame_equal(got, ref, check_exact=True)
        assert got.attrs == ref.attrs
    with pytest.raises(ValueError, match="not in the corpus"):
        keyness_outlet_parts(whole, "Omega", progress=False)


def test_a_full_disk_stops_before_anything_is_written(clean_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from collections import namedtuple

    from newsscope import parts

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(parts.shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(parts.DiskSpaceError, match="document-term blocks.*run folder"):
        vectorize_parts(clean_store, tmp_path / "dtm", progress=False)
    assert not (tmp_path / "dtm").exists()


def test_transform_part_writes_the_block_of_a_part(sampled, clean_store, tmp_path: Path):
    start_blocks(tmp_path)
    summary = transform_part((2, str(clean_store.part_path(2))), sampled.vectorizer, str(tmp_path))
    assert summary["rows"] == sampled.block_rows[2] and summary["nnz"] == sampled.read_block(2).nnz > 0
    assert (DTMBlocks(tmp_path).read_block(2) != sampled.read_block(2)).nnz == 0
    pd.testing.assert_frame_equal(PartStore(tmp_path / "docs").read_part(2), sampled.docs.read_part(2))


@pytest.mark.parametrize("term,kwargs", [
    ("trump", {"limit": 30}),
    ("kim jong-nam", {"limit": None, "per_doc": None}),
    ("syria", {"limit": 15, "order": "source", "start": "2017-02-01", "end": "2017-02-28", "window": 5}),
    ("zzyzx unheard", {"limit": 10}),
])
def test_kwic_over_parts_is_kwic_of_the_analysis_set(clean_store, cleaned, term, kwargs):
    from newsscope.engine.stream.trends import kwic_parts
    from newsscope.trends import kwic

    want = kwic(term, cleaned.analysis_set, **kwargs)
    got = kwic_parts(clean_store, term, engine=LocalEngine(progress=False), progress=False, **kwargs)
    if term.startswith("zzyzx"):
        assert want.empty and got.empty
    else:
        assert len(want) >= (15 if kwargs.get("limit") else 20)
        part_of = {d: k for k, p in clean_store.iter_parts(["doc_id"]) for d in p["doc_id"]}
        if kwargs.get("limit") is None or kwargs.get("order") == "source":
            assert got["doc_id"].map(part_of).nunique() > 1  # the contexts come from several parts
    pd.testing.assert_frame_equal(got, want)
