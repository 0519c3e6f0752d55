"""Parsing into parts: a corpus of any size read into a :class:`~newsscope.parts.PartStore`.

Page corpora (folders of pages, HTML, archives, web archives) are listed once in the driver and
cut into partitions of ``partition_size`` files (a big web archive into ranges of records, as
:mod:`newsscope.engine.parse` does). Each partition is one task: it parses its files, applies the
manifest to its articles and writes three parts (articles, accounting, rejected) to files; it
returns only a summary (rows, bytes, the manifest entries it matched, its web-archive captures).
The driver never holds the article table.

After every task: manifest entries matched by no partition are recorded as ``missing file``
(:func:`newsscope.corpus.reject_missing`), and a URL captured in several partitions keeps its
latest capture (:func:`newsscope.parsing.files.duplicate_captures`); only the parts that held a
dropped capture are rewritten. Tables and the built-in corpus are read in this process and split
into parts (a table is one file: nothing to parallelise).

Joined in part order, the parts are the tables :func:`newsscope.corpus.read_corpus` returns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from newsscope import corpus as corpus_mod
from newsscope.engine.base import Engine, engine_scope
from newsscope.engine.parse import WARC_RECORDS, WARC_SPLIT_BYTES, _default_root, plan_parts
from newsscope.parsing import list_page_files
from newsscope.parsing.files import ParseResult, _origin, drop_captures, duplicate_captures, parse_parts
from newsscope.parsing.warc import is_web_archive
from newsscope.parts import PartStore, check_disk, check_part_memory
from newsscope.schema import ARTICLE_COLUMNS

__all__ = ["ParsedParts", "parse_to_parts", "load_parsed_parts", "STREAM_PARSE_PARTITION"]

#: Files per parse partition of the partitioned pipeline (also the rows per part, about).
STREAM_PARSE_PARTITION = 20_000
_REJECTED = ["origin", "reason", "detail"]


@dataclass
class ParsedParts:
    """The parsed corpus as parts.

    Attributes
    ----------
    articles, accounting, rejected : PartStore
        The article table, one row per input with its outcome, and the rejected inputs; part
        ``k`` of each comes from partition ``k``.
    spec : str
        The corpus spec.
    """

    articles: PartStore
    accounting: PartStore
    rejected: PartStore
    spec: str

    @property
    def n_articles(self) -> int:
        """Rows of the article table."""
        return self.articles.n_rows

    def outcomes(self) -> pd.Series:
        """Inputs per outcome (parsed, parsed_with_warnings, rejected, skipped)."""
        total: pd.Series | None = None
        for _, part in self.accounting.iter_parts(["outcome"]):
            counts = part["outcome"].value_counts()
            total = counts if total is None else total.add(counts, fill_value=0)
        return (total if total is not None else pd.Series(dtype="int64")).astype("int64").sort_index()


def _manifest_subsets(m: pd.DataFrame, groups: list[list[tuple[str, int, int | None]]], root: Path) -> list[pd.DataFrame] | None:
    """Each partition's own manifest entries, when every entry names one input file exactly.

    A partition then matches against its few thousand entries instead of the whole manifest (a
    million entries cost seconds per partition). None when some entry names no input file
    exactly (a path relative to another folder, a bare file name, an archive member, a missing
    file): the partitions then match against the whole manifest, as ``read_corpus`` does.
    """
    prefix = os.path.join(str(Path(os.path.abspath(root))), "")
    owner: dict[str, int] = {}
    for k, group in enumerate(groups):
        for path, _, _ in group:
            owner[_origin(path, prefix)] = k
    files = m["file"].astype(str).str.replace("\\", "/", regex=False)
    part = files.map(owner)
    if part.isna().any() or files.duplicated().any():
        return None
    part = part.astype("int64")
    return [m[part.to_numpy() == k].reset_index(drop=True) for k in range(len(groups))]


def _parse_task(item: tuple, root: str, out: str, manifest: pd.DataFrame | None, extractor: str) -> dict[str, Any]:
    """Parse partition ``item = (k, files, own manifest entries or None)``, apply the manifest (its own
    entries, else the whole one), write its three parts; return a summary."""
    k, group, own = item
    if own is not None:
        manifest = own
    res = parse_parts(group, Path(root), extractor)
    matched: list[str] = []
    if manifest is not None and len(res.articles):
        arts = corpus_mod.apply_manifest(res.articles, manifest, key="origin", override_dates=True)
        # the entries this partition did not match: most of a big manifest. Taken out of ``attrs`` at
        # once, since pandas deep-copies ``attrs`` on every column access (minutes per partition)
        unmatched = set(arts.attrs.pop("manifest_unmatched", []))
        arts.attrs.clear()
        matched = [f for f in manifest["file"] if f not in unmatched] if len(unmatched) < len(manifest) else []
        res.articles = corpus_mod.conform_articles(arts)
    return _write_parts(k, res, Path(out), matched)


def _write_parts(k: int, res: ParseResult, out: Path, matched: list[str]) -> dict[str, Any]:
    arts = corpus_mod.conform_articles(res.articles)
    a = PartStore(out / "raw").write_part(k, arts)
    PartStore(out / "accounting").write_part(k, res.accounting)
    PartStore(out / "rejected").write_part(k, res.rejected if len(res.rejected) else pd.DataFrame({c: pd.Series(dtype=object) for c in _REJECTED}))
    return {"part": k, "rows": a["rows"], "bytes": a["bytes"], "matched": matched,
            "captures": res.captures, "accounting_rows": len(res.accounting), "rejected_rows": len(res.rejected)}


def parse_to_parts(spec: str | Path, root: str | Path, *, manifest: str | Path | None = None,
                   partition_size: int = STREAM_PARSE_PARTITION, engine: str | Engine | Any = None,
                   extractor: str = "default", warc_split_bytes: int = WARC_SPLIT_BYTES, warc_records: int = WARC_RECORDS,
                   progress: bool = True, **engine_options: Any) -> ParsedParts:
    """Read a corpus into parts under ``root`` (``raw/``, ``accounting/``, ``rejected/``).

    Parameters
    ----------
    spec : str or Path
        A corpus spec: ``builtin:...``, a folder of pages (any kind), a table file.
    root : str or Path
        The run's folder (its ``raw``, ``accounting`` and ``rejected`` stores are replaced).
    manifest : str or Path, optional
        Manifest CSV (``file,url,published[,source]``); its dates override the pages' own.
    partition_size : int
        Files per partition (an execution option: joined, the parts are the same table).
    engine : str, Engine or distributed.Client, optional
        Where the partitions run (see :func:`newsscope.engine.get_engine`); on a cluster every
        worker must see ``root`` and the corpus at the same path.
    extractor : {"default", "fast"}
        The HTML body extractor.
    warc_split_bytes, warc_records : int
        Web archives larger than ``warc_split_bytes`` are read in ranges of ``warc_records``
        records, each its own partition (an execution option).
    progress : bool
        Progress bar over partitions (stderr).

    Returns
    -------
    ParsedParts

    Raises
    ------
    DiskSpaceError
        When the disk holding ``root`` has less free space than about twice the corpus.
    PartitionMemoryError
        When the partitions running at once would not fit in the available memory.
    """
    root = Path(root)
    stores = {name: PartStore.create(root / name) for name in ("raw", "accounting", "rejected")}
    kind, path = corpus_mod.resolve_spec(spec)
    if kind != "pages":
        return _table_to_parts(spec, manifest, stores, partition_size)
    exclude = [Path(manifest)] if manifest is not None else []
    files = [str(f) for f in list_page_files([path], exclude=exclude)]
    base = path if path.is_dir() else path.parent
    root_path = Path(os.path.abspath(base)) if files else _default_root([path])
    sizes = [os.path.getsize(f) for f in files]
    check_disk(root, 2.0 * sum(sizes), what="the partitioned corpus", setting="the run folder (root)")
    m = corpus_mod.read_manifest(manifest) if manifest is not None else None
    with engine_scope(engine, progress=progress, **engine_options) as eng:
        if any(is_web_archive(f) for f in files):
            groups = plan_parts(files, partition_size, warc_split_bytes, warc_records)
        else:
            groups = [[(f, 0, None) for f in files[lo:lo + partition_size]] for lo in range(0, len(files), partition_size)]
        groups = groups or [[]]
        where = {f: s for f, s in zip(files, sizes)}
        biggest = max((sum(where[f] for f, _, _ in g) for g in groups), default=0)
        check_part_memory(biggest, eng.n_workers, setting="partition_size (files per partition)")
        subsets = _manifest_subsets(m, groups, root_path) if m is not None else None
        mh = eng.scatter(m if subsets is None else None)
        items = [(k, g, subsets[k] if subsets is not None else None) for k, g in enumerate(groups)]
        handles = eng.map(_parse_task, items, str(root_path), str(root), mh, extractor, desc="parsing pages")
        summaries = eng.gather(handles)
    _finish_pages(summaries, stores, m, Path(manifest) if manifest is not None else None, path)
    return ParsedParts(stores["raw"], stores["accounting"], stores["rejected"], str(spec))


def _finish_pages(summaries: list[dict[str, Any]], stores: dict[str, PartStore], m: pd.DataFrame | None,
                  manifest: Path | None, path: Path) -> None:
    """Resolve captures across partitions, record missing manifest entries, write the stores' metadata."""
    caps = [s["captures"] for s in summaries if len(s["captures"])]
    if caps:
        allcaps = pd.concat(caps, ignore_index=True)
        dropped = duplicate_captures(allcaps)
        for s in summaries:
            mine = {o: d for o, d in dropped.items() if o in set(s["captures"]["origin"])} if len(s["captures"]) else {}
            if mine:  # rewrite this partition's parts without the dropped captures
                k = s["part"]
                res = ParseResult(articles=stores["raw"].read_part(k), rejected=stores["rejected"].read_part(k),
                                  accounting=stores["accounting"].read_part(k), captures=s["captures"])
                drop_captures(res, mine)
                s.update(_write_parts(k, res, stores["raw"].root.parent, s["matched"]))
    if m is not None:
        matched = {f for s in summaries for f in s["matched"]}
        unmatched = [f for f in m["file"] if f not in matched]
        if unmatched:
            # the entries naming a rejected file are not missing: reject_missing looks at all rejections
            rejected = pd.concat([stores["rejected"].read_part(s["part"], ["origin"]) for s in summaries], ignore_index=True)
            holder = ParseResult(articles=pd.DataFrame(columns=ARTICLE_COLUMNS), rejected=rejected.assign(reason="", detail=""),
                                 accounting=pd.DataFrame(), captures=pd.DataFrame())
            before = len(holder.rejected)
            corpus_mod.reject_missing(holder, m, unmatched, "pages", path, manifest)
            extra = holder.rejected.iloc[before:]
            if len(extra):  # recorded as one more partition of rejections and accounting (no articles)
                k = len(summaries)
                extra = pd.DataFrame({c: extra[c].tolist() for c in _REJECTED})  # column types as read_corpus makes them
                acc = pd.DataFrame({"origin": extra["origin"], "outcome": "rejected", "reason": extra["reason"],
                                    "detail": extra["detail"], "bytes": 0, "encoding": "", "kind": ""})
                acc["bytes"] = acc["bytes"].astype("int64")
                res = ParseResult(articles=corpus_mod.conform_articles(pd.DataFrame({c: [] for c in ARTICLE_COLUMNS})),
                                  rejected=extra, accounting=acc,
                                  captures=pd.DataFrame(columns=["origin", "url", "capture"]))
                summaries.append(_write_parts(k, res, stores["raw"].root.parent, []))
    _finish_stores(summaries, stores)


