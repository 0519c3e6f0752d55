"""What the cleaning stage returns: the decisions on every row, the warnings and the report tables.

:func:`newsscope.clean.clean_articles` and the partitioned engine
(:mod:`newsscope.engine.clean`) both end with :func:`decide_status` (funnel decisions and
duplicate clusters) and :func:`finish_result` (warnings, rejected inputs, report tables), so the
two give the same :class:`CleanResult`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from newsscope import corpus as corpus_mod
from newsscope.clean import boilerplate as bp
from newsscope.clean import dates as dates_mod
from newsscope.clean import dedup, repair
from newsscope.clean.funnel import build_funnel
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.letters import LostLetterModel
from newsscope.clean.settings import CleanSettings

__all__ = ["EXTRA_COLUMNS", "MEASURE_COLUMNS", "CleanResult", "analysis_rows", "fill_columns", "decide_status", "finish_result",
           "add_warnings", "rejected_rows", "order_columns", "count_repairs", "repair_table", "repair_table_from_counts",
           "field_table", "duplicate_table"]

#: Columns added to the article table by the cleaning stage (after ``ARTICLE_COLUMNS``).
EXTRA_COLUMNS: list[str] = [
    "status", "duplicate_of", "similarity", "copies", "language", "language_confidence", "n_words",
    "n_replacement_chars", "n_lost_chars", "repairs", "n_repairs", "contributors", "credits",
    "boilerplate_removed", "date_status",
]


@dataclass
class CleanResult:
    """Everything the cleaning stage produced for one corpus and one set of settings.

    Attributes
    ----------
    articles : pandas.DataFrame
        Every raw row (and every rejected input file) with ``status`` and the cleaned fields;
        ``text_raw`` holds the body as read.
    funnel : pandas.DataFrame
        step, articles_in, articles_out, removed, reason (reconciles to the row).
    repairs : pandas.DataFrame
        Per repair rule: occurrences, articles, description.
    repair_counts : pandas.DataFrame
        Per article (doc_id) and rule: occurrences (only non-zero rows).
    field_counts : pandas.DataFrame
        Per extracted field kind (datelines, bylines, credits): articles.
    boilerplate : pandas.DataFrame
        Removed boilerplate: source, passage, articles.
    duplicates : pandas.DataFrame
        One row per duplicate: doc_id, duplicate_of, kind, similarity, sources, titles.
    hyphens : GluedHyphenModel or None
        The fitted glued-hyphen model (decisions and glue rates).
    letters : LostLetterModel or None
        The fitted lost-letter model (``decisions_``: every damaged word form, what it became
        and on which evidence).
    rejected : pandas.DataFrame
        Input files the parser rejected (origin, reason, detail).
    settings : dict
    load_warnings : list of str
        What the loaders warned about while reading the corpus (odd dates, manifest entries),
        without folder paths; summarised by :func:`newsscope.clean.report.input_notes`.
    """

    articles: pd.DataFrame
    funnel: pd.DataFrame
    repairs: pd.DataFrame
    repair_counts: pd.DataFrame
    field_counts: pd.DataFrame
    boilerplate: pd.DataFrame
    duplicates: pd.DataFrame
    hyphens: GluedHyphenModel | None
    rejected: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    letters: LostLetterModel | None = None
    load_warnings: list[str] = field(default_factory=list)

    @property
    def analysis_set(self) -> pd.DataFrame:
        """The kept rows, without ``text_raw`` (what :func:`load_clean` returns)."""
        return analysis_rows(self.articles)


def analysis_rows(articles: pd.DataFrame) -> pd.DataFrame:
    """The analysis set of (a part of) the cleaned table: the kept rows, without ``text_raw``, index 0..n-1.

    :attr:`CleanResult.analysis_set` is this rule applied to the whole table; applied to each part
    of a partitioned table in order, it gives the parts of the analysis set.
    """
    kept = articles[articles["status"] == "kept"]
    return kept.drop(columns=["text_raw"], errors="ignore").reset_index(drop=True)



#: The measures of each cleaned article (:func:`newsscope.clean.phases.measure_texts`).
MEASURE_COLUMNS = ("n_words", "n_replacement_chars", "n_lost_chars", "language", "language_confidence")


def fill_columns(df: pd.DataFrame, cols: dict[str, Any], s: CleanSettings, date_status: Any = None) -> None:
    """Write the per-article results into the article table (in place).

    Parameters
    ----------
    df : pandas.DataFrame
        The conformed article table, one row per article, in the order of the lists.
    cols : dict
        Per-article lists: ``texts``, ``titles``, ``standfirsts``, ``captions``, ``datelines``,
        ``authors``, ``contributors``, ``credits``, ``removed`` (boilerplate), ``rule_counts``
        and the :data:`MEASURE_COLUMNS`; optionally ``unresolved`` (damaged words whose lost
        letter was not restored: a warning each article).
    s : CleanSettings
    date_status : array-like, optional
        The date status of each row when it is decided elsewhere (over a whole corpus cleaned
        part by part); by default computed from ``df`` (:func:`newsscope.clean.dates.date_status`).
    """
    df["text"] = cols["texts"]
    df["title"] = cols["titles"]
    df["standfirst"] = [x if isinstance(x, str) and x else None for x in cols["standfirsts"]]
    df["captions"] = cols["captions"]
    df["dateline"] = cols["datelines"]
    df["authors"] = cols["authors"]
    df["contributors"] = cols["contributors"]
    df["credits"] = cols["credits"]
    df["boilerplate_removed"] = cols["removed"]
    for col in MEASURE_COLUMNS:
        df[col] = cols[col]
    if date_status is None:
        date_status = dates_mod.date_status(df["published"], df["warnings"], window_days=s.date_window_days,
                                            min_neighbours=s.date_min_neighbours,
                                            min_neighbour_share=s.date_min_neighbour_share).to_numpy()
    df["date_status"] = date_status
    order_rules = {r: k for k, r in enumerate(repair.RULES)}
    df["repairs"] = [sorted((r for r, c in rc.items() if c), key=lambda r: order_rules.get(r, 99)) for rc in cols["rule_counts"]]
    df["n_repairs"] = [int(sum(rc.values())) for rc in cols["rule_counts"]]
    if "unresolved" in cols:
        df["warnings"] = [list(w) + ([f"lost letter not restored: {', '.join(dict.fromkeys(u))}"] if u else [])
                          for w, u in zip(df["warnings"], cols["unresolved"])]


def decide_status(df: pd.DataFrame, s: CleanSettings, groups: np.ndarray,
                  near_pairs: Callable[[np.ndarray], pd.DataFrame],
                  previews: Callable[[np.ndarray, np.ndarray], pd.DataFrame] | None = None) -> np.ndarray:
    """Decide every row in funnel order and cluster the duplicates (step 6 of cleaning).

    Parameters
    ----------
    df : pandas.DataFrame
        The cleaned article table (positional index) with ``n_words``, ``language``,
        ``language_confidence``, ``date_status``; ``status``, ``duplicate_of``,
        ``similarity`` and ``copies`` are set here.
    s : CleanSettings
    groups : numpy.ndarray
        Exact-duplicate group of each row (equal numbers: equal normalised bodies; -1: empty).
    near_pairs : callable
        ``near_pairs(active)`` returns the near-duplicate pairs among the active rows
        (:func:`newsscope.clean.dedup.near_duplicate_pairs`' table: ``i``, ``j``, ``jaccard``).
    previews : callable, optional
        ``previews(paywalled, active)`` returns the paywalled previews among the active rows
        (:func:`newsscope.clean.dedup.preview_pairs`' table: ``i``, ``j``, ``containment``);
        by default that function on ``df``'s ``text`` and ``title`` (a caller whose ``df``
        holds no texts fetches those of the rows concerned only).

    Returns
    -------
    numpy.ndarray
        The status of each row.
    """
    n = len(df)
    status = np.array(["kept"] * n, dtype=object)
    nw = df["n_words"].to_numpy()
    status[nw == 0] = "empty"
    status[(status == "kept") & (nw < s.min_words)] = "too_short"
    other_lang = (df["language"] != s.language).to_numpy() & (df["language_confidence"] >= s.language_min_confidence).to_numpy()
    status[(status == "kept") & other_lang] = "other_language"
    if s.drop_date_outliers:
        status[(status == "kept") & (df["date_status"] == "outlier").to_numpy()] = "date_outlier"
    # canonical priority: earliest date (undated last), then longer body, then doc_id
    pub = df["published"]
    pub_key = pub.fillna(pd.Timestamp.max).to_numpy()
    priority = np.lexsort((df["doc_id"].to_numpy().astype(str), -nw, pub_key))
    rank = np.empty(n, dtype=np.int64)
    rank[priority] = np.arange(n)
    duplicate_of = np.array([None] * n, dtype=object)
    similarity = np.full(n, np.nan)
    active = status == "kept"
    # exact duplicates
    doc_ids = df["doc_id"].tolist()
    id_pos_all = {d: k for k, d in enumerate(doc_ids)}
    best: dict[int, int] = {}
    for p in priority:
        if active[p] and groups[p] >= 0:
            g = groups[p]
            if g in best:
                status[p] = "exact_duplicate"
                duplicate_of[p] = doc_ids[best[g]]
                similarity[p] = 1.0
            else:
                best[g] = p
    # near duplicates among the remaining
    active = status == "kept"
    pairs = near_pairs(active)
    canon = dedup.cluster_greedy(n, pairs, rank)
    sim_of = {}
    for i, j, jac in zip(pairs["i"], pairs["j"], pairs["jaccard"]):
        sim_of[(int(i), int(j))] = sim_of[(int(j), int(i))] = float(jac)
    for q in np.where(canon != np.arange(n))[0]:
        status[q] = "near_duplicate"
        duplicate_of[q] = doc_ids[int(canon[q])]
        similarity[q] = sim_of[(int(q), int(canon[q]))]
    # paywalled previews of a longer article of the same title (containment, not Jaccard)
    if s.preview_min_containment is not None and "paywalled" in df.columns:
        active = status == "kept"
        paywalled = df["paywalled"].fillna(False).astype(bool).to_numpy()
        if previews is None:
            found = dedup.preview_pairs(df["text"].tolist(), df["title"].tolist(), paywalled, active, nw,
                                        shingle_size=s.shingle_size, min_containment=s.preview_min_containment)
        else:
            found = previews(paywalled, active)
        for q, full, share in zip(found["i"], found["j"], found["containment"]):
            status[q] = "near_duplicate"
            duplicate_of[q] = doc_ids[int(full)]
            similarity[q] = float(share)
    # an exact duplicate of a row later merged as a near duplicate points at that row's canonical one
    for k in range(n):
        target = duplicate_of[k]
        seen = {doc_ids[k]}
        while target is not None and duplicate_of[id_pos_all[target]] is not None and target not in seen:
            seen.add(target)
            target = duplicate_of[id_pos_all[target]]
        duplicate_of[k] = target
    df["status"] = status
    df["duplicate_of"] = duplicate_of
    df["similarity"] = similarity
    copies = np.where(status == "kept", 1, 0)
    id_pos = {d: k for k, d in enumerate(df["doc_id"])}
    for d in duplicate_of:
        if d is not None:
            copies[id_pos[d]] += 1
    df["copies"] = copies
    return status


def finish_result(df: pd.DataFrame, s: CleanSettings, status: np.ndarray, rule_counts: list[Counter],
                  field_counter: Counter, removed_bp: list[str], model: GluedHyphenModel | None,
                  rejected: pd.DataFrame | None, letters: LostLetterModel | None = None) -> CleanResult:
    """Warnings, the rejected inputs' rows and the report tables: the :class:`CleanResult`."""
    n = len(df)
    add_warnings(df, s, status)
    rej = rejected if rejected is not None else pd.DataFrame(columns=["origin", "reason", "detail"])
    if len(rej):
        df = pd.concat([df, rejected_rows(rej)], ignore_index=True)
    df = order_columns(df)

    # tables ---------------------------------------------------------------------------------
    funnel = build_funnel(df["status"], s)
    repairs_tbl = repair_table(rule_counts, df["doc_id"].iloc[:n].tolist())
    bp_tbl = bp.summarize_removed(pd.DataFrame({"source": df["source"].iloc[:n], "doc_id": df["doc_id"].iloc[:n],
                                                "removed": removed_bp})) if s.boilerplate else pd.DataFrame(columns=["source", "passage", "articles"])
    field_tbl = field_table(field_counter)
    dups = duplicate_table(df)
    return CleanResult(
        articles=df, funnel=funnel, repairs=repairs_tbl[0], repair_counts=repairs_tbl[1], field_counts=field_tbl,
        boilerplate=bp_tbl, duplicates=dups, hyphens=model, rejected=rej.reset_index(drop=True), settings=s.to_dict(),
        letters=letters,
    )


def add_warnings(df: pd.DataFrame, s: CleanSettings, status: np.ndarray) -> None:
    """Add the cleaning stage's warnings (lost text, date outlier, uncertain language) to ``df['warnings']`` (in place).

    Each row's warnings depend on that row only, so a table cleaned part by part gets them part by part.
    """
    new_warn = []
    for w, nrep, ds, lang, conf, st in zip(df["warnings"], df["n_replacement_chars"], df["date_status"], df["language"],
                                          df["language_confidence"], status):
        w = list(w)
        if nrep:
            w.append(f"{nrep} replacement character(s) U+FFFD: text lost in the source")
        if ds == "outlier":
            w.append("date outlier: few other articles within the date window")
        if lang and lang != s.language and conf < s.language_min_confidence and st == "kept":
            w.append(f"language uncertain: {lang} ({conf:.2f})")
        new_warn.append(w)
    df["warnings"] = new_warn


def rejected_rows(rej: pd.DataFrame) -> pd.DataFrame:
    """The rows of the article table for the inputs rejected before parsing (origin, reason, detail)."""
    rrows = corpus_mod.conform_articles(pd.DataFrame({
        "origin": rej["origin"].astype(str).to_numpy(),
        "warnings": [[f"rejected: {r}" + (f" ({d})" if isinstance(d, str) and d else "")] for r, d in zip(rej["reason"], rej.get("detail", [""] * len(rej)))],
    }))
    rrows["text_raw"] = ""
    rrows["status"] = ["rejected: " + str(r) for r in rej["reason"]]
    for col, val in (("duplicate_of", None), ("similarity", np.nan), ("copies", 0), ("language", ""),
                     ("language_confidence", 0.0), ("n_words", 0), ("n_replacement_chars", 0), ("n_lost_chars", 0),
                     ("n_repairs", 0), ("boilerplate_removed", ""), ("date_status", "missing")):
        rrows[col] = val
    for col in ("repairs", "contributors", "credits"):
        rrows[col] = [[] for _ in range(len(rrows))]
    return rrows


def order_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The cleaned table's columns in their order (``ARTICLE_COLUMNS``, ``EXTRA_COLUMNS``, ``text_raw``, others) and types."""
    cols = corpus_mod.ARTICLE_COLUMNS + EXTRA_COLUMNS + ["text_raw"]
    df = df[cols + [c for c in df.columns if c not in cols]]
    df["copies"] = df["copies"].astype(int)
    df["n_words"] = df["n_words"].astype(int)
    return df


def field_table(field_counter: Counter) -> pd.DataFrame:
    """Articles per extracted field kind (``field``, ``articles``), most frequent first."""
    return pd.DataFrame(sorted(field_counter.items(), key=lambda kv: (-kv[1], kv[0])), columns=["field", "articles"])


def count_repairs(rule_counts: list[Counter], doc_ids: list[str]) -> tuple[Counter, Counter, list[tuple[str, str, int]]]:
    """Occurrences and articles per repair rule, and the non-zero (doc_id, rule, occurrences) rows.

    Counts of blocks of rows add up (Counters summed, rows concatenated in order).
    """
    occ: Counter = Counter()
    arts: Counter = Counter()
    rows = []
    for d, rc in zip(doc_ids, rule_counts):
        for r, c in rc.items():
            if c:
                occ[r] += c
                arts[r] += 1
                rows.append((d, r, int(c)))
    return occ, arts, rows


def repair_table_from_counts(occ: Counter, arts: Counter, rows: list[tuple[str, str, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The repairs table (per rule) and the per-article repair counts from :func:`count_repairs`."""
    table = pd.DataFrame({
        "rule": list(repair.RULES),
        "occurrences": [int(occ[r]) for r in repair.RULES],
        "articles": [int(arts[r]) for r in repair.RULES],
        "description": [repair.RULE_DESCRIPTIONS[r] for r in repair.RULES],
    })
    per_doc = pd.DataFrame(rows, columns=["doc_id", "rule", "occurrences"])
    return table, per_doc


def repair_table(rule_counts: list[Counter], doc_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The repairs table (per rule) and the per-article repair counts."""
    return repair_table_from_counts(*count_repairs(rule_counts, doc_ids))


def duplicate_table(df: pd.DataFrame) -> pd.DataFrame:
    d = df[df["duplicate_of"].notna()]
    if d.empty:
        return pd.DataFrame(columns=["doc_id", "duplicate_of", "kind", "similarity", "source", "canonical_source", "title", "canonical_title"])
    canon = df.set_index("doc_id")
    out = pd.DataFrame({
        "doc_id": d["doc_id"].to_numpy(),
        "duplicate_of": d["duplicate_of"].to_numpy(),
        "kind": d["status"].to_numpy(),
        "similarity": d["similarity"].round(3).to_numpy(),
        "source": d["source"].to_numpy(),
        "canonical_source": canon.loc[d["duplicate_of"], "source"].to_numpy(),
        "title": d["title"].to_numpy(),
        "canonical_title": canon.loc[d["duplicate_of"], "title"].to_numpy(),
    })
    return out.sort_values(["kind", "similarity", "doc_id"], ascending=[True, False, True], kind="mergesort").reset_index(drop=True)
