"""Reading page files: size limit, binary sniffing, encoding detection and text normalisation.

:func:`read_page_file` turns a file into a :class:`PageFile`: either decoded, normalised text
(with warnings about anything that had to be guessed) or a rejection with one of the reasons
in :data:`REJECTION_REASONS`. It never raises on file *content*; operating-system errors
(permission denied, a file that vanished) become the rejection ``unreadable``.

Decoding, in order:

1. byte-order marks: UTF-32 and UTF-16 (LE/BE) and UTF-8 with BOM;
2. known binary formats by their magic number (PDF, PNG, ZIP/Office, gzip, ...) and NUL or
   control bytes (UTF-16 without BOM is recognised by its NUL pattern and decoded, with a
   warning);
3. strict UTF-8; a capture cut inside a multi-byte character loses that character (warning);
   a few stray invalid bytes in otherwise valid UTF-8 become U+FFFD (warning);
4. otherwise Windows-1252 (a superset of Latin-1 for printable text), accepted only when the
   result reads like Western-European text (warning); anything else is ``undecodable``.

Normalisation (:func:`normalize_text`): CRLF and lone CR become LF, Unicode line and paragraph
separators become LF, no-break and other odd spaces become a plain space, zero-width spaces and
stray BOMs are removed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field

__all__ = [
    "MAX_BYTES",
    "REJECTION_REASONS",
    "NON_PAGE_SUFFIXES",
    "PageFile",
    "read_page_file",
    "decode_bytes",
    "normalize_text",
]

#: Files larger than this (20 MiB = 20,971,520 bytes) are rejected as ``too large`` unread.
MAX_BYTES: int = 20 * 1024 * 1024

#: Every reason a file can be rejected for, in the order the accounting lists them.
REJECTION_REASONS: tuple[str, ...] = ("empty", "binary", "undecodable", "too large", "not a page", "unreadable",
                                      "no article text", "corrupt")

#: File name endings that are data, not pages: accounted as ``not a page`` without parsing.
NON_PAGE_SUFFIXES: dict[str, str] = {
    ".csv": "a CSV table", ".tsv": "a TSV table", ".json": "a JSON file", ".jsonl": "a JSON Lines table",
    ".ndjson": "a JSON Lines table", ".parquet": "a Parquet table", ".pq": "a Parquet table",
    ".xlsx": "a spreadsheet", ".xls": "a spreadsheet", ".ods": "a spreadsheet", ".xml": "an XML file",
    ".html": "an HTML file", ".htm": "an HTML file", ".pdf": "a PDF document", ".docx": "a Word document",
    ".doc": "a Word document", ".odt": "a text-processor document", ".rtf": "an RTF document",
    ".zip": "a ZIP archive", ".gz": "a compressed file", ".bz2": "a compressed file", ".xz": "a compressed file",
    ".7z": "an archive", ".tar": "an archive", ".png": "an image", ".jpg": "an image", ".jpeg": "an image",
    ".gif": "an image", ".webp": "an image", ".svg": "an image", ".ipynb": "a notebook", ".py": "source code",
    ".pkl": "a pickle", ".npy": "a NumPy array", ".npz": "NumPy arrays", ".sqlite": "a database", ".db": "a database",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "a gzip file"), (b"BZh", "a bzip2 file"), (b"\xfd7zXZ\x00", "an xz file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"PAR1", "a Parquet file"), (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (.doc/.xls)"), (b"SQLite format 3\x00", "an SQLite database"),
    (b"RIFF", "a RIFF media file"), (b"ID3", "an MP3 file"), (b"\x00\x00\x01\x00", "an icon"),
)

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 28, 29, 30)) + b"\x7f"
_ASCII_BYTES = bytes(range(128))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_CONTROL_TEXT_BYTES = bytes([*range(0, 9), *range(0x0E, 0x1C), 0x1F, 0x7F])
_CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")  # VT, FF, FS-RS become LF
_CP1252_UNDEFINED = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
_ODD_RE = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]")
_ODD_MAP = {0x0B: "\n", 0x0C: "\n", 0x1C: "\n", 0x1D: "\n", 0x1E: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n",
            0x200B: "", 0x2060: "", 0xFEFF: ""}
_ODD_MAP.update({c: " " for c in (0xA0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B))})
_ODD_TABLE = str.maketrans(_ODD_MAP)


@dataclass(frozen=True)
class PageFile:
    """A file read for parsing: decoded text, or the reason it was rejected.

    Attributes
    ----------
    text : str or None
        Decoded, normalised text (None when rejected).
    encoding : str or None
        The encoding used (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``cp1252``, ...).
    n_bytes : int
        Size of the file in bytes.
    warnings : list of str
        What had to be guessed or repaired while decoding.
    reason : str or None
        Rejection reason (one of :data:`REJECTION_REASONS`) or None when readable.
    detail : str
        Human-readable explanation of the rejection.
    """

    text: str | None
    encoding: str | None
    n_bytes: int
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    detail: str = ""

    @property
    def rejected(self) -> bool:
        """True when the file was rejected."""
        return self.reason is not None


def _reject(n: int, reason: str, detail: str, encoding: str | None = None) -> PageFile:
    return PageFile(text=None, encoding=encoding, n_bytes=n, reason=reason, detail=detail)


def normalize_text(text: str) -> str:
    """Return ``text`` with unified line ends and odd spaces normalised.

    CRLF and lone CR become LF; vertical tab, form feed, NEL and the Unicode line/paragraph
    separators become LF; no-break, thin, ideographic and other odd spaces become a plain
    space; zero-width spaces, word joiners and stray byte-order marks are removed. Text that
    needs none of this is returned unchanged (a fast path: one scan, no copy).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        if "\x0b" in text or "\x0c" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text:
            text = text.translate(_ODD_TABLE)
        return text
    if _ODD_RE.search(text):
        text = text.translate(_ODD_TABLE)
    return text


