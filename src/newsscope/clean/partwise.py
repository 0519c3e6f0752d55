"""Cleaning a corpus stored in parts: the per-part passes, each reading and writing files.

The partitioned clean (:func:`newsscope.engine.stream.clean.clean_parts`) runs these functions
as tasks, one per part of the raw article table (a :class:`newsscope.parts.PartStore`), so a
task reads its input from a file, writes its output to a file and returns only a few numbers per
article. They need no engine and call the stage's own code:

:func:`count_letters_part`, :func:`merge_letter_counts`, :func:`fit_letters`
    the lost-letter model from the accented and damaged words counted in every part;
:func:`fit_sample`
    steps 1-4 of :func:`newsscope.clean.clean_articles` (:func:`newsscope.clean.pipeline.fit_models`)
    on a seeded sample of rows (:func:`sample_positions`; the whole table when it is no bigger
    than the sample), with that lost-letter model: the glued-hyphen model and the boilerplate
    detector.
:func:`clean_part` (first pass)
    the per-article phases (:mod:`newsscope.clean.phases`) with those models; writes the cleaned
    part and its bodies' shingle sets (:func:`save_shingles`) to a work folder and returns the
    per-article decision inputs (:data:`SMALL_COLUMNS`, MinHash signatures, exact-duplicate and
    title keys) and the part's report counts.
:func:`finish_part` (second pass)
    writes the final part: the decisions taken over the whole corpus (status, duplicate_of,
    similarity, copies, date_status), the warnings, the rejected inputs' rows after the last part.

Every per-article result is the one of :func:`newsscope.clean.clean_articles` given the same
models; what depends on the whole corpus (date outliers, duplicates, previews) is decided
between the two passes on the small columns.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope import corpus as corpus_mod
from newsscope.clean import boilerplate as bp
from newsscope.clean import dates as dates_mod
from newsscope.clean import phases
from newsscope.clean.letters import LetterCounts, LostLetterModel, count_bundle
from newsscope.clean.pipeline import FittedModels, fit_models
from newsscope.clean.result import (MEASURE_COLUMNS, add_warnings, count_repairs, fill_columns, order_columns,
                                    rejected_rows)
from newsscope.clean.settings import CleanSettings
from newsscope.parts import PartStore, read_part_file

__all__ = ["SMALL_COLUMNS", "sample_positions", "fit_sample", "count_letters_part", "merge_letter_counts", "fit_letters", "clean_part", "finish_part", "save_shingles", "load_shingles",
           "shingle_path", "text_keys", "lead_words", "LEAD_WORDS"]

#: The per-article columns the first pass returns for the corpus-wide decisions.
SMALL_COLUMNS = ("doc_id", "published", "paywalled", *MEASURE_COLUMNS)


def sample_positions(n: int, size: int, random_state: int = 0) -> np.ndarray | None:
    """Sorted row positions of a seeded sample of ``size`` rows out of ``n``; None: all rows (``n <= size``)."""
    if n <= size:
        return None
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n, size=size, replace=False)).astype(np.int64)


def fit_sample(raw_root: str | Path, positions: np.ndarray | None, s: CleanSettings, n_jobs: int | None = None,
               letter_model: LostLetterModel | None = None) -> FittedModels:
    """The corpus-wide models fitted on the rows ``positions`` of the raw store (None: every row).

    ``letter_model``: the lost-letter model fitted on the whole corpus' counts
    (:func:`count_letters_part`, :func:`fit_letters`), used on the sample (the boilerplate
    detector is fitted on the repaired bodies).

    Returns
    -------
    FittedModels
        Only the models (``hyphens``, ``letters``, ``boilerplate``).
    """
    raw = PartStore(raw_root)
    rows = raw.read_all() if positions is None else raw.read_rows(positions)
    return fit_models(rows, s, n_jobs=n_jobs, letter_model=letter_model)


def count_letters_part(k: int, raw_root: str | Path, s: CleanSettings) -> LetterCounts:
    """Accented and damaged words of raw part ``k`` after steps 1-3a (what the lost-letter model is fitted on).

    The parts' counts add up (:func:`merge_letter_counts`) to the whole corpus' counts, so the
    model (:func:`fit_letters`) knows every damaged form of the corpus: a form first met when
    repairing would be resolved there, one word-list scan each.
    """
    df = corpus_mod.conform_articles(PartStore(raw_root).read_part(k))
    return count_bundle(phases.repair_and_extract(df[phases.ROW_COLUMNS], s))


def merge_letter_counts(a: LetterCounts, b: LetterCounts) -> LetterCounts:
    """The sum of two parts' letter counts (a new object)."""
    return LetterCounts.merge([a, b])


def fit_letters(counts: LetterCounts, s: CleanSettings) -> LostLetterModel:
    """The lost-letter model fitted on the corpus' merged counts (as :func:`newsscope.clean.clean_articles` fits it)."""
    return LostLetterModel(text_language=s.language).fit_counts(counts)


