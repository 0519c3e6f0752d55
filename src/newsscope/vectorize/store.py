"""The tokenised corpus a :class:`~newsscope.vectorize.NewsVectorizer` fits on, in one process or several.

Fitting needs a few passes over the tokenised documents: hyphenated-token document counts, unit
and pair counts (:func:`~newsscope.vectorize.phrases.count_pairs`) before and after merging
two-word phrases, and finally each document's terms counted into matrix rows. Every pass is a sum
over documents, so it splits over consecutive ranges of documents and the partial results join
exactly (counts add up; units and terms keep their order of first appearance).

:class:`TokenStore` holds the tokens of a range of documents and answers the passes.
:class:`ForkedStore` splits the corpus over worker processes (``fork``), each holding a
:class:`TokenStore` of its range: the tokens are made and kept in the workers, only the small
results travel back, and the joined result is the same as one :class:`TokenStore`'s.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from newsscope import cores
from newsscope.vectorize.phrases import PairCounts, count_pairs, merge_chunk, merge_pair_counts
from newsscope.vectorize.rows import Block, count_block
from newsscope.vectorize.tokens import tokenize_chunks

__all__ = ["PARALLEL_MIN_DOCS", "TokenStore", "ForkedStore", "open_store", "paused_gc", "resolve_jobs", "split_doc"]

Chunks = list[list[str]]

#: With ``n_jobs=None``, corpora of at least this many documents are tokenised in worker processes.
PARALLEL_MIN_DOCS = 20_000

#: Documents per matrix block.
BLOCK_DOCS = 2_000


def split_doc(doc: Chunks, keep: frozenset[str]) -> Chunks:
    """Split the hyphenated tokens of one document that are not in ``keep`` into their parts."""
    new_doc = []
    for chunk in doc:
        if any("-" in t for t in chunk):
            new_chunk: list[str] = []
            for t in chunk:
                if "-" in t and t not in keep:
                    new_chunk.extend(p for p in t.split("-") if p and p[0] != "'")
                else:
                    new_chunk.append(t)
            new_doc.append(new_chunk)
        else:
            new_doc.append(chunk)
    return new_doc


class TokenStore:
    """The tokenised documents ``texts[lo:hi]`` and the passes fitting needs.

    Parameters
    ----------
    texts : sequence of str
        All documents' texts.
    sources : sequence or None
        All documents' outlets.
    lowercase : bool
        Passed to :func:`~newsscope.vectorize.tokens.tokenize_chunks`.
    lo, hi : int, optional
        The range held (default: all).
    """

    def __init__(self, texts: Sequence[str], sources: Sequence | None, lowercase: bool, lo: int = 0, hi: int | None = None) -> None:
        hi = len(texts) if hi is None else hi
        self.docs: list[Chunks] = [tokenize_chunks(texts[i], lowercase) for i in range(lo, hi)]
        self.sources = list(sources[lo:hi]) if sources is not None else [None] * (hi - lo)

    def __len__(self) -> int:
        return len(self.docs)

    def hyphen_counts(self) -> tuple[Counter, Counter]:
        """Documents per hyphenated token, and its occurrences."""
        df: Counter = Counter()
        total: Counter = Counter()
        for doc in self.docs:
            found = [t for chunk in doc for t in chunk if "-" in t]
            if found:
                total.update(found)
                df.update(set(found))
        return df, total

    def pair_counts(self) -> PairCounts:
        """Unit and adjacent-pair counts of the documents as they are."""
        return count_pairs(self.docs)

    def spaced_counts(self, pairs: frozenset[tuple[str, str]], triples: frozenset[tuple[str, str, str]]) -> Counter:
        """Occurrences of the given adjacent token pairs and triples inside chunks."""
        hits: list[tuple[str, ...]] = []
        add = hits.extend
        for doc in self.docs:
            for chunk in doc:
                if len(chunk) > 1:
                    add(filter(pairs.__contains__, zip(chunk, chunk[1:])))
                    if triples and len(chunk) > 2:
                        add(filter(triples.__contains__, zip(chunk, chunk[1:], chunk[2:])))
        return Counter(hits)

    def split_hyphens(self, keep: frozenset[str]) -> None:
        """Split hyphenated tokens not in ``keep`` into their parts, in place."""
        self.docs = [split_doc(doc, keep) for doc in self.docs]

    def joined_pairs(self, joined: frozenset[str]) -> set[tuple[str, str]]:
        """Adjacent token pairs that, written together, are in ``joined`` (``fox news`` for ``foxnews``)."""
        seen: set[tuple[str, str]] = set()
        for doc in self.docs:
            for chunk in doc:
                for a, b in zip(chunk, chunk[1:]):
                    if (a + b) in joined:
                        seen.add((a, b))
        return seen

    def merged_pair_counts(self, index: dict, max_len: int, scores: dict, prefixes: frozenset) -> PairCounts:
        """Unit counts, and counts of pairs with a phrase, with the phrases of ``index`` merged (see :func:`merge_chunk`)."""
        return count_pairs(([merge_chunk(c, index, max_len, scores, prefixes) for c in doc] for doc in self.docs),
                           n_docs=len(self.docs), phrase_pairs_only=True)

    def count_blocks(self, analyse: Callable[[Chunks, Any], list[str]]) -> list[Block]:
        """Count each document's terms (``analyse(doc, source)``) into matrix blocks."""
        docs, src = self.docs, self.sources
        return [count_block(lambda i: analyse(docs[i], src[i]), lo, min(lo + BLOCK_DOCS, len(docs)))
                for lo in range(0, len(docs), BLOCK_DOCS)]

    def close(self) -> None:
        """Release the tokens."""
        self.docs = []


