"""`newsscope parse` and parse_paths on folders: outputs, manifest, accounting, exit status."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newsscope.cli import main
from newsscope.corpus import ARTICLE_COLUMNS, load_corpus
from newsscope.parsing import parse_paths

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "inkl" / "000_10d6f3262a74e780.txt"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder mixing good pages, an empty file, a binary file, a UTF-16 page, a 25 MB file and more."""
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(SEED, root / "seed.txt")
    shutil.copy(PAGES / "live_blog.txt", root / "sub" / "live_blog.txt")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.dat").write_bytes(bytes(range(256)) * 20)
    (root / "sub" / "utf16.txt").write_bytes((PAGES / "no_section.txt").read_text(encoding="utf-8").encode("utf-16"))
    with open(root / "big.txt", "wb") as fh:
        fh.truncate(25 * 1024 * 1024)
    (root / "sub" / "cp1252.txt").write_bytes((PAGES / "standard.txt").read_text(encoding="utf-8").encode("cp1252"))
    (root / "notes.txt").write_text("Shopping list\n\nMilk and bread.\n", encoding="utf-8")
    (root / "saved.html").write_text("<html><body>page</body></html>", encoding="utf-8")
    (root / ".hidden" / "x.txt").write_text("not an input", encoding="utf-8")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / "manifest.csv").write_text(
        "file,url,published,source\n"
        "seed.txt,https://www.theguardian.com/world/nato-japan,2023-07-12,The Guardian\n"
        "sub/live_blog.txt,https://example.org/live,2023-08-01T14:30:00Z,\n"
        "sub/utf16.txt,https://example.org/b,not a date,\n"
        "gone.txt,https://example.org/gone,2023-01-01,\n", encoding="utf-8")
    return root


EXPECTED_OUTCOMES = {
    "seed.txt": ("parsed", ""),
    "sub/live_blog.txt": ("parsed", ""),
    "sub/utf16.txt": ("parsed", ""),  # UTF-16 with BOM is no cause for a warning
    "sub/cp1252.txt": ("parsed_with_warnings", ""),
    "notes.txt": ("parsed_with_warnings", ""),
    "empty.txt": ("rejected", "empty"),
    "binary.dat": ("rejected", "binary"),
    "big.txt": ("rejected", "too large"),
    "saved.html": ("rejected", "no article text"),  # HTML is read now (issue 11); a page without an article
}


def test_parse_paths_accounts_for_every_file(mixed: Path) -> None:
    result = parse_paths([mixed], exclude=[mixed / "manifest.csv"])
    acc = result.accounting.set_index("origin")
    assert {k: (v.outcome, v.reason) for k, v in acc.iterrows()} == EXPECTED_OUTCOMES
    assert acc.loc["sub/utf16.txt", "encoding"] == "utf-16-le"
    assert acc.loc["sub/cp1252.txt", "detail"] == "not UTF-8: decoded as Windows-1252"
    assert acc.loc["big.txt", "bytes"] == 25 * 1024 * 1024
    assert sorted(result.articles["origin"]) == sorted(k for k, (o, _) in EXPECTED_OUTCOMES.items() if o != "rejected")
    assert list(result.articles.columns) == ARTICLE_COLUMNS
    assert sorted(result.rejected["origin"]) == ["big.txt", "binary.dat", "empty.txt", "saved.html"]
    assert result.articles["published"].isna().all()


def test_manifest_inside_the_folder_is_a_rejected_non_page_unless_excluded(mixed: Path) -> None:
    acc = parse_paths([mixed]).accounting.set_index("origin")
    assert acc.loc["manifest.csv", "reason"] == "not a page"


