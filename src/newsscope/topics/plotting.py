"""Figures of the topic analysis, in the house style (see :mod:`newsscope.plots`).

Each function takes the tidy table of a view and returns a matplotlib figure; when there is
nothing to draw (no model, no dates) it returns a figure stating why, so a notebook run on a tiny
or undated corpus still completes and says what was skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors

from newsscope import plots

__all__ = ["topic_colors", "message_figure", "plot_selection", "plot_topic_stability", "plot_section_agreement", "plot_over_time", "plot_by_outlet", "plot_map"]


def topic_colors(n: int) -> list[str]:
    """Return ``n`` distinguishable colours (tab20, then tab20b and tab20c)."""
    cmaps = [plt.get_cmap("tab20"), plt.get_cmap("tab20b"), plt.get_cmap("tab20c")]
    pool = [mcolors.to_hex(c) for cm in cmaps for c in cm.colors]
    # tab20 pairs a dark and a light shade: take the dark ones first
    ordered = pool[0:20:2] + pool[1:20:2] + pool[20:]
    return [ordered[i % len(ordered)] for i in range(n)]


def message_figure(text: str, size: str = "small"):
    """Return a figure that only says ``text`` (for views that cannot be drawn)."""
    fig, ax = plots.new_figure(size)
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=11)
    return fig


def _row_labels(topics: Sequence[int], labels: Sequence[str]) -> list[str]:
    return [f"{t:>2}  {labels[t]}" for t in topics]


def plot_selection(selection: pd.DataFrame, k: int | None, *, min_diversity: float = 0.90, min_stability: float = 0.80,
                   max_unstable_share: float = 0.10):
    """Plot NPMI, diversity, stability and the share of documents in unstable topics against k.

    The chosen k is marked in red, the rule's thresholds as dashed lines; the stability panel
    shows the size-weighted stability (the rule's) and, lighter, the plain mean over topics.
    """
    if selection is None or selection.empty:
        return message_figure("No model selection: the corpus is too small for topic modelling.")
    fig, axes = plots.new_figure("wide", 1, 4, sharex=True)
    t = selection.sort_values("k").assign(unstable_pct=lambda d: d["unstable_share"].astype(float) * 100)
    specs = [("npmi", "Coherence (NPMI, top 10)", None), ("diversity", "Diversity (unique top terms)", min_diversity),
             ("stability_weighted", "Stability (size-weighted)", min_stability),
             ("unstable_pct", "% documents in unstable topics", max_unstable_share * 100)]
    for ax, (col, title, thr) in zip(axes, specs):
        ax.plot(t["k"], t[col], marker="o", color="#1f4e79", lw=1.8)
        values = [t[col]]
        if col == "stability_weighted":
            ax.plot(t["k"], t["stability"], marker=".", color="#9bb5d0", lw=1, label="mean over topics")
            ax.legend(loc="lower left", fontsize=7, frameon=False)
            values.append(t["stability"])
        if thr is not None:
            ax.axhline(thr, ls="--", color="#7f7f7f", lw=1)
            ax.annotate(f"threshold {thr:g}", xy=(t["k"].min(), thr), xytext=(2, 3), textcoords="offset points",
                        fontsize=8, color="#555555")
        if k is not None and (t["k"] == k).any():
            ax.axvline(k, color="#c0392b", lw=1.2, alpha=0.8)
            y = float(t.loc[t["k"] == k, col].iloc[0])
            ax.plot([k], [y], marker="o", ms=9, mfc="none", mec="#c0392b", mew=2)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("number of topics k")
        step = max(1, int(np.ceil(len(t) / 10)))
        ax.set_xticks(t["k"].tolist()[::step])
        lo = min(float(v.min()) for v in values)
        hi = max(float(v.max()) for v in values)
        if thr is not None:
            lo, hi = min(lo, thr), max(hi, thr)
        pad = max(0.02 if col != "unstable_pct" else 2.0, (hi - lo) * 0.15)
        ax.set_ylim(lo - pad, hi + pad)
    if k is not None:
        fig.suptitle(f"Choosing the number of topics: k = {k} (red)", fontsize=12, fontweight="bold")
    return fig


def plot_topic_stability(topics: pd.DataFrame, *, threshold: float = 0.5):
    """Bar chart of each topic's size, coloured by its stability; unstable topics hatched and named so."""
    if topics is None or topics.empty:
        return message_figure("No topics: no topic model was fitted.")
    fig, ax = plots.new_figure("large")
    t = topics.sort_values("topic", ascending=False)
    cmap = plt.get_cmap("RdYlGn")
    stab = t["stability"].astype(float).to_numpy()
    bars = ax.barh(range(len(t)), t["size"], color=[cmap(float(v)) for v in stab], edgecolor="#444444", lw=0.6)
    for bar, ok in zip(bars, stab >= threshold):
        if not ok:
            bar.set_hatch("///")
    names = [f"{r.topic:>2}  {r.label}" + ("" if r.stability >= threshold else "  (unstable)") for r in t.itertuples()]
    ax.set_yticks(range(len(t)), names, fontsize=8)
    for i, (size, v) in enumerate(zip(t["size"], stab)):
        ax.text(size, i, f"  {v:.2f}", va="center", fontsize=7.5)
    ax.set_xlabel("documents whose dominant topic it is (number at the bar: stability)")
    ax.grid(axis="y", visible=False)
    ax.set_title(f"Topics by size and stability (hatched, red: stability < {threshold:g}, not a finding)")
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=mcolors.Normalize(0, 1))
    fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.01).set_label("stability (matched top-10 Jaccard with refits)")
    return fig


