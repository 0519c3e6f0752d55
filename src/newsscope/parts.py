"""Partitioned tables and matrices on disk: what lets a stage stream a corpus bigger than memory.

A :class:`PartStore` is a folder of Parquet files ``part-00000.parquet``, ``part-00001.parquet``,
... (pyarrow) holding one table split by rows, plus ``_parts.json`` with the rows of every part,
the column names and free-form metadata. A stage writes one part at a time (from this process or
from an engine's task: a part is a file, so a task on a Dask worker with the same file system
writes it too) and the next stage reads one part at a time. Parts keep the row order of the
table; reading every part in order and concatenating gives the table back.

Sparse matrices (document-term blocks) are saved beside them with :func:`save_sparse` /
:func:`load_sparse` (scipy's ``.npz``).

:func:`check_disk` and :func:`check_part_memory` stop a run *before* it fills the disk or
exhausts memory, with a message naming the limit and the setting to change.

Nothing here reads or writes at import time.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "PartStore", "PartsIncompleteError", "DiskSpaceError", "PartitionMemoryError",
    "save_sparse", "load_sparse", "check_disk", "check_part_memory", "available_memory",
]

_META = "_parts.json"
_OBJECTS_KEY = b"newsscope.object_columns"


class PartsIncompleteError(RuntimeError):
    """A part store was read before every part was written (an interrupted run)."""


class DiskSpaceError(OSError):
    """Not enough free disk space for what a run is about to write."""


class PartitionMemoryError(MemoryError):
    """One partition would not fit in the memory that is available."""


def _part_name(k: int) -> str:
    return f"part-{k:05d}.parquet"


class PartStore:
    """A table stored as numbered Parquet parts in one folder.

    Parameters
    ----------
    root : str or Path
        The folder (created by :meth:`create`).

    Attributes
    ----------
    root : Path
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # ------------------------------------------------------------------ writing
    @classmethod
    def create(cls, root: str | Path) -> "PartStore":
        """Start an empty store at ``root``, removing any parts (and metadata) already there."""
        root = Path(root)
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        return cls(root)

    def write_part(self, k: int, table: pd.DataFrame) -> dict[str, Any]:
        """Write part ``k`` (atomically: a reader never sees half a file); return its summary.

        Parameters
        ----------
        k : int
            Part number (0, 1, ...); parts are read back in this order.
        table : pandas.DataFrame
            The rows; list columns (e.g. ``authors``) and datetimes are kept.

        Returns
        -------
        dict
            ``{"part": k, "rows": n, "bytes": size of the file}``.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.root / _part_name(k)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        frame = table.reset_index(drop=True)
        frame.attrs = {}  # pandas ``attrs`` are not data: stored in the file, they would come back on every read
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        # which text columns were Python objects (None for missing) rather than pandas strings, so that
        # reading gives back the same dtypes
        objects = [str(c) for c in frame.columns if frame[c].dtype == object]
        meta = dict(arrow.schema.metadata or {})
        meta[_OBJECTS_KEY] = json.dumps(objects).encode()
        pq.write_table(arrow.replace_schema_metadata(meta), tmp, compression="zstd")
        os.replace(tmp, path)
        return {"part": int(k), "rows": int(len(frame)), "bytes": int(path.stat().st_size)}

    def finish(self, summaries: Sequence[dict[str, Any]], columns: Sequence[str], meta: dict[str, Any] | None = None) -> None:
        """Record that every part is written: rows per part, columns and ``meta`` (JSON-able)."""
        rows = {int(s["part"]): int(s["rows"]) for s in summaries}
        missing = [k for k in range(len(rows)) if k not in rows]
        if missing or any(not (self.root / _part_name(k)).is_file() for k in rows):
            raise PartsIncompleteError(f"{self.root}: part(s) {missing[:5]} were not written")
        body = {"rows": [rows[k] for k in range(len(rows))], "columns": list(columns), "meta": meta or {}}
        (self.root / _META).write_text(json.dumps(body, indent=1, default=str))

    # ------------------------------------------------------------------ reading
    def _meta(self) -> dict[str, Any]:
        path = self.root / _META
        if not path.is_file():
            raise PartsIncompleteError(f"{self.root}: no {_META}; the run that wrote these parts did not finish "
                                       "(run the stage again)")
        return json.loads(path.read_text())

    @property
    def complete(self) -> bool:
        """True once :meth:`finish` has run."""
        return (self.root / _META).is_file()

    @property
    def part_rows(self) -> list[int]:
        """Rows of every part, in order."""
        return list(self._meta()["rows"])

    @property
    def n_parts(self) -> int:
        """Number of parts."""
        return len(self.part_rows)

    @property
    def n_rows(self) -> int:
        """Rows of the whole table."""
        return int(sum(self.part_rows))

    @property
    def columns(self) -> list[str]:
        """Column names."""
        return list(self._meta()["columns"])

    @property
    def meta(self) -> dict[str, Any]:
        """The metadata given to :meth:`finish`."""
        return dict(self._meta()["meta"])

    def part_path(self, k: int) -> Path:
        """The file of part ``k``."""
        return self.root / _part_name(k)

    def bounds(self) -> list[tuple[int, int]]:
        """(first row, end row) of every part in the whole table."""
        ends = np.cumsum([0, *self.part_rows])
        return [(int(a), int(b)) for a, b in zip(ends[:-1], ends[1:])]

    def read_part(self, k: int, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Part ``k`` as a DataFrame (index 0..n-1), optionally only ``columns``."""
        return read_part_file(self.part_path(k), columns)

    def iter_parts(self, columns: Sequence[str] | None = None) -> Iterator[tuple[int, pd.DataFrame]]:
        """Yield ``(k, part)`` for every part in order; one part in memory at a time."""
        for k in range(self.n_parts):
            yield k, self.read_part(k, columns)

    def read_all(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The whole table (for small stores, tests and samples)."""
        parts = [p for _, p in self.iter_parts(columns)]
        if not parts:
            return pd.DataFrame(columns=list(columns or self.columns))
        filled = [p for p in parts if len(p)] or parts[:1]  # an empty part's column types are not the table's
        return pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0]

    def read_rows(self, rows: Sequence[int] | np.ndarray, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The rows at whole-table positions ``rows`` (in the order given), reading only their parts."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return self.read_part(0, columns).iloc[0:0] if self.n_parts else pd.DataFrame(columns=list(columns or []))
        starts = np.array([a for a, _ in self.bounds()])
        owner = np.searchsorted(starts, rows, side="right") - 1
        pieces, where = [], []
        for k in np.unique(owner):
            mine = np.flatnonzero(owner == k)
            part = self.read_part(int(k), columns)
            pieces.append(part.iloc[rows[mine] - starts[k]])
            where.append(mine)
        out = pd.concat(pieces, ignore_index=True)
        order = np.argsort(np.concatenate(where), kind="stable")
        return out.iloc[order].reset_index(drop=True)

    def __repr__(self) -> str:
        state = f"{self.n_parts} parts, {self.n_rows:,} rows" if self.complete else "incomplete"
        return f"<PartStore {self.root.name}: {state}>"


def read_part_file(path: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One Parquet part as a DataFrame; list columns come back as Python lists."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=list(columns) if columns is not None else None)
    raw = (table.schema.metadata or {}).get(_OBJECTS_KEY)
    objects = set(json.loads(raw)) if raw else set()
    frame = table.to_pandas()
    frame.attrs = {}  # (files written before attrs were dropped: pandas deep-copies attrs on every column access)
    for name in frame.columns:
        col = frame[name]
        if name in objects and (isinstance(col.dtype, pd.StringDtype) or str(col.dtype) == "str"):
            # text columns as the in-memory tables hold them: Python strings, None where missing
            values = col.to_numpy(dtype=object, na_value=None)
            frame[name] = pd.Series(values, index=frame.index, dtype=object)
        elif col.dtype == object and len(col) and any(isinstance(v, np.ndarray) for v in col.iloc[:50]):
            # pyarrow gives numpy arrays for list cells; the article table holds lists
            frame[name] = [list(v) if isinstance(v, np.ndarray) else v for v in col]
    return frame


def save_sparse(path: str | Path, X: Any) -> int:
    """Save a scipy sparse matrix (CSR) to ``path`` (``.npz``, atomically); return the bytes written."""
    import scipy.sparse as sp

    path = Path(path)
    tmp = path.with_name(path.stem + f".tmp{os.getpid()}.npz")
    sp.save_npz(tmp, sp.csr_matrix(X), compressed=False)
    os.replace(tmp, path)
    return int(path.stat().st_size)


def load_sparse(path: str | Path) -> Any:
    """Load a matrix saved by :func:`save_sparse` (CSR)."""
    import scipy.sparse as sp

    return sp.load_npz(path).tocsr()


def check_disk(folder: str | Path, need_bytes: float, *, what: str, setting: str) -> None:
    """Raise :class:`DiskSpaceError` when ``folder``'s file system has less than ``need_bytes`` free.

    Parameters
    ----------
    folder : str or Path
        Where the data will be written (its nearest existing parent is checked).
    need_bytes : float
        An estimate of what will be written (with a margin).
    what, setting : str
        What is written and the setting that moves it (named in the message).
    """
    folder = Path(folder)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free < need_bytes:
        raise DiskSpaceError(f"{what} needs about {need_bytes / 1e9:.1f} GB in {folder}, but only {free / 1e9:.1f} GB "
                             f"are free; free some space or point {setting} at a bigger disk")


def available_memory() -> int:
    """Bytes of memory available to new allocations (``MemAvailable``; the cgroup limit if lower)."""
    avail = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                avail = int(line.split()[1]) * 1024
    except OSError:
        pass
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            raw = Path(limit_file).read_text().strip()
            if raw != "max" and int(raw) < 1 << 60:
                room = int(raw) - int(Path(usage_file).read_text().strip())
                avail = room if avail is None else min(avail, room)
            break
        except (OSError, ValueError):
            continue
    return int(avail) if avail is not None else 1 << 62


def check_part_memory(part_bytes: float, workers: int, *, factor: float = 12.0, setting: str = "partition_size",
                      available: int | None = None) -> None:
    """Raise :class:`PartitionMemoryError` when ``workers`` partitions at a time would not fit in memory.

    Parameters
    ----------
    part_bytes : float
        Size of the biggest partition's input (e.g. its text in bytes).
    workers : int
        Partitions processed at the same time.
    factor : float
        Working memory per input byte (parsed objects, tokens, copies).
    setting : str
        The setting to lower, named in the message.
    available : int, optional
        Bytes available (default: :func:`available_memory`).
    """
    avail = available_memory() if available is None else available
    need = part_bytes * factor * max(1, workers)
    if need > 0.8 * avail:
        raise PartitionMemoryError(
            f"{max(1, workers)} partition(s) of {part_bytes / 1e6:,.0f} MB of input each need about {need / 1e9:.1f} GB "
            f"of memory, but {avail / 1e9:.1f} GB are available; lower {setting} (or the number of workers)")
