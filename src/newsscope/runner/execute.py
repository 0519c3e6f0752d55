"""Execute the numbered notebooks, and say clearly what failed, where, and what was kept.

``run_notebooks()`` executes ``notebooks/NN-*.ipynb`` in order with nbconvert's
``ExecutePreprocessor``. A notebook is written back only when it ran without error. When a cell
fails, the notebook as executed up to the failure is saved beside it as ``NN-slug.failed.ipynb``
(never over the good one), a short account is printed (notebook, cell, error, last traceback
lines, no terminal colour codes) and the remaining notebooks still run: each one loads its own
input through cached calls, so none depends on another having run. A later successful run removes
the stale ``.failed.ipynb``.

Kernels talk to the runner over IPC sockets (not TCP), so nothing travels over the network and
ipykernel prints no "running over TCP without encryption" warning.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from newsscope import paths
from newsscope.runner.record import choose_output_root, failed_path, update_record

__all__ = ["NotebookFailure", "NotebookFailed", "NotebookOutcome", "RunResult", "list_notebooks",
           "execute_notebook", "run_notebooks", "strip_ansi"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
TRACEBACK_LINES = 8


def strip_ansi(text: str) -> str:
    """Remove terminal colour and cursor codes from ``text``."""
    return _ANSI.sub("", text)


@dataclass(frozen=True)
class NotebookFailure:
    """Where and how a notebook failed.

    Attributes
    ----------
    notebook : str
        File name of the notebook, e.g. ``02-keyword-trends.ipynb``.
    cell : int or None
        The failing cell's number as JupyterLab shows it (``[12]``: its execution count, or its
        position among the code cells when it has none); None when no cell can be named.
    first_line : str
        The failing cell's first non-blank source line.
    error : str
        ``ExceptionName: message`` (one line).
    traceback : tuple of str
        The last lines of the traceback, without colour codes.
    saved : Path or None
        The partly executed notebook (``NN-slug.failed.ipynb``).
    """

    notebook: str
    cell: int | None
    first_line: str
    error: str
    traceback: tuple[str, ...] = ()
    saved: Path | None = None

    def describe(self) -> str:
        """Return the account printed by ``newsscope run`` (several lines)."""
        where = f"cell [{self.cell}]" if self.cell is not None else "a cell"
        lines = [f"{self.notebook} failed at {where}: {self.first_line}" if self.first_line
                 else f"{self.notebook} failed at {where}", f"  {self.error}"]
        if self.traceback:
            lines.append("  traceback (last lines):")
            lines += [f"    {t}" for t in self.traceback]
        if self.saved is not None:
            lines.append(f"  executed up to the failure: {_display(self.saved)}")
        return "\n".join(lines)


class NotebookFailed(RuntimeError):
    """A notebook stopped at a failing cell; ``.failure`` says where and why."""

    def __init__(self, failure: NotebookFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


@dataclass(frozen=True)
class NotebookOutcome:
    """What running one notebook gave: the written notebook or the failure, and its figures."""

    notebook: Path
    written: Path | None
    failure: NotebookFailure | None
    figures: tuple[str, ...] = ()
    executed: str = ""

    @property
    def ok(self) -> bool:
        """True when the notebook ran without error."""
        return self.failure is None


@dataclass
class RunResult:
    """All notebooks of one ``newsscope run``."""

    out_root: Path | None
    notebooks_dir: Path
    outcomes: list[NotebookOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[NotebookOutcome]:
        """The notebooks that failed, in order."""
        return [o for o in self.outcomes if not o.ok]

    def summary(self) -> str:
        """Return one line naming what failed (or that everything ran)."""
        n = len(self.outcomes)
        if not self.failed:
            return f"{n} of {n} notebooks ran; executed notebooks in {_display(self.notebooks_dir)}"
        failed = ", ".join(f"{o.notebook.stem} ({o.failure.error})" for o in self.failed)  # type: ignore[union-attr]
        ran = ", ".join(o.notebook.stem for o in self.outcomes if o.ok) or "none"
        return f"{len(self.failed)} of {n} notebooks failed: {failed}; ran: {ran}"

    @property
    def written(self) -> list[Path]:
        """Notebooks written by the run (failed ones excluded)."""
        return [o.written for o in self.outcomes if o.written is not None]


def _display(path: Path) -> str:
    """``path`` relative to the current folder when inside it (shorter to read), else absolute."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def list_notebooks(only: Sequence[str] | None = None, folder: Path | None = None) -> list[Path]:
    """Return the numbered notebooks in order, optionally those whose number or name is in ``only``.

    ``NN-slug.failed.ipynb`` copies are never listed.
    """
    folder = Path(folder) if folder is not None else paths.notebooks_dir()
    nbs = sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb") if not p.name.endswith(".failed.ipynb"))
    if only:
        wanted = {o.strip() for o in only if o.strip()}
        nbs = [nb for nb in nbs if nb.stem[:2] in wanted or nb.stem in wanted]
    return nbs


