"""One file -> its inputs (the file, the members of an archive, the records of a WARC) -> outcomes.

:func:`iter_inputs` decides what a file is by its name: a web archive (every record an input),
a ZIP archive (every member), a compressed copy (``.gz``/``.bz2``/``.xz``: decompressed within
limits, then read by its inner name), an HTML page (``.html``, ``.htm``, ``.xhtml``,
``.shtml``), else a page file read as today. :func:`parse_input` turns one input into an
accounting row and, when it is an article, its record: HTML by name, by HTTP content type or by
content (markup in any text file) goes to :func:`~newsscope.parsing.html.parse_html`; text to
:func:`~newsscope.parsing.page.parse_text`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newsscope.parsing.archives import Input, decompress, iter_zip, strip_compression
from newsscope.parsing.boilerplate import looks_like_html
from newsscope.parsing.decode import MAX_BYTES, NON_PAGE_SUFFIXES, PageFile, decode_bytes, read_page_file
from newsscope.parsing.html import decode_html, parse_html
from newsscope.parsing.page import parse_text
from newsscope.parsing.warc import is_web_archive, iter_warc

__all__ = ["HTML_SUFFIXES", "Outcome", "iter_inputs", "parse_input"]

#: File name endings read as HTML pages.
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".xhtml", ".shtml")
_NESTING = 2  # a compressed ZIP inside a ZIP: deeper nesting is not read


@dataclass
class Outcome:
    """One accounting row (``origin, outcome, reason, detail, bytes, encoding, kind``), its record and capture."""

    row: tuple
    record: dict[str, Any] | None = None
    url: str | None = None
    capture: str | None = None


def _read_bytes(path: str, origin: str) -> Input:
    page = None
    try:
        n = os.path.getsize(path)
        if n > MAX_BYTES:
            return Input(origin, n_bytes=n, outcome="rejected", reason="too large", detail=f"{n:,} bytes > limit of {MAX_BYTES:,} bytes")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        page = Input(origin, outcome="rejected", reason="unreadable", detail=f"{type(exc).__name__}: {exc.strerror or exc}")
    return page if page is not None else Input(origin, name=os.path.basename(path), data=data, n_bytes=len(data))


def _expand(item: Input, depth: int) -> Iterator[Input]:
    """An input read into memory (a file's or a member's bytes) -> itself, or its members."""
    inner, kind = strip_compression(item.name)
    if kind is not None and item.data is not None:
        data, reason, detail, warnings = decompress(item.data, kind)
        if data is None:
            yield Input(item.origin, n_bytes=item.n_bytes, outcome="rejected", reason=reason, detail=detail)
            return
        item = Input(item.origin, name=inner, data=data, n_bytes=item.n_bytes, warnings=item.warnings + warnings)
    if item.name.lower().endswith(".zip") and item.data is not None:
        if depth >= _NESTING:
            yield Input(item.origin, n_bytes=item.n_bytes, outcome="rejected", reason="not a page", detail="a ZIP archive nested too deep")
            return
        for member in iter_zip(item.data, item.origin):
            yield from _expand(member, depth + 1) if member.data is not None else [member]
        return
    if is_web_archive(item.name) and item.data is not None:
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".warc") as tmp:  # a WARC inside a ZIP or a .gz of another name
            tmp.write(item.data)
            tmp.flush()
            yield from iter_warc(tmp.name, item.origin)
        return
    yield item


def iter_inputs(path: str, origin: str) -> Iterator[Input]:
    """Yield the inputs of one file (see the module docstring); never raises for bad content."""
    lower = path.lower()
    if is_web_archive(lower):
        yield from iter_warc(path, origin)
        return
    if lower.endswith(".zip"):
        for member in iter_zip(path, origin):
            yield from _expand(member, 1) if member.data is not None else [member]
        return
    _inner, kind = strip_compression(lower)
    if kind is not None or lower.endswith(HTML_SUFFIXES):
        item = _read_bytes(path, origin)
        yield from _expand(item, 0) if item.data is not None else [item]
        return
    yield Input(origin, name=os.path.basename(path))  # a page file: read by read_page_file


def _row(item: Input, outcome: str, reason: str, detail: str, encoding: str = "", kind: str = "") -> tuple:
    return (item.origin, outcome, reason, detail, item.n_bytes, encoding, kind)


def _parsed(item: Input, parsed: Any, page: PageFile) -> Outcome:
    if parsed.kind == "rejected":
        return Outcome(_row(item, "rejected", parsed.reason, parsed.detail, page.encoding or ""))
    warnings = parsed.record["warnings"]
    return Outcome(_row(item, "parsed_with_warnings" if warnings else "parsed", "", " | ".join(warnings), page.encoding or "", parsed.kind),
                   parsed.record, item.url, item.capture)


def parse_input(item: Input, path: str | None = None, extractor: str = "default") -> Outcome:
    """Parse one input into its accounting row and record; never raises for bad content.

    Parameters
    ----------
    item : Input
        From :func:`iter_inputs`.
    path : str, optional
        The file on disk, for a page file not read yet.
    extractor : {"default", "fast"}
        The HTML body extractor (:data:`newsscope.parsing.html.EXTRACTORS`).
    """
    if item.outcome:
        return Outcome(_row(item, item.outcome, item.reason, item.detail))
    name = item.name.lower()
    if item.data is None:  # a page file
        page = read_page_file(path) if path is not None else PageFile(None, None, 0, reason="unreadable", detail="no data")
        item.n_bytes = page.n_bytes
        if page.rejected:
            return Outcome(_row(item, "rejected", page.reason or "", page.detail, page.encoding or ""))
        if looks_like_html(page.text):  # type: ignore[arg-type]
            return _parsed(item, parse_html(page.text, item.origin, warnings=page.warnings, extractor=extractor), page)  # type: ignore[arg-type]
        return _parsed(item, parse_text(page.text, item.origin, page.warnings, normalized=True), page)  # type: ignore[arg-type]
    is_html = item.html or name.endswith(HTML_SUFFIXES)
    suffix = os.path.splitext(name)[1]
    if not is_html and item.url is None and suffix in NON_PAGE_SUFFIXES:
        return Outcome(_row(item, "rejected", "not a page", f"{NON_PAGE_SUFFIXES[suffix]} by its name ({suffix})"))
    page = decode_html(item.data, item.charset) if is_html else decode_bytes(item.data)
    if page.rejected:
        return Outcome(_row(item, "rejected", page.reason or "", page.detail, page.encoding or ""))
    warnings = item.warnings + page.warnings
    if is_html or looks_like_html(page.text):  # type: ignore[arg-type]
        parsed = parse_html(page.text, item.origin, url=item.url, warnings=warnings, extractor=extractor)  # type: ignore[arg-type]
    else:
        parsed = parse_text(page.text, item.origin, warnings, normalized=True)  # type: ignore[arg-type]
        if item.url and parsed.kind != "rejected":
            parsed.record["url"] = item.url
    return _parsed(item, parsed, page)
