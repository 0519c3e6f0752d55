"""The partitioned clean: a raw article table in parts -> the cleaned table in parts, memory bounded.

:func:`clean_parts` gives, part by part, the rows of :func:`newsscope.clean.clean_articles`
(same columns, order and values) and its report tables, without ever holding the corpus:

1. the corpus-wide models are fitted once: the lost-letter model on the accented and damaged
   words counted in every part (reduced), the glued-hyphen model and the boilerplate detector on
   a seeded sample of at most ``model_sample`` rows (:func:`newsscope.clean.partwise.fit_sample`,
   a task); on a corpus no bigger than the sample, that is the whole corpus and the result is
   the in-memory stage's exactly;
2. one task per raw part (:func:`newsscope.clean.partwise.clean_part`) cleans its articles,
   writes them and their shingle sets to ``root/clean_work/`` and returns a few numbers per
   article (measures, MinHash signature, exact-duplicate and title keys) and the part's counts;
3. the driver decides every row with the stage's own :func:`newsscope.clean.result.decide_status`
   on those small columns: date outliers over the corpus' dates, exact duplicates by key, near
   duplicates by LSH over every signature (:func:`newsscope.engine.clean.near_pairs_from_signatures`:
   only the candidates' shingle sets are read, part by part), paywalled previews on the texts of
   the paywalled rows and their same-title partners only;
4. one task per part (:func:`newsscope.clean.partwise.finish_part`) writes the final part to
   ``root/clean/``; the report tables come from the reduced counts and go to
   ``root/clean_report.pkl``.

The driver holds, per article, the small columns (doc_id, date, measures, keys: about 150 bytes)
and the signature (``4 * num_perm`` bytes); texts only of the few rows a decision or a report
table needs.
"""

from __future__ import annotations

import pickle
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope.clean import boilerplate as bp
from newsscope.clean import dates as dates_mod
from newsscope.clean import dedup, partwise
from newsscope.clean.funnel import build_funnel
from newsscope.clean.hyphens import GluedHyphenModel
from newsscope.clean.letters import LostLetterModel
from newsscope.clean.result import decide_status, duplicate_table, field_table, repair_table_from_counts
from newsscope.clean.settings import CleanSettings
from newsscope.engine.base import Engine, engine_scope
from newsscope.engine.clean import near_pairs_from_signatures
from newsscope.parts import PartStore, check_disk

__all__ = ["CleanParts", "clean_parts", "load_clean_parts", "REPORT_FILE"]

#: The report file in the run's folder.
REPORT_FILE = "clean_report.pkl"
_REPORT_TABLES = ("funnel", "repairs", "repair_counts", "field_counts", "boilerplate", "duplicates", "rejected")


@dataclass
class CleanParts:
    """The partitioned clean's result: the cleaned table in parts and the report tables.

    Attributes
    ----------
    articles : PartStore
        Every row (raw rows in order, then the rejected inputs), as ``CleanResult.articles``.
    funnel, repairs, repair_counts, field_counts, boilerplate, duplicates, rejected : pandas.DataFrame
        As in :class:`newsscope.clean.CleanResult`.
    hyphens : GluedHyphenModel or None
    letters : LostLetterModel or None
    settings : dict
    analysis_rows : int
        Rows in the analysis set (status ``kept``, as ``CleanResult.analysis_set``).
    sample_rows : int
        Rows the corpus-wide models were fitted on.
    timings : dict
        Seconds per step.
    """

    articles: PartStore
    funnel: pd.DataFrame
    repairs: pd.DataFrame
    repair_counts: pd.DataFrame
    field_counts: pd.DataFrame
    boilerplate: pd.DataFrame
    duplicates: pd.DataFrame
    rejected: pd.DataFrame
    hyphens: GluedHyphenModel | None = None
    letters: LostLetterModel | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    analysis_rows: int = 0
    sample_rows: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def load_clean_parts(root: str | Path) -> CleanParts:
    """The :class:`CleanParts` a finished :func:`clean_parts` run left in ``root``."""
    root = Path(root)
    with open(root / REPORT_FILE, "rb") as fh:
        report = pickle.load(fh)
    return CleanParts(articles=PartStore(root / "clean"), **report)


