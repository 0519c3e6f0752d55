"""The per-partition tasks of the partitioned cleaning stage, and the merges of their counts.

Each function runs on one partition of the article table (a contiguous block of rows) and calls
the cleaning stage's own functions (:mod:`newsscope.clean`), in the order
:func:`newsscope.clean.clean_articles` calls them for one article, so every article gets the
same treatment as in one sequential run. What the sequential run learns from the whole corpus
(boilerplate n-grams, duplicate pairs) is learnt from counts and signatures that the partitions
return and the driver merges; the glued-hyphen model is fitted in the driver on the texts the
partitions return (see :mod:`newsscope.engine.clean`).

Tasks never modify their inputs (on Dask an input is a result still held by a worker): they
return new objects.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pandas as pd

from newsscope.clean import boilerplate as bp
from newsscope.clean import dedup, fields, language, repair
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.settings import CleanSettings

__all__ = [
    "repair_and_extract", "hyphen_inputs", "repair_hyphens", "shingle_partition", "signatures",
    "shingle_subset", "boilerplate_keys", "boilerplate_grams", "finish_partition", "merge_counters", "merge_nested",
    "frequent_grams",
]

Bundle = dict[str, Any]


def _merge_lists(a: list[str], b: list[str]) -> list[str]:
    out = list(a)
    for x in b:
        if x not in out:
            out.append(x)
    return out


# --------------------------------------------------------------------------- 1. repairs and fields

def repair_and_extract(rows: pd.DataFrame, s: CleanSettings) -> Bundle:
    """Quote and character repairs, fields out of the body, stray hyphens (steps 1-3a of cleaning).

    Parameters
    ----------
    rows : pandas.DataFrame
        A block of the conformed article table (text, title, standfirst, captions, dateline,
        authors, source).
    s : CleanSettings

    Returns
    -------
    dict
        Lists per article: texts, titles, standfirsts, captions, datelines, authors,
        contributors, credits, rule_counts (Counter of repair rules), groups (outlet), and
        field_counter (Counter over the block).
    """
    n = len(rows)
    rule_counts: list[Counter] = [Counter() for _ in range(n)]

    def stage_a(text: Any, i: int) -> str:
        if not isinstance(text, str) or not text:
            return text or ""
        if not s.repair_text:
            return text
        text, k = repair.fix_mojibake(text)
        rule_counts[i]["mojibake"] += k
        text, k = repair.strip_csv_residue(text)
        rule_counts[i]["csv_residue"] += k
        text, c = repair.repair_lost_quotes(text)
        rule_counts[i].update(c)
        text, k = repair.repair_apostrophes(text)
        rule_counts[i]["contraction_quote"] += k
        text, c = repair.repair_quote_debris(text)
        rule_counts[i].update(c)
        return text

    texts, titles, standfirsts, captions = [], [], [], []
    for i, (t, ti, sf, cap) in enumerate(zip(rows["text"], rows["title"], rows["standfirst"], rows["captions"])):
        texts.append(stage_a(t, i))
        titles.append(stage_a(ti, i))
        standfirsts.append(stage_a(sf, i) if isinstance(sf, str) else sf)
        captions.append([stage_a(c, i) for c in cap])

    field_counter: Counter = Counter()
    datelines, authors, contributors, credits = [], [], [], []
    for i, (t, dl, au) in enumerate(zip(texts, rows["dateline"], rows["authors"])):
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

    def stage_b1(text: Any, i: int) -> str:
        if not isinstance(text, str) or not text or not s.repair_text:
            return text or ""
        text, c = repair.repair_stray_hyphens(text)
        rule_counts[i].update(c)
        return text

    texts = [stage_b1(t, i) for i, t in enumerate(texts)]
    titles = [stage_b1(t, i) for i, t in enumerate(titles)]
    standfirsts = [stage_b1(t, i) if isinstance(t, str) else t for i, t in enumerate(standfirsts)]
    groups = [x if isinstance(x, str) and x else "(unknown)" for x in rows["source"]]
    return {"texts": texts, "titles": titles, "standfirsts": standfirsts, "captions": captions, "datelines": datelines,
            "authors": authors, "contributors": contributors, "credits": credits, "rule_counts": rule_counts,
            "groups": groups, "field_counter": field_counter}


# --------------------------------------------------------------------------- 3b. glued hyphens

def hyphen_inputs(b: Bundle) -> tuple[list[str], list[str], list[Any], list[str]]:
    """Bodies, titles, standfirsts and outlets: what the glued-hyphen model is fitted on."""
    return b["texts"], b["titles"], b["standfirsts"], b["groups"]


def repair_hyphens(b: Bundle, model: GluedHyphenModel | None, s: CleanSettings) -> Bundle:
    """Step 3b: glued hyphens (with the corpus-wide model) and whitespace."""
    rule_counts = [Counter(rc) for rc in b["rule_counts"]]

    def stage_b2(text: Any, i: int) -> str:
        if not isinstance(text, str) or not text:
            return text or ""
        if model is not None:
            text, k = model.repair(text)
            rule_counts[i]["glued_hyphen"] += k
        text, k = repair.normalize_whitespace(text)
        if s.repair_text:
            rule_counts[i]["whitespace"] += k
        return text

    out = dict(b)
    out["texts"] = [stage_b2(t, i) for i, t in enumerate(b["texts"])]
    out["titles"] = [stage_b2(t, i) for i, t in enumerate(b["titles"])]
    out["standfirsts"] = [stage_b2(t, i) if isinstance(t, str) else t for i, t in enumerate(b["standfirsts"])]
    out["captions"] = [[stage_b2(c, i) for c in caps] for i, caps in enumerate(b["captions"])]
    out["rule_counts"] = rule_counts
    return out


# --------------------------------------------------------------------------- shingles (near-duplicates)

def shingle_partition(b: Bundle, s: CleanSettings) -> dict[str, np.ndarray]:
    """Shingle hashes and MinHash signatures of the partition's bodies (per document, as in the stage)."""
    values, offsets = dedup.shingle_sets(b["texts"], s.shingle_size)
    sig = dedup.minhash_signatures(values, offsets, s.num_perm)
    return {"values": values, "offsets": offsets, "sig": sig, "sizes": np.diff(offsets)}