def split_points(sizes: Sequence[int], parts: int) -> list[int]:
    """Return ``parts + 1`` bounds cutting items into consecutive ranges of about equal total size.

    Every range holds at least one item when there are enough items (the work of a range grows
    with its text, not with its number of documents).
    """
    n = len(sizes)
    parts = max(1, min(parts, n)) if n else 1
    total = np.cumsum(np.asarray(sizes, dtype=np.float64) + 1.0)  # +1: empty texts still cost a little
    cuts = np.searchsorted(total, total[-1] * np.arange(1, parts) / parts) + 1 if n else np.zeros(0, dtype=int)
    bounds = [0]
    for k, c in enumerate(cuts.tolist(), start=1):
        bounds.append(int(min(max(c, bounds[-1] + 1), n - (parts - k))))
    bounds.append(n)
    return bounds


def _join_results(method: str, results: list[Any]) -> Any:
    if method == "spaced_counts":
        total: Counter = Counter()
        for r in results:
            total.update(r)
        return total
    if method == "hyphen_counts":
        df: Counter = Counter()
        occurrences: Counter = Counter()
        for d, o in results:
            df.update(d)
            occurrences.update(o)
        return df, occurrences
    if method in ("pair_counts", "merged_pair_counts"):
        return merge_pair_counts(results)
    if method == "joined_pairs":
        return set().union(*results)
    if method == "count_blocks":
        return [b for r in results for b in r]
    return None


def _serve(conn: Any, texts: Sequence[str], sources: Sequence | None, lowercase: bool, lo: int, hi: int) -> None:
    """Worker loop: build the range's store, then answer (method, args) requests until None."""
    # millions of token lists and no reference cycles: the cyclic collector would only rescan them
    gc.disable()
    try:
        store = TokenStore(texts, sources, lowercase, lo, hi)
        conn.send(("ok", None))
    except BaseException:  # noqa: BLE001 - reported to the parent
        conn.send(("error", traceback.format_exc()))
        return
    while True:
        msg = conn.recv()
        if msg is None:
            break
        method, args = msg
        try:
            conn.send(("ok", getattr(store, method)(*args)))
        except BaseException:  # noqa: BLE001 - reported to the parent
            conn.send(("error", traceback.format_exc()))
    conn.close()


