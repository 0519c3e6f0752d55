"""The report's front page, ``index.html``: plain HTML and CSS, no script, nothing from the network.

It shows the corpus, the run date, the notebooks with their status and links, a failure's error
and failing cell, each notebook's parameters, and a gallery of the exported figures with their
captions and links to the PNG, SVG and CSV (paths relative to the report folder).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["NotebookStatus", "Figure", "write_index"]

@dataclass
class NotebookStatus:
    """One numbered notebook as the front page shows it."""

    stem: str
    title: str
    status: str                       # "ok", "failed", "not executed" or "missing"
    page: str | None = None           # the rendered page (relative to the report folder)
    earlier_page: str | None = None   # an earlier successful run, when the latest failed
    error: str = ""
    cell: int | None = None
    first_line: str = ""
    executed: str = ""
    parameters: list[tuple[str, str, str, bool]] = field(default_factory=list)
    figures: list[str] | None = None  # figure names written by the latest run (None: unknown)


@dataclass(frozen=True)
class Figure:
    """One exported figure and its files in the report folder."""

    name: str
    caption: str
    files: dict[str, str]             # suffix without dot -> path relative to the report folder
    notebook: str                     # the two-digit number



_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto;
       max-width: 1180px; padding: 1.5em 2em 3em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0 1em; } td, th { padding: 0.25em 0.8em 0.25em 0;
  text-align: left; vertical-align: top; } th { font-weight: 600; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #f4f4f4; padding: 0 0.2em; }
.status { display: inline-block; min-width: 6.5em; padding: 0 0.5em; border-radius: 3px; font-size: 0.85em;
          font-weight: 600; text-align: center; }
.ok { background: #dff0d8; color: #2b542c; } .failed { background: #f2dede; color: #a94442; }
.missing, .not-executed { background: #fcf8e3; color: #8a6d3b; }
.error { color: #a94442; margin: 0.2em 0 0.6em 1em; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1.2em; }
figure { margin: 0; border: 1px solid #e3e3e3; border-radius: 4px; padding: 0.6em; background: #fff; }
figure img { width: 100%; height: auto; display: block; }
figcaption { font-size: 0.9em; margin-top: 0.4em; } .files { font-size: 0.85em; color: #555; }
.note { color: #666; font-size: 0.9em; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _notebook_rows(notebooks: Sequence[NotebookStatus]) -> list[str]:
    rows = []
    for st in notebooks:
        css = st.status.replace(" ", "-")
        name = f'<a href="{_e(st.page)}">{_e(st.stem)}</a>' if st.page else _e(st.stem)
        extra = ""
        if st.status == "failed":
            where = f"cell [{st.cell}]" if st.cell is not None else "a cell"
            line = f": <code>{_e(st.first_line)}</code>" if st.first_line else ""
            extra = f'<div class="error">failed at {_e(where)}{line}<br><code>{_e(st.error)}</code>'
            if st.page:
                extra += f'<br><a href="{_e(st.page)}">the notebook as executed up to the failure</a>'
            if st.earlier_page:
                extra += f' · <a href="{_e(st.earlier_page)}">an earlier successful run</a>'
            extra += "</div>"
        elif st.status == "missing":
            extra = '<div class="error">no executed notebook: run <code>newsscope run</code></div>'
        elif st.status == "not executed":
            extra = '<div class="error">the notebook has no outputs: run <code>newsscope run</code></div>'
        rows.append(f'<tr><td><span class="status {css}">{_e(st.status)}</span></td><td>{name}{extra}</td>'
                    f"<td>{_e(st.title)}</td></tr>")
    return rows


def _parameter_tables(notebooks: Sequence[NotebookStatus]) -> list[str]:
    out = []
    for st in notebooks:
        if not st.parameters:
            continue
        out.append(f"<h3>{_e(st.stem)}</h3><table><tr><th>parameter</th><th>value</th><th></th></tr>")
        for name, value, comment, injected in st.parameters:
            note = "set by <code>newsscope run</code>" if injected else _e(comment)
            out.append(f"<tr><td><code>{_e(name)}</code></td><td><code>{_e(value)}</code></td>"
                       f'<td class="note">{note}</td></tr>')
        out.append("</table>")
    return out


def _gallery(notebooks: Sequence[NotebookStatus], figures: Sequence[Figure]) -> list[str]:
    out = []
    titles = {st.stem[:2]: st for st in notebooks}
    numbers = sorted({f.notebook for f in figures} | set(titles))
    for number in numbers:
        st = titles.get(number)
        mine = [f for f in figures if f.notebook == number]
        heading = (st.title if st.title.startswith(number) else f"{st.stem}: {st.title}") if st is not None \
            else f"notebook {number}"
        out.append(f"<h3>{_e(heading)}</h3>")
        if st is not None and st.status == "failed" and mine:
            out.append('<p class="note">This notebook failed: the figures below are those it wrote before the '
                       "failure.</p>")
        if not mine:
            why = {"failed": "it failed before exporting any", "missing": "it has not been run"}.get(
                st.status if st is not None else "", "none was exported (see the notebook page for why)")
            out.append(f'<p class="note">No figure: {_e(why)}.</p>')
            continue
        out.append('<div class="gallery">')
        for f in mine:
            links = " · ".join(f'<a href="{_e(path)}">{_e(kind.upper())}</a>' for kind, path in f.files.items())
            out.append(f'<figure id="{_e(f.name)}"><a href="{_e(f.files["png"])}"><img src="{_e(f.files["png"])}" '
                       f'alt="{_e(f.caption)}"></a><figcaption><b>{_e(f.name)}</b> {_e(f.caption)}'
                       f'<div class="files">{links}</div></figcaption></figure>')
        out.append("</div>")
    return out


def write_index(path: Path, *, corpus: str, manifest: str, run_date: str, notebooks: Sequence[NotebookStatus],
                figures: Sequence[Figure], results: Sequence[str] = ()) -> Path:
    """Write the front page to ``path`` and return it.

    Parameters
    ----------
    path : Path
        ``<report folder>/index.html``; links are relative to its folder.
    corpus, manifest : str
        The corpus spec or path and the manifest ("" when none).
    run_date : str
        When the notebooks ran, as shown.
    notebooks : sequence of NotebookStatus
        Every notebook the report accounts for, in order.
    figures : sequence of Figure
        The gallery, in order.
    results : sequence of str
        Links to the result tables (``results/NAME``), relative to the report folder.
    """
    n_ok = sum(st.status == "ok" for st in notebooks)
    problems = [st for st in notebooks if st.status != "ok"]
    summary = f"{n_ok} of {len(notebooks)} notebooks ran" + (
        "; " + ", ".join(f"{st.stem} {st.status}" for st in problems) if problems else "")
    facts = [("corpus", f"<code>{_e(corpus)}</code>")]
    if manifest:
        facts.append(("manifest", f"<code>{_e(manifest)}</code>"))
    facts += [("run", _e(run_date)), ("notebooks", _e(summary)), ("figures", _e(len(figures)))]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>newsscope report: {_e(corpus)}</title><style>{_CSS}</style></head><body>",
        "<h1>newsscope report</h1>",
        "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts) + "</table>",
        "<h2>Notebooks</h2>", "<table>", *_notebook_rows(notebooks), "</table>",
        "<h2>Figures</h2>", *_gallery(notebooks, figures),
        "<h2>Result tables</h2>",
        ("<p>" + " · ".join(f'<a href="{_e(r)}">{_e(r.split("/")[-1])}</a>' for r in results) + "</p>") if results
        else '<p class="note">No result table was written.</p>',
        "<h2>Parameters</h2>",
        '<p class="note">As written in each notebook\'s <code>parameters</code> cell; values set by '
        "<code>newsscope run</code> are marked.</p>", *_parameter_tables(notebooks),
        "</body></html>", "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
