"""Saved web pages (HTML) -> one article record, from the page's own metadata.

The body and the metadata come from trafilatura (with htmldate for the date) in one pass over
one parsed tree: :func:`parse_html` decodes the bytes (:func:`decode_html`), parses them once
with lxml, reads what trafilatura does not give from that tree (JSON-LD ``isAccessibleForFree``
and ``articleSection``, ``article:section``, figure captions and credits, the declared
language, sign-up walls) and hands the same tree to ``trafilatura.bare_extraction``.

Fields: ``text`` (paragraphs separated by one blank line), ``title``, ``authors`` (through
:func:`~newsscope.parsing.authors.split_authors`: people only), ``published`` (the page's
publication date; a full date in the URL wins when the page disagrees, with a warning),
``source`` (site name, else the host), ``url`` (canonical / og:url / the capture's URL),
``section`` (only where declared), ``standfirst`` (description), ``captions`` and
``image_credits`` (figures), ``paywalled`` (JSON-LD ``isAccessibleForFree: false`` or a
sign-up wall). A field the page does not give stays empty; one that looks wrong is left empty
with a warning. A page saved from the inkl aggregator goes through the inkl parser once its
text is extracted.

Extractors: ``default`` (trafilatura with its own default settings) and ``fast``
(resiliparse's main-content text with the same metadata; about an order of magnitude faster,
quality in ``benchmarks/README.md``).
"""

from __future__ import annotations

import codecs
import copy
import json
import logging
import re
from datetime import date
from functools import lru_cache
from typing import Any

from lxml import etree

from newsscope.parsing.authors import split_authors
from newsscope.parsing.boilerplate import split_credit
from newsscope.parsing.decode import PageFile, decode_bytes, normalize_text

__all__ = ["EXTRACTORS", "HTML_KINDS", "decode_html", "parse_html", "url_date", "html_to_lines"]

#: The body extractors: ``default`` (trafilatura) and ``fast`` (resiliparse).
EXTRACTORS: tuple[str, ...] = ("default", "fast")
#: ``kind`` values of HTML pages in the accounting.
HTML_KINDS: tuple[str, ...] = ("html", "html-inkl")

