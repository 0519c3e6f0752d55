"""Count documents' terms into sparse matrix rows, block by block.

A block of consecutive documents becomes a small CSR matrix over its own term list; blocks are
joined in order into the document-term matrix. Blocks may be counted in different processes
(:mod:`newsscope.vectorize.store`): the joined matrix is the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["Block", "count_block", "join_blocks"]

#: (indptr, column indices into the block's terms, counts, the block's terms in order of first use)
Block = tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]


def count_block(terms_of: Callable[[int], list[str]], lo: int, hi: int) -> Block:
    """Count the terms of documents ``lo..hi-1`` (``terms_of(i)``) into a block."""
    local: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for i in range(lo, hi):
        for t, c in Counter(terms_of(i)).items():
            j = local.get(t)
            if j is None:
                j = local[t] = len(local)
            indices.append(j)
            data.append(c)
        indptr.append(len(indices))
    return (np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int64), np.asarray(data, dtype=np.int64),
            list(local))


def join_blocks(blocks: Sequence[Block], n_docs: int, vocabulary: dict[str, int] | None = None,
                dtype: Any = np.int64) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Return the matrix of consecutive blocks and its vocabulary.

    Parameters
    ----------
    blocks : sequence of Block
        In document order, ``n_docs`` rows in all.
    n_docs : int
        Number of rows.
    vocabulary : dict, optional
        A fixed term -> column mapping (other terms are left out); None: columns in order of
        first use.
    dtype : numpy dtype
        Type of the counts.

    Returns
    -------
    (scipy.sparse.csr_matrix, dict)
        Rows with sorted column indices; the vocabulary.
    """
    grow = vocabulary is None
    vocab: dict[str, int] = {} if grow else vocabulary  # type: ignore[assignment]
    indptrs, indices, data = [np.zeros(1, dtype=np.int64)], [], []
    offset = 0
    for ptr, idx, cnt, terms in blocks:
        if grow:
            cols = np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms), dtype=np.int64, count=len(terms))
        else:
            cols = np.fromiter((vocab.get(t, -1) for t in terms), dtype=np.int64, count=len(terms))
        j = cols[idx] if len(idx) else np.zeros(0, dtype=np.int64)
        if not grow:
            keep = j >= 0
            row_of = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
            ptr = np.concatenate(([0], np.cumsum(np.bincount(row_of[keep], minlength=len(ptr) - 1))))
            j, cnt = j[keep], cnt[keep]
        indptrs.append(ptr[1:] + offset)
        indices.append(j)
        data.append(cnt)
        offset += len(j)
    rows = sum(len(p) for p in indptrs[1:])
    if rows != n_docs:
        raise ValueError(f"the blocks hold {rows} rows, expected {n_docs}")
    X = sp.csr_matrix((np.concatenate(data).astype(dtype) if data else np.zeros(0, dtype=dtype),
                       np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                       np.concatenate(indptrs)), shape=(n_docs, len(vocab)))
    X.sort_indices()
    return X, vocab
