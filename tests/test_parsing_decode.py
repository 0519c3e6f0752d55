"""Reading page files: encodings, line ends, odd spaces, and every rejection reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsscope.parsing import MAX_BYTES, decode_bytes, normalize_text, parse_page, read_page_file

PAGE = (Path(__file__).resolve().parent / "fixtures" / "pages" / "standard.txt").read_text(encoding="utf-8")
ACCENTED = PAGE.replace("Riverina", "Riverinà").replace("Leeton", "Leetön")


def reference() -> dict:
    return parse_page(PAGE, "x")


@pytest.mark.parametrize(("encode", "encoding"), [
    (lambda t: t.encode("utf-8"), "utf-8"),
    (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
    (lambda t: t.encode("utf-16"), "utf-16-le"),
    (lambda t: t.encode("utf-16-be") and b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be"),
    (lambda t: t.encode("utf-32"), "utf-32-le"),
    (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    (lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8"),
])
def test_unicode_encodings_and_line_ends_give_the_same_article(encode, encoding: str) -> None:
    page = decode_bytes(encode(PAGE))
    assert not page.rejected and page.encoding == encoding and page.warnings == []
    rec = parse_page(page.text, "x")
    for field in ("source", "section", "authors", "title", "captions", "image_credits", "text", "paywalled"):
        assert rec[field] == reference()[field], field


def test_cp1252_is_detected_and_warned() -> None:
    data = ACCENTED.encode("cp1252")  # ’ “ ” become 0x92 0x93 0x94
    page = decode_bytes(data)
    assert page.encoding == "cp1252" and page.warnings == ["not UTF-8: decoded as Windows-1252"]
    assert "Riverinà" in page.text and "“We were spending" in page.text


def test_latin1_without_cp1252_punctuation() -> None:
    page = decode_bytes("Café au lait\n\nUn texte très simple, écrit en français.".encode("latin-1"))
    assert page.encoding == "latin-1" and "très" in page.text and page.warnings


def test_utf16_without_bom_is_recognised_with_warning() -> None:
    page = decode_bytes(PAGE.encode("utf-16-le"))
    assert page.encoding == "utf-16-le"
    assert any("no byte-order mark" in w for w in page.warnings)
    assert parse_page(page.text, "x")["title"] == reference()["title"]


def test_odd_spaces_are_normalised() -> None:
    odd = PAGE.replace("Drought-hit farmers", "Drought-hit\u00a0farmers").replace("solar pumps", "solar\u2009\u200bpumps")
    page = decode_bytes(("\ufeff" + odd).encode("utf-8"))
    assert parse_page(page.text, "x")["title"] == reference()["title"]
    assert normalize_text("a\u00a0b\u202fc\u3000d\u2028e\u200bf") == "a b c d\nef"


def test_capture_cut_inside_a_multibyte_character() -> None:
    data = ("Un titre\n\nLe café est fermé").encode("utf-8")[:-1]  # cut inside "é"
    page = decode_bytes(data)
    assert page.encoding == "utf-8" and page.text.endswith("ferm")
    assert any("multi-byte character" in w for w in page.warnings)


def test_a_few_invalid_bytes_in_utf8_are_replaced() -> None:
    data = ACCENTED.encode("utf-8").replace(b"Leet\xc3\xb6n", b"Leet\xffn")
    page = decode_bytes(data)
    assert page.encoding == "utf-8" and "Leet\ufffdn" in page.text
    assert any("invalid UTF-8" in w for w in page.warnings)


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"   \n\r\n\t  \n", "empty"),
    (b"\xef\xbb\xbf", "empty"),
    (b"\xff\xfe", "empty"),
    (b"\x00\x01\x02\x03binary\x00data\xff" * 50, "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
    (bytes(range(1, 9)) * 200, "binary"),
    ("日本語のニュース記事です。".encode("shift_jis") * 20, "undecodable"),
    ("Новости дня: правительство объявило".encode("koi8-r") * 10, "undecodable"),
    (b"caf\x81 \x8d\x90", "undecodable"),
    (b"\xff\xfe\x00\xd8a\x00", "undecodable"),  # UTF-16 with a lone surrogate
])
def test_rejections(data: bytes, reason: str) -> None:
    page = decode_bytes(data)
    assert page.rejected and page.reason == reason, (page.reason, page.detail)
    assert page.detail


def test_too_large_file_is_rejected_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: 25 MB on paper, nothing on disk
        fh.truncate(25 * 1024 * 1024)
    page = read_page_file(big)
    assert page.reason == "too large" and page.n_bytes == 25 * 1024 * 1024
    just_right = tmp_path / "ok.txt"
    just_right.write_bytes(b"Title\n\n" + b"word " * 1000)
    assert not read_page_file(just_right, max_bytes=MAX_BYTES).rejected
    assert read_page_file(just_right, max_bytes=100).reason == "too large"


def test_files_that_are_not_pages(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text("file,url,published\n", encoding="utf-8")
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    assert read_page_file(tmp_path / "manifest.csv").reason == "not a page"
    assert read_page_file(tmp_path / "index.html").reason == "not a page"
    assert read_page_file(tmp_path / "absent.txt").reason == "unreadable"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes")
def test_named_pipe_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    page = read_page_file(fifo)  # must not block
    assert page.reason == "not a page" and "regular file" in page.detail


def test_control_characters_are_removed_with_warning() -> None:
    page = decode_bytes(PAGE.replace("Farmers in", "Farmers\x07 in").encode("utf-8"))
    assert "\x07" not in page.text and any("control character" in w for w in page.warnings)