def text_keys(texts: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit keys of texts (equal keys: equal texts) and which texts are missing or blank.

    Used for titles (case and spacing folded, as :func:`newsscope.clean.dedup.preview_pairs`
    compares them).
    """
    keys = np.zeros(len(texts), dtype=np.uint64)
    blank = np.ones(len(texts), dtype=bool)
    for i, t in enumerate(texts):
        if isinstance(t, str) and t.strip():
            key = " ".join(t.casefold().split()).encode("utf-8", "surrogatepass")
            keys[i] = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")
            blank[i] = False
    return keys, blank


#: Words of a body's beginning that :func:`lead_words` keeps.
LEAD_WORDS = 25


def lead_words(text: Any, n: int = LEAD_WORDS) -> str:
    """The first ``n`` words of a body ("" for none): a preview cut by a sign-up wall begins like its article."""
    return " ".join(text.split()[:n]) if isinstance(text, str) else ""


def shingle_path(work_root: str | Path, k: int) -> Path:
    """The file of part ``k``'s shingle sets in the work folder."""
    return Path(work_root) / f"shingles-{k:05d}.npz"


def save_shingles(path: str | Path, values: np.ndarray, offsets: np.ndarray) -> None:
    """Save a part's shingle sets (``values``, ``offsets``) to ``path`` (``.npz``, atomically)."""
    path = Path(path)
    tmp = path.with_name(path.stem + f".tmp{os.getpid()}.npz")
    np.savez(tmp, values=values, offsets=offsets)
    os.replace(tmp, path)


def load_shingles(path: str | Path) -> dict[str, np.ndarray]:
    """The shingle sets saved by :func:`save_shingles`: ``{"values", "offsets"}``."""
    with np.load(path) as z:
        return {"values": z["values"], "offsets": z["offsets"]}


def clean_part(k: int, raw_root: str | Path, work_root: str | Path, models: FittedModels, s: CleanSettings) -> dict[str, Any]:
    """First pass over raw part ``k``: the per-article cleaning, written to the work folder.

    Parameters
    ----------
    k : int
        Part number.
    raw_root, work_root : str or Path
        The raw :class:`~newsscope.parts.PartStore` and the work store (part ``k`` and its
        shingle sets are written there).
    models : FittedModels
        The corpus-wide models (:func:`fit_sample`).
    s : CleanSettings

    Returns
    -------
    dict
        ``part``, ``rows``, ``bytes`` (the written part); per article: the
        :data:`SMALL_COLUMNS`, ``date_warned``, ``sig`` (MinHash signatures), ``sizes``
        (shingles), ``exact`` (uint64 exact-duplicate keys) and ``exact_empty``, ``title_key``
        and ``title_blank``, ``lead_key`` (key of the body's first :data:`LEAD_WORDS` words); the part's counts: ``repairs`` (:func:`~newsscope.clean.result.count_repairs`),
        ``fields`` (Counter) and ``removed`` (:func:`~newsscope.clean.boilerplate.count_removed`).
    """
    df = corpus_mod.conform_articles(PartStore(raw_root).read_part(k)).copy()
    n = len(df)
    df["text_raw"] = df["text"]
    date_warned = dates_mod.date_warning_flags(df["warnings"])
    b = phases.repair_and_extract(df[phases.ROW_COLUMNS], s)
    b = phases.repair_hyphens(b, models.hyphens, s, models.letters)
    texts, removed, _ = phases.strip_boilerplate(b["texts"], b["groups"], models.boilerplate)
    measures = phases.measure_texts(b["titles"], texts, s)
    fp = phases.fingerprint_block(texts, s)
    b.update(texts=texts, removed=removed, **measures)
    fill_columns(df, b, s, date_status=np.full(n, None, dtype=object))  # decided over the corpus (second pass)
    doc_ids = df["doc_id"].tolist()
    out: dict[str, Any] = {"part": int(k), "rows": n}
    out.update(PartStore(work_root).write_part(k, df))
    offsets = np.concatenate([[0], np.cumsum(fp["sizes"])]).astype(np.int64)
    save_shingles(shingle_path(work_root, k), fp["values"], offsets)
    for col in SMALL_COLUMNS:
        out[col] = df[col].to_numpy()
    out["date_warned"] = date_warned
    out["sig"], out["sizes"] = fp["sig"], np.asarray(fp["sizes"], dtype=np.int64)
    out["exact_empty"] = np.array([key == b"" for key in fp["keys"]], dtype=bool)
    out["exact"] = np.array([int.from_bytes(key, "little") if key else 0 for key in fp["keys"]], dtype=np.uint64)
    out["title_key"], out["title_blank"] = text_keys(df["title"].tolist())
    out["lead_key"] = text_keys([lead_words(t) for t in df["text"].tolist()])[0]
    out["repairs"] = count_repairs(b["rule_counts"], doc_ids)
    out["fields"] = Counter(b["field_counter"])
    out["removed"] = bp.count_removed(pd.DataFrame({"source": df["source"], "doc_id": doc_ids, "removed": removed})) \
        if s.boilerplate else Counter()
    return out


def finish_part(item: dict[str, Any], work_root: str | Path, out_root: str | Path, s: CleanSettings) -> dict[str, Any]:
    """Second pass over part ``item["part"]``: the corpus-wide decisions written into the final part.

    Parameters
    ----------
    item : dict
        ``part``; per article of the part ``status``, ``duplicate_of``, ``similarity``,
        ``copies``, ``date_status`` (Series with the dtype of the whole table's column); ``rejected`` (a table of rejected inputs, appended after
        the part's rows: given to the last part only) or None.
    work_root, out_root : str or Path
        The work store written by :func:`clean_part` and the final store.
    s : CleanSettings

    Returns
    -------
    dict
        The written part's summary (``part``, ``rows``, ``bytes``) and its ``columns``.
    """
    k = int(item["part"])
    work = PartStore(work_root)
    df = read_part_file(work.part_path(k))
    for col in ("date_status", "status", "duplicate_of", "similarity", "copies"):
        df[col] = pd.Series(item[col]).set_axis(df.index)
    add_warnings(df, s, df["status"].to_numpy())
    rejected = item.get("rejected")
    if rejected is not None and len(rejected):
        df = pd.concat([df, rejected_rows(rejected)], ignore_index=True)
    df = order_columns(df)
    summary = PartStore(out_root).write_part(k, df)
    summary["columns"] = [str(c) for c in df.columns]
    return summary
