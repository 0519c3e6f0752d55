"""Synthetic article tables for the scale benchmark: distinct stories, planted duplicates, dates."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from newsscope.clean import clean_articles
from newsscope.clean.dedup import jaccard_pairs, shingle_sets
from newsscope.corpus import load_corpus
from newsscope.synth import generate_pages, read_truth, vary_articles
from newsscope.synth_articles import invented_names


@pytest.fixture(scope="module")
def news100(news100_path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus("builtin:news100")


@pytest.fixture(scope="module")
def varied(news100: pd.DataFrame) -> pd.DataFrame:
    return vary_articles(news100, 400, seed=5, duplicate_share=0.05, near_duplicate_share=0.05, date_epochs=3)


def test_vary_articles_is_deterministic(news100: pd.DataFrame, varied: pd.DataFrame) -> None:
    again = vary_articles(news100, 400, seed=5, duplicate_share=0.05, near_duplicate_share=0.05, date_epochs=3)
    pd.testing.assert_frame_equal(varied, again)
    other = vary_articles(news100, 400, seed=6, duplicate_share=0.05, near_duplicate_share=0.05, date_epochs=3)
    assert not other["text"].equals(varied["text"])


def test_kinds_and_known_answers(news100: pd.DataFrame, varied: pd.DataFrame) -> None:
    counts = varied["kind"].value_counts()
    assert counts["exact_duplicate"] == 20 and counts["near_duplicate"] == 20
    usable = (news100["title"].str.strip().ne("") & news100["text"].str.len().ge(300)).sum()
    assert counts["original"] == usable and counts["rewrite"] == 360 - usable
    assert varied["synth_id"].is_unique and varied["url"].is_unique
    by_id = varied.set_index("synth_id")
    dups = varied[varied["kind"] == "exact_duplicate"]
    assert (dups["text"].to_numpy() == by_id.loc[dups["copy_of"], "text"].to_numpy()).all()
    near = varied[varied["kind"] == "near_duplicate"]
    assert (near["text"].to_numpy() != by_id.loc[near["copy_of"], "text"].to_numpy()).all()
    assert varied.loc[varied["kind"].isin(["original", "rewrite"]), "copy_of"].isna().all()
    # originals are the input's articles verbatim
    orig = varied[varied["kind"] == "original"]
    assert (orig["text"].to_numpy() == news100.loc[orig["based_on"], "text"].to_numpy()).all()


def test_rewrites_are_distinct_stories(varied: pd.DataFrame) -> None:
    """Two rewrites of one article share few word 3-grams: not near-duplicates at 0.65."""
    stories = varied[varied["kind"].isin(["original", "rewrite"])].reset_index(drop=True)
    values, offsets = shingle_sets(stories["text"].tolist(), 3)
    pairs = [(i, j) for _, g in stories.groupby("based_on") for i in g.index for j in g.index if i < j]
    assert len(pairs) > 100
    jac = jaccard_pairs(values, offsets, np.array(pairs))
    assert np.median(jac) < 0.45 and (jac >= 0.65).mean() < 0.05
    # yet they are about the same story: most keep a good part of the article
    assert np.median(jac) > 0.1
    # invented names enlarge the vocabulary: rewrites name people and places the input never does
    names = set(invented_names(20000, seed=5))
    rewrites = stories[stories["kind"] == "rewrite"]
    with_names = [bool(names & set(t.replace(",", " ").replace(".", " ").split())) for t in rewrites["text"]]
    assert np.mean(with_names) > 0.5


def test_dates_spread_over_epochs(news100: pd.DataFrame, varied: pd.DataFrame) -> None:
    base = news100["published"].dropna()
    span = varied["published"].max() - varied["published"].min()
    assert span > 2 * (base.quantile(0.99) - base.quantile(0.01))
    copies = varied[varied["copy_of"].notna()]
    by_id = varied.set_index("synth_id")
    delta = (copies["published"].to_numpy() - by_id.loc[copies["copy_of"], "published"].to_numpy()) / np.timedelta64(1, "D")
    assert ((delta >= 0) & (delta <= 1)).all()


def test_cleaner_finds_the_planted_duplicates(varied: pd.DataFrame) -> None:
    table = varied.drop(columns=["kind", "based_on", "copy_of"]).rename(columns={"synth_id": "origin"})
    arts = clean_articles(table).articles
    canon = dict(zip(arts["origin"], [d if isinstance(d, str) else i for d, i in zip(arts["duplicate_of"], arts["doc_id"])]))
    copies = varied[varied["copy_of"].notna()]
    found = np.array([canon[c] == canon[s] for c, s in zip(copies["synth_id"], copies["copy_of"])])
    assert found.mean() >= 0.95  # copy and story end up in one group (either may be the canonical one)
    sources = set(copies["copy_of"])
    stories = varied[varied["kind"].isin(["original", "rewrite"]) & ~varied["synth_id"].isin(sources)]
    merged = np.array([arts.set_index("origin").at[x, "status"] != "kept" for x in stories["synth_id"]])
    assert merged.mean() < 0.05  # distinct stories are rarely taken for duplicates


def test_generate_pages_without_replacement(varied: pd.DataFrame, tmp_path: Path) -> None:
    manifest = generate_pages(varied, tmp_path, 200, seed=1, replace=False)
    assert manifest["url"].is_unique  # every page renders a different article
    truth = read_truth(tmp_path)
    assert len(truth) == 200 and set(manifest["url"]) <= set(varied["url"])
