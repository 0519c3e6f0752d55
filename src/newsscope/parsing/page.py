"""One page of text -> one article record: dispatch between the parsers, and line roles.

:func:`parse_text` decides what a text is — an aggregator page with header, a header-less
capture (recognised by its footer), HTML (rejected: ``not a page``), plain text (fallback) —
and returns the record together with the *role* of every line. :func:`explain_page` shows
those roles as a table, to see why a line went where it went.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from newsscope.schema import make_doc_id
from newsscope.parsing.boilerplate import HEADER_LINES, is_footer_line, is_wall_line, line_key, looks_like_html
from newsscope.parsing.decode import normalize_text
from newsscope.parsing.inkl import Fields, find_header, parse_inkl
from newsscope.parsing.plain import parse_plain

__all__ = ["ROLES", "ParsedPage", "split_lines", "parse_text", "parse_page", "explain_page"]

#: Every role a line can have, and where it ends up.
ROLES: dict[str, str] = {
    "blank": "nothing (empty line)",
    "header": "nothing (aggregator header boilerplate)",
    "footer": "nothing (sign-up wall and aggregator chrome; sets paywalled)",
    "boilerplate": "nothing (Updated stamp or newsletter promotion inside the body)",
    "source": "source",
    "section": "section",
    "authors": "authors (people only)",
    "title": "title",
    "alt": "nothing of its own: a photo's alt text repeated by its caption",
    "caption": "captions",
    "caption+credit": "captions (text) and image_credits (credit)",
    "credit": "image_credits",
    "body": "text",
    "unplaced": "warnings (an uncertain header line, quoted)",
    "rejected": "nothing: the whole text was rejected",
}


@dataclass
class ParsedPage:
    """A parsed text: the article record, the role of each line, and how it was read.

    Attributes
    ----------
    record : dict
        One article record with the keys of ``newsscope.schema.ARTICLE_COLUMNS``.
    lines : list of str
        The whitespace-collapsed lines the roles refer to.
    roles : list of str
        One role per line (see :data:`ROLES`).
    kind : str
        ``inkl``, ``inkl-headerless``, ``plain`` or ``rejected``.
    reason, detail : str or None
        The rejection reason and explanation when ``kind == "rejected"``.
    """

    record: dict[str, Any]
    lines: list[str]
    roles: list[str]
    kind: str
    reason: str | None = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def split_lines(text: str, normalized: bool = False) -> list[str]:
    """Return the page's lines, each stripped with inner runs of whitespace collapsed.

    ``normalized=True`` skips :func:`~newsscope.parsing.decode.normalize_text` (already done).
    """
    if not normalized:
        text = normalize_text(text)
    lines = text.split("\n")
    if "  " in text or "\t" in text or " \n" in text or "\n " in text or text[:1].isspace() or text[-1:].isspace():
        return [" ".join(line.split()) for line in lines]
    return lines


def _record(fields: Fields, origin: str, warnings: list[str]) -> dict[str, Any]:
    return {
        "doc_id": make_doc_id(origin, fields.title, fields.text),
        "origin": origin,
        "source": fields.source,
        "url": None,
        "published": None,
        "section": fields.section,
        "authors": fields.authors,
        "title": fields.title,
        "standfirst": None,
        "captions": fields.captions,
        "image_credits": fields.image_credits,
        "dateline": None,
        "text": fields.text,
        "paywalled": fields.paywalled,
        "warnings": warnings,
    }


def _is_header_fragment(lines: list[str]) -> bool:
    """True when the text is the first header lines only, the last one possibly cut short."""
    keys = [line_key(x) for x in lines[:8] if x]
    if not keys or len(keys) > len(HEADER_LINES) or len(keys) != sum(1 for x in lines if x):
        return False
    *full, last = keys
    return all(k == h for k, h in zip(full, HEADER_LINES)) and HEADER_LINES[len(full)].startswith(last)


def _has_footer(lines: list[str]) -> bool:
    """True when the page ends with the sign-up wall, or with two or more footer lines."""
    seen = 0
    for line in reversed(lines[-40:]):
        if not line:
            continue
        if is_wall_line(line):
            return True
        if is_footer_line(line):
            seen += 1
            if seen >= 2:
                return True
            continue
        if seen == 0:
            # the wall may sit above unrecognised chrome: look a little further
            continue
        return False
    return False


def parse_text(text: str, origin: str = "", warnings: list[str] | None = None, normalized: bool = False) -> ParsedPage:
    """Parse the text of one page; never raises.

    Parameters
    ----------
    text : str
        The page text (any line ends; odd spaces are normalised here).
    origin : str
        Where the text came from (goes into ``origin`` and the ``doc_id``).
    warnings : list of str, optional
        Warnings gathered before parsing (e.g. from decoding), placed first.
    normalized : bool
        The text already went through :func:`~newsscope.parsing.decode.normalize_text`.

    Returns
    -------
    ParsedPage
        ``kind == "rejected"`` with ``reason`` ``empty`` (nothing but whitespace or
        boilerplate) or ``not a page`` (HTML/XML markup); otherwise the parsed record.
    """
    pre = list(warnings or [])
    try:
        return _parse_text(text, origin, pre, normalized)
    except Exception as exc:  # a parser bug must not end the run: reject this page, say why
        lines = text.split("\n") if isinstance(text, str) else []
        return ParsedPage(_record(Fields(), origin, pre), lines, ["rejected"] * len(lines), "rejected",
                          "not a page", f"parser error {type(exc).__name__}: {exc} (please report)")


def _parse_text(text: str, origin: str, pre: list[str], normalized: bool) -> ParsedPage:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    lines = split_lines(text, normalized)
    roles: list[str | None] = [None] * len(lines)
    if not any(lines):
        return ParsedPage(_record(Fields(), origin, pre), lines, ["blank"] * len(lines), "rejected", "empty", "only whitespace")
    if looks_like_html(text):
        return ParsedPage(_record(Fields(), origin, pre), lines, ["rejected"] * len(lines), "rejected", "not a page",
                          "HTML/XML markup, not page text (save the page as text first)")
    if _is_header_fragment(lines):
        return ParsedPage(_record(Fields(), origin, pre), lines, ["header" if x else "blank" for x in lines], "rejected", "empty",
                          "only the beginning of the aggregator header (capture cut in the header)")
    header = find_header(lines)
    if header is not None:
        kind, fields = "inkl", parse_inkl(lines, roles, header)
    elif _has_footer(lines):
        kind, fields = "inkl-headerless", parse_inkl(lines, roles, None)
    else:
        kind, fields = "plain", parse_plain(lines, roles)
    final = [r if r is not None else "blank" for r in roles]
    record = _record(fields, origin, pre + fields.warnings)
    if not fields.title and not fields.text:
        has_meta = fields.source or fields.section or fields.authors
        detail = "only aggregator boilerplate" + (" and header lines (source/section/author)" if has_meta else "") + ": no title or body"
        return ParsedPage(record, lines, final, "rejected", "empty", detail)
    return ParsedPage(record, lines, final, kind)


def parse_page(text: str, origin: str = "") -> dict[str, Any]:
    """Parse the text of one page into an article record.

    Parameters
    ----------
    text : str
        The page text.
    origin : str
        Where it came from (file path relative to the corpus root).

    Returns
    -------
    dict
        The keys of ``newsscope.schema.ARTICLE_COLUMNS``. A text that is not a page (empty,
        HTML) gives a record with empty title and text and a warning saying so.

    Examples
    --------
    >>> rec = parse_page(open("data/raw/inkl/000_10d6f3262a74e780.txt").read())  # doctest: +SKIP
    >>> rec["source"], rec["authors"], rec["paywalled"]  # doctest: +SKIP
    ('The Guardian - UK', ['Amy Hawkins'], True)
    """
    parsed = parse_text(text, origin)
    if parsed.kind == "rejected":
        parsed.record["warnings"] = parsed.record["warnings"] + [f"{parsed.reason}: {parsed.detail}"]
    return parsed.record


def explain_page(text: str) -> pd.DataFrame:
    """Return one row per line of a page: ``line`` (1-based), ``role``, ``goes_to`` and ``text``.

    Examples
    --------
    >>> explain_page("Get all your news in one place.\\n100’s of premium titles.\\nOne app.\\nStart reading\\n"
    ...              "TASS\\nTASS\\n\\nA title\\n\\nA body.").role.tolist()
    ['header', 'header', 'header', 'header', 'source', 'source', 'blank', 'title', 'blank', 'body']
    """
    parsed = parse_text(text)
    return pd.DataFrame({
        "line": range(1, len(parsed.lines) + 1),
        "role": parsed.roles,
        "goes_to": [ROLES.get(r, r) for r in parsed.roles],
        "text": parsed.lines,
    })