def clean_parts(raw: PartStore, root: str | Path, settings: CleanSettings | None = None, *,
                rejected: pd.DataFrame | None = None, engine: str | Engine | Any = None, model_sample: int = 100_000,
                random_state: int = 0, progress: bool = True) -> CleanParts:
    """Clean an article table stored in parts, one part at a time (see the module docstring).

    Parameters
    ----------
    raw : PartStore
        The parsed article table (schema columns); its parts are the partitions.
    root : str or Path
        The run's folder: ``root/clean/`` (the cleaned parts) and ``root/clean_report.pkl`` are
        written; ``root/clean_work/`` holds intermediate files during the run.
    settings : CleanSettings, optional
    rejected : pandas.DataFrame, optional
        Inputs rejected before parsing (origin, reason, detail); their rows follow the last part.
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`; tasks read and write files under ``root``, so a
        cluster's workers must share that file system.
    model_sample : int
        At most this many rows (a seeded sample) are used to fit the corpus-wide models.
    random_state : int
        Seed of the sample.
    progress : bool
        Progress bars (stderr).

    Returns
    -------
    CleanParts
    """
    s = settings or CleanSettings()
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    raw_bytes = sum(raw.part_path(k).stat().st_size for k in range(raw.n_parts))
    check_disk(root, 3 * raw_bytes, what="the cleaned parts (and their work files)", setting="the run's folder (root)")
    with engine_scope(engine, progress=progress) as eng:
        return _clean_parts(eng, raw, root, s, rejected, model_sample, random_state)


def _clean_parts(eng: Engine, raw: PartStore, root: Path, s: CleanSettings, rejected: pd.DataFrame | None,
                 model_sample: int, random_state: int) -> CleanParts:
    timings: dict[str, float] = {}
    t0 = t_start = time.perf_counter()
    n, bounds = raw.n_rows, raw.bounds()
    parts = list(range(raw.n_parts))
    letter_model = None
    if s.repair_text and n:  # lost letters: every part's counts reduced, the model fitted once
        counts = eng.map(partwise.count_letters_part, parts, str(raw.root), eng.scatter(s), desc="clean: letter counts")
        letter_model = eng.submit(partwise.fit_letters, eng.reduce(partwise.merge_letter_counts, counts, gather=False), s)
    positions = partwise.sample_positions(n, model_sample, random_state)
    models = eng.gather(eng.submit(partwise.fit_sample, str(raw.root), positions, s, None, letter_model))
    timings["fit_models"] = time.perf_counter() - t0

    # 1. per part: the per-article phases, written to the work store; small columns back ----------
    t0 = time.perf_counter()
    work = PartStore.create(root / "clean_work")
    firsts = eng.gather(eng.map(partwise.clean_part, parts, str(raw.root), str(work.root),
                                eng.scatter(models), eng.scatter(s), desc="clean: parts"))
    work.finish(firsts, [], {"stage": "clean (work)"})
    small = pd.DataFrame({c: _take_column(firsts, c, []) for c in partwise.SMALL_COLUMNS})
    _check_unique(small["doc_id"])
    cat = {k: _take_column(firsts, k, np.zeros(0)) for k in ("date_warned", "sizes", "exact", "exact_empty", "title_key", "title_blank",
                                                    "lead_key")}
    sig = _take_column(firsts, "sig", np.zeros((0, s.num_perm), np.uint32))
    occ, arts, repair_rows, fields, removed = Counter(), Counter(), [], Counter(), Counter()
    for f in firsts:
        occ.update(f["repairs"][0])
        arts.update(f["repairs"][1])
        repair_rows.extend(f["repairs"][2])
        fields.update(f["fields"])
        removed.update(f["removed"])
    del firsts
    timings["clean_parts"] = time.perf_counter() - t0

    # 2. decisions over the corpus, on the small columns -------------------------------------------
    t0 = time.perf_counter()
    small["date_status"] = dates_mod.date_status(small["published"], warned=cat["date_warned"], window_days=s.date_window_days,
                                                 min_neighbours=s.date_min_neighbours,
                                                 min_neighbour_share=s.date_min_neighbour_share).to_numpy()
    groups = np.asarray(pd.factorize(cat["exact"], sort=False)[0]).astype(np.int64) if n else np.zeros(0, np.int64)
    groups[cat["exact_empty"]] = -1
    shingles = [str(partwise.shingle_path(work.root, k)) for k in range(raw.n_parts)]
    status = decide_status(small, s, groups,
                           lambda active: near_pairs_from_signatures(eng, sig, cat["sizes"], shingles, bounds, s, active),
                           previews=_previews(work, small["n_words"].to_numpy(), cat["title_key"], cat["lead_key"], cat["title_blank"], s,
                                              sig, cat["sizes"]))
    del sig
    duplicates = _duplicates(work, small)
    timings["decisions"] = time.perf_counter() - t0

    # 3. per part: the final rows -------------------------------------------------------------------
    t0 = time.perf_counter()
    rej = rejected if rejected is not None else pd.DataFrame(columns=["origin", "reason", "detail"])
    items = []
    for k, (lo, hi) in enumerate(bounds):
        # (Series: each column keeps the dtype pandas gave it over the whole table)
        item = {c: small[c].iloc[lo:hi].reset_index(drop=True) for c in ("date_status", "status", "duplicate_of", "similarity", "copies")}
        item.update(part=k, rejected=rej if k == len(bounds) - 1 and len(rej) else None)
        items.append(item)
    out = PartStore.create(root / "clean")
    summaries = eng.gather(eng.map(partwise.finish_part, items, str(work.root), str(out.root), eng.scatter(s),
                                   desc="clean: final parts"))
    del items
    analysis_rows = int((status == "kept").sum())
    columns = summaries[0]["columns"] if summaries else []
    out.finish(summaries, columns, {"stage": "clean", "settings": s.to_dict(), "analysis_rows": analysis_rows})
    shutil.rmtree(work.root, ignore_errors=True)
    timings["final_parts"] = time.perf_counter() - t0

    # 4. report tables from the small columns and the reduced counts ------------------------------
    all_status = pd.Series(list(status) + ["rejected: " + str(r) for r in rej["reason"]], dtype=object, name="status")
    repairs, repair_counts = repair_table_from_counts(occ, arts, repair_rows)
    report = {
        "funnel": build_funnel(all_status, s), "repairs": repairs, "repair_counts": repair_counts,
        "field_counts": field_table(fields),
        "boilerplate": bp.removed_table(removed) if s.boilerplate else pd.DataFrame(columns=["source", "passage", "articles"]),
        "duplicates": duplicates, "rejected": rej.reset_index(drop=True), "hyphens": models.hyphens, "letters": models.letters,
        "settings": s.to_dict(), "analysis_rows": analysis_rows, "sample_rows": n if positions is None else len(positions),
    }
    timings["total"] = time.perf_counter() - t_start
    report["timings"] = timings
    with open(root / (REPORT_FILE + ".tmp"), "wb") as fh:
        pickle.dump(report, fh, protocol=pickle.HIGHEST_PROTOCOL)
    (root / (REPORT_FILE + ".tmp")).replace(root / REPORT_FILE)
    return CleanParts(articles=out, **report)