for _name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)  # their "discarding data" lines are our rejections

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{2,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:+-]{2,40})""", re.IGNORECASE)
_LATIN = {"iso-8859-1", "latin-1", "latin1", "cp1252", "windows-1252", "iso8859-1", "us-ascii", "ascii", "iso-8859-15"}
_URL_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12][0-9]|3[01])(?![0-9])")
_URL_DATE_SEP = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([/_-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12][0-9]|3[01])(?![0-9])")
_MONTHS = {m: k for k, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_URL_DATE_MONTH = re.compile(r"/((?:19|20)[0-9]{2})/(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*/([0-3]?[0-9])(?![0-9])",
                             re.IGNORECASE)
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "opinionnewsarticle",
                  "backgroundnewsarticle", "reviewnewsarticle", "report", "scholarlyarticle", "socialmediaposting", "liveblogposting"}
_WALL_CLASS = re.compile(r"paywall|regwall|registration-wall|subscriber-only|meter-wall|subscribe-wall|article-locked",
                         re.IGNORECASE)
_WALL_TEXT = re.compile(r"^(?:subscribe|sign up|sign in|log in|register|become a (?:member|subscriber))\b.{0,60}\b(?:to (?:continue|keep|read)|"
                        r"reading|full (?:article|story|access))|^this (?:article|content|story) is (?:for|available to|only available to) "
                        r"(?:subscribers|members)|^already a subscriber\?|^to continue reading", re.IGNORECASE)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline|photographer|source|attribution", re.IGNORECASE)
_CLASS_IDS = etree.XPath("//@class | //@id")
_BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "header", "footer",
               "blockquote", "figure", "figcaption", "ul", "ol", "table", "main", "aside", "nav", "pre", "dd", "dt"}


def _norm_charset(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """Return the charset a page declares (XML declaration or ``<meta charset>``), looked up."""
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def decode_html(data: bytes, http_charset: str | None = None) -> PageFile:
    """Decode an HTML page: byte-order mark, HTTP charset, ``<meta charset>``, else detected.

    A declaration that lies (``latin-1`` declared, the bytes valid UTF-8 with non-ASCII
    characters) is overruled by the bytes, with a warning; an unknown charset name falls back
    to detection (UTF-8, else Windows-1252), with a warning.

    Returns
    -------
    PageFile
        The decoded text (line ends and odd spaces normalised) or the rejection.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data)
    declared = http_charset or declared_charset(data)
    where = "the HTTP header" if http_charset else "the page"
    enc = _norm_charset(declared)
    if declared and enc is None:
        page = decode_bytes(data)
        if page.rejected:
            return page
        return PageFile(page.text, page.encoding, page.n_bytes, [f"unknown charset {declared!r} declared in {where}; decoded as {page.encoding}", *page.warnings])
    if enc is None or enc in ("utf-8", "ascii") or enc.replace("_", "-") in _LATIN or enc in ("cp1252", "latin-1", "iso8859-15"):
        page = decode_bytes(data)  # UTF-8 when the bytes are UTF-8, else Windows-1252
        if page.rejected or enc is None:
            return page
        got = page.encoding or ""
        warnings = list(page.warnings)
        if enc not in ("utf-8", "ascii") and got in ("cp1252", "latin-1"):
            warnings = [w for w in warnings if not w.startswith("not UTF-8: decoded as")]  # as declared: nothing guessed
        if enc in ("utf-8", "ascii") and got in ("cp1252", "latin-1"):
            warnings = [f"{where} declares {declared} but the bytes are not UTF-8; decoded as {'Windows-1252' if got == 'cp1252' else 'Latin-1'}"]
        elif enc not in ("utf-8", "ascii") and got.startswith("utf-8") and not data.isascii():
            warnings.append(f"{where} declares {declared} but the bytes are UTF-8; decoded as UTF-8")
        return PageFile(page.text, page.encoding, page.n_bytes, warnings)
    # another declared charset (Shift_JIS, KOI8-R, windows-1251, GB2312, ...)
    if data.isascii():
        return decode_bytes(data)
    try:
        text = data.decode(enc)
        warnings: list[str] = []
    except UnicodeDecodeError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode(enc, errors="replace")
            warnings = [f"{where} declares {declared}: {exc.end - exc.start}+ invalid byte(s) replaced by U+FFFD (first at byte {exc.start})"]
        else:
            page = decode_bytes(data)
            return PageFile(page.text, page.encoding, page.n_bytes, [f"{where} declares {declared} but the bytes are UTF-8; decoded as UTF-8"])
    text = normalize_text(text.replace("\x00", ""))
    if not text.strip():
        return PageFile(None, enc, len(data), reason="empty", detail=f"only whitespace ({len(data)} bytes)")
    return PageFile(text, enc, len(data), warnings)


def url_date(url: str | None, compact: bool = True) -> date | None:
    """Return the full date (year, month, day) a URL carries, else None.

    ``compact=False`` ignores eight digits without separators (``20230712``: maybe an id).

    Examples
    --------
    >>> url_date("https://www.theguardian.com/world/2023/jul/12/nato-tokyo-office")
    datetime.date(2023, 7, 12)
    >>> url_date("https://example.com/news/2023-07-12/story"), url_date("https://example.com/20230712-story")
    (datetime.date(2023, 7, 12), datetime.date(2023, 7, 12))
    """
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1]
    path = path[path.find("/"):] if "/" in path else ""
    m = _URL_DATE_MONTH.search(path)
    if m:
        try:
            found = date(int(m.group(1)), _MONTHS[m.group(2).lower()[:3]], int(m.group(3)))
            if found <= date.today():
                return found
        except ValueError:
            pass
    for rx in (_URL_DATE_SEP, _URL_DATE) if compact else (_URL_DATE_SEP,):
        for m in rx.finditer(path):
            y, mo, d = (int(m.group(1)), int(m.group(m.lastindex - 1)), int(m.group(m.lastindex)))
            try:
                found = date(y, mo, d)
            except ValueError:
                continue
            if found <= date.today():
                return found
    return None