def _kernel_config(socket_dir: str) -> Any:
    from traitlets.config import Config

    config = Config()
    prefix = os.path.join(socket_dir, "k")
    # IPC sockets: local only, so ipykernel has no unencrypted-TCP warning to print. The prefix is
    # absolute (the kernel runs in the notebook's folder, the client here) and short (socket paths
    # are limited to about 100 characters); elsewhere TCP on localhost stays the fallback.
    if os.name == "posix" and len(prefix) < 90:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = prefix
    return config


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

    Returns
    -------
    Path
        The written notebook. A stale ``.failed.ipynb`` beside it is removed.

    Raises
    ------
    NotebookFailed
        When a cell fails, times out or the kernel dies. The notebook as executed up to the
        failure is saved as ``<out_path stem>.failed.ipynb``; ``out_path`` is left untouched.
    """
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    if parameters:
        nb = _inject_parameters(nb, parameters)
    target = Path(out_path or path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # figures must be embedded in the executed notebook: the kernel gets the inline backend even
    # when the caller runs headless with MPLBACKEND=Agg (which would show nothing)
    old_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        with tempfile.TemporaryDirectory(prefix="newsscope-kernel-") as socket_dir:
            ep = ExecutePreprocessor(timeout=timeout, kernel_name="python3", record_timing=False,
                                     config=_kernel_config(socket_dir))
            ep.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    except Exception as exc:  # a failing cell, a timeout, a dead kernel: keep what ran, say where
        saved = failed_path(target)
        _write_atomically(nb, saved)
        raise NotebookFailed(describe_failure(nb, exc, notebook=path.name, saved=saved)) from exc
    finally:
        if old_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old_backend
    _write_atomically(nb, target)
    failed_path(target).unlink(missing_ok=True)
    return target


def _write_atomically(nb: Any, target: Path) -> None:
    import nbformat

    tmp = target.with_name(target.name + ".tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, target)


def describe_failure(nb: Any, exc: BaseException, *, notebook: str, saved: Path | None = None) -> NotebookFailure:
    """Return where ``nb`` stopped and why, from its error output (or the running cell and ``exc``)."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    failing, error_output = None, None
    for cell in code_cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                failing, error_output = cell, out
                break
        if failing is not None:
            break
    if failing is None:  # a timeout or a dead kernel: the first non-empty cell that did not finish
        failing = next((c for c in code_cells if c.source.strip() and c.get("execution_count") is None), None)
    if error_output is not None:
        error = f"{error_output.get('ename', 'Error')}: {strip_ansi(str(error_output.get('evalue', '')))}"
        tb_text = "\n".join(strip_ansi(str(t)) for t in error_output.get("traceback", []))
    else:
        text = strip_ansi(str(exc)).strip()
        error = f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
        tb_text = ""
    tail = [ln.rstrip() for ln in tb_text.splitlines() if ln.strip() and not set(ln.strip()) <= {"-"}]
    cell_no = None
    first_line = ""
    if failing is not None:
        cell_no = failing.get("execution_count") or (code_cells.index(failing) + 1)
        first_line = next((ln.strip() for ln in failing.source.splitlines() if ln.strip()), "")
    return NotebookFailure(notebook=notebook, cell=cell_no, first_line=first_line, error=error.strip().splitlines()[0] if error.strip() else error,
                           traceback=tuple(tail[-TRACEBACK_LINES:]), saved=saved)


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


def _file_times(folder: Path, pattern: str = "*") -> dict[str, int]:
    if not folder.is_dir():
        return {}
    return {p.name: p.stat().st_mtime_ns for p in folder.glob(pattern) if p.is_file()}


