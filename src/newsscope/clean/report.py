"""Tables and figures that show what the cleaning did (used by notebook 01, no computation of its own).

Every function takes a :class:`~newsscope.clean.pipeline.CleanResult` (or its tables) and returns
a DataFrame for display or a matplotlib figure; sort orders are explicit so reruns print the same.
"""

from __future__ import annotations

import difflib
import re
import textwrap

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd

from newsscope import plots
from newsscope.clean import dedup, repair
from newsscope.clean.dates import coverage_table, date_summary

__all__ = [
    "input_notes", "overview_by_source", "repair_examples", "hyphen_examples", "lost_characters_by_source", "field_examples",
    "boilerplate_by_source", "length_by_source", "similar_pairs", "date_outliers", "coverage", "weekly_coverage",
    "plot_funnel", "plot_coverage", "plot_text_length", "plot_similarity", "date_summary",
]


def _where(message: str) -> str:
    """Where a loader message points: ``article 522`` (a table id), else its file/row prefix."""
    m = re.search(r"#\w+=([^:#\s]+)", message)
    if m:
        return f"article {m.group(1)}"
    head = message.split(": field", 1)[0] if ": field" in message else message.split(": ", 1)[0]
    return head.strip()


def input_notes(result, limit: int = 5) -> list[str]:
    """Return short notes on what the loaders warned about while reading the corpus.

    Dates read from a non-standard value and dates that could not be read are counted with the
    articles (or rows) concerned, e.g. ``"1 date read from a non-standard value: article 522"``;
    any other message is listed once. At most ``limit`` places are named per note.
    """
    groups: dict[str, list[str]] = {}
    other: list[str] = []
    for message in dict.fromkeys(getattr(result, "load_warnings", []) or []):
        if "non-standard value" in message:
            groups.setdefault("{n} {dates} read from a non-standard value", []).append(_where(message))
        elif "cannot parse" in message:
            groups.setdefault("{n} {dates} could not be read (left empty)", []).append(_where(message))
        else:
            other.append(message)
    notes = []
    for template, places in groups.items():
        shown = ", ".join(places[:limit]) + (f" and {len(places) - limit} more" if len(places) > limit else "")
        notes.append(template.format(n=len(places), dates="date" if len(places) == 1 else "dates") + f": {shown}")
    notes += other[:limit] + ([f"... and {len(other) - limit} more loader messages"] if len(other) > limit else [])
    return notes


def overview_by_source(result) -> pd.DataFrame:
    """Per outlet: raw rows, kept articles, rows removed by reason (columns), median words kept."""
    a = result.articles
    src = a["source"].fillna("(unknown)")
    base = a["status"].str.replace(r"^rejected: .*$", "rejected", regex=True)
    table = pd.crosstab(src, base)
    cols = ["kept"] + [c for c in ["empty", "too_short", "other_language", "date_outlier", "exact_duplicate", "near_duplicate", "rejected"] if c in table.columns]
    table = table.reindex(columns=cols, fill_value=0)
    table.insert(0, "raw", table.sum(axis=1))
    med = a[a["status"] == "kept"].groupby(src[a["status"] == "kept"])["n_words"].median()
    table["median_words"] = med.reindex(table.index).fillna(0).round().astype(int)
    table = table.sort_values(["raw"], ascending=False, kind="mergesort")
    table.loc["total"] = table.sum(numeric_only=True)
    table.loc["total", "median_words"] = int(a.loc[a["status"] == "kept", "n_words"].median()) if (a["status"] == "kept").any() else 0
    table.index.name = "source"
    table.columns.name = None
    return table.astype(int)


def _diff_snippet(before: str, after: str, width: int = 45) -> tuple[str, str] | None:
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op != "equal":
            return (before[max(0, a1 - width):a2 + width].replace("\n", " "),
                    after[max(0, b1 - width):b2 + width].replace("\n", " "))
    return None


