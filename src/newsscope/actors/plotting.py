"""Figures of the actor stage, in the house style; each returns ``(fig, data)`` for save_figure.

Colours are per community (the same in every figure); node area is proportional to mentions and
edge width to the edge weight. In the network figure, nodes are pushed apart until each node and
its label (under the node) have room, so labels do not overlap; adjustText moves them only if a
clash remains.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from newsscope import plots
from newsscope.actors.network import ordered_subgraph, top_subgraph

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


def _overlaps(boxes: np.ndarray) -> bool:
    """Whether any two of the boxes (x0, y0, x1, y1) intersect."""
    for k in range(len(boxes)):
        other = boxes[k + 1:]
        if np.any((other[:, 0] < boxes[k, 2]) & (other[:, 2] > boxes[k, 0]) & (other[:, 1] < boxes[k, 3]) & (other[:, 3] > boxes[k, 1])):
            return True
    return False


def _label_clash(boxes: np.ndarray, centres: np.ndarray, radii: np.ndarray, tolerance: float = 4.0) -> bool:
    """Whether a label box meets another label box, or covers more than ``tolerance`` pixels of a
    marker (circle) other than its own."""
    for k, (x0, y0, x1, y1) in enumerate(boxes):
        other = np.delete(boxes, k, axis=0)
        if np.any((other[:, 0] < x1) & (other[:, 2] > x0) & (other[:, 1] < y1) & (other[:, 3] > y0)):
            return True
        nearest = np.stack([np.clip(centres[:, 0], x0, x1), np.clip(centres[:, 1], y0, y1)], axis=1)
        dist = np.hypot(*(nearest - centres).T)
        hit = dist < radii - tolerance
        hit[k] = False
        if hit.any():
            return True
    return False


def _labels(ax, pos: dict, names: list[str], sizes: dict[str, float], nodes=None, fontsize: float = 9) -> None:
    """Label nodes just below their marker; if a label then meets another label or a marker,
    let adjustText move the labels apart (rarely needed: the layout leaves room for labels)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    texts, boxes, centres, radii = [], [], [], []
    for n in names:
        x, y = pos[n]
        px = ax.transData.transform((x, y))
        r = math.sqrt(sizes.get(n, 30.0)) / 2 * fig.dpi / 72  # marker radius in pixels
        _, y_lab = to_data.transform((px[0], px[1] - r - 2 * fig.dpi / 72))
        t = ax.text(x, y_lab, n, fontsize=fontsize, ha="center", va="top", zorder=5,
                    bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.8})
        texts.append(t)
        e = t.get_window_extent(renderer)
        boxes.append((e.x0, e.y0, e.x1, e.y1))
        centres.append(px)
        radii.append(r)
    if not _label_clash(np.array(boxes), np.array(centres), np.array(radii)):
        return
    from adjustText import adjust_text

    adjust_text(texts, objects=nodes, ax=ax, expand=(1.1, 1.25), force_text=(0.3, 0.5), force_static=(0.3, 0.5),
                force_pull=(0.02, 0.02), ensure_inside_axes=True, iter_lim=300,
                arrowprops={"arrowstyle": "-", "color": "#666666", "lw": 0.5})


