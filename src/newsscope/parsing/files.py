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
    (over 20 MiB), ``not a page`` (tables such as ``.csv`` manifests, JSON, HTML, images, ...;
    see :data:`newsscope.parsing.decode.NON_PAGE_SUFFIXES`) or ``unreadable`` (an
    operating-system error such as permission denied).

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
from newsscope.parsing.decode import REJECTION_REASONS, PageFile, read_page_file
from newsscope.parsing.page import parse_text

__all__ = ["ParseResult", "OUTCOMES", "ACCOUNTING_COLUMNS", "list_page_files", "parse_paths", "summarize_accounting"]

OUTCOMES: tuple[str, ...] = ("parsed", "parsed_with_warnings", "rejected")
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
        One row per input file: ``origin``, ``outcome`` (parsed, parsed_with_warnings,
        rejected), ``reason`` (rejection reason, else empty), ``detail`` (rejection detail or
        the warnings joined by `` | ``), ``bytes``, ``encoding`` and ``kind`` (inkl,
        inkl-headerless, plain, or empty when rejected).
    """

    articles: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: _empty(["origin", "reason", "detail"]))
    accounting: pd.DataFrame = field(default_factory=lambda: _empty(ACCOUNTING_COLUMNS))

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
                exclude: Iterable[str | os.PathLike[str]] = ()) -> ParseResult:
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
    records: list[dict] = []
    rejected: list[tuple[str, str, str]] = []
    acc: list[tuple] = []
    iterator: Iterable[str] = files
    if progress:
        from tqdm import tqdm

        iterator = tqdm(files, desc="parsing pages", unit="file", file=sys.stderr, mininterval=0.5)
    for path in iterator:
        origin = _origin(path, prefix)
        try:
            page = read_page_file(path)
        except Exception as exc:  # a bug must not end the run: account the file, say why
            page = PageFile(None, None, 0, reason="unreadable", detail=f"internal error {type(exc).__name__}: {exc} (please report)")
        if page.rejected:
            rejected.append((origin, page.reason, page.detail))  # type: ignore[arg-type]
            acc.append((origin, "rejected", page.reason, page.detail, page.n_bytes, page.encoding or "", ""))
            continue
        parsed = parse_text(page.text, origin, page.warnings, normalized=True)  # type: ignore[arg-type]
        if parsed.kind == "rejected":
            rejected.append((origin, parsed.reason, parsed.detail))  # type: ignore[arg-type]
            acc.append((origin, "rejected", parsed.reason, parsed.detail, page.n_bytes, page.encoding, ""))
            continue
        warnings = parsed.record["warnings"]
        records.append(parsed.record)
        acc.append((origin, "parsed_with_warnings" if warnings else "parsed", "", " | ".join(warnings),
                    page.n_bytes, page.encoding, parsed.kind))
    articles = conform_articles(pd.DataFrame.from_records(records, columns=ARTICLE_COLUMNS)) if records else \
        conform_articles(pd.DataFrame({c: [] for c in ARTICLE_COLUMNS}))
    rej = pd.DataFrame(rejected, columns=["origin", "reason", "detail"]) if rejected else _empty(["origin", "reason", "detail"])
    accounting = pd.DataFrame(acc, columns=ACCOUNTING_COLUMNS) if acc else _empty(ACCOUNTING_COLUMNS)
    accounting["bytes"] = accounting["bytes"].astype("int64")
    return ParseResult(articles=articles, rejected=rej, accounting=accounting)


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
    for outcome, label in (("parsed", "parsed:"), ("parsed_with_warnings", "parsed with warnings:"), ("rejected", "rejected:")):
        lines.append(f"  {label:<25}{int(counts.get(outcome, 0)):>{w}}")
    rej = accounting.loc[accounting["outcome"] == "rejected", "reason"] if len(accounting) else pd.Series(dtype="object")
    by_reason = rej.value_counts()
    order = list(REJECTION_REASONS) + sorted(set(by_reason.index) - set(REJECTION_REASONS))
    for reason in order:
        if reason in by_reason.index:
            lines.append(f"    {reason + ':':<23}{int(by_reason[reason]):>{w}}")
    return "\n".join(lines)
