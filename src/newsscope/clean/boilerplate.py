"""Boilerplate found from the data: passages that open or close many articles of one outlet.

Promos (``How will Trump's first 100 days impact you? Learn more``), share prompts (``Send
Facebook Twitter Google+ ... Permalink``), sign-offs (``The views expressed in this article are
the author's own ...``) and editor's notes repeat word for word across an outlet's articles, at
their start or end. :class:`BoilerplateDetector` counts, per outlet, in how many distinct
articles each word n-gram occurs among the first and last ``edge_tokens`` words. An n-gram seen
in at least ``min_docs`` articles and ``min_share`` of the outlet's articles is boilerplate.
An article then loses the longest run of boilerplate n-grams touching its start or its end,
cut back to whole sentences. At the end, a run without any sentence end (a menu of share links
such as DW's ``Send Facebook Twitter ... Permalink <url>``) is removed whole when it is at least
``min_span`` words long. Text in the middle of an article is never touched, so a phrase
such as ``he said in a statement.`` ending many articles stays.

Saved web pages keep their paragraphs (separated by a blank line), and a site's promotions
survive extraction as whole paragraphs anywhere in the body (``Get the briefing in your inbox:
...`` between two paragraphs). A paragraph of at most ``max_line_words`` words that occurs word
for word (case, digits and spacing aside) in at least ``min_docs`` and ``min_share`` of an
outlet's articles is boilerplate wherever it stands; it is removed with the edges' runs and
reported with them. Text without blank lines (the built-in corpus) is not affected.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd

from newsscope.clean.parallel import map_blocks, map_blocks_two_rounds

__all__ = ["BoilerplateDetector", "split_sentences", "summarize_removed", "count_removed", "removed_table"]

_TOKEN = re.compile(r"\S+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?-—–*•|"
_SENT_END = re.compile(r"[.!?:;\"”')\]]\Z")
_ABBREV = frozenset("mr mrs ms dr st sen rep gen gov lt col sgt u.s u.k u.n jan feb mar apr jun jul aug sep sept oct nov dec no vs inc corp jr sr".split())


_DIGIT_TABLE = str.maketrans("123456789", "000000000")


def _norm(token: str) -> str:
    if ("/" in token or "@" in token or token.startswith("www.")) and _URL.match(token):
        return "<url>"
    t = token.strip(_EDGE_PUNCT).lower()
    return t.translate(_DIGIT_TABLE) if t else token


_NORM_CACHE: dict[str, str] = {}
_NORM_CACHE_MAX = 1_000_000


def _norm_all(tokens: list[str]) -> list[str]:
    """``[_norm(t) for t in tokens]``, remembering each token's form (words repeat a lot)."""
    cache = _NORM_CACHE
    try:  # all seen before: the common case
        return list(map(cache.__getitem__, tokens))
    except KeyError:
        pass
    out = list(map(cache.get, tokens))
    if None in out:
        if len(cache) > _NORM_CACHE_MAX:
            cache.clear()
        for i, v in enumerate(out):
            if v is None:
                t = tokens[i]
                out[i] = cache[t] = _norm(t)
    return out


def release_cache() -> None:
    """Forget the remembered word forms (up to ``_NORM_CACHE_MAX`` words; a cleaning run calls
    this when it is done with boilerplate)."""
    _NORM_CACHE.clear()


def _grams(toks: list[str], n: int) -> zip:
    """The ``n``-grams of ``toks`` as tuples (``tuple(toks[j:j + n])`` for every ``j``)."""
    return zip(*(toks[j:] for j in range(n)))


def _ends_sentence(token: str) -> bool:
    if not _SENT_END.search(token):
        return False
    core = token.strip(_EDGE_PUNCT).lower()
    return core not in _ABBREV and not (len(core) == 1 and core.isalpha())


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (at ``.!?`` followed by a space and an upper-case letter,
    a digit or a quote; not after common abbreviations such as ``Sen.`` or ``U.S.``)."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    out, start = [], 0
    for i, (s, e, tok) in enumerate(tokens):
        nxt = tokens[i + 1][2] if i + 1 < len(tokens) else ""
        if not nxt or (_ends_sentence(tok) and tok[-1] in ".!?\"”'" and (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"“'(")):
            out.append(text[start:e].strip())
            start = tokens[i + 1][0] if nxt else e
    return [s for s in out if s]