def _rule_steps(hyphens, letters=None):
    """The repair steps in pipeline order as (rules, function) pairs."""
    return [
        (("mojibake",), repair.fix_mojibake),
        (("csv_residue",), repair.strip_csv_residue),
        (("lost_closing_quote", "lost_apostrophe", "lost_dash", "lost_digit"), repair.repair_lost_quotes),
        (("contraction_quote",), repair.repair_apostrophes),
        (("quote_debris", "lost_dash"), repair.repair_quote_debris),
        (("separator_hyphens", "punct_hyphen", "space_hyphen", "hyphen_space"), repair.repair_stray_hyphens),
        (("glued_hyphen",), (lambda t: hyphens.repair(t)) if hyphens is not None else (lambda t: (t, 0))),
        (("lost_letter",), (lambda t: letters.repair(t)[:2]) if letters is not None else (lambda t: (t, 0))),
        (("whitespace",), repair.normalize_whitespace),
    ]


def repair_examples(result, per_rule: int = 1, width: int = 45) -> pd.DataFrame:
    """Real before/after snippets for every repair rule that fired (first articles by doc_id).

    Each snippet shows the first place in the article where that rule's step changed the text,
    with ``width`` characters of context.

    In the snippets a replacement character is written ``⟨U+FFFD⟩`` so that it is not overlooked.
    """
    a = result.articles.set_index("doc_id")
    per_doc = result.repair_counts
    rows = []
    steps = _rule_steps(result.hyphens, getattr(result, "letters", None))
    for rule in repair.RULES:
        docs = sorted(per_doc.loc[per_doc["rule"] == rule, "doc_id"].unique())
        shown = 0
        for d in docs:
            text = a.at[d, "text_raw"]
            if not isinstance(text, str):
                continue
            for rules, fn in steps:
                out = fn(text)
                new = out[0]
                cnt = out[1]
                fired = cnt.get(rule, 0) if hasattr(cnt, "get") else (cnt if rule in rules else 0)
                if rule in rules and fired and new != text:
                    snip = _diff_snippet(text, new, width)
                    if snip and (len(rules) == 1 or _fires_only(fn, rule, snip[0])):
                        rows.append((rule, d, snip[0], snip[1]))
                        shown += 1
                        break
                text = new
            if shown >= per_rule:
                break
    out = pd.DataFrame(rows, columns=["rule", "doc_id", "before", "after"])
    # U+FFFD renders as an easily missed diamond: name it, so the damage a rule handles is legible
    for col in ("before", "after"):
        out[col] = out[col].str.replace("\ufffd", "\u27e8U+FFFD\u27e9", regex=False)
    return out


def _fires_only(fn, rule, snippet: str) -> bool:
    out = fn(snippet)[1]
    return hasattr(out, "get") and out.get(rule, 0) > 0 and all(v == 0 for k, v in out.items() if k != rule)


def hyphen_examples(result, pairs: list[str] | None = None, top: int = 8) -> pd.DataFrame:
    """Glued-hyphen decisions: the given pairs, then the most frequent kept and unglued pairs."""
    model = result.hyphens
    if model is None:
        return pd.DataFrame(columns=["pair", "hyphenated", "spaced", "log_odds", "decision"])
    d = model.decisions_.copy()
    d["decision"] = np.where(d["keep"], "compound (kept)", "glued space (unglued)")
    chosen = d[d["pair"].isin(pairs or [])]
    chosen = chosen.set_index("pair").reindex([p for p in (pairs or []) if p in set(chosen["pair"])]).reset_index()
    ranked = d[d["spaced"] > 0].sort_values(["hyphenated", "spaced", "pair"], ascending=[False, False, True], kind="mergesort")
    kept = ranked[ranked["keep"]].head(top)
    unglued = ranked[~ranked["keep"]].head(top)
    out = pd.concat([chosen, kept, unglued]).drop_duplicates("pair")
    out["log_odds"] = out["log_odds"].round(1)
    return out[["pair", "hyphenated", "spaced", "log_odds", "decision"]].reset_index(drop=True)


def lost_characters_by_source(result) -> pd.DataFrame:
    """Per outlet: articles with lost characters, U+FFFD characters and lost-character places left
    after the repairs, and the lost letters restored (``letters_restored``)."""
    a = result.articles[~result.articles["status"].str.startswith("rejected")]
    g = a.groupby(a["source"].fillna("(unknown)"))
    rc = result.repair_counts
    restored = rc[rc["rule"] == "lost_letter"].set_index("doc_id")["occurrences"]
    out = pd.DataFrame({
        "articles": g.size(),
        "with_lost_text": g["n_lost_chars"].apply(lambda x: int((x > 0).sum())),
        "replacement_chars": g["n_replacement_chars"].sum(),
        "lost_places": g["n_lost_chars"].sum(),
        "letters_restored": a["doc_id"].map(restored).fillna(0).groupby(a["source"].fillna("(unknown)")).sum(),
    })
    out = out.sort_values(["lost_places", "articles"], ascending=False, kind="mergesort")
    out.index.name = "source"
    return out.astype(int)


