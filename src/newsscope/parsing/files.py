"""Files and folders of pages -> the article table, with an accounting of every file.

Folders are searched recursively in sorted order; hidden files and folders (name starting
with ``.``) are skipped, symbolic links to folders are not followed. Every other file is an
input and ends in exactly one outcome:

``parsed``
    an article without warnings;
``parsed_with_warnings``
    an article, with what the decoder or parser was unsure about in ``warnings``;
``rejected``
    no article, with a reason: ``empty``, ``binary``, ``undecodable``, ``too large``
    (over 20 MiB, or decompressing to more), ``not a page`` (tables such as ``.csv``
    manifests, JSON, images, ...; see :data:`newsscope.parsing.decode.NON_PAGE_SUFFIXES`),
    ``unreadable`` (an operating-system error such as permission denied), ``no article text``
    (an HTML page without an article: a home or index page) or ``corrupt`` (a broken archive,
    compressed file or web-archive record);
``skipped``
    a web-archive record that is not a page (request, warcinfo, metadata and revisit records,
    redirects, HTTP errors, content that is not HTML) or a ``duplicate capture`` of a URL
    captured again later (the latest capture is the article).

HTML pages, compressed copies, ZIP archives (one input per member, origin
``archive.zip!member``) and web archives (one input per record, origin
``crawl.warc.gz#offset=N``) are read by :mod:`newsscope.parsing.inputs`.

A file reached twice (named directly and inside a named folder) is counted once. Files listed
in ``exclude`` (e.g. the manifest passed with ``--manifest``) are not inputs and not counted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newsscope.schema import ARTICLE_COLUMNS, conform_articles
from newsscope.parsing.decode import REJECTION_REASONS
from newsscope.parsing.inputs import HTML_SUFFIXES, Input, iter_inputs, parse_input

__all__ = ["ParseResult", "OUTCOMES", "ACCOUNTING_COLUMNS", "CAPTURE_COLUMNS", "list_page_files", "parse_paths", "parse_parts", "resolve_captures",
           "duplicate_captures", "drop_captures",
           "summarize_accounting"]

_CONTAINER_SUFFIXES = HTML_SUFFIXES + (".zip", ".gz", ".bz2", ".xz", ".warc", ".arc")
OUTCOMES: tuple[str, ...] = ("parsed", "parsed_with_warnings", "rejected", "skipped")
#: Columns of :attr:`ParseResult.captures`: the web-archive captures behind articles.
CAPTURE_COLUMNS: list[str] = ["origin", "url", "capture"]
ACCOUNTING_COLUMNS: list[str] = ["origin", "outcome", "reason", "detail", "bytes", "encoding", "kind"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})


@dataclass
class ParseResult:
    """The outcome of parsing a set of page files.

    Attributes
    ----------
    articles : pandas.DataFrame
        The article table (``newsscope.corpus.ARTICLE_COLUMNS``), one row per parsed file.
    rejected : pandas.DataFrame
        ``origin``, ``reason``, ``detail``: one row per rejected file.
    accounting : pandas.DataFrame
        One row per input (file, archive member, web-archive record): ``origin``, ``outcome``
        (parsed, parsed_with_warnings, rejected, skipped), ``reason`` (rejection or skip
        reason, else empty), ``detail`` (its detail or the warnings joined by `` | ``),
        ``bytes``, ``encoding`` and ``kind`` (inkl, inkl-headerless, plain, html, html-inkl,
        or empty when rejected or skipped).
    captures : pandas.DataFrame
        ``origin``, ``url``, ``capture`` (WARC-Date) of the articles read from web archives:
        what :func:`resolve_captures` needs to keep one article per URL.
    """

    articles: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: _empty(["origin", "reason", "detail"]))
    accounting: pd.DataFrame = field(default_factory=lambda: _empty(ACCOUNTING_COLUMNS))
    captures: pd.DataFrame = field(default_factory=lambda: _empty(CAPTURE_COLUMNS))

    def summary(self) -> str:
        """Return the accounting as printable text (see :func:`summarize_accounting`)."""
        return summarize_accounting(self.accounting)


def _walk(folder: str) -> Iterable[str]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path)
        else:
            yield entry.path


def list_page_files(paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Return the input files under ``paths`` (recursive, sorted, hidden skipped, no duplicates).

    Raises
    ------
    FileNotFoundError
        When a path does not exist (a usage error, not a bad input).
    """
    return [Path(p) for p in _list_files(paths, exclude)]


def _list_files(paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()) -> list[str]:
    skip: set[str] = set()
    for p in exclude:
        skip.update({os.path.abspath(p), os.path.realpath(p)})
    seen: set[str] = set()
    out: list[str] = []
    for p in paths:
        path = os.fspath(p)
        if not os.path.lexists(path):
            raise FileNotFoundError(f"{path}: no such file or folder")
        candidates = _walk(path) if os.path.isdir(path) else [path]
        for f in candidates:
            key = os.path.abspath(f)
            if key in skip or key in seen:
                continue
            seen.add(key)
            out.append(key)
    return out


