"""Parsing on an engine: page files listed once, parsed in partitions, tables joined in file order.

The listing (recursive, sorted, hidden files skipped, excluded files left out) and the origin
root are decided here, in the driver, exactly as :func:`newsscope.parsing.parse_paths` decides
them; every partition then calls ``parse_paths`` on its share of the files with that root. The
parts are joined in partition order, which is the sorted file order, so the article table, the
rejections and the accounting are those of a single ``parse_paths`` call.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from newsscope import corpus as corpus_mod
from newsscope.engine.base import Engine, engine_scope
from newsscope.parsing import ParseResult, list_page_files
from newsscope.parsing import parse_paths as _parse_paths
from newsscope.parsing.files import parse_parts, resolve_captures
from newsscope.parsing.warc import is_web_archive, record_offsets

__all__ = ["PARSE_PARTITION", "parse_paths", "read_corpus", "join_parse_results"]

#: Files per parse task (about a second of work per task on one core).
PARSE_PARTITION = 2000
#: Web archives larger than this are read in ranges of records (one task per range).
WARC_SPLIT_BYTES = 256 * 1024 * 1024
#: Records per range of a split web archive.
WARC_RECORDS = 2000


def _default_root(paths: list[Path]) -> Path:
    """The common folder of ``paths`` (as :func:`newsscope.parsing.parse_paths` chooses it)."""
    bases = [os.path.abspath(p if p.is_dir() else p.parent) for p in paths]
    return Path(os.path.commonpath(bases)) if bases else Path.cwd()


def _parse_partition(parts: list[tuple[str, int, int | None]], root: str, extractor: str = "default") -> ParseResult:
    return parse_parts(parts, Path(root), extractor)


def plan_parts(files: list[str], partition_size: int, warc_split_bytes: int = WARC_SPLIT_BYTES,
               warc_records: int = WARC_RECORDS) -> list[list[tuple[str, int, int | None]]]:
    """Group files into partitions, in order: at most ``partition_size`` files each; a big web
    archive cut into ranges of ``warc_records`` records, each range a partition of its own."""
    groups: list[list[tuple[str, int, int | None]]] = []
    current: list[tuple[str, int, int | None]] = []
    for f in files:
        big = is_web_archive(f) and os.path.getsize(f) > warc_split_bytes
        if not big:
            current.append((f, 0, None))
            if len(current) >= partition_size:
                groups.append(current)
                current = []
            continue
        if current:
            groups.append(current)
            current = []
        offsets = record_offsets(f)
        starts = offsets[::warc_records] or [0]
        for k, lo in enumerate(starts):
            hi = starts[k + 1] if k + 1 < len(starts) else None
            groups.append([(f, lo, hi)])
    if current:
        groups.append(current)
    return groups


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0].iloc[0:0].reset_index(drop=True) if frames else pd.DataFrame()
    return pd.concat(nonempty, ignore_index=True) if len(nonempty) > 1 else nonempty[0].reset_index(drop=True)


def join_parse_results(parts: list[ParseResult]) -> ParseResult:
    """Join partition results (in order) into one :class:`~newsscope.parsing.ParseResult`."""
    if not parts:
        return _parse_paths([])
    articles = _concat([p.articles for p in parts])  # each part is already a conformed article table
    accounting = _concat([p.accounting for p in parts])
    if len(accounting):
        accounting["bytes"] = accounting["bytes"].astype("int64")
    return ParseResult(articles=articles, rejected=_concat([p.rejected for p in parts]), accounting=accounting,
                       captures=_concat([p.captures for p in parts]))


def parse_paths(paths: Iterable[str | os.PathLike[str]], root: str | os.PathLike[str] | None = None, *,
                engine: str | Engine | Any = None, exclude: Iterable[str | os.PathLike[str]] = (),
                partition_size: int = PARSE_PARTITION, progress: bool = True, extractor: str = "default",
                warc_split_bytes: int = WARC_SPLIT_BYTES, warc_records: int = WARC_RECORDS,
                **engine_options: Any) -> ParseResult:
    """Parse page files and folders on an engine; the same result as :func:`newsscope.parsing.parse_paths`.

    Parameters
    ----------
    paths : iterable of path-like
        Files and folders (searched recursively; hidden files skipped).
    root : path-like, optional
        Origins are relative to this folder (default: the common folder of ``paths``).
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine` (default: ``NEWSSCOPE_ENGINE`` or local).
        On a remote cluster every worker must see the files at the same absolute path.
    exclude : iterable of path-like
        Files that are not inputs (a manifest inside the folder).
    partition_size : int
        Files per task.
    extractor : {"default", "fast"}
        The HTML body extractor (a setting: it changes the result).
    warc_split_bytes, warc_records : int
        Web archives larger than ``warc_split_bytes`` are read in ranges of ``warc_records``
        records (an execution option: the result is the same).
    progress : bool
        Progress bar over partitions (stderr).
    **engine_options
        For a named engine: ``scheduler``, ``n_workers``, ... (see ``get_engine``).

    Returns
    -------
    ParseResult

    Raises
    ------
    FileNotFoundError
        When one of ``paths`` does not exist.
    """
    paths = [Path(p) for p in paths]
    files = [str(f) for f in list_page_files(paths, exclude=exclude)]
    root_path = Path(os.path.abspath(root)) if root is not None else _default_root(paths)
    if not files:
        return _parse_paths([], root=root_path)
    with engine_scope(engine, progress=progress, **engine_options) as eng:
        if any(is_web_archive(f) for f in files):
            groups = plan_parts(files, partition_size, warc_split_bytes, warc_records)
        else:
            bounds = eng.partitions(len(files), partition_size)
            groups = [[(f, 0, None) for f in files[lo:hi]] for lo, hi in bounds]
        handles = eng.map(_parse_partition, groups, str(root_path), extractor, desc="parsing pages")
        return resolve_captures(join_parse_results(eng.gather(handles)))


def read_corpus(spec: str | Path, manifest: str | Path | None = None, columns: dict[str, str] | None = None, *,
                engine: str | Engine | Any = None, partition_size: int = PARSE_PARTITION,
                **engine_options: Any) -> corpus_mod.LoadResult:
    """:func:`newsscope.corpus.read_corpus` with the pages of a folder corpus parsed on an engine.

    Tables and the built-in corpus are read in this process (one file: nothing to partition).
    """
    kind, path = corpus_mod.resolve_spec(spec)
    if kind != "pages":
        return corpus_mod.read_corpus(spec, manifest=manifest, columns=columns)
    exclude = [Path(manifest)] if manifest is not None else []
    parsed = parse_paths([path], root=path if path.is_dir() else path.parent, engine=engine, exclude=exclude,
                         partition_size=partition_size, **engine_options)
    result = corpus_mod.LoadResult(parsed.articles, rejected=parsed.rejected, accounting=parsed.accounting)
    if manifest is not None:
        corpus_mod.attach_manifest(result, manifest, kind, path)  # as read_corpus does after parsing
    result.articles.attrs["spec"] = str(spec)
    return result