def field_examples(result, per_kind: int = 2) -> pd.DataFrame:
    """Examples of extracted fields: dateline, bylines (authors), contributors and credits."""
    a = result.articles[result.articles["status"] != "rejected"].sort_values("doc_id", kind="mergesort")
    rows = []
    raw_dl = a[a["dateline"].notna() & (a["text_raw"] != a["text"])]
    for _, r in raw_dl.groupby("source", sort=True).head(1).head(per_kind * 3).iterrows():
        rows.append(("dateline", r["source"], r["text_raw"][:70], r["dateline"]))
    has_byline = np.array([len(au) > 0 and any(str(x).startswith("By ") for x in c) for au, c in zip(a["authors"], a["credits"])], dtype=bool)
    by = a[has_byline]
    for _, r in by.head(per_kind).iterrows():
        rows.append(("byline", r["source"], next(str(x) for x in r["credits"] if str(x).startswith("By ")), "; ".join(r["authors"])))
    co = a[np.array([len(x) > 0 for x in a["contributors"]], dtype=bool)]
    for _, r in co.head(per_kind).iterrows():
        rows.append(("contributors", r["source"], next((str(x) for x in r["credits"] if "contributed" in str(x)), ""), "; ".join(r["contributors"])))
    cr = a[np.array([len(x) > 0 for x in a["credits"]], dtype=bool)]
    for src, g in cr.groupby("source", sort=True):
        r = g.iloc[0]
        rows.append(("credit", src, " | ".join(str(x) for x in r["credits"])[:90], ""))
    return pd.DataFrame(rows, columns=["field", "source", "found in body", "value"])


def boilerplate_by_source(result, per_source: int = 4, width: int = 90) -> pd.DataFrame:
    """The most frequent removed boilerplate sentences of each outlet (articles, passage)."""
    b = result.boilerplate
    if b.empty:
        return b
    out = b.groupby("source", sort=True).head(per_source).copy()
    out["passage"] = [textwrap.shorten(p, width, placeholder=" …") for p in out["passage"]]
    totals = b.groupby("source")["articles"].max()
    out["_order"] = out["source"].map(totals)
    out = out.sort_values(["_order", "source", "articles", "passage"], ascending=[False, True, False, True], kind="mergesort")
    return out.drop(columns="_order").reset_index(drop=True)


def length_by_source(result) -> pd.DataFrame:
    """Per outlet: words in the cleaned body of non-empty articles (median, 10th/90th percentile),
    and how many fall below ``min_words``."""
    s = result.settings
    a = result.articles[(result.articles["n_words"] > 0)]
    g = a.groupby(a["source"].fillna("(unknown)"))["n_words"]
    out = pd.DataFrame({
        "articles": g.size(),
        "p10": g.quantile(0.1).round().astype(int),
        "median": g.median().round().astype(int),
        "p90": g.quantile(0.9).round().astype(int),
        f"below_{s['min_words']}": g.apply(lambda x: int((x < s["min_words"]).sum())),
    })
    out.index.name = "source"
    return out.sort_values(["median"], ascending=False, kind="mergesort")


