"""Lost letters, the scanning half: damaged words in a text, corpus counts, the lexicon file.

:mod:`newsscope.clean.letters` decides what each damaged word was; this module finds them
(:func:`find_damaged`), counts accented and damaged words over (blocks of) the corpus
(:class:`LetterCounts`) and reads the lexicon ``data/letters.csv`` (:func:`read_lexicon`).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd

from newsscope import paths

__all__ = ["MAX_SLOTS", "BUNDLE_KEYS", "LetterCounts", "count_letters", "count_bundle", "find_damaged", "read_lexicon",
           "lexicon_path"]

#: Slots per word at most (more damage than that is not restored).
MAX_SLOTS = 3

_SLOT = "\x00"
_RUN = re.compile(r"(?:[^\W\d_]|[\ufffd?])+")
_LETTERS = re.compile(r"[^\W\d_]+")
_URLISH = re.compile(r"/|=|@|www\.|https?:")
_MARK = re.compile(r"[\ufffd?]")
_RUN_CHAR = re.compile(r"[^\W\d_]|[\ufffd?]")
_APOSTROPHE_NAME = re.compile(r"\b[OD]'[A-Z][a-z]+")  # O'Reilly: a lost curly apostrophe, not a letter
_EDGE_BEFORE = frozenset(" \t\n\"'“‘([-/")
_MASKED_MAX = 4  # words with more non-ASCII letters are not indexed


def _latin(ch: str) -> bool:
    """A non-ASCII Latin letter (Latin-1 supplement, Extended-A/B, Extended Additional)."""
    o = ord(ch)
    return ch.isalpha() and (0x80 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF)


def _low(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def lexicon_path() -> Path:
    """``<root>/data/letters.csv``."""
    return paths.data_dir() / "letters.csv"


# --------------------------------------------------------------------------- finding damaged words

@dataclass(frozen=True)
class _Damaged:
    start: int
    end: int
    written: str
    key: str  # lower case, slots as _SLOT
    kinds: tuple[str, ...]  # per slot: "bytes" (two U+FFFD), "inner", "start", "end" (a "?")


def _parse_run(text: str, lo: int, hi: int) -> _Damaged | None:
    run = text[lo:hi]
    chars: list[str] = []
    kinds: list[str] = []
    i = 0
    n = len(run)
    while i < n:
        c = run[i]
        if c == "\ufffd":
            j = i
            while j < n and run[j] == "\ufffd":
                j += 1
            if j - i != 2:
                return None  # one U+FFFD or three: not a lost two-byte letter
            chars.append(_SLOT)
            kinds.append("bytes")
            i = j
        elif c == "?":
            prev_letter = i > 0 and run[i - 1] not in "\ufffd?"
            next_letter = i + 1 < n and run[i + 1] not in "\ufffd?"
            if prev_letter and next_letter:
                if run[i - 1].islower() and run[i + 1].isupper():
                    return None  # "it?Yes": a question mark without its space
                kinds.append("inner")
            elif i == 0 and next_letter and n >= 3 and (lo == 0 or text[lo - 1] in _EDGE_BEFORE):
                kinds.append("start")
            elif i == n - 1 and prev_letter and n >= 3 and (hi == len(text) or text[hi] != "?"):
                kinds.append("end")
            else:
                return None
            chars.append(_SLOT)
            i += 1
        else:
            chars.append(_low(c))
            i += 1
    if not kinds or len(kinds) > MAX_SLOTS or all(ch == _SLOT for ch in chars):
        return None
    return _Damaged(lo, hi, run, "".join(chars), tuple(kinds))


def _run_start(text: str, pos: int) -> int:
    """Where the run of letters, U+FFFD and ``?`` holding ``pos`` starts."""
    while pos > 0 and _RUN_CHAR.match(text, pos - 1):
        pos -= 1
    return pos


def find_damaged(text: str) -> list[_Damaged]:
    """The words of ``text`` that may have lost letters (slots), outside URLs, in text order."""
    if not isinstance(text, str) or ("\ufffd" not in text and "?" not in text):
        return []
    out = []
    end = 0
    for mark in _MARK.finditer(text):  # only the runs around a "?" or U+FFFD are scanned
        if mark.start() < end:
            continue
        m = _RUN.match(text, _run_start(text, mark.start()))
        lo, hi = m.span()
        end = hi
        a = max(text.rfind(" ", 0, lo), text.rfind("\n", 0, lo)) + 1
        b = min([k for k in (text.find(" ", hi), text.find("\n", hi)) if k >= 0] or [len(text)])
        if _URLISH.search(text, a, b):
            continue
        d = _parse_run(text, lo, hi)
        if d is not None and d.kinds[-1] == "end" and len(d.kinds) > 1:  # "G\ufffd\ufffdnd?": a question mark
            d = _parse_run(text, lo, hi - 1)
        if d is not None:
            out.append(d)
    return out


# --------------------------------------------------------------------------- corpus counts

@dataclass
class LetterCounts:
    """What one pass over (a block of) the corpus found; blocks' counts add up (:meth:`merge`).

    Attributes
    ----------
    vocabulary : collections.Counter
        Words with a non-ASCII Latin letter, and names such as ``O'Reilly``, as written.
    damaged : collections.Counter
        Damaged words (:func:`find_damaged`), as written.
    """

    vocabulary: Counter = field(default_factory=Counter)
    damaged: Counter = field(default_factory=Counter)

    def add(self, text: Any) -> None:
        """Count one text."""
        if isinstance(text, str) and "'" in text:
            self.vocabulary.update(_APOSTROPHE_NAME.findall(text))
        if not isinstance(text, str) or text.isascii():
            if isinstance(text, str) and "?" in text:
                self.damaged.update(d.written for d in find_damaged(text))
            return
        for w in _LETTERS.findall(text):
            if not w.isascii() and any(_latin(c) for c in w):
                self.vocabulary[w] += 1
        self.damaged.update(d.written for d in find_damaged(text))

    @staticmethod
    def merge(parts: Iterable["LetterCounts"]) -> "LetterCounts":
        """The sum of blocks' counts (order does not matter)."""
        out = LetterCounts()
        for p in parts:
            out.vocabulary.update(p.vocabulary)
            out.damaged.update(p.damaged)
        return out


