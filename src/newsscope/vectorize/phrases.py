"""Multi-word phrases found from the corpus by normalised pointwise mutual information (NPMI).

Candidates are adjacent pairs of *content* tokens inside one chunk (no punctuation, quote or stop
word between them). A pair ``(a, b)`` becomes a phrase when it occurs at least ``min_count``
times in at least ``min_df`` documents and

.. math::

    \\mathrm{NPMI}(a, b) = \\frac{\\ln \\frac{P(a b)}{P(a) P(b)}}{-\\ln P(a b)} \\ge \\text{threshold}

with probabilities estimated from token counts (``P(a) = c(a) / N``, ``P(a b) = c(a b) / N``,
``N`` the number of tokens). NPMI is 1 for words that only ever occur together and 0 for
independent words. A second pass over the text with the accepted pairs merged finds three-word
phrases (``kim jong un``, ``prime minister theresa may``'s ``minister theresa may`` is cut at
``max_len``) the same way.

Numbers and dates: a number may only close a phrase after a non-date word (``article 50``,
``resolution 2334``); a month may be part of a phrase only without a number (``march`` in
``women march`` is fine, ``march 8`` is a date); weekdays never; a phrase made only of generic
news words (``last year``) is rejected.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from newsscope.vectorize.tokens import DATE_WORDS, GENERIC_WORDS, WEEKDAYS, is_number

__all__ = ["count_pairs", "score_pairs", "merge_chunk", "pair_allowed"]

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


def count_pairs(docs: Iterable[Sequence[Sequence[str]]], stops: frozenset[str], max_len: int = 3,
                need_phrase: bool = False) -> tuple[Counter, Counter, Counter, int]:
    """Count units, allowed adjacent unit pairs and the documents holding each pair.

    Parameters
    ----------
    docs : iterable of list of chunks
        Each document is a list of chunks, each a list of units (tokens or phrases).
    stops : frozenset of str
        Words that block a phrase (lower case).
    max_len : int
        Longest phrase in words.
    need_phrase : bool
        Count only pairs where at least one unit is already a phrase (the second pass).

    Returns
    -------
    units, pairs, pair_docs : collections.Counter
        Unit counts, pair counts and pair document frequencies.
    n_units : int
        Number of units (the ``N`` of the probabilities).
    """
    units: Counter = Counter()
    pairs: Counter = Counter()
    pair_docs: Counter = Counter()
    allowed_cache: dict[tuple[str, str], bool] = {}
    n = 0
    for doc in docs:
        seen: set[tuple[str, str]] = set()
        for chunk in doc:
            units.update(chunk)
            n += len(chunk)
            for pair in zip(chunk, chunk[1:]):
                ok = allowed_cache.get(pair)
                if ok is None:
                    a, b = pair
                    ok = pair_allowed(a, b, stops, max_len) and (not need_phrase or " " in a or " " in b)
                    allowed_cache[pair] = ok
                if ok:
                    pairs[pair] += 1
                    seen.add(pair)
        pair_docs.update(seen)
    return units, pairs, pair_docs, n


def score_pairs(units: Counter, pairs: Counter, pair_docs: Counter, n: int, *, min_count: int, min_df: int,
                threshold: float) -> dict[tuple[str, str], float]:
    """Return ``{pair: npmi}`` for the pairs above ``min_count``, ``min_df`` and ``threshold``."""
    out: dict[tuple[str, str], float] = {}
    if n <= 0:
        return out
    log_n = math.log(n)
    for pair, c in pairs.items():
        if c < min_count or pair_docs[pair] < min_df:
            continue
        a, b = pair
        log_pab = math.log(c) - log_n
        if log_pab >= 0:
            continue
        pmi = log_pab - (math.log(units[a]) - log_n) - (math.log(units[b]) - log_n)
        npmi = pmi / -log_pab
        if npmi >= threshold:
            out[pair] = npmi
    return out


def merge_chunk(chunk: Sequence[str], index: dict[Phrase, str], max_len: int = 3,
                scores: dict[Phrase, float] | None = None) -> list[str]:
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
    """
    n = len(chunk)
    if n < 2:
        return list(chunk)
    cands = []
    for i in range(n - 1):
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
