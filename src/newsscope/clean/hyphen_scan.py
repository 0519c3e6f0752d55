"""Scanning text for the glued-hyphen model: hyphen chains, URLs and spaced word pairs.

The model (:mod:`newsscope.clean.hyphens`) reads every text of the corpus several times: for
hyphenated chains (``al-Assad``, ``face-to-face``), for the URLs and e-mail addresses masked
before that, and for the same word pairs written with a space (``said the``). These are the
fast versions of those scans; each returns exactly what the plain regex scan or word loop
returns (``tests/test_clean_fastpaths.py`` compares them):

- the regexes run only on the pieces of text between spaces and newlines that can hold a
  match (a hyphen; ``@``, ``http`` or ``www.``), not over every position;
- spaced pairs are counted per block of texts with Arrow string kernels (split, alphanumeric
  test, set membership), with a numpy fallback where Arrow cannot take a block.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["scan_chains"]

# a chain of word characters joined by hyphens; URLs and e-mail addresses are masked first
# (possessive: giving back characters can never make it match, so it gives up sooner)
_CHAIN = re.compile(r"(?<![\w\-/@.])[^\W_]++(?:-[^\W_]++)+(?![\w\-/@])")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")


_URL_NO_EMAIL = re.compile(r"(?:https?://|www\.)\S+")  # ``_URL`` on texts without "@"


def _url_pattern(text: str) -> re.Pattern | None:
    """The pattern that finds ``_URL``'s matches in ``text`` fastest, or None if there are none.

    The e-mail branch of ``_URL`` needs an ``@`` and is slow (it is tried at every position);
    the URL branch needs ``http`` or ``www.``.
    """
    if "@" in text:
        return _URL
    if "http" in text or "www." in text:
        return _URL_NO_EMAIL
    return None


def _piece_bounds(text: str, p: int) -> tuple[int, int]:
    """The space- or newline-delimited piece of ``text`` around position ``p``: ``(start, end)``."""
    a = text.rfind(" ", 0, p) + 1
    nl = text.rfind("\n", a, p)
    if nl >= 0:
        a = nl + 1
    b = text.find(" ", p)
    if b < 0:
        b = len(text)
    nl = text.find("\n", p, b)
    if nl >= 0:
        b = nl
    return a, b


def _url_matches(text: str) -> list[re.Match]:
    """The matches of ``_URL.finditer(text)``, found faster.

    A match holds no space or newline and ``_URL`` looks at nothing around it, so the pattern
    is run only on the pieces between spaces and newlines that contain ``@``, ``http`` or
    ``www.`` (the only places a match can start); the e-mail branch, which is slow (tried at
    every position), is left out where there is no ``@``.
    """
    rx = _url_pattern(text)
    if rx is None:
        return []
    out: list[re.Match] = []
    find = text.find
    n = len(text)
    marks = sorted(p for p in (find("@"), find("http"), find("www.")) if p >= 0)
    p = marks[0]
    while p >= 0:
        a, b = _piece_bounds(text, p)
        out.extend(rx.finditer(text, a, b))
        if b >= n:
            break
        nxt = [q for q in (find("@", b), find("http", b), find("www.", b)) if q >= 0]
        p = min(nxt) if nxt else -1
    return out


def _mask_urls(text: str) -> str:
    """``_URL.sub(" ", text)``."""
    matches = _url_matches(text)
    if not matches:
        return text
    pieces = []
    last = 0
    for m in matches:
        pieces.append(text[last:m.start()])
        pieces.append(" ")
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _chain_matches(text: str) -> Iterator[re.Match]:
    """The matches of ``_CHAIN.finditer(text)``, found faster.

    A chain holds a hyphen and no space or newline, and neither a space nor a newline is a
    character ``_CHAIN``'s look-behind or look-ahead tests for, so the regex is run only on the
    space- or newline-delimited pieces of ``text`` that contain a hyphen (``pos``/``endpos``
    bounds, the same matches in the same order).
    """
    find = text.find
    n = len(text)
    p = find("-")
    while p >= 0:
        a, b = _piece_bounds(text, p)
        yield from _CHAIN.finditer(text, a, b)
        if b >= n:
            break
        p = find("-", b)


def _sub_chains(text: str, fix: Callable[[re.Match], str]) -> str:
    """``_CHAIN.sub(fix, text)`` (see :func:`_chain_matches`)."""
    out: list[str] = []
    last = 0
    for m in _chain_matches(text):
        out.append(text[last:m.start()])
        out.append(fix(m))
        last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def scan_chains(texts: Sequence[str]) -> tuple[list[list[str]], Counter]:
    """The hyphen chains of each text as written (URLs and e-mail addresses masked), and the
    counts of the lower-cased chains of three or more parts (the model's first pass)."""
    chains: Counter = Counter()
    found: list[list[str]] = []
    for text in texts:
        text = _mask_urls(text)
        if "-" not in text:
            found.append([])
            continue
        as_written = [m.group(0) for m in _chain_matches(text)]
        found.append(as_written)
        # in ASCII text the chains of the lower-cased text are the lower-cased chains
        lowered = [c.lower() for c in as_written] if text.isascii() else [m.group(0) for m in _chain_matches(text.lower())]
        chains.update(c for c in lowered if c.count("-") >= 2)
    return found, chains


_SPACED_CHUNK = 2000  # texts per block when counting spaced pairs


def _pair_keys(ha: np.ndarray, hb: np.ndarray) -> np.ndarray:
    """One 64-bit key per word pair from the words' hashes (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        return ha.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + (hb.astype(np.uint64) ^ np.uint64(0xC2B2AE3D27D4EB4F))


def _prepare_spaced(wanted: set[tuple[str, str]], fw: frozenset[str]) -> tuple[dict[str, tuple[str, str]], Any]:
    """The wanted pairs as ``"a b"`` strings and the Arrow value sets of :func:`_count_spaced`
    (prepared once when the texts are counted in several blocks)."""
    joined = {f"{a} {b}": (a, b) for a, b in wanted}  # words never contain a space
    return joined, _arrow_sets(sorted(joined), sorted(fw))


def _count_spaced(masked: Sequence[str], groups: Sequence[str], wanted: set[tuple[str, str]],
                  fw: frozenset[str], prepared: tuple[dict[str, tuple[str, str]], Any] | None = None
                  ) -> tuple[dict[tuple[str, str], Counter], Counter]:
    """Count adjacent word pairs separated by one space, no punctuation between (``said the``).

    Words are ``text.lower().split(" ")`` (texts are lower-cased block by block); a pair counts when both words are alphanumeric
    (``str.isalnum``). Returns the counts per group of the ``wanted`` pairs, and per group the
    number of pairs with a word in ``fw``. Texts are processed in blocks with Arrow string
    kernels (:func:`_spaced_block_arrow`), or with numpy word flags where Arrow cannot take a
    block (:func:`_spaced_block_numpy`); both count exactly the same. ``prepared``:
    :func:`_prepare_spaced`'s result, if already made.
    """
    spaced: dict[tuple[str, str], Counter] = defaultdict(Counter)
    fw_spaced: Counter = Counter()
    joined, arrow = prepared if prepared is not None else _prepare_spaced(wanted, fw)
    keys = None
    for lo in range(0, len(masked), _SPACED_CHUNK):
        block = [t.lower() for t in masked[lo:lo + _SPACED_CHUNK]]
        block_groups = groups[lo:lo + _SPACED_CHUNK]
        found = _spaced_block_arrow(block, *arrow) if arrow is not None else None
        if found is None:
            if keys is None:
                keys = _wanted_keys(wanted)
            found = _spaced_block_numpy(block, wanted, fw, keys)
        per_doc, members = found
        for g, c in zip(block_groups, per_doc.tolist()):
            fw_spaced[g] += c
        for (i, pair), c in Counter(members).items():
            spaced[joined[pair]][block_groups[i]] += c
    return spaced, fw_spaced


def _arrow_sets(joined: list[str], fw: list[str]) -> tuple[Any, Any] | None:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow comes with pandas here
        return None
    return pa.array(joined, type=pa.string()), pa.array(fw, type=pa.string())


def _spaced_block_arrow(block: Sequence[str], joined: Any, fw: Any) -> tuple[np.ndarray, list[tuple[int, str]]] | None:
    """Per text, the number of alphanumeric pairs with a function word, and the wanted pairs
    found (text position in the block, ``"a b"``); None if Arrow cannot take the texts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        lists = pc.split_pattern(pa.array(block, type=pa.string()), " ")
    except (pa.ArrowException, UnicodeError):  # e.g. lone surrogates
        return None
    flat = lists.flatten()
    n_words = len(flat)
    lengths = np.diff(lists.offsets.to_numpy())
    if n_words < 2:
        return np.zeros(len(block), dtype=np.int64), []
    # str.isalnum: Arrow's ASCII test, and Python's own for the few non-ASCII words
    alnum = pc.ascii_is_alnum(flat).to_numpy(zero_copy_only=False).copy()
    other = np.flatnonzero(~pc.string_is_ascii(flat).to_numpy(zero_copy_only=False))
    if len(other):
        alnum[other] = [w.isalnum() for w in flat.take(pa.array(other)).to_pylist()]
    pair_ok = alnum[:-1] & alnum[1:]
    last = np.cumsum(lengths) - 1  # a text's last word pairs with nothing
    pair_ok[last[last < n_words - 1]] = False
    doc = np.repeat(np.arange(len(block)), lengths)[:-1]
    isfw = pc.is_in(flat, value_set=fw).to_numpy(zero_copy_only=False)
    per_doc = np.bincount(doc[pair_ok & (isfw[:-1] | isfw[1:])], minlength=len(block))
    pairs = pc.binary_join_element_wise(flat.slice(0, n_words - 1), flat.slice(1), " ")
    idx = np.flatnonzero(pair_ok & pc.is_in(pairs, value_set=joined).to_numpy(zero_copy_only=False))
    if not len(idx):
        return per_doc, []
    return per_doc, list(zip(doc[idx].tolist(), pairs.take(pa.array(idx)).to_pylist()))


def _wanted_keys(wanted: set[tuple[str, str]]) -> np.ndarray:
    """Sorted pair keys (:func:`_pair_keys`) of the wanted pairs."""
    return np.unique(_pair_keys(np.fromiter((hash(a) for a, _ in wanted), dtype=np.int64, count=len(wanted)),
                                np.fromiter((hash(b) for _, b in wanted), dtype=np.int64, count=len(wanted))))


def _spaced_block_numpy(block: Sequence[str], wanted: set[tuple[str, str]], fw: frozenset[str],
                        wanted_keys: np.ndarray) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """:func:`_spaced_block_arrow` with Python word flags: positions whose pair key (from the
    words' hashes) is no wanted pair's are skipped, the others are checked exactly."""
    words: list[str] = []
    lengths = np.zeros(len(block), dtype=np.int64)
    for i, text in enumerate(block):
        w = text.split(" ")
        lengths[i] = len(w)
        words.extend(w)
    n_words = len(words)
    if n_words < 2:
        return np.zeros(len(block), dtype=np.int64), []
    alnum = np.fromiter(map(str.isalnum, words), dtype=bool, count=n_words)
    pair_ok = alnum[:-1] & alnum[1:]
    last = np.cumsum(lengths) - 1  # a text's last word pairs with nothing
    pair_ok[last[last < n_words - 1]] = False
    doc = np.repeat(np.arange(len(block)), lengths)[:-1]
    isfw = np.fromiter(map(fw.__contains__, words), dtype=bool, count=n_words)
    per_doc = np.bincount(doc[pair_ok & (isfw[:-1] | isfw[1:])], minlength=len(block))
    hashes = np.fromiter(map(hash, words), dtype=np.int64, count=n_words)
    keys = _pair_keys(hashes[:-1], hashes[1:])
    pos = np.minimum(np.searchsorted(wanted_keys, keys), max(len(wanted_keys) - 1, 0))
    cand = pair_ok & (wanted_keys[pos] == keys) if len(wanted_keys) else np.zeros(n_words - 1, dtype=bool)
    idx = np.flatnonzero(cand)
    arr = np.array(words, dtype=object)
    return per_doc, [(i, f"{a} {b}") for i, a, b in zip(doc[idx].tolist(), arr[idx].tolist(), arr[idx + 1].tolist())
                     if (a, b) in wanted]
