"""A synthetic corpus with planted topics for the topic-model tests (not a test module)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: Three planted topics of eight words each, with disjoint vocabularies.
PLANTED = [[f"w{t}_{i}" for i in range(8)] for t in range(3)]


def planted_corpus(seed: int = 0, docs_per_topic: int = 40, words_per_doc: int = 5) -> tuple[sp.csr_matrix, np.ndarray]:
    """Return (counts, terms): each document draws ``words_per_doc`` words of one planted topic."""
    rng = np.random.default_rng(seed)
    terms = np.array(sorted(w for topic in PLANTED for w in topic))
    col = {t: j for j, t in enumerate(terms)}
    rows = []
    for topic in PLANTED:
        for _ in range(docs_per_topic):
            row = np.zeros(len(terms), dtype=np.int64)
            for w in rng.choice(topic, size=words_per_doc, replace=False):
                row[col[w]] = rng.integers(1, 4)
            rows.append(row)
    return sp.csr_matrix(np.array(rows)), terms
