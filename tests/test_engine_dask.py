"""The Dask engine gives the tables of the local run: parse, clean, NER, counts (issue 7, item 2).

A 2-worker ``LocalCluster`` (separate processes, so every task and result is pickled as on a real
cluster) runs the partitioned stages on a generated corpus of 300 aggregator pages (with exact and
near-duplicate copies, a manifest and bad files); every table is compared with the sequential
stage functions with ``pandas.testing`` (same rows, same order, same values, same dtypes). The
local engine runs the same partitioned code with other partition sizes, so the results are also
shown not to depend on the partitioning.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from newsscope import corpus, synth
from newsscope.clean import CleanSettings, clean_articles
from newsscope.engine import LocalEngine, PartitionError, get_engine, partition_bounds
from newsscope.engine import clean as eclean
from newsscope.engine import counts as ecounts
from newsscope.engine import ner as ener
from newsscope.engine import parse as eparse
from newsscope.parsing import parse_paths

# the fixture's manifest lists one page that does not exist (recorded as rejected, with a warning)
pytestmark = pytest.mark.filterwarnings("ignore:.*matches no input:UserWarning")

CLEAN_TABLES = ("articles", "funnel", "repairs", "repair_counts", "field_counts", "boilerplate", "duplicates", "rejected")


@pytest.fixture(scope="module")
def engine():
    eng = get_engine("dask-local", n_workers=2, threads_per_worker=1, processes=True, progress=False)
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, news100_path) -> dict:
    out = tmp_path_factory.mktemp("engine-corpus")
    articles = corpus.load_corpus("builtin:news100")
    synth.generate_pages(articles, out, 300, seed=7)  # 300 draws from 100 stories: many copies
    folder = out / "pages"
    (folder / "000" / "empty.txt").write_bytes(b"")
    (folder / "000" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "extra").mkdir()
    (folder / "extra" / "notes.json").write_text("{}", encoding="utf-8")
    with open(out / "manifest.csv", "a", encoding="utf-8") as fh:  # an entry without its page
        fh.write("999/missing.txt,https://www.bbc.com/news/x,2017-03-01,BBC\n")
    return {"folder": folder, "manifest": out / "manifest.csv"}


@pytest.fixture(scope="module")
def loaded(pages) -> corpus.LoadResult:
    return corpus.read_corpus(pages["folder"], manifest=pages["manifest"])


@pytest.fixture(scope="module")
def cleaned(loaded):
    return clean_articles(loaded.articles, rejected=loaded.rejected)


def _assert_parse_equal(ref, got) -> None:
    for name in ("articles", "rejected", "accounting"):
        pd.testing.assert_frame_equal(getattr(ref, name), getattr(got, name), check_exact=True, obj=name)


def _assert_clean_equal(ref, got) -> None:
    for name in CLEAN_TABLES:
        pd.testing.assert_frame_equal(getattr(ref, name), getattr(got, name), check_exact=True, obj=name)
    for name in ("glue_rates_", "decisions_", "chains_"):
        pd.testing.assert_frame_equal(getattr(ref.hyphens, name), getattr(got.hyphens, name), obj=f"hyphens.{name}")
    assert got.settings == ref.settings


def test_partition_bounds_cover_the_input_in_order():
    assert partition_bounds(10, 4) == [(0, 4), (4, 7), (7, 10)]
    assert partition_bounds(10, 100, min_parts=4) == [(0, 3), (3, 6), (6, 8), (8, 10)]
    assert partition_bounds(3, 100, min_parts=8) == [(0, 1), (1, 2), (2, 3)]
    assert partition_bounds(0, 5) == []
    with pytest.raises(ValueError, match="at least 1"):
        partition_bounds(5, 0)


def test_parse_on_dask_equals_parse_paths(engine, pages):
    ref = parse_paths([pages["folder"]], exclude=[pages["manifest"]])
    assert len(ref.articles) == 300 and len(ref.rejected) == 3  # empty, binary, not a page
    got = eparse.parse_paths([pages["folder"]], engine=engine, exclude=[pages["manifest"]], partition_size=40)
    _assert_parse_equal(ref, got)
    got_local = eparse.parse_paths([pages["folder"]], engine=LocalEngine(progress=False), exclude=[pages["manifest"]],
                                   partition_size=7)
    _assert_parse_equal(ref, got_local)


def test_read_corpus_on_dask_applies_the_manifest_like_read_corpus(engine, pages, loaded):
    got = eparse.read_corpus(pages["folder"], manifest=pages["manifest"], engine=engine, partition_size=64)
    pd.testing.assert_frame_equal(loaded.articles, got.articles, check_exact=True)
    pd.testing.assert_frame_equal(loaded.rejected, got.rejected, check_exact=True)
    pd.testing.assert_frame_equal(loaded.accounting, got.accounting, check_exact=True)
    assert got.articles["published"].notna().all()  # dates came from the manifest
    assert "999/missing.txt" in set(got.rejected["origin"])  # a manifest entry without its page is accounted


def test_clean_on_dask_equals_clean_articles(engine, loaded, cleaned):
    status = cleaned.articles["status"].value_counts()
    # the corpus exercises the corpus-wide steps: duplicates, glued hyphens, rejected inputs
    assert status.get("exact_duplicate", 0) + status.get("near_duplicate", 0) > 50
    assert status.get("rejected: empty", 0) == 1 and status.get("rejected: binary", 0) == 1
    assert len(cleaned.hyphens.decisions_) > 0
    got = eclean.clean_articles(loaded.articles, rejected=loaded.rejected, engine=engine, partition_size=64)
    _assert_clean_equal(cleaned, got)


def test_clean_result_does_not_depend_on_partitioning(loaded, cleaned):
    raw = loaded.articles.iloc[:120]
    ref = clean_articles(raw, CleanSettings(boilerplate_min_docs=3))
    for size in (1000, 17):
        got = eclean.clean_articles(raw, CleanSettings(boilerplate_min_docs=3), engine=LocalEngine(progress=False),
                                    partition_size=size)
        _assert_clean_equal(ref, got)


def test_clean_on_dask_with_steps_switched_off_and_on_empty_input(engine, loaded):
    off = CleanSettings(repair_text=False, extract_fields=False, boilerplate=False)
    raw = loaded.articles.iloc[:40]
    for table, rejected in ((raw, loaded.rejected), (corpus.empty_articles(), loaded.rejected), (corpus.empty_articles(), None)):
        ref = clean_articles(table, off, rejected=rejected)
        got = eclean.clean_articles(table, off, rejected=rejected, engine=engine, partition_size=9)
        for name in CLEAN_TABLES:
            pd.testing.assert_frame_equal(getattr(ref, name), getattr(got, name), check_exact=True, obj=name)
        assert got.hyphens is None and ref.hyphens is None


def test_load_clean_with_an_engine_gives_the_table_and_cache_entry_of_load_clean(engine, pages, cleaned):
    from newsscope import cache

    folder = cache.cache_file("clean", "x", "pkl").parent
    got = corpus.load_clean(pages["folder"], manifest=pages["manifest"], engine=engine, include_removed=True)
    pd.testing.assert_frame_equal(cleaned.articles, got, check_exact=True)
    entries = sorted(folder.iterdir())
    assert len([e for e in entries if e.suffix == ".pkl"]) == 1
    # the engine's own entry point and the sequential one find that entry (nothing recomputed)
    again = eclean.load_clean(pages["folder"], manifest=pages["manifest"], engine="dask-local")
    plain = corpus.load_clean(pages["folder"], manifest=pages["manifest"])
    assert sorted(folder.iterdir()) == entries
    pd.testing.assert_frame_equal(cleaned.analysis_set, again, check_exact=True)
    pd.testing.assert_frame_equal(cleaned.analysis_set, plain, check_exact=True)


@pytest.fixture(scope="module")
def ner_runs(engine, cleaned, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """NER of 60 cleaned articles: sequential (own store), on Dask (own store), and on Dask again."""
    from newsscope.actors import ner

    docs = cleaned.analysis_set.iloc[:60]
    base = tmp_path_factory.mktemp("ner")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSSCOPE_CACHE", str(base / "local"))
        ref = ner.extract_mentions(docs, n_process=1, progress=False)
        mp.setenv("NEWSSCOPE_CACHE", str(base / "dask"))
        got = ener.extract_mentions(docs, engine=engine, partition_size=16)
        again = ener.extract_mentions(docs, engine=engine)
    return {"docs": docs, "ref": ref, "got": got, "again": again}


def test_ner_on_dask_equals_extract_mentions(ner_runs):
    from newsscope.actors import ner

    (m_ref, s_ref), (m_got, s_got), (m_again, s_again) = ner_runs["ref"], ner_runs["got"], ner_runs["again"]
    assert s_got.attrs["ner_new"] == len({ner.hash_text(t) for t in ner.document_texts(ner_runs["docs"])})
    assert len(m_ref) > 100
    pd.testing.assert_frame_equal(m_ref, m_got, check_exact=True)
    pd.testing.assert_frame_equal(s_ref, s_got, check_exact=True)
    # the second run finds every document in the store
    assert s_again.attrs["ner_new"] == 0
    pd.testing.assert_frame_equal(m_ref, m_again, check_exact=True)


def test_vocabulary_and_trend_counts_reduce_to_the_local_matrix(engine, cleaned):
    from newsscope.vectorize import build_dtm

    docs = cleaned.analysis_set
    dtm = build_dtm(docs)
    vec = dtm.vectorizer
    got = ecounts.count_terms(docs, vec, engine=engine, partition_size=50)
    voc = got.vocabulary(vec.min_df, vec.max_df, vec.max_features)
    expected = pd.DataFrame({"term": pd.Series(dtm.terms, dtype=object), "docs": dtm.document_frequency().to_numpy(),
                             "count": dtm.total_counts().to_numpy()})
    pd.testing.assert_frame_equal(expected, voc, check_dtype=False)
    assert got.n_documents == len(docs)
    # documents per day per term: the day x document incidence times the binary matrix
    day = pd.to_datetime(dtm.docs["published"]).dt.normalize()
    ok = day.notna().to_numpy()
    days = np.sort(day[ok].unique())
    D = sp.csr_matrix((np.ones(ok.sum()), (np.searchsorted(days, day[ok].to_numpy()), np.flatnonzero(ok))),
                      shape=(len(days), len(docs)))
    B = dtm.X.tocsr().copy()
    B.data[:] = 1
    M = (D @ B).tocoo()
    ref = pd.DataFrame({"period": days[M.row], "term": pd.Series(dtm.terms[M.col], dtype=object),
                        "docs": M.data.astype(np.int64)}).sort_values(["period", "term"]).reset_index(drop=True)
    trends = got.trends[got.trends["term"].isin(set(dtm.terms))].reset_index(drop=True)
    pd.testing.assert_frame_equal(ref, trends, check_dtype=False)
    vol = day[ok].value_counts().sort_index()
    assert got.volume["docs"].tolist() == vol.tolist()
    local = ecounts.count_terms(docs, vec, engine=LocalEngine(progress=False), partition_size=33)
    for name in ("terms", "trends", "volume"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(local, name), check_exact=True)


def test_cooccurrence_counts_reduce_to_the_local_counts(engine, ner_runs):
    from newsscope.actors import cooccur, ner
    from newsscope.actors.aliases import AliasResolver

    docs = ner_runs["docs"]
    mentions, sentences = ner_runs["ref"]
    resolved = AliasResolver().fit_transform(mentions, dict(zip(docs["doc_id"], ner.document_texts(docs))))
    for unit in ("sentence", "article"):
        ref = cooccur.count_cooccurrences(resolved, sentences, unit)
        actors, pairs, n_units = ecounts.count_cooccurrences(resolved, sentences, unit, engine=engine, partition_size=9)
        assert len(ref.pairs) > 50
        pd.testing.assert_frame_equal(ref.actors, actors, check_dtype=False)
        pd.testing.assert_frame_equal(ref.pairs, pairs, check_exact=True)
        assert n_units == ref.n_units


def test_parse_command_on_a_local_dask_cluster_writes_the_same_table(pages, tmp_path, capsys):
    from newsscope.cli import main

    args = [str(pages["folder"]), "--manifest", str(pages["manifest"]), "--no-progress"]
    assert main(["parse", *args, "--out", str(tmp_path / "local.jsonl")]) == 0
    local_report = capsys.readouterr().out
    assert main(["parse", *args, "--out", str(tmp_path / "dask.jsonl"), "--engine", "dask-local", "--workers", "2"]) == 0
    dask_report = capsys.readouterr().out
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert dask_report.replace("dask.jsonl", "local.jsonl") == local_report
    assert "files seen:                303" in local_report


def test_parse_command_without_a_scheduler_is_a_usage_error(pages, tmp_path, capsys, monkeypatch):
    from newsscope.cli import main

    monkeypatch.delenv("NEWSSCOPE_DASK_SCHEDULER", raising=False)
    assert main(["parse", str(pages["folder"]), "--engine", "dask", "--out", str(tmp_path / "x.jsonl")]) == 2
    assert "NEWSSCOPE_DASK_SCHEDULER" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()


def test_engine_errors_say_what_and_where(engine, monkeypatch):
    monkeypatch.delenv("NEWSSCOPE_DASK_SCHEDULER", raising=False)
    with pytest.raises(ValueError, match="NEWSSCOPE_DASK_SCHEDULER"):
        get_engine("dask", scheduler=None)
    with pytest.raises(ValueError, match="use one of local, dask, dask-local"):
        get_engine("spark")
    with pytest.raises(PartitionError, match=r"partition 3 of 4 failed: ZeroDivisionError"):
        engine.gather(engine.map(_invert, [1, 2, 0, 4]))
    with pytest.raises(PartitionError, match=r"partition 2 of 2 failed: ZeroDivisionError"):
        LocalEngine(progress=False).map(_invert, [1, 0])


def _invert(x: int) -> float:
    return 1 / x


# --------------------------------------------------------------------------- saved web pages and web archives (issue 11)

@pytest.fixture(scope="module")
def web_pages(tmp_path_factory: pytest.TempPathFactory, news100_path) -> dict:
    """HTML pages, a ZIP of pages and two WARCs (one damaged in the middle, one page captured twice)."""
    import gzip
    import zipfile

    from newsscope import synth_html

    out = tmp_path_factory.mktemp("engine-web")
    articles = corpus.load_corpus("builtin:news100")
    truth = synth_html.generate_html_pages(articles, out, 40, seed=5)
    folder = out / "pages"
    files = sorted(folder.rglob("*.html"))
    with zipfile.ZipFile(folder / "sent.zip", "w") as zf:
        for f in files[:5]:
            zf.writestr(f"saved/{f.name}", f.read_bytes())
    (folder / "one.html.gz").write_bytes(gzip.compress(files[6].read_bytes()))
    pages = [synth_html.HtmlPage(f.read_bytes(), u, {"charset": "utf-8"}) for f, u in zip(files[10:30], truth["url"].iloc[10:30])]
    synth_html.write_warc(folder / "crawl.warc.gz", pages, recapture=2)
    data = bytearray((folder / "crawl.warc.gz").read_bytes())
    mid = len(data) // 2
    data[mid: mid + 64] = b"x" * 64
    (folder / "damaged.warc.gz").write_bytes(bytes(data))
    return {"folder": folder, "warc": folder / "crawl.warc.gz"}


def test_html_and_warc_parse_on_dask_equals_parse_paths(engine, web_pages):
    ref = parse_paths([web_pages["folder"]])
    acc = ref.accounting
    assert {"duplicate capture", "request record", "corrupt"} <= set(acc["reason"]) and acc["origin"].str.contains("!saved/").any()
    got = eparse.parse_paths([web_pages["folder"]], engine=engine, partition_size=3)
    _assert_parse_equal(ref, got)


def test_a_big_warc_is_read_in_record_ranges_with_the_result_of_one_pass(engine, web_pages):
    ref = parse_paths([web_pages["warc"]])
    # a limit of 1 byte makes every web archive "big": ranges of 7 records, each its own task
    groups = eparse.plan_parts([str(web_pages["warc"])], 100, warc_split_bytes=1, warc_records=7)
    assert len(groups) == -(-len(ref.accounting) // 7) and all(len(g) == 1 for g in groups)
    got = eparse.parse_paths([web_pages["warc"]], engine=engine, warc_split_bytes=1, warc_records=7)
    _assert_parse_equal(ref, got)
    assert (got.accounting["reason"] == "duplicate capture").sum() == 1  # resolved across ranges