def _text_of(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def html_to_lines(tree: Any) -> list[str]:
    """The visible text of a parsed page, one line per block element (for the inkl parser)."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buf).split())
        buf.clear()
        if line:
            out.append(line)

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "noscript", "template", "head"):
            if el.tail:
                buf.append(el.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    body = tree.find(".//body")
    walk(body if body is not None else tree)
    flush()
    return out


def _jsonld(tree: Any, warnings: list[str]) -> list[dict]:
    """The JSON-LD objects of a page, ``@graph`` flattened."""
    objs: list[dict] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            value = json.loads(script.text)
        except ValueError:
            warnings.append("a JSON-LD block is not valid JSON; ignored")
            continue
        stack = value if isinstance(value, list) else [value]
        while stack:
            v = stack.pop(0)
            if isinstance(v, dict):
                objs.append(v)
                graph = v.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
            elif isinstance(v, list):
                stack.extend(v)
    return objs


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    return {str(x).lower() for x in (t if isinstance(t, list) else [t]) if x}


def _free_flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("false", "true"):
        return value.strip().lower() == "true"
    return None


def _page_facts(tree: Any, warnings: list[str]) -> dict[str, Any]:
    """What trafilatura does not give: section, paywall, captions, credits, language, page type."""
    facts: dict[str, Any] = {"section": None, "paywalled": False, "captions": [], "credits": [], "language": None,
                             "article_ld": False, "og_type": None}
    articles = [o for o in _jsonld(tree, warnings) if _types(o) & _ARTICLE_TYPES]
    facts["article_ld"] = bool(articles)
    for obj in articles:
        free = _free_flag(obj.get("isAccessibleForFree"))
        parts = obj.get("hasPart")
        for part in parts if isinstance(parts, list) else [parts] if isinstance(parts, dict) else []:
            if isinstance(part, dict) and _free_flag(part.get("isAccessibleForFree")) is False:
                free = False
        if free is False:
            facts["paywalled"] = True
        sec = obj.get("articleSection")
        if isinstance(sec, list):
            sec = next((s for s in sec if isinstance(s, str) and s.strip()), None)
        if isinstance(sec, str) and sec.strip() and facts["section"] is None:
            facts["section"] = " ".join(sec.split())
    head = tree.find(".//head")
    for meta in (head if head is not None else tree).iterfind(".//meta"):
        prop = (meta.get("property") or meta.get("name") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        if prop == "article:section" and facts["section"] is None:
            facts["section"] = content
        elif prop == "og:type":
            facts["og_type"] = content.lower()
        elif prop in ("og:locale", "content-language", "language") and facts["language"] is None:
            facts["language"] = content
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        facts["language"] = lang.strip()
    if facts["language"]:
        facts["language"] = facts["language"].replace("_", "-").split("-")[0].lower() or None
    for fig in tree.iterfind(".//figure"):
        cap_el = fig.find(".//figcaption")
        if cap_el is None:
            continue
        credit_text = ""
        for el in cap_el.iter():
            cls = (el.get("class") or "") + " " + (el.get("itemprop") or "")
            if el is not cap_el and _CREDIT_CLASS.search(cls):
                credit_text = _text_of(el)
                break
        full = _text_of(cap_el)
        caption = full
        if credit_text:
            caption = full.replace(credit_text, "").strip()
            credit = re.sub(r"^(?:photo(?:graph)?|image|picture|credit|illustration)s?\s*:\s*", "", credit_text, flags=re.IGNORECASE).strip(" ()[]")
        else:
            split = split_credit(full)
            credit = ""
            if split is not None:
                caption, credit = split
        if caption:
            facts["captions"].append(caption)
        if credit:
            facts["credits"].append(credit)
    if not facts["paywalled"] and _WALL_CLASS.search(" ".join(_CLASS_IDS(tree))):
        facts["paywalled"] = True
    return facts


def _paragraphs(text: str) -> str:
    lines = [" ".join(x.split()) for x in normalize_text(text).split("\n")]
    return "\n\n".join(x for x in lines if x)


def _host(url: str | None) -> str | None:
    if not url or "//" not in url:
        return None
    host = url.split("//", 1)[1].split("/", 1)[0].split("@")[-1].split(":")[0].lower()
    return (host[4:] if host.startswith("www.") else host) or None


def _wall_lines(text: str) -> tuple[str, bool]:
    """Remove sign-up-wall prompts at the end of the body; True when there was one."""
    paras = text.split("\n\n")
    cut = len(paras)
    while cut > 0 and len(paras[cut - 1]) < 200 and _WALL_TEXT.search(paras[cut - 1]):
        cut -= 1
    return "\n\n".join(paras[:cut]), cut < len(paras)


def _drop_heading(body: str, title: str) -> str:
    """Remove the headline and a ``By ...`` line repeated at the top of the body."""
    for _ in range(2):
        first, _sep, rest = body.partition("\n\n")
        if not rest:
            break
        words = first.split()
        if (title and " ".join(words).casefold() == title.casefold()) or (words[:1] in (["By"], ["by"]) and len(words) <= 12):
            body = rest
        else:
            break
    return body


def _link_share(text: str, tree: Any) -> float:
    """The share of the extracted text that repeats the page's link texts (of three words or more)."""
    body = tree.find(".//body")
    if body is None or not text:
        return 0.0
    flat = " ".join(text.split())
    covered = 0
    for a in body.iter("a"):
        t = " ".join("".join(a.itertext()).split())
        if t.count(" ") >= 2 and t in flat:
            covered += len(t)
    return covered / len(flat)


def _is_index_page(text: str, facts: dict[str, Any], tree: Any) -> bool:
    """A home or index page: no article type declared, and the text is mostly link texts (or a few words).

    Short paragraphs alone do not make an index: many articles are written in one-sentence
    paragraphs.
    """
    if facts["article_ld"] or facts["og_type"] == "article":
        return False
    return len(text.split()) < 40 or _link_share(text, tree) >= 0.5


@lru_cache(maxsize=4)
def _base_options(today: str) -> Any:
    """trafilatura's settings (its defaults, with metadata), made once a day."""
    from trafilatura.settings import Extractor, set_date_params

    return Extractor(output_format="python", with_metadata=True, date_params=set_date_params(True))


def _options(url: str | None, today: str) -> Any:
    """The settings for one page: the shared ones with the page's URL (a shallow copy)."""
    opts = _base_options(today)
    if url:
        opts = copy.copy(opts)
        opts.url = opts.source = url
    return opts


def _fast_body(html_text: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html_text)
    return extract_plain_text(tree, main_content=True, preserve_formatting=True, list_bullets=False,
                              alt_texts=False, links=False, form_fields=False, noscript=False)


def parse_html(text: str, origin: str = "", *, url: str | None = None, warnings: list[str] | None = None,
               extractor: str = "default") -> Any:
    """Parse one decoded HTML page into an article record; never raises.

    Parameters
    ----------
    text : str
        The page, decoded (see :func:`decode_html`).
    origin : str
        Where it came from (``origin`` and ``doc_id``).
    url : str, optional
        The URL it was captured from (WARC-Target-URI); the page's canonical URL wins.
    warnings : list of str, optional
        Warnings gathered before (decoding), placed first.
    extractor : {"default", "fast"}
        The body extractor (see the module docstring).

    Returns
    -------
    newsscope.parsing.page.ParsedPage
        ``kind`` ``html`` or ``html-inkl``; ``rejected`` with reason ``not a page`` (no HTML
        tree) or ``no article text`` (no body, or a home/index page).
    """
    from newsscope.parsing.page import ParsedPage, _record, parse_text
    from newsscope.parsing.inkl import Fields

    pre = list(warnings or [])
    try:
        return _parse_html(text, origin, url, pre, extractor)
    except Exception as exc:  # a bug must not end the run: reject this page, say why
        return ParsedPage(_record(Fields(), origin, pre), [], [], "rejected", "not a page",
                          f"HTML parser error {type(exc).__name__}: {exc} (please report)")


def _parse_html(text: str, origin: str, url: str | None, pre: list[str], extractor: str) -> Any:
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    from newsscope.parsing.inkl import Fields
    from newsscope.parsing.page import ParsedPage, _record, parse_text

    if extractor not in EXTRACTORS:
        raise ValueError(f"unknown extractor {extractor!r}; choose one of {EXTRACTORS}")

    def reject(reason: str, detail: str) -> ParsedPage:
        return ParsedPage(_record(Fields(), origin, pre), [], [], "rejected", reason, detail)

    if not text.strip():
        return reject("empty", "only whitespace")
    tree = load_html(text if "<" in text[:2000] else f"<html><body><pre>{text}</pre></body></html>")
    if tree is None:
        return reject("not a page", "no HTML document could be parsed from the markup")
    warnings = list(pre)
    head = text[:30000]
    if "news in one place" in head or "inkl.com" in head:
        lines = html_to_lines(tree)
        parsed = parse_text("\n".join(lines), origin, warnings)
        if parsed.kind in ("inkl", "inkl-headerless"):
            parsed.kind = "html-inkl"
            parsed.record["url"] = url
            return parsed
    facts = _page_facts(tree, warnings)
    if extractor == "fast":
        from trafilatura.metadata import extract_metadata
        from trafilatura.settings import set_date_params

        doc = extract_metadata(tree, url, set_date_params(False), True, None)
        body = _fast_body(text)
    else:
        doc = bare_extraction(tree, options=_options(url, date.today().isoformat()))
        body = doc.text if doc is not None else ""
    body = _paragraphs(body or "")
    body, wall = _wall_lines(body)
    body = _drop_heading(body, " ".join((doc.title or "").split()) if doc is not None else "")
    if doc is None or not body:
        return reject("no article text", "no article body found in the page")
    if _is_index_page(body, facts, tree):
        n = body.count("\n\n") + 1
        return reject("no article text", f"a home or index page ({n} short blocks, no article declared)")
    authors: list[str] = []
    for part in re.split(r"\s*;\s*", doc.author or ""):
        if not part:
            continue
        people, unknown = split_authors(part)
        authors.extend(p for p in people if p not in authors)
        if unknown:
            warnings.append(f"author {part!r}: not a person's name ({'; '.join(unknown)}); left out")
    page_url = doc.url or url
    published = doc.date
    in_url = url_date(page_url, compact=False) or url_date(url, compact=False)  # /2023/07/12/, 2023-07-12, /2023/jul/12/
    if in_url is None and not published:  # 20230712 could be an id: only when the page gives no date
        in_url = url_date(page_url) or url_date(url)
    if in_url is not None:
        if published and published[:10] != in_url.isoformat():
            warnings.append(f"page date {published[:10]} differs from the date in the URL {in_url.isoformat()}; the URL's date is used")
        published = in_url.isoformat()
    elif not published:
        warnings.append("no publication date found in the page")
    source = doc.sitename if doc.sitename and doc.sitename.lower() not in ("home", "homepage") else None
    source = source or _host(page_url)
    if not source:
        warnings.append("no site name or URL: source left empty")
    fields = Fields()
    fields.title = " ".join((doc.title or "").split())
    fields.text = body
    fields.source = source
    fields.section = facts["section"]
    fields.authors = authors
    fields.captions = facts["captions"]
    fields.image_credits = facts["credits"]
    fields.paywalled = bool(facts["paywalled"] or wall)
    record = _record(fields, origin, warnings)
    record["url"] = page_url
    record["published"] = published
    desc = " ".join((doc.description or "").split())
    record["standfirst"] = desc if desc and desc != fields.title and not body.startswith(desc[:80]) else (desc or None)
    return ParsedPage(record, [], [], "html", extra={"language": facts["language"]})
