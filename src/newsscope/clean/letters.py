"""Lost letters: restore accented letters that a lossy re-encoding turned into U+FFFD or ``?``.

In several outlets of the built-in corpus a non-ASCII letter was lost on the way: RTE's Irish
names came as two U+FFFD characters (the letter's two UTF-8 bytes: ``D\ufffd\ufffdil``,
``garda\ufffd\ufffd``) or as ``?`` (``RT?``, ``Bus ?ireann``); DW's German ones as ``?``
(``M?nchengladbach``, ``Sch?uble``). A lost letter is restored only when the evidence is clear:

1. **the corpus**: the same word written correctly elsewhere (other outlets write ``Dáil``,
   ``Düsseldorf``); the accented word forms of all articles are counted first
   (:func:`count_letters`, in blocks, counts summed), like the glued-hyphen model; also names
   such as ``O'Reilly``, whose curly apostrophe was lost the same way (``O\ufffd\ufffdReilly``);
2. **the lexicon** ``data/letters.csv`` (form, language, note): names no other source has
   (``Gardaí``, ``Iarnród Éireann``, ``RTÉ``); edit it like ``data/actors.csv``;
3. **wordfreq** word lists of the likely languages (:data:`LANGUAGES`).

A damaged word is a pattern: each *slot* (two U+FFFD, or one ``?``) is exactly one non-ASCII
letter (for two U+FFFD: a letter of two UTF-8 bytes, U+0080 to U+07FF); the other letters must
match (case aside). The sources are asked in that order (corpus, lexicon, then wordfreq: the
corpus language, the major languages of :data:`LANGUAGES`, the others); the first with any
candidate decides: its best candidate is taken when it is the only one or at least
:data:`DOMINANCE` (10) times as frequent as the next (corpus: occurrences, at least
:data:`MIN_CORPUS`; wordfreq: the word's frequency in its most frequent language of the tier;
lexicon: entries count once, so two entries that fit are a tie). A tie is passed on: later
sources may decide among the tied candidates only (``Bj?rn``: English lists have ``björn`` and
``bjørn``, German ones only ``björn``). Otherwise the word stays as it is and the article gets a
warning (``lost letter not restored: ...``): nothing is guessed. Words shorter than
:data:`MIN_LENGTH` characters (pinyin syllables, Irish ``N\ufffd\ufffd``) are restored from the
lexicon only.

A ``?`` is often a real question mark. Inside a word (``Sch?uble``) it is a slot, unless a
capital follows a small letter (``it?Yes``). At a word's start or end (``?ireann``, ``RT?``) it
is restored from the corpus or the lexicon only, never from word lists (``Jone?`` may end a
question), and from the lexicon only when the rest is a common word of the corpus language
(Zipf frequency at least :data:`EDGE_MAX_ZIPF`: ``RT``; the lexicon entry ``RTÉ`` is trusted
there, so a question ending in "RT?" would become "RTÉ"). Two U+FFFD before a common word are the
debris of an opening quote (``\ufffd\ufffdnot``), not a letter. Words inside URLs
(``html?ref=``) are never touched; an unrestored ``?`` at a word's edge is not warned about.

Casing follows the damaged word: its own letters are kept as written; a restored letter is a
capital in an all-capitals word (``GARDA\ufffd\ufffd`` -> ``GARDAÍ``) or between two capitals
(``F?S`` -> ``FÁS``), at a word's start as the evidence writes it (``?ireann`` -> ``Éireann``),
else lower case.

Which damaged forms a text has, and what each becomes, depends only on the corpus-wide counts, so
the repair runs per article on any block of rows (:mod:`newsscope.clean.phases`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

# the scanning half (damaged words, corpus counts, the lexicon file), re-exported here
from newsscope.clean.letter_scan import (BUNDLE_KEYS, MAX_SLOTS, LetterCounts, _latin, _LETTERS, _low, _masks, _parse_run,
                                         _SLOT, count_bundle, count_letters, find_damaged, lexicon_path, read_lexicon)

__all__ = ["RULE", "LANGUAGES", "DOMINANCE", "MIN_CORPUS", "MIN_LENGTH", "EDGE_MAX_ZIPF", "MAX_SLOTS", "BUNDLE_KEYS",
           "LetterCounts", "LostLetterModel", "count_letters", "count_bundle", "read_lexicon", "lexicon_path", "find_damaged"]

#: The repair rule's name (``repairs`` column, repair table).
RULE = "lost_letter"
#: wordfreq languages searched for candidates, in tiers: the corpus language first (set by the
#: model), then the major languages of European news, then more; a later tier is asked only when
#: the earlier ones have no candidate (``M\ufffd\ufffdller``: German ``müller``, not Danish ``møller``).
LANGUAGES: tuple[tuple[str, ...], ...] = (("de", "fr", "es", "pt", "it"),
                                          ("nl", "pl", "tr", "sv", "da", "nb", "fi", "cs", "hu", "ro", "ca"))
#: Corpus evidence counts from this many occurrences of the accented form.
MIN_CORPUS = 2
#: Corpus and word-list evidence only for damaged words of at least this many characters; shorter
#: ones (pinyin syllables ``r\ufffd\ufffdn``, Irish ``N\ufffd\ufffd``) fit too many words and are
#: restored from the lexicon only.
MIN_LENGTH = 4
#: The best candidate must be this many times as frequent as the next one.
DOMINANCE = 10.0
#: A ``?`` at a word's start or end is a lost letter only if the rest is rarer than this (Zipf).
EDGE_MAX_ZIPF = 2.5
def _fits(candidate: str, key: str, kinds: tuple[str, ...]) -> bool:
    """Each slot of ``key`` holds one non-ASCII Latin letter in ``candidate`` (two-byte for U+FFFD slots)."""
    k = 0
    for c, ch in zip(candidate, key):
        if ch == _SLOT:
            if not _latin(c) or (kinds[k] == "bytes" and ord(c) > 0x7FF):
                return False
            k += 1
    return True


@lru_cache(maxsize=None)
def _accented_words(lang: str) -> tuple[tuple[str, float], ...]:
    """wordfreq's words of ``lang`` with a non-ASCII Latin letter, with their frequencies.

    Cached on disk (``data/processed/letters``; the word lists are fixed for a wordfreq version).
    """
    from importlib.metadata import version

    from newsscope import cache

    def compute() -> tuple[tuple[str, float], ...]:
        import wordfreq

        return tuple((w, f) for w, f in wordfreq.get_frequency_dict(lang).items()
                     if not w.isascii() and any(_latin(c) for c in w))

    return cache.cached_pickle("letters", {"wordfreq": version("wordfreq"), "language": lang}, compute)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _wordfreq_candidates(keys: set[str], languages: Iterable[str]) -> dict[str, dict[str, dict[str, float]]]:
    """For each key, the wordfreq words that fit it: ``{key: {language: {word: frequency}}}``.

    A word can fit a key only if both agree once every non-ASCII character is a slot, so the
    word lists are matched on that projection (a dictionary look-up per word).
    """
    out: dict[str, dict[str, dict[str, float]]] = {}
    by_projection: dict[str, list[str]] = {}
    for k in keys:
        if len(k) >= MIN_LENGTH:
            by_projection.setdefault(_NON_ASCII.sub(_SLOT, k), []).append(k)
    if not by_projection:
        return out
    lengths = {len(k) for k in by_projection}
    for lang in languages:
        for w, f in _accented_words(lang):
            if len(w) not in lengths:
                continue
            ks = by_projection.get(_NON_ASCII.sub(_SLOT, w))
            for k in ks or ():
                if all(a == b or (a == _SLOT and _latin(b)) for a, b in zip(k, w)):
                    out.setdefault(k, {}).setdefault(lang, {})[w] = f
    return out


def _zipf(word: str, lang: str) -> float:
    import wordfreq

    return wordfreq.zipf_frequency(word, lang)


def _pick(scores: Mapping[str, float], dominance: float) -> str | None:
    """The best candidate if unique or ``dominance`` times ahead of the next; else None."""
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) == 1 or ranked[0][1] >= dominance * ranked[1][1]:
        return ranked[0][0]
    return None


# --------------------------------------------------------------------------- the model

class LostLetterModel:
    """Decide, from corpus, lexicon and word-list evidence, which lost letter each damaged word had.

    Parameters
    ----------
    languages : tuple of tuple of str
        wordfreq languages searched for candidates after ``text_language``, in tiers
        (:data:`LANGUAGES`).
    dominance : float
        How many times as frequent as the next candidate the chosen one must be.
    lexicon : str, Path or None
        The lexicon CSV (default ``data/letters.csv``; a missing default file is an empty lexicon).
    text_language : str
        The corpus's language: a ``?`` at a word's edge is kept when the rest is a common word of it.

    Attributes
    ----------
    decisions_ : pandas.DataFrame
        One row per damaged form (lower case): ``damaged`` (most frequent spelling),
        ``occurrences``, ``restored`` (empty when not restored), ``evidence`` (``corpus``,
        ``lexicon``, ``wordfreq``, ``ambiguous``, ``none``, ``punctuation``: an edge ``?``
        left as punctuation), ``candidates`` (the source's candidates with counts or Zipf
        frequencies), ``warn`` (unrestored and certainly damaged).
    """

    def __init__(self, languages: tuple[tuple[str, ...], ...] = LANGUAGES, dominance: float = DOMINANCE,
                 lexicon: str | Path | None = None, text_language: str = "en") -> None:
        self.languages = tuple(tuple(g) for g in languages)
        self.dominance = dominance
        self.lexicon = lexicon
        self.text_language = text_language

    # -- fitting
    def fit(self, texts: Iterable[Any]) -> "LostLetterModel":
        """Count ``texts`` (:func:`count_letters`) and decide every damaged form found."""
        return self.fit_counts(count_letters(texts))

    def fit_counts(self, counts: LetterCounts) -> "LostLetterModel":
        """Decide every damaged form of ``counts`` (the corpus's merged :class:`LetterCounts`)."""
        path = Path(self.lexicon) if self.lexicon is not None else lexicon_path()
        if self.lexicon is not None or path.is_file():
            lex = read_lexicon(path)
        else:
            lex = pd.DataFrame(columns=["form", "language", "note", "line"])
        # corpus vocabulary: lower-case counts and the most frequent spelling
        vocab: Counter = Counter()
        spelled: dict[str, Counter] = {}
        for w, c in counts.vocabulary.items():
            low = "".join(_low(ch) for ch in w)
            vocab[low] += c
            spelled.setdefault(low, Counter())[w] += c
        self._corpus_index = self._index(vocab)
        self._corpus_counts = dict(vocab)
        self._spelling = {low: min(sp, key=lambda s: (-sp[s], s)) for low, sp in spelled.items()}
        lex_words: dict[str, str] = {}
        for form in lex["form"]:
            for w in _LETTERS.findall(form):
                if any(_latin(c) for c in w):
                    lex_words.setdefault("".join(_low(ch) for ch in w), w)
        self._lexicon_index = self._index(Counter(lex_words))
        self._lexicon_spelling = lex_words
        # damaged forms, grouped by key
        by_key: dict[tuple[str, tuple[str, ...]], Counter] = {}
        for w, c in counts.damaged.items():
            d = _parse_run(w, 0, len(w))
            if d is not None:
                by_key.setdefault((d.key, d.kinds), Counter())[w] += c
        needed = {k for k, _ in by_key}
        found = _wordfreq_candidates(needed, self._all_languages())
        self._wordfreq = {k: found.get(k, {}) for k in needed}
        self._decisions: dict[tuple[str, tuple[str, ...]], tuple[str | None, str, bool]] = {}
        rows = []
        for (key, kinds) in sorted(by_key):
            restored, evidence, cands, warn = self._resolve(key, kinds)
            self._decisions[(key, kinds)] = (restored, evidence, warn)
            if evidence == "punctuation":
                continue
            forms = by_key[(key, kinds)]
            top = min(forms, key=lambda s: (-forms[s], s))
            rows.append((top, int(sum(forms.values())), self._apply_case(top, restored, kinds) if restored else "",
                         evidence, cands, warn))
        self.decisions_ = pd.DataFrame(rows, columns=["damaged", "occurrences", "restored", "evidence", "candidates", "warn"]) \
            .sort_values(["occurrences", "damaged"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
        return self

    @staticmethod
    def _index(words: Mapping[str, Any]) -> dict[str, list[str]]:
        idx: dict[str, list[str]] = {}
        for w in sorted(words):
            for m in _masks(w):
                idx.setdefault(m, []).append(w)
        return idx

    def _all_languages(self) -> list[str]:
        return list(dict.fromkeys([self.text_language, *(lang for g in self.languages for lang in g)]))

    def _resolve(self, key: str, kinds: tuple[str, ...]) -> tuple[str | None, str, str, bool]:
        """(restored lower-case word or None, evidence, candidates shown, warn)."""
        stem = key.replace(_SLOT, "")
        # a "?" at an edge, or U+FFFD before a common word (debris of an opening quote: "\ufffd\ufffdnot"),
        # is restored only from the lexicon
        edge_q = any(k in ("start", "end") for k in kinds)
        quote_debris = kinds[0] == "bytes" and key.startswith(_SLOT)
        trusted_only = (edge_q or quote_debris) and _zipf(stem, self.text_language) >= EDGE_MAX_ZIPF
        certain = ("bytes" in kinds and not trusted_only) or ("inner" in kinds and self._inner_lower(key))
        if kinds == ("bytes",) and key[0] in "od" and key[1] == _SLOT:  # "O\ufffd\ufffdReilly": an apostrophe
            name = key[0] + "'" + key[2:]
            if self._corpus_counts.get(name, 0) >= MIN_CORPUS:
                return name, "corpus", f"{name} ({self._corpus_counts[name]})", False
        corpus = {w: float(self._corpus_counts[w]) for w in self._corpus_index.get(key, [])
                  if self._corpus_counts[w] >= MIN_CORPUS and _fits(w, key, kinds)}
        lexicon = {w: 1.0 for w in self._lexicon_index.get(key, []) if _fits(w, key, kinds)}
        if key not in self._wordfreq:  # a form not seen when fitting
            self._wordfreq[key] = _wordfreq_candidates({key}, self._all_languages()).get(key, {})
        by_lang = self._wordfreq[key]
        tiers: list[tuple[str, dict[str, float]]] = [("lexicon", lexicon)]
        if not trusted_only and len(key) >= MIN_LENGTH:
            tiers.insert(0, ("corpus", corpus))
        if not trusted_only and len(key) >= MIN_LENGTH and not edge_q:
            for group in ((self.text_language,), *self.languages):
                scores: dict[str, float] = {}
                for lang in group:
                    for w, f in by_lang.get(lang, {}).items():
                        if _fits(w, key, kinds) and f > scores.get(w, 0.0):
                            scores[w] = f
                tiers.append(("wordfreq", scores))
        tied: set[str] | None = None  # the candidates an earlier source could not tell apart
        shown_first = ""
        for name, scores in tiers:
            if tied is not None:
                scores = {w: v for w, v in scores.items() if w in tied}
            if not scores:
                continue
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = "; ".join(f"{w} ({self._fmt(name, v)})" for w, v in ranked[:5])
            best = _pick(scores, self.dominance)
            if best is not None:
                return best, name, (shown_first + " -> " if shown_first else "") + shown, False
            if tied is None:
                shown_first = shown
            tied = {w for w, v in ranked if v * self.dominance > ranked[0][1]}
        if tied is not None:
            return None, "ambiguous", shown_first, True
        if not certain:
            return None, "punctuation", "", False
        return None, "none", "", True

    @staticmethod
    def _fmt(name: str, s: float) -> str:
        if name == "wordfreq":
            import wordfreq

            return f"zipf {wordfreq.freq_to_zipf(s):.1f}"
        return f"{int(s)}" if name == "corpus" else "listed"

    @staticmethod
    def _inner_lower(key: str) -> bool:
        """An inner ``?`` followed by a lower-case letter (``Sch?uble``; ``it?Yes`` may be a question)."""
        return bool(re.search(f"{_SLOT}[^\\W\\d_]", key))

    def _display(self, low: str) -> str | None:
        return self._spelling.get(low) or self._lexicon_spelling.get(low)

    def _apply_case(self, written: str, restored: str, kinds: tuple[str, ...]) -> str:
        """``restored`` (lower case) spelt like the damaged ``written``."""
        letters = [c for c in written if c.isalpha()]
        all_caps = len(letters) >= 2 and all(c.isupper() for c in letters)
        display = self._display(restored)
        out: list[str] = []
        wi = 0  # position in written
        for j, c in enumerate(restored):
            ch = written[wi]
            if ch not in "\ufffd?":
                out.append(ch)
                wi += 1
                continue
            wi += 2 if ch == "\ufffd" else 1
            nxt = written[wi:wi + 1]
            if all_caps or (out and out[-1].isupper() and nxt.isupper()):
                c = c.upper()
            elif j == 0:
                c = display[0] if display else c.upper()
            out.append(c)
        return "".join(out)

    # -- repairing
    def repair(self, text: Any) -> tuple[Any, int, list[str]]:
        """Restore the lost letters of one text.

        Returns
        -------
        (str, int, list of str)
            The text, the number of words restored, and the damaged words left as they are
            (unique candidates missing: for the article's warnings).
        """
        found = find_damaged(text)
        if not found:
            return text, 0, []
        parts = []
        last = 0
        n = 0
        left: list[str] = []
        for d in found:
            dec = self._decisions.get((d.key, d.kinds))
            if dec is None:
                restored, evidence, _, warn = self._resolve(d.key, d.kinds)
                dec = self._decisions[(d.key, d.kinds)] = (restored, evidence, warn)
            restored, _, warn = dec
            if restored is None:
                if warn:
                    left.append(d.written)
                continue
            parts.append(text[last:d.start])
            parts.append(self._apply_case(d.written, restored, d.kinds))
            last = d.end
            n += 1
        parts.append(text[last:])
        return "".join(parts), n, left

    def summary(self) -> pd.DataFrame:
        """Occurrences and forms by evidence (``restored`` rows first)."""
        d = self.decisions_
        g = d.groupby("evidence").agg(forms=("damaged", "size"), occurrences=("occurrences", "sum"))
        order = ["corpus", "lexicon", "wordfreq", "ambiguous", "none", "punctuation"]
        return g.reindex([e for e in order if e in g.index]).reset_index()
