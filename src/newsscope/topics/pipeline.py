"""The topic analysis of a corpus in one cached call, and its result tables.

:func:`fit_topics` loads the shared document-term matrix (:func:`newsscope.vectorize.load_dtm`),
keeps outlet names, dateline artefacts and boilerplate out of the vocabulary, sweeps k (unless
given), chooses k by the documented rule, and returns a :class:`TopicResult` with every table the
notebook shows. The expensive part (the sweep and the final model) is cached on disk, keyed by the
matrix's content and every setting, so a notebook rerun takes seconds. Relabelling is applied
after the cache, so renaming topics never refits anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from newsscope import cache, paths
from newsscope.topics.coherence import document_presence, topic_npmi
from newsscope.topics.labels import apply_relabel, find_keep_out_terms, label_topics, representative_documents
from newsscope.topics.models import TopicModel
from newsscope.topics.selection import SELECTION_COLUMNS, SweepResult, choose_k, merge_sweeps, sweep_k
from newsscope.topics.stability import MIN_TOPIC_STABILITY
from newsscope.topics.stability import summarise_stability
from newsscope.topics.views import document_map

__all__ = ["TOPICS_VERSION", "MAX_AUTO_K", "FINE_K_UP_TO", "MAX_EXTENSIONS", "default_k_range", "MIN_DOCUMENTS", "SWEEP_SAMPLE", "TopicResult", "default_vocabulary", "resolve_k_range", "sweep_and_choose", "fingerprint_dtm", "fit_topics",
           "topic_table", "doc_topic_table", "map_documents", "write_topic_table", "write_topic_results"]

#: Bump when the output of the topic stage changes for the same inputs (invalidates caches).
TOPICS_VERSION = "3"
#: Largest k of the automatic range (:func:`default_k_range`); the range extends past it when
#: the chosen k lies at its edge.
MAX_AUTO_K = 30
#: The automatic range holds every k up to this one (and is coarser above).
FINE_K_UP_TO = 16
#: How many times a sweep is extended when the chosen k lies at the edge of the swept range.
MAX_EXTENSIONS = 3
#: Fewer documents than this after cleaning: no topic model (a message says so).
MIN_DOCUMENTS = 20
#: Above this many documents the k sweep runs on a random sample of this size (see :func:`fit_topics`).
SWEEP_SAMPLE = 10_000
#: Share of a document a topic must have to be listed in ``doc_topics`` besides the dominant one.
MIN_DOC_SHARE = 0.10


@dataclass
class TopicResult:
    """Everything the topic notebook shows, for one corpus and one set of settings.

    Attributes
    ----------
    corpus : str
        The corpus spec.
    k : int or None
        The number of topics (None: no model, see ``messages``).
    reason : str
        Why this k (the selection rule's outcome, or "set by the user").
    model : TopicModel or None
        The final model (the sweep's reference model at ``k``).
    selection : DataFrame
        The sweep: k, npmi, diversity, stability, npmi_min, fit_seconds, chosen.
    topics : DataFrame
        topic, label, top_terms (``"; "``-separated), size, npmi, stability, share, auto_label.
    doc_topics : DataFrame
        doc_id, topic, weight (see :func:`doc_topic_table`).
    headlines : DataFrame
        The three most representative headlines per topic.
    docs : DataFrame
        The documents (aligned with ``doc_topic``): doc_id, source, published, title, ...
    doc_topic : ndarray
        Topic shares per document (rows sum to 1 or 0).
    keep_out : list of str
        Terms kept out of the model's vocabulary.
    messages : list of str
        What was skipped or adapted, and why (for small or undated corpora).
    key : str
        The cache key of the fitted part.
    dtm : DocTermMatrix or None
        The matrix the model was fitted on.
    """

    corpus: str
    k: int | None
    reason: str
    model: TopicModel | None
    selection: pd.DataFrame
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    headlines: pd.DataFrame
    docs: pd.DataFrame
    doc_topic: np.ndarray
    keep_out: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    key: str = ""
    dtm: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when a topic model was fitted."""
        return self.model is not None

    @property
    def labels(self) -> list[str]:
        """The topic labels (after relabelling), by topic id."""
        return self.topics["label"].tolist() if not self.topics.empty else []

    @property
    def display_labels(self) -> list[str]:
        """The labels for figures: an unstable topic's label ends in ``(unstable)``."""
        if self.topics.empty:
            return []
        return [f"{lab} (unstable)" if not ok else lab for lab, ok in zip(self.topics["label"], self.topics["stable"])]


def fingerprint_dtm(dtm) -> str:
    """Return a SHA-256 over a document-term matrix's content, terms and document ids."""
    X = dtm.X.tocsr()
    X.sort_indices()
    parts = [np.asarray(X.shape, dtype=np.int64).tobytes(), X.indptr.astype(np.int64).tobytes(),
             X.indices.astype(np.int64).tobytes(), np.asarray(X.data, dtype=np.float64).tobytes(),
             "\x1f".join(map(str, dtm.terms)).encode("utf-8"),
             "\x1f".join(dtm.docs["doc_id"].astype(str)).encode("utf-8")]
    return cache.hash_bytes(b"\x1e".join(parts))


def topic_table(model: TopicModel, labels: list[str], npmi: np.ndarray, stability: np.ndarray,
                auto_labels: list[str] | None = None) -> pd.DataFrame:
    """Return one row per topic: topic, label, top_terms, size, npmi, stability, stable, share, auto_label.

    ``stable`` is False for a topic whose stability is below
    :data:`~newsscope.topics.stability.MIN_TOPIC_STABILITY` (0.5): a way the model split its
    documents this time rather than a finding.
    """
    n_docs = model.doc_topic_.shape[0]
    stability = np.round(np.asarray(stability, dtype=float), 3)
    return pd.DataFrame({
        "topic": np.arange(len(model.top_terms_)),
        "label": labels,
        "top_terms": ["; ".join(t) for t in model.top_terms_],
        "size": model.topic_sizes_.astype(int),
        "npmi": np.round(np.asarray(npmi, dtype=float), 3),
        "stability": stability,
        "stable": stability >= MIN_TOPIC_STABILITY,
        "share": np.round(model.topic_sizes_ / max(n_docs, 1), 4),
        "auto_label": auto_labels if auto_labels is not None else labels,
    })


def doc_topic_table(doc_topic: np.ndarray, doc_ids, *, min_share: float = MIN_DOC_SHARE) -> pd.DataFrame:
    """Return the long document-topic table: doc_id, topic, weight.

    Every document has its dominant topic; other topics are listed when their share is at least
    ``min_share``. A document without any term of the model's vocabulary has one row with topic
    -1 and weight 0 (so every document is accounted for). Weights are shares (a document's
    weights over all topics sum to 1), rounded to 4 decimals; rows sorted by doc_id, weight
    (descending), topic.
    """
    doc_topic = np.asarray(doc_topic, dtype=float)
    ids = np.asarray(doc_ids).astype(str)
    rows_d, rows_t, rows_w = [], [], []
    has = doc_topic.sum(axis=1) > 0 if doc_topic.size else np.zeros(len(ids), dtype=bool)
    dom = np.where(has, doc_topic.argmax(axis=1), -1) if doc_topic.size else np.full(len(ids), -1)
    for d in range(len(ids)):
        if not has[d]:
            rows_d.append(ids[d]); rows_t.append(-1); rows_w.append(0.0)
            continue
        for t in np.flatnonzero((doc_topic[d] >= min_share) | (np.arange(doc_topic.shape[1]) == dom[d])):
            rows_d.append(ids[d]); rows_t.append(int(t)); rows_w.append(round(float(doc_topic[d, t]), 4))
    out = pd.DataFrame({"doc_id": pd.Series(rows_d, dtype=object), "topic": np.asarray(rows_t, dtype=int),
                        "weight": np.asarray(rows_w, dtype=float)})
    return out.sort_values(["doc_id", "weight", "topic"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


def _empty_result(corpus: str, docs: pd.DataFrame, messages: list[str], key: str = "") -> TopicResult:
    keep = [c for c in ("doc_id", "source", "published", "title") if c in docs.columns]
    return TopicResult(
        corpus=corpus, k=None, reason="no topic model: " + " ".join(messages), model=None,
        selection=pd.DataFrame(columns=SELECTION_COLUMNS + ["chosen"]),
        topics=pd.DataFrame(columns=["topic", "label", "top_terms", "size", "npmi", "stability", "stable", "share", "auto_label"]),
        doc_topics=doc_topic_table(np.zeros((len(docs), 0)), docs["doc_id"] if "doc_id" in docs else []),
        headlines=pd.DataFrame(columns=["topic", "rank", "doc_id", "title", "share"]),
        docs=docs[keep].reset_index(drop=True), doc_topic=np.zeros((len(docs), 0)), messages=messages, key=key)


def default_k_range(n_docs: int) -> list[int]:
    """Return the k values swept for a corpus of ``n_docs`` documents when none are given.

    The largest k grows with the square root of the corpus (``sqrt(n_docs / 4)``: 5 for 100
    documents, 16 for 1,000, 30 from about 3,600), capped at :data:`MAX_AUTO_K` and at five
    documents per topic; the smallest is a fifth of it (at least 2). In between every k up to
    :data:`FINE_K_UP_TO` (fits are cheap there, and stability changes from one k to the next, so
    a coarser grid would miss the k whose topics replicate), then about six more values evenly
    spaced up to the largest.
    """
    limit = max(2, n_docs // 5)
    hi = int(min(MAX_AUTO_K, limit, max(3, round(np.sqrt(n_docs / 4)))))
    lo = max(2, hi // 5)
    fine = set(range(lo, min(hi, FINE_K_UP_TO) + 1))
    start = max(fine) if fine else lo
    step = max(1, int(np.ceil((hi - start) / 6)))
    return sorted(fine | set(range(start, hi + 1, step)) | {hi})


def _describe(ks: Iterable[int]) -> str:
    """Return ``6, 8, ..., 30`` style text for a list of k."""
    ks = sorted(ks)
    if len(ks) > 4 and len({b - a for a, b in zip(ks, ks[1:])}) == 1:
        return f"{ks[0]}, {ks[1]}, ..., {ks[-1]}"
    return ", ".join(map(str, ks))


def _extension(swept: list[int], chosen: int, limit: int, n_more: int = 2) -> list[int]:
    """Return the k to sweep next when ``chosen`` is at an edge of ``swept`` (else ``[]``)."""
    if len(swept) < 2:
        return []
    step = max(1, min(b - a for a, b in zip(swept, swept[1:])))
    if chosen == swept[-1] and chosen < limit:
        return [x for x in range(chosen + step, chosen + step * n_more + 1, step) if x <= limit] or [limit]
    if chosen == swept[0] and chosen > 2:
        return sorted({max(2, x) for x in range(chosen - step * n_more, chosen, step)} - {chosen})
    return []


def default_vocabulary(n_docs: int) -> dict[str, int | float]:
    """Return the model's document-frequency bounds for a corpus of ``n_docs`` documents.

    ``min_df``: 5 documents from 500 documents on, fewer (at least 2) below. ``max_df``: a quarter
    of the documents from 500 documents on (words in more say little about *which* story a
    document tells: ``people``, ``president``, ``government``), half below, where a word of one of
    a few topics easily reaches a quarter of all documents.
    """
    return {"min_df": int(max(2, min(5, n_docs // 100))), "max_df": 0.25 if n_docs >= 500 else 0.5}


def resolve_k_range(n_docs: int, k: int | None, k_range: Iterable[int] | None) -> tuple[list[int], int | None, list[str]]:
    """Return the k values to sweep for ``n_docs`` documents, the requested k (None if dropped) and messages.

    As :func:`fit_topics` describes ``k`` and ``k_range``: the automatic range is
    :func:`default_k_range`; values above ``n_docs // 5`` are dropped.
    """
    messages: list[str] = []
    limit = max(2, n_docs // 5)
    if k_range is None:
        k_range = default_k_range(n_docs) if k is None else ()
        if k is None:
            messages.append(f"k_range chosen for {n_docs:,} documents: k = {_describe(k_range)}.")
    ks = sorted({int(x) for x in k_range} | ({int(k)} if k is not None else set()))
    too_big = [x for x in ks if x > limit]
    ks = [x for x in ks if 2 <= x <= limit]
    if too_big:
        messages.append(f"k={', '.join(map(str, too_big))} dropped: with {n_docs} documents at most k={limit} "
                        f"(five documents per topic on average) is tried.")
    if not ks:
        ks = [max(2, min(limit, n_docs // 10))]
        messages.append(f"k={ks[0]} used instead.")
    if k is not None and int(k) not in ks:
        k = None
        messages.append("the requested k is too large for this corpus; k is chosen automatically instead.")
    return ks, k, messages


def sweep_and_choose(template: TopicModel, X, *, terms, ks: list[int], k: int | None, limit: int, presence=None,
                     n_refits: int = 3, subsample: float = 0.9, random_state: int = 0,
                     selection_params: Mapping[str, float] | None = None, extend: bool = True, n_jobs: int | None = None,
                     progress: bool = True) -> tuple[SweepResult, int, str, list[str]]:
    """Sweep ``ks`` on ``X`` and choose k (or take the given ``k``), extending the range at its edges.

    The selection step of :func:`fit_topics` (see its ``extend``), also used on a sample of a
    corpus stored in blocks (:mod:`newsscope.topics.minibatch`).

    Returns
    -------
    sweep : SweepResult
    chosen : int
    reason : str
    notes : list of str
        What was extended, and whether the choice lies at an edge of the swept range.
    """
    sel_params = dict(selection_params or {})

    def run(values: list[int]) -> SweepResult:
        return sweep_k(template, X, terms=terms, k_range=values, presence=presence, n_refits=n_refits,
                       subsample=subsample, random_state=random_state, n_jobs=n_jobs, progress=progress)

    sweep = run(ks)
    notes: list[str] = []
    if k is not None:
        return sweep, int(k), f"k={int(k)} set by the user", notes
    chosen, reason = choose_k(sweep.table, **sel_params)
    for _ in range(MAX_EXTENSIONS if extend else 0):
        more = _extension(sorted(sweep.models), chosen, limit)
        if not more:
            break
        notes.append(f"k={chosen} lay at the edge of the swept range, so k = {_describe(more)} were swept too.")
        sweep = merge_sweeps(sweep, run(more))
        chosen, reason = choose_k(sweep.table, **sel_params)
    swept = sorted(sweep.models)
    if len(swept) > 1 and chosen in (swept[0], swept[-1]):
        bound = "2 (the smallest possible)" if chosen == 2 else f"{limit} (five documents per topic)"
        notes.append(f"k={chosen} lies at the edge of the swept range: the range cannot be extended beyond k = {bound}."
                     if chosen in (2, limit) else f"k={chosen} lies at the edge of the swept range.")
    return sweep, chosen, reason, notes


def fit_topics(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None, k: int | None = None,
               k_range: Iterable[int] | None = None, model: str = "nmf", random_state: int = 0,
               n_refits: int = 3, subsample: float = 0.9, relabel: Mapping[int | str, str] | None = None,
               keep_out: Iterable[str] = (), model_params: Mapping[str, Any] | None = None,
               selection_params: Mapping[str, float] | None = None, n_headlines: int = 3, dtm=None,
               sweep_sample: int | str | None = "auto", extend: bool = True, n_jobs: int | None = None, refresh: bool = False,
               progress: bool = True, **dtm_settings: Any) -> TopicResult:
    """Fit topic models on a corpus, choose k and return every table of the topic analysis.

    Parameters
    ----------
    corpus : str or Path
        A corpus spec (``builtin:newsarticles``, a folder of pages, a table).
    manifest : str or Path, optional
        Manifest for page corpora.
    k : int, optional
        Number of topics; None chooses k from ``k_range`` (see :mod:`newsscope.topics.selection`).
    k_range : iterable of int, optional
        k values to sweep; None: :func:`default_k_range` of the number of documents (with ``k``
        given: only ``k``). Values above ``n_docs // 5`` are dropped for small corpora. With
        ``k`` given, the sweep runs over ``k_range`` (for the figure) plus ``k``.
    model : {"nmf", "lda"}
        See :class:`TopicModel`.
    random_state : int
        Seed of the final model; refits for stability use the next ``n_refits`` seeds.
    n_refits, subsample : int, float
        Stability settings (see :mod:`newsscope.topics.stability`).
    relabel : mapping, optional
        ``{topic id or first top term: label}`` (see :func:`apply_relabel`); applied after the
        cache.
    keep_out : iterable of str
        More terms to keep out of the model (besides outlets, datelines and boilerplate).
    model_params : mapping, optional
        More :class:`TopicModel` parameters (``min_df``, ``max_df``, ``exclusivity``, ``init``...).
        ``min_df`` and ``max_df`` default to :func:`default_vocabulary`.
    selection_params : mapping, optional
        Thresholds of :func:`choose_k` (``min_diversity``, ``min_stability``, ``npmi_tolerance``).
    n_headlines : int
        Representative headlines per topic.
    dtm : DocTermMatrix, optional
        Use this matrix instead of loading ``corpus``.
    sweep_sample : int, "auto" or None
        ``"auto"``: :data:`SWEEP_SAMPLE` (10,000). With more documents than this, the sweep (reference fits and stability refits for every k)
        runs on a random sample of ``sweep_sample`` documents (seed ``random_state``); the model
        of the chosen k is then fitted once on all documents, and its topics' stability is their
        matched Jaccard with the sample's fits of that k. The sweep's verdict on k is a property
        of the corpus's structure, which a sample of 10,000 documents shows about as well as 100,000
        do, at a tenth of the cost. None: always sweep on all documents.
    extend : bool
        When the chosen k is the smallest or largest k swept, sweep further on that side (up to
        :data:`MAX_EXTENSIONS` times, within ``2 <= k <= n_docs // 5``) and choose again, so that
        the choice is never an artefact of where the range stopped.
    n_jobs : int or None
        Processes for the sweep's fits (-1: every core; None: every core from
        :data:`newsscope.topics.selection.PARALLEL_MIN_DOCS` documents up). Does not change the
        result.
    refresh : bool
        Refit even if cached.
    progress : bool
        Progress bars on stderr.
    **dtm_settings
        Passed to :func:`newsscope.vectorize.load_dtm` (vectorizer and cleaning settings).

    Returns
    -------
    TopicResult
    """
    spec = str(corpus)
    if dtm is None:
        from newsscope.clean import load_clean
        from newsscope.vectorize.dtm import load_dtm, split_settings

        _, clean_settings = split_settings(dict(dtm_settings))
        articles = load_clean(corpus, manifest=manifest, **clean_settings)
        if len(articles) < MIN_DOCUMENTS:
            return _empty_result(spec, articles, [
                f"the corpus has {len(articles)} document(s) after cleaning; topic modelling needs at least "
                f"{MIN_DOCUMENTS} (topics are patterns shared by many documents), so it was skipped."])
        dtm = load_dtm(corpus, manifest=manifest, articles=articles, **dtm_settings)  # the table loaded once
    docs = dtm.docs
    n_docs = dtm.X.shape[0]
    messages: list[str] = []
    if n_docs < MIN_DOCUMENTS:
        return _empty_result(spec, docs, [f"the corpus has {n_docs} document(s); topic modelling needs at least {MIN_DOCUMENTS}."])
    limit = max(2, n_docs // 5)
    ks, k, more = resolve_k_range(n_docs, k, k_range)
    messages.extend(more)
    keep = find_keep_out_terms(dtm, extra=keep_out)
    params = default_vocabulary(n_docs)
    params.update(dict(model_params or {}))
    template = TopicModel(model=model, stop_terms=tuple(keep), random_state=random_state, **params)
    sel_params = dict(selection_params or {})
    key = {"dtm": fingerprint_dtm(dtm), "ks": ks, "k": k, "template": template.get_params(), "n_refits": n_refits,
           "subsample": subsample, "random_state": random_state, "selection": sel_params, "extend": extend,
           "version": TOPICS_VERSION}
    if sweep_sample == "auto":
        sweep_sample = SWEEP_SAMPLE
    n_sweep = n_docs if not sweep_sample or n_docs <= int(sweep_sample) else int(sweep_sample)
    if n_sweep < n_docs:
        key["sweep_sample"] = n_sweep
        messages.append(f"k was chosen on a random sample of {n_sweep:,} of the {n_docs:,} documents (seed {random_state}); "
                        f"the model of the chosen k was then fitted on all documents.")

    def compute() -> dict[str, Any]:
        presence = document_presence(dtm.X)
        if n_sweep < n_docs:
            rows = np.sort(np.random.default_rng(random_state).choice(n_docs, size=n_sweep, replace=False))
            X_sweep = dtm.X[rows]
        else:
            X_sweep = dtm.X

        sweep, chosen, reason, notes = sweep_and_choose(
            template, X_sweep, terms=dtm.terms, ks=ks, k=k, limit=limit, presence=presence, n_refits=n_refits,
            subsample=subsample, random_state=random_state, selection_params=sel_params, extend=extend, n_jobs=n_jobs,
            progress=progress)
        final, npmi, stab = sweep.models[chosen], sweep.topic_npmi[chosen], sweep.stability[chosen]
        if n_sweep < n_docs:
            final = clone(template).set_params(n_topics=chosen, random_state=random_state).fit(dtm.X, terms=dtm.terms)
            npmi = topic_npmi(presence, final.top_term_indices_)
            # every fit of the sweep at this k (the sample's reference and its refits) is an independent refit of the final model
            stab = summarise_stability(final.top_terms_, [sweep.models[chosen].top_terms_] + stab.refit_terms,
                                       [random_state] + stab.seeds)
        return {"table": sweep.table, "k": chosen, "reason": reason, "model": final, "npmi": npmi,
                "stability": stab.per_topic, "notes": notes}

    digest = cache.hash_object(key)
    fitted = cache.cached_pickle("topics", digest, compute, refresh=refresh)
    m: TopicModel = fitted["model"]
    auto = label_topics(m.top_terms_)
    labels = apply_relabel(auto, relabel, m.top_terms_)
    messages.extend(fitted.get("notes", []))
    selection = fitted["table"].copy()
    selection["chosen"] = selection["k"] == fitted["k"]
    docs_out = docs[[c for c in ("doc_id", "source", "published", "title", "dateline") if c in docs.columns]].reset_index(drop=True)
    headlines = representative_documents(m.doc_topic_, docs_out, n=n_headlines, weights=m.doc_weights_)
    headlines.insert(1, "label", [labels[t] for t in headlines["topic"]])
    if "published" not in docs_out or docs_out["published"].isna().all():
        messages.append("no document has a publication date: topics over time cannot be shown.")
    return TopicResult(
        corpus=spec, k=int(fitted["k"]), reason=fitted["reason"], model=m, selection=selection,
        topics=topic_table(m, labels, fitted["npmi"], fitted["stability"], auto),
        doc_topics=doc_topic_table(m.doc_topic_, docs_out["doc_id"]), headlines=headlines, docs=docs_out,
        doc_topic=m.doc_topic_, keep_out=keep, messages=messages, key=digest, dtm=dtm)


#: Documents drawn on the document map at most: a bigger corpus is mapped on a seeded sample
#: (t-SNE's time and memory grow faster than the documents; 20,000 points fill a figure).
MAP_MAX_DOCS = 20_000


def map_documents(result: TopicResult, *, random_state: int = 0, max_docs: int | None = MAP_MAX_DOCS, refresh: bool = False,
                  **map_params: Any) -> pd.DataFrame:
    """Return a 2D map of the documents (cached): doc_id, x, y, topic, label, weight.

    Coordinates come from :func:`newsscope.topics.views.document_map` on the TF-IDF rows the
    model saw. ``topic`` is the dominant topic (-1: none), ``weight`` its share.

    Parameters
    ----------
    result : TopicResult
    random_state : int
        Seed of the map (and of the sample).
    max_docs : int or None
        A corpus with more documents is mapped on a seeded sample of ``max_docs`` documents (in
        corpus order); ``attrs["note"]`` then says so ("" otherwise). None: every document.
    refresh : bool
    **map_params
        As for :func:`newsscope.topics.views.document_map`.
    """
    cols = ["doc_id", "x", "y", "topic", "label", "weight"]
    if not result.ok:
        out = pd.DataFrame(columns=cols)
        out.attrs["note"] = ""
        return out
    m = result.model
    n_docs = result.dtm.X.shape[0]
    rows = np.arange(n_docs)
    note = ""
    key = {"topics": result.key, "random_state": random_state, "params": map_params, "version": TOPICS_VERSION}
    if max_docs is not None and n_docs > max_docs:
        rows = np.sort(np.random.default_rng(random_state).choice(n_docs, size=max_docs, replace=False))
        key["sample"] = max_docs
        note = (f"The map shows a random sample of {max_docs:,} of the {n_docs:,} documents (seed {random_state}): "
                "t-SNE on every document would take hours, and the islands look the same.")

    def compute() -> np.ndarray:
        Xm = result.dtm.X[rows][:, np.flatnonzero(m.vocabulary_mask_)].astype(np.float64)
        if m.tfidf_ is not None:
            feats = m.tfidf_.transform(Xm)
        else:
            from sklearn.feature_extraction.text import TfidfTransformer
            feats = TfidfTransformer(sublinear_tf=True).fit_transform(Xm)
        return document_map(feats, random_state=random_state, **map_params)

    xy = cache.cached_pickle("topics-map", key, compute, refresh=refresh)
    dom = m.dominant_topic_[rows]
    labels = result.labels
    out = pd.DataFrame({
        "doc_id": result.docs["doc_id"].astype(str).to_numpy()[rows], "x": np.round(xy[:, 0], 4), "y": np.round(xy[:, 1], 4),
        "topic": dom, "label": [labels[t] if t >= 0 else "(no topic)" for t in dom],
        "weight": np.round([m.doc_topic_[i, t] if t >= 0 else 0.0 for i, t in zip(rows, dom)], 4),
    })
    out.attrs["note"] = note
    return out


def write_topic_table(topics: pd.DataFrame, out_dir: Path) -> Path:
    """Write ``topics.csv`` (the contract columns, then ``stable``; numbers to 3 decimals) into ``out_dir``."""
    path = Path(out_dir) / "topics.csv"
    topics[["topic", "label", "top_terms", "size", "npmi", "stability", "stable"]].to_csv(
        path, index=False, lineterminator="\n", float_format="%.3f")
    return path


def write_topic_results(result: TopicResult, out_dir: Path | None = None) -> list[Path]:
    """Write ``topics.csv`` and ``doc_topics.csv`` to the results folder and return their paths.

    ``topics.csv`` has the contract columns topic, label, top_terms, size, npmi, stability and
    then ``stable`` (False: the topic did not replicate in independent refits; see
    :func:`topic_table`).

    Nothing is written for a result without a model (the previous tables, if any, are left as
    they are and the reason is in ``result.messages``).
    """
    if not result.ok:
        return []
    out = paths.ensure_dir(Path(out_dir) if out_dir is not None else paths.results_dir())
    p1 = write_topic_table(result.topics, out)
    p2 = out / "doc_topics.csv"
    result.doc_topics.to_csv(p2, index=False, lineterminator="\n", float_format="%.4f")
    return [p1, p2]
