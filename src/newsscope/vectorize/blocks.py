"""The document-term matrix in blocks on disk: one CSR block per part of the cleaned table.

A :class:`DTMBlocks` folder holds::

    vectorizer.pkl          the fitted NewsVectorizer (its vocabulary is the blocks' columns)
    terms.parquet           the column labels (one ``term`` per column, sorted)
    blocks/block-00000.npz  part k's analysis-set rows x terms (CSR counts), ...
    docs/                   PartStore: doc_id, source, published, title, url, section; part k = rows of block k
    _blocks.json            documents, terms, blocks and how the vectorizer was fitted

How it is made (:func:`newsscope.engine.stream.vectorize.vectorize_parts` runs the steps on an
engine; every step here is a plain function, so a task on any worker runs it):

1. **Phrases, hyphenated compounds and outlet names from a seeded sample**
   (:func:`fit_sample_vectorizer`): at most ``fit_sample`` analysis-set rows drawn without
   replacement (``numpy.random.default_rng(random_state)``), in corpus order; the whole analysis
   set when it is no bigger.
2. **Counts per part** (:func:`count_part`): each part's analysis rows are analysed with the
   sample's phrases and counted over every term they produce (a block over the part's own term
   list), with the part's documents and occurrences per term.
3. **The vocabulary from counts reduced over all parts** (:func:`reduce_term_counts`,
   :func:`set_vocabulary`): ``min_df``/``max_df``/``max_features`` apply to the document
   frequencies of the whole corpus (:func:`~newsscope.vectorize.vectorizer.kept_columns`, the rule
   of ``NewsVectorizer.fit``), not to the sample's.
4. **Blocks over the vocabulary** (:func:`finish_part`): each part's block is mapped onto the
   vocabulary's columns.

On a corpus no bigger than the sample the vectorizer, the terms and the stacked matrix are those
of :func:`newsscope.vectorize.build_dtm` on the analysis set, exactly: the fit's own matrix is
cut into the blocks (:func:`write_fitted_blocks`; steps 2-4 would give the same, analysing every
text a second time).
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from newsscope.clean.result import analysis_rows
from newsscope.parts import PartStore, load_sparse, read_part_file, save_sparse
from newsscope.vectorize import rows as _rows
from newsscope.vectorize.dtm import DOC_COLUMNS, DocTermMatrix
from newsscope.vectorize.vectorizer import NewsVectorizer, document_texts, kept_columns

__all__ = [
    "DOC_BLOCK_COLUMNS", "FIT_COLUMNS", "DTMBlocks", "analysis_counts", "sample_positions", "read_fit_sample",
    "fit_sample_vectorizer", "start_blocks", "write_fitted_blocks", "count_part", "reduce_term_counts", "set_vocabulary", "finish_part", "transform_part",
    "finish_blocks",
]

#: Columns of the ``docs`` store (aligned with the blocks' rows; no text).
DOC_BLOCK_COLUMNS = ["doc_id", "source", "published", "title", "url", "section", "dateline"]
#: Columns the vectorizer reads (texts and outlet names).
FIT_COLUMNS = ["title", "standfirst", "text", "source", "dateline", "url"]
_META = "_blocks.json"


def _block_name(k: int) -> str:
    return f"block-{k:05d}.npz"


class DTMBlocks:
    """A document-term matrix stored as one CSR block per part (see the module docstring).

    Parameters
    ----------
    root : str or Path
        The folder.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._terms: np.ndarray | None = None

    def _meta(self) -> dict[str, Any]:
        path = self.root / _META
        if not path.is_file():
            raise FileNotFoundError(f"{self.root}: no {_META}; the vectorize run that wrote these blocks did not finish")
        return json.loads(path.read_text())

    @property
    def meta(self) -> dict[str, Any]:
        """Documents, terms, rows per block and the fit (sample size, seed)."""
        return self._meta()

    @property
    def n_blocks(self) -> int:
        """Number of blocks (= parts of the cleaned table)."""
        return len(self._meta()["rows"])

    @property
    def n_docs(self) -> int:
        """Documents (rows) over all blocks."""
        return int(sum(self._meta()["rows"]))

    @property
    def block_rows(self) -> list[int]:
        """Rows of every block."""
        return list(self._meta()["rows"])

    @property
    def terms(self) -> np.ndarray:
        """Column labels (sorted; phrases keep their spaces)."""
        if self._terms is None:
            self._terms = pd.read_parquet(self.root / "terms.parquet")["term"].to_numpy(dtype=object).astype(str)
        return self._terms

    @property
    def docs(self) -> PartStore:
        """The documents of the rows (doc_id, source, published, title, url, section), part k = block k."""
        return PartStore(self.root / "docs")

    @property
    def vectorizer(self) -> NewsVectorizer:
        """The fitted vectorizer."""
        with open(self.root / "vectorizer.pkl", "rb") as fh:
            return pickle.load(fh)

    def block_path(self, k: int) -> Path:
        """The file of block ``k``."""
        return self.root / "blocks" / _block_name(k)

    def read_block(self, k: int) -> sp.csr_matrix:
        """Block ``k`` (documents of part k x terms)."""
        return load_sparse(self.block_path(k))

    def bounds(self) -> list[tuple[int, int]]:
        """(first row, end row) of every block in the stacked matrix."""
        ends = np.cumsum([0, *self.block_rows])
        return [(int(a), int(b)) for a, b in zip(ends[:-1], ends[1:])]

    def iter_blocks(self, columns: Sequence[str] | None = None) -> Iterator[tuple[int, sp.csr_matrix, pd.DataFrame]]:
        """Yield ``(k, X, docs)`` for every block in order; one block in memory at a time."""
        for k in range(self.n_blocks):
            yield k, self.read_block(k), self.docs.read_part(k, columns)

    def reduce_blocks(self, func: Callable[..., Any], merge: Callable[[Any, Any], Any], *args: Any) -> Any:
        """Return ``func(X, docs, offset, *args)`` of every block combined with ``merge`` (in this process)."""
        out = None
        for (k, X, docs), (lo, _) in zip(self.iter_blocks(), self.bounds()):
            part = func(X, docs, lo, *args)
            out = part if out is None else merge(out, part)
        return out

    def to_dtm(self, with_text_from: PartStore | None = None) -> DocTermMatrix:
        """Stack every block into one :class:`DocTermMatrix` (small corpora and tests).

        Parameters
        ----------
        with_text_from : PartStore, optional
            The cleaned table the blocks were made from: its analysis rows give ``docs`` the
            columns :func:`~newsscope.vectorize.build_dtm` keeps (text, standfirst, dateline, ...).
        """
        X = sp.vstack([self.read_block(k) for k in range(self.n_blocks)], format="csr") if self.n_blocks else \
            sp.csr_matrix((0, len(self.terms)), dtype=np.int64)
        docs = self.docs.read_all()
        if with_text_from is not None:
            full = pd.concat([analysis_rows(part) for _, part in with_text_from.iter_parts()], ignore_index=True)
            if not full["doc_id"].reset_index(drop=True).equals(docs["doc_id"].reset_index(drop=True)):
                raise ValueError(f"{with_text_from.root} is not the table these blocks were made from")
            docs = full[[c for c in DOC_COLUMNS if c in full.columns]]
        return DocTermMatrix(X=X, terms=self.terms, docs=docs, vectorizer=self.vectorizer)

    def __repr__(self) -> str:
        try:
            return f"<DTMBlocks {self.root.name}: {self.n_blocks} blocks, {self.n_docs:,} documents, {len(self.terms):,} terms>"
        except FileNotFoundError:
            return f"<DTMBlocks {self.root.name}: incomplete>"


