"""paths, cache, plots and the runner: the plumbing every stage relies on."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from newsscope import cache, paths, plots  # noqa: E402
from newsscope.cli import build_parser  # noqa: E402


def test_paths_follow_environment_at_call_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSSCOPE_OUT", str(tmp_path / "o"))
    assert paths.results_dir() == tmp_path / "o" / "data" / "results"
    assert paths.figures_dir() == tmp_path / "o" / "figures"
    monkeypatch.delenv("NEWSSCOPE_OUT")
    assert paths.results_dir() == paths.project_root() / "data" / "results"
    assert (paths.project_root() / "pyproject.toml").is_file()


def test_cached_frame_computes_once_per_key() -> None:
    calls = []

    def compute() -> pd.DataFrame:
        calls.append(1)
        df = pd.DataFrame({"a": [1, 2], "l": [["x"], []]})
        df.attrs["note"] = "kept"
        return df

    a = cache.cached_frame("t", {"k": 1}, compute)
    b = cache.cached_frame("t", {"k": 1}, compute)
    cache.cached_frame("t", {"k": 2}, compute)
    assert len(calls) == 2
    assert b["a"].tolist() == [1, 2] and list(b["l"].iloc[0]) == ["x"] and b.attrs["note"] == "kept"
    assert a.equals(compute())


def test_hash_object_is_order_independent() -> None:
    assert cache.hash_object({"a": 1, "b": [1, 2]}) == cache.hash_object({"b": [1, 2], "a": 1})
    assert cache.hash_object({"a": 1}) != cache.hash_object({"a": 2})


def test_save_figure_writes_png_svg_csv() -> None:
    fig, ax = plots.new_figure("small")
    data = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})
    ax.plot(data["x"], data["y"])
    png = plots.save_figure(fig, "99-test-figure", data)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = png.with_suffix(".svg").read_text()
    assert "<svg" in svg and "dc:date" not in svg
    assert pd.read_csv(png.with_suffix(".csv")).equals(data)
    png2 = plots.save_figure(fig, "99-test-figure", data)
    assert png2.with_suffix(".svg").read_text() == svg  # stable across saves


def test_save_figure_rejects_bad_names() -> None:
    fig, _ = plots.new_figure("small")
    with pytest.raises(ValueError, match="NN-slug"):
        plots.save_figure(fig, "Funnel Figure")


def test_cli_lists_the_contract_commands() -> None:
    text = build_parser().format_help()
    for cmd in ("fetch-corpus", "run", "report"):
        assert cmd in text
