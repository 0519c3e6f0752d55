"""The per-partition tasks of the partitioned cleaning stage, and the merges of their counts.

Each function runs on one partition of the article table (a contiguous block of rows); the
per-article work is the cleaning stage's own phases (:mod:`newsscope.clean.phases`, which
:func:`newsscope.clean.clean_articles` runs on its blocks too), so every article gets the same
treatment as in one sequential run. What the sequential run learns from the whole corpus
(boilerplate n-grams, duplicate pairs) is learnt from counts and signatures that the partitions
return and the driver merges; the glued-hyphen model is fitted in the driver on the texts the
partitions return (see :mod:`newsscope.engine.clean`).

Tasks never modify their inputs (on Dask an input is a result still held by a worker): they
return new objects.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from newsscope.clean import boilerplate as bp
from newsscope.clean import dedup, partwise, phases
from newsscope.clean.settings import CleanSettings

__all__ = [
    "repair_and_extract", "hyphen_inputs", "repair_hyphens", "shingle_partition", "signatures",
    "shingle_subset", "boilerplate_keys", "boilerplate_grams", "finish_partition", "merge_counters", "merge_nested",
    "frequent_grams",
]

Bundle = dict[str, Any]


# --------------------------------------------------------------------------- 1. repairs and fields

#: Quote and character repairs, fields, stray hyphens of a block (the stage's own phase).
repair_and_extract = phases.repair_and_extract


# --------------------------------------------------------------------------- 3b. glued hyphens

def hyphen_inputs(b: Bundle) -> tuple[list[str], list[str], list[Any], list[str]]:
    """Bodies, titles, standfirsts and outlets: what the glued-hyphen model is fitted on."""
    return b["texts"], b["titles"], b["standfirsts"], b["groups"]


#: Step 3b on a partition: glued hyphens (corpus-wide model) and whitespace (the stage's own phase).
repair_hyphens = phases.repair_hyphens


# --------------------------------------------------------------------------- shingles (near-duplicates)

def shingle_partition(b: Bundle, s: CleanSettings) -> dict[str, np.ndarray]:
    """Shingle hashes and MinHash signatures of the partition's bodies (per document, as in the stage)."""
    values, offsets = dedup.shingle_sets(b["texts"], s.shingle_size)
    sig = dedup.minhash_signatures(values, offsets, s.num_perm)
    return {"values": values, "offsets": offsets, "sig": sig, "sizes": np.diff(offsets)}


def signatures(sh: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The signatures and shingle counts of a partition (what the driver needs for LSH)."""
    return sh["sig"], sh["sizes"]


def shingle_subset(sh: dict[str, np.ndarray] | str | Path, local: np.ndarray) -> list[np.ndarray]:
    """The shingle sets of the documents at positions ``local`` (for exact Jaccard checks).

    ``sh``: a partition's shingle sets (``values``, ``offsets``), or the path of the ``.npz``
    file holding them (:func:`newsscope.clean.partwise.load_shingles`).
    """
    if isinstance(sh, (str, Path)):
        sh = partwise.load_shingles(sh)
    v, o = sh["values"], sh["offsets"]
    return [v[o[i]:o[i + 1]] for i in local]


# --------------------------------------------------------------------------- 4. boilerplate

#: Marks a counted paragraph (``(LINE_MARK, key)``) among the edge n-grams.
LINE_MARK = "\x00paragraph"


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
        grams.update((LINE_MARK, k) for k in detector.line_keys(b["texts"][i] or ""))  # whole repeated paragraphs
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
    texts, removed, _ = phases.strip_boilerplate(b["texts"], b["groups"], detector)
    out["texts"] = texts
    out["removed"] = removed
    out.update(phases.measure_texts(b["titles"], texts, s))
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
