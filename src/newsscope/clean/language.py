"""Language identification (py3langid) and length measures.

py3langid is reliable on news prose of a few hundred characters or more; on very short strings
it guesses. The cleaning stage therefore measures length first, removes very short items, and
decides on language only for the rest, and only when the identifier is confident
(``language_min_confidence``).

py3langid walks each text's bytes through a finite automaton in a Python loop (about 0.5 ms per
article of 1,000 characters). :func:`identify_languages` walks all texts of a batch through the
same automaton at once, one byte position per numpy step, and then scores every text with
py3langid's own scoring code, so it returns exactly what ``classify`` returns, text by text (a
self-check at first use compares both on sample texts and falls back to ``classify`` if they
ever differ).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["identify_languages", "count_words", "count_words_many", "load_models"]

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_BATCH = 2048  # texts walked through the automaton together


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_models() -> None:
    """Load the language identifier (checking its batch path) and the word-character table now,
    e.g. once before forking workers that then share them instead of each loading its own."""
    _batch_ok(_identifier())
    _word_table()


def count_words(text: str) -> int:
    """Number of words (runs of letters/digits, with inner apostrophes or hyphens) in ``text``."""
    return len(_WORD.findall(text or ""))


_LINKERS = np.array([ord("'"), ord("’"), ord("-")], dtype=np.uint32)
_COUNT_BLOCK = 2000  # texts counted together


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-32-le")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """For every code point: does ``\\w`` match it (``str.isalnum`` or ``_``, as in ``re``)?"""
    table = np.fromiter((chr(c).isalnum() for c in range(0x110000)), dtype=bool, count=0x110000)
    table[ord("_")] = True
    return table


def count_words_many(texts: Sequence[str]) -> list[int]:
    """``[count_words(t) for t in texts]``, counted with numpy over blocks of texts.

    A match of ``_WORD`` starts at every run of word characters (``\\w``) except a run that
    follows a word character and one linker (``'``, ``’`` or ``-``): that run continues the
    match before it. So the count is the number of runs minus the linked ones, found on the
    code points of a block of texts joined by newlines (neither word character nor linker).
    Texts that cannot be encoded (lone surrogates) are counted with the regex.
    """
    out = [0] * len(texts)
    table = _word_table()
    for lo in range(0, len(texts), _COUNT_BLOCK):
        pos = [k for k in range(lo, min(lo + _COUNT_BLOCK, len(texts))) if texts[k]]
        parts = [texts[k] for k in pos]
        if not parts:
            continue
        try:
            data = "\n".join(parts).encode("utf-32-le")
        except UnicodeEncodeError:  # lone surrogates: those texts by regex, the others here
            bad = {k for k in pos if not _encodable(texts[k])}
            for k in bad:
                out[k] = count_words(texts[k])
            pos = [k for k in pos if k not in bad]
            parts = [texts[k] for k in pos]
            data = "\n".join(parts).encode("utf-32-le")
        a = np.frombuffer(data, dtype=np.uint32)
        w = table[a]
        start = w.copy()
        start[1:] &= ~w[:-1]
        mid = a[1:-1]
        linked = np.zeros_like(start)
        linked[2:] = start[2:] & ((mid == _LINKERS[0]) | (mid == _LINKERS[1]) | (mid == _LINKERS[2])) & w[:-2]
        firsts = np.concatenate([[0], np.cumsum([len(p) + 1 for p in parts])[:-1]])  # each text's first code point
        for k, c in zip(pos, np.add.reduceat(start & ~linked, firsts, dtype=np.int64).tolist()):
            out[k] = c
    return out


def identify_languages(texts: Sequence[str], max_chars: int = 3000) -> pd.DataFrame:
    """Return ``language`` (ISO 639-1) and ``language_confidence`` for each text.

    The first ``max_chars`` characters of each (stripped) text are classified. Empty texts get
    language ``""`` and confidence 0.
    """
    ident = _identifier()
    langs: list[str] = [""] * len(texts)
    probs: list[float] = [0.0] * len(texts)
    todo = [k for k, t in enumerate(texts) if t and not t.isspace()]
    fast = _batch_ok(ident)
    for lo in range(0, len(todo), _BATCH):
        block = [(k, texts[k].strip()[:max_chars]) for k in todo[lo:lo + _BATCH]]
        if fast:
            results = _classify_batch(ident, [t for _, t in block])
        else:
            results = [ident.classify(t) for _, t in block]
        for (k, _), (lang, p) in zip(block, results):
            langs[k] = str(lang)
            probs[k] = round(float(p), 4)
    return pd.DataFrame({"language": langs, "language_confidence": probs})


@lru_cache(maxsize=1)
def _tables(ident: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The identifier's automaton as numpy arrays (next state, row offset of a state, feature of a
    state) and its feature weights as float32 (the model stores float16; py3langid's matrix
    product converts them to float32 first, exactly)."""
    nextmove = np.asarray(ident.tk_nextmove, dtype=np.int32)
    rowbase = np.asarray(ident._rowbase, dtype=np.int32)
    output = np.asarray(ident.tk_output, dtype=np.int32)
    return nextmove, rowbase, output, np.asarray(ident.nb_ptc, dtype=np.float32)


def _visits(ident: Any, data: list[bytes]) -> list[tuple[np.ndarray, np.ndarray]]:
    """py3langid's ``visit_counts`` for many byte strings: features and their counts, in the order
    the features are first seen (the order of py3langid's ``Counter``).

    All texts walk the automaton together: at step ``p`` every text longer than ``p`` moves on
    by its ``p``-th byte (texts sorted by length, so those are the first ones).
    """
    nextmove, rowbase, output, _ = _tables(ident)
    n = len(data)
    empty = (np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64))
    if n == 0:
        return []
    lens = np.fromiter(map(len, data), dtype=np.int64, count=n)
    order = np.argsort(-lens, kind="stable")
    slens = lens[order]
    width = int(slens[0])
    if width == 0:
        return [empty] * n
    buf = np.frombuffer(b"".join([data[i] for i in order]), dtype=np.uint8)
    steps = np.arange(width)
    byte = np.zeros((width, n), dtype=np.uint8)  # byte[p, r]: p-th byte of the r-th longest text
    byte.T[steps[None, :] < slens[:, None]] = buf
    active = (slens[None, :] > steps[:, None]).sum(axis=1)  # texts still walking at each step
    feats = np.full((width, n), -1, dtype=np.int32)
    state = np.zeros(n, dtype=np.int32)
    for p in range(width):
        k = int(active[p])
        s = nextmove[rowbase[state[:k]] + byte[p, :k]]
        state[:k] = s
        feats[p, :k] = output[s]
    by_text = np.ascontiguousarray(feats.T)
    out: list[tuple[np.ndarray, np.ndarray]] = [empty] * n
    for r in range(n):
        f = by_text[r, :slens[r]]
        f = f[f >= 0]
        if len(f):
            # distinct features in order of first appearance (as in py3langid's Counter), counts
            codes, uniq = pd.factorize(f, sort=False)
            out[order[r]] = (uniq.astype(np.intp), np.bincount(codes))
    return out


