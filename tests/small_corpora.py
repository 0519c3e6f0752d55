"""Small and awkward corpora for the notebook matrix (``tests/test_small_corpora.py``).

Every corpus is built from the built-in sample with :mod:`newsscope.synth` (aggregator pages with a
manifest), or is a committed/built-in input, so the matrix needs no network. Each case is a
``Case(name, corpus, manifest)``; :func:`build_cases` writes the generated ones under a folder.

Run as a script to build them for a manual look::

    PYTHONPATH=src python tests/small_corpora.py /tmp/small
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsscope import corpus, paths, synth

__all__ = ["Case", "CASE_NAMES", "build_cases"]


@dataclass(frozen=True)
class Case:
    """One corpus of the matrix: a spec or path, and its manifest (or None)."""

    name: str
    corpus: str
    manifest: str | None = None


#: The matrix, in the order the test runs it.
CASE_NAMES = ("pages-1", "pages-5", "pages-25", "pages-80", "undated", "one-outlet", "one-day",
              "news100", "inkl-sample", "titles-table")


def _pages(articles: pd.DataFrame, base: Path, name: str, n: int, seed: int, *, dated: bool = True) -> Case:
    out = base / name
    synth.generate_pages(articles, out, n=n, seed=seed, manifest_coverage=1.0)
    return Case(name, str(out / "pages"), str(out / "manifest.csv") if dated else None)


def _titles_table(articles: pd.DataFrame, base: Path) -> Case:
    """A CSV with a title, an outlet and a date per row, and no text column (headlines only)."""
    rows = articles.dropna(subset=["published"]).sort_values("doc_id").head(60)
    table = pd.DataFrame({"id": range(1, len(rows) + 1), "title": rows["title"].to_numpy(),
                          "source": rows["source"].to_numpy(),
                          "date": rows["published"].dt.strftime("%Y-%m-%d").to_numpy()})
    path = base / "titles.csv"
    table.to_csv(path, index=False)
    return Case("titles-table", str(path))


def build_cases(base: str | Path, names: tuple[str, ...] = CASE_NAMES) -> list[Case]:
    """Write the generated corpora under ``base`` and return the cases named in ``names``.

    Parameters
    ----------
    base : str or Path
        Folder for the generated pages, manifests and table.
    names : tuple of str
        Which cases to build (default: all of :data:`CASE_NAMES`).

    Returns
    -------
    list of Case
    """
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # the built-in corpus's one odd date is not this helper's business
        warnings.simplefilter("ignore", UserWarning)
        articles = corpus.load_corpus("builtin:newsarticles")
    articles = articles[articles["text"].str.len() >= 1500]
    day_counts = articles["published"].dt.normalize().value_counts()
    busiest = day_counts.sort_index().idxmax()
    builders = {
        "pages-1": lambda: _pages(articles, base, "pages-1", 1, seed=1),
        "pages-5": lambda: _pages(articles, base, "pages-5", 5, seed=5),
        "pages-25": lambda: _pages(articles, base, "pages-25", 25, seed=25),
        "pages-80": lambda: _pages(articles, base, "pages-80", 80, seed=80),
        "undated": lambda: _pages(articles, base, "undated", 30, seed=30, dated=False),
        "one-outlet": lambda: _pages(articles[articles["source"] == "TASS"], base, "one-outlet", 40, seed=40),
        "one-day": lambda: _pages(articles[articles["published"].dt.normalize() == busiest], base, "one-day", 40, seed=41),
        "news100": lambda: Case("news100", "builtin:news100"),
        "inkl-sample": lambda: Case("inkl-sample", str(paths.project_root() / "data" / "raw" / "inkl")),
        "titles-table": lambda: _titles_table(articles, base),
    }
    return [builders[n]() for n in names]


if __name__ == "__main__":
    for case in build_cases(sys.argv[1] if len(sys.argv) > 1 else "/tmp/small-corpora"):
        print(case)