def _edge_spans(text: str, L: int, e: int) -> dict[int, tuple[int, int, str]]:
    """Spans (start, end, token) of the first and last ``e`` whitespace tokens, by token index."""
    if L <= 2 * e:
        return {i: (m.start(), m.end(), m.group(0)) for i, m in enumerate(_TOKEN.finditer(text))}
    spans: dict[int, tuple[int, int, str]] = {}
    for i, m in enumerate(_TOKEN.finditer(text)):
        if i >= e:
            break
        spans[i] = (m.start(), m.end(), m.group(0))
    head_rest = text.rsplit(None, e)[0]
    for i, m in enumerate(_TOKEN.finditer(text, len(head_rest)), start=L - e):
        spans[i] = (m.start(), m.end(), m.group(0))
    return spans


_GRAM_BLOCK = 1 << 21  # edge words hashed per block (bounds the temporary arrays)


def _edge_gram_keys(words: list[str], edge_len: list[int], edge_doc: list[int], doc_group: list[int], gbits: int,
                    n: int) -> np.ndarray:
    """The 64-bit key (group and a hash of the words) of every ``n``-gram of the edges."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    edge_doc_arr = np.asarray(edge_doc, dtype=np.int64)
    group_of_doc = np.asarray(doc_group, dtype=np.uint64)
    keys = [_gram_keys(words, n, blk, edge_doc_arr, group_of_doc, gbits)[0] for blk in _gram_blocks(edge_len, n)]
    return np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)


def _candidate_keys(keys: np.ndarray, need_of: np.ndarray, gbits: int) -> np.ndarray:
    """The (sorted) keys counted at least their group's ``need`` times."""
    uniq, cnt = np.unique(keys, return_counts=True)
    return uniq[cnt >= need_of[(uniq >> np.uint64(64 - gbits)).astype(np.int64)]]


def _count_candidates(words: list[str], edge_len: list[int], edge_doc: list[int], doc_group: list[int], gbits: int,
                      n: int, cand: np.ndarray) -> Counter:
    """In how many articles each n-gram whose key is a candidate occurs: Counter of
    (group code, n-gram tuple)."""
    out: Counter = Counter()
    if not words or not len(cand):
        return out
    edge_doc_arr = np.asarray(edge_doc, dtype=np.int64)
    group_of_doc = np.asarray(doc_group, dtype=np.uint64)
    found: set[tuple[int, int, tuple[str, ...]]] = set()
    for blk in _gram_blocks(edge_len, n):
        gkey, doc, grp = _gram_keys(words, n, blk, edge_doc_arr, group_of_doc, gbits)
        at = np.minimum(np.searchsorted(cand, gkey), len(cand) - 1)
        sel = np.flatnonzero(cand[at] == gkey)
        found.update(zip(doc[sel].tolist(), grp[sel].astype(np.int64).tolist(),
                         (tuple(words[p:p + n]) for p in blk[2][sel].tolist())))
    out.update((gc, gram) for _d, gc, gram in found)
    return out


def _gram_blocks(edge_len: list[int], n: int) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """Blocks of whole edges (about ``_GRAM_BLOCK`` words each): the block's first and last
    word, the first word of each n-gram in it and the edge it lies in."""
    lens = np.asarray(edge_len, dtype=np.int64)
    ends = np.cumsum(lens)
    starts = ends - lens
    out = []
    e0 = 0
    while e0 < len(lens):
        e1 = max(int(np.searchsorted(ends, starts[e0] + _GRAM_BLOCK, side="right")), e0 + 1)
        lo, hi = int(starts[e0]), int(ends[e1 - 1])
        edge_of = np.repeat(np.arange(e0, e1), lens[e0:e1])
        local = np.flatnonzero(np.arange(lo, hi) + n <= ends[edge_of])
        out.append((lo, hi, lo + local, edge_of[local]))
        e0 = e1
    return out