# --------------------------------------------------------------------------- 1. the sample fit

def analysis_counts(clean: PartStore) -> np.ndarray:
    """Analysis-set rows of every part of the cleaned table (reads only ``status``)."""
    return np.array([int((part["status"] == "kept").sum()) for _, part in clean.iter_parts(["status"])], dtype=np.int64)


def sample_positions(counts: Sequence[int], fit_sample: int, random_state: int = 0) -> list[np.ndarray]:
    """Positions (within each part's analysis rows) of a seeded sample of at most ``fit_sample`` rows.

    Every row when the analysis set is no bigger than ``fit_sample``; otherwise ``fit_sample``
    rows drawn without replacement with ``numpy.random.default_rng(random_state)``.
    """
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    if fit_sample < 1:
        raise ValueError(f"fit_sample={fit_sample!r}: the vectorizer needs at least one document")
    chosen = np.arange(n) if n <= fit_sample else np.sort(np.random.default_rng(random_state).choice(n, int(fit_sample), replace=False))
    starts = np.concatenate(([0], np.cumsum(counts)))
    return [chosen[(chosen >= a) & (chosen < b)] - a for a, b in zip(starts[:-1], starts[1:])]


def read_fit_sample(clean: PartStore, fit_sample: int = 100_000, random_state: int = 0,
                    counts: Sequence[int] | None = None) -> pd.DataFrame:
    """The sample's analysis rows (the :data:`FIT_COLUMNS`), in corpus order, one part read at a time.

    ``counts``: the analysis rows per part when already known (:func:`analysis_counts`).
    """
    positions = sample_positions(analysis_counts(clean) if counts is None else counts, fit_sample, random_state)
    cols = [c for c in ["status", *FIT_COLUMNS] if c in clean.columns]
    pieces = []
    for k, pos in enumerate(positions):
        if len(pos):
            rows = analysis_rows(clean.read_part(k, cols))
            pieces.append(rows.iloc[pos])
    return pd.concat(pieces, ignore_index=True).drop(columns=["status"])