def test_cli_on_mixed_folder(mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, report = tmp_path / "out" / "articles.jsonl", tmp_path / "report.csv"
    status = main(["parse", str(mixed), "--manifest", str(mixed / "manifest.csv"), "--out", str(out),
                   "--report", str(report), "--no-progress"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "files seen:                10" in printed  # 9 files + the manifest entry without a file
    assert "  parsed:                   2" in printed
    assert "  parsed with warnings:     3" in printed
    assert "  rejected:                 5" in printed
    for reason in ("empty", "binary", "too large", "no article text", "missing file"):
        assert f"    {reason + ':':<23} 1" in printed
    assert "  gone.txt: missing file (listed in manifest.csv line 5, but no such file under " in printed
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_origin = {r["origin"]: r for r in records}
    seed = by_origin["seed.txt"]
    assert seed["published"] == "2023-07-12T00:00:00"
    assert seed["url"] == "https://www.theguardian.com/world/nato-japan"
    assert seed["source"] == "The Guardian - UK"  # the page's own source line wins
    assert by_origin["sub/live_blog.txt"]["published"] == "2023-08-01T14:30:00"
    assert by_origin["sub/utf16.txt"]["published"] is None
    assert "manifest line 4: bad date 'not a date'" in by_origin["sub/utf16.txt"]["warnings"]
    assert "no manifest entry" in by_origin["notes.txt"]["warnings"]
    acc = pd.read_csv(report, keep_default_na=False)
    assert len(acc) == 10 and acc["origin"].is_unique
    assert set(acc["outcome"]) == {"parsed", "parsed_with_warnings", "rejected"}
    gone = acc.set_index("origin").loc["gone.txt"]
    assert (gone["outcome"], gone["reason"], gone["bytes"]) == ("rejected", "missing file", 0)
    assert gone["detail"] == f"listed in manifest.csv line 5, but no such file under {mixed}"


def test_cli_accounts_manifest_entries_without_a_page_as_load_corpus_does(mixed: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 15.4: an entry naming no file is rejected `missing file`; one naming a rejected file is not."""
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,url,published\n"
                        "seed.txt,https://example.org/seed,2023-07-12\n"
                        "empty.txt,https://example.org/empty,2023-07-13\n"  # on disk, rejected by the parser
                        "sub/gone.txt,https://example.org/gone,2023-07-14\n"
                        "never.txt,,2023-07-15\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    status = main(["parse", str(mixed), "--manifest", str(manifest), "--out", str(tmp_path / "a.jsonl"),
                   "--report", str(report), "--no-progress"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "    missing file:           2" in printed
    assert "  sub/gone.txt: missing file (listed in manifest.csv line 4, but no such file under " in printed
    assert "  never.txt: missing file (listed in manifest.csv line 5, but no such file under " in printed
    acc = pd.read_csv(report, keep_default_na=False).set_index("origin")
    assert acc.loc[["sub/gone.txt", "never.txt"], "reason"].tolist() == ["missing file", "missing file"]
    assert acc.at["empty.txt", "reason"] == "empty" and list(acc.index).count("empty.txt") == 1
    # the same accounting as load_corpus/read_corpus on that folder
    from newsscope.corpus import read_corpus

    with pytest.warns(UserWarning, match="2 entries match no input"):
        loaded = read_corpus(mixed, manifest=manifest)
    ref = loaded.accounting.set_index("origin")
    assert sorted(ref.index) == sorted(acc.index)
    rejected = ref.index[ref["outcome"] == "rejected"]
    assert list(acc.index[acc["outcome"] == "rejected"]) == list(rejected)
    assert acc.loc[rejected, ["reason", "detail"]].equals(ref.loc[rejected, ["reason", "detail"]].astype(acc.dtypes[["reason", "detail"]]))


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_cli_output_formats(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"articles{suffix}"
    assert main(["parse", str(SEED), str(PAGES / "body_gallery.txt"), "--out", str(out), "--no-progress"]) == 0
    df = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
    assert len(df) == 2 and list(df.columns) == ARTICLE_COLUMNS
    gallery = df[df["origin"].str.endswith("body_gallery.txt")].iloc[0]
    credits = list(gallery["image_credits"]) if suffix == ".parquet" else json.loads(gallery["image_credits"])
    assert credits == ["Nick Upshaw/Alamy", "Ann Sharp/Getty Images", "Mark Passfield/Apex"]


def test_cli_writes_jsonl_to_stdout_and_accounting_to_stderr() -> None:
    proc = subprocess.run([sys.executable, "-m", "newsscope", "parse", str(SEED)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    rec = json.loads(proc.stdout)
    assert rec["title"] == "Nato appears to shelve plans to open Japan liaison office in Tokyo"
    assert rec["authors"] == ["Amy Hawkins"] and rec["paywalled"] is True
    assert "files seen:" in proc.stderr and "files seen:" not in proc.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["does/not/exist"], "no such file or folder"),
    ([str(SEED), "--out", "x.xlsx"], "unknown format"),
    ([str(SEED), "--manifest", "missing.csv"], "no such file"),
    ([str(SEED), "--report", "report.txt"], "CSV"),
])
def test_usage_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", *args, "--no-progress"]) == 2
    assert message in capsys.readouterr().err


def test_manifest_without_file_column_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "m.csv"
    bad.write_text("name,url\nseed.txt,https://x\n", encoding="utf-8")
    assert main(["parse", str(SEED), "--manifest", str(bad), "--no-progress"]) == 2
    assert "no 'file' column" in capsys.readouterr().err


def test_load_corpus_reads_a_folder_of_pages_with_manifest(mixed: Path) -> None:
    df = load_corpus(mixed, manifest=mixed / "manifest.csv")
    seed = df.set_index("origin").loc["seed.txt"]
    assert seed["published"] == pd.Timestamp("2023-07-12") and seed["authors"] == ["Amy Hawkins"]
    rejected = {r["origin"]: r["reason"] for r in df.attrs["rejected"]}
    assert rejected["big.txt"] == "too large" and "manifest.csv" not in rejected  # the manifest is not an input


def test_manifest_paths_relative_to_a_parent_folder_still_match(tmp_path: Path) -> None:
    from newsscope.corpus import apply_manifest, read_manifest

    (tmp_path / "m.csv").write_text("file,url,published\ncorpus/a/seed.txt,https://x.org/1,2020-01-02\n", encoding="utf-8")
    arts = parse_paths([SEED.parent], root=SEED.parent.parent).articles  # origin "inkl/000_....txt"
    arts.loc[0, "origin"] = "a/seed.txt"
    out = apply_manifest(arts, read_manifest(tmp_path / "m.csv"))
    assert out.loc[0, "url"] == "https://x.org/1" and out.attrs["manifest_unmatched"] == []