class ForkedStore:
    """A :class:`TokenStore` split over ``n_jobs`` forked worker processes (consecutive ranges).

    Use it as a context manager (the workers end on exit). Methods are those of
    :class:`TokenStore`; their results are joined in document order.
    """

    def __init__(self, texts: Sequence[str], sources: Sequence | None, lowercase: bool, n_jobs: int) -> None:
        n = len(texts)
        bounds = split_points([len(t) if isinstance(t, str) else 0 for t in texts], n_jobs)
        ctx = mp.get_context("fork")
        self._n = n
        self._conns, self._procs = [], []
        try:
            for lo, hi in zip(bounds[:-1], bounds[1:]):
                parent, child = ctx.Pipe()
                p = ctx.Process(target=_serve, args=(child, texts, sources, lowercase, int(lo), int(hi)), daemon=True)
                p.start()
                child.close()
                self._conns.append(parent)
                self._procs.append(p)
            self._gather()
        except BaseException:
            self.close()
            raise

    def __len__(self) -> int:
        return self._n

    def _gather(self) -> list[Any]:
        out = []
        errors = []
        for k, conn in enumerate(self._conns):
            try:
                status, value = conn.recv()
            except EOFError:
                status, value = "error", f"worker {k} ended unexpectedly (out of memory?)"
            if status == "error":
                errors.append(value)
            out.append(value)
        if errors:
            raise RuntimeError("a vectorizer worker process failed:\n" + errors[0])
        return out

    def _call(self, method: str, *args: Any) -> Any:
        for conn in self._conns:
            conn.send((method, args))
        return _join_results(method, self._gather())

    def hyphen_counts(self) -> tuple[Counter, Counter]:
        return self._call("hyphen_counts")

    def pair_counts(self) -> PairCounts:
        return self._call("pair_counts")

    def spaced_counts(self, pairs: frozenset[tuple[str, str]], triples: frozenset[tuple[str, str, str]]) -> Counter:
        return self._call("spaced_counts", pairs, triples)

    def split_hyphens(self, keep: frozenset[str]) -> None:
        self._call("split_hyphens", keep)

    def joined_pairs(self, joined: frozenset[str]) -> set[tuple[str, str]]:
        return self._call("joined_pairs", joined)

    def merged_pair_counts(self, index: dict, max_len: int, scores: dict, prefixes: frozenset) -> PairCounts:
        return self._call("merged_pair_counts", index, max_len, scores, prefixes)

    def count_blocks(self, analyse: Callable[[Chunks, Any], list[str]]) -> list[Block]:
        """``analyse`` must be picklable (a bound method of a fitted vectorizer)."""
        return self._call("count_blocks", analyse)

    def close(self) -> None:
        """End the workers."""
        for conn in self._conns:
            try:
                conn.send(None)
                conn.close()
            except (OSError, BrokenPipeError):
                pass
        for p in self._procs:
            p.join(timeout=10)
            if p.is_alive():
                p.terminate()
                p.join()
        self._conns, self._procs = [], []

    def __enter__(self) -> "ForkedStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (token lists hold no cycles; rescanning them costs ~10%)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def resolve_jobs(n_jobs: int | None, n_docs: int) -> int:
    """Return the number of processes to tokenise ``n_docs`` documents with.

    ``None``: every available core when there are at least :data:`PARALLEL_MIN_DOCS` documents,
    else 1 (process start-up is not worth it). A positive int: that many; ``-1``: every core.
    Never more processes than documents, and 1 where ``fork`` is not available
    (:func:`newsscope.cores.resolve_jobs`).
    """
    return cores.resolve_jobs(n_jobs, n_docs, min_items=PARALLEL_MIN_DOCS)


def open_store(texts: Sequence[str], sources: Sequence | None, lowercase: bool, n_jobs: int) -> TokenStore | ForkedStore:
    """Return a :class:`TokenStore` (``n_jobs`` 1) or a :class:`ForkedStore` of the texts."""
    if n_jobs <= 1:
        return TokenStore(texts, sources, lowercase)
    return ForkedStore(texts, sources, lowercase, n_jobs)

