"""The report: one HTML page per executed notebook and a front page, readable without Jupyter.

``write_report(notebooks_dir, out_dir)`` renders every numbered notebook of ``notebooks_dir``
(inputs hidden, no stderr boxes, no progress widgets, no scripts loaded from the network) and
writes ``index.html``: the corpus, the run date, the parameters, the notebooks with their status
(``ok``, ``failed`` -- with the error and a page of the notebook as executed up to the failure --,
``not executed`` or ``missing``) and a gallery of the exported figures. The figures
(``NN-slug.png``, ``.svg``, ``.csv``) are copied into ``<out_dir>/figures`` and the result tables (``data/results/``) into
``<out_dir>/results``, so the report folder can be moved or published as it is.

Figures are read from ``<notebooks_dir>/../figures`` -- ``figures/`` for the committed notebooks,
``<out>/figures`` for an output root -- and, when the run record lists what each notebook wrote,
only the figures written by the latest run of each notebook are shown.
"""

from __future__ import annotations

import ast
import copy
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsscope import paths
from newsscope.config import DEFAULT_CORPUS
from newsscope.runner.captions import caption_of
from newsscope.runner.execute import describe_failure, list_notebooks
from newsscope.runner.index import Figure, NotebookStatus, write_index
from newsscope.runner.record import failed_path, read_record

__all__ = ["NotebookStatus", "Figure", "Report", "prepare_for_reader", "render_page", "read_parameters",
           "write_report"]

FIGURE_SUFFIXES = (".png", ".svg", ".csv")
RESULT_SUFFIXES = (".csv", ".graphml", ".gexf")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# the lab template without scripts fetched from a CDN (no maths, mermaid or widgets in our pages):
# the pages then work offline and from any folder
_PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
<nav style="padding: 0.5em 1em; font: 14px sans-serif;"><a href="index.html">&larr; report index</a></nav>
{%- endblock body_header -%}
"""


@dataclass
class Report:
    """What ``write_report`` wrote."""

    index: Path
    pages: list[Path]
    notebooks: list[NotebookStatus]
    figures: list[Figure]
    corpus: str
    run_date: str


def prepare_for_reader(nb: Any) -> Any:
    """Return a copy of ``nb`` without stderr streams, widget views (progress bars) and widget state."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.get("outputs", [])
                        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                        and _WIDGET_VIEW not in o.get("data", {})]
    return nb


