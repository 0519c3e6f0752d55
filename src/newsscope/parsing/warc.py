"""Web archives (WARC, ARC): every record an input of the accounting.

A WARC's HTTP 200 responses with an HTML content type (and ``resource`` records of HTML)
become pages: the HTTP headers are stripped (chunked and compressed bodies decoded) and the
charset comes from the ``Content-Type`` header, else from the page. Every other record is
``skipped`` with its reason: ``warcinfo record``, ``request record``, ``metadata record``,
``revisit record`` (and the other WARC types), ``redirect`` (3xx, detail: the target),
``HTTP error`` (4xx, 5xx and other non-200 codes), ``not HTML`` (detail: the content type).
A record that cannot be read is ``rejected: corrupt`` and reading resumes at the next record
(the next gzip member or ``WARC/1.x`` line), so the records around it still count.

Reader: fastwarc for WARC (several times faster than warcio here, see ``benchmarks/README.md``);
warcio for ARC, which fastwarc does not read. Origins are ``crawl.warc.gz#offset=N`` (the
record's byte offset), so a big file can be read in ranges of records with the same result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from newsscope.parsing.archives import Input
from newsscope.parsing.decode import MAX_BYTES

__all__ = ["WARC_SUFFIXES", "is_web_archive", "iter_warc", "record_offsets"]

#: File name endings read as web archives.
WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")
_SKIP_TYPES = {"warcinfo": "warcinfo record", "request": "request record", "metadata": "metadata record",
               "revisit": "revisit record", "conversion": "conversion record", "continuation": "continuation record"}


def is_web_archive(name: str) -> bool:
    """True when ``name`` ends in ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz``."""
    return name.lower().endswith(WARC_SUFFIXES)


def _next_start(path: str, after: int, gz: bool) -> int | None:
    """The byte offset of the next record start after ``after`` (gzip member or WARC line)."""
    marks = (b"\x1f\x8b\x08",) if gz else (b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/0.", b"WARC/1.0\n")
    with open(path, "rb") as fh:
        pos = after
        while True:
            fh.seek(pos)
            block = fh.read(1 << 20)
            if not block:
                return None
            hits = [i for i in (block.find(m) for m in marks) if i >= 0]
            if hits:
                return pos + min(hits)
            if len(block) < (1 << 20):
                return None
            pos += len(block) - 16


def _is_cut(path: str, offset: int, gz: bool) -> bool:
    """True when the record at ``offset`` is the last and the file ends inside it."""
    import zlib

    with open(path, "rb") as fh:
        if not gz:
            fh.seek(max(offset, os.path.getsize(path) - 4))
            end = fh.read()
            return not end.endswith(b"\n") if path.lower().endswith(".arc") else end != b"\r\n\r\n"
        fh.seek(offset)
        d = zlib.decompressobj(wbits=31)
        while not d.eof:
            block = fh.read(1 << 20)
            if not block:
                return True
            try:
                d.decompress(block, 1 << 16)
                while d.unconsumed_tail and not d.eof:
                    d.decompress(d.unconsumed_tail, 1 << 16)
            except zlib.error:
                return True
        return False


def _classify(rtype: str, status: int | None, ctype: str, location: str | None) -> tuple[str, str] | None:
    """``(reason, detail)`` of a record that is not a page, or None for a page."""
    if rtype in _SKIP_TYPES:
        return _SKIP_TYPES[rtype], ""
    if rtype not in ("response", "resource"):
        return f"{rtype} record", ""
    if status is not None and status != 200:
        if 300 <= status < 400:
            return "redirect", f"HTTP {status}" + (f" to {location}" if location else "")
        return "HTTP error", f"HTTP {status}"
    mime = ctype.split(";", 1)[0].strip().lower()
    if mime and mime not in _HTML_TYPES:
        return "not HTML", f"content type {mime}"
    return None


def _fast_records(path: str, lo: int, hi: int | None, origin: str) -> Iterator[Input | tuple[int, Exception]]:
    from fastwarc import ArchiveIterator

    with open(path, "rb") as fh:
        fh.seek(lo)
        current: int | None = None
        try:
            for rec in ArchiveIterator(fh, parse_http=True, auto_decode="all"):
                current = pos = rec.stream_pos
                if hi is not None and pos >= hi:
                    return
                rtype = str(rec.record_type).rsplit(".", 1)[-1].lower()
                uri = rec.headers.get("WARC-Target-URI")
                where = f"{origin}#offset={pos}"
                status = rec.http_headers.status_code if rec.is_http else None
                ctype = (rec.http_content_type or "") if rec.is_http else (rec.headers.get("Content-Type") or "")
                skip = _classify(rtype, status, ctype, rec.http_headers.get("Location") if rec.is_http else None)
                length = rec.content_length
                if skip is not None:
                    current = None
                    yield Input(where, n_bytes=length, outcome="skipped", reason=skip[0], detail=skip[1], url=uri)
                    continue
                if length > MAX_BYTES + 65536:
                    current = None
                    yield Input(where, n_bytes=length, outcome="rejected", reason="too large", detail=f"{length:,} bytes > limit of {MAX_BYTES:,} bytes", url=uri)
                    continue
                data = rec.reader.read()
                charset = rec.http_charset if rec.is_http else None
                date = rec.headers.get("WARC-Date")
                current = None
                yield Input(where, name=uri or "", data=data, n_bytes=length, url=uri, charset=charset, capture=date,
                            html=bool(ctype))
        except Exception as exc:  # a corrupt record: the caller resumes after it
            yield (current, exc)


def _warcio_records(path: str, lo: int, hi: int | None, origin: str) -> Iterator[Input | tuple[int | None, Exception]]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        fh.seek(lo)
        try:
            it = ArchiveIterator(fh, arc2warc=True)
            for rec in it:
                uri = rec.rec_headers.get_header("WARC-Target-URI")
                http = rec.http_headers
                status = int(http.get_statuscode()) if http is not None and (http.get_statuscode() or "").isdigit() else None
                ctype = (http.get_header("Content-Type") if http is not None else rec.rec_headers.get_header("Content-Type")) or ""
                skip = _classify(rec.rec_type, status, ctype, http.get_header("Location") if http is not None else None)
                length = int(rec.rec_headers.get_header("Content-Length") or 0)
                data = rec.content_stream().read(MAX_BYTES + 1) if skip is None else None
                pos = it.get_record_offset()  # warcio knows it once the record is read
                if hi is not None and pos >= hi:
                    return
                where = f"{origin}#offset={pos}"
                if skip is not None:
                    yield Input(where, n_bytes=length, outcome="skipped", reason=skip[0], detail=skip[1], url=uri)
                    continue
                if len(data) > MAX_BYTES:  # type: ignore[arg-type]
                    yield Input(where, n_bytes=length, outcome="rejected", reason="too large", detail=f"more than {MAX_BYTES:,} bytes", url=uri)
                    continue
                charset = None
                if "charset=" in ctype.lower():
                    charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
                yield Input(where, name=uri or "", data=data, n_bytes=length, url=uri, charset=charset,
                            capture=rec.rec_headers.get_header("WARC-Date"), html=bool(ctype))
        except Exception as exc:
            yield (None, exc)


def iter_warc(path: str, origin: str, lo: int = 0, hi: int | None = None) -> Iterator[Input]:
    """Yield one :class:`~newsscope.parsing.archives.Input` per record of a web archive.

    Parameters
    ----------
    path : str
        The ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz`` file.
    origin : str
        Its origin (records get ``origin#offset=N``).
    lo, hi : int
        Read the records starting at byte offsets in ``[lo, hi)`` (``lo`` must be a record
        start, see :func:`record_offsets`); default: all.
    """
    lower = path.lower()
    gz = lower.endswith(".gz")
    reader = _warcio_records if lower.endswith((".arc", ".arc.gz")) else _fast_records
    size = os.path.getsize(path)
    if size == 0:
        yield Input(origin, n_bytes=0, outcome="rejected", reason="empty", detail="an empty web archive (0 bytes)")
        return
    start: int | None = lo
    n = 0
    while start is not None and (hi is None or start < hi):
        failure = None
        last: int | None = None  # the last record read in this round
        held: Input | None = None  # one record held back: the last one may be cut short
        for item in reader(path, start, hi, origin):
            if isinstance(item, tuple):
                failure = item
                break
            n += 1
            last = int(item.origin.rsplit("#offset=", 1)[1])
            if held is not None:
                yield held
            held = item
        if failure is None and held is not None and hi is None and last is not None and _is_cut(path, last, gz):
            held.warnings.append("the web archive ends inside this record (file cut short); the readable part is used")
            if held.data is None and held.outcome == "skipped":
                held.detail = (held.detail + "; " if held.detail else "") + "record cut short"
        if held is not None:
            yield held
        if failure is None:  # the readers stop quietly before a cut record: is there a record start left?
            tail = _next_start(path, (last if last is not None else start - 1) + 1, gz)
            if tail is None or (hi is not None and tail >= hi):
                break
            failure = (tail, EOFError("the file ends inside this record (truncated)"))
        current, exc = failure
        if current is not None:
            bad = current
        elif last is None:
            bad = start
        else:
            bad = _next_start(path, last + 1, gz) or last + 1
        nxt = _next_start(path, bad + 1, gz)
        resume = f"; reading resumed at byte {nxt}" if nxt is not None else "; no readable record after it"
        if hi is None or bad < hi:
            yield Input(f"{origin}#offset={bad}", n_bytes=(nxt or size) - bad, outcome="rejected", reason="corrupt",
                        detail=f"unreadable web-archive record ({type(exc).__name__}: {exc}){resume}")
            n += 1
        start = nxt
    if n == 0 and lo == 0:
        yield Input(origin, n_bytes=size, outcome="rejected", reason="empty", detail="a web archive without records")


def record_offsets(path: str) -> list[int]:
    """The byte offsets of the records of a web archive (for reading it in ranges)."""
    out = []
    for item in iter_warc(path, ""):
        if "#offset=" in item.origin:
            out.append(int(item.origin.rsplit("#offset=", 1)[1]))
    return out
