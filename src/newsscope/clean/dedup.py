"""Duplicates: exact (after normalisation) and near-duplicates (MinHash + LSH), vectorised in numpy.

Near-duplicates are found in three steps, all on word 3-gram *shingles*:

1. **Signatures** by one-permutation MinHash: every shingle is hashed once (CRC-32 of each word,
   mixed into a 64-bit shingle hash); the hash picks one of ``num_perm`` buckets and the bucket
   keeps its smallest value. Empty buckets of short texts borrow from the next filled bucket
   (rotation densification), so all signatures are comparable. Cost: one pass over the shingles.
2. **Candidates** by locality-sensitive hashing: the signature is cut into ``bands`` bands of
   ``num_perm / bands`` rows; documents that agree on a whole band share a bucket. With 16 x 4
   a pair with Jaccard 0.65 becomes a candidate with probability 0.96, one with 0.3 with 0.12.
3. **Verification**: the exact Jaccard similarity of the candidates' shingle sets decides.

Clusters are built greedily: articles are visited best first (see ``priority``); an article not
yet assigned becomes canonical and takes every unassigned article similar to it. Every duplicate
is therefore directly similar to its canonical article (no chaining through intermediates).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["normalize_for_dedup", "exact_duplicate_groups", "exact_keys", "groups_from_keys", "shingle_sets",
           "fingerprint_texts", "update_shingles", "replace_shingles", "minhash_signatures",
           "lsh_candidates", "estimate_jaccard", "jaccard_pairs", "near_duplicate_pairs", "preview_pairs", "cluster_greedy"]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_PRIMES = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x85EBCA77C2B2AE63, 0xD6E8FEB86659FD93], dtype=np.uint64)
_EMPTY = np.uint32(0xFFFFFFFF)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 arrays (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _M1
        x = x ^ (x >> np.uint64(27))
        x = x * _M2
        x = x ^ (x >> np.uint64(31))
    return x


# bytes-level tokenisation: ASCII punctuation and common Unicode punctuation become spaces, so
# ``text.lower().encode().translate(...).split()`` yields the words fast (C speed throughout)
_PUNCT_BYTES = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))
_BYTE_TABLE = bytes.maketrans(_PUNCT_BYTES, b" " * len(_PUNCT_BYTES))
_UNICODE_PUNCT = ("\u2014", "\u2013", "\u201c", "\u201d", "\u2018", "\u2019", "\u2026", "\u00a0", "\u00ab", "\u00bb", "\ufffd")


def tokenize_bytes(text: str) -> list[bytes]:
    """Lower-cased words of ``text`` as UTF-8 bytes (punctuation, ASCII or common Unicode, splits)."""
    t = (text or "").lower()
    for ch in _UNICODE_PUNCT:
        if ch in t:
            t = t.replace(ch, " ")
    return t.encode("utf-8", "surrogatepass").translate(_BYTE_TABLE).split()


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """Sorted unique values (sort + diff; faster than hash-based ``np.unique`` for large arrays)."""
    if len(a) == 0:
        return a
    a = np.sort(a, kind="stable")
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def normalize_for_dedup(text: str) -> str:
    """Lower-case words joined by single spaces: what exact duplicates have in common."""
    return b" ".join(tokenize_bytes(text)).decode("utf-8", "surrogatepass")


def exact_duplicate_groups(texts: Sequence[str]) -> np.ndarray:
    """Return a group number per text; equal numbers mean equal normalised texts (-1: empty).

    Texts are equal when their lower-cased words are (punctuation and spacing are ignored);
    each is reduced to a 64-bit BLAKE2 digest of its words.
    """
    return groups_from_keys(exact_keys(texts))


def _exact_key(words: list[bytes]) -> bytes:
    return hashlib.blake2b(b" ".join(words), digest_size=8).digest() if words else b""


def exact_keys(texts: Sequence[str]) -> list[bytes]:
    """The digest of each text's words that :func:`exact_duplicate_groups` compares (b"": no words)."""
    return [_exact_key(tokenize_bytes(t)) for t in texts]


