"""Bad inputs through the entry points users call: a clear message or a recorded rejection, never
a crash of the whole run, never a silent drop, and an accounting that reconciles.

Entry points: ``newsscope parse`` (:func:`newsscope.cli.main`), :func:`newsscope.corpus.read_corpus`
/ :func:`~newsscope.corpus.load_corpus` (pages with a manifest, and tables), and
:func:`newsscope.clean.load_clean` with ``include_removed=True``. Every bad file is built here in
``tmp_path`` (the 25 MB file is sparse).
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from newsscope import clean
from newsscope.clean import check_funnel, clean_articles, clean_corpus, load_clean
from newsscope.cli import main
from newsscope.corpus import load_corpus, read_corpus
from newsscope.parsing import REJECTION_REASONS

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "inkl" / "000_10d6f3262a74e780.txt"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
BODY = ("The minister said on Tuesday that the coalition talks would continue after a difficult week. "
        "Opposition leaders in the capital called the proposal a distraction from the budget crisis. ")

# file name -> (outcome, rejection reason or a fragment of the warning that must be recorded)
EXPECTED = {
    "seed.txt": ("parsed", ""),
    "bom.txt": ("parsed", ""),
    "crlf.txt": ("parsed", ""),
    "utf16.txt": ("parsed", ""),
    "utf16-nobom.txt": ("parsed_with_warnings", "no byte-order mark: decoded as utf-16-le"),
    "latin1.txt": ("parsed_with_warnings", "not UTF-8: decoded as Latin-1"),
    "cp1252.txt": ("parsed_with_warnings", "not UTF-8: decoded as Windows-1252"),
    "truncated.txt": ("parsed_with_warnings", "body ends mid-sentence and no sign-up wall follows"),
    "headerless.txt": ("parsed_with_warnings", "no header (header-less capture)"),
    "notes.txt": ("parsed_with_warnings", "parsed as plain text"),
    "empty.txt": ("rejected", "empty"),
    "whitespace.txt": ("rejected", "empty"),
    "header-only.txt": ("rejected", "empty"),
    "binary.bin": ("rejected", "binary"),
    "image.txt": ("rejected", "binary"),
    "big.txt": ("rejected", "too large"),
    "saved.txt": ("rejected", "no article text"),  # HTML found by content (issue 11): too little for an article
    "saved.html": ("rejected", "no article text"),
}
MANIFEST = (
    "file,url,published,source\n"
    "seed.txt,https://www.theguardian.com/world/nato,2023-07-12,\n"  # line 2
    "bom.txt,https://example.org/bom,not a date,\n"                  # line 3: bad date
    "bom.txt,https://example.org/bom-again,2023-07-13,\n"            # line 4: duplicate entry
    "crlf.txt,https://example.org/crlf,2023-02-30,\n"                # line 5: impossible date
    "gone.txt,https://example.org/gone,2023-07-14,\n"                # line 6: no such file
    "empty.txt,https://example.org/empty,2023-07-15,\n"              # line 7: a file that is rejected
)


def _truncated(seed: str) -> str:
    """The seed cut in the middle of a long sentence, footer lost."""
    body_end = seed.index("Sign up to read this article")
    sentence = seed.rindex("Others, including France", 0, body_end)
    return seed[:sentence + len("Others, including France, hope that China’s president, Xi Jinping, can")]


@pytest.fixture
def bad_pages(tmp_path: Path) -> Path:
    """A folder with one file per kind of bad page, and a manifest next to it."""
    root = tmp_path / "pages"
    root.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    standard = (PAGES / "standard.txt").read_text(encoding="utf-8")
    western = standard.replace("\n\nSign up to read", "\n\nCafé owners in São Paulo and Zürich said the naïve plan was "
                                                       "déjà vu.\n\nSign up to read", 1)
    (root / "seed.txt").write_text(seed, encoding="utf-8")
    (root / "bom.txt").write_bytes(standard.encode("utf-8-sig"))
    (root / "crlf.txt").write_bytes(standard.replace("\n", "\r\n").encode("utf-8"))
    (root / "utf16.txt").write_bytes(standard.encode("utf-16"))
    (root / "utf16-nobom.txt").write_bytes(standard.encode("utf-16-le"))
    (root / "latin1.txt").write_bytes(western.translate(str.maketrans("’‘“”–—", "''\"\"--")).encode("latin-1"))
    (root / "cp1252.txt").write_bytes(western.encode("cp1252"))
    (root / "truncated.txt").write_text(_truncated(seed), encoding="utf-8")
    (root / "headerless.txt").write_text(seed.split("\n", 4)[4], encoding="utf-8")
    (root / "notes.txt").write_text("Shopping list\n\nMilk, bread and coffee for the office.\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "whitespace.txt").write_bytes(b"  \r\n\t\n\n ")
    (root / "header-only.txt").write_text(seed[:45], encoding="utf-8")
    (root / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2048))
    with open(root / "big.txt", "wb") as fh:  # 25 MB, sparse: rejected by its size, never read
        fh.truncate(25 * 1024 * 1024)
    (root / "saved.txt").write_text("<!DOCTYPE html>\n<html><head><title>Nato</title></head>\n<body><p>Nato appears to "
                                    "shelve plans.</p></body></html>\n", encoding="utf-8")
    (root / "saved.html").write_text("<html><body><p>A page saved as HTML.</p></body></html>", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    assert sorted(p.name for p in root.iterdir()) == sorted(EXPECTED)
    return root


def _quiet_read(*args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_corpus(*args, **kwargs)
    return result, [str(w.message) for w in caught]


# --------------------------------------------------------------------------- newsscope parse

def test_cli_accounts_for_every_bad_page(bad_pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, report = tmp_path / "out.jsonl", tmp_path / "report.csv"
    rc = main(["parse", str(bad_pages), "--manifest", str(tmp_path / "manifest.csv"), "--out", str(out),
               "--report", str(report), "--no-progress"])
    printed = capsys.readouterr()
    assert rc == 0  # bad inputs never fail the run
    acc = pd.read_csv(report, keep_default_na=False).set_index("origin")
    # every file once, plus the manifest entry without a file (as load_corpus accounts it), nothing else
    assert sorted(acc.index) == sorted([*EXPECTED, "gone.txt"])
    gone = acc.loc["gone.txt"]
    assert (gone["outcome"], gone["reason"]) == ("rejected", "missing file") and "manifest.csv line 6" in gone["detail"]
    for name, (outcome, what) in EXPECTED.items():
        row = acc.loc[name]
        assert row["outcome"] in (outcome, "parsed_with_warnings"), name  # the manifest may add a warning
        if outcome == "rejected":
            assert row["outcome"] == "rejected" and row["reason"] == what and row["reason"] in REJECTION_REASONS, name
            assert row["detail"], f"{name}: a rejection must say why"
        elif what:
            assert what in row["detail"], (name, row["detail"])
    # the printed accounting reconciles: seen = parsed + with warnings + rejected
    counts = {k: int(v) for k, v in re.findall(r"^\s*(files seen|parsed|parsed with warnings|rejected):\s+(\d+)$",
                                               printed.out, flags=re.M)}
    assert counts["files seen"] == len(EXPECTED) + 1 == counts["parsed"] + counts["parsed with warnings"] + counts["rejected"]
    assert counts["rejected"] == sum(o == "rejected" for o, _ in EXPECTED.values()) + 1
    # every parsed file is in the output, once
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["origin"] for r in rows) == sorted(n for n, (o, _) in EXPECTED.items() if o != "rejected")
    # the manifest's problems are named with file, line and field
    assert "manifest.csv:3: field 'published': cannot parse date 'not a date'" in printed.err
    assert "manifest.csv:5: field 'published': cannot parse date '2023-02-30'" in printed.err
    assert "manifest.csv:4: file 'bom.txt' is listed again" in printed.err
    assert "gone.txt" in printed.out and "no input file" in printed.out
    by_origin = {r["origin"]: r for r in rows}
    assert by_origin["seed.txt"]["published"].startswith("2023-07-12")
    assert by_origin["bom.txt"]["published"] is None and by_origin["bom.txt"]["url"] == "https://example.org/bom"
    assert "manifest line 3: bad date 'not a date'" in by_origin["bom.txt"]["warnings"]
    assert "no manifest entry" in by_origin["notes.txt"]["warnings"]


def test_encodings_and_line_ends_give_the_same_article(bad_pages: Path) -> None:
    arts = read_corpus(bad_pages).articles.set_index("origin")
    for name in ("bom.txt", "crlf.txt", "utf16.txt", "utf16-nobom.txt"):
        for field in ("source", "section", "authors", "title", "captions", "text", "paywalled"):
            assert arts.at[name, field] == arts.at["crlf.txt", field], (name, field)
    assert "Café owners in São Paulo and Zürich" in arts.at["latin1.txt", "text"]
    assert "naïve plan was déjà vu" in arts.at["cp1252.txt", "text"]
    assert arts.at["latin1.txt", "title"] == arts.at["bom.txt", "title"]


@pytest.mark.parametrize("header, complaint", [
    ("url,published\n", "no 'file' column"),
    ("file,source\n", "needs a 'url' or a 'published' column"),
    ("", "empty"),
])
def test_cli_manifest_with_missing_columns_is_a_usage_error(bad_pages: Path, tmp_path: Path, header: str, complaint: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "broken.csv"
    manifest.write_text(header + ("seed.txt,x\n" if header else ""), encoding="utf-8")
    out = tmp_path / "never.jsonl"
    rc = main(["parse", str(bad_pages), "--manifest", str(manifest), "--out", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert rc == 2 and complaint in err and str(manifest) in err
    assert not out.exists()  # nothing written on a usage error


# --------------------------------------------------------------------------- read_corpus / load_corpus

def test_read_corpus_accounting_reconciles_with_the_manifest(bad_pages: Path, tmp_path: Path) -> None:
    result, messages = _quiet_read(bad_pages, manifest=tmp_path / "manifest.csv")
    arts, rej, acc = result.articles, result.rejected, result.accounting
    on_disk = sorted(EXPECTED)
    # every file on disk once, plus the manifest entry without a file
    assert sorted(acc["origin"]) == sorted(on_disk + ["gone.txt"])
    assert len(acc) == len(arts) + len(rej)
    assert set(arts["origin"]).isdisjoint(rej["origin"])
    gone = rej.set_index("origin").loc["gone.txt"]
    assert gone["reason"] == "missing file" and "manifest.csv line 6" in gone["detail"]
    # a rejected file that the manifest lists is not "missing": it is accounted once, as rejected
    assert list(rej["origin"]).count("empty.txt") == 1 and rej.set_index("origin").at["empty.txt", "reason"] == "empty"
    assert any("gone.txt" in m and "missing file" in m for m in messages)
    assert any("manifest.csv:3: field 'published'" in m for m in messages)
    by = arts.set_index("origin")
    assert pd.isna(by.at["crlf.txt", "published"]) and "manifest line 5: bad date '2023-02-30'" in by.at["crlf.txt", "warnings"]
    assert by.at["bom.txt", "url"] == "https://example.org/bom"  # the first of the duplicated entries
    assert "no manifest entry" in by.at["latin1.txt", "warnings"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = load_corpus(bad_pages, manifest=tmp_path / "manifest.csv")
    assert len(df) == len(arts) and {r["origin"] for r in df.attrs["rejected"]} == set(rej["origin"])


def test_read_corpus_on_a_missing_manifest_column_names_the_file(bad_pages: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,date\nseed.txt,2023-01-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"m\.csv: manifest has no 'file' column \(columns: path, date"):
        read_corpus(bad_pages, manifest=manifest)


# --------------------------------------------------------------------------- load_clean(include_removed=True)

def test_load_clean_gives_every_file_a_status(bad_pages: Path, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        every = load_clean(bad_pages, manifest=tmp_path / "manifest.csv", include_removed=True)
        kept = load_clean(bad_pages, manifest=tmp_path / "manifest.csv")
        result = clean_corpus(bad_pages, manifest=tmp_path / "manifest.csv")
    assert sorted(every["origin"]) == sorted(list(EXPECTED) + ["gone.txt"])
    assert every["doc_id"].is_unique
    status = every.set_index("origin")["status"]
    for name, (outcome, reason) in EXPECTED.items():
        if outcome == "rejected":
            assert status[name] == f"rejected: {reason}", name
        else:
            assert not status[name].startswith("rejected"), name
    assert status["gone.txt"] == "rejected: missing file"
    # one page in six encodings (two with an extra sentence): one is kept, the others are merged into it
    group = every[every["origin"].isin(["bom.txt", "crlf.txt", "utf16.txt", "utf16-nobom.txt", "latin1.txt", "cp1252.txt"])]
    canonical = group.loc[group["status"] == "kept", "doc_id"]
    assert len(canonical) == 1
    merged = group[group["status"] != "kept"]
    assert merged["status"].isin(["exact_duplicate", "near_duplicate"]).all()
    assert (merged["duplicate_of"] == canonical.iloc[0]).all()
    assert every.set_index("doc_id").at[canonical.iloc[0], "copies"] == len(group)
    assert set(kept["doc_id"]) == set(every.loc[every["status"] == "kept", "doc_id"])
    check_funnel(result.funnel, result.articles["status"])
    assert result.funnel["articles_in"].iloc[0] == len(every)


# --------------------------------------------------------------------------- tables

def _table(rows: list[dict[str, str]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


GOOD_ROWS = [
    {"id": "a1", "headline": "Talks resume", "date": "2017-03-01", "body": BODY * 3},
    {"id": "a2", "headline": "Budget row", "date": "yesterday", "body": BODY * 2 + "A second story about the budget."},
    {"id": "a3", "headline": "Floods", "date": "2017-02-30", "body": "Rivers rose across the north. " * 20},
    {"id": "a3", "headline": "Floods", "date": "2017-02-30", "body": "Rivers rose across the north. " * 20},
    {"id": "a4", "headline": "Blank", "date": "2017-03-02", "body": ""},
    {"id": "a5", "headline": "Café society", "date": "2017-03-03", "body": "Café owners in São Paulo said the naïve plan was déjà vu. " * 10},
]
COLUMNS = ["id", "headline", "date", "body"]


def _write_csv(path: Path, encoding: str = "utf-8", newline: str = "\n") -> Path:
    text = _table(GOOD_ROWS, COLUMNS).to_csv(index=False, lineterminator=newline)
    path.write_bytes(text.encode(encoding))
    return path


def test_table_bad_dates_duplicate_rows_and_empty_text_are_accounted(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "articles.csv")
    result, messages = _quiet_read(path)
    arts = result.articles
    assert len(arts) == len(GOOD_ROWS) and result.rejected.empty  # rows in = rows out
    assert arts["origin"].is_unique and arts["doc_id"].is_unique
    assert arts["origin"].tolist()[2:4] == ["articles.csv#id=a3", "articles.csv#id=a3#row=4"]
    assert "field 'id': id 'a3' of row 4 repeats row 3" in arts.at[3, "warnings"]
    assert "field 'published': cannot parse 'yesterday'" in arts.at[1, "warnings"]
    assert f"{path}: row 3: field 'published': cannot parse date '2017-02-30'; left empty" in messages
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        every = load_clean(path, include_removed=True)
    status = every.set_index("origin")["status"]
    # the repeated row is the copy of the first one, which stays
    assert status["articles.csv#id=a3"] == "kept" and status["articles.csv#id=a3#row=4"] == "exact_duplicate"
    by_origin = every.set_index("origin")
    assert by_origin.at["articles.csv#id=a3#row=4", "duplicate_of"] == by_origin.at["articles.csv#id=a3", "doc_id"]
    assert status["articles.csv#id=a4"] == "empty"
    assert len(every) == len(GOOD_ROWS)


@pytest.mark.parametrize("encoding, newline, note", [
    ("utf-8-sig", "\r\n", None),
    ("latin-1", "\n", "not UTF-8: decoded as Latin-1"),
    ("cp1252", "\r\n", "not UTF-8: decoded as"),
    ("utf-16", "\n", "table decoded as utf-16"),
])
def test_tables_in_other_encodings_give_the_same_articles(tmp_path: Path, encoding: str, newline: str, note: str | None) -> None:
    reference, _ = _quiet_read(_write_csv(tmp_path / "articles.csv"))
    other, messages = _quiet_read(_write_csv(tmp_path / "other.csv", encoding, newline))
    for field in ("title", "text", "published"):
        assert other.articles[field].tolist() == reference.articles[field].tolist(), field
    assert other.articles.at[5, "text"].startswith("Café owners in São Paulo")
    if note:
        assert any(note in m and "other.csv" in m for m in messages)
        assert all(any(note in w for w in ws) for ws in other.articles["warnings"])


def test_malformed_csv_rows_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(f"title,text\nGood,{BODY}\nBad,{BODY.replace('.', ',')},\"extra\"\nAlso good,{BODY}\n", encoding="utf-8")
    result, messages = _quiet_read(path)
    assert result.articles["title"].tolist() == ["Good", "Also good"]
    rej = result.rejected.to_dict("records")
    assert len(rej) == 1 and rej[0]["origin"] == "ragged.csv#line=3" and rej[0]["reason"] == "malformed row"
    assert rej[0]["detail"].startswith("line 3: expected 2 fields")
    assert any("ragged.csv: line 3" in m for m in messages)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        every = load_clean(path, include_removed=True)
    assert len(every) == 3 and (every["status"] == "rejected: malformed row").sum() == 1  # rows in = out + rejected


def test_broken_json_lines_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    lines = [json.dumps({"title": "One", "text": BODY}), "{broken", json.dumps(["not", "an", "object"]), "",
             json.dumps({"title": "Two", "text": BODY * 2})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, _ = _quiet_read(path)
    assert result.articles["title"].tolist() == ["One", "Two"]
    rej = result.rejected.set_index("origin")
    assert list(rej.index) == ["articles.jsonl#line=2", "articles.jsonl#line=3"]
    assert "invalid JSON" in rej.at["articles.jsonl#line=2", "detail"]
    assert "not an object" in rej.at["articles.jsonl#line=3", "detail"]


def test_table_without_text_column_says_what_it_looked_for(tmp_path: Path) -> None:
    path = tmp_path / "no_text.csv"
    _table(GOOD_ROWS, COLUMNS).rename(columns={"body": "story"}).to_csv(path, index=False)
    with pytest.raises(ValueError) as err:
        read_corpus(path)
    msg = str(err.value)
    assert str(path) in msg and "no text column" in msg and "'story'" in msg and "columns={'text'" in msg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(load_corpus(path, columns={"text": "story"})) == len(GOOD_ROWS)
    with pytest.raises(ValueError, match=r"column 'prose' \(given for 'text'\) is not in the table"):
        read_corpus(path, columns={"text": "prose"})


@pytest.mark.parametrize("name, data, complaint", [
    ("empty.csv", b"", "cannot read the table"),
    ("binary.csv", bytes(range(256)) * 8, "binary"),
    ("broken.parquet", b"PAR1 not really", "cannot read the table"),
])
def test_unreadable_tables_are_a_clear_error(tmp_path: Path, name: str, data: bytes, complaint: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + complaint):
        read_corpus(path)


def test_table_manifest_with_unknown_ids_bad_dates_and_duplicates(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "articles.csv")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,url,published\na1,https://example.org/a1,2017-03-05\na5,https://example.org/a5,31.12.\n"
                        "a1,https://example.org/other,2017-03-06\nz9,https://example.org/z9,2017-03-07\n"
                        "a3,https://example.org/a3,2017-03-08\n", encoding="utf-8")
    result, messages = _quiet_read(path, manifest=manifest)
    by = result.articles.set_index("origin")
    assert by.at["articles.csv#id=a1", "url"] == "https://example.org/a1"
    # a bad date in the manifest leaves the table's own date, with a warning on the article
    assert by.at["articles.csv#id=a5", "published"] == pd.Timestamp("2017-03-03")
    assert "manifest line 3: bad date '31.12.'" in by.at["articles.csv#id=a5", "warnings"]
    assert by.at["articles.csv#id=a3#row=4", "url"] == "https://example.org/a3"  # the repeated id still matches
    assert any("manifest.csv:4: file 'a1' is listed again" in m for m in messages)
    assert any("manifest.csv:3: field 'published'" in m for m in messages)
    rej = result.rejected.set_index("origin")
    assert list(rej.index) == ["z9"] and rej.at["z9", "reason"] == "missing row" and "line 5" in rej.at["z9", "detail"]


# --------------------------------------------------------------------------- the cleaning stage on its own

def _story(n: int) -> str:
    return " ".join(f"Sentence {i} of the report names the {w} committee and its chair." for i, w in
                    zip(range(n), ["budget", "health", "transport", "housing", "energy", "defence", "trade", "water"] * 9))


def test_duplicates_point_at_kept_rows() -> None:
    text = _story(40)
    update = _story(36) + " The story was updated on Friday with comments from officials."
    raw = pd.DataFrame({"origin": ["x", "y", "z"], "title": ["T"] * 3, "text": [text, update, update],
                        "published": pd.to_datetime(["2017-03-01", "2017-03-02", "2017-03-03"]), "source": ["A", "B", "C"]})
    arts = clean_articles(raw).articles.set_index("origin")
    assert arts.at["y", "status"] == "near_duplicate" and arts.at["z", "status"] == "exact_duplicate"
    kept = set(arts.loc[arts["status"] == "kept", "doc_id"])
    assert set(arts["duplicate_of"].dropna()) <= kept
    assert arts.at["x", "copies"] == 3 and arts.loc[["y", "z"], "copies"].eq(0).all()


def test_clean_articles_with_repeated_doc_ids_says_so() -> None:
    raw = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "origin": ["t#1", "t#1", "t#2"], "title": ["A", "A", "B"],
                        "text": [_story(30)] * 2 + [_story(12)]})
    with pytest.raises(ValueError, match="doc_id 'd1'"):
        clean_articles(raw)


def test_a_paywalled_preview_is_merged_into_the_full_article(news100_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        news = load_corpus("builtin:news100")
    text = news.loc[news["text"].str.len().idxmax(), "text"]
    sentences = re.split(r"(?<=[.!?]) (?=[A-Z])", text)
    assert len(sentences) >= 36
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, 36, 3)]
    raw = pd.DataFrame({"origin": ["full.txt", "preview.txt"], "title": ["Talks resume"] * 2,
                        "text": ["\n\n".join(paragraphs), "\n\n".join(paragraphs[:4])], "paywalled": [False, True],
                        "published": pd.to_datetime(["2017-03-01", "2017-03-01"]), "source": ["A", "A"]})
    arts = clean_articles(raw).articles.set_index("origin")
    # Jaccard is about 1/3 (the preview is a third of the article): only containment finds it
    assert arts.at["full.txt", "status"] == "kept" and arts.at["preview.txt", "status"] == "near_duplicate"
    assert arts.at["preview.txt", "duplicate_of"] == arts.at["full.txt", "doc_id"]
    assert arts.at["preview.txt", "similarity"] >= 0.9
    assert arts.at["full.txt", "copies"] == 2
    # a paywalled article of the same title but other text, and a preview without the wall, stay
    other = news.loc[news["text"].str.len().sort_values().index[-2], "text"]  # another story
    raw2 = pd.concat([raw, pd.DataFrame({"origin": ["other.txt", "cut.txt"], "title": ["Talks resume"] * 2,
                                         "text": [other, "\n\n".join(paragraphs[:4])], "paywalled": [True, False],
                                         "published": pd.to_datetime(["2017-03-02"] * 2), "source": ["B", "B"]})],
                     ignore_index=True)
    arts2 = clean_articles(raw2).articles.set_index("origin")
    assert arts2.at["other.txt", "status"] == "kept"
    # the unwalled copy of the preview is an exact duplicate of it, and so points at the full article
    assert arts2.at["cut.txt", "duplicate_of"] == arts2.at["full.txt", "doc_id"]
    assert arts2.at["preview.txt", "status"] in ("near_duplicate", "exact_duplicate")
    # the rule can be switched off
    off = clean_articles(raw, clean.CleanSettings(preview_min_containment=None)).articles.set_index("origin")
    assert off.at["preview.txt", "status"] == "kept"


# --------------------------------------------------------------------------- saved web pages and web archives (issue 11)

ARTICLE_HTML = ("<!DOCTYPE html><html lang='en'><head><meta charset='{charset}'><title>Coalition talks resume | The Courier</title>"
                "<meta property='og:site_name' content='The Courier'><meta property='og:type' content='article'>"
                "<link rel='canonical' href='https://courier.example/politics/2024/03/0{day}/talks'></head><body>"
                "<nav><a href='/'>Home</a> <a href='/politics'>Politics</a></nav><article><h1>Coalition talks resume</h1>"
                + "".join(f"<p>{BODY} Paragraph {k} adds that the café owners in the capital were not consulted.</p>" for k in range(5))
                + "</article><footer>© The Courier</footer></body></html>")


@pytest.fixture()
def bad_web(tmp_path: Path) -> Path:
    import gzip
    import io
    import zipfile

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    root = tmp_path / "web"
    root.mkdir()
    good = ARTICLE_HTML.format(charset="utf-8", day=1)
    (root / "good.html").write_text(good, encoding="utf-8")
    (root / "lying.html").write_bytes(ARTICLE_HTML.format(charset="iso-8859-1", day=2).encode("utf-8"))
    (root / "truncated.html").write_text(good[: len(good) * 3 // 5], encoding="utf-8")
    (root / "malformed.html").write_text(good.replace("</p>", "<p><<div>").replace("<article>", "<article <b"), encoding="utf-8")
    (root / "index.html").write_text("<html><head><title>The Courier</title><meta property='og:type' content='website'></head><body>"
                                     + "".join(f"<li><a href='/s/{k}'>Story {k} of the day</a></li>" for k in range(30))
                                     + "</body></html>", encoding="utf-8")
    (root / "cut.html.gz").write_bytes(gzip.compress(ARTICLE_HTML.format(charset="utf-8", day=3).encode())[:-60])
    zipfile.ZipFile(root / "empty.zip", "w").close()
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    starts = []
    for day in (4, 5, 6):
        starts.append(buf.tell())
        hdr = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        page = ARTICLE_HTML.format(charset="utf-8", day=day).replace("Coalition talks resume", f"Coalition talks resume, day {day}")
        w.write_record(w.create_warc_record(f"https://courier.example/politics/2024/03/0{day}/talks", "response",
                                            payload=io.BytesIO(page.encode()), http_headers=hdr))
    data = bytearray(buf.getvalue())
    data[starts[1] + 30: starts[1] + 80] = b"\0" * 50  # the middle record is damaged
    (root / "crawl.warc.gz").write_bytes(bytes(data))
    return root


def test_bad_web_inputs_each_get_an_outcome_and_never_stop_the_run(bad_web: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.csv"
    rc = main(["parse", str(bad_web), "--out", str(tmp_path / "out.jsonl"), "--report", str(report), "--no-progress"])
    assert rc == 0
    acc = pd.read_csv(report, keep_default_na=False).set_index("origin")
    warc = [o for o in acc.index if o.startswith("crawl.warc.gz#")]
    assert len(warc) == 3
    assert {o: (acc.loc[o, "outcome"], acc.loc[o, "reason"]) for o in acc.index} == {
        "good.html": ("parsed", ""),
        "lying.html": ("parsed_with_warnings", ""),
        "truncated.html": ("parsed", ""),
        "malformed.html": ("parsed", ""),
        "index.html": ("rejected", "no article text"),
        "cut.html.gz": ("parsed_with_warnings", ""),
        "empty.zip": ("rejected", "empty"),
        "crawl.warc.gz#offset=0": ("parsed", ""),
        warc[1]: ("rejected", "corrupt"),
        warc[2]: ("parsed", ""),
    }
    assert "declares iso-8859-1 but the bytes are UTF-8" in acc.loc["lying.html", "detail"]
    assert "gzip file truncated" in acc.loc["cut.html.gz", "detail"]
    assert "reading resumed at byte" in acc.loc[warc[1], "detail"]
    printed = capsys.readouterr().out
    assert "no article text:" in printed and "corrupt:" in printed
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    by_origin = {r["origin"]: r for r in rows}
    assert "café owners" in by_origin["lying.html"]["text"]  # no mojibake
    assert by_origin["crawl.warc.gz#offset=0"]["published"].startswith("2024-03-04")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = clean_corpus(bad_web)
    status = result.articles.set_index("origin")["status"]
    assert status["index.html"] == "rejected: no article text" and status["empty.zip"] == "rejected: empty"
    assert status[warc[1]] == "rejected: corrupt"
    check_funnel(result.funnel, result.articles["status"])