def render_page(nb_path: Path, page: Path, *, hide_inputs: bool = True) -> Path:
    """Render one executed notebook to a standalone HTML page (figures embedded)."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"newsscope.html.j2": _PAGE_TEMPLATE})])
    exporter.template_file = "newsscope.html.j2"
    exporter.exclude_input = hide_inputs
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(prepare_for_reader(nbformat.read(nb_path, as_version=4)))
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    return page


def read_parameters(nb: Any) -> list[tuple[str, str, str, bool]]:
    """Return ``(name, value as written, comment, injected)`` for the notebook's parameters.

    Values come from the cell tagged ``parameters``; a cell tagged ``injected-parameters`` (written
    by ``newsscope run``) overrides them and marks them as injected.
    """
    found: dict[str, tuple[str, str, str, bool]] = {}
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        injected = "injected-parameters" in tags
        if cell.cell_type != "code" or not (injected or "parameters" in tags):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        lines = cell.source.splitlines()
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = ast.get_source_segment(cell.source, node.value) or ""
                rest = lines[node.end_lineno - 1][node.end_col_offset:] if node.end_lineno else ""
                comment = rest.split("#", 1)[1].strip() if "#" in rest else ""
                name = node.targets[0].id
                if injected and name in found:
                    comment = found[name][2]
                found[name] = (name, value, comment, injected)
    return list(found.values())


def _title(nb: Any, stem: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return stem


def _is_executed(nb: Any) -> bool:
    return any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def _status_of(stem: str, nb_dir: Path, record: dict[str, Any], source: Path | None) -> tuple[NotebookStatus, Any]:
    """The status of one notebook and the notebook node to take its title and parameters from."""
    import nbformat

    good, failed = nb_dir / f"{stem}.ipynb", failed_path(nb_dir / f"{stem}.ipynb")
    entry = record.get("notebooks", {}).get(stem)
    if entry is not None:
        is_failed = entry.get("status") == "failed"
    else:  # no record: a .failed copy newer than the good notebook means the latest run failed
        is_failed = failed.is_file() and (not good.is_file() or failed.stat().st_mtime >= good.stat().st_mtime)
    shown = failed if is_failed and failed.is_file() else good
    nb = nbformat.read(shown, as_version=4) if shown.is_file() else (
        nbformat.read(source, as_version=4) if source is not None and source.is_file() else None)
    st = NotebookStatus(stem=stem, title=_title(nb, stem) if nb is not None else stem, status="missing")
    st.parameters = read_parameters(nb) if nb is not None else []
    if entry is not None:
        st.executed = str(entry.get("executed", ""))
        st.figures = list(entry.get("figures", []))
    if is_failed:
        st.status = "failed"
        if entry is not None and entry.get("error"):
            st.error, st.cell, st.first_line = entry["error"], entry.get("cell"), entry.get("first_line", "")
        elif shown == failed:
            f = describe_failure(nb, RuntimeError("the notebook stopped"), notebook=failed.name)
            st.error, st.cell, st.first_line = f.error, f.cell, f.first_line
        else:
            st.error = "failed (no partly executed copy was kept)"
    elif good.is_file():
        st.status = "ok" if _is_executed(nb) else "not executed"
    return st, nb


def _run_date(record: dict[str, Any], statuses: Sequence[NotebookStatus], nb_dir: Path) -> str:
    times = sorted(s.executed for s in statuses if s.executed)
    if times:
        first, last = (datetime.fromisoformat(t).astimezone(timezone.utc) for t in (times[0], times[-1]))
        if first.date() == last.date():
            return f"{last:%Y-%m-%d %H:%M} UTC"
        return f"{first:%Y-%m-%d} to {last:%Y-%m-%d %H:%M} UTC"
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cI", "--", "."], cwd=nb_dir, capture_output=True,
                             text=True, timeout=20, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    if out:
        return f"{datetime.fromisoformat(out).astimezone(timezone.utc):%Y-%m-%d} (last commit of the notebooks)"
    mtimes = [p.stat().st_mtime for p in nb_dir.glob("[0-9][0-9]-*.ipynb")]
    if mtimes:
        return f"{datetime.fromtimestamp(max(mtimes), timezone.utc):%Y-%m-%d %H:%M} UTC (file time)"
    return "never run"


def _corpus(record: dict[str, Any], statuses: Sequence[NotebookStatus]) -> tuple[str, str]:
    """(corpus, manifest) of the run: the record, else the notebooks' parameters, else the default."""
    if record.get("corpus"):
        return str(record["corpus"]), str(record.get("manifest") or "")
    values: dict[str, str] = {}
    for st in statuses:
        for name, value, _, _ in st.parameters:
            if name in ("corpus", "manifest") and name not in values:
                try:
                    v = ast.literal_eval(value)
                except (ValueError, SyntaxError):
                    continue
                if v:
                    values[name] = str(v)
    return values.get("corpus", DEFAULT_CORPUS), values.get("manifest", "")


def _copy_figures(statuses: Sequence[NotebookStatus], src: Path, out_dir: Path,
                  sources: dict[str, str] | None = None) -> list[Figure]:
    dest = out_dir / "figures"
    same = dest.resolve() == src.resolve()
    if not same:
        if dest.is_dir():  # the report folder is generated: drop figures of an earlier report
            for old in dest.glob("[0-9][0-9]-*.*"):
                if old.suffix in FIGURE_SUFFIXES:
                    old.unlink()
        dest.mkdir(parents=True, exist_ok=True)
    figures = []
    names = sorted({p.stem for p in src.glob("[0-9][0-9]-*.*") if p.suffix in FIGURE_SUFFIXES}) if src.is_dir() else []
    code = sources or {}

    def order(name: str) -> tuple[str, int, str]:  # in the order the notebook saves them
        pos = code.get(name[:2], "").find(name)
        return name[:2], pos if pos >= 0 else len(code.get(name[:2], "")), name

    names.sort(key=order)
    by_number = {st.stem[:2]: st for st in statuses}
    for name in names:
        st = by_number.get(name[:2])
        if st is not None and st.figures is not None and name not in st.figures:
            continue  # not written by the latest run of its notebook: a leftover of another run
        files = {}
        for suffix in FIGURE_SUFFIXES:
            f = src / f"{name}{suffix}"
            if f.is_file():
                if not same:
                    shutil.copy2(f, dest / f.name)
                files[suffix[1:]] = f"figures/{f.name}"
        if "png" in files:
            figures.append(Figure(name=name, caption=caption_of(name), files=files, notebook=name[:2]))
    return figures