def _separate(ax, pos: dict[str, np.ndarray], sizes: dict[str, float], pad_pt: float = 10.0, rounds: int = 300) -> dict[str, np.ndarray]:
    """Push overlapping markers apart (in points, given the axes' size) and fix the axes' limits."""
    names = sorted(pos)
    xy = np.array([pos[n] for n in names], dtype=float)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    bbox = ax.get_window_extent().transformed(ax.figure.dpi_scale_trans.inverted())  # inches
    scale = np.array([bbox.width, bbox.height]) * 72 * 0.84 / span                     # points per data unit
    pts = (xy - lo) * scale
    # a node's footprint: its marker, or its label (about 0.55 em per character at 9 pt) if wider
    radius = np.array([max(math.sqrt(sizes[n]) / 2, 0.55 * 9 * len(n) / 2) for n in names]) + pad_pt / 2
    for _ in range(rounds):
        moved = False
        for i in range(len(names)):
            d = pts - pts[i]
            dist = np.hypot(d[:, 0], d[:, 1])
            need = radius + radius[i]
            clash = np.flatnonzero((dist < need) & (np.arange(len(names)) != i))
            for j in clash:
                direction = d[j] / dist[j] if dist[j] > 1e-9 else np.array([1.0, 0.0])
                shift = (need[j] - dist[j]) / 2 * direction
                pts[j] += shift
                pts[i] -= shift
                moved = True
        if not moved:
            break
    xy = pts / scale + lo
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    margin = (hi - lo) * 0.08
    ax.set_xlim(lo[0] - margin[0], hi[0] + margin[0])
    ax.set_ylim(lo[1] - margin[1], hi[1] + margin[1])
    return {n: xy[i] for i, n in enumerate(names)}


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
    C = ordered_subgraph(H, connected)
    pos: dict[str, np.ndarray] = {}
    if C.number_of_nodes() > 1:
        dist = {u: {v: 1.0 for v in C} for u in C}
        for u, v, d in C.edges(data=True):
            dist[u][v] = dist[v][u] = 1.0 / (1.0 + math.log1p(d[weight]))
        start = nx.kamada_kawai_layout(C, dist=None, weight=None)
        pos.update(nx.spring_layout(C, pos=start, weight=None, k=2.4 / math.sqrt(C.number_of_nodes()), iterations=80,
                                    seed=random_state))
    elif C.number_of_nodes() == 1:
        pos[connected[0]] = np.array([0.0, 0.0])
    isolated = [n for n in sorted(H) if H.degree(n) == 0]
    for i, n in enumerate(isolated):
        a = 2 * math.pi * i / max(len(isolated), 1)
        pos[n] = np.array([1.25 * math.cos(a), 1.25 * math.sin(a)])
    mentions = np.array([H.nodes[n].get("mentions", 1) for n in H])
    sizes = dict(zip(H, _scaled(np.sqrt(mentions), 60, 2200)))
    pos = _separate(ax, pos, sizes)
    edges = sorted(H.edges(data=True), key=lambda e: (e[2].get(weight, 0), min(e[0], e[1]), max(e[0], e[1])))
    ew = _scaled(np.sqrt([d.get(weight, 0) for _, _, d in edges]), 0.3, 7.0) if edges else []
    for (u, v, d), w in zip(edges, ew):
        cu, cv = H.nodes[u].get("community", -1), H.nodes[v].get("community", -1)
        ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color=community_color(cu) if cu == cv else "#999999",
                lw=w, alpha=0.35, zorder=1, solid_capstyle="round")
    nodes = sorted(H)
    markers = ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=[sizes[n] for n in nodes],
                         c=[community_color(H.nodes[n].get("community", -1)) for n in nodes], edgecolors="white",
                         linewidths=1.0, zorder=3)
    _labels(ax, pos, nodes, sizes, nodes=markers)
    # legend: communities with their three most mentioned members
    comms: dict[int, list[str]] = {}
    for n in sorted(H, key=lambda n: (-H.nodes[n].get("mentions", 0), n)):
        comms.setdefault(H.nodes[n].get("community", -1), []).append(n)
    handles = [plt.Line2D([], [], marker="o", ls="", color=community_color(c), markersize=9,
                          label=(f"community {c}: " if c >= 0 else "no edge: ") + ", ".join(m[:3]))
               for c, m in sorted(comms.items())]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=2, fontsize=8, frameon=False)
    ax.set_title(title or f"Actor co-occurrence network: the {H.number_of_nodes()} most mentioned actors")
    if H.number_of_edges() == 0:
        ax.text(0.5, 0.5, "no edge among these actors passes the filters\n(too few articles or co-occurrences?)",
                ha="center", va="center", transform=ax.transAxes, color="#555555")
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
    for u, v in ordered_subgraph(G, top["partner"]).edges():
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
    if not len(table):  # nothing to draw (no ego actor, or no outlet names it): one empty panel that says so
        table = pd.DataFrame(columns=["outlet", "rank", "partner", "cooccurrences", "share", "actor_units"])
    outlets = list(dict.fromkeys(table["outlet"]))
    n = max(len(outlets), 1)
    rows = 1 if n <= 3 else 2
    cols = math.ceil(n / rows)
    fig, axes = plots.new_figure("wide" if rows == 1 else "large", rows, cols, sharex=True)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[n:]:
        ax.set_axis_off()
    communities = communities or {}
    shown = table[table["rank"] <= top_n]
    for ax, outlet in zip(axes, outlets):
        sub = shown[shown["outlet"] == outlet].sort_values("rank", ascending=False)
        ax.barh(sub["partner"], 100 * sub["share"], color=[community_color(communities.get(p, -1)) for p in sub["partner"]])
        for y, (v, c) in enumerate(zip(100 * sub["share"], sub["cooccurrences"])):
            ax.text(v, y, f" {int(c)}", va="center", fontsize=8)
        units = int(sub["actor_units"].iloc[0]) if len(sub) else 0
        ax.set_title(f"{outlet}: {units:,} sentences name {actor}", fontsize=10)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("% of those sentences that also name ...", fontsize=9)
    if not outlets:
        axes[0].text(0.5, 0.5, f"no outlet names {actor}", ha="center", va="center", transform=axes[0].transAxes)
        axes[0].set_axis_off()
    xmax = 100 * shown["share"].max() if len(shown) else 1
    for ax in axes[:n]:
        ax.set_xlim(0, xmax * 1.25)
    fig.suptitle(f"Who appears with {actor}, by outlet (number = shared sentences)", fontweight="bold")
    return fig, shown.reset_index(drop=True)


def draw_trends(trends: pd.DataFrame, title: str | None = None):
    """Heat map: share of each period's articles that name each actor (rows by total articles).

    Column labels carry the period's start and its number of articles.

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
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no period with enough dated articles", ha="center", va="center", transform=ax.transAxes)
        return fig, wide
    values = wide.to_numpy()
    im = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0)
    n_docs = trends.drop_duplicates("period").set_index("period")["period_docs"]
    ax.set_yticks(range(len(wide.index)), wide.index)
    ax.set_xticks(range(len(wide.columns)),
                  [f"{pd.Timestamp(c):%d %b}\nn={int(n_docs.get(c, 0))}" for c in wide.columns], fontsize=8)
    ax.grid(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7, color="white" if v > 0.6 * values.max() else "#333333")
    fig.colorbar(im, ax=ax, label="% of the period's articles naming the actor", shrink=0.85)
    first, last = pd.Timestamp(wide.columns[0]), pd.Timestamp(wide.columns[-1])
    ax.set_xlabel(f"period start, {first:%b %Y} to {last:%b %Y} (n = articles in the period)", fontsize=9)
    ax.set_title(title or "Actor mentions over time: share of each period's articles that name the actor")
    wide.columns = [str(pd.Timestamp(c).date()) for c in wide.columns]
    return fig, wide.round(2)
