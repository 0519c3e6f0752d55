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
    from newsscope.clean import load_clean

    folder = cache.cache_file("clean", "x", "pkl").parent
    got = eclean.load_clean(pages["folder"], manifest=pages["manifest"], engine=engine, include_removed=True)
    pd.testing.assert_frame_equal(cleaned.articles, got, check_exact=True)
    entries = sorted(folder.iterdir())
    assert len([e for e in entries if e.suffix == ".pkl"]) == 1
    # the engine's own entry point and the sequential one find that entry (nothing recomputed)
    again = eclean.load_clean(pages["folder"], manifest=pages["manifest"], engine="dask-local")
    plain = load_clean(pages["folder"], manifest=pages["manifest"])
    assert sorted(folder.iterdir()) == entries
    pd.testing.assert_frame_equal(cleaned.analysis_set, again, check_exact=True)
    pd.testing.assert_frame_equal(cleaned.analysis_set, plain, check_exact=True)


def _no_spacy_here(*args, **kwargs):
    raise AssertionError("spaCy was loaded in the driver: NER must run on the workers")


@pytest.fixture(scope="module")
def ner_runs(engine, cleaned, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """NER of 60 cleaned articles: sequential (own store), on Dask (own store), and on Dask again.

    During the Dask runs the driver cannot load a spaCy pipeline (the workers are other
    processes, untouched), so the mentions compared below can only have come from the workers.
    """
    from newsscope.actors import ner

    docs = cleaned.analysis_set.iloc[:60]
    base = tmp_path_factory.mktemp("ner")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSSCOPE_CACHE", str(base / "local"))
        ref = ner.extract_mentions(docs, n_process=1, progress=False)
        mp.setenv("NEWSSCOPE_CACHE", str(base / "dask"))
        mp.setattr(ner, "load_pipeline", _no_spacy_here)
        mp.setattr(ner, "_init_worker", _no_spacy_here)
        got = ener.extract_mentions(docs, engine=engine, partition_size=16)
        again = ener.extract_mentions(docs, engine=engine)
    return {"docs": docs, "ref": ref, "got": got, "again": again, "stores": base}


def test_ner_on_dask_equals_extract_mentions(ner_runs):
    from newsscope.actors import ner

    (m_ref, s_ref), (m_got, s_got), (m_again, s_again) = ner_runs["ref"], ner_runs["got"], ner_runs["again"]
    assert s_got.attrs["ner_new"] == len({ner.hash_text(t) for t in ner.document_texts(ner_runs["docs"])})
    assert s_got.attrs["ner_engine"] == "dask-local" and s_again.attrs["ner_engine"] is None
    assert len(m_ref) > 100
    pd.testing.assert_frame_equal(m_ref, m_got, check_exact=True)
    pd.testing.assert_frame_equal(s_ref, s_got, check_exact=True)
    # the second run finds every document in the store
    assert s_again.attrs["ner_new"] == 0
    pd.testing.assert_frame_equal(m_ref, m_again, check_exact=True)


def test_ner_rows_the_workers_do_not_return_are_an_error_not_recomputed_in_the_driver(engine, ner_runs, monkeypatch,
                                                                                       tmp_path):
    from newsscope.actors import ner

    docs = ner_runs["docs"].iloc[:12]
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ner, "load_pipeline", _no_spacy_here)
    monkeypatch.setattr(ner, "_init_worker", _no_spacy_here)

    def returns_nothing(items, model, sentences, batch_size):  # sent to the workers by value
        return []

    monkeypatch.setattr(ener, "_ner_partition", returns_nothing)
    with pytest.raises(PartitionError, match=r"dask-local engine left 12 document\(s\) without a result") as err:
        ener.extract_mentions(docs, engine=engine, partition_size=4)
    message = str(err.value)
    for k in (1, 2, 3, 4):  # in partition order, each with its documents
        assert f"partition {k} of 4 returned 0 of 3 documents; without mentions: 3 document(s) (doc_id " \
               f"{', '.join(docs['doc_id'].iloc[3 * k - 3:3 * k])})" in message
    assert "does not run NER in the workers' place" in message
    assert ner.store_for(ner.NerSettings()).known() == set()


