"""Where things live: the project root, data folders and figures.

Nothing here touches the file system at import time; every function resolves its path when
called, so that an environment variable set by a notebook runner or a test takes effect.

``NEWSSCOPE_ROOT`` overrides the project root (default: the checkout this package is installed
from, found by walking up from this file to the folder holding ``pyproject.toml``).
``NEWSSCOPE_OUT`` overrides the *output root*, under which ``data/results/`` and ``figures/``
are written, so that a run on the user's own corpus never overwrites the committed results of the
built-in corpus.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "project_root",
    "output_root",
    "data_dir",
    "raw_dir",
    "processed_dir",
    "results_dir",
    "figures_dir",
    "notebooks_dir",
    "ensure_dir",
]


def project_root() -> Path:
    """Return the project root (``NEWSSCOPE_ROOT`` or the checkout holding ``pyproject.toml``)."""
    env = os.environ.get("NEWSSCOPE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "newsscope").is_dir():
            return parent
    return Path.cwd().resolve()


def output_root() -> Path:
    """Return the root for results and figures (``NEWSSCOPE_OUT`` or the project root)."""
    env = os.environ.get("NEWSSCOPE_OUT")
    return Path(env).resolve() if env else project_root()


def data_dir() -> Path:
    """Return ``<root>/data``."""
    return project_root() / "data"


def raw_dir() -> Path:
    """Return ``<root>/data/raw``: immutable inputs."""
    return data_dir() / "raw"


def processed_dir() -> Path:
    """Return the cache folder (``NEWSSCOPE_CACHE`` or ``<root>/data/processed``)."""
    env = os.environ.get("NEWSSCOPE_CACHE")
    return Path(env).resolve() if env else data_dir() / "processed"


def results_dir() -> Path:
    """Return ``<output root>/data/results``: result tables for people and other tools."""
    return output_root() / "data" / "results"


def figures_dir() -> Path:
    """Return ``<output root>/figures``: exported figures and the data behind them."""
    return output_root() / "figures"


def notebooks_dir() -> Path:
    """Return ``<root>/notebooks``."""
    return project_root() / "notebooks"


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing and return it."""
    path.mkdir(parents=True, exist_ok=True)
    return path
