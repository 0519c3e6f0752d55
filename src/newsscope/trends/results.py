"""Result tables of the trends stage in ``data/results/``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from newsscope import paths
from newsscope.trends.bursts import BURST_COLUMNS, MEMBER_COLUMNS

__all__ = ["write_bursts", "summarize_bursts", "look_up_bursts"]


def write_bursts(bursts: pd.DataFrame, name: str = "bursts.csv", folder: str | Path | None = None) -> Path:
    """Write the burst table (strongest first) to ``<results>/bursts.csv`` and return the path.

    ``folder`` writes it there instead of the results folder (e.g. a partitioned run's ``trends/``).

    Columns: term, start, end, weight, peak_share, docs (the contract), then peak_date, n_terms
    and example_title. Numbers are rounded so that reruns give the same file.
    """
    missing = [c for c in BURST_COLUMNS if c not in bursts.columns]
    if missing:
        raise ValueError(f"the burst table lacks columns {missing}")
    out = bursts[BURST_COLUMNS].copy()
    out["weight"] = out["weight"].astype(float).round(3)
    out["peak_share"] = out["peak_share"].astype(float).round(4)
    path = paths.ensure_dir(Path(folder) if folder is not None else paths.results_dir()) / name
    out.to_csv(path, index=False, lineterminator="\n")
    return path


def summarize_bursts(bursts: pd.DataFrame, n: int = 20, terms_shown: int = 4) -> pd.DataFrame:
    """Return the ``n`` strongest bursts for reading: rank (index from 1), the first terms, dates, weight, docs, peak %.

    ``terms`` shows an event's first ``terms_shown`` terms and how many more it has; ``weight``
    is rounded to 0.1 and ``peak %`` is the peak share in percent, rounded to 0.1.
    """
    table = bursts.head(n)
    more = (table["n_terms"] - terms_shown).astype(int) if len(table) else []
    out = pd.DataFrame({
        "terms": [("; ".join(t.split("; ")[:terms_shown]) + (f" (+{k})" if k > 0 else "")) for t, k in zip(table["term"], more)],
        "start": table["start"].to_numpy(), "end": table["end"].to_numpy(), "peak_date": table["peak_date"].to_numpy(),
        "weight": table["weight"].astype(float).round(1).to_numpy(), "docs": table["docs"].to_numpy(),
        "peak %": (100 * table["peak_share"].astype(float)).round(1).to_numpy(),
    }, index=range(1, len(table) + 1))
    return out


def look_up_bursts(bursts: pd.DataFrame, terms: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Return the term bursts of ``terms`` (term, start, end, weight, docs, peak_share, event rank) and the terms without one.

    ``event rank`` is the 1-based row of the term's event in ``bursts``; numbers are rounded to
    three decimals and dates printed as days.
    """
    members = bursts.attrs.get("members", pd.DataFrame(columns=MEMBER_COLUMNS))
    check = members[members["term"].isin(terms)]
    out = pd.DataFrame({
        "term": check["term"].to_numpy(), "start": [pd.Timestamp(d).date() for d in check["start"]],
        "end": [pd.Timestamp(d).date() for d in check["end"]], "weight": check["weight"].astype(float).round(3).to_numpy(),
        "docs": check["docs"].to_numpy(), "peak_share": check["peak_share"].astype(float).round(3).to_numpy(),
        "event rank": (check["group"].astype(int) + 1).to_numpy(),
    })
    return out, [t for t in terms if t not in set(out["term"])]
