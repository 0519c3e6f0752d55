"""The synthetic page generator: deterministic, every variant, and the parser reads it back exactly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from newsscope.corpus import load_corpus, read_manifest
from newsscope.parsing import parse_paths
from newsscope.synth import ENCODINGS, VARIANTS, generate_pages, read_truth

FIELDS = ["source", "section", "authors", "title", "captions", "image_credits", "text", "paywalled"]


@pytest.fixture(scope="module")
def news100(news100_path: Path) -> pd.DataFrame:
    return load_corpus("builtin:news100")


def none_if_na(value: object) -> object:
    return None if value is None or (isinstance(value, float) and value != value) else value


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(folder).as_posix().encode() + f.read_bytes())
    return h.hexdigest()


def test_generator_is_deterministic(news100: pd.DataFrame, tmp_path: Path) -> None:
    a = generate_pages(news100, tmp_path / "a", 60, seed=3)
    b = generate_pages(news100, tmp_path / "b", 60, seed=3)
    assert a.equals(b) and digest(tmp_path / "a") == digest(tmp_path / "b")
    c = generate_pages(news100, tmp_path / "c", 60, seed=4)
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_parser_reads_every_variant_back_exactly(news100: pd.DataFrame, tmp_path: Path) -> None:
    manifest = generate_pages(news100, tmp_path, 600, seed=11)
    assert set(manifest["variant"]) == set(VARIANTS) and set(manifest["encoding"]) == set(ENCODINGS)
    truth = read_truth(tmp_path).set_index("file")
    result = parse_paths([tmp_path / "pages"])
    assert (result.accounting["outcome"] != "rejected").all()
    got = result.articles.set_index("origin").loc[truth.index]
    for field in FIELDS:
        expected = [none_if_na(v) for v in truth[field]]
        actual = [none_if_na(v) for v in got[field]]
        wrong = [f for f, e, a in zip(truth.index, expected, actual) if e != a]
        assert not wrong, f"{field}: {len(wrong)} pages differ, e.g. {wrong[:3]}"


def test_manifest_coverage_and_contract(news100: pd.DataFrame, tmp_path: Path) -> None:
    frame = generate_pages(news100, tmp_path, 200, seed=5, manifest_coverage=0.8, variants=["standard", "headerless"])
    listed = read_manifest(tmp_path / "manifest.csv")
    assert list(listed.columns[:4]) == ["file", "url", "published", "source"]
    assert len(listed) == frame["in_manifest"].sum() and 120 < len(listed) < 190
    assert listed["published"].notna().all() and listed["url"].str.startswith("http").all()
    assert set(frame["variant"]) == {"standard", "headerless"}
    with pytest.raises(ValueError, match="no known names"):
        generate_pages(news100, tmp_path / "x", 5, variants=["nonsense"])