def test_a_partition_with_rows_missing_keeps_the_others_and_names_the_missing_documents(monkeypatch, tmp_path, cleaned):
    """On the local engine, without spaCy: rows are stand-ins, what matters is which documents got one."""
    from newsscope.actors import ner

    docs = cleaned.analysis_set.iloc[:9]
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ner, "load_pipeline", _no_spacy_here)
    empty = {"sent_start": [0], "sent_end": [1], "ent_start": [], "ent_end": [], "ent_sent": [], "ent_label": [], "ent_text": []}

    def all_but_last(items, model, sentences, batch_size):
        return [{"text_hash": h, **empty} for h, _ in items[:-1]]

    def every_row(items, model, sentences, batch_size):
        return [{"text_hash": h, **empty} for h, _ in items]

    monkeypatch.setattr(ener, "_ner_partition", all_but_last)
    with pytest.raises(PartitionError) as err:
        ener.extract_mentions(docs, engine=LocalEngine(progress=False), partition_size=3)
    message = str(err.value)
    for k in (1, 2, 3):
        assert f"partition {k} of 3 returned 2 of 3 documents" in message
    assert all(docs["doc_id"].iloc[i] in message for i in (2, 5, 8))
    assert not any(docs["doc_id"].iloc[i] in message for i in (0, 1, 3, 4, 6, 7))
    assert len(ner.store_for(ner.NerSettings()).known()) == 6  # what the partitions returned is kept
    # a rerun gives the engine only the three documents left out, and reads every document back
    monkeypatch.setattr(ener, "_ner_partition", every_row)
    mentions, sentences = ener.extract_mentions(docs, engine=LocalEngine(progress=False), partition_size=3)
    assert (sentences.attrs["ner_new"], sentences.attrs["ner_cached"]) == (3, 6)
    assert sentences["doc_id"].tolist() == sorted(docs["doc_id"]) and mentions.empty
    # rows missing from the store after the engine ran (here: never written) are an error too
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / "other"))
    monkeypatch.setattr(ner.MentionStore, "add", lambda self, rows: None)
    with pytest.raises(ener.MissingMentionsError, match=r"no NER result in the mention store .* for 9 document\(s\) \(doc_id "
                                                        + docs["doc_id"].iloc[0]):
        ener.extract_mentions(docs, engine=LocalEngine(progress=False), partition_size=3)


def test_load_actors_on_dask_gives_the_network_of_load_actors(engine, ner_runs, monkeypatch, tmp_path):
    from newsscope.actors import load_actors, ner

    docs = ner_runs["docs"].iloc[:30]
    settings = {"min_count": 2, "min_mentions": 2, "alpha": None}
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(ner_runs["stores"] / "local"))  # its mention store has these documents
    ref = load_actors(docs, n_process=1, progress=False, **settings)
    assert ref.info["ner_new"] == 0 and len(ref.edges) > 5
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ner, "load_pipeline", _no_spacy_here)
    monkeypatch.setattr(ner, "_init_worker", _no_spacy_here)
    got = ener.load_actors(docs, engine=engine, progress=False, partition_size=8, **settings)
    assert got.info["ner_new"] == len(set(ner.document_texts(docs))) and got.info["ner_engine"] == "dask-local"
    for name in ("mentions", "sentences", "actors", "aliases", "edges"):
        pd.testing.assert_frame_equal(getattr(ref, name), getattr(got, name), check_exact=True, obj=name)
    with pytest.raises(TypeError, match="unknown actor setting"):
        ener.load_actors(docs, engine=engine, min_cout=3)


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
    assert "files seen:                304" in local_report  # 303 files + the manifest entry without a file


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


def _n_clients(dask_scheduler) -> int:
    return len(dask_scheduler.clients)


def test_workers_of_another_newsscope_version_are_reported_on_connect(engine, monkeypatch):
    """The workers are other processes: only this process pretends to be another version."""
    import time

    import newsscope

    real = newsscope.__version__
    before = engine.client.run_on_scheduler(_n_clients)
    with get_engine("dask", scheduler=engine.address, timeout=10, progress=False) as eng:  # same version: connects
        assert eng.gather(eng.submit(abs, -3)) == 3
    monkeypatch.setattr(newsscope, "__version__", "0.0.0+other")
    with pytest.raises(RuntimeError, match=rf"workers of {engine.address} run another newsscope version than this "
                                           r"process \(0\.0\.0\+other\)") as err:
        get_engine("dask", scheduler=engine.address, timeout=10, progress=False)
    for worker in engine.client.nthreads():
        assert f"'{worker}': '{real}'" in str(err.value)
    deadline = time.monotonic() + 10
    while engine.client.run_on_scheduler(_n_clients) > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert engine.client.run_on_scheduler(_n_clients) == before  # the refused connection's client was closed


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
