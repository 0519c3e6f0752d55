"""The cached document-term matrix of a corpus, and TF-IDF for topic models."""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from newsscope import cache
from newsscope.vectorize.vectorizer import NewsVectorizer, document_texts

__all__ = ["DocTermMatrix", "load_dtm", "build_dtm", "tfidf", "split_settings", "cache_params", "DTM_VERSION"]

#: Bump when the vectorizer's output changes for the same settings (invalidates caches).
DTM_VERSION = "2"

#: Columns of the article table kept in ``DocTermMatrix.docs`` (those present).
DOC_COLUMNS = ["doc_id", "source", "published", "url", "section", "title", "standfirst", "dateline", "text",
               "copies", "language", "n_words"]


@dataclass
class DocTermMatrix:
    """A document-term count matrix and what it is aligned with.

    Attributes
    ----------
    X : scipy.sparse.csr_matrix
        Documents x terms, integer counts.
    terms : numpy.ndarray of str
        Column labels (phrases keep their spaces), sorted.
    docs : pandas.DataFrame
        One row per matrix row: ``doc_id``, ``source``, ``published``, ``title``, ``text``, ...
    vectorizer : NewsVectorizer
        The fitted vectorizer (its ``phrases_``, ``outlet_terms_``, ``stop_words_``).
    """

    X: sp.csr_matrix
    terms: np.ndarray
    docs: pd.DataFrame
    vectorizer: NewsVectorizer

    def __post_init__(self) -> None:
        if self.X.shape != (len(self.docs), len(self.terms)):
            raise ValueError(f"matrix shape {self.X.shape} does not match {len(self.docs)} documents x {len(self.terms)} terms")
        self._col = {t: j for j, t in enumerate(self.terms)}

    @property
    def n_docs(self) -> int:
        """Number of documents."""
        return self.X.shape[0]

    def column(self, term: str) -> int:
        """Return the column of ``term`` (KeyError with a hint if it is not in the vocabulary)."""
        j = self._col.get(term)
        if j is None:
            raise KeyError(f"term {term!r} is not in the vocabulary ({len(self.terms)} terms); "
                           f"try matching_terms({term!r}) for phrases containing it")
        return j

    def matching_terms(self, query: str) -> list[str]:
        """Return the vocabulary terms containing ``query`` as a whole-word sequence.

        ``"trump"`` matches ``trump``, ``donald trump`` and ``trump administration``;
        ``"travel ban"`` matches ``travel ban`` and ``revised travel ban``. The query is tokenised
        like the texts (possessives and case removed).
        """
        q = self.vectorizer.term_tokens(query)
        if not q:
            return []
        qs = " ".join(q)
        out = []
        for t in self.terms:
            if t == qs or t.startswith(qs + " ") or t.endswith(" " + qs) or f" {qs} " in t:
                out.append(str(t))
        return out

    def presence(self, query: str, *, exact: bool = False) -> np.ndarray:
        """Return a boolean vector: which documents contain ``query`` (or a phrase containing it)."""
        terms = [query] if exact else self.matching_terms(query)
        cols = [self._col[t] for t in terms if t in self._col]
        if not cols:
            return np.zeros(self.n_docs, dtype=bool)
        return np.asarray((self.X[:, cols] > 0).sum(axis=1)).ravel() > 0

    def document_frequency(self) -> pd.Series:
        """Return documents per term (index: terms)."""
        return pd.Series(np.bincount(self.X.indices, minlength=self.X.shape[1]), index=self.terms, name="docs")

    def total_counts(self) -> pd.Series:
        """Return total occurrences per term (index: terms)."""
        return pd.Series(np.asarray(self.X.sum(axis=0)).ravel(), index=self.terms, name="count")

    def summarize(self) -> pd.Series:
        """Return the matrix in numbers: articles, dated articles, outlets, terms, phrases, outlet self-mention terms."""
        docs = self.docs
        return pd.Series({
            "articles": self.n_docs,
            "articles with a date": int(docs["published"].notna().sum()) if "published" in docs else 0,
            "outlets": int(docs["source"].nunique()) if "source" in docs else 0,
            "terms in the vocabulary": len(self.terms),
            "of which phrases": int(sum(" " in t for t in self.terms)),
            "outlet self-mention terms": len(getattr(self.vectorizer, "outlet_terms_", {})),
        })


