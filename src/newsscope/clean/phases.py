"""The per-article phases of cleaning, as functions of a block of articles.

Each phase treats every article on its own, given what was learnt from the whole corpus before
it (the glued-hyphen model, the boilerplate detector), so a corpus can be cut into blocks of
rows, each block run anywhere (this process, a forked worker of
:func:`newsscope.clean.parallel.map_blocks`, a Dask task of :mod:`newsscope.engine.clean`), and
the blocks' results joined in order: the result is the same as one run over all rows.
:func:`newsscope.clean.clean_articles` and the partitioned engine both call these functions, so
one article gets exactly the same treatment on every path.

A *bundle* is a dict of per-article lists for one block (see :func:`repair_and_extract`) plus
``field_counter`` (a Counter over the block); :func:`join_bundles` joins the blocks' bundles.
Phases never modify their input bundle (on Dask an input is a result still held by a worker):
they return new objects.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from newsscope.clean import boilerplate as bp
from newsscope.clean import dedup, fields, language, repair
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.letters import LostLetterModel
from newsscope.clean.settings import CleanSettings

__all__ = ["ROW_COLUMNS", "HYPHEN_KEYS", "Bundle", "repair_and_extract", "repair_hyphens", "strip_boilerplate", "measure_texts",
           "fingerprint_block", "join_fingerprints", "join_bundles", "slice_bundle"]

#: The columns of the article table the per-article phases read.
ROW_COLUMNS: list[str] = ["text", "title", "standfirst", "captions", "dateline", "authors", "source"]

Bundle = dict[str, Any]
_LIST_KEYS = ("texts", "titles", "standfirsts", "captions", "datelines", "authors", "contributors", "credits",
              "rule_counts", "groups", "unresolved")


def _merge_lists(a: list[str], b: list[str]) -> list[str]:
    out = list(a)
    for x in b:
        if x not in out:
            out.append(x)
    return out


# --------------------------------------------------------------------------- 1-3a. repairs and fields

def repair_and_extract(rows: pd.DataFrame, s: CleanSettings) -> Bundle:
    """Quote and character repairs, fields out of the body, stray hyphens (steps 1, 2 and 3a).

    Parameters
    ----------
    rows : pandas.DataFrame
        A block of the conformed article table (at least :data:`ROW_COLUMNS`).
    s : CleanSettings

    Returns
    -------
    dict
        Lists per article: ``texts``, ``titles``, ``standfirsts`` (None stays None),
        ``captions``, ``datelines``, ``authors``, ``contributors``, ``credits``,
        ``rule_counts`` (Counter of repair rules), ``groups`` (outlet, ``(unknown)`` if
        missing); and ``field_counter`` (articles per extracted field kind, over the block).
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
        if c:  # (an empty update is a no-op)
            rule_counts[i].update(c)
        text, k = repair.repair_apostrophes(text)
        rule_counts[i]["contraction_quote"] += k
        text, c = repair.repair_quote_debris(text)
        if c:
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
    for i, (t, dl, au) in enumerate(zip(texts, rows["dateline"].tolist(), rows["authors"].tolist())):
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
        if c:
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

def repair_hyphens(b: Bundle, model: GluedHyphenModel | None, s: CleanSettings,
                   letters: LostLetterModel | None = None) -> Bundle:
    """Step 3b: glued hyphens and lost letters (with the corpus-wide models, if any) and whitespace.

    Returns a new bundle (texts, titles, standfirsts, captions, authors and rule_counts
    replaced; ``unresolved``: per article, the damaged words whose lost letter stays lost).
    """
    rule_counts = [Counter(rc) for rc in b["rule_counts"]]
    unresolved: list[list[str]] = [[] for _ in rule_counts]

    def restore(text: Any, i: int) -> Any:
        if letters is None or not isinstance(text, str):
            return text
        text, k, left = letters.repair(text)
        rule_counts[i]["lost_letter"] += k
        unresolved[i].extend(left)
        return text

    def stage_b2(text: Any, i: int) -> str:
        if not isinstance(text, str) or not text:
            return text or ""
        if model is not None:
            text, k = model.repair(text)
            rule_counts[i]["glued_hyphen"] += k
        text = restore(text, i)
        text, k = repair.normalize_whitespace(text)
        if s.repair_text:
            rule_counts[i]["whitespace"] += k
        return text

    out = dict(b)
    out["texts"] = [stage_b2(t, i) for i, t in enumerate(b["texts"])]
    out["titles"] = [stage_b2(t, i) for i, t in enumerate(b["titles"])]
    out["standfirsts"] = [stage_b2(t, i) if isinstance(t, str) else t for i, t in enumerate(b["standfirsts"])]
    out["captions"] = [[stage_b2(c, i) for c in caps] for i, caps in enumerate(b["captions"])]
    out["authors"] = [[restore(a, i) for a in names] for i, names in enumerate(b["authors"])]
    out["rule_counts"] = rule_counts
    out["unresolved"] = unresolved
    return out


