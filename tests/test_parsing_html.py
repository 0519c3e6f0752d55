"""Saved web pages, compressed copies, ZIP archives and WARC files in (issue 11).

Pages are rendered by :mod:`newsscope.synth_html` from the built-in sample (three site
templates, four charset variants, paywalls) with the fields a correct parser returns; the
WARC files are written here with warcio, with every kind of record a crawler writes.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from newsscope import clean, corpus
from newsscope.parsing import parse_paths
from newsscope.parsing.html import decode_html, parse_html, url_date
from newsscope.synth_html import generate_html_pages, render_html, write_warc


@pytest.fixture(scope="module")
def sample(news100_path) -> pd.DataFrame:
    return corpus.load_corpus("builtin:news100")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sample: pd.DataFrame) -> dict:
    out = tmp_path_factory.mktemp("html-site")
    truth = generate_html_pages(sample, out, 45, seed=11, paywall_share=0.2)
    return {"dir": out, "pages": out / "pages", "truth": truth, "result": parse_paths([out / "pages"])}


def _page(sample: pd.DataFrame, k: int = 0, **kw) -> object:
    rng = np.random.default_rng(k)
    from datetime import date

    return render_html(sample.iloc[k].to_dict(), kw.pop("outlet", "The Daily Planet"), date(2024, 3, 5 + k % 20), rng,
                       authors=kw.pop("authors", ["Freya Lindqvist"]), related=["Another story"], serial=k, **kw)


def test_generated_pages_give_their_fields(site: dict) -> None:
    res, truth = site["result"], site["truth"]
    assert set(res.accounting["outcome"]) <= {"parsed", "parsed_with_warnings"}
    arts = res.articles.set_index("origin").loc[truth["file"]]
    for col in ("title", "source", "url", "section", "standfirst", "paywalled"):
        assert arts[col].tolist() == truth[col].tolist(), col
    assert [str(d)[:10] for d in arts["published"]] == truth["published"].tolist()
    assert arts["authors"].map(list).tolist() == truth["authors"].map(list).tolist()
    assert arts["captions"].map(list).tolist() == truth["captions"].map(list).tolist()
    assert arts["image_credits"].map(list).tolist() == truth["image_credits"].map(list).tolist()
    assert res.accounting.set_index("origin").loc[truth["file"], "kind"].eq("html").all()


def test_body_keeps_paragraphs_and_drops_the_chrome(site: dict) -> None:
    arts = site["result"].articles.set_index("origin").loc[site["truth"]["file"]]
    for text, row in zip(arts["text"], site["truth"].itertuples()):
        paras = text.split("\n\n")
        # the article's paragraphs, in order, each separated by one blank line; the site's promotion
        # may survive as a paragraph (the clean stage removes it across pages)
        assert [p for p in paras if p != row.newsletter] == row.text.split("\n\n")
        for chrome in ("Most read", "Cookie settings", "Share on Facebook", "Subscribe to continue", "Read more:", row.title):
            assert chrome not in paras


def test_charsets_are_read_and_a_lying_declaration_is_overruled(site: dict) -> None:
    res, truth = site["result"], site["truth"]
    acc = res.accounting.set_index("origin")
    assert set(truth["charset"]) == {"utf-8", "iso-8859-1", "windows-1252", "lying"}
    for row in truth.itertuples():
        detail = acc.loc[row.file, "detail"]
        if row.charset == "lying":
            assert "declares iso-8859-1 but the bytes are UTF-8" in detail
            assert acc.loc[row.file, "encoding"] == "utf-8"
        else:
            assert "declares" not in detail and "not UTF-8" not in detail  # a true declaration is no guess


def test_paywalled_pages_are_flagged_and_free_pages_are_not(site: dict) -> None:
    truth = site["truth"]
    assert truth["paywalled"].sum() >= 3 and (~truth["paywalled"]).sum() >= 3
    arts = site["result"].articles.set_index("origin").loc[truth["file"]]
    assert arts["paywalled"].tolist() == truth["paywalled"].tolist()


def test_date_in_the_url_wins_over_a_disagreeing_page_date(sample: pd.DataFrame) -> None:
    page = _page(sample, 2)
    text = page.data.decode("utf-8").replace('"datePublished": "2024-03-07', '"datePublished": "2023-01-15')
    text = text.replace('content="2024-03-07', 'content="2023-01-15').replace('datetime="2024-03-07', 'datetime="2023-01-15')
    parsed = parse_html(text, "p.html")
    assert parsed.record["published"] == "2024-03-07"  # the date in the canonical URL
    # eight digits without separators may be an id: they do not overrule the page's date
    idtext = text.replace("/2024/03/07/", "/20230115x/").replace('"datePublished": "2023-01-15', '"datePublished": "2024-03-07')
    idtext = idtext.replace('content="2023-01-15', 'content="2024-03-07').replace('datetime="2023-01-15', 'datetime="2024-03-07')
    assert parse_html(idtext.replace("20230115x", "20230115"), "p.html").record["published"] == "2024-03-07"
    assert url_date("https://x.example/news/2023/07/12/story") .isoformat() == "2023-07-12"
    assert url_date("https://x.example/news/20230712-story").isoformat() == "2023-07-12"
    assert url_date("https://x.example/news/story-12345") is None
    assert url_date("https://www.theguardian.com/world/2023/jul/12/nato-tokyo-office").isoformat() == "2023-07-12"
    assert url_date("https://x.example/2023/september/3/story").isoformat() == "2023-09-03"


def test_no_date_and_no_site_name_stay_empty_with_a_warning() -> None:
    paras = "".join(f"<p>Paragraph {k} of a story that tells what happened in the council meeting on the budget "
                    f"and what the members said about schools, roads and the library.</p>" for k in range(6))
    parsed = parse_html(f"<html><head><title>Budget row</title><meta property='og:type' content='article'></head>"
                        f"<body><article><h1>Budget row</h1>{paras}</article></body></html>", "b.html")
    rec = parsed.record
    assert parsed.kind == "html" and rec["title"] == "Budget row" and rec["published"] is None and rec["source"] is None
    assert "no publication date found in the page" in rec["warnings"]
    assert "no site name or URL: source left empty" in rec["warnings"]
    assert rec["text"].count("\n\n") == 5


def test_a_home_page_has_no_article_text() -> None:
    links = "".join(f"<li><a href='/s/{k}'>Headline number {k} about the day</a></li>" for k in range(40))
    parsed = parse_html(f"<html><head><title>Front page</title><meta property='og:type' content='website'></head>"
                        f"<body><nav>Home World Sport</nav><ul>{links}</ul></body></html>", "index.html")
    assert parsed.kind == "rejected" and parsed.reason == "no article text"


def test_an_inkl_page_saved_as_html_goes_through_the_inkl_parser() -> None:
    seed = Path(__file__).resolve().parents[1] / "data" / "raw" / "inkl" / "000_10d6f3262a74e780.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    body = "".join(f"<p>{line}</p>" if line else "" for line in lines)
    parsed = parse_html(f"<!DOCTYPE html><html><head><title>inkl</title></head><body><div>{body}</div></body></html>", "seed.html")
    assert parsed.kind == "html-inkl"
    rec = parsed.record
    assert rec["source"] == "The Guardian - UK" and rec["authors"] == ["Amy Hawkins"] and rec["paywalled"]
    assert rec["title"] == "Nato appears to shelve plans to open Japan liaison office in Tokyo"
    assert rec["image_credits"] == ["Ludovic Marin/AFP/Getty"]


def test_fast_extractor_gives_the_same_fields_and_a_close_body(sample: pd.DataFrame) -> None:
    page = _page(sample, 4)
    text = page.data.decode("utf-8")
    default, fast = parse_html(text, "p.html").record, parse_html(text, "p.html", extractor="fast").record
    for col in ("title", "source", "url", "section", "published", "authors", "captions", "paywalled"):
        assert fast[col] == default[col], col
    truth = set(page.truth["text"].split("\n\n"))
    assert len(truth & set(fast["text"].split("\n\n"))) >= 0.8 * len(truth)


def _write_compressed(root: Path, page: bytes) -> None:
    (root / "a.html.gz").write_bytes(gzip.compress(page))
    (root / "b.html.bz2").write_bytes(bz2.compress(page))
    (root / "c.html.xz").write_bytes(lzma.compress(page))
    (root / "cut.html.gz").write_bytes(gzip.compress(page)[: len(gzip.compress(page)) * 2 // 3])
    (root / "noise.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate data")
    (root / "bomb.html.gz").write_bytes(gzip.compress(b"\0" * (21 * 1024 * 1024), compresslevel=9))


def test_compressed_copies_are_read_within_limits(tmp_path: Path, sample: pd.DataFrame) -> None:
    page = _page(sample, 5)
    _write_compressed(tmp_path, page.data)
    res = parse_paths([tmp_path])
    acc = res.accounting.set_index("origin")
    for name in ("a.html.gz", "b.html.bz2", "c.html.xz"):
        assert acc.loc[name, "outcome"] == "parsed" and acc.loc[name, "kind"] == "html"
    arts = res.articles.set_index("origin")
    assert arts.loc["a.html.gz", "title"] == page.truth["title"] == arts.loc["c.html.xz", "title"]
    assert acc.loc["cut.html.gz", "outcome"] == "parsed_with_warnings"
    assert "gzip file truncated" in acc.loc["cut.html.gz", "detail"]
    assert tuple(acc.loc["noise.txt.gz", ["outcome", "reason"]]) == ("rejected", "corrupt")
    assert tuple(acc.loc["bomb.html.gz", ["outcome", "reason"]]) == ("rejected", "too large")
    assert "decompression bomb" in acc.loc["bomb.html.gz", "detail"]


def test_zip_members_are_inputs_and_an_empty_archive_is_accounted(tmp_path: Path, sample: pd.DataFrame) -> None:
    pages = [_page(sample, k) for k in range(3)]
    with zipfile.ZipFile(tmp_path / "sent.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("site/one.html", pages[0].data)
        zf.writestr("site/two.htm", pages[1].data)
        zf.writestr("site/three.html.gz", gzip.compress(pages[2].data))
        zf.writestr("notes/readme.txt", "A note about the pages: they were saved on 5 March 2024 from three news "
                                        "sites for a class project on the budget debate and its coverage.")
        zf.writestr("img/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100))
        zf.writestr("site/", b"")
        zf.writestr(".hidden", b"x")
    zipfile.ZipFile(tmp_path / "empty.zip", "w").close()
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    res = parse_paths([tmp_path])
    acc = res.accounting.set_index("origin")
    assert list(acc.index) == ["broken.zip", "empty.zip", "sent.zip!img/logo.png", "sent.zip!notes/readme.txt",
                               "sent.zip!site/one.html", "sent.zip!site/three.html.gz", "sent.zip!site/two.htm"]
    assert tuple(acc.loc["empty.zip", ["outcome", "reason"]]) == ("rejected", "empty")
    assert tuple(acc.loc["broken.zip", ["outcome", "reason"]]) == ("rejected", "corrupt")
    assert tuple(acc.loc["sent.zip!img/logo.png", ["outcome", "reason"]]) == ("rejected", "not a page")
    assert acc.loc["sent.zip!notes/readme.txt", "kind"] == "plain"
    arts = res.articles.set_index("origin")
    assert arts.loc["sent.zip!site/three.html.gz", "title"] == pages[2].truth["title"]
    assert arts.loc["sent.zip!site/two.htm", "url"] == pages[1].truth["url"]


@pytest.fixture()
def warc(tmp_path: Path, sample: pd.DataFrame) -> dict:
    pages = [_page(sample, k, outlet=("The Daily Planet", "Metro Herald")[k % 2]) for k in range(5)]
    info = write_warc(tmp_path / "crawl.warc.gz", pages, recapture=1)
    return {"path": tmp_path / "crawl.warc.gz", "pages": pages, "info": info, "dir": tmp_path}


def test_warc_records_are_each_accounted(warc: dict) -> None:
    res = parse_paths([warc["path"]])
    acc = res.accounting
    assert acc["origin"].str.startswith("crawl.warc.gz#offset=").all()
    reasons = acc.loc[acc["outcome"] == "skipped", "reason"].value_counts().to_dict()
    assert reasons == {"request record": 5, "warcinfo record": 1, "redirect": 1, "HTTP error": 1,
                       "not HTML": 1, "metadata record": 1, "revisit record": 1, "duplicate capture": 1}
    assert (acc["outcome"].isin(["parsed", "parsed_with_warnings"])).sum() == 5 == len(res.articles)
    arts = res.articles.set_index("url")
    for page in warc["pages"]:
        assert arts.loc[page.url, "title"] == page.truth["title"]
    # the page captured twice: one article, the later capture; the first is a recorded duplicate
    again = warc["pages"][1]
    assert arts.loc[again.url, "text"].endswith("This story has been updated with a statement from the ministry.")
    dup = acc[acc["reason"] == "duplicate capture"].iloc[0]
    assert dup["detail"].startswith("the URL was captured again later: the article is crawl.warc.gz#offset=")
    assert acc.loc[acc["reason"] == "redirect", "detail"].iloc[0] == f"HTTP 301 to {warc['pages'][0].url}"
    assert acc.loc[acc["reason"] == "not HTML", "detail"].iloc[0] == "content type image/png"


def test_warc_without_compression_and_http_charset(tmp_path: Path, sample: pd.DataFrame) -> None:
    page = _page(sample, 3, charset="windows-1252")
    write_warc(tmp_path / "plain.warc", [page], extras=False, gzip=False, recapture=None)
    res = parse_paths([tmp_path / "plain.warc"])
    assert res.accounting["outcome"].tolist() == ["parsed"] and res.accounting["encoding"].tolist() == ["cp1252"]
    assert res.articles["title"].tolist() == [page.truth["title"]]


def test_a_corrupt_record_in_the_middle_does_not_lose_its_neighbours(warc: dict) -> None:
    from fastwarc import ArchiveIterator

    data = bytearray(warc["path"].read_bytes())
    with open(warc["path"], "rb") as fh:
        starts = [r.stream_pos for r in ArchiveIterator(fh)]
    bad = starts[4]  # the second response
    data[bad + 40: bad + 90] = b"x" * 50
    path = warc["dir"] / "damaged.warc.gz"
    path.write_bytes(bytes(data))
    res = parse_paths([path])
    acc = res.accounting
    corrupt = acc[acc["reason"] == "corrupt"]
    assert corrupt["origin"].tolist() == [f"damaged.warc.gz#offset={bad}"]
    assert f"reading resumed at byte {starts[5]}" in corrupt["detail"].iloc[0]
    assert len(acc) == len(starts)  # every record still accounted, the damaged one as rejected
    assert len(res.articles) == 5  # the page captured twice survives through its second capture


def test_empty_and_truncated_web_archives(tmp_path: Path, warc: dict) -> None:
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    data = warc["path"].read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) // 2])
    res = parse_paths([tmp_path / "empty.warc.gz", tmp_path / "cut.warc.gz"], root=tmp_path)
    acc = res.accounting
    assert tuple(acc.iloc[0][["origin", "outcome", "reason"]]) == ("empty.warc.gz", "rejected", "empty")
    cut = acc[acc["origin"].str.startswith("cut.warc.gz")]
    assert "the web archive ends inside this record (file cut short)" in cut["detail"].iloc[-1]
    assert cut["outcome"].iloc[:-1].isin(["parsed", "skipped"]).all() and len(cut) >= 5


def test_html_found_by_content_in_a_text_file(tmp_path: Path, sample: pd.DataFrame) -> None:
    page = _page(sample, 6)
    (tmp_path / "saved-page.txt").write_bytes(page.data)
    res = parse_paths([tmp_path])
    assert res.accounting["kind"].tolist() == ["html"]
    assert res.articles["title"].tolist() == [page.truth["title"]]


def test_malformed_and_truncated_html_still_give_an_outcome(sample: pd.DataFrame) -> None:
    text = _page(sample, 7).data.decode("utf-8")
    cut = parse_html(text[: len(text) * 2 // 3], "cut.html")
    assert cut.kind == "html" and cut.record["title"] and cut.record["text"]
    broken = parse_html(text.replace("</p>", "").replace("<article", "<article <<"), "broken.html")
    assert broken.kind == "html" and len(broken.record["text"].split()) > 40
    for junk in ("<html><", "<<<>>>", "<html><body></body></html>", "   "):
        out = parse_html(junk, "junk.html")
        assert out.kind == "rejected" and out.reason in {"no article text", "not a page", "empty"}


def test_decode_html_reads_the_http_charset_and_unknown_names() -> None:
    body = "<html><head><meta charset='koi8-r'></head><body><p>Москва</p></body></html>"
    page = decode_html(body.encode("koi8-r"))
    assert page.encoding == "koi8-r" and "Москва" in page.text and not page.warnings
    page = decode_html(body.encode("utf-8"), http_charset="utf-8")
    assert "Москва" in page.text and not page.warnings
    page = decode_html("<html><meta charset='x-nonsense'><p>café</p></html>".encode("utf-8"))
    assert "café" in page.text and "unknown charset 'x-nonsense'" in page.warnings[0]


def test_load_clean_without_a_manifest_dates_every_page(site: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path / "cache"))
    df = clean.load_clean(site["pages"], include_removed=True)
    assert df["published"].notna().all() and len(df) == len(site["truth"])
    # each outlet's promotion that survived extraction is removed across its pages
    kept = df[df["status"] == "kept"]
    for promo in site["truth"]["newsletter"].unique():
        assert not kept["text"].str.contains(promo, regex=False).any()
    assert kept["boilerplate_removed"].str.contains("Get the Metro Herald briefing", regex=False).any()


def test_arc_files_are_read_record_by_record(tmp_path: Path, sample: pd.DataFrame) -> None:
    page = _page(sample, 8)

    def record(url: str, body: bytes, ctype: str) -> bytes:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype.encode() + b"\r\n\r\n" + body
        return f"{url} 192.0.2.1 20240401100000 {ctype} {len(http)}\n".encode() + http + b"\n"

    desc = b"1 0 newsscope\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [f"filedesc://crawl.arc 0.0.0.0 20240401000000 text/plain {len(desc)}\n".encode() + desc + b"\n",
               record(page.url, page.data, "text/html; charset=utf-8"), record("http://x.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")]
    (tmp_path / "crawl.arc").write_bytes(b"".join(records))
    (tmp_path / "crawl.arc.gz").write_bytes(b"".join(gzip.compress(r) for r in records))
    for name in ("crawl.arc", "crawl.arc.gz"):
        res = parse_paths([tmp_path / name])
        assert res.accounting["reason"].tolist() == ["warcinfo record", "", "not HTML"], name
        assert res.accounting["outcome"].tolist() == ["skipped", "parsed", "skipped"], name
        assert res.articles["title"].tolist() == [page.truth["title"]] and res.articles["url"].tolist() == [page.url]


def test_an_undeclared_article_in_short_paragraphs_under_a_big_menu_is_kept() -> None:
    menu = "".join(f"<li><a href='/s/{k}'>Section number {k} of the big site menu</a></li>" for k in range(80))
    paras = "".join(f"<p>The mayor said on Monday that the bridge in ward {w} would stay shut until spring.</p>"
                    for w in "north south east west central upper lower old new river".split())
    parsed = parse_html(f"<html><head><title>Bridge stays shut</title></head><body><nav><ul>{menu}</ul></nav>"
                        f"<div class='story'><h1>Bridge stays shut</h1>{paras}</div></body></html>", "bridge.html")
    assert parsed.kind == "html" and parsed.record["text"].count("\n\n") == 9
    assert "Section number" not in parsed.record["text"]


def test_a_manifest_date_overrides_the_pages_own_date(site: dict, tmp_path: Path) -> None:
    truth = site["truth"]
    first, second = truth["file"].iloc[0], truth["file"].iloc[1]
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,url,published\n{first},,2020-01-02\n", encoding="utf-8")
    import warnings

    with warnings.catch_warnings():  # "no manifest entry" for the other pages
        warnings.simplefilter("ignore")
        arts = corpus.read_corpus(site["pages"], manifest=manifest).articles.set_index("origin")
    assert str(arts.loc[first, "published"])[:10] == "2020-01-02"
    assert str(arts.loc[second, "published"])[:10] == truth["published"].iloc[1]  # no entry: the page's own date
    assert arts.loc[first, "url"] == truth["url"].iloc[0]  # an empty manifest cell leaves the page's URL


def test_parse_command_takes_the_fast_extractor(site: dict, tmp_path: Path, capsys: pytest.CaptureFixture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from newsscope.cli import main
    from newsscope.parsing import html as html_mod

    calls = []
    real = html_mod._fast_body
    monkeypatch.setattr(html_mod, "_fast_body", lambda text: calls.append(1) or real(text))
    tables = {}
    for name in ("default", "fast"):
        out = tmp_path / f"{name}.jsonl"
        before = len(calls)
        assert main(["parse", str(site["pages"]), "--extractor", name, "--out", str(out), "--no-progress"]) == 0
        tables[name] = pd.read_json(out, lines=True).set_index("origin").sort_index()
        # resiliparse extracts every body with --extractor fast, and none by default
        assert len(calls) - before == (len(tables[name]) if name == "fast" else 0)
    default, fast = tables["default"], tables["fast"]
    assert list(fast.index) == list(default.index) and len(default) == len(site["result"].articles)
    assert (fast["title"] == default["title"]).all() and (fast["url"] == default["url"]).all()
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["parse", str(site["pages"]), "--extractor", "quick"])
    assert exc.value.code == 2
    assert "invalid choice: 'quick'" in capsys.readouterr().err