def fit_sample_vectorizer(clean: PartStore, *, fit_sample: int = 100_000, random_state: int = 0,
                          **vectorizer_params: Any) -> NewsVectorizer:
    """Fit a :class:`NewsVectorizer` on a seeded sample of the analysis set (see :func:`sample_positions`).

    Its phrases, compounds and outlet names are those of the sample; :func:`set_vocabulary`
    later replaces its vocabulary with the one of the whole corpus.
    """
    sample = read_fit_sample(clean, fit_sample, random_state)
    return NewsVectorizer(**vectorizer_params).fit(sample)


# --------------------------------------------------------------------------- 2. counts per part

def start_blocks(root: str | Path) -> DTMBlocks:
    """Create an empty blocks folder at ``root`` (removing one that is there)."""
    root = Path(root)
    PartStore.create(root / "docs")
    for sub in ("blocks", "counts"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        for f in (root / sub).glob("*"):
            f.unlink()
    (root / _META).unlink(missing_ok=True)
    return DTMBlocks(root)


def count_part(item: tuple[int, str], vectorizer: NewsVectorizer, root: str) -> dict[str, Any]:
    """Analyse part ``k`` of the cleaned table and write its counts (a task: reads and writes files).

    Parameters
    ----------
    item : (int, str)
        Part number and the part's Parquet file.
    vectorizer : NewsVectorizer
        Fitted (its phrases, stop words and outlet names).
    root : str
        The blocks folder (:func:`start_blocks`).

    Returns
    -------
    dict
        ``part``, ``rows`` (analysis rows), ``terms`` (distinct terms of the part). Written:
        ``counts/block-k.npz`` (rows x the part's own terms), ``counts/terms-k.parquet``
        (term, docs, count) and part k of ``docs``.
    """
    k, path = item
    root_p = Path(root)
    cols = ["status", *FIT_COLUMNS, *[c for c in DOC_BLOCK_COLUMNS if c not in FIT_COLUMNS]]
    rows = analysis_rows(read_part_file(path, [c for c in dict.fromkeys(cols)]))
    sources = rows["source"].tolist()
    analysed = vectorizer.analyse_texts(document_texts(rows), sources)
    ptr, idx, cnt, terms = _rows.count_block(analysed.__getitem__, 0, len(analysed))
    X = sp.csr_matrix((cnt, idx, ptr), shape=(len(rows), len(terms)))
    save_sparse(root_p / "counts" / _block_name(k), X)
    table = pd.DataFrame({"term": pd.Series(terms, dtype=object),
                          "docs": np.bincount(idx, minlength=len(terms)).astype(np.int64),
                          "count": np.bincount(idx, weights=cnt, minlength=len(terms)).astype(np.int64)})
    table.to_parquet(root_p / "counts" / f"terms-{k:05d}.parquet", index=False)
    summary = PartStore(root_p / "docs").write_part(k, rows[DOC_BLOCK_COLUMNS])
    return {"part": int(k), "rows": int(len(rows)), "terms": int(len(terms)), "docs_bytes": summary["bytes"]}


# --------------------------------------------------------------------------- 3. the vocabulary

def reduce_term_counts(root: str | Path, n_parts: int, batch: int = 16) -> pd.DataFrame:
    """Sum the parts' term tables: term, docs, count over the whole corpus (every analysed term)."""
    root = Path(root)
    acc: pd.DataFrame | None = None
    for lo in range(0, n_parts, batch):
        frames = [pd.read_parquet(root / "counts" / f"terms-{k:05d}.parquet") for k in range(lo, min(lo + batch, n_parts))]
        if acc is not None:
            frames.insert(0, acc)
        acc = pd.concat(frames, ignore_index=True).groupby("term", sort=False)[["docs", "count"]].sum().reset_index()
    if acc is None:
        return pd.DataFrame({"term": pd.Series([], dtype=object), "docs": np.zeros(0, np.int64), "count": np.zeros(0, np.int64)})
    return acc


def set_vocabulary(vectorizer: NewsVectorizer, counts: pd.DataFrame, n_docs: int) -> np.ndarray:
    """Give ``vectorizer`` the vocabulary of the corpus-wide ``counts`` (its own pruning rule); return the terms.

    ``vocabulary_``, ``document_frequency_`` and ``n_documents_`` become those of the whole corpus.
    """
    terms = counts["term"].to_numpy(dtype=object)
    df = counts["docs"].to_numpy(dtype=np.int64)
    cols = kept_columns(terms, df, counts["count"].to_numpy(dtype=np.int64), n_docs, vectorizer.min_df,
                        vectorizer.max_df, vectorizer.max_features)
    kept = terms[cols]  # object array: a fixed-width str array of a big vocabulary is many times bigger
    vectorizer.vocabulary_ = {str(t): i for i, t in enumerate(kept)}
    vectorizer.document_frequency_ = df[cols]
    vectorizer.n_documents_ = int(n_docs)
    return kept


# --------------------------------------------------------------------------- 4. the blocks

def write_fitted_blocks(clean: PartStore, root: str | Path, X: sp.csr_matrix) -> list[dict[str, Any]]:
    """Write the blocks and ``docs`` parts from the matrix of a fit on the whole analysis set.

    When the sample is the whole analysis set, ``fit_transform`` has counted every document
    already (over the final vocabulary): its rows are cut into the parts' blocks instead of
    analysing the texts again.
    """
    root = Path(root)
    docs_store = PartStore(root / "docs")
    cols = ["status", *DOC_BLOCK_COLUMNS]
    out, lo = [], 0
    for k, part in clean.iter_parts(cols):
        rows = analysis_rows(part)
        block = X[lo:lo + len(rows)].tocsr()
        lo += len(rows)
        n_bytes = save_sparse(root / "blocks" / _block_name(k), block)
        docs_store.write_part(k, rows[DOC_BLOCK_COLUMNS])
        out.append({"part": int(k), "rows": int(block.shape[0]), "nnz": int(block.nnz), "bytes": n_bytes})
    if lo != X.shape[0]:
        raise ValueError(f"the matrix has {X.shape[0]} rows but the parts hold {lo} analysis rows")
    return out


def finish_part(k: int, terms: np.ndarray, root: str, dtype: Any = np.int64) -> dict[str, Any]:
    """Map part ``k``'s counts onto the vocabulary ``terms`` and write its block (a task)."""
    root_p = Path(root)
    local = load_sparse(root_p / "counts" / _block_name(k))
    local_terms = pd.read_parquet(root_p / "counts" / f"terms-{k:05d}.parquet", columns=["term"])["term"]
    cols = pd.Index(terms).get_indexer(local_terms.to_numpy(dtype=object))
    ptr, idx, cnt = local.indptr, local.indices, local.data
    j = cols[idx] if len(idx) else np.zeros(0, dtype=np.int64)
    keep = j >= 0
    row_of = np.repeat(np.arange(local.shape[0]), np.diff(ptr))
    new_ptr = np.concatenate(([0], np.cumsum(np.bincount(row_of[keep], minlength=local.shape[0]))))
    X = sp.csr_matrix((cnt[keep].astype(dtype), j[keep], new_ptr), shape=(local.shape[0], len(terms)))
    X.sort_indices()
    n_bytes = save_sparse(root_p / "blocks" / _block_name(k), X)
    (root_p / "counts" / _block_name(k)).unlink()
    (root_p / "counts" / f"terms-{k:05d}.parquet").unlink()
    return {"part": int(k), "rows": int(X.shape[0]), "nnz": int(X.nnz), "bytes": n_bytes}


def transform_part(item: tuple[int, str], vectorizer: NewsVectorizer, root: str) -> dict[str, Any]:
    """Transform part ``k`` of a cleaned table with a fitted vectorizer and write its block and docs part (a task).

    For new parts over a finished vocabulary (the vectorizer of a :class:`DTMBlocks` folder):
    ``item`` is (part number, the part's Parquet file); writes ``blocks/block-k.npz`` and part k of
    ``docs`` under ``root``; returns ``part``, ``rows``, ``nnz``, ``bytes``.
    """
    k, path = item
    root_p = Path(root)
    cols = list(dict.fromkeys(["status", *FIT_COLUMNS, *DOC_BLOCK_COLUMNS]))
    rows = analysis_rows(read_part_file(path, cols))
    X = vectorizer.transform(rows)
    n_bytes = save_sparse(root_p / "blocks" / _block_name(k), X)
    PartStore(root_p / "docs").write_part(k, rows[DOC_BLOCK_COLUMNS])
    return {"part": int(k), "rows": int(X.shape[0]), "nnz": int(X.nnz), "bytes": n_bytes}


def finish_blocks(root: str | Path, vectorizer: NewsVectorizer, terms: np.ndarray, summaries: Sequence[dict[str, Any]],
                  meta: dict[str, Any] | None = None) -> DTMBlocks:
    """Write the vectorizer, the terms and the metadata; return the finished :class:`DTMBlocks`."""
    root = Path(root)
    summaries = sorted(summaries, key=lambda s: s["part"])
    with open(root / "vectorizer.pkl", "wb") as fh:
        pickle.dump(vectorizer, fh, protocol=pickle.HIGHEST_PROTOCOL)
    pd.DataFrame({"term": pd.Series(terms, dtype=object)}).to_parquet(root / "terms.parquet", index=False)
    PartStore(root / "docs").finish([{"part": s["part"], "rows": s["rows"]} for s in summaries], DOC_BLOCK_COLUMNS)
    body = {"rows": [int(s["rows"]) for s in summaries], "nnz": [int(s.get("nnz", 0)) for s in summaries],
            "n_terms": int(len(terms)), "meta": meta or {}}
    (root / _META).write_text(json.dumps(body, indent=1, default=str))
    try:
        (root / "counts").rmdir()
    except OSError:
        pass
    return DTMBlocks(root)