def _take_column(firsts: list[dict[str, Any]], key: str, empty: Any) -> Any:
    """The parts' arrays under ``key`` end to end, removed from the parts' results as they are joined
    (the driver holds every article's small columns once, not twice)."""
    if not firsts:
        return empty
    return np.concatenate([f.pop(key) for f in firsts])


def _check_unique(doc_ids: pd.Series) -> None:
    """Raise ValueError when rows share a doc_id (as :func:`newsscope.clean.clean_articles` does)."""
    repeated = doc_ids.duplicated(keep=False)
    if repeated.any():
        first = doc_ids[repeated].iloc[0]
        rows = doc_ids.index[doc_ids == first].tolist()
        raise ValueError(f"{int(repeated.sum())} rows share a doc_id, e.g. doc_id {first!r} at rows {rows}; "
                         "doc_ids must be unique: give each row its own origin (the corpus loaders do)")


#: Candidate preview pairs whose containment, estimated from the MinHash signatures, is below this
#: are not checked exactly (see :func:`_previews`).
PREVIEW_ESTIMATE_FLOOR = 0.5
#: Titles shared by more active rows than this are searched for previews among the rows that also
#: begin with the same words only (the pairs of a title grow with the square of its rows: 260
#: rewrites under each title of a generated million are 200 million pairs).
PREVIEW_MAX_TITLE_ROWS = 50


