"""Where a run writes, and the record it leaves beside the executed notebooks.

``newsscope run`` executes the notebooks either *in place* (the committed analysis of the built-in
corpus: ``notebooks/``, ``data/results/``, ``figures/``) or into an *output root*
``<out>/notebooks``, ``<out>/data/results``, ``<out>/figures``. Without ``--out`` the choice
follows the corpus setting (:func:`newsscope.config.resolve_corpus`): the built-in default corpus
runs in place; any other corpus named by ``--corpus``, ``NEWSSCOPE_CORPUS`` or
``data/corpus.toml`` goes to ``out/<corpus name>`` under the project root, so the committed
notebooks and results always show the built-in corpus.

Every run updates ``.run.json`` in the folder of the executed notebooks: the corpus, the injected
parameters and, per notebook, its status (``ok`` or ``failed``), when it ran, the error and the
figures it wrote. ``newsscope report`` reads it for the front page. The file is not committed
(``.gitignore``) and holds no timing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from newsscope import paths
from newsscope.config import CorpusChoice, resolve_corpus

__all__ = ["RECORD_NAME", "FAILED_SUFFIX", "corpus_name", "choose_output_root", "failed_path",
           "read_record", "update_record"]

RECORD_NAME = ".run.json"
#: ``02-keyword-trends.ipynb`` failed -> ``02-keyword-trends.failed.ipynb`` beside it.
FAILED_SUFFIX = ".failed.ipynb"


def corpus_name(spec: str) -> str:
    """Return a folder name for a corpus: ``builtin:news100`` -> ``news100``, ``pages/mine.csv`` -> ``mine``."""
    s = str(spec).strip().rstrip("/\\")
    if s.startswith("builtin:"):
        return s.split(":", 1)[1] or "builtin"
    p = Path(s)
    return (p.stem if p.suffix.lower() in {".csv", ".jsonl", ".json", ".parquet", ".tsv", ".txt"} else p.name) or "corpus"


def choose_output_root(corpus: str | None = None, manifest: str | None = None,
                       out: str | os.PathLike[str] | None = None) -> tuple[Path | None, CorpusChoice]:
    """Return ``(output root or None for in place, corpus choice)`` for a run.

    Parameters
    ----------
    corpus, manifest : str, optional
        ``--corpus`` / ``--manifest``; None defers to the environment and ``data/corpus.toml``.
    out : path, optional
        ``--out``; relative paths are taken from the current folder.

    Returns
    -------
    tuple
        The output root (None: execute the committed notebooks in place) and the resolved corpus.
    """
    choice = resolve_corpus(corpus, manifest)
    if out is not None and str(out).strip():
        return Path(out).expanduser().resolve(), choice
    if corpus is None and choice.is_default:
        return None, choice
    return paths.project_root() / "out" / corpus_name(choice.corpus), choice


def failed_path(notebook: Path) -> Path:
    """Return where the partly executed copy of a failed notebook is saved."""
    return notebook.with_name(notebook.stem + FAILED_SUFFIX)


def read_record(notebooks_dir: Path) -> dict[str, Any]:
    """Return the run record of a folder of executed notebooks (empty dict when there is none).

    A record that cannot be read is treated as absent (the report then falls back to the files).
    """
    f = Path(notebooks_dir) / RECORD_NAME
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_record(notebooks_dir: Path, run: dict[str, Any], notebooks: dict[str, dict[str, Any]]) -> Path:
    """Merge one run into the record of ``notebooks_dir`` and write it atomically.

    Parameters
    ----------
    notebooks_dir : Path
        The folder of the executed notebooks.
    run : dict
        Run-level facts (corpus, manifest, origin, parameters); replace the previous ones.
    notebooks : dict
        Per notebook stem, its entry; notebooks not run this time keep their previous entry
        (``newsscope run --only 02`` leaves 01's entry alone).
    """
    notebooks_dir = paths.ensure_dir(Path(notebooks_dir))
    record = read_record(notebooks_dir)
    merged = dict(record.get("notebooks", {}))
    merged.update(notebooks)
    record = {**run, "notebooks": dict(sorted(merged.items()))}
    f = notebooks_dir / RECORD_NAME
    tmp = f.with_name(f.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, f)
    return f
