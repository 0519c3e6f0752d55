"""What a topic is called: terms kept out of topics, labels, representative headlines, relabelling.

Topic terms come from the model (:attr:`TopicModel.top_terms_`), so what must not appear in a
label — outlet names, dateline places and outlet boilerplate — is kept out of the model's
vocabulary itself (:func:`find_keep_out_terms`); top terms, labels and coherence then all speak
about the same words.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = [
    "BOILERPLATE_TERMS", "find_keep_out_terms", "outlet_template_terms", "make_label", "label_topics",
    "representative_documents", "apply_relabel",
]

#: Terms of page furniture and credits that say nothing about a story (share buttons, photo
#: credits, calls to action). Matched as whole vocabulary terms.
BOILERPLATE_TERMS: frozenset[str] = frozenset({
    "advertisement", "getty images", "image copyright", "image caption", "media caption", "click", "subscribe",
    "newsletter", "sign up", "read more", "learn more", "follow us", "share this", "pic twitter", "twitter com",
    "pic.twitter.com", "copyright", "all rights reserved", "permalink", "digg", "reddit", "newsvine", "tumblr",
    "whatsapp", "linkedin", "stumbleupon", "getty", "afp getty", "ap photo", "reuters", "associated press", "afp",
    "epa", "contributed to this report",
})

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


def _norm(text: str) -> str:
    return " ".join(m.group(0).lower() for m in _WORD.finditer(str(text)))


def outlet_template_terms(X, terms: Sequence[str], sources: Sequence[str | None], *, min_outlet_share: float = 0.25,
                          min_concentration: float = 0.95, min_docs: int = 10) -> list[str]:
    """Return terms that look like one outlet's page template rather than news content.

    A term is flagged when at least ``min_concentration`` of the documents containing it come
    from one outlet *and* it occurs in at least ``min_outlet_share`` of that outlet's documents
    (share buttons, a standing sign-off). Content words concentrated in one outlet (``garda`` in
    Irish news, ``yuan`` in Chinese business news) stay well below a quarter of that outlet's
    articles on the built-in corpus.

    Parameters
    ----------
    X : sparse matrix (n_docs, n_terms)
        Term counts.
    terms : sequence of str
        Column names.
    sources : sequence of str or None
        Each document's outlet.
    min_outlet_share, min_concentration : float
        The two thresholds above.
    min_docs : int
        A flagged term occurs in at least this many of the outlet's documents (in a small
        sample, a content word easily reaches a quarter of one outlet's few articles).
    """
    src = pd.Series([s if isinstance(s, str) and s else None for s in sources], dtype=object)
    if src.isna().all():
        return []
    B = sp.csr_matrix(X) > 0
    df_all = np.asarray(B.sum(axis=0)).ravel()
    flagged: set[str] = set()
    for name, idx in src.dropna().groupby(src.dropna()).groups.items():
        rows = np.asarray(list(idx), dtype=np.int64)
        if len(rows) < min_docs:
            continue  # cannot reach min_docs documents
        df_out = np.asarray(B[rows].sum(axis=0)).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            conc = np.where(df_all > 0, df_out / np.maximum(df_all, 1), 0.0)
        hit = (df_out >= max(min_outlet_share * len(rows), min_docs)) & (conc >= min_concentration)
        flagged.update(str(terms[j]) for j in np.flatnonzero(hit))
    return sorted(flagged)


def find_keep_out_terms(dtm, *, extra: Iterable[str] = (), dateline_share: float = 0.9) -> list[str]:
    """Return the vocabulary terms to keep out of topic models of ``dtm``.

    Four kinds of term, all checked against the vocabulary (only terms present are returned):

    * **outlet names**: every term the vectorizer treats as an outlet self-mention
      (``vectorizer.outlet_terms_``: names from sources, URL hosts and dateline agencies) and each
      ``source`` value itself (``al jazeera``, ``china daily``), dropped from *every* article
      here — an outlet's name in another outlet's story (``told the BBC``) is not a topic either;
    * **dateline places** that practically only occur as datelines: a place written as the
      dateline of at least ``dateline_share`` of the documents containing it (a place that is also
      news content — ``moscow`` in stories about Russia — stays);
    * **boilerplate**: :data:`BOILERPLATE_TERMS` and :func:`outlet_template_terms`;
    * ``extra`` terms given by the user.

    Parameters
    ----------
    dtm : DocTermMatrix
        With ``X``, ``terms``, ``docs`` (``source``, ``dateline``) and ``vectorizer``.
    extra : iterable of str
        More terms to keep out (matched after lower-casing).
    dateline_share : float
        See above.

    Returns
    -------
    list of str
        Sorted.
    """
    vocab = {str(t): j for j, t in enumerate(dtm.terms)}
    out: set[str] = set()
    outlet_terms = getattr(getattr(dtm, "vectorizer", None), "outlet_terms_", None) or {}
    out.update(str(t) for t in outlet_terms)
    docs = dtm.docs
    if "source" in docs.columns:
        out.update(_norm(s) for s in docs["source"].dropna().unique())
    if "dateline" in docs.columns and docs["dateline"].notna().any():
        B = sp.csc_matrix(dtm.X) > 0
        places = docs["dateline"].map(lambda v: _norm(v) if isinstance(v, str) else None)
        for place in sorted(places.dropna().unique()):
            j = vocab.get(place)
            if j is None:
                continue
            rows = B[:, j].nonzero()[0]
            if len(rows) and (places.iloc[rows] == place).mean() >= dateline_share:
                out.add(place)
    out.update(BOILERPLATE_TERMS)
    if "source" in docs.columns:
        out.update(outlet_template_terms(dtm.X, dtm.terms, docs["source"].tolist()))
    out.update(_norm(t) for t in extra)
    return sorted(t for t in out if t in vocab)


def make_label(top_terms: Sequence[str], n_terms: int = 3, sep: str = " / ") -> str:
    """Return a short label: the first ``n_terms`` top terms, skipping ones nested in another.

    ``["north korea", "korea", "kim jong-nam", "malaysia"]`` gives
    ``"north korea / kim jong-nam / malaysia"``.
    """
    chosen: list[str] = []
    for term in top_terms:
        if len(chosen) >= n_terms:
            break
        if any(f" {term} " in f" {c} " or f" {c} " in f" {term} " for c in chosen):
            continue
        chosen.append(term)
    return sep.join(chosen)


def label_topics(top_terms: Sequence[Sequence[str]], n_terms: int = 3) -> list[str]:
    """Return :func:`make_label` for each topic; repeated labels get the next distinct term."""
    labels: list[str] = []
    for terms in top_terms:
        label = make_label(terms, n_terms)
        extra = n_terms
        while label in labels and extra < len(terms):
            extra += 1
            label = make_label(terms, extra)
        labels.append(label)
    return labels


def representative_documents(doc_topic: np.ndarray, docs: pd.DataFrame, *, n: int = 3, weights: np.ndarray | None = None,
                             title_column: str = "title") -> pd.DataFrame:
    """Return each topic's ``n`` most representative documents, one row per (topic, rank).

    A document represents topic ``t`` if ``t`` is its dominant topic. Documents are ranked by
    their share of ``t`` (rounded to 3 decimals), then by ``weights[:, t]`` (the model's raw
    weight: how much of the document the topic explains), then by ``doc_id``. Documents whose
    headline repeats (case-insensitively) one already chosen, or is empty, are skipped.

    Parameters
    ----------
    doc_topic : ndarray (n_docs, n_topics)
        Topic shares (rows sum to 1 or are all 0).
    docs : DataFrame
        Aligned with ``doc_topic``; needs ``doc_id`` and ``title_column`` (``source`` and
        ``published`` are copied when present).
    n : int
        Documents per topic.
    weights : ndarray (n_docs, n_topics), optional
        Raw weights for the second sort key (default: the shares).
    title_column : str
        Column holding the headline.

    Returns
    -------
    DataFrame
        topic, rank (1 = most representative), doc_id, title, share, and source/published.
    """
    doc_topic = np.asarray(doc_topic)
    weights = doc_topic if weights is None else np.asarray(weights)
    if len(docs) != doc_topic.shape[0]:
        raise ValueError(f"{len(docs)} documents but doc_topic has {doc_topic.shape[0]} rows")
    has = doc_topic.sum(axis=1) > 0
    dom = np.where(has, doc_topic.argmax(axis=1) if doc_topic.size else -1, -1)
    titles = docs[title_column].fillna("").astype(str).to_numpy() if title_column in docs.columns else np.array([""] * len(docs))
    ids = docs["doc_id"].astype(str).to_numpy()
    extra_cols = [c for c in ("source", "published") if c in docs.columns]
    rows = []
    for t in range(doc_topic.shape[1]):
        cand = np.flatnonzero(dom == t)
        order = sorted(cand, key=lambda d: (-round(float(doc_topic[d, t]), 3), -float(weights[d, t]), ids[d]))
        seen: set[str] = set()
        rank = 0
        for d in order:
            key = " ".join(titles[d].lower().split())
            if not key or key in seen:
                continue
            seen.add(key)
            rank += 1
            row = {"topic": t, "rank": rank, "doc_id": ids[d], "title": " ".join(titles[d].split()),
                   "share": round(float(doc_topic[d, t]), 3)}
            row.update({c: docs[c].iloc[d] for c in extra_cols})
            rows.append(row)
            if rank >= n:
                break
    cols = ["topic", "rank", "doc_id", "title", "share"] + extra_cols
    return pd.DataFrame(rows, columns=cols)


def apply_relabel(labels: Sequence[str], mapping: Mapping[int | str, str] | None, top_terms: Sequence[Sequence[str]] | None = None) -> list[str]:
    """Return ``labels`` with the user's names applied.

    Parameters
    ----------
    labels : sequence of str
        Automatic labels, one per topic (index = topic id).
    mapping : mapping, optional
        ``{topic id: name}`` or ``{term: name}``; a term key names the topic whose *first* top
        term it is (stable when topic ids shift after a change of data or settings). Keys that
        match no topic are reported in a warning, never silently ignored.
    top_terms : sequence of sequences of str, optional
        Needed for term keys.
    """
    out = list(labels)
    if not mapping:
        return out
    first = {terms[0]: t for t, terms in enumerate(top_terms or []) if terms}
    unknown = []
    for key, name in mapping.items():
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if 0 <= int(key) < len(out):
                out[int(key)] = str(name)
            else:
                unknown.append(key)
        elif isinstance(key, str) and key.strip().isdigit() and 0 <= int(key) < len(out):
            out[int(key)] = str(name)
        elif isinstance(key, str) and key.lower() in first:
            out[first[key.lower()]] = str(name)
        else:
            unknown.append(key)
    if unknown:
        warnings.warn(f"relabel: {len(unknown)} key(s) match no topic and were not used: {unknown!r} "
                      f"(use a topic id 0..{len(out) - 1} or a topic's first top term)", stacklevel=2)
    return out
