"""Parsing into parts (issue 14): joined, the parts are the tables of ``read_corpus``.

Generated aggregator pages with a manifest (one entry without its page, bad files), HTML pages
and web archives with a URL captured twice in *different* partitions, and tables: each is read
into parts of a few files and compared with :func:`newsscope.corpus.read_corpus` (same rows, order,
values and dtypes). The Dask ``LocalCluster`` run writes the same parts.
"""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from newsscope import corpus, synth, synth_html
from newsscope.engine import get_engine
from newsscope.engine.stream.parse import parse_to_parts
from newsscope.parts import DiskSpaceError, PartitionMemoryError, check_disk, check_part_memory

pytestmark = pytest.mark.filterwarnings("ignore:.*matches no input:UserWarning")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, news100_path) -> dict:
    out = tmp_path_factory.mktemp("stream-pages")
    synth.generate_pages(corpus.load_corpus("builtin:news100"), out, 120, seed=11)
    folder = out / "pages"
    (folder / "000" / "empty.txt").write_bytes(b"")
    (folder / "000" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    with open(out / "manifest.csv", "a", encoding="utf-8") as fh:  # an entry without its page
        fh.write("999/missing.txt,https://www.bbc.com/news/x,2017-03-01,BBC\n")
    return {"folder": folder, "manifest": out / "manifest.csv"}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, news100_path) -> dict:
    """HTML pages and a web archive in which one URL is captured twice, far apart."""
    out = tmp_path_factory.mktemp("stream-web")
    truth = synth_html.generate_html_pages(corpus.load_corpus("builtin:news100"), out, 30, seed=3)
    folder = out / "pages"
    files = sorted(folder.rglob("*.html"))
    (folder / "one.html.gz").write_bytes(gzip.compress(files[0].read_bytes()))
    pages = [synth_html.HtmlPage(f.read_bytes(), u, {"charset": "utf-8"}) for f, u in zip(files[5:25], truth["url"].iloc[5:25])]
    synth_html.write_warc(folder / "crawl.warc.gz", pages, recapture=2)
    return {"folder": folder}


def _assert_same(parts, ref) -> None:
    pd.testing.assert_frame_equal(parts.articles.read_all(), ref.articles.reset_index(drop=True), check_exact=True, obj="articles")
    if len(ref.accounting):
        pd.testing.assert_frame_equal(parts.accounting.read_all(), ref.accounting.reset_index(drop=True), obj="accounting")
    got_rej = parts.rejected.read_all()
    pd.testing.assert_frame_equal(got_rej.reset_index(drop=True), ref.rejected.reset_index(drop=True).astype(got_rej.dtypes.to_dict()),
                                  obj="rejected")


def test_pages_with_a_manifest_in_parts_are_the_corpus_read_at_once(pages, tmp_path):
    ref = corpus.read_corpus(pages["folder"], manifest=pages["manifest"])
    got = parse_to_parts(pages["folder"], tmp_path / "run", manifest=pages["manifest"], partition_size=17, progress=False)
    assert got.articles.n_parts == -(-len(ref.accounting[ref.accounting["reason"] != "missing file"]) // 17) + 1
    assert max(got.articles.part_rows) <= 17
    _assert_same(got, ref)
    # every input accounted for: the files, plus the manifest entry without its page
    outcomes = got.outcomes()
    assert outcomes.sum() == 122 + 1 and outcomes["rejected"] == 3
    assert "missing file" in set(got.rejected.read_all()["reason"])


def test_each_partition_matches_its_own_manifest_entries_when_all_name_a_file(pages, tmp_path, monkeypatch):
    from newsscope.engine.stream import parse as sparse

    lines = pages["manifest"].read_text(encoding="utf-8").splitlines()
    manifest = tmp_path / "manifest.csv"  # without the entry that names no file
    manifest.write_text("\n".join(line for line in lines if "999/missing" not in line) + "\n", encoding="utf-8")
    seen = []
    original = sparse._parse_task
    monkeypatch.setattr(sparse, "_parse_task", lambda item, *a: seen.append(len(item[2])) or original(item, *a))
    got = parse_to_parts(pages["folder"], tmp_path / "run", manifest=manifest, partition_size=25, progress=False)
    assert len(seen) == got.articles.n_parts and max(seen) <= 25  # own entries only
    _assert_same(got, corpus.read_corpus(pages["folder"], manifest=manifest))


def test_a_url_captured_in_two_partitions_keeps_its_latest_capture(web, tmp_path):
    ref = corpus.read_corpus(web["folder"])
    assert (ref.accounting["reason"] == "duplicate capture").sum() == 1
    # every web archive is "big": ranges of 4 records, so the recaptures fall in other partitions
    got = parse_to_parts(web["folder"], tmp_path / "run", partition_size=5, warc_split_bytes=1, warc_records=4, progress=False)
    assert got.articles.n_parts > 8
    _assert_same(got, ref)


@pytest.mark.parametrize("spec", ["builtin:news100", "table"])
def test_tables_are_written_in_parts_of_rows(spec, tmp_path, news100_path):
    if spec == "table":
        table = corpus.load_corpus("builtin:news100")[["title", "text", "url", "published"]]
        spec = tmp_path / "news.jsonl"
        table.to_json(spec, orient="records", lines=True, date_format="iso")
    ref = corpus.read_corpus(spec)
    got = parse_to_parts(spec, tmp_path / "run", partition_size=30, progress=False)
    assert got.articles.part_rows == [30, 30, 30, 10]
    _assert_same(got, ref)


def test_parts_on_a_dask_cluster_are_the_local_parts(pages, tmp_path):
    local = parse_to_parts(pages["folder"], tmp_path / "local", manifest=pages["manifest"], partition_size=40, progress=False)
    with get_engine("dask-local", n_workers=2, threads_per_worker=1, processes=True, progress=False) as eng:
        remote = parse_to_parts(pages["folder"], tmp_path / "dask", manifest=pages["manifest"], partition_size=40, engine=eng)
    for name in ("articles", "accounting", "rejected"):
        a, b = getattr(local, name), getattr(remote, name)
        assert a.part_rows == b.part_rows
        pd.testing.assert_frame_equal(a.read_all(), b.read_all(), obj=name)


def test_a_run_that_would_not_fit_stops_naming_the_limit_and_the_setting(tmp_path):
    with pytest.raises(DiskSpaceError, match=r"needs about .* GB in .*, but only .* GB are free; .*point the run folder"):
        check_disk(tmp_path, 1e18, what="the partitioned corpus", setting="the run folder")
    with pytest.raises(PartitionMemoryError, match=r"2 partition\(s\) of 1,000 MB .* lower partition_size"):
        check_part_memory(1e9, 2, available=4 * 10**9)
    check_part_memory(1e6, 2, available=4 * 10**9)  # a small partition passes
