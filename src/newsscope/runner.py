"""Execute the numbered notebooks: in place (the committed analysis) or parameterised into an output root.

``run_notebooks()`` executes ``notebooks/NN-*.ipynb`` in order with nbconvert's
``ExecutePreprocessor`` and writes a notebook back only when it ran without error. With a corpus
or an output root, notebooks are executed with papermill-style parameter injection into
``<out>/notebooks/`` and ``NEWSSCOPE_OUT`` points results and figures at ``<out>``, so the
committed default outputs stay those of the built-in corpus.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsscope import paths

__all__ = ["list_notebooks", "execute_notebook", "run_notebooks", "render_report"]


def list_notebooks(only: Sequence[str] | None = None) -> list[Path]:
    """Return the numbered notebooks in order, optionally those whose number or name is in ``only``."""
    nbs = sorted(paths.notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    if only:
        wanted = {o.strip() for o in only if o.strip()}
        nbs = [nb for nb in nbs if nb.stem[:2] in wanted or nb.stem in wanted]
    return nbs


def execute_notebook(path: Path, *, timeout: int = 3600, out_path: Path | None = None,
                     parameters: dict[str, Any] | None = None) -> Path:
    """Execute one notebook; write it to ``out_path`` (default: in place) only if it ran cleanly.

    Parameters
    ----------
    path : Path
        The notebook.
    timeout : int
        Per-cell timeout in seconds.
    out_path : Path, optional
        Where to write the executed notebook (default: ``path``).
    parameters : dict, optional
        Values injected after the cell tagged ``parameters`` (papermill-style).

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell fails; nothing is written then.
    """
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.read(path, as_version=4)
    if parameters:
        nb = _inject_parameters(nb, parameters)
    ep = ExecutePreprocessor(timeout=timeout, kernel_name="python3", record_timing=False)
    # figures must be embedded in the executed notebook: the kernel gets the inline backend even
    # when the caller runs headless with MPLBACKEND=Agg (which would show nothing)
    old_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        ep.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    finally:
        if old_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old_backend
    target = out_path or path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, target)
    return target


def _inject_parameters(nb: Any, parameters: dict[str, Any]) -> Any:
    import nbformat

    lines = ["# Parameters injected by `newsscope run`"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    idx = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if idx is None:
        raise ValueError("the notebook has no cell tagged 'parameters' to override")
    nb.cells.insert(idx + 1, cell)
    return nb


def run_notebooks(only: Sequence[str] | None = None, *, corpus: str | None = None, manifest: str | None = None,
                  out: str | Path | None = None, timeout: int = 3600) -> list[Path]:
    """Execute the numbered notebooks in order and return the written paths.

    Without ``corpus`` and ``out`` the notebooks are executed in place. Otherwise ``corpus`` and
    ``manifest`` are injected as parameters, results and figures go under ``out`` (default
    ``out/<corpus name>``) and executed notebooks to ``<out>/notebooks``.
    """
    nbs = list_notebooks(only)
    if not nbs:
        raise FileNotFoundError(f"no numbered notebooks in {paths.notebooks_dir()}")
    written = []
    if corpus is None and out is None:
        for nb in nbs:
            print(f"executing {nb.name} ...", file=sys.stderr, flush=True)
            written.append(execute_notebook(nb, timeout=timeout))
        return written
    out_root = Path(out or Path("out") / Path(str(corpus)).name.replace(":", "-")).resolve()
    params: dict[str, Any] = {}
    if corpus is not None:
        params["corpus"] = str(Path(corpus).resolve()) if not str(corpus).startswith("builtin:") else corpus
    if manifest is not None:
        params["manifest"] = str(Path(manifest).resolve())
    old = os.environ.get("NEWSSCOPE_OUT")
    os.environ["NEWSSCOPE_OUT"] = str(out_root)
    try:
        for nb in nbs:
            print(f"executing {nb.name} -> {out_root / 'notebooks' / nb.name} ...", file=sys.stderr, flush=True)
            written.append(execute_notebook(nb, timeout=timeout, out_path=out_root / "notebooks" / nb.name, parameters=params))
    finally:
        if old is None:
            os.environ.pop("NEWSSCOPE_OUT", None)
        else:
            os.environ["NEWSSCOPE_OUT"] = old
    return written


def render_report(notebooks: Sequence[Path], out_dir: Path, *, hide_inputs: bool = True) -> list[Path]:
    """Render executed notebooks to standalone HTML pages (figures embedded) in ``out_dir``."""
    from nbconvert import HTMLExporter
    import nbformat

    exporter = HTMLExporter()
    exporter.exclude_input = hide_inputs
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = []
    for nb_path in notebooks:
        body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
        page = out_dir / f"{nb_path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    return pages