def signatures(sh: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The signatures and shingle counts of a partition (what the driver needs for LSH)."""
    return sh["sig"], sh["sizes"]


def shingle_subset(sh: dict[str, np.ndarray], local: np.ndarray) -> list[np.ndarray]:
    """The shingle sets of the documents at positions ``local`` (for exact Jaccard checks)."""
    v, o = sh["values"], sh["offsets"]
    return [v[o[i]:o[i + 1]] for i in local]


# --------------------------------------------------------------------------- 4. boilerplate

def boilerplate_keys(b: Bundle, counted: np.ndarray) -> list[tuple[int, str, str]]:
    """Identity of every counted body: (position, outlet, digest of its lower-cased words).

    The stage counts each outlet's distinct bodies once; the digest (SHA-1, the same in every
    process) lets the driver pick one partition to count each of them.
    """
    out = []
    for i, (text, g) in enumerate(zip(b["texts"], b["groups"])):
        if not counted[i]:
            continue
        raw = (text or "").split()
        if not raw:
            continue
        out.append((i, g or "(unknown)", hashlib.sha1(" ".join(raw).lower().encode("utf-8", "surrogatepass")).hexdigest()))
    return out


def boilerplate_grams(b: Bundle, owned: np.ndarray, detector: bp.BoilerplateDetector) -> dict[str, Counter]:
    """Per outlet: in how many of the owned bodies each edge n-gram occurs."""
    n = detector.ngram
    df: dict[str, Counter] = defaultdict(Counter)
    for i in owned:
        g = b["groups"][i] or "(unknown)"
        raw = (b["texts"][i] or "").split()
        grams = set()
        for toks in detector._edges(raw):
            grams.update(tuple(toks[j:j + n]) for j in range(0, len(toks) - n + 1))
        df[g].update(grams)
    return dict(df)


def frequent_grams(counts: dict[str, Counter], docs: dict[str, int], detector: bp.BoilerplateDetector) -> dict[str, set]:
    """The boilerplate n-grams per outlet (``BoilerplateDetector.frequent_``) from merged counts."""
    out = {}
    for g, c in counts.items():
        need = max(detector.min_docs, detector.min_share * docs[g])
        out[g] = {gram for gram, k in c.items() if k >= need}
    return out


# --------------------------------------------------------------------------- 4-5. strip and measure

def finish_partition(b: Bundle, detector: bp.BoilerplateDetector | None, s: CleanSettings) -> Bundle:
    """Strip boilerplate, measure (words, lost characters, language), exact-duplicate keys."""
    out = dict(b)
    texts = list(b["texts"])
    removed = [""] * len(texts)
    if detector is not None:
        for i, t in enumerate(texts):
            body, head, tail = detector.strip(t, b["groups"][i])
            if head or tail:
                texts[i] = body
                removed[i] = "\n".join(x for x in (head, tail) if x)
    out["texts"] = texts
    out["removed"] = removed
    n_words = [language.count_words(t) for t in texts]
    out["n_words"] = n_words
    out["lost"] = [repair.count_lost_characters((ti or "") + "\n" + (t or "")) for ti, t in zip(b["titles"], texts)]
    langs = language.identify_languages([t if w >= 1 else "" for t, w in zip(texts, n_words)], s.language_chars)
    out["language"] = langs["language"].tolist()
    out["language_confidence"] = langs["language_confidence"].tolist()
    keys = (dedup.normalize_for_dedup(t) for t in texts)
    out["exact_key"] = [hashlib.sha256(k.encode("utf-8", "surrogatepass")).hexdigest() if k else "" for k in keys]
    return out


# --------------------------------------------------------------------------- merges (associative)

def merge_counters(a: Counter, b: Counter) -> Counter:
    """Sum of two Counters (a new Counter)."""
    out = Counter(a)
    out.update(b)
    return out


def merge_nested(a: Any, b: Any) -> Any:
    """Sum of two (tuples of) dicts of Counters / Counters, key by key (new objects)."""
    if isinstance(a, tuple):
        return tuple(merge_nested(x, y) for x, y in zip(a, b))
    if isinstance(a, Counter):
        return merge_counters(a, b)
    out = {k: Counter(v) for k, v in a.items()}
    for k, v in b.items():
        if k in out:
            out[k].update(v)
        else:
            out[k] = Counter(v)
    return out
