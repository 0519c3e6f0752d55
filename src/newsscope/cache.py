"""A small on-disk cache for expensive steps, keyed by input content and settings.

Every cached object lives in ``data/processed/<stage>/<key>.<ext>``; the key is a SHA-256 over a
JSON rendering of everything that changes the output (input fingerprints, settings and a
per-stage code version). Writes are atomic (temporary file, then ``os.replace``), so an
interrupted run never leaves a half-written cache entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from newsscope import paths

__all__ = ["hash_bytes", "hash_files", "hash_object", "cache_file", "cached_frame", "cached_pickle", "write_atomic"]

T = TypeVar("T")


def hash_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def hash_files(files: Iterable[Path], root: Path | None = None) -> str:
    """Return one SHA-256 over the names (relative to ``root``) and contents of ``files``.

    Files are visited in sorted order so that the result does not depend on listing order.
    """
    h = hashlib.sha256()
    for f in sorted(Path(p) for p in files):
        name = str(f.relative_to(root)) if root is not None else f.name
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def _default(obj: Any) -> Any:
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if hasattr(obj, "get_params"):
        return {"class": type(obj).__name__, "params": obj.get_params()}
    return repr(obj)


def hash_object(obj: Any) -> str:
    """Return a stable SHA-256 of a JSON-able object (dict keys sorted)."""
    text = json.dumps(obj, sort_keys=True, default=_default, ensure_ascii=True)
    return hash_bytes(text.encode("ascii"))


def cache_file(stage: str, key: dict[str, Any] | str, ext: str) -> Path:
    """Return the path of a cache entry for ``stage`` and ``key`` (not created)."""
    digest = key if isinstance(key, str) else hash_object(key)
    return paths.processed_dir() / stage / f"{digest[:24]}.{ext}"


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path`` and move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def cached_frame(stage: str, key: dict[str, Any], compute: Callable[[], pd.DataFrame], *, refresh: bool = False) -> pd.DataFrame:
    """Return ``compute()``, stored as Parquet under ``stage`` and ``key`` and reused when present.

    ``df.attrs`` are kept (stored beside the table as JSON).
    """
    path = cache_file(stage, key, "parquet")
    meta = path.with_suffix(".attrs.pkl")
    if path.exists() and not refresh:
        df = pd.read_parquet(path)
        if meta.exists():
            with open(meta, "rb") as fh:
                df.attrs.update(pickle.load(fh))
        return df
    df = compute()
    write_atomic(meta, lambda p: p.write_bytes(pickle.dumps(dict(df.attrs))))
    write_atomic(path, lambda p: df.to_parquet(p, index=False))
    return df


def cached_pickle(stage: str, key: dict[str, Any], compute: Callable[[], T], *, refresh: bool = False) -> T:
    """Return ``compute()``, pickled under ``stage`` and ``key`` and reused when present."""
    path = cache_file(stage, key, "pkl")
    if path.exists() and not refresh:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    value = compute()
    write_atomic(path, lambda p: p.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
    return value
