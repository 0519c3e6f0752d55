"""Multi-word phrases found from the corpus by normalised pointwise mutual information (NPMI).

Candidates are adjacent pairs of *content* tokens inside one chunk (no punctuation, quote or stop
word between them). A pair ``(a, b)`` becomes a phrase when it occurs at least ``min_count``
times in at least ``min_df`` documents and

.. math::

    \\mathrm{NPMI}(a, b) = \\frac{\\ln \\frac{P(a b)}{P(a) P(b)}}{-\\ln P(a b)} \\ge \\text{threshold}

with probabilities estimated from token counts (``P(a) = c(a) / N``, ``P(a b) = c(a b) / N``,
``N`` the number of tokens). NPMI is 1 for words that only ever occur together and 0 for
independent words. A second pass over the text with the accepted pairs merged finds three-word
phrases (``kim jong un``, ``affordable care act``) the same way; phrases are at most three words
long.

Numbers and dates: a number may only close a phrase after a non-date word (``article 50``,
``resolution 2334``); a month may be part of a phrase only without a number (``march`` in
``women march`` is fine, ``march 8`` is a date); weekdays never; a phrase made only of generic
news words (``last year``) is rejected.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from collections.abc import Iterable, Sequence

import numpy as np

from newsscope.vectorize.tokens import DATE_WORDS, GENERIC_WORDS, WEEKDAYS, is_number

__all__ = ["PairCounts", "count_pairs", "merge_pair_counts", "score_pairs", "merge_chunk", "pair_allowed", "phrase_prefixes"]

Phrase = tuple[str, ...]


def _parts(unit: str) -> list[str]:
    return unit.split(" ")


def pair_allowed(a: str, b: str, stops: frozenset[str], max_len: int = 3) -> bool:
    """Return True if units ``a`` and ``b`` (each a token or a space-joined phrase) may be joined."""
    pa, pb = _parts(a), _parts(b)
    words = pa + pb
    if len(words) > max_len:
        return False
    low = [w.lower() for w in words]
    if any(w in stops for w in low):
        return False
    nums = [is_number(w) for w in low]
    if any(nums):
        # only one number, in last place, short (an article or resolution number, not a sum)
        if sum(nums) > 1 or not nums[-1] or len(low[-1]) > 4 or not low[-1].isdigit():
            return False
        if low[-2] in DATE_WORDS or low[-2] in GENERIC_WORDS:
            return False
    if any(w in WEEKDAYS for w in low):
        return False
    if all(w in GENERIC_WORDS or w in DATE_WORDS or n for w, n in zip(low, nums)):
        return False
    return True


@dataclass
class PairCounts:
    """Unit and adjacent-pair statistics of a tokenised corpus (see :func:`count_pairs`)."""

    units: list[str]
    unit_counts: np.ndarray
    pair_codes: np.ndarray
    pair_counts: np.ndarray
    pair_docs: np.ndarray
    n: int

    @property
    def pair_a(self) -> np.ndarray:
        """Unit index of each pair's first unit."""
        return self.pair_codes // max(len(self.units), 1)

    @property
    def pair_b(self) -> np.ndarray:
        """Unit index of each pair's second unit."""
        return self.pair_codes % max(len(self.units), 1)

    def unit_count(self, unit: str) -> int:
        """Return the count of one unit (0 if absent)."""
        if not hasattr(self, "_pos"):
            self._pos = {u: i for i, u in enumerate(self.units)}
        i = self._pos.get(unit)
        return 0 if i is None else int(self.unit_counts[i])

    def pair_count(self, a: str, b: str) -> int:
        """Return how often ``a`` is directly followed by ``b`` inside a chunk."""
        if not hasattr(self, "_pos"):
            self._pos = {u: i for i, u in enumerate(self.units)}
        i, j = self._pos.get(a), self._pos.get(b)
        if i is None or j is None:
            return 0
        code = i * len(self.units) + j
        k = int(np.searchsorted(self.pair_codes, code))
        return int(self.pair_counts[k]) if k < len(self.pair_codes) and self.pair_codes[k] == code else 0