def _default_root(paths: list[Path]) -> Path:
    bases = [os.path.abspath(p if p.is_dir() else p.parent) for p in paths]
    return Path(os.path.commonpath(bases)) if bases else Path.cwd()


def _origin(absolute: str, prefix: str) -> str:
    """Path relative to the root (``prefix`` = root + separator), forward slashes."""
    rel = absolute[len(prefix):] if absolute.startswith(prefix) else absolute
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def parse_paths(paths: list[Path], root: Path | None = None, progress: bool = False,
                exclude: Iterable[str | os.PathLike[str]] = (), extractor: str = "default", resolve: bool = True) -> ParseResult:
    """Parse page files and folders into the article table, accounting for every file.

    Parameters
    ----------
    paths : list of Path
        Files and folders (searched recursively; see the module docstring).
    root : Path, optional
        Origins are file paths relative to this folder, with forward slashes. Default: the
        common folder of ``paths`` (a single folder: the folder itself; a single file: its
        folder, so the origin is the file name). Files outside ``root`` get their absolute path.
    progress : bool
        Show a progress bar on stderr.
    exclude : iterable of path-like
        Files that are not inputs (the manifest), skipped and not accounted.
    extractor : {"default", "fast"}
        The HTML body extractor (see :mod:`newsscope.parsing.html`).
    resolve : bool
        Keep one article per URL captured more than once (:func:`resolve_captures`); engines
        that parse in partitions resolve once after joining.

    Returns
    -------
    ParseResult

    Raises
    ------
    FileNotFoundError
        When one of ``paths`` does not exist. Bad *content* never raises.
    """
    paths = [Path(p) for p in paths]
    files = _list_files(paths, exclude=exclude)
    root = Path(os.path.abspath(root)) if root is not None else _default_root(paths)
    prefix = os.path.join(str(root), "")
    iterator: Iterable[str] = files
    if progress:
        from tqdm import tqdm

        iterator = tqdm(files, desc="parsing pages", unit="file", file=sys.stderr, mininterval=0.5)
    outcomes = [out for path in iterator for out in _parse_file(path, _origin(path, prefix), extractor)]
    return resolve_captures(_assemble(outcomes)) if resolve else _assemble(outcomes)


def _parse_file(path: str, origin: str, extractor: str = "default", lo: int = 0, hi: int | None = None) -> list:
    """The outcomes of one file (one per input); a bug must not end the run: account it, say why."""
    if not (lo or hi) and not path.lower().endswith(_CONTAINER_SUFFIXES):  # a page file: the common case, no detour
        try:
            return [parse_input(Input(origin), path, extractor)]
        except Exception as exc:
            return [parse_input(Input(origin, outcome="rejected", reason="unreadable",
                                      detail=f"internal error {type(exc).__name__}: {exc} (please report)"))]
    out = []
    try:
        items = iter_inputs(path, origin) if not (lo or hi) else _warc_range(path, origin, lo, hi)
        for item in items:
            try:
                out.append(parse_input(item, path, extractor))
            except Exception as exc:
                out.append(parse_input(Input(item.origin, n_bytes=item.n_bytes, outcome="rejected", reason="unreadable",
                                             detail=f"internal error {type(exc).__name__}: {exc} (please report)")))
    except Exception as exc:
        out.append(parse_input(Input(origin, outcome="rejected", reason="unreadable",
                                     detail=f"internal error {type(exc).__name__}: {exc} (please report)")))
    return out


def parse_parts(parts: list[tuple[str, int, int | None]], root: Path, extractor: str = "default") -> ParseResult:
    """Parse files, or byte ranges of records of web archives, without resolving captures.

    ``parts`` are ``(absolute path, lo, hi)``; ``(path, 0, None)`` is the whole file. Joined in
    order and passed to :func:`resolve_captures`, the result is that of :func:`parse_paths`.
    """
    prefix = os.path.join(str(Path(os.path.abspath(root))), "")
    return _assemble([out for path, lo, hi in parts for out in _parse_file(path, _origin(path, prefix), extractor, lo, hi)])


def _warc_range(path: str, origin: str, lo: int, hi: int | None):  # noqa: ANN202
    from newsscope.parsing.warc import iter_warc

    return iter_warc(path, origin, lo, hi)