def groups_from_keys(keys: Sequence[bytes]) -> np.ndarray:
    """:func:`exact_duplicate_groups` from the texts' :func:`exact_keys`."""
    keys = list(keys)
    codes, _ = pd.factorize(pd.Series(keys, dtype="object"), sort=False)
    codes = np.asarray(codes).copy()
    codes[np.array([k == b"" for k in keys], dtype=bool)] = -1
    return codes


def shingle_sets(texts: Sequence[str], k: int = 3, chunk: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    """Hash the word ``k``-gram shingles of every text.

    Words (:func:`tokenize_bytes`) are hashed with CRC-32 (deterministic across machines and
    runs), mixed into 64-bit shingle hashes of which 32 bits are kept. Texts are processed in
    chunks of ``chunk`` so memory stays bounded on large corpora.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``values`` (uint32 shingle hashes, sorted and unique within each document, documents in
        order) and ``offsets`` (length ``n + 1``): document ``i`` owns
        ``values[offsets[i]:offsets[i + 1]]``.
    """
    values, offsets, _ = _shingle_sets(texts, k, chunk, None)
    return values, offsets


def fingerprint_texts(texts: Sequence[str], k: int = 3, chunk: int = 5000) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """:func:`shingle_sets` and :func:`exact_keys` of the texts, from one tokenisation."""
    keys: list[bytes] = []
    values, offsets, _ = _shingle_sets(texts, k, chunk, keys)
    return values, offsets, keys


def _shingle_sets(texts: Sequence[str], k: int, chunk: int, keys: list[bytes] | None) -> tuple[np.ndarray, np.ndarray, None]:
    n = len(texts)
    parts: list[np.ndarray] = []
    counts = np.zeros(n, dtype=np.int64)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        vals, cnt = _shingle_chunk(texts[lo:hi], k, keys)
        parts.append(vals)
        counts[lo:hi] = cnt
    values = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return values, offsets, None


def update_shingles(values: np.ndarray, offsets: np.ndarray, positions: Sequence[int], texts: Sequence[str],
                    k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Shingle sets (as :func:`shingle_sets`) with the documents at ``positions`` (ascending)
    replaced by the shingles of ``texts``; the other documents' sets are copied."""
    if len(positions) == 0:
        return values, offsets
    return replace_shingles(values, offsets, positions, *shingle_sets(texts, k))


def replace_shingles(values: np.ndarray, offsets: np.ndarray, positions: Sequence[int], new_values: np.ndarray,
                     new_offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shingle sets with the documents at ``positions`` (ascending) replaced by the sets
    ``new_values``/``new_offsets`` (one per position, as :func:`shingle_sets` returns them)."""
    if len(positions) == 0:
        return values, offsets
    pieces: list[np.ndarray] = []
    sizes = np.diff(offsets).copy()
    prev = 0
    for r, pos in enumerate(positions):
        pieces.append(values[offsets[prev]:offsets[pos]])
        pieces.append(new_values[new_offsets[r]:new_offsets[r + 1]])
        sizes[pos] = new_offsets[r + 1] - new_offsets[r]
        prev = pos + 1
    pieces.append(values[offsets[prev]:])
    return np.concatenate(pieces), np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


def _shingle_chunk(texts: Sequence[str], k: int, keys: list[bytes] | None = None) -> tuple[np.ndarray, np.ndarray]:
    n = len(texts)
    words: list[bytes] = []
    lengths = np.zeros(n, dtype=np.int64)
    for i, t in enumerate(texts):
        w = tokenize_bytes(t)
        lengths[i] = len(w)
        words.extend(w)
        if keys is not None:
            keys.append(_exact_key(w))
    total = len(words)
    m = total - k + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint32), np.zeros(n, dtype=np.int64)
    th = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=total)
    del words
    th = _mix(th)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ends = starts + lengths
    with np.errstate(over="ignore"):
        h = np.zeros(m, dtype=np.uint64)
        for j in range(k):
            h = h + th[j:j + m] * _PRIMES[j % len(_PRIMES)]
    h = _mix(h)
    doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)[:m]
    valid = np.arange(m) + k <= ends[doc_of]
    doc_of = doc_of[valid]
    sh32 = h[valid] >> np.uint64(32)
    key = _sorted_unique((doc_of.astype(np.uint64) << np.uint64(32)) | sh32)
    docs = (key >> np.uint64(32)).astype(np.int64)
    values = (key & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return values, np.bincount(docs, minlength=n)


def minhash_signatures(values: np.ndarray, offsets: np.ndarray, num_perm: int = 64, chunk: int = 5000) -> np.ndarray:
    """One-permutation MinHash signatures (``n x num_perm`` uint32) with rotation densification.

    A document without shingles gets an all-empty signature (never a candidate). Documents are
    processed ``chunk`` at a time (each signature depends on its own shingles only), which
    bounds the temporary arrays.
    """
    n = len(offsets) - 1
    sig = np.full((n, num_perm), _EMPTY, dtype=np.uint32)
    if len(values) == 0:
        return sig
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        a, b = int(offsets[lo]), int(offsets[hi])
        if b > a:
            sig[lo:hi] = _minhash_block(values[a:b], offsets[lo:hi + 1] - a, num_perm)
    return sig


def _minhash_block(values: np.ndarray, offsets: np.ndarray, num_perm: int) -> np.ndarray:
    n = len(offsets) - 1
    sig = np.full((n, num_perm), _EMPTY, dtype=np.uint32)
    docs = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    mixed = _mix(values.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    bucket = (mixed % np.uint64(num_perm)).astype(np.int64)
    val = ((mixed >> np.uint64(32)) & np.uint64(0xFFFFFFFE)).astype(np.uint32)  # never equals _EMPTY
    flat = sig.reshape(-1)
    np.minimum.at(flat, docs * num_perm + bucket, val)
    sig = flat.reshape(n, num_perm)
    empty = sig == _EMPTY
    has_any = ~empty.all(axis=1)
    rows = np.where(empty.any(axis=1) & has_any)[0]
    if len(rows):
        sub = sig[rows]
        filled = sub.copy()
        todo = sub == _EMPTY
        for d in range(1, num_perm):
            shifted = np.roll(sub, -d, axis=1)
            take = todo & (shifted != _EMPTY)
            if take.any():
                filled[take] = (shifted[take].astype(np.uint64) + np.uint64(d) * np.uint64(0x9E3779B1)).astype(np.uint32) & np.uint32(0xFFFFFFFE)
                todo &= ~take
            if not todo.any():
                break
        sig[rows] = filled
    return sig


def lsh_candidates(sig: np.ndarray, bands: int = 16, max_bucket: int = 200, active: np.ndarray | None = None) -> np.ndarray:
    """Return candidate pairs (``m x 2`` int64, ``i < j``, unique) of documents sharing a band.

    Buckets with more than ``max_bucket`` members are linked as a star to their first member.
    """
    n, num_perm = sig.shape
    rows = num_perm // bands
    ok = ~(sig == _EMPTY).all(axis=1)
    if active is not None:
        ok &= active
    idx = np.where(ok)[0]
    pairs = []
    if len(idx) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    for b in range(bands):
        block = sig[idx, b * rows:(b + 1) * rows].astype(np.uint64)  # one band at a time: memory of n x rows
        with np.errstate(over="ignore"):
            key = np.zeros(len(idx), dtype=np.uint64) + np.uint64(b)
            for c in range(rows):
                key = _mix(key * _PRIMES[c % len(_PRIMES)] + block[:, c])
        order = np.argsort(key, kind="stable")
        ks = key[order]
        brk = np.flatnonzero(np.diff(ks)) + 1
        starts = np.concatenate([[0], brk])
        sizes = np.diff(np.concatenate([starts, [len(ks)]]))
        two = starts[sizes == 2]  # most buckets with company hold a pair: vectorised
        if len(two):
            a, c = idx[order[two]], idx[order[two + 1]]
            pairs.append(np.stack([np.minimum(a, c), np.maximum(a, c)], axis=1))
        for st, sz in zip(starts[sizes > 2], sizes[sizes > 2]):
            members = np.sort(idx[order[st:st + sz]])
            if sz <= max_bucket:
                a, c = np.triu_indices(sz, 1)
                pairs.append(np.stack([members[a], members[c]], axis=1))
            else:
                pairs.append(np.stack([np.full(sz - 1, members[0]), members[1:]], axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    allp = np.concatenate(pairs).astype(np.int64)
    code = _sorted_unique((allp[:, 0].astype(np.uint64) << np.uint64(32)) | allp[:, 1].astype(np.uint64))
    return np.stack([(code >> np.uint64(32)).astype(np.int64), (code & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


def estimate_jaccard(sig: np.ndarray, pairs: np.ndarray, chunk: int = 1_000_000) -> np.ndarray:
    """The Jaccard similarity of each pair estimated from their signatures (share of equal MinHash values).

    Computed ``chunk`` pairs at a time: a big corpus has tens of millions of candidate pairs, and
    comparing them all at once would hold ``pairs x num_perm`` values twice.
    """
    out = np.zeros(len(pairs), dtype=np.float64)
    for lo in range(0, len(pairs), chunk):
        p = pairs[lo:lo + chunk]
        out[lo:lo + chunk] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
    return out


def jaccard_pairs(values: np.ndarray, offsets: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of each pair."""
    out = np.zeros(len(pairs), dtype=np.float64)
    for r, (i, j) in enumerate(pairs):
        a = values[offsets[i]:offsets[i + 1]]
        b = values[offsets[j]:offsets[j + 1]]
        if len(a) == 0 or len(b) == 0:
            continue
        inter = len(np.intersect1d(a, b, assume_unique=True))
        out[r] = inter / (len(a) + len(b) - inter)
    return out


def preview_pairs(texts: Sequence[str], titles: Sequence[object], paywalled: Sequence[bool], active: np.ndarray,
                  n_words: Sequence[int], *, shingle_size: int = 3, min_containment: float = 0.9,
                  min_shingles: int = 20) -> pd.DataFrame:
    """Find paywalled previews of other articles: (preview, full article, containment).

    The sign-up wall cuts a page after its first paragraphs, so the preview of an article that is
    also in the corpus in full shares few shingles with it (Jaccard about preview / full length,
    far below the near-duplicate threshold) but nearly all of its own. Candidates are blocked on
    the title (case and spacing folded): a paywalled active row ``i`` is paired with the active
    row ``j`` of the same title and more words whose shingle set contains the largest share of
    ``i``'s — the overlap coefficient ``|A ∩ B| / |A|`` — if that share is at least
    ``min_containment`` and ``i`` has at least ``min_shingles`` shingles (a few shared lines do
    not make a preview). Ties: the longer article, then the lower row.

    Returns
    -------
    pandas.DataFrame
        ``i`` (the preview), ``j`` (the full article), ``containment``; one row per preview.
    """
    cols = {"i": np.zeros(0, dtype=np.int64), "j": np.zeros(0, dtype=np.int64), "containment": np.zeros(0)}
    pay = np.asarray(paywalled, dtype=bool) & np.asarray(active, dtype=bool)
    if not pay.any():
        return pd.DataFrame(cols)
    keys = [" ".join(t.casefold().split()) if isinstance(t, str) and t.strip() else None for t in titles]
    by_title: dict[str, list[int]] = {}
    for r in np.flatnonzero(active):
        if keys[r] is not None:
            by_title.setdefault(keys[r], []).append(int(r))
    words = np.asarray(n_words)
    todo: list[tuple[int, list[int]]] = []
    for i in np.flatnonzero(pay):
        if keys[i] is None:
            continue
        group = [j for j in by_title.get(keys[i], ()) if j != i and words[j] > words[i]]
        if group:
            todo.append((int(i), group))
    # every text involved is shingled once (titles recur: wire copy, updates, live pages)
    needed = sorted({i for i, _ in todo} | {j for _, group in todo for j in group})
    where = {r: m for m, r in enumerate(needed)}
    values, offsets = shingle_sets([texts[r] for r in needed], k=shingle_size) if needed else (None, None)
    rows_i, rows_j, share = [], [], []
    for i, group in todo:
        a = values[offsets[where[i]]:offsets[where[i] + 1]]
        if len(a) < min_shingles:
            continue
        best = max((len(np.intersect1d(a, values[offsets[where[j]]:offsets[where[j] + 1]], assume_unique=True)) / len(a),
                    words[j], -j) for j in group)
        if best[0] >= min_containment:
            rows_i.append(i)
            rows_j.append(int(-best[2]))
            share.append(float(best[0]))
    if rows_i:
        cols = {"i": np.asarray(rows_i, dtype=np.int64), "j": np.asarray(rows_j, dtype=np.int64),
                "containment": np.asarray(share)}
    return pd.DataFrame(cols)


def near_duplicate_pairs(texts: Sequence[str], *, shingle_size: int = 3, num_perm: int = 64, bands: int = 16,
                         threshold: float = 0.65, min_shingles: int = 5, max_bucket: int = 200,
                         active: np.ndarray | None = None, margin: float = 0.2,
                         shingles: tuple[np.ndarray, np.ndarray] | None = None,
                         signatures: np.ndarray | None = None) -> pd.DataFrame:
    """Find pairs of texts whose shingle sets have Jaccard similarity >= ``threshold``.

    Parameters
    ----------
    texts : sequence of str
    active : numpy.ndarray of bool, optional
        Only these texts take part (others are never paired).
    margin : float
        Candidates whose MinHash estimate is below ``threshold - margin`` are dropped before the
        exact check.
    shingles : (numpy.ndarray, numpy.ndarray), optional
        ``shingle_sets(texts, shingle_size)`` if already computed (it is then not recomputed).
    signatures : numpy.ndarray, optional
        ``minhash_signatures(*shingles, num_perm)`` if already computed.

    Returns
    -------
    pandas.DataFrame
        ``i``, ``j`` (positions, ``i < j``), ``jaccard`` (exact), ``estimate`` (MinHash),
        sorted by i, j; ``attrs['candidates']`` holds the number of LSH candidates.
    """
    values, offsets = shingle_sets(texts, shingle_size) if shingles is None else shingles
    sizes = np.diff(offsets)
    act = sizes >= min_shingles
    if active is not None:
        act &= np.asarray(active, dtype=bool)
    sig = minhash_signatures(values, offsets, num_perm) if signatures is None else signatures
    cand = lsh_candidates(sig, bands=bands, max_bucket=max_bucket, active=act)
    if len(cand) == 0:
        df = pd.DataFrame({"i": np.zeros(0, np.int64), "j": np.zeros(0, np.int64), "jaccard": np.zeros(0), "estimate": np.zeros(0)})
        df.attrs["candidates"] = 0
        return df
    est = estimate_jaccard(sig, cand)
    keep = est >= threshold - margin
    cand2, est2 = cand[keep], est[keep]
    jac = jaccard_pairs(values, offsets, cand2)
    ok = jac >= threshold
    df = pd.DataFrame({"i": cand2[ok, 0], "j": cand2[ok, 1], "jaccard": jac[ok], "estimate": est2[ok]})
    df.attrs["candidates"] = int(len(cand))
    return df.sort_values(["i", "j"], kind="mergesort").reset_index(drop=True)


def cluster_greedy(n: int, pairs: pd.DataFrame, priority: np.ndarray) -> np.ndarray:
    """Greedy star clustering: return for each item its canonical item's position (itself if canonical).

    Parameters
    ----------
    n : int
        Number of items.
    pairs : pandas.DataFrame
        Columns ``i``, ``j``: similar items.
    priority : numpy.ndarray
        Rank per item; lower is a better canonical (visited first).
    """
    canon = np.arange(n)
    if len(pairs) == 0:
        return canon
    adj: dict[int, list[int]] = {}
    for i, j in zip(pairs["i"].to_numpy(), pairs["j"].to_numpy()):
        adj.setdefault(int(i), []).append(int(j))
        adj.setdefault(int(j), []).append(int(i))
    assigned = np.zeros(n, dtype=bool)
    for p in np.argsort(priority, kind="stable"):
        p = int(p)
        if assigned[p] or p not in adj:
            continue
        assigned[p] = True
        for q in sorted(adj[p]):
            if not assigned[q]:
                assigned[q] = True
                canon[q] = p
    return canon