def count_pairs(docs: Iterable[Sequence[Sequence[str]]], n_docs: int | None = None, phrase_pairs_only: bool = False) -> PairCounts:
    """Count units, adjacent unit pairs inside chunks, and the documents holding each pair.

    Parameters
    ----------
    docs : iterable of list of chunks
        Each document is a list of chunks, each a list of units (tokens or phrases); read once
        (a generator is fine when ``n_docs`` is given).
    n_docs : int, optional
        The number of documents (default ``len(docs)``).
    phrase_pairs_only : bool
        Keep only pairs with a phrase (a unit holding a space) on either side; unit counts still
        cover every unit. What the second phrase pass needs, at a fraction of the sorting.

    Returns
    -------
    PairCounts
        All pairs; :func:`score_pairs` filters them.
    """
    flat: list[str] = []
    lens = array("q")  # machine integers: a list of ints costs ~36 bytes per chunk
    doc_of_chunk = array("q")
    n_seen = 0
    for d, doc in enumerate(docs):
        n_seen += 1
        for chunk in doc:
            if chunk:
                flat.extend(chunk)
                lens.append(len(chunk))
                doc_of_chunk.append(d)
    units = list(dict.fromkeys(flat))
    if not flat:
        e = np.zeros(0, dtype=np.int64)
        return PairCounts(units, e, e, e, e, 0)
    n_tokens = len(flat)
    pos = {u: i for i, u in enumerate(units)}
    arr = np.fromiter(map(pos.__getitem__, flat), dtype=np.int64, count=n_tokens)
    del flat, pos
    V = len(units)
    unit_counts = np.bincount(arr, minlength=V)
    lens_a = np.frombuffer(lens, dtype=np.int64)
    ends = np.cumsum(lens_a) - 1
    same = np.ones(n_tokens - 1, dtype=bool) if n_tokens > 1 else np.zeros(0, dtype=bool)
    same[ends[:-1]] = False
    del ends
    if phrase_pairs_only:
        is_phrase = np.fromiter((" " in u for u in units), dtype=bool, count=V)
        same &= is_phrase[arr[:-1]] | is_phrase[arr[1:]]
    code = arr[:-1][same]
    if not len(code):  # no two units side by side in any chunk (e.g. one-word chunks): no pairs
        e = np.zeros(0, dtype=np.int64)
        return PairCounts(units, unit_counts, e, e, e, n_tokens)
    code *= V
    code += arr[1:][same]
    del arr
    codes, counts = _unique_counts(code)
    # documents per pair: distinct (pair, document) codes, sorted in place
    n_docs = max(n_seen if n_docs is None else n_docs, 1)
    code *= n_docs
    code += np.repeat(np.frombuffer(doc_of_chunk, dtype=np.int64), lens_a)[:-1][same]
    del same, lens_a
    code.sort()
    first = np.concatenate(([True], code[1:] != code[:-1]))
    pair_of = code[first] // n_docs  # sorted: one entry per (pair, document)
    del code, first
    dfs = np.diff(np.concatenate((np.flatnonzero(np.concatenate(([True], pair_of[1:] != pair_of[:-1]))), [len(pair_of)])))
    return PairCounts(units, unit_counts, codes, counts, dfs, n_tokens)