def _finish_stores(summaries: list[dict[str, Any]], stores: dict[str, PartStore]) -> None:
    stores["raw"].finish(summaries, ARTICLE_COLUMNS)
    stores["accounting"].finish([{"part": s["part"], "rows": s["accounting_rows"]} for s in summaries],
                                ["origin", "outcome", "reason", "detail", "bytes", "encoding", "kind"])
    stores["rejected"].finish([{"part": s["part"], "rows": s["rejected_rows"]} for s in summaries], _REJECTED)


def _table_to_parts(spec: str | Path, manifest: str | Path | None, stores: dict[str, PartStore],
                    partition_size: int) -> ParsedParts:
    """A table or the built-in corpus: read here, written in parts of ``partition_size`` rows."""
    loaded = corpus_mod.read_corpus(spec, manifest=manifest)
    arts = loaded.articles
    rej = loaded.rejected
    acc = loaded.accounting if len(loaded.accounting) else pd.DataFrame(
        {"origin": pd.Series(dtype=object), "outcome": pd.Series(dtype=object)})
    n_parts = max(1, -(-len(arts) // partition_size))
    summaries = []
    for k in range(n_parts):
        res = ParseResult(articles=arts.iloc[k * partition_size:(k + 1) * partition_size],
                          rejected=rej if k == 0 else rej.iloc[0:0], accounting=acc if k == 0 else acc.iloc[0:0],
                          captures=pd.DataFrame(columns=["origin", "url", "capture"]))
        summaries.append(_write_parts(k, res, stores["raw"].root.parent, []))
    _finish_stores(summaries, stores)
    return ParsedParts(stores["raw"], stores["accounting"], stores["rejected"], str(spec))


def load_parsed_parts(root: str | Path, spec: str = "") -> ParsedParts:
    """The parts a finished :func:`parse_to_parts` left in ``root``."""
    root = Path(root)
    stores = {name: PartStore(root / name) for name in ("raw", "accounting", "rejected")}
    for store in stores.values():
        store.n_parts  # noqa: B018 - raises PartsIncompleteError for an interrupted run
    return ParsedParts(stores["raw"], stores["accounting"], stores["rejected"], spec)
