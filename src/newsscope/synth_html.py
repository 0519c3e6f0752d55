"""Synthetic saved web pages (HTML) and web archives, with known answers.

:func:`render_html` renders one article as a news site would serve it: navigation, a
headline, a byline, a lead figure with caption and credit, body paragraphs, related links,
a newsletter box, a footer — in one of three site templates (:data:`TEMPLATES`) that declare
their metadata differently (JSON-LD with ``@graph``, Open Graph and ``article:*`` meta tags,
a date only in the URL), in several charsets (UTF-8, ISO-8859-1, Windows-1252, and a page
whose ``<meta charset>`` says Latin-1 while the bytes are UTF-8) and with paywall variants
(JSON-LD ``isAccessibleForFree: false`` with a cut body and a sign-up box).
:func:`generate_html_pages` writes N pages over a span of days with the expected fields of
each in ``truth.jsonl``; :func:`write_warc` packs pages into a WARC with the records a crawler
writes around them (warcinfo, requests, a redirect, an error, an image, a revisit, a second
capture of a page).

Layout of ``out_dir``::

    pages/<outlet-slug>/<yyyy-mm-dd>-<n>.html ...   the pages
    truth.jsonl                                     expected fields of every page
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope.synth_articles import invented_names

__all__ = ["TEMPLATES", "CHARSETS", "HtmlPage", "render_html", "generate_html_pages", "write_warc", "read_html_truth"]

#: Site templates: outlet name -> host, and how the page declares its metadata.
TEMPLATES: dict[str, dict[str, str]] = {
    "The Daily Planet": {"host": "www.dailyplanet.example", "style": "jsonld"},
    "Metro Herald": {"host": "metroherald.example", "style": "opengraph"},
    "Wire Post": {"host": "news.wirepost.example", "style": "graph"},
}
#: Charset variants and their default weights (``lying``: meta says ISO-8859-1, bytes are UTF-8).
CHARSETS: dict[str, float] = {"utf-8": 0.7, "iso-8859-1": 0.1, "windows-1252": 0.1, "lying": 0.1}
_SECTIONS = ("World", "Politics", "Business", "Science", "Environment")
_CREDITS = ("Ludovic Marin/AFP/Getty Images", "Reuters", "AP Photo", "EPA", "Alamy")
_NEWSLETTER = {"The Daily Planet": "Sign up to First Edition, our free daily newsletter, every weekday morning at 7am.",
               "Metro Herald": "Get the Metro Herald briefing in your inbox: the stories that matter, every evening.",
               "Wire Post": "Follow Wire Post on social media for the latest updates on this story."}


@dataclass
class HtmlPage:
    """One rendered page: its bytes and the fields a correct parser returns for it."""

    data: bytes
    url: str
    truth: dict[str, Any] = field(default_factory=dict)


def _paragraphs(text: str, rng: np.random.Generator) -> list[str]:
    import re

    sents = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", " ".join(str(text).split())) if s]
    out, i = [], 0
    while i < len(sents):
        k = int(rng.integers(1, 4))
        out.append(" ".join(sents[i:i + k]))
        i += k
    return out


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _chrome_top(outlet: str, host: str, rng: np.random.Generator) -> str:
    links = "".join(f'<li><a href="https://{host}/{s.lower()}">{s}</a></li>' for s in ("Home",) + _SECTIONS)
    return (f'<header class="site-header"><div class="logo"><a href="https://{host}/">{_e(outlet)}</a></div>'
            f'<nav class="main-nav"><ul>{links}</ul></nav>'
            '<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div></header>')


def _related(host: str, titles: list[str]) -> str:
    items = "".join(f'<li><a href="https://{host}/story/{k}">{_e(t)}</a></li>' for k, t in enumerate(titles))
    return f'<aside class="related"><h2>Most read</h2><ul>{items}</ul></aside>'


def _footer(outlet: str) -> str:
    return (f'<footer><p>© 2024 {_e(outlet)}. All rights reserved.</p><ul><li><a href="/about">About us</a></li>'
            '<li><a href="/privacy">Privacy policy</a></li><li><a href="/cookies">Cookie settings</a></li>'
            '<li><a href="/contact">Contact</a></li></ul></footer>')


def render_html(article: dict[str, Any], outlet: str, published: date, rng: np.random.Generator, *,
                charset: str = "utf-8", paywall: bool = False, related: list[str] | None = None,
                authors: list[str] | None = None, serial: int = 0) -> HtmlPage:
    """Render one article as a page of ``outlet`` (one of :data:`TEMPLATES`).

    Returns
    -------
    HtmlPage
        Bytes in ``charset``, the page URL and the truth: title, text (paragraphs separated by a
        blank line), published (ISO date), source, url, section, authors, standfirst, captions,
        image_credits, paywalled, charset.
    """
    tpl = TEMPLATES[outlet]
    host, style = tpl["host"], tpl["style"]
    title = " ".join(str(article["title"]).split())
    paras = _paragraphs(article["text"], rng)
    if len(paras) < 3:
        paras = paras + ["The ministry said further details would be published in the coming days."] * (3 - len(paras))
    section = _SECTIONS[int(rng.integers(len(_SECTIONS)))]
    authors = authors or []
    slug = "-".join("".join(c for c in w.lower() if c.isalnum()) for w in title.split()[:8]).strip("-") or "story"
    url = f"https://{host}/{section.lower()}/{published:%Y/%m/%d}/{slug}-{serial}"
    standfirst = paras[0][:140].rsplit(" ", 1)[0] + " …" if len(paras[0]) > 140 else paras[0]
    standfirst = f"{section} briefing: {standfirst}"
    credit = _CREDITS[int(rng.integers(len(_CREDITS)))]
    caption = f"A scene from the story reported in {section.lower()}, {published:%d %B %Y}."
    shown = paras[:2] if paywall else paras
    when = f"{published.isoformat()}T{int(rng.integers(6, 22)):02d}:{int(rng.integers(60)):02d}:00+00:00"
    people = [{"@type": "Person", "name": a} for a in authors]
    head = [f'<meta charset="{ "iso-8859-1" if charset == "lying" else charset}">',
            f"<title>{_e(title)} | {_e(outlet)}</title>",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<link rel="canonical" href="{url}">', f'<meta name="description" content="{_e(standfirst)}">']
    if style in ("opengraph", "jsonld"):
        head += [f'<meta property="og:site_name" content="{_e(outlet)}">', '<meta property="og:type" content="article">',
                 f'<meta property="og:title" content="{_e(title)}">', f'<meta property="og:url" content="{url}">',
                 f'<meta property="article:section" content="{section}">']
    if style == "opengraph":
        head += [f'<meta property="article:published_time" content="{when}">']
        head += [f'<meta name="author" content="{_e(a)}">' for a in authors]
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title, "datePublished": when,
          "dateModified": (published + timedelta(days=1)).isoformat() + "T09:00:00+00:00", "author": people,
          "articleSection": section, "publisher": {"@type": "Organization", "name": outlet}, "mainEntityOfPage": url}
    if paywall:
        ld["isAccessibleForFree"] = False
        ld["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywall"}
    if style == "jsonld":
        head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    elif style == "graph":
        graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": outlet, "url": f"https://{host}/"}, ld]}
        head.append(f'<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>')
        head.append(f'<meta property="og:site_name" content="{_e(outlet)}">')
    byline = " and ".join(authors)
    body = [_chrome_top(outlet, host, rng), '<main><article class="story">', f'<h1 class="headline">{_e(title)}</h1>',
            f'<p class="standfirst">{_e(standfirst)}</p>' if style != "graph" else "",
            f'<div class="byline">By <a rel="author" href="/profile/x">{_e(byline)}</a></div>' if authors else "",
            f'<time datetime="{when}">{published:%d %B %Y}</time>' if style != "graph" else "",
            f'<figure class="lead"><img src="https://{host}/img/{serial}.jpg" alt="{_e(caption)}">'
            f'<figcaption><span class="caption">{_e(caption)}</span> <span class="credit">Photograph: {_e(credit)}</span></figcaption></figure>',
            '<div class="article-body">']
    for k, p in enumerate(shown):
        body.append(f"<p>{_e(p)}</p>")
        if k == 1 and not paywall and outlet == "Metro Herald":  # a promotion between paragraphs, as a plain paragraph
            body.append(f"<p><strong>{_e(_NEWSLETTER[outlet])}</strong></p>")
        if k == 1 and not paywall and len(shown) > 3:
            body.append(f'<aside class="inline-related"><a href="https://{host}/story/r{serial}">Read more: {_e((related or ["Other news"])[0])}</a></aside>')
    if paywall:
        body.append('<div class="paywall"><h2>Subscribe to continue reading</h2><p>Already a subscriber? <a href="/login">Log in</a></p></div>')
    elif outlet == "The Daily Planet":  # a promotion closing every free article, as a plain paragraph
        body.append(f"<p><em>{_e(_NEWSLETTER[outlet])}</em></p>")
    else:
        body.append(f'<p class="newsletter-promo"><em>{_e(_NEWSLETTER[outlet])}</em></p>')
    body += ["</div>", '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>',
             "</article>", _related(host, related or []), "</main>", _footer(outlet)]
    doc = (f'<!DOCTYPE html>\n<html lang="en-GB"><head>{"".join(head)}</head>\n<body>\n' + "\n".join(x for x in body if x)
           + "\n</body></html>\n")
    if charset in ("utf-8", "lying"):
        data = doc.encode("utf-8")
    else:
        data = doc.encode(charset, errors="xmlcharrefreplace")
    truth = {"title": title, "text": "\n\n".join(shown), "published": published.isoformat(), "source": outlet, "url": url,
             "section": section, "authors": list(authors), "standfirst": standfirst, "captions": [caption],
             "image_credits": [credit], "paywalled": paywall, "charset": charset, "newsletter": _NEWSLETTER[outlet]}
    return HtmlPage(data, url, truth)


def generate_html_pages(articles: pd.DataFrame, out_dir: str | Path, n: int, seed: int = 0, *, days: int = 30,
                        start: str = "2024-03-01", outlets: list[str] | None = None, paywall_share: float = 0.1,
                        charsets: dict[str, float] | None = None) -> pd.DataFrame:
    """Write ``n`` HTML pages drawn from ``articles`` over ``days`` days; return the truth table.

    Parameters
    ----------
    articles : pandas.DataFrame
        Columns ``title`` and ``text`` (e.g. ``load_corpus("builtin:news100")``).
    out_dir : str or Path
        Pages go to ``out_dir/pages/<outlet>/``; the truth to ``out_dir/truth.jsonl``.
    n : int
        Number of pages.
    seed : int
        Random seed (same seed, same bytes).
    days, start : int, str
        Publication dates are spread over ``days`` days from ``start``.
    outlets : list of str, optional
        Site templates to use (default: all of :data:`TEMPLATES`), in turn.
    paywall_share : float
        Share of pages cut by a sign-up wall.
    charsets : dict, optional
        Charset variant -> weight (default :data:`CHARSETS`).

    Returns
    -------
    pandas.DataFrame
        One row per page: ``file`` (relative to ``out_dir/pages``) and the truth fields.
    """
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    outlets = outlets or list(TEMPLATES)
    cs = charsets or CHARSETS
    names, weights = list(cs), np.array(list(cs.values()), dtype=float)
    first = invented_names(40, seed)
    last = invented_names(40, seed + 1)
    rows = articles[["title", "text"]].reset_index(drop=True)
    d0 = date.fromisoformat(start)
    truth = []
    for i in range(n):
        art = rows.iloc[i % len(rows)].to_dict()
        outlet = outlets[i % len(outlets)]
        published = d0 + timedelta(days=int(rng.integers(days)))
        k = int(rng.choice([0, 1, 1, 1, 2]))
        authors = [f"{first[int(rng.integers(40))]} {last[int(rng.integers(40))]}" for _ in range(k)]
        charset = names[int(rng.choice(len(names), p=weights / weights.sum()))]
        related = [str(rows.iloc[int(j)]["title"]) for j in rng.integers(len(rows), size=4)]
        page = render_html(art, outlet, published, rng, charset=charset, paywall=bool(rng.random() < paywall_share),
                           related=related, authors=authors, serial=i)
        rel = f"{TEMPLATES[outlet]['host'].split('.')[-2]}/{published.isoformat()}-{i:05d}.html"
        path = out / "pages" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page.data)
        truth.append({"file": rel, **page.truth})
    df = pd.DataFrame(truth)
    df.to_json(out / "truth.jsonl", orient="records", lines=True, force_ascii=False)
    return df


def read_html_truth(out_dir: str | Path) -> pd.DataFrame:
    """Read ``truth.jsonl`` written by :func:`generate_html_pages`."""
    return pd.read_json(Path(out_dir) / "truth.jsonl", lines=True, dtype=False)


def write_warc(path: str | Path, pages: list[HtmlPage], *, extras: bool = True, gzip: bool = True,
               recapture: int | None = 0) -> dict[str, str]:
    """Write ``pages`` into a WARC as HTTP 200 responses, with the records a crawler adds.

    Parameters
    ----------
    path : str or Path
        The ``.warc`` or ``.warc.gz`` file.
    pages : list of HtmlPage
    extras : bool
        Also write a warcinfo record, a request before every response, a redirect (301), an
        error (404), an image, a metadata and a revisit record.
    gzip : bool
        One gzip member per record.
    recapture : int, optional
        Index of a page captured a second time, later, with a changed last paragraph.

    Returns
    -------
    dict
        What each extra URL is (``redirect``, ``error``, ``image``, ``recaptured``).
    """
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def ts(k: int) -> str:
        return f"2024-04-01T10:{k // 60 % 60:02d}:{k % 60:02d}Z"

    info: dict[str, str] = {}
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gzip)
        if extras:
            w.write_record(w.create_warcinfo_record(Path(path).name, {"software": "newsscope synth_html", "format": "WARC File Format 1.1"}))
        k = 0
        for page in pages:
            if extras:
                req = StatusAndHeaders(f"GET /{page.url.split('/', 3)[-1]} HTTP/1.1", [("Host", page.url.split("/")[2])], is_http_request=True)
                w.write_record(w.create_warc_record(page.url, "request", http_headers=req, warc_headers_dict={"WARC-Date": ts(k)}))
            charset = page.truth.get("charset", "utf-8")
            ctype = "text/html" if charset == "lying" else f"text/html; charset={charset}"
            hdr = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Server", "nginx")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(page.url, "response", payload=io.BytesIO(page.data), http_headers=hdr,
                                                warc_headers_dict={"WARC-Date": ts(k)}))
            k += 1
        if extras and pages:
            host = pages[0].url.split("/")[2]
            for code, url, headers, payload, what in (
                ("301 Moved Permanently", f"https://{host}/old-story", [("Location", pages[0].url), ("Content-Type", "text/html")], b"<html>moved</html>", "redirect"),
                ("404 Not Found", f"https://{host}/missing", [("Content-Type", "text/html")], b"<html><body>Not found</body></html>", "error"),
                ("200 OK", f"https://{host}/img/logo.png", [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n" + bytes(64), "image"),
            ):
                hdr = StatusAndHeaders(code, headers, protocol="HTTP/1.1")
                w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=hdr,
                                                    warc_headers_dict={"WARC-Date": ts(k)}))
                info[url] = what
                k += 1
            w.write_record(w.create_warc_record(pages[0].url, "metadata", payload=io.BytesIO(b"outlinks: 12\n"),
                                                warc_content_type="application/warc-fields", warc_headers_dict={"WARC-Date": ts(k)}))
            rv = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w.write_record(w.create_revisit_record(pages[-1].url, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                                   refers_to_uri=pages[-1].url, refers_to_date=ts(0), http_headers=rv))
        if recapture is not None and pages:
            page = pages[recapture]
            newer = page.data.replace(b"</div>\n<div class=\"share\">", b"<p>This story has been updated with a statement from the ministry.</p></div>\n<div class=\"share\">", 1)
            hdr = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(page.url, "response", payload=io.BytesIO(newer), http_headers=hdr,
                                                warc_headers_dict={"WARC-Date": "2024-04-02T08:00:00Z"}))
            info[page.url] = "recaptured"
    return info
