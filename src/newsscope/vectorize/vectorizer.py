"""NewsVectorizer: a scikit-learn compatible count vectorizer for news articles.

It adds to scikit-learn's ``CountVectorizer`` what news text needs: phrases found from the corpus
(``north korea``, ``travel ban``, ``article 50``), news stop words, outlet self-mentions kept out
of the counts (derived from the ``source`` column, URLs and datelines), possessives and hyphens
handled, numbers and dates kept out of the vocabulary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from newsscope.vectorize import outlets as _outlets
from newsscope.vectorize import rows as _rows
from newsscope.vectorize import store as _store
from newsscope.vectorize.phrases import merge_chunk, phrase_prefixes, score_pairs
from newsscope.vectorize.tokens import (
    DATE_WORDS, FUNCTION_WORDS, GENERIC_WORDS, NEWS_FUNCTION_WORDS, STOP_TOKEN, is_number, tokenize_chunks,
)

__all__ = ["NewsVectorizer", "document_texts", "kept_columns"]

Chunks = list[list[str]]


def document_texts(articles: pd.DataFrame) -> list[str]:
    """Return one text per article: title, standfirst and body separated by blank lines.

    Parameters
    ----------
    articles : pandas.DataFrame
        An article table (``text`` required; ``title`` and ``standfirst`` used when present).
    """
    if "text" not in articles.columns:
        raise ValueError(f"the article table has no 'text' column (columns: {list(articles.columns)})")
    parts = [articles[c] if c in articles.columns else None for c in ("title", "standfirst", "text")]
    out = []
    for row in zip(*(p if p is not None else [None] * len(articles) for p in parts)):
        out.append("\n\n".join(v.strip() for v in row if isinstance(v, str) and v.strip()))
    return out


def kept_columns(terms: np.ndarray, df: np.ndarray, totals: np.ndarray | None, n_docs: int, min_df: int | float,
                 max_df: int | float, max_features: int | None) -> np.ndarray:
    """Return the columns the vocabulary keeps, in term order (the rule of :class:`NewsVectorizer`'s fit).

    Parameters
    ----------
    terms : numpy.ndarray of str
        Every counted term (unique), one per column.
    df : numpy.ndarray
        Documents per term.
    totals : numpy.ndarray, optional
        Occurrences per term (needed with ``max_features``).
    n_docs : int
        Documents counted.
    min_df, max_df, max_features
        As for :class:`NewsVectorizer`.
    """
    lo = min_df if isinstance(min_df, (int, np.integer)) else int(np.ceil(min_df * n_docs))
    lo = max(1, min(lo, n_docs))  # a corpus smaller than min_df keeps the terms of all its documents
    hi = max_df if isinstance(max_df, (int, np.integer)) else int(np.floor(max_df * n_docs))
    if isinstance(max_df, float) and max_df >= 1.0:
        hi = n_docs
    keep = (df >= lo) & (df <= hi)
    if max_features is not None:
        cand = np.flatnonzero(keep)
        order = sorted(cand, key=lambda j: (-totals[j], terms[j]))[: int(max_features)]
        keep = np.zeros_like(keep)
        keep[order] = True
    cols = np.flatnonzero(keep)
    return cols[np.argsort(terms[cols].astype(str), kind="stable")]


def _column(df: pd.DataFrame, name: str) -> list | None:
    return list(df[name]) if name in df.columns else None


class NewsVectorizer(TransformerMixin, BaseEstimator):
    """Convert news articles to a matrix of term counts, with phrases and news stop words.

    Parameters
    ----------
    lowercase : bool, default True
        Lower-case tokens.
    stop_words : {"news", "english"}, collection of str or None, default "news"
        ``"news"``: English function words, news function words (said, told, mr, ...), generic
        news words (year, percent, ...) and month and weekday names. ``"english"``: function
        words only. A collection is used as given. Stop words never enter the vocabulary as
        single words; generic and date words may still be part of a phrase (``new york``).
    extra_stop_words : collection of str, optional
        Added to ``stop_words``.
    min_df, max_df : int or float
        Keep terms in at least ``min_df`` documents (a float: a proportion; lowered to the number
        of documents for a smaller corpus) and at most ``max_df`` (a float: a proportion; an
        int: a count).
    max_features : int, optional
        Keep only the most frequent terms (by total count, ties alphabetical).
    phrases : bool, default True
        Find multi-word phrases and count them as single terms (words joined by a space).
    phrase_min_count, phrase_min_df : int
        A phrase must occur at least this often, in at least this many documents.
    phrase_threshold : float, default 0.45
        Minimum NPMI of a phrase's parts (see :mod:`newsscope.vectorize.phrases`).
    max_phrase_len : int, default 3
        Longest phrase in words (2 or 3).
    hyphen_min_df : int, default 3
        A hyphenated compound is a term of its own if it is in at least this many documents;
        rarer ones (``Trump-scientific``: a lost space) are split into their parts.
    outlet_terms : "auto", collection of str or None, default "auto"
        ``"auto"``: derive outlet self-mentions from sources, URLs and datelines and drop each
        outlet's names from its own articles (agency credits from every article). A collection:
        these terms are dropped from every article (in addition to the derived ones). None: keep
        outlet names.
    keep_numbers : bool, default False
        Keep numbers as terms (they stay possible inside phrases either way).
    min_token_len : int, default 2
        Shorter single tokens are dropped.
    dtype : numpy dtype, default numpy.int64
        Type of the matrix values.
    n_jobs : int or None, default None
        Processes that tokenise, count and analyse the documents in ``fit`` (forked workers, each
        holding a consecutive range of documents; the result is the same for any value). None:
        every available core from :data:`newsscope.vectorize.store.PARALLEL_MIN_DOCS` (20,000)
        documents up, one process below; -1: every core; a positive number: that many processes.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Term -> column index (terms sorted).
    phrases_ : dict of str to float
        Phrase -> score (NPMI; ``nan`` for forced outlet names and hyphen variants).
    stop_words_ : frozenset of str
        The stop words used.
    outlet_terms_ : dict of str to tuple of str
        Term -> the sources whose own articles it is dropped from (``("*",)``: all articles).
    hyphen_compounds_ : frozenset of str
        Hyphenated compounds kept whole.
    document_frequency_ : numpy.ndarray
        Documents per term (aligned with ``get_feature_names_out()``).
    n_documents_ : int
        Number of documents seen in ``fit``.
    """

    def __init__(self, *, lowercase: bool = True, stop_words: Any = "news", extra_stop_words: Iterable[str] | None = None,
                 min_df: int | float = 2, max_df: int | float = 1.0, max_features: int | None = None,
                 phrases: bool = True, phrase_min_count: int = 5, phrase_min_df: int = 3, phrase_threshold: float = 0.45,
                 max_phrase_len: int = 3, hyphen_min_df: int = 3, outlet_terms: Any = "auto", keep_numbers: bool = False,
                 min_token_len: int = 2, dtype: Any = np.int64, n_jobs: int | None = None) -> None:
        self.lowercase = lowercase
        self.stop_words = stop_words
        self.extra_stop_words = extra_stop_words
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_min_df = phrase_min_df
        self.phrase_threshold = phrase_threshold
        self.max_phrase_len = max_phrase_len
        self.hyphen_min_df = hyphen_min_df
        self.outlet_terms = outlet_terms
        self.keep_numbers = keep_numbers
        self.min_token_len = min_token_len
        self.dtype = dtype
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ inputs

    @staticmethod
    def _inputs(raw_documents: Any, sources: Sequence | None, datelines: Sequence | None,
                urls: Sequence | None) -> tuple[list[str], list | None, list | None, list | None]:
        if isinstance(raw_documents, str):
            raise ValueError("raw_documents must be an iterable of texts (or an article table), not a single string")
        if isinstance(raw_documents, pd.DataFrame):
            df = raw_documents
            docs = document_texts(df)
            sources = sources if sources is not None else _column(df, "source")
            datelines = datelines if datelines is not None else _column(df, "dateline")
            urls = urls if urls is not None else _column(df, "url")
        else:
            docs = ["" if d is None or (isinstance(d, float) and np.isnan(d)) else str(d) for d in raw_documents]
        for name, seq in (("sources", sources), ("datelines", datelines), ("urls", urls)):
            if seq is not None and len(seq) != len(docs):
                raise ValueError(f"{name} has {len(seq)} entries but there are {len(docs)} documents")
        return docs, (list(sources) if sources is not None else None), (list(datelines) if datelines is not None else None), \
            (list(urls) if urls is not None else None)

    def _stop_sets(self) -> tuple[frozenset[str], frozenset[str]]:
        """Return (all stop words, phrase-blocking stop words)."""
        sw = self.stop_words
        if isinstance(sw, str):
            if sw == "news":
                stops = FUNCTION_WORDS | NEWS_FUNCTION_WORDS | GENERIC_WORDS | DATE_WORDS
            elif sw == "english":
                stops = FUNCTION_WORDS | DATE_WORDS
            else:
                raise ValueError(f"stop_words={sw!r}: use 'news', 'english', None or a collection of words")
        elif sw is None:
            stops = frozenset({STOP_TOKEN})
        else:
            stops = frozenset(w.lower() for w in sw) | {STOP_TOKEN}
        if self.extra_stop_words:
            stops = stops | frozenset(w.lower() for w in self.extra_stop_words)
        blocking = frozenset(w for w in stops if w not in GENERIC_WORDS and w not in DATE_WORDS)
        return frozenset(stops), blocking

    # ------------------------------------------------------------------ fitting

    def _fit_hyphens(self, store: _store.TokenStore | _store.ForkedStore, blocking: frozenset[str]) -> frozenset[str]:
        """Return the hyphenated compounds to keep whole.

        A compound is kept when it is in at least ``hyphen_min_df`` documents, none of its parts
        is a function word (``of-the``, ``as-haiti``: a space lost in the source) and it is written
        with the hyphen at least as often as with spaces (``vice-president`` is split where the
        corpus mostly writes ``vice president``).
        """
        df, occurrences = store.hyphen_counts()
        cand: dict[tuple[str, ...], str] = {}
        for t, c in df.items():
            if c < self.hyphen_min_df:
                continue
            parts = tuple(p for p in t.split("-") if p)
            if len(parts) < 2 or any(p in blocking for p in parts):
                continue
            if any(is_number(p) for p in parts):
                # f-35, g-20, mh-17 stay; 24-hour, 50-50, 48-year-old are split
                if not (parts[0].isalpha() and len(parts[0]) <= 3 and len(parts) == 2):
                    continue
            cand[parts] = t
        if not cand:
            return frozenset()
        # the same words written with spaces, inside a chunk
        spaced = store.spaced_counts(frozenset(p for p in cand if len(p) == 2), frozenset(p for p in cand if len(p) == 3))
        return frozenset(t for parts, t in cand.items() if occurrences[t] >= spaced[parts])

    def _fit_phrases(self, store: _store.TokenStore | _store.ForkedStore, blocking: frozenset[str],
                     forced: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], str]:
        """Return the phrase index (token tuple -> term); fill ``phrases_`` and the merge scores.

        Two passes: pairs of tokens, then pairs of a phrase and a token (three words at most).
        A three-word candidate is rejected when its single word combines with two or more
        different phrases (a title or modifier: ``president`` + ``donald trump`` / ``xi jinping``),
        or when it accounts for less than half of the uses of its two-word part (``invoking
        article 50`` is ``invoking`` + ``article 50``; ``affordable care act`` is kept).
        """
        self.phrases_ = {}
        index: dict[tuple[str, ...], str] = dict(forced)
        self._scores: dict[tuple[str, ...], float] = {}
        for key, term in forced.items():
            self.phrases_[term] = float("nan")
            self._scores[key] = 2.0  # forced names and spelling variants win every overlap
        if not self.phrases:
            return index
        max_len = max(2, int(self.max_phrase_len))
        pc = store.pair_counts()
        scored = score_pairs(pc, min_count=self.phrase_min_count, min_df=self.phrase_min_df,
                             threshold=self.phrase_threshold, stops=blocking, max_len=max_len)
        # a pair that is mostly the start of a stronger pair's word is a fragment of a longer name:
        # "president donald" (most "donald" are "donald trump") is dropped, "donald trump" kept
        nxt: dict[str, list[tuple[str, float]]] = {}
        prv: dict[str, list[tuple[str, float]]] = {}
        for (a, b), sc in scored.items():
            nxt.setdefault(a, []).append((b, sc))
            prv.setdefault(b, []).append((a, sc))
        fragments = set()
        for (a, b), sc in scored.items():
            for c, sc2 in nxt.get(b, []):
                if sc2 > sc and pc.pair_count(b, c) >= 0.5 * pc.unit_count(b):
                    fragments.add((a, b))
            for z, sc2 in prv.get(a, []):
                if sc2 > sc and pc.pair_count(z, a) >= 0.5 * pc.unit_count(a):
                    fragments.add((a, b))
        scored = {k: v for k, v in scored.items() if k not in fragments}
        for (a, b), s in sorted(scored.items()):
            if (a, b) not in index:
                index[(a, b)] = f"{a} {b}".lower()
                self._scores[(a, b)] = s
                self.phrases_.setdefault(f"{a} {b}".lower(), s)
        if max_len >= 3:
            prefixes = phrase_prefixes(index)
            pc2 = store.merged_pair_counts(index, 2, self._scores, prefixes)
            scored2 = score_pairs(pc2, min_count=self.phrase_min_count, min_df=self.phrase_min_df,
                                  threshold=self.phrase_threshold, stops=blocking, max_len=max_len, need_phrase=True)
            partners: Counter = Counter()
            for a, b in scored2:
                if " " not in a:
                    partners[("pre", a)] += 1
                if " " not in b:
                    partners[("post", b)] += 1
            for (a, b), s in sorted(scored2.items()):
                if (" " not in a and partners[("pre", a)] >= 2) or (" " not in b and partners[("post", b)] >= 2):
                    continue
                # the longer phrase must absorb most uses of the shorter one: "kim jong un" (most
                # "kim jong" are followed by "un") but not "invoking article 50"
                inner = max((u for u in (a, b) if " " in u), key=pc2.unit_count)
                if pc2.pair_count(a, b) < 0.5 * pc2.unit_count(inner):
                    continue
                key = tuple(a.split(" ")) + tuple(b.split(" "))
                # a unit may be a spelling variant ("jong nam" -> "jong-nam"): rebuild the term from the index
                ta, tb = index.get(tuple(a.split(" ")), a), index.get(tuple(b.split(" ")), b)
                term = f"{ta} {tb}".lower()
                if key not in index:
                    index[key] = term
                    self._scores[key] = s
                    self.phrases_.setdefault(term, s)
        # phrases holding a compound also match its spaced spelling ("kim jong nam" -> "kim jong-nam")
        compounds = self.hyphen_compounds_
        for key, term in list(index.items()):
            if any(t in compounds for t in key):
                spaced = tuple(p for t in key for p in (t.split("-") if t in compounds else [t]))
                if len(spaced) <= max_len and spaced not in index:
                    index[spaced] = term
                    self._scores[spaced] = self._scores.get(key, 1.0)
        return index

    def _derive_outlets(self, store: _store.TokenStore | _store.ForkedStore, sources: list | None, datelines: list | None,
                        urls: list | None, texts: list[str]) -> tuple[dict[str, set[str]], dict[tuple[str, ...], str]]:
        """Return outlet terms (term -> sources) and the multi-word names to force as phrases."""
        terms: dict[str, set[str]] = {}
        forced: dict[tuple[str, ...], str] = {}
        if self.outlet_terms is None:
            return terms, forced
        if self.outlet_terms != "auto":
            for t in self.outlet_terms:
                toks = tuple(w for c in tokenize_chunks(str(t), self.lowercase) for w in c)
                if len(toks) > 1:
                    forced[toks] = " ".join(toks)
                if toks:
                    terms.setdefault(" ".join(toks), set()).add(_outlets.EVERYWHERE)
        src = sources or [None] * len(texts)
        for name in _outlets.unique_sources(src):
            for toks in _outlets.source_names(name):
                if len(toks) > 1:
                    forced[toks] = " ".join(toks)
                terms.setdefault(" ".join(toks), set()).add(name)
        # URL host stems: a single token, or two adjacent tokens written together
        stems: dict[str, set[str]] = {}
        for s, u in zip(src, urls or [None] * len(texts)):
            stem = _outlets.host_stem(u)
            if stem and isinstance(s, str) and len(stem) >= 2:
                stems.setdefault(stem, set()).add(s)
        if stems:
            for stem, names in stems.items():
                terms.setdefault(stem, set()).update(names)
            for a, b in store.joined_pairs(frozenset(stems)):
                forced[(a, b)] = f"{a} {b}"
                terms.setdefault(f"{a} {b}", set()).update(stems[a + b])
        for agency in _outlets.dateline_agencies(datelines or [], texts):
            toks = tuple(w for c in tokenize_chunks(agency, self.lowercase) for w in c)
            if not toks or " ".join(toks) in terms:
                continue  # an outlet of the corpus crediting itself ("Washington (CNN)"): its own name already
            if len(toks) > 1:
                forced[toks] = " ".join(toks)
            terms[" ".join(toks)] = {_outlets.EVERYWHERE}
        return terms, forced

    def _extend_outlet_phrases(self, terms: dict[str, set[str]]) -> None:
        """Give every phrase that contains an outlet name the same owners (``bbc news``, ``bbc radio 4``)."""
        names = {tuple(t.split(" ")): owners for t, owners in terms.items()}
        lens = sorted({len(k) for k in names})
        for phrase in list(self.phrases_):
            if phrase in terms:
                continue
            words = tuple(phrase.split(" "))
            owners: set[str] = set()
            for n in lens:
                for i in range(len(words) - n + 1):
                    owners |= names.get(words[i:i + n], set())
            if owners:
                terms[phrase] = set(owners)

    def _fit_core(self, texts: list[str], sources: list | None, datelines: list | None,
                  urls: list | None) -> tuple[sp.csr_matrix, dict[str, int]]:
        """Fit on texts and return the count matrix and its vocabulary (before pruning)."""
        if self.max_phrase_len not in (2, 3):
            raise ValueError(f"max_phrase_len={self.max_phrase_len!r}: use 2 or 3")
        self.stop_words_, blocking = self._stop_sets()
        with _store.paused_gc():
            X, vocab = self._fit_store(texts, sources, datelines, urls, blocking)
        # acronym outlets: phrases with matching initials used mostly by that outlet (DW -> deutsche welle)
        if self.outlet_terms is not None and sources is not None:
            added = self._acronym_expansions(X, vocab, sources)
            if added:
                for term, name in added.items():
                    self.outlet_terms_[term] = tuple(sorted(set(self.outlet_terms_.get(term, ())) | {name}))
                self.outlet_terms_ = dict(sorted(self.outlet_terms_.items()))
                self._rebuild_outlet_lookup()
                X = self._drop_outlet_counts(X, vocab, added, sources)
        return X, vocab

    def _fit_store(self, texts: list[str], sources: list | None, datelines: list | None, urls: list | None,
                   blocking: frozenset[str]) -> tuple[sp.csr_matrix, dict[str, int]]:
        """Tokenise, fit compounds, outlet names and phrases, and count every document's terms."""
        n_docs = len(texts)
        store = _store.open_store(texts, sources, self.lowercase, _store.resolve_jobs(self.n_jobs, n_docs))
        try:
            self.hyphen_compounds_ = self._fit_hyphens(store, blocking)
            store.split_hyphens(self.hyphen_compounds_)
            outlet_terms, forced = self._derive_outlets(store, sources, datelines, urls, texts)
            # spaced variants of kept compounds ("jong nam") count as the compound ("jong-nam")
            for comp in self.hyphen_compounds_:
                parts = tuple(p for p in comp.split("-") if p)
                if len(parts) in (2, 3):
                    forced.setdefault(parts, comp)
            self._index = self._fit_phrases(store, blocking, forced)
            self._extend_outlet_phrases(outlet_terms)
            self._prefixes = phrase_prefixes(self._index)
            self._memo: dict[str, str | None] = {}
            self._max_len = max(2, int(self.max_phrase_len))
            self.outlet_terms_ = {t: tuple(sorted(s)) for t, s in sorted(outlet_terms.items())}
            self._rebuild_outlet_lookup()
            blocks = store.count_blocks(self._analyse)
        finally:
            store.close()
        return _rows.join_blocks(blocks, n_docs, dtype=self.dtype)

    def _acronym_expansions(self, X: sp.csr_matrix, vocab: dict[str, int], sources: list) -> dict[str, str]:
        acronyms = {name.lower(): name for name in _outlets.unique_sources(sources) if _outlets.is_acronym(name)}
        if not acronyms:
            return {}
        cand = [(t, j) for t, j in vocab.items() if " " in t and _outlets.initials(t) in acronyms]
        if not cand:
            return {}
        P = X[:, [j for _, j in cand]].tocsc()
        src = np.asarray(sources, dtype=object)
        best: dict[str, tuple[int, str]] = {}
        for k, (t, _) in enumerate(cand):
            rows = P.indices[P.indptr[k]:P.indptr[k + 1]]  # documents holding the phrase
            ini = _outlets.initials(t)
            c = len(rows)
            by_source = int(np.sum(src[rows] == acronyms[ini])) if c else 0
            if c < 2 or by_source < 0.5 * c or any(len(w) < 2 for w in t.split(" ")):
                continue
            if (by_source, t) > best.get(ini, (0, "")):
                best[ini] = (by_source, t)
        # only the most used expansion per acronym ("deutsche welle", not "die welt", which DW quotes)
        return {t: acronyms[ini] for ini, (_, t) in best.items()}

    def _drop_outlet_counts(self, X: sp.csr_matrix, vocab: dict[str, int], terms: Iterable[str], sources: list) -> sp.csr_matrix:
        """Zero the counts of ``terms`` in the documents they are outlet self-mentions of."""
        X = X.tocsc()
        for t in terms:
            j = vocab.get(t)
            if j is None:
                continue
            lo, hi = X.indptr[j], X.indptr[j + 1]
            for k in range(lo, hi):
                if self._is_outlet(t, sources[X.indices[k]]):
                    X.data[k] = 0
        X.eliminate_zeros()
        return X.tocsr()

    def _rebuild_outlet_lookup(self) -> None:
        self._outlet_everywhere = frozenset(t for t, s in self.outlet_terms_.items() if _outlets.EVERYWHERE in s)
        self._outlet_by_term = {t: frozenset(s) for t, s in self.outlet_terms_.items()}

    def _is_outlet(self, term: str, source: str | None) -> bool:
        owners = self._outlet_by_term.get(term)
        if owners is None:
            return False
        return source is None or source in owners or term in self._outlet_everywhere

    def _unigram_term(self, t: str) -> str | None:
        """Return the term a single token stands for, or None if it is left out."""
        term = t.lower() if self.lowercase else t
        if term.lower() in self.stop_words_ or len(term) < self.min_token_len:
            return None
        if not self.keep_numbers and is_number(term):
            return None
        return term

    def _analyse(self, doc: Chunks, source: str | None) -> list[str]:
        """Return the terms of one tokenised document (phrases merged, stop words and outlets out)."""
        memo = self._memo
        outlet = self._outlet_by_term
        index, max_len, scores, prefixes = self._index, self._max_len, self._scores, self._prefixes
        out: list[str] = []
        for chunk in doc:
            for t in merge_chunk(chunk, index, max_len, scores, prefixes):
                if " " not in t:
                    if t in memo:
                        t = memo[t]
                    else:
                        u = memo[t] = self._unigram_term(t)  # keyed by the token, not by its term
                        t = u
                    if t is None:
                        continue
                if t in outlet and self._is_outlet(t, source):
                    continue
                out.append(t)
        return out

    def _prune(self, X: sp.csr_matrix, vocab: dict[str, int]) -> tuple[sp.csr_matrix, dict[str, int]]:
        df = np.bincount(X.indices, minlength=X.shape[1])
        terms = np.array(sorted(vocab, key=vocab.__getitem__), dtype=object)
        tot = np.asarray(X.sum(axis=0)).ravel() if self.max_features is not None else None
        order = kept_columns(terms, df, tot, X.shape[0], self.min_df, self.max_df, self.max_features)
        new_vocab = {str(terms[j]): i for i, j in enumerate(order)}
        return X[:, order].tocsr(), new_vocab

    def fit(self, raw_documents: Any, y: Any = None, sources: Sequence | None = None, datelines: Sequence | None = None,
            urls: Sequence | None = None) -> "NewsVectorizer":
        """Learn phrases, outlet names and the vocabulary.

        Parameters
        ----------
        raw_documents : iterable of str or pandas.DataFrame
            Texts, or an article table (title, standfirst and text are joined; ``source``,
            ``dateline`` and ``url`` are taken from it unless given).
        y : ignored
        sources : sequence of str, optional
            The outlet of each document (for outlet self-mentions).
        datelines : sequence of str, optional
            The dateline of each document (agency credits such as ``/TASS/``).
        urls : sequence of str, optional
            Article URLs (host names give more outlet names).

        Returns
        -------
        self
        """
        self.fit_transform(raw_documents, sources=sources, datelines=datelines, urls=urls)
        return self

    def fit_transform(self, raw_documents: Any, y: Any = None, sources: Sequence | None = None,
                      datelines: Sequence | None = None, urls: Sequence | None = None) -> sp.csr_matrix:
        """Fit and return the document-term count matrix (see :meth:`fit`)."""
        texts, sources, datelines, urls = self._inputs(raw_documents, sources, datelines, urls)
        X, vocab = self._fit_core(texts, sources, datelines, urls)
        X, self.vocabulary_ = self._prune(X, vocab)
        self.document_frequency_ = np.bincount(X.indices, minlength=X.shape[1])
        self.n_documents_ = X.shape[0]
        return X

    def transform(self, raw_documents: Any, sources: Sequence | None = None, datelines: Sequence | None = None) -> sp.csr_matrix:
        """Return the count matrix of new documents over the fitted vocabulary.

        Without ``sources``, outlet names are dropped from every document.
        """
        check_is_fitted(self, "vocabulary_")
        texts, sources, datelines, _ = self._inputs(raw_documents, sources, datelines, None)
        analysed = self.analyse_texts(texts, sources)
        X, _ = _rows.join_blocks([_rows.count_block(analysed.__getitem__, 0, len(analysed))], len(analysed),
                                 vocabulary=self.vocabulary_, dtype=self.dtype)
        return X

    def analyse_texts(self, texts: Iterable[str], sources: Sequence | None = None) -> list[list[str]]:
        """Return the terms of each text in order (phrases merged, stop words and outlet names out)."""
        check_is_fitted(self, "vocabulary_")
        texts = list(texts)
        src = list(sources) if sources is not None else [None] * len(texts)
        docs = [_store.split_doc(tokenize_chunks(t, self.lowercase), self.hyphen_compounds_) for t in texts]
        return [self._analyse(doc, s) for doc, s in zip(docs, src)]

    def build_analyzer(self):
        """Return a callable text -> list of terms (like ``CountVectorizer.build_analyzer``)."""
        return lambda text: self.analyse_texts([text])[0]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the terms (sorted), phrases with spaces."""
        check_is_fitted(self, "vocabulary_")
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__), dtype=object)

    def term_tokens(self, term: str) -> tuple[str, ...]:
        """Return the token sequence of a term as the tokenizer writes it (``"kim jong-nam"`` -> 3 tokens)."""
        return tuple(w for c in tokenize_chunks(term, self.lowercase) for w in c)