def count_letters(texts: Iterable[Any]) -> LetterCounts:
    """Count accented and damaged words in ``texts``."""
    c = LetterCounts()
    for t in texts:
        c.add(t)
    return c


#: The per-article lists of a cleaning bundle that are counted and repaired.
BUNDLE_KEYS = ("texts", "titles", "standfirsts", "captions", "authors")


def count_bundle(b: Mapping[str, list]) -> LetterCounts:
    """:func:`count_letters` over a cleaning bundle's bodies, titles, standfirsts, captions and authors."""
    c = LetterCounts()
    for key in BUNDLE_KEYS:
        for x in b.get(key, []):
            if isinstance(x, list):
                for y in x:
                    c.add(y)
            else:
                c.add(x)
    return c


# --------------------------------------------------------------------------- the lexicon

def read_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Read the lexicon of accented forms (CSV: ``form,language,note``; ``#`` lines are comments).

    Raises
    ------
    ValueError
        On a malformed file, naming the file and line: a missing ``form`` column, an empty form,
        a form without any non-ASCII letter or with U+FFFD or ``?``, a language code that is not
        2-3 lower-case letters.
    """
    p = Path(path) if path is not None else lexicon_path()
    rows = []
    with open(p, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = None
        for line_no, rec in enumerate(reader, start=1):
            if not rec or not "".join(rec).strip() or rec[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [h.strip().lower() for h in rec]
                if "form" not in header:
                    raise ValueError(f"{p}: line {line_no}: the header needs columns form[,language,note] "
                                     f"(found {', '.join(header) or 'none'})")
                continue
            if len(rec) > len(header):
                raise ValueError(f"{p}: line {line_no}: {len(rec)} fields for {len(header)} columns "
                                 "(quote a note that contains a comma)")
            row = dict(zip(header, (x.strip() for x in rec)))
            form, lang = row.get("form", ""), row.get("language", "")
            if not form:
                raise ValueError(f"{p}: line {line_no}: field 'form' is empty")
            if "\ufffd" in form or "?" in form:
                raise ValueError(f"{p}: line {line_no}: form {form!r} contains U+FFFD or '?': write the restored spelling")
            if not any(_latin(c) for c in form):
                raise ValueError(f"{p}: line {line_no}: form {form!r} has no non-ASCII letter: nothing to restore")
            if lang and not re.fullmatch(r"[a-z]{2,3}", lang):
                raise ValueError(f"{p}: line {line_no}: field 'language' is {lang!r}; expected a code like ga or de, or nothing")
            rows.append((form, lang, row.get("note", ""), line_no))
    return pd.DataFrame(rows, columns=["form", "language", "note", "line"])


# --------------------------------------------------------------------------- candidates

def _masks(word: str) -> Iterable[str]:
    """Lower-case ``word`` with each non-empty subset of its non-ASCII letters replaced by slots."""
    low = "".join(_low(c) for c in word)
    pos = [i for i, c in enumerate(low) if _latin(c)]
    if not pos or len(pos) > _MASKED_MAX or len(low) != len(word):
        return
    for k in range(1, len(pos) + 1):
        for sub in combinations(pos, k):
            chars = list(low)
            for i in sub:
                chars[i] = _SLOT
            yield "".join(chars)