def plot_section_agreement(agreement: pd.DataFrame):
    """Grouped bars: NMI of the topics and of scikit-learn's NMF with each outlet's URL sections."""
    if agreement is None or agreement.empty:
        reason = agreement.attrs.get("reason", "nothing to compare") if agreement is not None else "nothing to compare"
        return message_figure(f"No agreement with URL sections: {reason}.")
    fig, ax = plots.new_figure("wide")
    cols = [c for c in agreement.columns if c.startswith("nmi_")]
    x = np.arange(len(agreement))
    width = 0.8 / len(cols)
    palette = ["#1f4e79", "#bbbbbb", "#e67e22"]
    for i, c in enumerate(cols):
        ax.bar(x + (i - (len(cols) - 1) / 2) * width, agreement[c], width, label=c[4:].replace("_", " "),
               color=palette[i % len(palette)])
    ax.set_xticks(x, [f"{s}\n({d} docs)" for s, d in zip(agreement["source"], agreement["docs"])], fontsize=8)
    ax.set_ylabel("NMI (dominant topic vs URL section)")
    ax.legend(frameon=False)
    ax.set_title("Agreement of topics with the outlets' own URL sections (a validity check, not a target)")
    return fig


def plot_over_time(over_time: pd.DataFrame, labels: Sequence[str], *, freq_name: str = "week"):
    """Heatmap of each topic's share of the documents of each period (grey: too few documents)."""
    if over_time is None or over_time.empty:
        reason = over_time.attrs.get("reason", "nothing to show") if over_time is not None else "nothing to show"
        return message_figure(f"Topics over time cannot be shown: {reason}.")
    wide = over_time.pivot(index="topic", columns="period", values="share").sort_index()
    docs = over_time.drop_duplicates("period").set_index("period")["docs_in_period"]
    k = len(labels)
    fig, ax = plots.new_figure("large")
    data = np.ma.masked_invalid(wide.to_numpy(dtype=float) * 100)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("#e6e6e6")
    vmax = float(np.nanmax(data.filled(np.nan))) if data.count() else 1.0
    # square-root colour scale: a few large cells (a dominant topic) must not flatten the rest
    im = ax.imshow(data, aspect="auto", cmap=cmap, interpolation="nearest",
                   norm=mcolors.PowerNorm(0.5, vmin=0, vmax=max(vmax, 1e-9)))
    ax.set_yticks(range(len(wide.index)), _row_labels(list(wide.index), labels), fontsize=8)
    periods = list(wide.columns)
    step = max(1, int(np.ceil(len(periods) / 40)))
    ticks = list(range(0, len(periods), step))
    ax.set_xticks(ticks, [f"{pd.Timestamp(periods[i]):%d %b %Y} ({int(docs[periods[i]])})" for i in ticks],
                  fontsize=8, rotation=45, ha="right", rotation_mode="anchor")
    ax.grid(False)
    ax.set_xlabel(f"{freq_name} starting (documents that {freq_name}); grey: fewer documents than the minimum")
    cb = fig.colorbar(im, ax=ax, shrink=0.8, pad=0.01)
    cb.set_label(f"% of the {freq_name}'s documents")
    ax.set_title(f"Topics over time: share of each {freq_name}'s coverage ({k} topics)")
    return fig


