"""The actor network: graph, communities, centrality, ego networks, outlets, trends, export.

All functions are deterministic: nodes and edges enter graphs in sorted order, community
detection is seeded (``random_state``) and communities are numbered by size (0 = largest).
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from newsscope.actors.cooccur import count_cooccurrences

__all__ = [
    "build_graph", "ordered_subgraph", "detect_communities", "centrality_table", "ego_network", "ego_partners", "compare_outlets",
    "mention_trends", "export_graph", "top_subgraph",
]

_EDGE_ATTRS = ("cooccurrences", "npmi", "llr", "p_value", "docs")


def ordered_subgraph(G: nx.Graph, nodes) -> nx.Graph:
    """Return a copy of the subgraph on ``nodes`` with nodes and edges in sorted order.

    networkx subgraph views iterate small node sets in set order, which depends on Python's
    string hashing; layouts and drawings then change from run to run. This copy does not.
    """
    keep = set(nodes)
    H = nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in sorted(keep) if n in G)
    edges = sorted((min(u, v), max(u, v)) for u, v in G.edges(sorted(keep & set(G))) if u in keep and v in keep)
    H.add_edges_from((u, v, G[u][v]) for u, v in edges)
    return H


def build_graph(actors: pd.DataFrame, edges: pd.DataFrame, weight: str = "cooccurrences") -> nx.Graph:
    """Return an undirected graph of ``actors`` (nodes) and ``edges``.

    Parameters
    ----------
    actors : pandas.DataFrame
        actor, type, mentions, docs (extra columns become node attributes too).
    edges : pandas.DataFrame
        source, target and measures; edges whose ends are not in ``actors`` are left out.
    weight : str
        Edge column copied to the ``weight`` attribute (used by layouts and communities).
    """
    G = nx.Graph()
    nodes = actors.sort_values("actor")
    for row in nodes.to_dict("records"):
        name = row.pop("actor")
        G.add_node(name, **{k: v for k, v in row.items() if v is not None and not (isinstance(v, float) and np.isnan(v))})
    e = edges[edges["source"].isin(G) & edges["target"].isin(G)].sort_values(["source", "target"])
    for row in e.to_dict("records"):
        attrs = {k: row[k] for k in _EDGE_ATTRS if k in row}
        attrs["weight"] = float(row[weight])
        G.add_edge(row["source"], row["target"], **attrs)
    return G


def detect_communities(G: nx.Graph, weight: str = "weight", resolution: float = 1.0, random_state: int = 0) -> dict[str, int]:
    """Return node -> community (Louvain, seeded); 0 is the largest community, isolated nodes -1.

    Communities of equal size are ordered by their alphabetically first member.
    """
    connected = [n for n in sorted(G) if G.degree(n) > 0]
    if not connected:
        return {n: -1 for n in G}
    H = ordered_subgraph(G, connected)
    comms = nx.community.louvain_communities(H, weight=weight, resolution=resolution, seed=random_state)
    comms = sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))
    out = {n: -1 for n in G}
    for i, c in enumerate(comms):
        for n in c:
            out[n] = i
    return out


def centrality_table(G: nx.Graph, top_n: int | None = 300, by: str = "mentions") -> pd.DataFrame:
    """Return per actor: degree, strength (summed weight), betweenness and eigenvector centrality.

    Degree and strength use the whole graph. Betweenness (distance ``1 / weight``: strong ties
    are short) and eigenvector centrality (weighted, on the largest connected component) are
    computed among the ``top_n`` actors by ``by`` (None: all), because exact betweenness costs
    O(nodes x edges): with thousands of actors it takes minutes and says little about the
    rarely named ones. Actors outside that set get NaN.
    """
    cols = ["actor", "degree", "strength", "betweenness", "eigenvector"]
    nodes = sorted(G)
    if not nodes:
        return pd.DataFrame(columns=cols)
    H = ordered_subgraph(G, G if top_n is None or G.number_of_nodes() <= top_n else top_subgraph(G, top_n, by=by))
    nx.set_edge_attributes(H, {(u, v): 1.0 / d["weight"] for u, v, d in H.edges(data=True)}, "distance")
    btw = nx.betweenness_centrality(H, weight="distance", normalized=True) if H.number_of_edges() else {n: 0.0 for n in H}
    eig: dict[str, float] = {n: 0.0 for n in H}
    if H.number_of_edges():
        giant = ordered_subgraph(H, max(nx.connected_components(H), key=lambda c: (len(c), sorted(c)[0])))
        if giant.number_of_nodes() > 2:
            try:
                eig.update({n: abs(v) for n, v in nx.eigenvector_centrality_numpy(giant, weight="weight").items()})
            except (nx.NetworkXException, ValueError, TypeError, ArithmeticError):
                pass
    return pd.DataFrame({
        "actor": nodes,
        "degree": [G.degree(n) for n in nodes],
        "strength": [G.degree(n, weight="weight") for n in nodes],
        "betweenness": [btw.get(n, np.nan) for n in nodes],
        "eigenvector": [eig.get(n, np.nan) for n in nodes],
    })


def top_subgraph(G: nx.Graph, top_n: int = 40, by: str = "mentions") -> nx.Graph:
    """Return the subgraph of the ``top_n`` nodes by a node attribute (ties by name)."""
    ranked = sorted(G.nodes(data=True), key=lambda nd: (-nd[1].get(by, 0), nd[0]))[:top_n]
    return ordered_subgraph(G, [n for n, _ in ranked])


def ego_network(G: nx.Graph, actor: str, top_n: int | None = 20, by: str = "weight") -> nx.Graph:
    """Return ``actor`` and its strongest ``top_n`` neighbours (by the edge attribute ``by``),
    with the edges among them.

    Raises
    ------
    KeyError
        If ``actor`` is not in the graph (the message suggests close names).
    """
    if actor not in G:
        near = sorted(n for n in G if actor.lower() in n.lower())[:5]
        raise KeyError(f"actor {actor!r} is not in the network" + (f"; did you mean {near}?" if near else ""))
    nbrs = sorted(G[actor], key=lambda n: (-G[actor][n].get(by, 0), n))
    if top_n is not None:
        nbrs = nbrs[:top_n]
    return ordered_subgraph(G, [actor, *nbrs])


def ego_partners(G: nx.Graph, actor: str) -> pd.DataFrame:
    """Return the neighbours of ``actor`` with the edge measures, strongest (by G²) first."""
    if actor not in G:
        raise KeyError(f"actor {actor!r} is not in the network")
    rows = [{"partner": n, "type": G.nodes[n].get("type"), "community": G.nodes[n].get("community"),
             **{k: d.get(k) for k in _EDGE_ATTRS}} for n, d in G[actor].items()]
    cols = ["partner", "type", "community", *_EDGE_ATTRS]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["llr", "partner"], ascending=[False, True]).reset_index(drop=True)


def compare_outlets(resolved: pd.DataFrame, sentences: pd.DataFrame, sources: pd.Series, actor: str,
                    outlets: list[str] | None = None, unit: str = "sentence", min_count: int = 2, top_n: int = 10) -> pd.DataFrame:
    """Which actors each outlet pairs most with ``actor``.

    Co-occurrence is counted within each outlet's articles separately, so NPMI and G² measure
    the association *in that outlet*.

    Parameters
    ----------
    resolved, sentences
        Resolved mentions and sentences (see :func:`~newsscope.actors.cooccur.count_cooccurrences`).
    sources : pandas.Series
        doc_id -> outlet.
    actor : str
    outlets : list of str, optional
        Outlets to compare (default: all, most articles first). Outlets without the actor get no rows.
    unit : {"sentence", "article"}
    min_count : int
        Minimum co-occurrences for a partner to be listed.
    top_n : int
        Partners per outlet (by co-occurrences, then NPMI).

    Returns
    -------
    pandas.DataFrame
        outlet, rank, partner, cooccurrences, share (of the units naming ``actor`` in that
        outlet), npmi, llr, p_value, actor_units, outlet_docs.
    """
    cols = ["outlet", "rank", "partner", "cooccurrences", "share", "npmi", "llr", "p_value", "actor_units", "outlet_docs"]
    if outlets is None:
        outlets = sources.value_counts().sort_index().sort_values(ascending=False, kind="stable").index.tolist()
    frames = []
    for outlet in outlets:
        docs = set(sources.index[sources == outlet])
        if not docs:
            continue
        co = count_cooccurrences(resolved[resolved["doc_id"].isin(docs)], sentences[sentences["doc_id"].isin(docs)], unit)
        if actor not in set(co.actors["actor"]):
            continue
        n_actor = int(co.actors.loc[co.actors["actor"] == actor, "units"].iloc[0])
        p = co.pairs[(co.pairs["source"] == actor) | (co.pairs["target"] == actor)]
        p = p[p["cooccurrences"] >= min_count].copy()
        p["partner"] = np.where(p["source"] == actor, p["target"], p["source"])
        p = p.sort_values(["cooccurrences", "npmi", "partner"], ascending=[False, False, True]).head(top_n)
        p["outlet"] = outlet
        p["rank"] = np.arange(1, len(p) + 1)
        p["share"] = p["cooccurrences"] / n_actor
        p["actor_units"] = n_actor
        p["outlet_docs"] = len(docs)
        frames.append(p[cols])
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)


def mention_trends(resolved: pd.DataFrame, published: pd.Series, actors: list[str], freq: str = "W",
                   min_period_docs: int = 20) -> pd.DataFrame:
    """Share of articles per period that name each actor.

    Parameters
    ----------
    resolved : pandas.DataFrame
        Resolved mentions (doc_id, actor).
    published : pandas.Series
        doc_id -> publication date (undated articles are left out and counted in ``attrs``).
    actors : list of str
    freq : str
        ``"W"`` (weeks starting on Monday), ``"M"`` (calendar months) or ``"D"`` (days).
    min_period_docs : int
        Periods with fewer articles are left out (a share of 2 articles is noise); they are
        listed in ``attrs['sparse_periods']`` with their article counts.

    Returns
    -------
    pandas.DataFrame
        period (start date), actor, docs (articles naming the actor), period_docs, share;
        ``attrs['undated']`` and ``attrs['sparse_periods']``.
    """
    codes = {"W": "W-SUN", "M": "M", "MS": "M", "D": "D"}
    if freq not in codes:
        raise ValueError(f"freq={freq!r}: use 'W', 'M' or 'D'")
    dated = published.dropna()
    periods = dated.dt.to_period(codes[freq]).dt.start_time
    period_docs = periods.value_counts().sort_index()
    sparse = period_docs[period_docs < min_period_docs]
    period_docs = period_docs[period_docs >= min_period_docs]
    m = resolved.loc[resolved["actor"].isin(actors), ["doc_id", "actor"]].drop_duplicates()
    m = m[m["doc_id"].isin(periods.index)]
    m["period"] = periods.reindex(m["doc_id"]).to_numpy()
    counts = m.groupby(["period", "actor"]).size()
    grid = pd.MultiIndex.from_product([period_docs.index, sorted(actors)], names=["period", "actor"])
    out = counts.reindex(grid, fill_value=0).rename("docs").reset_index()
    out["period_docs"] = out["period"].map(period_docs).astype(int)
    out["share"] = out["docs"] / out["period_docs"]
    out.attrs["undated"] = int(published.isna().sum())
    out.attrs["sparse_periods"] = {str(pd.Timestamp(k).date()): int(v) for k, v in sparse.items()}
    return out


def _plain(value):
    """A GraphML/GEXF-friendly value: Python scalars, floats to 6 significant digits."""
    value = value.item() if hasattr(value, "item") else value
    return float(f"{value:.6g}") if isinstance(value, float) else value


def _exportable(G: nx.Graph) -> nx.Graph:
    H = nx.Graph()
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _plain(v) for k, v in d.items() if v is not None and not (isinstance(v, float) and np.isnan(v))})
    for u, v, d in G.edges(data=True):
        H.add_edge(u, v, **{k: _plain(x) for k, x in d.items() if x is not None and k != "distance"})
    return H


def export_graph(G: nx.Graph, folder: Path, name: str = "actors") -> list[Path]:
    """Write ``G`` as ``<folder>/<name>.graphml`` and ``.gexf`` (for Gephi); return the paths."""
    from newsscope import cache

    folder.mkdir(parents=True, exist_ok=True)
    H = _exportable(G)
    out = [folder / f"{name}.graphml", folder / f"{name}.gexf"]
    cache.write_atomic(out[0], lambda p: nx.write_graphml(H, p, prettyprint=False))
    # GEXF carries the day it was written; drop it so that reruns give identical files
    gexf = re.sub(r'\s*lastmodifieddate="[^"]*"', "", "\n".join(nx.generate_gexf(H, prettyprint=False))) + "\n"
    cache.write_atomic(out[1], lambda p: p.write_text(gexf, encoding="utf-8"))
    return out