def _gram_keys(words: list[str], n: int, block: tuple[int, int, np.ndarray, np.ndarray], edge_doc: np.ndarray,
               group_of_doc: np.ndarray, gbits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (group, n-gram hash) key, article and group of every n-gram of a block."""
    lo, hi, pos, edge_of = block
    h = np.fromiter(map(hash, words[lo:hi]), dtype=np.int64, count=hi - lo).view(np.uint64)
    doc = edge_doc[edge_of]
    grp = group_of_doc[doc]
    local = pos - lo
    key = np.zeros(len(pos), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            key = key * np.uint64(0x9E3779B97F4A7C15) + h[local + k]
            key ^= key >> np.uint64(29)
    return (grp << np.uint64(64 - gbits)) | (key >> np.uint64(gbits)), doc, grp


class BoilerplateDetector:
    """Find and remove passages repeated at the start or end of many articles of one outlet.

    Parameters
    ----------
    ngram : int
        Word n-gram length (words compared lower case, punctuation stripped, digits as 0,
        URLs as ``<url>``).
    min_docs, min_share : int, float
        An n-gram is boilerplate for an outlet when it occurs among the edge words of at least
        ``min_docs`` distinct articles and at least ``min_share`` of the outlet's articles.
    edge_tokens : int
        How many words at each end of an article are searched.
    min_span : int
        A run that does not start (or end) at a sentence boundary is removed only when it is at
        least this many words long.
    max_line_words : int
        Paragraphs (separated by a blank line) of at most this many words that repeat across an
        outlet's articles are boilerplate wherever they stand; 0 switches this rule off.
    n_jobs : int, optional
        Processes for the counting passes of :meth:`fit` (forked workers over blocks of
        articles, counts summed: :func:`newsscope.clean.parallel.map_blocks`); None or 1: this
        process. It never changes the fitted detector.

    Attributes
    ----------
    frequent_ : dict
        Outlet -> set of boilerplate n-grams (tuples of normalised words).
    lines_ : dict
        Outlet -> set of boilerplate paragraphs (normalised: lower case, digits as 0).
    n_docs_ : dict
        Outlet -> number of distinct articles counted.
    """

    def __init__(self, ngram: int = 5, min_docs: int = 5, min_share: float = 0.01, edge_tokens: int = 80, min_span: int = 8,
                 n_jobs: int | None = None, max_line_words: int = 60) -> None:
        self.ngram = ngram
        self.max_line_words = max_line_words
        self.n_jobs = n_jobs
        self.min_docs = min_docs
        self.min_share = min_share
        self.edge_tokens = edge_tokens
        self.min_span = min_span

    def fit(self, texts: Sequence[str], groups: Sequence[str], *, counted: Sequence[bool] | None = None) -> "BoilerplateDetector":
        """Count edge n-grams per outlet.

        Parameters
        ----------
        texts, groups : sequences of str
            Bodies and their outlets.
        counted : sequence of bool, optional
            Which texts take part in the counting (e.g. only one article per duplicate cluster,
            so that copies of one story do not make its sentences look like boilerplate).

        Returns
        -------
        BoilerplateDetector
            self
        """
        texts = list(texts)
        groups = [g or "(unknown)" for g in groups]
        jobs = self.n_jobs or 1
        n_texts = len(texts)

        # 1. the distinct bodies of each outlet (blocks: a hash of each body's words)
        def body_keys(lo: int, hi: int) -> list[tuple[int, int]]:
            out = []
            for i in range(lo, hi):
                if counted is not None and not counted[i]:
                    continue
                raw = (texts[i] or "").split()
                if raw:
                    out.append((i, hash(" ".join(raw).lower())))
            return out

        docs: Counter = Counter()
        seen: set[tuple[str, int]] = set()
        group_code: dict[str, int] = {}
        owned: list[int] = []  # the counted articles, in order
        for part in map_blocks(body_keys, n_texts, jobs):
            for i, h in part:
                key = (groups[i], h)
                if key in seen:
                    continue
                seen.add(key)
                docs[groups[i]] += 1
                group_code.setdefault(groups[i], len(group_code))
                owned.append(i)
        self.n_docs_ = dict(docs)
        need = {g: max(self.min_docs, self.min_share * c) for g, c in docs.items()}
        self.lines_ = self._count_lines(texts, groups, owned, need)
        if not owned:
            self.frequent_ = {}
            return self
        owned_arr = np.asarray(owned, dtype=np.int64)
        gbits = max(1, len(group_code).bit_length())
        need_of = np.empty(len(group_code), dtype=np.float64)
        for g, c in group_code.items():
            need_of[c] = need[g]

        # 2. the edge n-grams of each block counted as 64-bit keys; 3. the n-grams whose key
        # reached its outlet's need, counted exactly (the blocks' edge words kept between the two)
        def edges(lo: int, hi: int) -> tuple:
            words: list[str] = []
            edge_len: list[int] = []
            edge_doc: list[int] = []
            doc_group: list[int] = []
            mine = owned_arr[np.searchsorted(owned_arr, lo):np.searchsorted(owned_arr, hi)].tolist()
            for d, i in enumerate(mine):
                doc_group.append(group_code[groups[i]])
                for toks in self._edges(texts[i].split()):
                    words.extend(toks)
                    edge_len.append(len(toks))
                    edge_doc.append(d)
            return words, edge_len, edge_doc, doc_group

        parts = map_blocks_two_rounds(
            edges, lambda data: _edge_gram_keys(*data, gbits, self.ngram),
            lambda keys: _candidate_keys(np.concatenate(keys), need_of, gbits),
            lambda data, cand: _count_candidates(*data, gbits, self.ngram, cand), n_texts, jobs)
        counts: dict[str, Counter] = {g: Counter() for g in group_code}
        names = list(group_code)
        for part in parts:
            for (gc, gram), c in part.items():
                counts[names[gc]][gram] += c
        self.frequent_ = {g: {gram for gram, c in counts[g].items() if c >= need[g]} for g in docs}
        return self

    def _count_lines(self, texts: list[str], groups: list[str], owned: list[int], need: dict[str, float]) -> dict[str, set[str]]:
        """Outlet -> paragraphs repeated in at least ``need`` of its counted articles."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for i in owned:
            t = texts[i]
            if "\n\n" not in t:
                continue
            counts[groups[i]].update(self.line_keys(t))
        return {g: {k for k, c in cnt.items() if c >= need[g]} for g, cnt in counts.items() if cnt}

    def line_keys(self, text: str) -> set[str]:
        """The keys of a body's paragraphs that count as candidate boilerplate (short enough)."""
        if "\n\n" not in (text or ""):
            return set()
        return {k for k in map(self._line_key, text.split("\n\n")) if k}

    def _line_key(self, para: str) -> str:
        words = para.split()
        if not words or len(words) > self.max_line_words:  # max_line_words=0: the rule is off
            return ""
        return " ".join(words).lower().translate(_DIGIT_TABLE)

    def _strip_lines(self, text: str, group: str) -> tuple[str, list[str]]:
        lines = getattr(self, "lines_", {}).get(group or "(unknown)")
        if not lines or "\n\n" not in text:
            return text, []
        kept, removed = [], []
        for para in text.split("\n\n"):
            (removed if self._line_key(para) in lines else kept).append(para)
        return ("\n\n".join(kept), [" ".join(p.split()) for p in removed]) if removed else (text, [])

    def _edges(self, raw: list[str]) -> list[list[str]]:
        """Normalised first and last ``edge_tokens`` words (one list when they overlap)."""
        e = self.edge_tokens
        if len(raw) <= 2 * e:
            return [_norm_all(raw)]
        return [_norm_all(raw[:e]), _norm_all(raw[-e:])]

    def strip(self, text: str, group: str) -> tuple[str, str, str]:
        """Remove boilerplate runs at the start and end of ``text``.

        Returns
        -------
        (str, str, str)
            The remaining text, the removed head and the removed tail (empty if none); repeated
            paragraphs removed elsewhere in the body are reported before the tail, one a line.
        """
        body, head, tail = self._strip_edges(text, group)
        body, inner = self._strip_lines(body, group)
        if inner:
            return body.strip(), head, "\n".join(inner + ([tail] if tail else []))
        return body, head, tail

    def _strip_edges(self, text: str, group: str) -> tuple[str, str, str]:
        frequent = self.frequent_.get(group or "(unknown)")
        if not text or not frequent:
            return text, "", ""
        n = self.ngram
        e = self.edge_tokens
        # Something is removed only if the first or the last word is covered, i.e. if the
        # first n-gram of the first region or the last n-gram of the last region is
        # boilerplate. Otherwise the general path below returns the text between its first and
        # last word (``text.strip()``: whitespace tokens are the words of ``_TOKEN`` spans).
        if e >= n:  # every region holds n-grams: test the first and last n words, found without splitting it all
            head = text.split(None, n)
            if len(head) < n:  # fewer than n words
                return text, "", ""
            if not (tuple(_norm_all(head[:n])) in frequent or tuple(_norm_all(text.rsplit(None, n)[-n:])) in frequent):
                return text.strip(), "", ""
        words = text.split()
        L = len(words)
        if L < n:
            return text, "", ""
        regions = [(0, L)] if L <= 2 * e else [(0, e), (L - e, L)]
        (lo0, hi0), (lo1, hi1) = regions[0], regions[-1]
        if not ((hi0 - lo0 >= n and tuple(_norm_all(words[lo0:lo0 + n])) in frequent)
                or (hi1 - lo1 >= n and tuple(_norm_all(words[hi1 - n:hi1])) in frequent)):
            return text.strip(), "", ""
        edge_toks = [_norm_all(words[lo:hi]) for lo, hi in regions]
        spans = _edge_spans(text, L, e + 1)  # one more token each side: the run's neighbours
        covered = [False] * L
        for (lo, _hi), toks in zip(regions, edge_toks):
            for j, gram in enumerate(_grams(toks, n)):
                if gram in frequent:
                    for k in range(lo + j, lo + j + n):
                        covered[k] = True
        toks = range(L)  # only the length is used below
        # tail: the covered run ending at the last word
        k = len(toks)
        while k > 0 and covered[k - 1]:
            k -= 1
        tail_from = len(toks)
        if k < len(toks):
            if k == 0 or _ends_sentence(spans[k - 1][2]):
                tail_from = k
            else:  # the run starts mid-sentence: from the next sentence on; a run without any
                # sentence end (a menu of share links) goes whole if it is long
                nxt = next((j for j in range(k + 1, len(toks)) if _ends_sentence(spans[j - 1][2])), None)
                if nxt is not None and nxt < len(toks):
                    tail_from = nxt
                elif nxt is None and len(toks) - k >= self.min_span and not _ends_sentence(spans[L - 1][2]):
                    tail_from = k
        # head: the covered run starting at the first word
        e = 0
        while e < min(len(toks), tail_from) and covered[e]:
            e += 1
        head_to = 0
        if e > 0:
            if e == len(toks) or _ends_sentence(spans[e - 1][2]):
                head_to = e
            else:  # the run ends mid-sentence: up to the last sentence end in it
                prev = next((j for j in range(e - 1, 0, -1) if _ends_sentence(spans[j - 1][2])), None)
                if prev is not None:
                    head_to = prev
        head = text[: spans[head_to - 1][1]] if head_to else ""
        tail = text[spans[tail_from][0]:] if tail_from < len(toks) else ""
        start = spans[head_to][0] if head_to < len(toks) else len(text)
        end = spans[tail_from - 1][1] if tail_from > 0 else 0
        body = text[start:end] if end > start else ""
        return body.strip(), head.strip(), tail.strip()


def summarize_removed(removed: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Count removed boilerplate by outlet and sentence.

    Parameters
    ----------
    removed : pandas.DataFrame
        Columns ``source``, ``doc_id``, ``removed`` (the removed head and tail passages).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``passage`` (one sentence of removed text), ``articles`` (distinct articles
        it was removed from), sorted by articles (descending), source and passage.
    """
    return removed_table(count_removed(removed), top)


def count_removed(removed: pd.DataFrame) -> Counter:
    """(outlet, sentence) -> articles it was removed from, for :func:`summarize_removed`.

    Counts of tables with distinct ``doc_id`` values add up (tables cleaned part by part).
    """
    counts: dict = {}
    for src, doc, passage in zip(removed["source"], removed["doc_id"], removed["removed"]):
        if not passage:
            continue
        passage = _URL.sub("<link>", passage)
        for sent in {s.strip() for s in split_sentences(passage) if s.strip()}:
            counts[(src or "(unknown)", sent, doc)] = 1
    agg: Counter = Counter()
    for (src, sent, _doc) in counts:
        agg[(src, sent)] += 1
    return agg


def removed_table(agg: Counter, top: int | None = None) -> pd.DataFrame:
    """The table of :func:`summarize_removed` from (summed) :func:`count_removed` counts."""
    out = pd.DataFrame([(s, p, n) for (s, p), n in agg.items()], columns=["source", "passage", "articles"])
    out = out.sort_values(["articles", "source", "passage"], ascending=[False, True, True], kind="mergesort").reset_index(drop=True)
    return out.head(top) if top else out