def _copy_results(src: Path, out_dir: Path) -> list[str]:
    """Copy the result tables (``data/results/*``) to ``<out_dir>/results``; return their links."""
    dest = out_dir / "results"
    if dest.is_dir() and dest.resolve() != src.resolve():  # tables of an earlier report (nothing else)
        for old in dest.iterdir():
            if old.is_file() and old.suffix in RESULT_SUFFIXES:
                old.unlink()
    if not src.is_dir():
        return []
    files = sorted(p for p in src.iterdir() if p.is_file() and p.suffix in RESULT_SUFFIXES)
    if files and dest.resolve() != src.resolve():
        dest.mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy2(f, dest / f.name)
    return [f"results/{f.name}" for f in files]


def write_report(notebooks_dir: Path | None = None, out_dir: Path | None = None, *, hide_inputs: bool = True,
                 expected: Sequence[str] | None = None) -> Report:
    """Render the executed notebooks of ``notebooks_dir`` and write ``index.html`` in ``out_dir``.

    Parameters
    ----------
    notebooks_dir : Path, optional
        Folder of executed notebooks (default ``notebooks/``); figures are read from its sibling
        ``figures/``.
    out_dir : Path, optional
        The report folder (default ``<notebooks_dir>/../report``).
    hide_inputs : bool
        Hide code cells in the pages.
    expected : sequence of str, optional
        Notebook stems the front page must account for (default: the project's numbered
        notebooks); those without an executed notebook are marked ``missing``.

    Returns
    -------
    Report
    """
    nb_dir = Path(notebooks_dir) if notebooks_dir is not None else paths.notebooks_dir()
    out_dir = Path(out_dir) if out_dir is not None else nb_dir.parent / "report"
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = {p.stem: p for p in list_notebooks()}
    stems = sorted(set(expected if expected is not None else sources) | {p.stem for p in list_notebooks(folder=nb_dir)}
                   | {p.name[: -len(".failed.ipynb")] for p in nb_dir.glob("[0-9][0-9]-*.failed.ipynb")})
    record = read_record(nb_dir)
    for old in out_dir.glob("[0-9][0-9]-*.html"):  # pages of an earlier report
        old.unlink()
    statuses, pages, code = [], [], {}
    for stem in stems:
        st, nb = _status_of(stem, nb_dir, record, sources.get(stem))
        if nb is not None:
            code[stem[:2]] = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        good, failed = nb_dir / f"{stem}.ipynb", failed_path(nb_dir / f"{stem}.ipynb")
        if st.status == "failed" and failed.is_file():
            pages.append(render_page(failed, out_dir / f"{stem}.failed.html", hide_inputs=hide_inputs))
            st.page = pages[-1].name
            if good.is_file() and _is_executed(_read(good)):
                pages.append(render_page(good, out_dir / f"{stem}.html", hide_inputs=hide_inputs))
                st.earlier_page = pages[-1].name
        elif st.status in ("ok", "not executed"):
            pages.append(render_page(good, out_dir / f"{stem}.html", hide_inputs=hide_inputs))
            st.page = pages[-1].name
        statuses.append(st)
    figures = _copy_figures(statuses, nb_dir.parent / "figures", out_dir, code)
    corpus, manifest = _corpus(record, statuses)
    run_date = _run_date(record, statuses, nb_dir)
    results = _copy_results(nb_dir.parent / "data" / "results", out_dir)
    index = write_index(out_dir / "index.html", corpus=corpus, manifest=manifest, run_date=run_date,
                        notebooks=statuses, figures=figures, results=results)
    return Report(index=index, pages=pages, notebooks=statuses, figures=figures, corpus=corpus, run_date=run_date)


def _read(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)