def split_settings(settings: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split keyword settings into (vectorizer parameters, cleaning settings)."""
    names = set(inspect.signature(NewsVectorizer.__init__).parameters) - {"self"}
    vec = {k: v for k, v in settings.items() if k in names}
    rest = {k: v for k, v in settings.items() if k not in names}
    return vec, rest


def code_version() -> str:
    """``DTM_VERSION`` plus a hash of the vectorizer's source files (a code change invalidates the cache)."""
    h = hashlib.sha256(DTM_VERSION.encode())
    for f in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return DTM_VERSION + "+" + h.hexdigest()[:12]


#: Vectorizer parameters that do not change the matrix (left out of cache keys).
RESULT_NEUTRAL_PARAMS = frozenset({"n_jobs"})


def cache_params(vectorizer: NewsVectorizer) -> dict[str, Any]:
    """Return the vectorizer parameters that decide its output (the cache key's part), JSON-friendly."""
    params = {k: v for k, v in vectorizer.get_params().items() if k not in RESULT_NEUTRAL_PARAMS}
    params["dtype"] = np.dtype(params["dtype"]).name
    return params


def _doc_fingerprint(docs: pd.DataFrame) -> str:
    cols = [c for c in ("doc_id", "source", "dateline", "url", "title", "standfirst", "text", "published") if c in docs.columns]
    h = pd.util.hash_pandas_object(docs[cols].astype(str), index=False).to_numpy()
    return cache.hash_bytes(h.tobytes() + ",".join(cols).encode())


def build_dtm(docs: pd.DataFrame, **vectorizer_params: Any) -> DocTermMatrix:
    """Fit a :class:`NewsVectorizer` on an article table and return the matrix (not cached)."""
    vec = NewsVectorizer(**vectorizer_params)
    X = vec.fit_transform(docs)
    keep = [c for c in DOC_COLUMNS if c in docs.columns]
    return DocTermMatrix(X=X.tocsr(), terms=vec.get_feature_names_out().astype(str), docs=docs[keep].reset_index(drop=True),
                         vectorizer=vec)


def _load_articles(corpus: str | Path, manifest: str | Path | None, clean_settings: dict[str, Any]) -> pd.DataFrame:
    from newsscope import clean as _clean

    return _clean.load_clean(corpus, manifest=manifest, **clean_settings)


def load_dtm(corpus: str | Path = "builtin:newsarticles", *, manifest: str | Path | None = None, refresh: bool = False,
             articles: pd.DataFrame | None = None, **settings: Any) -> DocTermMatrix:
    """Return the document-term count matrix of the cleaned corpus (cached in ``data/processed/dtm``).

    Parameters
    ----------
    corpus : str or Path
        A corpus spec (see :func:`newsscope.clean.load_clean`).
    manifest : str or Path, optional
        Manifest for page corpora.
    refresh : bool
        Recompute even if cached.
    articles : pandas.DataFrame, optional
        The cleaned table of ``corpus`` when the caller has loaded it already (``load_clean``
        with the same cleaning settings): it is used instead of loading it again. The matrix and
        its cache entry are the same.
    **settings
        :class:`NewsVectorizer` parameters (``min_df``, ``phrase_threshold``, ...); any other
        keyword goes to :func:`newsscope.clean.load_clean`.

    Returns
    -------
    DocTermMatrix
    """
    vec_params, clean_settings = split_settings(settings)
    docs = articles if articles is not None else _load_articles(corpus, manifest, clean_settings)
    key = {"docs": _doc_fingerprint(docs), "params": cache_params(NewsVectorizer(**vec_params)), "version": code_version()}
    return cache.cached_pickle("dtm", key, lambda: build_dtm(docs, **vec_params), refresh=refresh)


def tfidf(data: DocTermMatrix | sp.spmatrix, *, sublinear_tf: bool = True, norm: str | None = "l2", smooth_idf: bool = True) -> sp.csr_matrix:
    """Return TF-IDF weights of a count matrix (scikit-learn's ``TfidfTransformer`` conventions).

    Parameters
    ----------
    data : DocTermMatrix or sparse matrix
        Counts.
    sublinear_tf : bool
        Use ``1 + log(tf)`` (default True: long articles repeating a word do not dominate).
    norm : {"l2", "l1", None}
    smooth_idf : bool
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    X = data.X if isinstance(data, DocTermMatrix) else data
    return TfidfTransformer(sublinear_tf=sublinear_tf, norm=norm, smooth_idf=smooth_idf).fit_transform(X).tocsr()
