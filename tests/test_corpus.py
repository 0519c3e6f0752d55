"""The article table and its loaders, on the built-in corpus and on realistic user tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from newsscope import corpus


def test_builtin_news100_has_the_article_table(news100_path: Path) -> None:
    df = corpus.load_corpus("builtin:news100")
    assert list(df.columns[: len(corpus.ARTICLE_COLUMNS)]) == corpus.ARTICLE_COLUMNS
    assert len(df) == 100
    assert df["doc_id"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(df["published"])
    assert set(df["source"]) <= set(corpus.OUTLETS.values())
    first = df.iloc[0]
    assert first["origin"].startswith("News100.csv#article_id=")
    assert all(isinstance(v, list) for v in df["authors"])


def test_builtin_full_corpus_sources_and_dates() -> None:
    df = corpus.load_corpus("builtin:newsarticles")
    assert len(df) == 3824
    counts = df["source"].value_counts()
    assert counts["Al Jazeera"] == 559 and counts["TASS"] == 485 and counts["CNN"] == 276
    # one non-standard publish_date ("          2016/12/30 7:11") is read leniently and flagged
    flagged = df[df["warnings"].map(lambda w: any("publish_date" in x for x in w))]
    assert len(flagged) == 1
    assert flagged["published"].iloc[0] == pd.Timestamp("2016-12-30")
    assert df["published"].min() >= pd.Timestamp("2016-01-01")


def test_doc_ids_are_stable_and_content_based() -> None:
    a = corpus.make_doc_id("x.txt", "Title", "Body")
    assert a == corpus.make_doc_id("x.txt", "Title", "Body")
    assert a != corpus.make_doc_id("y.txt", "Title", "Body")
    assert a != corpus.make_doc_id("x.txt", "Title", "Body!")
    assert len(a) == 16


def test_map_outlet_known_and_unknown_hosts() -> None:
    assert corpus.map_outlet("http://europe.chinadaily.com.cn/world/x.htm") == "China Daily"
    assert corpus.map_outlet("https://www.bbc.co.uk/news/world") == "BBC"
    assert corpus.map_outlet("https://www.theguardian.com/world/x") == "theguardian.com"
    assert corpus.map_outlet(None) is None and corpus.map_outlet("") is None


def test_csv_table_with_other_column_names_and_bad_dates(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    pd.DataFrame({
        "headline": ["A", "B", "C"],
        "body": ["Text one.", "Text two.", ""],
        "date": ["2024-03-01", "not a date", ""],
        "link": ["https://www.cnn.com/a", "https://example.org/b", None],
    }).to_csv(path, index=False)
    with pytest.warns(UserWarning, match=r"row 2: field 'published'"):
        df = corpus.load_corpus(path)
    assert df["title"].tolist() == ["A", "B", "C"]
    assert df["source"].tolist() == ["CNN", "example.org", None]
    assert df["published"].iloc[0] == pd.Timestamp("2024-03-01")
    assert pd.isna(df["published"].iloc[1]) and df["warnings"].iloc[1]
    assert df["origin"].tolist() == ["mine.csv#row=1", "mine.csv#row=2", "mine.csv#row=3"]


def test_jsonl_and_parquet_tables_give_the_same_articles(tmp_path: Path) -> None:
    rows = [{"id": "a1", "title": "T1", "text": "Body 1", "published": "2024-01-02T10:00:00Z", "source": "Outlet"},
            {"id": "a2", "title": "T2", "text": "Body 2", "published": "2024-01-03", "source": "Outlet"}]
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    pd.DataFrame(rows).to_parquet(tmp_path / "t.parquet")
    a = corpus.load_corpus(tmp_path / "t.jsonl")
    b = corpus.load_corpus(tmp_path / "t.parquet")
    assert a["title"].tolist() == b["title"].tolist() == ["T1", "T2"]
    assert a["published"].tolist() == b["published"].tolist()
    assert a["published"].iloc[0] == pd.Timestamp("2024-01-02 10:00:00")
    assert a["origin"].iloc[0] == "t.jsonl#id=a1"


def test_table_without_text_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notext.csv"
    # a long text column under an unknown name: refused (a table of titles only is read, see test_small_corpus_stages)
    pd.DataFrame({"title": ["x"], "when": ["2020-01-01"], "story": ["word " * 40]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"notext\.csv: the table has no text column"):
        corpus.load_corpus(path)


def test_manifest_fills_dates_and_reports_problems(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    pd.DataFrame({"id": ["1", "2", "3"], "text": ["a", "b", "c"]}).to_csv(path, index=False)
    man = tmp_path / "manifest.csv"
    man.write_text("file,url,published,source\n1,https://x.org/1,2023-07-12,X\n2,,31/02/2023,\n9,,2023-01-01,\n")
    with pytest.warns(UserWarning, match=r"manifest\.csv:3: field 'published'"):
        df = corpus.load_corpus(path, manifest=man)
    assert df["published"].iloc[0] == pd.Timestamp("2023-07-12")
    assert df["url"].iloc[0] == "https://x.org/1" and df["source"].iloc[0] == "X"
    assert pd.isna(df["published"].iloc[1]) and any("bad date" in w for w in df["warnings"].iloc[1])
    assert "no manifest entry" in df["warnings"].iloc[2]
    assert df.attrs["manifest_unmatched"] == ["9"]


def test_manifest_without_file_column_is_rejected(tmp_path: Path) -> None:
    man = tmp_path / "m.csv"
    man.write_text("path,published\na.txt,2020-01-01\n")
    with pytest.raises(ValueError, match=r"m\.csv: manifest has no 'file' column"):
        corpus.read_manifest(man)


def test_unknown_spec_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        corpus.resolve_spec(tmp_path / "nope")
    with pytest.raises(ValueError, match="unknown built-in corpus"):
        corpus.resolve_spec("builtin:nope")


def test_fingerprint_changes_with_content(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": ["a"]}).to_csv(path, index=False)
    f1 = corpus.fingerprint_corpus(path)
    assert f1 == corpus.fingerprint_corpus(path)
    pd.DataFrame({"text": ["b"]}).to_csv(path, index=False)
    assert corpus.fingerprint_corpus(path) != f1
