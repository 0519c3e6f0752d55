"""The partitioned clean (``newsscope.engine.stream.clean.clean_parts``) gives the in-memory stage's tables.

The raw table is written as parts (a ``PartStore``); ``clean_parts`` cleans it part by part and
writes the cleaned parts and the report. On a corpus no bigger than the model sample, every row
and every report table equals :func:`newsscope.clean.clean_articles`' (``pandas.testing``, exact),
including duplicates planted across parts, paywalled previews of an article in another part and
rejected inputs; a Dask ``LocalCluster`` writes the same parts; a model sample smaller than the
corpus still cleans and accounts for every row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newsscope import corpus
from newsscope.clean import CleanSettings, check_funnel, clean_articles
from newsscope.clean import partwise
from newsscope.engine import get_engine
from newsscope.engine.stream.clean import REPORT_FILE, clean_parts, load_clean_parts
from newsscope.parts import PartStore
from newsscope.synth_articles import vary_articles

REPORT_TABLES = ("funnel", "repairs", "repair_counts", "field_counts", "boilerplate", "duplicates", "rejected")
SETTINGS = CleanSettings(boilerplate_min_docs=3)  # so that boilerplate is found in the small generated corpus


def _write_parts(table: pd.DataFrame, root, size: int) -> PartStore:
    store = PartStore.create(root)
    summaries = [store.write_part(k, table.iloc[lo:lo + size]) for k, lo in enumerate(range(0, len(table), size))]
    store.finish(summaries, list(table.columns))
    return store


def _assert_same(ref, got) -> None:
    pd.testing.assert_frame_equal(ref.articles, got.articles.read_all(), check_exact=True, obj="articles")
    for name in REPORT_TABLES:
        pd.testing.assert_frame_equal(getattr(ref, name), getattr(got, name), check_exact=True, obj=name)
    for name in ("glue_rates_", "decisions_", "chains_"):
        pd.testing.assert_frame_equal(getattr(ref.hyphens, name), getattr(got.hyphens, name), obj=f"hyphens.{name}")
    assert got.settings == ref.settings
    assert got.analysis_rows == len(ref.analysis_set)


# --------------------------------------------------------------------------- the built-in corpus

@pytest.mark.filterwarnings("ignore::UserWarning")
def test_builtin_corpus_in_parts_equals_the_in_memory_clean(tmp_path):
    raw = corpus.load_corpus("builtin:newsarticles")
    store = _write_parts(raw, tmp_path / "raw", 1000)
    assert store.n_parts == 4
    got = clean_parts(store, tmp_path, progress=False)
    _assert_same(clean_articles(raw), got)
    assert got.articles.n_parts == 4 and got.sample_rows == len(raw)
    assert not (tmp_path / "clean_work").exists()  # the work files are gone
    again = load_clean_parts(tmp_path)  # the report file holds the same tables
    for name in REPORT_TABLES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(again, name), obj=name)
    assert again.analysis_rows == got.analysis_rows and (tmp_path / REPORT_FILE).is_file()


# --------------------------------------------------------------------------- a generated corpus, duplicates across parts

def _planted(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], pd.DataFrame]:
    """Copies of part 0's articles in later parts: exact, near, a paywalled preview; rejected inputs."""
    rows, expect = [], {}
    for n, (src, kind) in enumerate([(10, "exact"), (25, "near"), (40, "preview")]):
        r = table.iloc[src].copy()
        words = r["text"].split()
        if kind == "near":  # one sentence's worth of words changed near the end
            words = words[:-12] + ["replaced"] * 4 + words[-8:]
        elif kind == "preview":
            words = words[: len(words) // 2]
            r["paywalled"] = True
        r["text"] = " ".join(words)
        r["origin"] = f"planted/{kind}"
        r["doc_id"] = f"planted-{kind}"
        r["published"] = r["published"] + pd.Timedelta(days=1)  # later: the copy is never the canonical one
        rows.append(r)
        expect[r["doc_id"]] = table["doc_id"].iloc[src]
    # exact copy in the last part, near copy and preview in the middle of the corpus
    out = pd.concat([table.iloc[:450], pd.DataFrame(rows[1:]), table.iloc[450:], pd.DataFrame(rows[:1])], ignore_index=True)
    rejected = pd.DataFrame({"origin": ["bad/1.html", "bad/2.html"], "reason": ["empty file", "not text"], "detail": ["", "binary"]})
    return corpus.conform_articles(out), expect, rejected


@pytest.fixture(scope="module")
def generated(news100_path):
    table = vary_articles(corpus.load_corpus("builtin:news100"), 900, seed=3)
    table["origin"] = [f"vary/{x}" for x in table["synth_id"]]
    table = corpus.conform_articles(table)
    table["paywalled"] = False
    return _planted(table)


@pytest.fixture(scope="module")
def generated_ref(generated):
    table, _, rejected = generated
    return clean_articles(table, SETTINGS, rejected=rejected, n_jobs=1)


@pytest.fixture(scope="module")
def generated_local(generated, tmp_path_factory):
    table, _, rejected = generated
    root = tmp_path_factory.mktemp("stream-clean-local")
    store = _write_parts(table, root / "raw", 300)
    return clean_parts(store, root, SETTINGS, rejected=rejected, engine="local", progress=False)


def test_generated_corpus_in_parts_equals_the_in_memory_clean(generated, generated_ref, generated_local):
    _assert_same(generated_ref, generated_local)
    got = generated_local.articles.read_all().set_index("doc_id")
    _table, expect, rejected = generated
    # the planted copies were found across parts, each pointing at its original in part 0
    assert got.loc["planted-exact", "status"] == "exact_duplicate"
    assert got.loc["planted-near", "status"] == "near_duplicate"
    assert got.loc["planted-preview", "status"] == "near_duplicate"
    for doc, original in expect.items():
        assert got.loc[doc, "duplicate_of"] == original
    assert generated_local.articles.n_parts == 4  # 903 rows in parts of 300; the rejected rows follow the last
    assert list(got["status"].iloc[-len(rejected):]) == ["rejected: empty file", "rejected: not text"]
    assert (generated_local.duplicates["kind"] == "exact_duplicate").sum() >= 2  # vary_articles' own copies too


def test_dask_local_cluster_writes_the_same_parts(generated, generated_local, tmp_path):
    table, _, rejected = generated
    store = _write_parts(table, tmp_path / "raw", 300)
    eng = get_engine("dask-local", n_workers=2, threads_per_worker=1, processes=True, progress=False)
    try:
        got = clean_parts(store, tmp_path, SETTINGS, rejected=rejected, engine=eng, progress=False)
    finally:
        eng.close()
    assert got.articles.part_rows == generated_local.articles.part_rows
    for k in range(got.articles.n_parts):
        pd.testing.assert_frame_equal(generated_local.articles.read_part(k), got.articles.read_part(k), check_exact=True,
                                      obj=f"part {k}")
    for name in REPORT_TABLES:
        pd.testing.assert_frame_equal(getattr(generated_local, name), getattr(got, name), check_exact=True, obj=name)


def test_a_model_sample_smaller_than_the_corpus_still_cleans_every_row(generated, generated_ref, tmp_path):
    table, expect, rejected = generated
    store = _write_parts(table, tmp_path / "raw", 300)
    got = clean_parts(store, tmp_path, SETTINGS, rejected=rejected, model_sample=400, random_state=1, progress=False)
    assert got.sample_rows == 400
    arts = got.articles.read_all()
    assert len(arts) == len(table) + len(rejected)
    assert list(arts["doc_id"].iloc[:len(table)]) == list(table["doc_id"])  # every row, in order
    assert got.funnel["articles_in"].iloc[0] == len(arts)
    check_funnel(got.funnel, arts["status"])
    assert got.analysis_rows == int((arts["status"] == "kept").sum()) > 0
    # duplicates are decided over the whole corpus whatever the sample
    for doc, original in expect.items():
        assert arts.set_index("doc_id").loc[doc, "duplicate_of"] == original
    # models fitted on fewer rows: the result is close to, not necessarily equal to, the full fit
    agree = (arts["status"].to_numpy() == generated_ref.articles["status"].to_numpy()).mean()
    assert agree > 0.95


def test_sample_positions_are_seeded_sorted_and_cover_small_tables():
    assert partwise.sample_positions(10, 20) is None
    a = partwise.sample_positions(1000, 100, random_state=4)
    assert len(a) == 100 and len(np.unique(a)) == 100 and (np.diff(a) > 0).all()
    assert (a == partwise.sample_positions(1000, 100, random_state=4)).all()
    assert not (a == partwise.sample_positions(1000, 100, random_state=5)).all()


def test_previews_under_a_crowded_title_are_found_among_rows_that_begin_alike():
    """A title carried by hundreds of rows (rewrites, updates): the preview is paired with the
    article it was cut from (same first words) and not with every row of the title."""
    from newsscope.engine.stream import clean as stream_clean

    rng = np.random.default_rng(0)
    n = 300
    title_key = np.full(n, np.uint64(11))
    title_key[250:] = np.uint64(22)                      # a second, small title
    lead_key = rng.integers(1, 2**62, size=n, dtype=np.int64).astype(np.uint64)
    n_words = np.full(n, 600)
    sig = rng.integers(0, 2**31, size=(n, 64), dtype=np.int64).astype(np.uint32)
    sizes = np.full(n, 600)
    preview, article = 10, 200                           # under the crowded title (250 rows)
    lead_key[preview] = lead_key[article]
    n_words[preview], sizes[preview] = 120, 120
    sig[preview] = sig[article]
    small_preview, small_article = 260, 270              # under the small title: no lead needed
    n_words[small_preview], sizes[small_preview] = 120, 120
    sig[small_preview] = sig[small_article]
    pay = np.array([preview, small_preview])
    pairs = stream_clean._preview_candidates(pay, np.arange(n), title_key, lead_key, n_words, sig, sizes,
                                             stream_clean.PREVIEW_ESTIMATE_FLOOR)
    assert sorted(map(tuple, pairs.tolist())) == [(preview, article), (small_preview, small_article)]
    # the lead key is the body's first words: a preview of an article begins with them
    body = " ".join(f"w{i}" for i in range(400))
    assert partwise.lead_words(body[:900]) == partwise.lead_words(body) and partwise.lead_words(None) == ""
