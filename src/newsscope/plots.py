"""House style and :func:`save_figure`, the one way figures leave a notebook.

``save_figure(fig, "NN-slug", data)`` writes ``figures/NN-slug.png`` (150 dpi), ``.svg`` and the
data behind the figure as ``NN-slug.csv``. Figures have a fixed size chosen from a few presets
(:data:`SIZES`), so reruns give the same pixels, and SVGs carry no timestamp or random ids.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from newsscope import paths

__all__ = ["SIZES", "DPI", "STYLE", "OUTLET_COLORS", "apply_style", "house_style", "new_figure", "save_figure", "outlet_color"]

DPI = 150
#: Figure sizes in inches by name.
SIZES: dict[str, tuple[float, float]] = {
    "wide": (11.0, 5.5),
    "tall": (9.0, 10.0),
    "square": (9.0, 9.0),
    "small": (7.0, 4.5),
    "large": (13.0, 9.0),
}
STYLE: dict[str, object] = {
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "svg.hashsalt": "newsscope",
    "svg.fonttype": "none",
    "axes.prop_cycle": mpl.cycler(color=[
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf", "#393b79", "#637939",
    ]),
}
#: A fixed colour per outlet of the built-in corpus (other outlets take the cycle).
OUTLET_COLORS: dict[str, str] = {
    "Al Jazeera": "#d4a017", "TASS": "#c0392b", "ABC News": "#1f4e79", "RTE": "#2ca02c",
    "HuffPost": "#6c3483", "DW": "#17becf", "China Daily": "#ff7f0e", "BBC": "#555555", "CNN": "#e377c2",
}


def outlet_color(name: str, fallback_index: int = 0) -> str:
    """Return the house colour of an outlet (a cycle colour for unknown outlets)."""
    if name in OUTLET_COLORS:
        return OUTLET_COLORS[name]
    cycle = STYLE["axes.prop_cycle"].by_key()["color"]  # type: ignore[union-attr]
    return cycle[fallback_index % len(cycle)]


def apply_style() -> None:
    """Set the house style globally (for notebooks)."""
    mpl.rcParams.update(STYLE)


@contextmanager
def house_style() -> Iterator[None]:
    """Use the house style inside a ``with`` block."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(size: str = "wide", nrows: int = 1, ncols: int = 1, **kwargs):
    """Return ``(fig, ax)`` of a preset size in the house style (constrained layout)."""
    apply_style()
    fig, ax = plt.subplots(nrows, ncols, figsize=SIZES[size], layout="constrained", **kwargs)
    return fig, ax


_NAME = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")


def save_figure(fig: plt.Figure, name: str, data: pd.DataFrame | None = None, *, close: bool = False) -> Path:
    """Save ``fig`` as ``figures/<name>.png`` and ``.svg``, and ``data`` as ``<name>.csv``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        ``NN-slug``: the notebook's two-digit number and a lower-case slug, e.g. ``01-funnel``.
    data : pandas.DataFrame, optional
        The data plotted, written beside the figure (index included when it is named).
    close : bool
        Close the figure after saving (the notebook then shows nothing).

    Returns
    -------
    Path
        The PNG path.
    """
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r} must look like 'NN-slug' (two digits, a dash, lower-case words)")
    out = paths.ensure_dir(paths.figures_dir())
    png = out / f"{name}.png"
    fig.savefig(png, dpi=DPI, metadata={"Software": None})
    fig.savefig(out / f"{name}.svg", metadata={"Date": None, "Creator": None})
    if data is not None:
        keep_index = any(n is not None for n in data.index.names)
        data.to_csv(out / f"{name}.csv", index=keep_index, float_format="%.6g", lineterminator="\n")
    if close:
        plt.close(fig)
    return png
