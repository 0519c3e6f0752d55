"""Result tables of the trends stage in ``data/results/``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from newsscope import paths
from newsscope.trends.bursts import BURST_COLUMNS

__all__ = ["write_bursts"]


def write_bursts(bursts: pd.DataFrame, name: str = "bursts.csv") -> Path:
    """Write the burst table (strongest first) to ``<results>/bursts.csv`` and return the path.

    Columns: term, start, end, weight, peak_share, docs (the contract), then peak_date, n_terms
    and example_title. Numbers are rounded so that reruns give the same file.
    """
    missing = [c for c in BURST_COLUMNS if c not in bursts.columns]
    if missing:
        raise ValueError(f"the burst table lacks columns {missing}")
    out = bursts[BURST_COLUMNS].copy()
    out["weight"] = out["weight"].astype(float).round(3)
    out["peak_share"] = out["peak_share"].astype(float).round(4)
    path = paths.ensure_dir(paths.results_dir()) / name
    out.to_csv(path, index=False, lineterminator="\n")
    return path