def _sniff_utf16(data: bytes) -> str | None:
    """Return ``utf-16-le``/``utf-16-be`` when BOM-less UTF-16 is evident from NUL positions."""
    head = data[:8192]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.02:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.02:
        return "utf-16-be"
    return None


def _control_share(text: str) -> tuple[int, float]:
    n = len(_CONTROL_CHARS_RE.findall(text))
    return n, n / max(len(text), 1)


def _finish(text: str, encoding: str, n: int, warnings: list[str], controls: bool = True) -> PageFile:
    """Check a decoded text for control characters and emptiness, then normalise it.

    ``controls=False`` skips the control-character scan (the caller checked the bytes).
    """
    if controls and _CONTROL_CHARS_RE.search(text):  # most pages have no control characters at all
        n_ctrl, share = _control_share(text)
        if n_ctrl and ("\x00" in text or share > 0.01):
            return _reject(n, "binary", f"{n_ctrl} control characters after decoding as {encoding}", encoding)
        if n_ctrl:
            text = _CONTROL_CHARS_RE.sub("", text)
            warnings.append(f"{n_ctrl} stray control character(s) removed")
    text = normalize_text(text)
    if not text.strip():
        return _reject(n, "empty", f"only whitespace ({n} bytes)", encoding)
    return PageFile(text=text, encoding=encoding, n_bytes=n, warnings=warnings)


def _decode_bom(data: bytes, n: int) -> PageFile | None:
    for bom, enc in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            body, warnings = data[len(bom):], []
            unit = 4 if "32" in enc else 2
            if len(body) % unit:
                body = body[: len(body) - len(body) % unit]
                warnings.append(f"{enc} text ends with an incomplete character (capture cut); dropped")
            try:
                text = body.decode(enc)
            except UnicodeDecodeError as exc:
                return _reject(n, "undecodable", f"byte-order mark says {enc} but byte {exc.start + len(bom)} is invalid: {exc.reason}", enc)
            return _finish(text, enc, n, warnings)
    return None


def _has_control_bytes(data: bytes) -> bool:
    """True when ASCII-compatible bytes contain the control characters :func:`_finish` looks for."""
    return len(data.translate(None, _CONTROL_TEXT_BYTES)) != len(data)