def merge_pair_counts(parts: Sequence[PairCounts]) -> PairCounts:
    """Return the counts of consecutive document blocks joined: ``count_pairs`` of all their documents.

    Units keep their order of first appearance, and a pair's document count is the sum over the
    blocks (a document is in one block), so the result equals counting the whole corpus at once.
    """
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    units = list(dict.fromkeys(u for p in parts for u in p.units))
    V = len(units)
    pos = {u: i for i, u in enumerate(units)}
    unit_counts = np.zeros(V, dtype=np.int64)
    codes, counts, dfs = [], [], []
    for p in parts:
        m = np.fromiter(map(pos.__getitem__, p.units), dtype=np.int64, count=len(p.units))
        if len(m):
            unit_counts[m] += p.unit_counts
        vp = max(len(p.units), 1)
        codes.append(m[p.pair_codes // vp] * V + m[p.pair_codes % vp] if len(p.pair_codes) else np.zeros(0, dtype=np.int64))
        counts.append(np.asarray(p.pair_counts, dtype=np.int64))
        dfs.append(np.asarray(p.pair_docs, dtype=np.int64))
    code = np.concatenate(codes)
    if len(code) == 0:
        e = np.zeros(0, dtype=np.int64)
        return PairCounts(units, unit_counts, e, e, e, sum(p.n for p in parts))
    order = np.argsort(code)
    code = code[order]
    start = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    return PairCounts(units, unit_counts, code[start], np.add.reduceat(np.concatenate(counts)[order], start),
                      np.add.reduceat(np.concatenate(dfs)[order], start), sum(p.n for p in parts))


def _unique_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return sorted unique values and their counts (a sort-based ``np.unique``)."""
    if len(x) == 0:
        return x, np.zeros(0, dtype=np.int64)
    x = np.sort(x)
    start = np.flatnonzero(np.concatenate(([True], x[1:] != x[:-1])))
    return x[start], np.diff(np.concatenate((start, [len(x)])))


def score_pairs(pc: PairCounts, *, min_count: int, min_df: int, threshold: float, stops: frozenset[str],
                max_len: int = 3, need_phrase: bool = False) -> dict[tuple[str, str], float]:
    """Return ``{pair: npmi}`` for the allowed pairs above ``min_count``, ``min_df`` and ``threshold``.

    ``need_phrase``: only pairs where at least one unit is already a phrase (the second pass).
    """
    out: dict[tuple[str, str], float] = {}
    if pc.n <= 0 or len(pc.pair_counts) == 0:
        return out
    keep = (pc.pair_counts >= min_count) & (pc.pair_docs >= min_df)
    a, b, c = pc.pair_a[keep], pc.pair_b[keep], pc.pair_counts[keep].astype(float)
    log_n = math.log(pc.n)
    log_pab = np.log(c) - log_n
    uc = pc.unit_counts.astype(float)
    pmi = log_pab - (np.log(uc[a]) - log_n) - (np.log(uc[b]) - log_n)
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(log_pab < 0, pmi / -log_pab, 1.0)
    for i in np.flatnonzero(npmi >= threshold):
        ua, ub = pc.units[a[i]], pc.units[b[i]]
        if need_phrase and " " not in ua and " " not in ub:
            continue
        if pair_allowed(ua, ub, stops, max_len):
            out[(ua, ub)] = float(npmi[i])
    return out


def phrase_prefixes(index: dict[Phrase, str]) -> frozenset[tuple[str, str]]:
    """Return the first two tokens of every phrase in ``index`` (a fast pre-check for :func:`merge_chunk`)."""
    return frozenset(k[:2] for k in index)


def merge_chunk(chunk: Sequence[str], index: dict[Phrase, str], max_len: int = 3,
                scores: dict[Phrase, float] | None = None, prefixes: frozenset[tuple[str, str]] | None = None) -> list[str]:
    """Replace phrase occurrences in ``chunk``: longer phrases first, then by score.

    Choosing by score rather than from the left keeps names whole: in ``u.s. president donald
    trump`` the strong pair ``donald trump`` is taken before the weaker ``president donald``.

    Parameters
    ----------
    chunk : sequence of str
        Tokens.
    index : dict
        Token tuple -> phrase term (e.g. ``("north", "korea") -> "north korea"``).
    max_len : int
        Longest phrase in tokens.
    scores : dict, optional
        Token tuple -> score (missing: 1.0, e.g. forced outlet names).
    prefixes : frozenset, optional
        :func:`phrase_prefixes` of ``index``: chunks without any are returned at once.
    """
    n = len(chunk)
    if n < 2:
        return list(chunk)
    if prefixes is not None:
        starts = [i for i, p in enumerate(zip(chunk, chunk[1:])) if p in prefixes]
        if not starts:
            return list(chunk)
        if len(starts) == 1:  # the common case: the longest phrase at the one start wins
            i = starts[0]
            for length in range(min(max_len, n - i), 1, -1):
                key = tuple(chunk[i:i + length])
                if key in index:
                    return [*chunk[:i], index[key], *chunk[i + length:]]
            return list(chunk)
    else:
        starts = range(n - 1)
    cands = []
    for i in starts:
        for length in range(min(max_len, n - i), 1, -1):
            key = tuple(chunk[i:i + length])
            if key in index:
                s = 1.0 if scores is None else scores.get(key, 1.0)
                cands.append((-length, -s, i, key))
    if not cands:
        return list(chunk)
    cands.sort()
    taken = [False] * n
    start: dict[int, tuple[int, str]] = {}
    for neg_len, _s, i, key in cands:
        length = -neg_len
        if any(taken[i:i + length]):
            continue
        for k in range(i, i + length):
            taken[k] = True
        start[i] = (length, index[key])
    out: list[str] = []
    i = 0
    while i < n:
        hit = start.get(i)
        if hit is None:
            out.append(chunk[i])
            i += 1
        else:
            out.append(hit[1])
            i += hit[0]
    return out