def _changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(n for n, t in after.items() if before.get(n) != t)


def run_notebooks(only: Sequence[str] | None = None, *, corpus: str | None = None, manifest: str | None = None,
                  out: str | Path | None = None, timeout: int = 3600, log: TextIO | None = None) -> RunResult:
    """Execute the numbered notebooks in order; a failing notebook does not stop the others.

    Parameters
    ----------
    only : sequence of str, optional
        Notebook numbers or names (``["01", "02"]``); default all.
    corpus, manifest : str, optional
        The corpus to analyse; None follows ``NEWSSCOPE_CORPUS`` / ``data/corpus.toml``.
    out : path, optional
        Output root. Default: in place for the built-in default corpus, else ``out/<corpus name>``
        (see :func:`newsscope.runner.record.choose_output_root`).
    timeout : int
        Per-cell timeout in seconds.
    log : file, optional
        Where progress and failures are printed (default: ``sys.stderr``).

    Returns
    -------
    RunResult
        One outcome per notebook; ``.failed`` lists the failures. The run record
        (``.run.json``) beside the executed notebooks is updated.
    """
    log = log or sys.stderr
    nbs = list_notebooks(only)
    if not nbs:
        raise FileNotFoundError(f"no numbered notebooks in {paths.notebooks_dir()}" + (f" matching {list(only)}" if only else ""))
    out_root, choice = choose_output_root(corpus, manifest, out)
    params: dict[str, Any] = {}
    if out_root is not None and not choice.is_default:
        params["corpus"] = choice.corpus
        if choice.manifest is not None:
            params["manifest"] = choice.manifest
    nb_dir = paths.notebooks_dir() if out_root is None else out_root / "notebooks"
    result = RunResult(out_root=out_root, notebooks_dir=nb_dir)
    old_out = os.environ.get("NEWSSCOPE_OUT")
    if out_root is not None:
        os.environ["NEWSSCOPE_OUT"] = str(out_root)
        print(f"corpus {choice.corpus} ({choice.origin}): notebooks, results and figures go to {_display(out_root)}",
              file=log, flush=True)
    try:
        for nb in nbs:
            target = nb if out_root is None else nb_dir / nb.name
            print(f"executing {nb.name} ...", file=log, flush=True)
            figures_before = _file_times(paths.figures_dir(), "[0-9][0-9]-*.*")
            results_before = _file_times(paths.results_dir())
            executed = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            try:
                written, failure = execute_notebook(nb, timeout=timeout, out_path=target, parameters=params or None), None
            except NotebookFailed as exc:
                written, failure = None, exc.failure
            changed = _changed(figures_before, _file_times(paths.figures_dir(), "[0-9][0-9]-*.*"))
            figures = tuple(sorted({Path(n).stem for n in changed}))
            if failure is not None:
                tables = _changed(results_before, _file_times(paths.results_dir()))
                partial = [_display(paths.results_dir() / n) for n in tables] + \
                          [_display(paths.figures_dir() / f"{n}.*") for n in figures]
                print("newsscope run: " + failure.describe(), file=log, flush=True)
                if partial:
                    print(f"  written before the failure (possibly incomplete): {', '.join(partial)}", file=log, flush=True)
            outcome = NotebookOutcome(nb, written, failure, figures, executed)
            result.outcomes.append(outcome)
            update_record(nb_dir, _run_entry(choice, params, out_root), {nb.stem: _notebook_entry(outcome)})
    finally:
        if old_out is None:
            os.environ.pop("NEWSSCOPE_OUT", None)
        else:
            os.environ["NEWSSCOPE_OUT"] = old_out
    return result


def _run_entry(choice: Any, params: dict[str, Any], out_root: Path | None) -> dict[str, Any]:
    return {"corpus": choice.corpus, "manifest": choice.manifest, "corpus_origin": choice.origin,
            "parameters": params, "in_place": out_root is None}


def _notebook_entry(o: NotebookOutcome) -> dict[str, Any]:
    entry: dict[str, Any] = {"status": "ok" if o.ok else "failed", "executed": o.executed, "figures": list(o.figures)}
    if o.failure is not None:
        entry.update(error=o.failure.error, cell=o.failure.cell, first_line=o.failure.first_line,
                     traceback=list(o.failure.traceback))
    return entry