def similar_pairs(result, min_similarity: float = 0.45) -> pd.DataFrame:
    """All pairs of articles (kept or duplicates) with Jaccard >= ``min_similarity``, with titles,
    so the near-duplicate threshold can be judged on examples."""
    s = result.settings
    a = result.articles
    pool = a[a["status"].isin(["kept", "near_duplicate"])].reset_index(drop=True)
    pairs = dedup.near_duplicate_pairs(pool["text"].tolist(), shingle_size=s["shingle_size"], num_perm=s["num_perm"],
                                       bands=s["lsh_bands"], threshold=min_similarity, min_shingles=s["min_shingles"],
                                       max_bucket=s["max_bucket"], margin=0.3)
    if pairs.empty:
        return pd.DataFrame(columns=["jaccard", "duplicate", "source_a", "source_b", "date_a", "date_b", "title_a", "title_b"])
    A, B = pool.loc[pairs["i"]].reset_index(drop=True), pool.loc[pairs["j"]].reset_index(drop=True)
    out = pd.DataFrame({
        "jaccard": pairs["jaccard"].round(3).to_numpy(),
        "duplicate": pairs["jaccard"].to_numpy() >= s["near_duplicate_threshold"],
        "source_a": A["source"], "source_b": B["source"],
        "date_a": A["published"].dt.date, "date_b": B["published"].dt.date,
        "title_a": [textwrap.shorten(t, 55, placeholder="…") for t in A["title"]],
        "title_b": [textwrap.shorten(t, 55, placeholder="…") for t in B["title"]],
    })
    return out.sort_values(["jaccard", "title_a"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def date_outliers(result) -> pd.DataFrame:
    """Articles whose date is an outlier, future, malformed or repaired."""
    a = result.articles
    d = a[a["date_status"].isin(["outlier", "future", "malformed", "repaired"])]
    out = d[["date_status", "source", "published", "title", "status"]].copy()
    out["published"] = out["published"].dt.date
    out["title"] = [textwrap.shorten(t, 60, placeholder="…") for t in out["title"]]
    return out.sort_values(["date_status", "published", "title"], kind="mergesort").reset_index(drop=True)


def coverage(result, *, raw: bool = False) -> pd.DataFrame:
    """Articles per outlet and day of the analysis set (``raw=True``: all raw rows with a date)."""
    a = result.articles
    df = a[~a["status"].str.startswith("rejected")] if raw else a[a["status"] == "kept"]
    return coverage_table(df)


def weekly_coverage(table: pd.DataFrame) -> pd.DataFrame:
    """Sum a daily coverage table into weeks: one row per week (labelled by its Monday), one column
    per outlet, plus ``days_without_articles`` (days of that week on which no outlet published)."""
    if table.empty:
        return table
    cols = pd.to_datetime(pd.Index(table.columns))
    weeks = pd.Index((cols - pd.to_timedelta(cols.weekday, unit="D")).date, name="week")
    out = table.T.groupby(weeks).sum()
    out.columns.name = None
    out["days_without_articles"] = (table.sum(axis=0) == 0).groupby(weeks).sum().to_numpy()
    out.index = [str(w) for w in out.index]
    out.index.name = "week"
    return out


# --------------------------------------------------------------------------- figures

def plot_funnel(funnel: pd.DataFrame):
    """Horizontal bars: articles remaining after each step, removed counts annotated."""
    fig, ax = plots.new_figure("small")
    steps = ["all inputs"] + funnel["step"].tolist()
    remaining = [int(funnel["articles_in"].iloc[0])] + funnel["articles_out"].astype(int).tolist()
    removed = [0] + funnel["removed"].astype(int).tolist()
    y = np.arange(len(steps))[::-1]
    ax.barh(y, remaining, color="#1f4e79", height=0.6)
    top = max(remaining) if remaining else 1
    for yi, r, rem in zip(y, remaining, removed):
        label = f"{r:,}" + (f"   (−{rem:,})" if rem else "")
        ax.text(r + top * 0.01, yi, label, va="center", fontsize=9)
    ax.set_yticks(y, steps)
    ax.set_xlim(0, top * 1.25)
    ax.set_xlabel("articles remaining after the step")
    ax.set_title("Cleaning funnel")
    ax.grid(axis="y", visible=False)
    data = funnel[["step", "articles_in", "articles_out", "removed"]]
    return fig, data


def plot_coverage(table: pd.DataFrame):
    """Heatmap outlet x day; days without articles are light grey so gaps stand out."""
    fig, ax = plots.new_figure("wide")
    values = table.to_numpy().astype(float)
    masked = np.ma.masked_where(values == 0, values)
    cmap = mcolors.LinearSegmentedColormap.from_list("cov", ["#c6dbef", "#08306b"]).copy()
    cmap.set_bad("#eeeeee")
    vmax = max(1.0, float(values.max()))
    im = ax.imshow(masked, aspect="auto", cmap=cmap, norm=mcolors.LogNorm(vmin=1, vmax=vmax), interpolation="nearest")
    days = pd.to_datetime(pd.Index(table.columns))
    ticks = [i for i, d in enumerate(days) if d.weekday() == 0] or list(range(0, len(days), 7))
    ax.set_xticks(ticks, [days[i].strftime("%d %b") for i in ticks], rotation=90)
    ax.set_yticks(range(len(table.index)), table.index)
    ax.set_xlabel("day (ticks on Mondays); grey = no article")
    ax.set_title("Articles per outlet and day (analysis set)")
    ax.grid(False)
    cb = fig.colorbar(im, ax=ax, pad=0.01)
    ticks_cb = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if t <= vmax]
    cb.set_ticks(ticks_cb, labels=[str(t) for t in ticks_cb])
    cb.set_label("articles (log scale)")
    data = table.copy()
    data.columns = [str(c) for c in data.columns]
    return fig, data


def plot_text_length(result):
    """Words per article by outlet (box plots, log scale) with the ``min_words`` threshold."""
    s = result.settings
    a = result.articles[(result.articles["n_words"] > 0)]
    src = a["source"].fillna("(unknown)")
    order = a.groupby(src)["n_words"].median().sort_values(kind="mergesort").index.tolist()
    fig, ax = plots.new_figure("wide")
    data = [a.loc[src == o, "n_words"].to_numpy() for o in order]
    bp = ax.boxplot(data, orientation="horizontal", patch_artist=True, widths=0.6, flierprops={"markersize": 3, "alpha": 0.5})
    for patch, o in zip(bp["boxes"], order):
        patch.set_facecolor(plots.outlet_color(o))
        patch.set_alpha(0.7)
    ax.set_yticks(range(1, len(order) + 1), order)
    ax.set_xscale("log")
    ax.axvline(s["min_words"], color="#c0392b", linestyle="--", linewidth=1)
    ax.text(s["min_words"] * 1.05, len(order) + 0.45, f"min_words = {s['min_words']}", color="#c0392b", fontsize=9, va="bottom")
    ax.set_xlabel("words in the cleaned body (log scale)")
    ax.set_title("Text length by outlet (non-empty articles)")
    ax.set_ylim(0.4, len(order) + 0.9)
    table = a.assign(source=src)[["doc_id", "source", "n_words", "status"]].sort_values(["source", "n_words", "doc_id"], kind="mergesort")
    return fig, table.reset_index(drop=True)


def plot_similarity(pairs: pd.DataFrame, threshold: float, top: int = 30):
    """The most similar article pairs (Jaccard), coloured by decision, with the threshold line.

    Each row is labelled with the two outlets and the first article's title.
    """
    fig, ax = plots.new_figure("wide")
    if pairs.empty:
        ax.text(0.5, 0.5, "no similar pairs", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig, pairs
    p = pairs.sort_values(["jaccard", "title_a"], ascending=[False, True], kind="mergesort").head(top)
    p = p.iloc[::-1].reset_index(drop=True)
    cross = (p["source_a"] != p["source_b"]).to_numpy()
    colors = np.where(p["duplicate"], "#c0392b", "#7f7f7f")
    y = np.arange(len(p))
    ax.scatter(p["jaccard"], y, c=colors, s=36, zorder=3)
    ax.scatter(p.loc[cross, "jaccard"], y[cross], facecolors="none", edgecolors="#1f4e79", s=110, linewidths=1.2,
               zorder=4, label="different outlets (wire copy)")
    ax.axvline(threshold, color="#c0392b", linestyle="--", linewidth=1)
    ax.text(threshold + 0.004, len(p) - 0.5, f"threshold {threshold}", color="#c0392b", fontsize=9, va="bottom")
    labels = [textwrap.shorten(f"{a} / {b}: {t}", 70, placeholder="…") for a, b, t in zip(p["source_a"], p["source_b"], p["title_a"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(-0.7, len(p) + 0.3)
    ax.set_xlabel("Jaccard similarity of word 3-gram shingles (red: merged as near-duplicates)")
    ax.set_xlim(min(0.4, float(p["jaccard"].min()) - 0.02), 1.02)
    ax.legend(loc="lower right")
    ax.set_title("Most similar article pairs")
    return fig, p.iloc[::-1].reset_index(drop=True)
