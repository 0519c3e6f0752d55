"""Bursts over document-term blocks: each counting pass a task per block, reduced, detected in the driver.

:func:`newsscope.trends.bursts.bursts_from_blocks` is the detection of
:func:`newsscope.trends.detect_bursts`; here its four counting passes
(:mod:`newsscope.trends.counts`) run as tasks, each reading one block and its documents from
files, and their small results are summed on the engine (a fixed tree: the same on every
engine). The driver holds days x terms counts and the bursts' overlaps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope.engine.base import Engine, engine_scope
from newsscope.parts import PartStore, load_sparse, read_part_file
from newsscope.trends.bursts import bursts_from_blocks
from newsscope.trends.counts import BLOCK_DOC_COLUMNS
from newsscope.trends.keyness import outlet_keyness
from newsscope.trends.kwic import kwic_part, merge_contexts
from newsscope.trends.results import write_bursts
from newsscope.vectorize.blocks import DTMBlocks

__all__ = ["EngineBlocks", "burst_parts", "keyness_outlet_parts", "kwic_parts"]


def _block_task(item: tuple[str, str, int], func: Callable[..., Any], *args: Any) -> Any:
    """Read one block and its documents, run ``func(X, docs, offset, *args)``."""
    block_path, docs_path, offset = item
    return func(load_sparse(block_path), read_part_file(docs_path, BLOCK_DOC_COLUMNS), offset, *args)


def keyness_outlet_parts(blocks: DTMBlocks, outlet: str, *, unit: str = "tokens", engine: str | Engine | Any = None,
                         progress: bool = True, **kwargs: Any) -> pd.DataFrame:
    """:func:`newsscope.trends.keyness_outlet` from per-outlet term counts summed over the blocks on an engine."""
    with engine_scope(engine, progress=progress) as eng:
        return outlet_keyness(EngineBlocks(blocks, eng), outlet, unit=unit, **kwargs)


def kwic_parts(store: PartStore, term: str, *, limit: int | None = 20, fields: tuple[str, ...] = ("title", "text"),
               order: str = "date", engine: str | Engine | Any = None, progress: bool = True, **kwargs: Any) -> pd.DataFrame:
    """:func:`newsscope.trends.kwic` over the analysis set of a cleaned table stored in parts.

    Each part is searched in a task (:func:`newsscope.trends.kwic.kwic_part`, which reads the
    part's file) and returns at most ``limit`` contexts; the driver merges them in the order of
    :func:`~newsscope.trends.kwic`, so the result is the one of the whole table, with at most
    ``limit`` rows per part in memory (``limit=None``: every context).

    Parameters
    ----------
    store : PartStore
        The cleaned table (``root/clean`` of :func:`newsscope.engine.stream.clean.clean_parts`).
    term : str
    limit, fields, order, **kwargs
        As for :func:`newsscope.trends.kwic` (``window``, ``per_doc``, ``start``, ``end``, ``sources``).
    engine : str, Engine or distributed.Client, optional
    progress : bool
    """
    paths = [str(store.part_path(k)) for k in range(store.n_parts)]
    with engine_scope(engine, progress=progress) as eng:
        found = eng.gather(eng.map(kwic_part, paths, term, limit=limit, fields=fields, order=order, **kwargs))
    return merge_contexts(found, limit=limit, fields=fields, order=order)


class EngineBlocks:
    """The blocks of a :class:`DTMBlocks` folder as a source of blocks whose passes run on an engine.

    Parameters
    ----------
    blocks : DTMBlocks
    engine : Engine
    """

    def __init__(self, blocks: DTMBlocks, engine: Engine) -> None:
        self.blocks, self.engine = blocks, engine
        self.terms = blocks.terms
        self._items = [(str(blocks.block_path(k)), str(blocks.docs.part_path(k)), lo)
                       for k, (lo, _) in enumerate(blocks.bounds())]

    def reduce_blocks(self, func: Callable[..., Any], merge: Callable[[Any, Any], Any], *args: Any) -> Any:
        """Run ``func`` on every block as a task and reduce the results with ``merge`` on the engine."""
        eng = self.engine
        handles = eng.map(_block_task, self._items, func, *[eng.scatter(a) if isinstance(a, np.ndarray) else a for a in args])
        return eng.reduce(merge, handles)


def burst_parts(blocks: DTMBlocks, root: str | Path, engine: str | Engine | Any = None, *, progress: bool = True,
                **burst_params: Any) -> pd.DataFrame:
    """Detect bursts over the blocks and write ``root/trends/bursts.csv``.

    Parameters
    ----------
    blocks : DTMBlocks
        From :func:`newsscope.engine.stream.vectorize.vectorize_parts`.
    root : str or Path
        The run folder; the table goes to ``root/trends/bursts.csv`` (as
        :func:`newsscope.trends.write_bursts` writes ``data/results/bursts.csv``).
    engine : str, Engine or distributed.Client, optional
        See :func:`newsscope.engine.get_engine`.
    progress : bool
    **burst_params
        As for :func:`newsscope.trends.detect_bursts`.

    Returns
    -------
    pandas.DataFrame
        :func:`newsscope.trends.detect_bursts`'s table (with its ``attrs``): on the same documents
        and terms, the same result.
    """
    with engine_scope(engine, progress=progress) as eng:
        bursts = bursts_from_blocks(EngineBlocks(blocks, eng), **burst_params)
    write_bursts(bursts, folder=Path(root) / "trends")
    return bursts
