"""Graph construction, seeded communities, ego networks, outlet comparison, trends and export."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from newsscope.actors import network


def _graph() -> nx.Graph:
    actors = pd.DataFrame({"actor": ["Russia", "Syria", "Vladimir Putin", "Bashar al-Assad", "Donald Trump", "United States", "Mexico"],
                           "type": ["GPE", "GPE", "PERSON", "PERSON", "PERSON", "GPE", "GPE"],
                           "mentions": [50, 40, 30, 20, 60, 70, 10], "docs": [20, 15, 12, 8, 30, 35, 5]})
    edges = pd.DataFrame({
        "source": ["Russia", "Russia", "Syria", "Bashar al-Assad", "Donald Trump", "Donald Trump", "Mexico", "Russia"],
        "target": ["Syria", "Vladimir Putin", "Vladimir Putin", "Syria", "United States", "Mexico", "United States", "United States"],
        "cooccurrences": [30, 25, 10, 18, 40, 12, 9, 3], "npmi": [0.4, 0.5, 0.2, 0.6, 0.3, 0.35, 0.3, 0.01],
        "llr": [90.0, 80.0, 20.0, 70.0, 100.0, 30.0, 25.0, 1.0], "p_value": [1e-20, 1e-18, 1e-5, 1e-16, 1e-22, 1e-7, 1e-6, 0.3],
        "docs": [12, 10, 5, 7, 25, 6, 5, 3]})
    return network.build_graph(actors, edges)


def test_build_graph_carries_attributes() -> None:
    G = _graph()
    assert G.number_of_nodes() == 7 and G.number_of_edges() == 8
    assert G.nodes["Vladimir Putin"]["type"] == "PERSON"
    assert G["Russia"]["Syria"]["weight"] == 30.0 and G["Russia"]["Syria"]["npmi"] == 0.4


def test_communities_are_seeded_and_numbered_by_size() -> None:
    G = _graph()
    a = network.detect_communities(G, random_state=3)
    b = network.detect_communities(G, random_state=3)
    assert a == b
    assert a["Russia"] == a["Syria"] == a["Vladimir Putin"] == a["Bashar al-Assad"]
    assert a["Donald Trump"] == a["Mexico"] == a["United States"] != a["Russia"]
    assert a["Russia"] == 0                               # the larger community is number 0
    G.add_node("Lonely", mentions=1)
    assert network.detect_communities(G)["Lonely"] == -1


def test_centrality_and_ego_network() -> None:
    G = _graph()
    c = network.centrality_table(G).set_index("actor")
    assert c.loc["Russia", "degree"] == 3 and c.loc["Russia", "strength"] == 58
    assert c.loc["Russia", "betweenness"] > c.loc["Mexico", "betweenness"]
    ego = network.ego_network(G, "Russia", top_n=2)
    assert set(ego) == {"Russia", "Syria", "Vladimir Putin"}   # the two strongest ties
    partners = network.ego_partners(G, "Russia")
    assert partners["partner"].tolist() == ["Syria", "Vladimir Putin", "United States"]  # by G2
    with pytest.raises(KeyError, match="did you mean"):
        network.ego_network(G, "Putin")


def test_compare_outlets_counts_within_each_outlet() -> None:
    sentences = pd.DataFrame({"doc_id": ["t1", "t1", "t2", "b1", "b1"], "sent": [0, 1, 0, 0, 1], "start": 0, "end": 10})
    mentions = pd.DataFrame({"doc_id": ["t1", "t1", "t1", "t1", "t2", "t2", "b1", "b1", "b1", "b1"],
                             "sent": [0, 0, 1, 1, 0, 0, 0, 0, 1, 1],
                             "actor": ["Russia", "Syria", "Russia", "Syria", "Russia", "Ukraine",
                                       "Russia", "United States", "Russia", "United States"]})
    sources = pd.Series({"t1": "TASS", "t2": "TASS", "b1": "BBC"})
    out = network.compare_outlets(mentions, sentences, sources, "Russia", ["TASS", "BBC", "CNN"], min_count=1)
    tass = out[out["outlet"] == "TASS"]
    assert tass["partner"].tolist() == ["Syria", "Ukraine"]
    assert tass["cooccurrences"].tolist() == [2, 1] and tass["share"].tolist() == [2 / 3, 1 / 3]
    assert out.loc[out["outlet"] == "BBC", "partner"].tolist() == ["United States"]
    assert "CNN" not in set(out["outlet"])                # no articles: no rows, no crash


def test_mention_trends_share_of_articles() -> None:
    mentions = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "actor": ["Russia", "Russia", "Syria", "Russia"]})
    published = pd.Series(pd.to_datetime(["2017-01-03", "2017-01-20", "2017-02-01", None]), index=["a", "b", "c", "d"])
    t = network.mention_trends(mentions, published, ["Russia", "Syria"], freq="M", min_period_docs=1)
    jan = t[t["period"] == pd.Timestamp("2017-01-01")].set_index("actor")
    assert jan.loc["Russia", "docs"] == 1 and jan.loc["Russia", "share"] == 0.5
    feb = t[t["period"] == pd.Timestamp("2017-02-01")].set_index("actor")
    assert feb.loc["Russia", "share"] == 1.0 and feb.loc["Syria", "docs"] == 0
    assert t.attrs["undated"] == 1
    # weeks start on Monday; periods with too few articles are left out and listed
    w = network.mention_trends(mentions, published, ["Russia"], freq="W", min_period_docs=2)
    assert w.empty and w.attrs["sparse_periods"] == {"2017-01-02": 1, "2017-01-16": 1, "2017-01-30": 1}


def test_export_graphml_and_gexf_round_trip(tmp_path) -> None:
    G = _graph()
    nx.set_node_attributes(G, network.detect_communities(G), "community")
    paths = network.export_graph(G, tmp_path)
    assert [p.name for p in paths] == ["actors.graphml", "actors.gexf"]
    back = nx.read_graphml(paths[0])
    assert back.number_of_edges() == 8 and back.nodes["Russia"]["community"] == 0
    gexf = nx.read_gexf(paths[1])
    assert gexf.number_of_nodes() == 7
    assert "lastmodifieddate" not in paths[1].read_text(encoding="utf-8")   # reruns give identical files
