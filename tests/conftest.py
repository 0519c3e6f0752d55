"""Shared fixtures: isolated caches and output roots so tests never touch committed results."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_outputs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Send caches, results and figures of every test to a temporary folder."""
    base = tmp_path_factory.mktemp("newsscope")
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(base / "processed"))
    monkeypatch.setenv("NEWSSCOPE_OUT", str(base / "out"))
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def news100_path() -> Path:
    """The 100-article sample of the built-in corpus (fetched by `make fetch`)."""
    path = ROOT / "data" / "raw" / "newsarticles" / "News100.csv"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make fetch` first")
    return path