def _preview_candidates(pay_rows: np.ndarray, cand_rows: np.ndarray, title_key: np.ndarray, lead_key: np.ndarray,
                        n_words: np.ndarray, sig: np.ndarray, sizes: np.ndarray, floor: float) -> np.ndarray:
    """Pairs (preview row, full row) of one title with more words and a plausible containment.

    The containment ``|A ∩ B| / |A|`` is estimated from the Jaccard estimate ``J`` of the
    signatures: ``J (|A| + |B|) / ((1 + J) |A|)``. Titles recur (wire copy, updates: hundreds of
    rows under one title in a big crawl), so checking every same-title pair exactly would read
    most of the corpus; the estimate keeps the few pairs worth an exact check. Under a title
    shared by more than :data:`PREVIEW_MAX_TITLE_ROWS` rows, a preview is paired only with the
    rows whose body begins with the same :data:`~newsscope.clean.partwise.LEAD_WORDS` words (a
    preview is the first paragraphs of its article).
    """
    keys, counts = np.unique(title_key[cand_rows], return_counts=True)
    crowded = keys[counts > PREVIEW_MAX_TITLE_ROWS]
    on = ["key"]
    if len(crowded):  # a title shared by very many rows: its rows are paired on their beginnings too
        def lead(rows: np.ndarray) -> np.ndarray:
            return np.where(np.isin(title_key[rows], crowded), lead_key[rows], np.uint64(0))
        on = ["key", "lead"]
    else:
        def lead(rows: np.ndarray) -> np.ndarray:
            return np.zeros(len(rows), dtype=np.uint64)
    left = pd.DataFrame({"i": pay_rows, "key": title_key[pay_rows], "lead": lead(pay_rows)})
    right = pd.DataFrame({"j": cand_rows, "key": title_key[cand_rows], "lead": lead(cand_rows)})
    pairs = left.merge(right, on=on, how="inner")[["i", "j"]].to_numpy(dtype=np.int64)
    pairs = pairs[(pairs[:, 0] != pairs[:, 1]) & (n_words[pairs[:, 1]] > n_words[pairs[:, 0]])]
    jac = dedup.estimate_jaccard(sig, pairs)
    a, b = sizes[pairs[:, 0]].astype(float), sizes[pairs[:, 1]].astype(float)
    est = np.divide(jac * (a + b), (1.0 + jac) * a, out=np.zeros(len(pairs)), where=a > 0)
    return pairs[est >= floor]


def _previews(work: PartStore, n_words: np.ndarray, title_key: np.ndarray, lead_key: np.ndarray, title_blank: np.ndarray, s: CleanSettings,
              sig: np.ndarray, sizes: np.ndarray):
    """``previews(paywalled, active)`` for :func:`decide_status`: :func:`newsscope.clean.dedup.preview_pairs`
    on the texts of the paywalled rows and of their plausible full articles only.

    The candidates are the same-title pairs of :func:`newsscope.clean.dedup.preview_pairs` whose
    containment estimated from the signatures reaches :data:`PREVIEW_ESTIMATE_FLOOR` (the exact
    threshold is ``preview_min_containment``, 0.9): the texts of those rows only are read, part by
    part. The one approximation of the partitioned clean: a preview a twentieth of its article's
    length is missed about once in twenty (64 permutations); half-page previews are always found.
    Under titles shared by more than :data:`PREVIEW_MAX_TITLE_ROWS` rows only the rows that begin
    with the same words are candidates (:func:`_preview_candidates`).
    """
    def previews(paywalled: np.ndarray, active: np.ndarray) -> pd.DataFrame:
        empty = pd.DataFrame({"i": np.zeros(0, dtype=np.int64), "j": np.zeros(0, dtype=np.int64), "containment": np.zeros(0)})
        pay = paywalled & active & ~title_blank
        if not pay.any():
            return empty
        pairs = _preview_candidates(np.flatnonzero(pay), np.flatnonzero(active & ~title_blank), title_key, lead_key, n_words,
                                    sig, sizes, PREVIEW_ESTIMATE_FLOOR)
        if not len(pairs):
            return empty
        rows = np.unique(pairs)
        texts = work.read_rows(rows, columns=["text", "title"])
        # only the rows of plausible pairs take part: their same-title pairs are checked exactly
        found = dedup.preview_pairs(texts["text"].tolist(), texts["title"].tolist(), paywalled[rows], active[rows], n_words[rows],
                                    shingle_size=s.shingle_size, min_containment=s.preview_min_containment)
        found["i"] = rows[found["i"].to_numpy()]
        found["j"] = rows[found["j"].to_numpy()]
        return found
    return previews


def _duplicates(work: PartStore, small: pd.DataFrame) -> pd.DataFrame:
    """The duplicates table, with the sources and titles of the duplicates and their canonical rows only."""
    dup = np.flatnonzero(small["duplicate_of"].notna().to_numpy())
    canon = pd.Index(small["doc_id"]).get_indexer(small["duplicate_of"].to_numpy()[dup])
    rows = np.union1d(dup, canon).astype(np.int64)
    frame = small.iloc[rows][["doc_id", "duplicate_of", "status", "similarity"]].reset_index(drop=True)
    names = work.read_rows(rows, columns=["source", "title"])
    frame["source"], frame["title"] = names["source"].to_numpy(), names["title"].to_numpy()
    return duplicate_table(frame)