# --------------------------------------------------------------------------- 4-5. boilerplate and measures

def strip_boilerplate(texts: list[str], groups: list[str], detector: bp.BoilerplateDetector | None
                      ) -> tuple[list[str], list[str], list[int]]:
    """Step 4: remove each outlet's boilerplate at the start and end of the bodies.

    Returns
    -------
    (list of str, list of str, list of int)
        The bodies, the removed passages (head and tail joined by a newline; ``""`` if none)
        and the positions of the bodies that changed.
    """
    texts = list(texts)
    removed = [""] * len(texts)
    changed: list[int] = []
    if detector is not None:
        for i, t in enumerate(texts):
            body, head, tail = detector.strip(t, groups[i])
            if head or tail:
                texts[i] = body
                removed[i] = "\n".join(x for x in (head, tail) if x)
                changed.append(i)
    return texts, removed, changed


def measure_texts(titles: list[str], texts: list[str], s: CleanSettings) -> dict[str, list]:
    """Step 5: words, lost characters (title and body) and language of the cleaned bodies.

    Returns
    -------
    dict
        Lists per article: ``n_words``, ``n_replacement_chars``, ``n_lost_chars``,
        ``language``, ``language_confidence``.
    """
    n_words = language.count_words_many(texts)
    lost = [repair.count_lost_characters((ti or "") + "\n" + (t or "")) for ti, t in zip(titles, texts)]
    langs = language.identify_languages([t if w >= 1 else "" for t, w in zip(texts, n_words)], s.language_chars)
    return {"n_words": n_words, "n_replacement_chars": [a for a, _ in lost], "n_lost_chars": [b for _, b in lost],
            "language": langs["language"].tolist(), "language_confidence": langs["language_confidence"].tolist()}


def fingerprint_block(texts: list[str], s: CleanSettings) -> dict[str, Any]:
    """Shingle sets, MinHash signatures and exact-duplicate keys of a block of bodies.

    Each depends on its own body only, so blocks joined with :func:`join_fingerprints` equal
    one run over all bodies (:func:`newsscope.clean.dedup.fingerprint_texts` and
    :func:`~newsscope.clean.dedup.minhash_signatures`).
    """
    values, offsets, keys = dedup.fingerprint_texts(texts, s.shingle_size)
    return {"values": values, "sizes": np.diff(offsets), "keys": keys,
            "sig": dedup.minhash_signatures(values, offsets, s.num_perm)}


def join_fingerprints(parts: list[dict[str, Any]], num_perm: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[bytes]]:
    """``(values, offsets, signatures, keys)`` of the blocks' fingerprints, in order."""
    values = np.concatenate([p["values"] for p in parts]) if parts else np.zeros(0, np.uint32)
    sizes = np.concatenate([p["sizes"] for p in parts]) if parts else np.zeros(0, np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    sig = np.concatenate([p["sig"] for p in parts]) if parts else np.zeros((0, num_perm), np.uint32)
    return values, offsets, sig, [k for p in parts for k in p["keys"]]


# --------------------------------------------------------------------------- bundles

#: The entries :func:`repair_hyphens` reads and replaces.
HYPHEN_KEYS = ("texts", "titles", "standfirsts", "captions", "authors", "rule_counts")


def slice_bundle(b: Bundle, lo: int, hi: int, keys: tuple[str, ...] = _LIST_KEYS) -> Bundle:
    """The articles ``lo:hi`` of a bundle (the per-article lists ``keys`` sliced; other entries dropped)."""
    return {k: b[k][lo:hi] for k in keys if k in b}


def join_bundles(parts: list[Bundle]) -> Bundle:
    """The blocks' bundles joined in order (per-article lists concatenated, ``field_counter`` summed)."""
    out: Bundle = {}
    for k in parts[0] if parts else _LIST_KEYS:
        if k == "field_counter":
            c: Counter = Counter()
            for p in parts:
                c.update(p[k])
            out[k] = c
        else:
            out[k] = [x for p in parts for x in p[k]]
    return out