def _decode_utf8(data: bytes, n: int, encoding: str) -> PageFile | None:
    """Decode UTF-8, tolerating a cut final character and a few stray bytes; None if not UTF-8."""
    try:
        return _finish(data.decode("utf-8"), encoding, n, [], controls=_has_control_bytes(data))
    except UnicodeDecodeError as exc:
        first = exc
    # A capture cut inside a multi-byte character: only the tail is incomplete.
    if first.reason == "unexpected end of data" and first.end == len(data):
        try:
            text = data[: first.start].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _finish(text, encoding, n, [f"text ends inside a multi-byte character (capture cut); {len(data) - first.start} byte(s) dropped"])
    replaced = data.decode("utf-8", errors="replace")
    n_bad = replaced.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    n_multi = len(replaced) - len(replaced.encode("ascii", "ignore")) - replaced.count("\ufffd")
    if encoding == "utf-8-sig" or (n_multi >= 2 * n_bad and n_bad <= max(3, len(data) // 2000)):
        return _finish(replaced, encoding, n, [f"{n_bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte {first.start})"])
    return None


def _decode_cp1252(data: bytes, n: int) -> PageFile:
    m = _CP1252_UNDEFINED.search(data)
    if m:
        return _reject(n, "undecodable", f"not UTF-8 (invalid byte at {m.start()}) and byte 0x{data[m.start()]:02x} is not a Windows-1252/Latin-1 character")
    text = data.decode("cp1252")
    high = data.translate(None, _ASCII_BYTES).decode("cp1252")  # only the non-ASCII characters
    non_ascii = sum(1 for ch in high if ch.isalpha())
    n_letters = len(data) - len(data.translate(None, _ASCII_LETTERS)) + non_ascii
    if not n_letters or non_ascii / n_letters > 0.25:
        share = f"{non_ascii / n_letters:.0%}" if n_letters else "no letters"
        return _reject(n, "undecodable", f"not UTF-8, and as Windows-1252 it does not read as text ({share} of letters non-ASCII): probably another encoding")
    label = "cp1252" if re.search(b"[\x80-\x9f]", data) else "latin-1"
    return _finish(text, label, n, [f"not UTF-8: decoded as {'Windows-1252' if label == 'cp1252' else 'Latin-1'}"])


def decode_bytes(data: bytes) -> PageFile:
    """Decode the bytes of a page file (see the module docstring for the rules).

    Parameters
    ----------
    data : bytes
        The file content.

    Returns
    -------
    PageFile
        Decoded text with warnings, or a rejection (``empty``, ``binary``, ``undecodable``).
    """
    n = len(data)
    if n == 0:
        return _reject(0, "empty", "0 bytes")
    bom = _decode_bom(data, n)
    if bom is not None:
        return bom
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_utf8(data[3:], n, "utf-8-sig")  # type: ignore[return-value]
    head = data[:4096]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return _reject(n, "binary", f"looks like {what}")
    if b"\x00" in head or b"\x00" in data:
        enc = _sniff_utf16(data)
        if enc is not None:
            body = data[: n - n % 2]
            try:
                text = body.decode(enc)
            except UnicodeDecodeError:
                return _reject(n, "binary", "contains NUL bytes")
            warnings = [f"no byte-order mark: decoded as {enc} from its NUL-byte pattern"]
            if n % 2:
                warnings.append("text ends with an incomplete character (capture cut); dropped")
            return _finish(text, enc, n, warnings)
        return _reject(n, "binary", f"contains {data.count(0)} NUL byte(s)")
    ctrl = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if ctrl > max(8, len(head) // 100):
        return _reject(n, "binary", f"{ctrl} control bytes in the first {len(head)} bytes")
    if data.isascii():
        return _finish(data.decode("ascii"), "utf-8", n, [], controls=_has_control_bytes(data))
    utf8 = _decode_utf8(data, n, "utf-8")
    if utf8 is not None:
        return utf8
    return _decode_cp1252(data, n)


def read_page_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> PageFile:
    """Read and decode one page file; never raises for bad content.

    Parameters
    ----------
    path : path-like
        The file.
    max_bytes : int
        Files larger than this are rejected as ``too large`` without being read.

    Returns
    -------
    PageFile
        The decoded text with its warnings, or the rejection reason and detail. Files whose
        name ends in one of :data:`NON_PAGE_SUFFIXES` are rejected as ``not a page``.
    """
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix in NON_PAGE_SUFFIXES:
        what = NON_PAGE_SUFFIXES[suffix]
        hint = "; tables load with load_corpus(path), a manifest goes to --manifest" if suffix in {".csv", ".tsv", ".jsonl", ".json", ".parquet", ".pq"} else ""
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        return _reject(size, "not a page", f"{what} by its name ({suffix}){hint}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if os.path.isdir(path):
            return _reject(0, "not a page", "a folder")
        return _reject(0, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # FIFO, device, socket: never read (it could block)
            return _reject(0, "not a page", "not a regular file")
        n = st.st_size
        if n > max_bytes:
            return _reject(n, "too large", f"{n:,} bytes > limit of {max_bytes:,} bytes")
        chunks = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, max(n + 1, 65536)))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        return _reject(0, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # grew since fstat
        return _reject(len(data), "too large", f"more than {max_bytes:,} bytes")
    return decode_bytes(data)
