"""The whole actor stage on small real inputs: results, evidence, cache reuse, a single page."""

from __future__ import annotations

import warnings

import networkx as nx
import pandas as pd
import pytest

from newsscope import paths
from newsscope.actors import load_actors
from newsscope.corpus import load_corpus


@pytest.fixture(scope="module")
def small_corpus(news100_path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus("builtin:news100").head(40)


@pytest.fixture(scope="module")
def net(small_corpus, tmp_path_factory):
    """The stage on 40 articles, and the cache folder it used."""
    mp = pytest.MonkeyPatch()
    cache_dir = str(tmp_path_factory.mktemp("actors-cache"))
    mp.setenv("NEWSSCOPE_CACHE", cache_dir)
    try:
        yield load_actors(small_corpus, n_process=1, progress=False, min_count=2, min_mentions=2, alpha=None), cache_dir
    finally:
        mp.undo()


def test_results_follow_the_contract(net) -> None:
    result, _ = net
    written = result.write_results()
    assert sorted(written) == sorted(["actors.csv", "actor_aliases.csv", "actor_edges.csv", "actors.graphml", "actors.gexf"])
    actors = pd.read_csv(written["actors.csv"])
    assert actors.columns[:6].tolist() == ["actor", "type", "mentions", "docs", "degree", "community"]
    assert actors["mentions"].is_monotonic_decreasing
    aliases = pd.read_csv(written["actor_aliases.csv"])
    assert aliases.columns[:3].tolist() == ["actor", "alias", "mentions"]
    # every kept mention is accounted for by an alias row
    assert aliases["mentions"].sum() == int(result.mentions["actor"].notna().sum())
    edges = pd.read_csv(written["actor_edges.csv"])
    assert edges.columns[:7].tolist() == ["source", "target", "cooccurrences", "npmi", "llr", "p_value", "example_doc_ids"]
    assert len(edges) > 0 and (edges["source"] < edges["target"]).all()
    assert edges["llr"].is_monotonic_decreasing
    g = nx.read_graphml(written["actors.graphml"])
    assert g.number_of_edges() == len(edges)
    assert written["actors.csv"].parent == paths.results_dir()


def test_every_edge_has_evidence(net, small_corpus) -> None:
    result, _ = net
    texts = result.texts
    for row in result.edges.head(10).itertuples():
        ids = row.example_doc_ids.split("; ")
        assert 1 <= len(ids) <= 5 and set(ids) <= set(small_corpus["doc_id"])
        assert row.example_sentence and row.example_sentence in " ".join(texts[ids[0]].split())
        ev = result.evidence(row.source, row.target)
        assert len(ev) == row.cooccurrences                      # one row per shared sentence
        assert ids[0] in set(ev["doc_id"])


def test_mentions_accounted_and_alias_rules_visible(net) -> None:
    result, _ = net
    m = result.mentions
    assert m["actor"].notna().sum() + m["drop"].notna().sum() == len(m)
    assert result.info["mentions"] == len(m)
    assert {"Donald Trump", "United States"} <= set(result.actors["actor"])
    trump = result.aliases[result.aliases["actor"] == "Donald Trump"]
    assert "partial name -> full name in article" in set(trump["rule"])


def test_warm_rerun_reuses_ner_and_resolution(net, small_corpus, monkeypatch) -> None:
    result, cache_dir = net
    monkeypatch.setenv("NEWSSCOPE_CACHE", cache_dir)
    again = load_actors(small_corpus, n_process=1, progress=False, min_count=2, min_mentions=2, alpha=None)
    assert again.info["ner_new"] == 0 and again.info["ner_cached"] == result.info["documents"]
    pd.testing.assert_frame_equal(again.edges, result.edges)
    assert again.actors.equals(result.actors)


def test_unknown_setting_is_an_error(small_corpus) -> None:
    with pytest.raises(TypeError, match="unknown actor setting"):
        load_actors(small_corpus, min_cout=3)


def test_single_page_corpus_degrades_gracefully() -> None:
    page = paths.raw_dir() / "inkl"
    result = load_actors(str(page), n_process=2, progress=False)
    assert result.info["documents"] == 1
    names = set(result.actors["actor"])
    assert {"NATO", "China", "Japan"} <= names           # "Nato" in the page, merged with NATO
    assert "Fumio Kishida" in names and "Jens Stoltenberg" in names
    # one article: article-level counts are degenerate, but nothing crashes and tables exist
    assert result.counts["article"].n_units == 1
    # one outlet: its partners of China are the actors sharing at least 2 sentences with China, counted here
    comp = result.compare_outlets("China")
    kept = result.mentions.dropna(subset=["actor"])
    china = [set(g) for _, g in kept.groupby("sent")["actor"] if "China" in set(g)]
    shared = {a: sum(a in s for s in china) for a in set(kept["actor"]) - {"China"}}
    assert set(comp["outlet"]) == set(result.articles["source"]) and comp["outlet_docs"].eq(1).all()
    assert dict(zip(comp["partner"], comp["cooccurrences"])) == {a: n for a, n in shared.items() if n >= 2}
    assert comp["actor_units"].eq(len(china)).all() and comp["rank"].tolist() == list(range(1, len(comp) + 1))
    # the page has no date: no mention trends, an empty table with its columns
    assert result.articles["published"].isna().all()
    trends = result.trends(top_n=3)
    assert trends.empty and list(trends.columns) == ["period", "actor", "docs", "period_docs", "share"]