def _classify_batch(ident: Any, texts: list[str]) -> list[tuple[str, float]]:
    """``[ident.classify(t) for t in texts]`` with the automaton walk done for all texts at once."""
    data = [ident._encode(t) for t in texts]
    weights = _tables(ident)[3]
    out = []
    for text, (idx, counts) in zip(data, _visits(ident, data)):
        # the rest is py3langid's LanguageIdentifier._sparse_score, _raw_score, _decide and classify
        if len(idx):
            scores = np.log1p(counts.astype(np.float32)) @ weights[idx] + ident.nb_pc
        else:
            scores = np.full(len(ident.nb_classes), 0.0 if ident._norm_probs else float(np.finfo(np.float32).min), dtype=np.float32)
        if ident._norm_probs:
            scores *= 1.0 / math.sqrt(len(text) or 1)
            np.exp(scores - scores.max(), out=scores)
            scores /= scores.sum()
        for i, j in ident._alias_pairs:
            if ident._norm_probs:
                scores[i] += scores[j]
                scores[j] = 0.0
            else:
                scores[i] = max(scores[i], scores[j])
                scores[j] = float(np.finfo(np.float32).min)
        i = int(scores.argmax())
        conf = float(scores[i])
        if ident.min_confidence is not None and conf < ident.min_confidence:
            out.append(("und", conf))
        else:
            out.append((ident.nb_classes[i], conf))
    return out


_SELF_CHECK = (
    "The president said on Tuesday that the talks would go on.",
    "Die Bundesregierung hat am Dienstag neue Regeln beschlossen.",
    "Le gouvernement a annoncé mardi de nouvelles règles.",
    "МОСКВА, 7 февраля. Президент России заявил",
    "SHOUTING HEADLINE IN CAPITALS",
    "12345 67890",
    "a",
    "?!",
)


@lru_cache(maxsize=1)
def _batch_ok(ident: Any) -> bool:
    """True when the batch walk reproduces ``classify`` on sample texts (else ``classify`` is used)."""
    try:
        return _classify_batch(ident, list(_SELF_CHECK)) == [ident.classify(t) for t in _SELF_CHECK]
    except (AttributeError, TypeError, ValueError, IndexError):
        return False