def plot_by_outlet(by_outlet: pd.DataFrame, labels: Sequence[str]):
    """Heatmap of topic shares per outlet: cells show the share, colour the lift over all outlets."""
    if by_outlet is None or by_outlet.empty:
        reason = by_outlet.attrs.get("reason", "nothing to show") if by_outlet is not None else "nothing to show"
        return message_figure(f"Topics by outlet cannot be shown: {reason}.")
    outlets = list(dict.fromkeys(by_outlet["source"]))
    share = by_outlet.pivot(index="topic", columns="source", values="share")[outlets].sort_index()
    lift = by_outlet.pivot(index="topic", columns="source", values="lift")[outlets].sort_index()
    fig, ax = plots.new_figure("large")
    with np.errstate(divide="ignore", invalid="ignore"):
        log_lift = np.log2(lift.to_numpy(dtype=float))
    log_lift = np.clip(np.nan_to_num(log_lift, nan=0.0, neginf=-3.0), -3, 3)
    im = ax.imshow(log_lift, aspect="auto", cmap="RdBu_r", vmin=-3, vmax=3, interpolation="nearest")
    vals = share.to_numpy(dtype=float) * 100
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            v = vals[i, j]
            txt = "" if not np.isfinite(v) else (f"{v:.0f}" if v >= 1 else ("<1" if v > 0 else "0"))
            ax.text(j, i, txt, ha="center", va="center", fontsize=7,
                    color="white" if abs(log_lift[i, j]) > 2 else "black")
    n_docs = by_outlet.drop_duplicates("source").set_index("source")["docs_in_source"]
    ax.set_xticks(range(len(outlets)), [f"{o}\n({int(n_docs[o])} docs)" for o in outlets], fontsize=8)
    ax.set_yticks(range(len(share.index)), _row_labels(list(share.index), labels), fontsize=8)
    ax.grid(False)
    cb = fig.colorbar(im, ax=ax, shrink=0.8, pad=0.01, ticks=[-3, -2, -1, 0, 1, 2, 3])
    cb.ax.set_yticklabels(["1/8", "1/4", "1/2", "1", "2", "4", "8+"])
    cb.set_label("share relative to all outlets (lift)")
    ax.set_title("Topics by outlet: % of each outlet's documents (numbers); over/under-representation (colour)")
    return fig


def plot_map(doc_map: pd.DataFrame, labels: Sequence[str], *, max_label_chars: int = 28):
    """Scatter the 2D document map coloured by dominant topic, each topic labelled at its centre."""
    if doc_map is None or doc_map.empty:
        return message_figure("No document map: no topic model was fitted.")
    from adjustText import adjust_text

    fig, ax = plots.new_figure("square")
    k = len(labels)
    cols = topic_colors(k)
    none = doc_map["topic"] < 0
    if none.any():
        ax.scatter(doc_map.loc[none, "x"], doc_map.loc[none, "y"], s=4, c="#bbbbbb", lw=0, label="no topic")
    texts = []
    for t in range(k):
        sub = doc_map[doc_map["topic"] == t]
        if sub.empty:
            continue
        ax.scatter(sub["x"], sub["y"], s=5, c=cols[t], lw=0, alpha=0.75)
        cx, cy = float(sub["x"].median()), float(sub["y"].median())
        name = labels[t] if len(labels[t]) <= max_label_chars else labels[t][: max_label_chars - 1] + "…"
        texts.append(ax.text(cx, cy, f"{t}: {name}", fontsize=7.5, ha="center", va="center", color="black",
                             bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=cols[t], lw=1, alpha=0.85)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title("Map of documents (LSA + t-SNE), coloured by dominant topic")
    if texts:
        # a fixed number of iterations: adjustText's default is a 1-second time limit, which makes
        # the layout depend on the machine's load
        adjust_text(texts, ax=ax, expand=(1.05, 1.2), iter_lim=300,
                    arrowprops=dict(arrowstyle="-", color="#555555", lw=0.6))
    return fig
