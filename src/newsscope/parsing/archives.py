"""Compressed files and ZIP archives: every member an input, with limits against bombs.

``.gz``, ``.bz2`` and ``.xz`` copies are decompressed incrementally and never past
:data:`~newsscope.parsing.decode.MAX_BYTES` (a decompression bomb is ``too large``, read no
further); a copy cut short keeps what decompressed, with a warning, and one that gives nothing
is ``corrupt``. A ``.zip`` gives one input per member (origin ``archive.zip!path/in/zip``);
members are read against the same limit (the size the archive claims is not trusted), folders
and hidden members are not inputs, an archive without members is ``empty``.
"""

from __future__ import annotations

import bz2
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from newsscope.parsing.decode import MAX_BYTES

__all__ = ["COMPRESSED_SUFFIXES", "Input", "decompress", "iter_zip", "strip_compression"]

#: Compression suffixes read transparently (the name without it says what the content is).
COMPRESSED_SUFFIXES: dict[str, str] = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}
#: At most this many members of one ZIP archive are read (the rest are accounted ``too large``).
MAX_MEMBERS = 100_000


@dataclass
class Input:
    """One input of the accounting: bytes to parse, or an outcome decided already.

    Attributes
    ----------
    origin : str
        ``path``, ``archive.zip!member`` or ``crawl.warc.gz#offset=N``.
    name : str
        The file name that says what the bytes are (compression suffix removed).
    data : bytes or None
        The content (None when ``outcome`` is set).
    n_bytes : int
        Size of the input as stored (compressed size for a compressed file).
    outcome, reason, detail : str
        Set when the input is decided without parsing (``rejected`` or ``skipped``).
    url, charset, capture : str or None
        From a web archive: the target URI, the HTTP charset and the capture date (ISO 8601).
    html : bool
        The content is known to be HTML (HTTP ``Content-Type``).
    warnings : list of str
        What reading it had to guess or repair.
    """

    origin: str
    name: str = ""
    data: bytes | None = None
    n_bytes: int = 0
    outcome: str = ""
    reason: str = ""
    detail: str = ""
    url: str | None = None
    charset: str | None = None
    capture: str | None = None
    html: bool = False
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)


def strip_compression(name: str) -> tuple[str, str | None]:
    """Return ``(name without the compression suffix, compression)`` (None: not compressed)."""
    lower = name.lower()
    for suffix, kind in COMPRESSED_SUFFIXES.items():
        if lower.endswith(suffix):
            return name[: -len(suffix)], kind
    return name, None


def _decompressor(kind: str):  # noqa: ANN202 - zlib/bz2/lzma objects share the interface used here
    if kind == "gzip":
        return zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
    if kind == "bzip2":
        return bz2.BZ2Decompressor()
    return lzma.LZMADecompressor()


def decompress(data: bytes, kind: str, limit: int = MAX_BYTES) -> tuple[bytes | None, str, str, list[str]]:
    """Decompress ``data`` (all members) without producing more than ``limit`` bytes.

    Returns
    -------
    (bytes or None, str, str, list of str)
        The content, the rejection reason and detail (``too large``, ``corrupt``, ``empty``;
        empty strings when readable) and warnings (a truncated copy).
    """
    out: list[bytes] = []
    total = 0
    rest = data
    warnings: list[str] = []
    while rest:
        d = _decompressor(kind)
        try:
            chunk = d.decompress(rest, limit + 1 - total)  # output short of the cap: all input consumed
            out.append(chunk)
            total += len(chunk)
        except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError) as exc:
            if not total:
                return None, "corrupt", f"not valid {kind} data ({exc})", []
            warnings.append(f"{kind} data corrupt after {total:,} decompressed bytes ({exc}); the readable part is used")
            break
        if total > limit:
            return None, "too large", f"decompresses to more than {limit:,} bytes (limit against decompression bombs); not read further", []
        if not d.eof:
            warnings.append(f"{kind} file truncated (capture cut): {total:,} bytes decompressed; the readable part is used")
            break
        rest = d.unused_data
        if kind == "gzip" and rest and not rest.startswith(b"\x1f\x8b"):
            break  # trailing garbage after the last member
    content = b"".join(out)
    if not content and not warnings:
        return None, "empty", f"{kind} file with no content", []
    if not content:
        return None, "corrupt", f"{kind} data cut short or damaged before any content could be decompressed", []
    return content, "", "", warnings


def iter_zip(source: str | bytes, origin: str, limit: int = MAX_BYTES) -> Iterator[Input]:
    """Yield one :class:`Input` per member of a ZIP archive, a path or its bytes (see the module docstring)."""
    import io
    import os

    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    try:
        zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield Input(origin, n_bytes=size, outcome="rejected", reason="corrupt", detail=f"not a readable ZIP archive ({exc})")
        return
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir() and not any(p.startswith(".") or p == "__MACOSX" for p in m.filename.split("/"))]
        if not members:
            yield Input(origin, n_bytes=size, outcome="rejected", reason="empty", detail="a ZIP archive with no files")
            return
        for k, m in enumerate(sorted(members, key=lambda m: m.filename)):
            sub = f"{origin}!{m.filename}"
            if k >= MAX_MEMBERS:
                yield Input(sub, n_bytes=m.compress_size, outcome="rejected", reason="too large", detail=f"more than {MAX_MEMBERS:,} members in the archive")
                continue
            if m.flag_bits & 0x1:
                yield Input(sub, n_bytes=m.compress_size, outcome="rejected", reason="unreadable", detail="encrypted ZIP member")
                continue
            try:
                with zf.open(m) as fh:
                    data = fh.read(limit + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error, RuntimeError) as exc:
                yield Input(sub, n_bytes=m.compress_size, outcome="rejected", reason="corrupt", detail=f"unreadable ZIP member ({type(exc).__name__}: {exc})")
                continue
            if len(data) > limit:
                yield Input(sub, n_bytes=m.compress_size, outcome="rejected", reason="too large",
                            detail=f"decompresses to more than {limit:,} bytes (limit against decompression bombs)")
                continue
            yield Input(sub, name=m.filename, data=data, n_bytes=m.compress_size)