def _assemble(outcomes: list) -> ParseResult:
    records = [o.record for o in outcomes if o.record is not None]
    rejected = [o.row[:4:] for o in outcomes if o.row[1] == "rejected"]
    rejected = [(r[0], r[2], r[3]) for r in rejected]
    acc = [o.row for o in outcomes]
    caps = [(o.record["origin"], o.url, o.capture) for o in outcomes if o.record is not None and o.capture]
    articles = conform_articles(pd.DataFrame.from_records(records, columns=ARTICLE_COLUMNS)) if records else \
        conform_articles(pd.DataFrame({c: [] for c in ARTICLE_COLUMNS}))
    rej = pd.DataFrame(rejected, columns=["origin", "reason", "detail"]) if rejected else _empty(["origin", "reason", "detail"])
    accounting = pd.DataFrame(acc, columns=ACCOUNTING_COLUMNS) if acc else _empty(ACCOUNTING_COLUMNS)
    accounting["bytes"] = accounting["bytes"].astype("int64")
    captures = pd.DataFrame(caps, columns=CAPTURE_COLUMNS) if caps else _empty(CAPTURE_COLUMNS)
    return ParseResult(articles=articles, rejected=rej, accounting=accounting, captures=captures)


def _url_key(url: str | None) -> str:
    u = (url or "").split("#", 1)[0].strip()
    scheme, sep, rest = u.partition("://")
    return (scheme.lower().replace("https", "http") + sep + rest) if sep else u


def resolve_captures(result: ParseResult) -> ParseResult:
    """Keep one article per captured URL: the latest capture; the others become ``skipped: duplicate capture``.

    Captures are compared on the WARC-Target-URI (fragment dropped, ``https`` = ``http``);
    equal capture dates keep the last in input order. Idempotent; returns ``result`` changed.
    """
    if len(result.captures) < 2:
        return result
    dropped = duplicate_captures(result.captures, set(result.articles["origin"]))
    return drop_captures(result, dropped)


def duplicate_captures(captures: pd.DataFrame, present: set[str] | None = None) -> dict[str, str]:
    """The captures to drop, each mapped to the origin of the capture kept for its URL.

    Parameters
    ----------
    captures : pandas.DataFrame
        ``origin``, ``url``, ``capture`` of every article read from web archives, in input order
        (e.g. the ``captures`` of several partitions, concatenated in partition order).
    present : set of str, optional
        Origins that are still articles (others are ignored).
    """
    caps = captures if present is None else captures[captures["origin"].isin(present)]
    keys = [_url_key(u) for u in caps["url"]]
    latest: dict[str, tuple[str, str]] = {}
    for origin, key, when in zip(caps["origin"], keys, caps["capture"]):
        if key and (key not in latest or str(when) >= latest[key][1]):
            latest[key] = (origin, str(when))
    return {origin: latest[key][0] for origin, key in zip(caps["origin"], keys) if key and latest[key][0] != origin}


def drop_captures(result: ParseResult, dropped: dict[str, str]) -> ParseResult:
    """Remove the articles of ``dropped`` captures and account them as ``skipped: duplicate capture``."""
    if not dropped:
        return result
    result.articles = result.articles[~result.articles["origin"].isin(dropped)].reset_index(drop=True)
    acc = result.accounting
    hit = acc["origin"].isin(dropped).to_numpy()
    if hit.any():
        acc.loc[hit, "outcome"] = "skipped"
        acc.loc[hit, "reason"] = "duplicate capture"
        acc.loc[hit, "detail"] = [f"the URL was captured again later: the article is {dropped[o]}" for o in acc.loc[hit, "origin"]]
        acc.loc[hit, "kind"] = ""
    return result


def summarize_accounting(accounting: pd.DataFrame) -> str:
    """Return the accounting as text: files seen, parsed, with warnings, rejected by reason.

    Examples
    --------
    >>> acc = pd.DataFrame({"outcome": ["parsed", "rejected"], "reason": ["", "empty"]})
    >>> print(summarize_accounting(acc))
    files seen:                 2
      parsed:                   1
      parsed with warnings:     0
      rejected:                 1
        empty:                  1
    """
    counts = accounting["outcome"].value_counts() if len(accounting) else pd.Series(dtype="int64")
    w = max(2, len(str(len(accounting))))
    lines = [f"{'files seen:':<27}{len(accounting):>{w}}"]
    for outcome, label in (("parsed", "parsed:"), ("parsed_with_warnings", "parsed with warnings:"), ("rejected", "rejected:"),
                           ("skipped", "skipped:")):
        if outcome == "skipped" and not counts.get(outcome, 0):
            continue  # only web archives skip records
        lines.append(f"  {label:<25}{int(counts.get(outcome, 0)):>{w}}")
        if outcome not in ("rejected", "skipped"):
            continue
        rej = accounting.loc[accounting["outcome"] == outcome, "reason"] if len(accounting) else pd.Series(dtype="object")
        by_reason = rej.value_counts()
        order = list(REJECTION_REASONS) + sorted(set(by_reason.index) - set(REJECTION_REASONS))
        for reason in order:
            if reason in by_reason.index:
                lines.append(f"    {reason + ':':<23}{int(by_reason[reason]):>{w}}")
    return "\n".join(lines)
