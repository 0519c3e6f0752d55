"""The partitioned pipeline end to end (issue 14): the in-memory results, bounded reads, reuse, the command line.

* On a corpus no bigger than the samples, ``run_partitioned`` writes the result tables the
  in-memory stages give (cleaning funnel, bursts, topics, doc-topic weights), whatever the
  partition size.
* With partitions and samples capped small, no Parquet read — in the driver or in a task —
  returns article texts for more rows than one partition or one sample: the corpus is never
  gathered.
* A rerun reuses every stage; a changed setting recomputes only the stages after it.
* ``newsscope stream`` writes the tables into the output root and stops on a limit with a message.
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from newsscope import cli, corpus, synth
from newsscope.clean import clean_articles
from newsscope.engine.stream.pipeline import run_partitioned, write_results
from newsscope.topics import fit_topics, write_topic_results
from newsscope.trends import detect_bursts, write_bursts
from newsscope.vectorize import build_dtm

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, news100_path) -> dict:
    out = tmp_path_factory.mktemp("stream-pipeline")
    synth.generate_pages(synth.vary_articles(corpus.load_corpus("builtin:news100"), 700, seed=2), out, 600, seed=4,
                         replace=False)
    return {"folder": out / "pages", "manifest": out / "manifest.csv"}


def test_a_corpus_within_the_samples_gives_the_in_memory_tables(tmp_path, news100_path):
    run = run_partitioned("builtin:newsarticles", tmp_path / "run", partition_size=700, k=11, progress=False)
    got = {p.name: p.read_bytes() for p in write_results(run, tmp_path / "stream")}

    loaded = corpus.read_corpus("builtin:newsarticles")
    cleaned = clean_articles(loaded.articles, rejected=loaded.rejected)
    dtm = build_dtm(cleaned.analysis_set)
    ref = tmp_path / "memory"
    ref.mkdir()
    cleaned.funnel.to_csv(ref / "cleaning_funnel.csv", index=False, lineterminator="\n")
    write_bursts(detect_bursts(dtm), folder=ref)
    write_topic_results(fit_topics("builtin:newsarticles", dtm=dtm, k=11, progress=False), ref)
    for name in ("cleaning_funnel.csv", "bursts.csv", "topics.csv"):
        assert got[name] == (ref / name).read_bytes(), name
    # doc_topics: the same rows; the partitioned file is in block order (each block sorted by doc_id)
    stream_rows = sorted(got["doc_topics.csv"].decode().splitlines()[1:])
    assert stream_rows == sorted((ref / "doc_topics.csv").read_text().splitlines()[1:])
    assert run.parsed.articles.n_parts == 6 and run.blocks.n_blocks == 6


def test_no_read_gathers_the_corpus_when_partitions_and_samples_are_small(pages, tmp_path, monkeypatch):
    widest: list[int] = []
    read_table = pq.read_table

    def counting(source, *args, **kwargs):  # every Parquet read of the pipeline goes through here
        table = read_table(source, *args, **kwargs)
        if "text" in table.column_names:
            widest.append(table.num_rows)
        return table

    monkeypatch.setattr(pq, "read_table", counting)
    run = run_partitioned(pages["folder"], tmp_path / "run", manifest=pages["manifest"], partition_size=100,
                          model_sample=150, fit_sample=150, sweep_sample=150, k=4, progress=False)
    assert run.parsed.n_articles == 600 and run.parsed.articles.n_parts == 6
    assert run.clean.analysis_rows == run.blocks.n_docs > 400
    assert widest and max(widest) <= 150  # one partition (100 rows) or one sample (150 rows), never the corpus
    assert sum(run.topics.topics["size"]) <= run.blocks.n_docs


def test_a_rerun_reuses_every_stage_and_a_new_setting_only_the_later_ones(pages, tmp_path):
    options = dict(manifest=pages["manifest"], partition_size=200, model_sample=300, fit_sample=300, sweep_sample=300,
                   progress=False)
    first = run_partitioned(pages["folder"], tmp_path / "run", k=4, **options)
    files = {p.name: p.read_bytes() for p in write_results(first, tmp_path / "a")}
    again = run_partitioned(pages["folder"], tmp_path / "run", k=4, **options)
    assert again.reused == ["parse", "clean", "vectorize", "trends", "topics"]
    assert {p.name: p.read_bytes() for p in write_results(again, tmp_path / "b")} == files
    other_k = run_partitioned(pages["folder"], tmp_path / "run", k=5, **options)
    assert other_k.reused == ["parse", "clean", "vectorize", "trends"] and other_k.topics.k == 5


def test_the_stream_command_writes_the_result_tables_and_names_a_limit(pages, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    status = cli.main(["stream", str(pages["folder"]), "--manifest", str(pages["manifest"]), "--out", str(out),
                       "--root", str(tmp_path / "run"), "--partition-size", "250", "--k", "4", "--no-progress"])
    printed = capsys.readouterr().out
    assert status == 0
    assert "articles: 600 parsed" in printed and "topics: k = 4" in printed
    for name in ("cleaning_funnel.csv", "bursts.csv", "topics.csv", "doc_topics.csv"):
        assert (out / "data" / "results" / name).stat().st_size > 0
    import newsscope.parts as parts

    monkeypatch.setattr(parts, "available_memory", lambda: 10 * 2**20)  # 10 MB: no partition fits
    status = cli.main(["stream", str(pages["folder"]), "--out", str(out), "--root", str(tmp_path / "run2"), "--no-progress"])
    err = capsys.readouterr().err
    assert status == 1 and "lower partition_size" in err and "GB are available" in err
