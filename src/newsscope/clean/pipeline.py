"""The cleaning pipeline: raw article table -> every row with a status, and the analysis set.

Order of work (each step feeds the next):

1. repair quotes and lost characters (title, standfirst, body, captions);
2. datelines, outlet tags, bylines and trailing credits out of the body into fields;
3. repair stray and glued hyphens (corpus evidence) and whitespace;
4. remove boilerplate found from the data (per outlet, counted once per story);
5. measure words, lost characters and language; date status;
6. decide, in funnel order: empty, too short, not the analysis language, (date outlier),
   exact duplicate, near duplicate; everything else is kept.

:func:`newsscope.clean.loading.clean_corpus` runs it on a corpus spec and caches the
:class:`CleanResult`; :func:`newsscope.clean.loading.load_clean` returns its article table.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from newsscope import corpus as corpus_mod
from newsscope.clean import boilerplate as bp
from newsscope.clean import dates as dates_mod
from newsscope.clean import dedup, fields, language, repair
from newsscope.clean.funnel import build_funnel
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.settings import CLEAN_VERSION, CleanSettings

__all__ = ["CleanResult", "clean_articles", "code_version", "EXTRA_COLUMNS"]

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
    rejected : pandas.DataFrame
        Input files the parser rejected (origin, reason, detail).
    settings : dict
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

    @property
    def analysis_set(self) -> pd.DataFrame:
        """The kept rows, without ``text_raw`` (what :func:`load_clean` returns)."""
        kept = self.articles[self.articles["status"] == "kept"]
        return kept.drop(columns=["text_raw"]).reset_index(drop=True)


def _merge_lists(a: list[str], b: list[str]) -> list[str]:
    out = list(a)
    for x in b:
        if x not in out:
            out.append(x)
    return out


_STAGES = ("repair quotes", "fields", "hyphens", "boilerplate", "measures", "duplicates")


def _stage_bar(n: int):
    """One progress bar over the cleaning stages (shown for corpora of 1,000 articles or more)."""
    return tqdm(total=len(_STAGES), desc=f"cleaning {n:,} articles", unit="stage", file=sys.stderr,
                disable=n < 1000, leave=False, bar_format="{desc}: {n_fmt}/{total_fmt} stages [{elapsed}]{postfix}")


def clean_articles(raw: pd.DataFrame, settings: CleanSettings | None = None, *,
                   rejected: pd.DataFrame | None = None) -> CleanResult:
    """Clean a raw article table (see the module docstring for the steps).

    Parameters
    ----------
    raw : pandas.DataFrame
        An article table (``newsscope.corpus.ARTICLE_COLUMNS``).
    settings : CleanSettings, optional
    rejected : pandas.DataFrame, optional
        Inputs rejected before parsing (origin, reason, detail); they enter the funnel.

    Returns
    -------
    CleanResult
    """
    s = settings or CleanSettings()
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    df = corpus_mod.conform_articles(raw).copy()
    n = len(df)
    repeated = df["doc_id"].duplicated(keep=False)
    if repeated.any():
        first = df.loc[repeated, "doc_id"].iloc[0]
        rows = df.index[df["doc_id"] == first].tolist()
        origins = df.loc[rows, "origin"].tolist()
        raise ValueError(f"{int(repeated.sum())} rows share a doc_id, e.g. doc_id {first!r} at rows {rows} (origins {origins}); "
                         "doc_ids must be unique: give each row its own origin (the corpus loaders do)")
    df["text_raw"] = df["text"]
    rule_counts = [Counter() for _ in range(n)]

    # 1. quotes and lost characters ------------------------------------------------------
    def stage_a(text: str, i: int) -> str:
        if not isinstance(text, str) or not text:
            return text or ""
        if not s.repair_text:
            return text
        text, k = repair.fix_mojibake(text)
        rule_counts[i]["mojibake"] += k
        text, k = repair.strip_csv_residue(text)
        rule_counts[i]["csv_residue"] += k
        text, c = repair.repair_lost_quotes(text)
        if c:  # (an empty update is a no-op)
            rule_counts[i].update(c)
        text, k = repair.repair_apostrophes(text)
        rule_counts[i]["contraction_quote"] += k
        text, c = repair.repair_quote_debris(text)
        if c:  # (an empty update is a no-op)
            rule_counts[i].update(c)
        return text

    bar = _stage_bar(n)
    bar.set_postfix_str(_STAGES[0])
    texts, titles, standfirsts, captions = [], [], [], []
    for i, (t, ti, sf, cap) in enumerate(zip(df["text"], df["title"], df["standfirst"], df["captions"])):
        texts.append(stage_a(t, i))
        titles.append(stage_a(ti, i))
        standfirsts.append(stage_a(sf, i) if isinstance(sf, str) else sf)
        captions.append([stage_a(c, i) for c in cap])
    timings["repair_quotes"] = time.perf_counter() - t_start
    bar.update()
    bar.set_postfix_str(_STAGES[1])

    # 2. fields ------------------------------------------------------------------------------
    t0 = time.perf_counter()
    field_counter: Counter = Counter()
    datelines, authors, contributors, credits = [], [], [], []
    for i, (t, dl, au) in enumerate(zip(texts, df["dateline"].tolist(), df["authors"].tolist())):
        if s.extract_fields:
            fr = fields.extract_fields(t)
            texts[i] = fr.text
            field_counter.update({k: 1 for k in fr.counts})
            datelines.append(dl or fr.dateline)
            authors.append(_merge_lists(au, fr.authors))
            contributors.append(fr.contributors)
            credits.append(fr.credits)
        else:
            datelines.append(dl)
            authors.append(au)
            contributors.append([])
            credits.append([])
    timings["fields"] = time.perf_counter() - t0
    bar.update()
    bar.set_postfix_str(_STAGES[2])

    # 3. hyphens and whitespace ---------------------------------------------------------------
    t0 = time.perf_counter()
    sources = [x if isinstance(x, str) and x else "(unknown)" for x in df["source"]]

    def stage_b1(text: str, i: int) -> str:
        if not isinstance(text, str) or not text or not s.repair_text:
            return text or ""
        text, c = repair.repair_stray_hyphens(text)
        if c:  # (an empty update is a no-op)
            rule_counts[i].update(c)
        return text

    texts = [stage_b1(t, i) for i, t in enumerate(texts)]
    titles = [stage_b1(t, i) for i, t in enumerate(titles)]
    standfirsts = [stage_b1(t, i) if isinstance(t, str) else t for i, t in enumerate(standfirsts)]
    model = None
    if s.repair_text:
        fit_texts = texts + titles + [x for x in standfirsts if isinstance(x, str)]
        fit_groups = sources + sources + [g for g, x in zip(sources, standfirsts) if isinstance(x, str)]
        model = GluedHyphenModel(compound_prior=s.hyphen_compound_prior, content_prior=s.hyphen_content_prior).fit(fit_texts, fit_groups)

    def stage_b2(text: str, i: int) -> str:
        if not isinstance(text, str) or not text:
            return text or ""
        if model is not None:
            text, k = model.repair(text)
            rule_counts[i]["glued_hyphen"] += k
        text, k = repair.normalize_whitespace(text)
        if s.repair_text:
            rule_counts[i]["whitespace"] += k
        return text

    texts = [stage_b2(t, i) for i, t in enumerate(texts)]
    titles = [stage_b2(t, i) for i, t in enumerate(titles)]
    standfirsts = [stage_b2(t, i) if isinstance(t, str) else t for i, t in enumerate(standfirsts)]
    captions = [[stage_b2(c, i) for c in caps] for i, caps in enumerate(captions)]
    timings["repair_hyphens"] = time.perf_counter() - t0
    bar.update()
    bar.set_postfix_str(_STAGES[3])

    # 4. boilerplate ---------------------------------------------------------------------------
    t0 = time.perf_counter()
    removed_bp: list[str] = [""] * n
    # the bodies' shingle sets, MinHash signatures and exact-duplicate keys, kept for the
    # duplicate step (each depends on its body only; only stripped bodies change)
    shingles = signatures = exact = None
    stripped: list[int] = []
    if s.boilerplate:
        values, offsets, exact = dedup.fingerprint_texts(texts, s.shingle_size)
        shingles = (values, offsets)
        signatures = dedup.minhash_signatures(values, offsets, s.num_perm)
        pre_pairs = dedup.near_duplicate_pairs(
            texts, shingle_size=s.shingle_size, num_perm=s.num_perm, bands=s.lsh_bands,
            threshold=s.near_duplicate_threshold, min_shingles=s.min_shingles, max_bucket=s.max_bucket,
            shingles=shingles, signatures=signatures)
        prelim = dedup.cluster_greedy(n, pre_pairs, np.arange(n))
        counted = prelim == np.arange(n)
        det = bp.BoilerplateDetector(ngram=s.boilerplate_ngram, min_docs=s.boilerplate_min_docs,
                                     min_share=s.boilerplate_min_share, edge_tokens=s.boilerplate_edge_tokens,
                                     min_span=s.boilerplate_min_span).fit(texts, sources, counted=counted)
        for i, t in enumerate(texts):
            body, head, tail = det.strip(t, sources[i])
            if head or tail:
                texts[i] = body
                removed_bp[i] = "\n".join(x for x in (head, tail) if x)
                stripped.append(i)
        bp.release_cache()
        if stripped:
            new_values, new_offsets, new_keys = dedup.fingerprint_texts([texts[i] for i in stripped], s.shingle_size)
            shingles = dedup.replace_shingles(*shingles, stripped, new_values, new_offsets)
            signatures[stripped] = dedup.minhash_signatures(new_values, new_offsets, s.num_perm)
            for i, key in zip(stripped, new_keys):
                exact[i] = key
    timings["boilerplate"] = time.perf_counter() - t0
    bar.update()
    bar.set_postfix_str(_STAGES[4])

    df["text"] = texts
    df["title"] = titles
    df["standfirst"] = [x if isinstance(x, str) and x else None for x in standfirsts]
    df["captions"] = captions
    df["dateline"] = datelines
    df["authors"] = authors
    df["contributors"] = contributors
    df["credits"] = credits
    df["boilerplate_removed"] = removed_bp

    # 5. measures -----------------------------------------------------------------------------
    t0 = time.perf_counter()
    df["n_words"] = language.count_words_many(texts)
    lost = [repair.count_lost_characters((ti or "") + "\n" + (t or "")) for ti, t in zip(titles, texts)]
    df["n_replacement_chars"] = [a for a, _ in lost]
    df["n_lost_chars"] = [b for _, b in lost]
    langs = language.identify_languages([t if w >= 1 else "" for t, w in zip(texts, df["n_words"])], s.language_chars)
    df["language"] = langs["language"].to_numpy()
    df["language_confidence"] = langs["language_confidence"].to_numpy()
    df["date_status"] = dates_mod.date_status(df["published"], df["warnings"], window_days=s.date_window_days,
                                              min_neighbours=s.date_min_neighbours,
                                              min_neighbour_share=s.date_min_neighbour_share).to_numpy()
    order_rules = {r: k for k, r in enumerate(repair.RULES)}
    df["repairs"] = [sorted((r for r, c in rc.items() if c), key=lambda r: order_rules.get(r, 99)) for rc in rule_counts]
    df["n_repairs"] = [int(sum(rc.values())) for rc in rule_counts]
    timings["measures"] = time.perf_counter() - t0
    bar.update()
    bar.set_postfix_str(_STAGES[5])

    # 6. decisions ---------------------------------------------------------------------------------
    t0 = time.perf_counter()
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
    groups = dedup.exact_duplicate_groups(texts) if exact is None else dedup.groups_from_keys(exact)
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
    pairs = dedup.near_duplicate_pairs(
        texts, shingle_size=s.shingle_size, num_perm=s.num_perm, bands=s.lsh_bands, threshold=s.near_duplicate_threshold,
        min_shingles=s.min_shingles, max_bucket=s.max_bucket, active=active, shingles=shingles, signatures=signatures)
    canon = dedup.cluster_greedy(n, pairs, rank)
    sim_of = {}
    for i, j, jac in zip(pairs["i"], pairs["j"], pairs["jaccard"]):
        sim_of[(int(i), int(j))] = sim_of[(int(j), int(i))] = float(jac)
    for q in np.where(canon != np.arange(n))[0]:
        status[q] = "near_duplicate"
        duplicate_of[q] = doc_ids[int(canon[q])]
        similarity[q] = sim_of[(int(q), int(canon[q]))]
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
    timings["dedup"] = time.perf_counter() - t0
    bar.update()
    bar.close()

    # warnings ------------------------------------------------------------------------------
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

    # rejected inputs ----------------------------------------------------------------------------
    rej = rejected if rejected is not None else pd.DataFrame(columns=["origin", "reason", "detail"])
    if len(rej):
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
        df = pd.concat([df, rrows], ignore_index=True)

    cols = corpus_mod.ARTICLE_COLUMNS + EXTRA_COLUMNS + ["text_raw"]
    df = df[cols + [c for c in df.columns if c not in cols]]
    df["copies"] = df["copies"].astype(int)
    df["n_words"] = df["n_words"].astype(int)

    # tables ---------------------------------------------------------------------------------
    funnel = build_funnel(df["status"], s)
    repairs_tbl = _repair_table(rule_counts, df["doc_id"].iloc[:n].tolist())
    bp_tbl = bp.summarize_removed(pd.DataFrame({"source": df["source"].iloc[:n], "doc_id": df["doc_id"].iloc[:n],
                                                "removed": removed_bp})) if s.boilerplate else pd.DataFrame(columns=["source", "passage", "articles"])
    field_tbl = pd.DataFrame(sorted(field_counter.items(), key=lambda kv: (-kv[1], kv[0])), columns=["field", "articles"])
    dups = _duplicate_table(df)
    timings["total"] = time.perf_counter() - t_start
    return CleanResult(
        articles=df, funnel=funnel, repairs=repairs_tbl[0], repair_counts=repairs_tbl[1], field_counts=field_tbl,
        boilerplate=bp_tbl, duplicates=dups, hyphens=model, rejected=rej.reset_index(drop=True), settings=s.to_dict(),
        timings=timings,
    )


def _repair_table(rule_counts: list[Counter], doc_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    occ: Counter = Counter()
    arts: Counter = Counter()
    rows = []
    for d, rc in zip(doc_ids, rule_counts):
        for r, c in rc.items():
            if c:
                occ[r] += c
                arts[r] += 1
                rows.append((d, r, int(c)))
    table = pd.DataFrame({
        "rule": list(repair.RULES),
        "occurrences": [int(occ[r]) for r in repair.RULES],
        "articles": [int(arts[r]) for r in repair.RULES],
        "description": [repair.RULE_DESCRIPTIONS[r] for r in repair.RULES],
    })
    per_doc = pd.DataFrame(rows, columns=["doc_id", "rule", "occurrences"])
    return table, per_doc


def _duplicate_table(df: pd.DataFrame) -> pd.DataFrame:
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


def code_version(kind: str = "pages") -> str:
    """``CLEAN_VERSION`` plus a hash of the source code the cleaned table depends on.

    The cleaning modules and ``corpus.py`` always count; the page parser only for corpora of
    pages (``kind == 'pages'``), so work on the parser does not invalidate cleaned tables.
    """
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(CLEAN_VERSION.encode())
    files = sorted((root / "clean").glob("*.py")) + [root / "corpus.py"]
    if kind == "pages":
        files += sorted((root / "parsing").glob("*.py"))
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return CLEAN_VERSION + "+" + h.hexdigest()[:12]
