"""Figures of the actor stage, in the house style; each returns ``(fig, data)`` for save_figure.

Colours are per community (the same in every figure); node area is proportional to mentions and
edge width to the edge weight; labels are placed with adjustText so they do not overlap.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from newsscope import plots
from newsscope.actors.network import top_subgraph

__all__ = ["community_color", "draw_network", "draw_ego", "draw_outlet_comparison", "draw_trends"]

_OTHER = "#b0b0b0"


def community_color(community: int | None) -> str:
    """Return the colour of a community (grey for -1, None and communities beyond the palette)."""
    cycle = plots.STYLE["axes.prop_cycle"].by_key()["color"]  # type: ignore[union-attr]
    if community is None or community < 0 or community >= len(cycle):
        return _OTHER
    return cycle[community]


def _scaled(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    top = values.max() if len(values) and values.max() > 0 else 1.0
    return lo + (hi - lo) * values / top


def _labels(ax, pos: dict, names: list[str], sizes: dict[str, float], fontsize: float = 9) -> None:
    from adjustText import adjust_text

    texts = []
    for n in names:
        x, y = pos[n]
        texts.append(ax.text(x, y, n, fontsize=fontsize, ha="center", va="center", zorder=5,
                             bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}))
    xs = np.array([pos[n][0] for n in pos])
    ys = np.array([pos[n][1] for n in pos])
    adjust_text(texts, x=xs, y=ys, ax=ax, expand=(1.15, 1.3), force_text=(0.3, 0.5), force_static=(0.2, 0.4),
                ensure_inside_axes=True, arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5})


def draw_network(G: nx.Graph, top_n: int = 40, weight: str = "weight", random_state: int = 0, title: str | None = None):
    """Draw the ``top_n`` most mentioned actors and the edges among them.

    Node area = mentions, edge width = ``weight``, colour = community. The layout is a seeded
    force-directed layout (Kamada-Kawai start, spring refinement) with isolated nodes placed on
    the rim.

    Returns
    -------
    fig, data
        ``data``: one row per node (actor, mentions, community, x, y) and per edge
        (source, target, weight) as plotted.
    """
    H = top_subgraph(G, top_n)
    fig, ax = plots.new_figure("large")
    ax.set_axis_off()
    if H.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no actors to draw", ha="center", va="center", transform=ax.transAxes)
        return fig, pd.DataFrame(columns=["kind", "actor", "mentions", "community", "x", "y", "source", "target", "weight"])
    connected = [n for n in sorted(H) if H.degree(n) > 0]
    C = H.subgraph(connected)
    pos: dict[str, np.ndarray] = {}
    if C.number_of_nodes() > 1:
        dist = {u: {v: 1.0 for v in C} for u in C}
        for u, v, d in C.edges(data=True):
            dist[u][v] = dist[v][u] = 1.0 / (1.0 + math.log1p(d[weight]))
        start = nx.kamada_kawai_layout(C, dist=None, weight=None)
        pos.update(nx.spring_layout(C, pos=start, weight=None, k=1.6 / math.sqrt(C.number_of_nodes()), iterations=60,
                                    seed=random_state))
    elif C.number_of_nodes() == 1:
        pos[connected[0]] = np.array([0.0, 0.0])
    isolated = [n for n in sorted(H) if H.degree(n) == 0]
    for i, n in enumerate(isolated):
        a = 2 * math.pi * i / max(len(isolated), 1)
        pos[n] = np.array([1.25 * math.cos(a), 1.25 * math.sin(a)])
    mentions = np.array([H.nodes[n].get("mentions", 1) for n in H])
    sizes = dict(zip(H, _scaled(np.sqrt(mentions), 60, 2200) ** 1.0))
    edges = sorted(H.edges(data=True), key=lambda e: e[2].get(weight, 0))
    ew = _scaled(np.sqrt([d.get(weight, 0) for _, _, d in edges]), 0.3, 7.0) if edges else []
    for (u, v, d), w in zip(edges, ew):
        cu, cv = H.nodes[u].get("community", -1), H.nodes[v].get("community", -1)
        ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color=community_color(cu) if cu == cv else "#999999",
                lw=w, alpha=0.35, zorder=1, solid_capstyle="round")
    nodes = sorted(H)
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=[sizes[n] for n in nodes],
               c=[community_color(H.nodes[n].get("community", -1)) for n in nodes], edgecolors="white", linewidths=1.0, zorder=3)
    _labels(ax, pos, nodes, sizes)
    # legend: communities with their three most mentioned members
    comms: dict[int, list[str]] = {}
    for n in sorted(H, key=lambda n: (-H.nodes[n].get("mentions", 0), n)):
        comms.setdefault(H.nodes[n].get("community", -1), []).append(n)
    handles = [plt.Line2D([], [], marker="o", ls="", color=community_color(c), markersize=9,
                          label=(f"community {c}: " if c >= 0 else "no edge: ") + ", ".join(m[:3]))
               for c, m in sorted(comms.items())]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=2, fontsize=8, frameon=False)
    ax.set_title(title or f"Actor co-occurrence network: the {H.number_of_nodes()} most mentioned actors")
    ax.margins(0.06)
    node_rows = pd.DataFrame({"kind": "node", "actor": nodes, "mentions": [H.nodes[n].get("mentions") for n in nodes],
                              "community": [H.nodes[n].get("community") for n in nodes],
                              "x": [round(float(pos[n][0]), 4) for n in nodes], "y": [round(float(pos[n][1]), 4) for n in nodes]})
    edge_rows = pd.DataFrame({"kind": "edge", "source": [u for u, _, _ in edges], "target": [v for _, v, _ in edges],
                              "weight": [d.get(weight) for _, _, d in edges]})
    return fig, pd.concat([node_rows, edge_rows], ignore_index=True)


def draw_ego(G: nx.Graph, actor: str, partners: pd.DataFrame, top_n: int = 20, weight: str = "cooccurrences"):
    """Draw ``actor`` in the centre and its ``top_n`` strongest partners on a circle.

    Partners are ordered by community then weight, so neighbours of one community sit together;
    edge width = ``weight`` (co-occurrences with ``actor``), colour = community; links between
    partners are drawn faintly.

    Returns
    -------
    fig, data
        ``data``: the partners drawn (partner, community, cooccurrences, npmi, angle).
    """
    fig, ax = plots.new_figure("square")
    ax.set_axis_off()
    top = partners.sort_values([weight, "partner"], ascending=[False, True]).head(top_n).copy()
    if top.empty:
        ax.text(0.5, 0.5, f"{actor}: no partners in the network", ha="center", va="center", transform=ax.transAxes)
        return fig, top
    top["community"] = top["community"].fillna(-1).astype(int)
    top = top.sort_values(["community", weight, "partner"], ascending=[True, False, True]).reset_index(drop=True)
    angles = np.linspace(0, 2 * np.pi, len(top), endpoint=False) + np.pi / 2
    pos = {actor: np.array([0.0, 0.0])}
    for p, a in zip(top["partner"], angles):
        pos[p] = np.array([np.cos(a), np.sin(a)])
    for u, v in G.subgraph(top["partner"]).edges():
        ax.plot(*zip(pos[u], pos[v]), color="#cccccc", lw=0.5, alpha=0.6, zorder=1)
    widths = _scaled(np.sqrt(top[weight].to_numpy(dtype=float)), 0.6, 9.0)
    for p, w, c in zip(top["partner"], widths, top["community"]):
        ax.plot(*zip(pos[actor], pos[p]), color=community_color(c), lw=w, alpha=0.55, zorder=2, solid_capstyle="round")
    mentions = np.array([G.nodes[p].get("mentions", 1) for p in top["partner"]])
    sizes = _scaled(np.sqrt(mentions), 40, 900)
    ax.scatter([pos[p][0] for p in top["partner"]], [pos[p][1] for p in top["partner"]], s=sizes,
               c=[community_color(c) for c in top["community"]], edgecolors="white", zorder=3)
    ax.scatter([0], [0], s=1400, c=community_color(G.nodes[actor].get("community", -1)), edgecolors="black", zorder=4)
    ax.text(0, 0, actor, ha="center", va="center", fontsize=11, fontweight="bold", zorder=5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
    for p, a, n in zip(top["partner"], angles, top[weight]):
        x, y = 1.12 * np.cos(a), 1.12 * np.sin(a)
        deg = math.degrees(a) % 360
        flip = 90 < deg < 270
        ax.text(x, y, f"{p} ({int(n)})", rotation=deg + 180 if flip else deg, rotation_mode="anchor",
                ha="right" if flip else "left", va="center", fontsize=9)
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-1.75, 1.75)
    ax.set_aspect("equal")
    ax.set_title(f"{actor}: its {len(top)} strongest co-occurrence partners (number = shared sentences)")
    top["angle"] = np.round(np.degrees(angles) % 360, 2)
    return fig, top[["partner", "community", "cooccurrences", "npmi", "angle"]]


def draw_outlet_comparison(table: pd.DataFrame, actor: str, communities: dict[str, int] | None = None, top_n: int = 8):
    """One panel per outlet: the actors that outlet pairs most with ``actor`` (share of its sentences).

    Returns
    -------
    fig, data
        The rows of ``table`` drawn.
    """
    outlets = list(dict.fromkeys(table["outlet"])) if len(table) else []
    n = max(len(outlets), 1)
    fig, axes = plots.new_figure("wide", 1, n, sharex=True)
    axes = np.atleast_1d(axes)
    communities = communities or {}
    shown = table[table["rank"] <= top_n]
    for ax, outlet in zip(axes, outlets):
        sub = shown[shown["outlet"] == outlet].sort_values("rank", ascending=False)
        ax.barh(sub["partner"], 100 * sub["share"], color=[community_color(communities.get(p, -1)) for p in sub["partner"]])
        for y, (v, c) in enumerate(zip(100 * sub["share"], sub["cooccurrences"])):
            ax.text(v, y, f" {int(c)}", va="center", fontsize=8)
        units = int(sub["actor_units"].iloc[0]) if len(sub) else 0
        ax.set_title(f"{outlet}\n({units} sentences name {actor})", fontsize=10)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"% of those sentences")
    if not outlets:
        axes[0].text(0.5, 0.5, f"no outlet names {actor}", ha="center", va="center", transform=axes[0].transAxes)
        axes[0].set_axis_off()
    xmax = 100 * shown["share"].max() if len(shown) else 1
    for ax in axes:
        ax.set_xlim(0, xmax * 1.25)
    fig.suptitle(f"Who appears with {actor}, by outlet (number = shared sentences)", fontweight="bold")
    return fig, shown.reset_index(drop=True)


def draw_trends(trends: pd.DataFrame, title: str | None = None):
    """Heat map: share of each month's articles that name each actor (rows sorted by total).

    Returns
    -------
    fig, data
        The wide table drawn (actor x period, share in %).
    """
    wide = trends.pivot_table(index="actor", columns="period", values="share", aggfunc="sum").fillna(0.0) * 100
    docs = trends.groupby("actor")["docs"].sum()
    wide = wide.loc[sorted(wide.index, key=lambda a: (-docs.get(a, 0), a))]
    fig, ax = plots.new_figure("wide")
    if wide.empty:
        ax.text(0.5, 0.5, "no dated articles", ha="center", va="center", transform=ax.transAxes)
        return fig, wide
    im = ax.imshow(wide.to_numpy(), aspect="auto", cmap="Blues", vmin=0)
    ax.set_yticks(range(len(wide.index)), wide.index)
    ax.set_xticks(range(len(wide.columns)), [pd.Timestamp(c).strftime("%Y-%m") for c in wide.columns], rotation=45, ha="right")
    ax.grid(False)
    for i in range(wide.shape[0]):
        for j in range(wide.shape[1]):
            v = wide.iat[i, j]
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7, color="white" if v > 0.6 * wide.to_numpy().max() else "#333333")
    fig.colorbar(im, ax=ax, label="% of the month's articles naming the actor", shrink=0.8)
    counts = trends.drop_duplicates("period").set_index("period")["period_docs"]
    ax.set_xlabel("month (articles: " + ", ".join(str(int(counts.get(c, 0))) for c in wide.columns) + ")", fontsize=8)
    ax.set_title(title or "Actor mentions over time: share of each month's articles")
    wide.columns = [pd.Timestamp(c).strftime("%Y-%m") for c in wide.columns]
    return fig, wide.round(2)
