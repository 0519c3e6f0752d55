"""Figures of the trends stage (notebook 02), in the house style.

One function per figure; each draws it, saves it with :func:`newsscope.plots.save_figure` (PNG,
SVG and the plotted data as CSV) and returns the figure, or None (and saves nothing) when there is
nothing to draw.
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from newsscope import plots

__all__ = ["plot_volume", "plot_keyword_trends", "plot_outlet_breakdown", "plot_burst_timeline", "plot_keyness"]


def _weekly_axis(ax: Any) -> None:
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))


def plot_volume(vol: pd.DataFrame, skipped_days: pd.Series, name: str = "02-volume") -> plt.Figure | None:
    """Stacked bars of articles per day and outlet; triangles under the days the burst model skips.

    Parameters
    ----------
    vol : pandas.DataFrame
        Articles per day (index) and outlet (columns), from :func:`newsscope.trends.volume`.
    skipped_days : pandas.Series
        Days left out of burst detection (drawn when inside ``vol``'s range).
    name : str
        Figure name for :func:`~newsscope.plots.save_figure`.
    """
    if vol.empty:
        return None
    fig, ax = plots.new_figure("wide")
    bottom = np.zeros(len(vol))
    for i, outlet in enumerate(vol.columns):
        ax.bar(vol.index, vol[outlet], bottom=bottom, width=0.85, color=plots.outlet_color(outlet, i), label=outlet)
        bottom += vol[outlet].to_numpy()
    thin = skipped_days[skipped_days.between(vol.index.min(), vol.index.max())]
    ax.plot(thin, np.full(len(thin), -4.0), linestyle="none", marker="^", color="0.35", markersize=6,
            label="skipped by the burst model (thin coverage)", clip_on=False)
    ax.set_ylim(-8, 1.06 * float(vol.sum(axis=1).max()))
    ax.set_ylabel("articles per day")
    ax.set_title("Articles per day and outlet")
    _weekly_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    plots.save_figure(fig, name, data=vol)
    return fig


def plot_keyword_trends(shares: pd.DataFrame, name: str = "02-keyword-trends") -> plt.Figure | None:
    """One panel per keyword: share of articles with its Wilson interval and the outlet-balanced share.

    Parameters
    ----------
    shares : pandas.DataFrame
        From :func:`newsscope.trends.term_share` (columns term, period, share, low, high, balanced).
    """
    terms = list(dict.fromkeys(shares["term"])) if len(shares) else []
    if not terms:
        return None
    fig, axes = plots.new_figure("tall", nrows=len(terms), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, term in zip(axes, terms):
        s = shares[shares["term"] == term]
        ax.fill_between(s["period"], 100 * s["low"], 100 * s["high"], color="#1f77b4", alpha=0.2, linewidth=0, label="95% Wilson interval")
        ax.plot(s["period"], 100 * s["share"], color="#1f77b4", marker="o", markersize=3, linewidth=1.4, label="all articles")
        ax.plot(s["period"], 100 * s["balanced"], color="#d62728", linestyle="--", linewidth=1.1, label="outlet-balanced")
        ax.set_title(term, loc="left", fontsize=10)
        ax.set_ylabel("% of articles")
        ax.set_ylim(0, None)
    axes[0].legend(loc="upper right", ncols=3)
    _weekly_axis(axes[-1])
    fig.suptitle("Share of articles mentioning each keyword (gaps: too few articles)", fontweight="bold")
    plots.save_figure(fig, name, data=shares)
    return fig


def plot_outlet_breakdown(by_outlet: pd.DataFrame, term: str, name: str = "02-outlet-breakdown") -> plt.Figure | None:
    """Heatmap of one keyword's share per outlet and week (blank: too few articles).

    Parameters
    ----------
    by_outlet : pandas.DataFrame
        From ``term_share(..., freq="W", by_outlet=True)``.
    term : str
        The keyword (for the title).
    """
    by_outlet = by_outlet[by_outlet["outlet"] != "all"]
    grid = by_outlet.pivot(index="outlet", columns="period", values="share")
    grid = grid.loc[grid.mean(axis=1).sort_values(ascending=False, kind="stable").index]
    grid = grid.loc[:, grid.notna().any(axis=0)]
    if grid.empty:
        return None
    values = grid.to_numpy(dtype=float)
    fig, ax = plots.new_figure("small")
    im = ax.imshow(100 * values, aspect="auto", cmap="Blues", vmin=0)
    ax.set_facecolor("0.92")
    ax.set_yticks(range(len(grid.index)), grid.index)
    ax.set_xticks(range(len(grid.columns)), [d.strftime("%d %b") for d in grid.columns], rotation=45, ha="right")
    ax.grid(False)
    top = np.nanmax(values)
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v):
            ax.text(j, i, f"{100 * v:.0f}", ha="center", va="center", fontsize=7, color="white" if v > 0.5 * top else "black")
    fig.colorbar(im, ax=ax, label="% of the outlet's articles")
    ax.set_title(f"'{term}' by outlet and week (week starting)")
    plots.save_figure(fig, name, data=grid.T)
    return fig


def plot_burst_timeline(bursts: pd.DataFrame, skipped_days: pd.Series, start: Any, end: Any, top_n: int = 30,
                        name: str = "02-burst-timeline") -> plt.Figure | None:
    """Horizontal bars of the ``top_n`` strongest bursts (strongest at the top), coloured by weight.

    Parameters
    ----------
    bursts : pandas.DataFrame
        From :func:`newsscope.trends.detect_bursts`, strongest first.
    skipped_days : pandas.Series
        Days the burst model skipped (shaded grey).
    start, end : date-like
        The period drawn.
    top_n : int
        Bursts drawn.
    """
    if not len(bursts):
        return None
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    top = bursts.head(top_n).iloc[::-1].reset_index(drop=True)
    fig, ax = plots.new_figure("large")
    norm = plt.Normalize(vmin=0, vmax=float(top["weight"].max()))
    cmap = plt.get_cmap("viridis_r")
    for day in skipped_days[skipped_days.between(start, end)]:
        ax.axvspan(day, day + pd.Timedelta(days=1), color="0.93", zorder=0, linewidth=0)
    for y, b in top.iterrows():
        s0, e1 = pd.Timestamp(b["start"]), pd.Timestamp(b["end"]) + pd.Timedelta(days=1)
        ax.barh(y, (e1 - s0).days, left=s0, height=0.62, color=cmap(norm(b["weight"])), zorder=2)
        ax.plot(pd.Timestamp(b["peak_date"]) + pd.Timedelta(hours=12), y, marker="D", color="black", markersize=3.5, zorder=3)
        ax.text(e1 + pd.Timedelta(hours=8), y, f"{b['docs']} articles", va="center", fontsize=7.5, color="0.3")
    labels = [("; ".join(t.split("; ")[:3]) + (" …" if n > 3 else "")) for t, n in zip(top["term"], top["n_terms"])]
    ax.set_yticks(range(len(top)), labels, fontsize=8.5)
    ax.set_ylim(-0.7, len(top) - 0.3)
    _weekly_axis(ax)
    ax.set_xlim(start, end + pd.Timedelta(days=4))
    ax.grid(axis="y", alpha=0)
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label="burst weight (event)", shrink=0.6)
    ax.set_title(f"The {len(top)} strongest bursts (events), strongest at the top; ◆ peak day; grey: skipped days")
    plots.save_figure(fig, name, data=bursts.head(top_n))
    return fig


def plot_keyness(table: pd.DataFrame, target: str, title: str, name: str) -> plt.Figure | None:
    """Two bar panels: log ratio of the over-used and the under-used terms, labelled with G².

    Parameters
    ----------
    table : pandas.DataFrame
        Keyness rows (term, g2, log_ratio, direction), e.g. the top 15 of each direction.
    target : str
        What is compared, for the panel titles: ``"in TASS"``, ``"from 13 Mar to 16 Mar"``.
    title : str
        The figure title.
    name : str
        Figure name, e.g. ``"02-keyness-outlet"``.
    """
    if not len(table):
        return None
    fig, axes = plots.new_figure("wide", ncols=2)
    for ax, direction, color in zip(axes, ["over", "under"], ["#c0392b", "#1f4e79"]):
        part = table[table["direction"] == direction].iloc[::-1]
        ax.barh(range(len(part)), part["log_ratio"], color=color)
        ax.set_yticks(range(len(part)), part["term"])
        for y, (lr, g) in enumerate(zip(part["log_ratio"], part["g2"])):
            ax.text(lr, y, f" G²={abs(g):.0f} ", va="center", ha="left" if lr >= 0 else "right", fontsize=7.5, color="0.25")
        ax.set_xlabel("log2 ratio of relative frequencies")
        ax.set_title(f"{'more' if direction == 'over' else 'less'} frequent {target}", fontsize=10)
        ax.grid(axis="y", alpha=0)
        lim = max(abs(part["log_ratio"]).max() * 1.35, 1) if len(part) else 1
        ax.set_xlim((0, lim) if direction == "over" else (-lim, 0))
    fig.suptitle(title, fontweight="bold")
    plots.save_figure(fig, name, data=table)
    return fig
