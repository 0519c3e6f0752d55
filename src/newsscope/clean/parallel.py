"""Run a per-article phase over blocks of rows on a few forked processes, results in order.

The cleaning stage's per-article phases (:mod:`newsscope.clean.phases`) depend on one article
and the models fitted before them, so their blocks can run side by side. Workers are *forked*:
they inherit the article table and the fitted models from this process (nothing is sent to
them but a block number) and send back only their block's results. Each phase gets its own
short-lived pool, forked after the models it needs were fitted.

``n_jobs`` never changes a result, only where it is computed: the blocks' results are joined in
row order and every article is treated on its own.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Callable
from typing import Any

__all__ = ["PARALLEL_MIN_ARTICLES", "MIN_BLOCK", "available_cores", "resolve_jobs", "block_bounds", "map_blocks",
           "map_blocks_two_rounds"]

#: With ``n_jobs=None`` corpora of at least this many articles are cleaned on all cores; smaller
#: ones in this process (starting workers costs more than it saves there).
PARALLEL_MIN_ARTICLES = 20_000

#: The smallest block of rows a worker is given (fewer, larger blocks below that).
MIN_BLOCK = 500

_TASK: tuple[Callable[[int, int], Any], list[tuple[int, int]]] | None = None


def available_cores() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _can_fork() -> bool:
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def resolve_jobs(n_jobs: int | None, n_items: int) -> int:
    """How many processes a phase over ``n_items`` articles runs on.

    Parameters
    ----------
    n_jobs : int or None
        None: all available cores from :data:`PARALLEL_MIN_ARTICLES` articles up, else 1.
        A positive number: that many processes; -1: all available cores. Always 1 where
        processes cannot be forked (Windows, macOS' default, inside a daemonic worker).
    n_items : int

    Returns
    -------
    int
    """
    if n_jobs is None:
        jobs = available_cores() if n_items >= PARALLEL_MIN_ARTICLES else 1
    elif n_jobs == -1:
        jobs = available_cores()
    elif isinstance(n_jobs, int) and n_jobs >= 1:
        jobs = n_jobs
    else:
        raise ValueError(f"n_jobs must be None, -1 or a positive integer, got {n_jobs!r}")
    if jobs > 1 and not _can_fork():
        return 1
    return max(1, min(jobs, n_items))


def block_bounds(n: int, n_jobs: int, per_job: int = 4, min_block: int | None = None) -> list[tuple[int, int]]:
    """Contiguous blocks covering ``range(n)``: one block for one job, else about ``per_job``
    blocks per job (so a slow block does not leave a core idle), each at least ``min_block``
    rows (default :data:`MIN_BLOCK`)."""
    min_block = MIN_BLOCK if min_block is None else min_block
    if n == 0:
        return []
    if n_jobs <= 1:
        return [(0, n)]
    k = max(1, min(n_jobs * per_job, n // min_block))
    edges = [round(n * j / k) for j in range(k + 1)]
    return [(lo, hi) for lo, hi in zip(edges, edges[1:]) if hi > lo]


def _run_block(k: int) -> Any:
    func, bounds = _TASK  # inherited from the parent at fork
    lo, hi = bounds[k]
    return func(lo, hi)


def map_blocks(func: Callable[[int, int], Any], n: int, n_jobs: int) -> list[Any]:
    """``[func(lo, hi) for lo, hi in block_bounds(n, n_jobs)]``, on ``n_jobs`` forked processes.

    Parameters
    ----------
    func : callable
        ``func(lo, hi)`` computes the results for rows ``lo:hi``; it may be a closure over
        anything in this process (workers inherit it at fork); its return value must pickle.
    n : int
        Number of rows.
    n_jobs : int
        Processes (see :func:`resolve_jobs`); 1 runs ``func(0, n)`` here.

    Returns
    -------
    list
        The blocks' results in row order.
    """
    global _TASK
    bounds = block_bounds(n, n_jobs)
    if n_jobs <= 1 or len(bounds) <= 1:
        return [func(lo, hi) for lo, hi in bounds]
    _TASK = (func, bounds)
    # the inherited objects go to the permanent generation, so the workers' garbage collections
    # do not touch (and copy) every page of the parent's heap
    gc.freeze()
    try:
        with mp.get_context("fork").Pool(min(n_jobs, len(bounds))) as pool:
            out = pool.map(_run_block, range(len(bounds)), chunksize=1)
            pool.close()
            pool.join()
    finally:
        _TASK = None
        gc.unfreeze()
    return out


_ROUNDS: tuple | None = None


def _rounds_worker(conn: Any, k: int) -> None:
    prepare, first, second, bounds = _ROUNDS  # inherited from the parent at fork
    try:
        state = prepare(*bounds[k])
        conn.send((True, first(state)))
        arg = conn.recv()
        conn.send((True, second(state, arg)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        import traceback

        conn.send((False, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def map_blocks_two_rounds(prepare: Callable[[int, int], Any], first: Callable[[Any], Any],
                          combine: Callable[[list[Any]], Any], second: Callable[[Any, Any], Any],
                          n: int, n_jobs: int) -> list[Any]:
    """Two passes over blocks of rows where the second needs what the first found in all blocks.

    Each of ``n_jobs`` forked workers takes one block ``lo:hi``, computes
    ``state = prepare(lo, hi)`` and ``first(state)``; this process combines the blocks' first
    results (``arg = combine(results)``) and sends ``arg`` back; each worker returns
    ``second(state, arg)`` from the state it kept (so it is not computed twice).

    Returns
    -------
    list
        ``second``'s results, in row order. With one job: the same computed here.
    """
    global _ROUNDS
    bounds = block_bounds(n, n_jobs, per_job=1)
    if n_jobs <= 1 or len(bounds) <= 1:
        states = [prepare(lo, hi) for lo, hi in bounds]
        arg = combine([first(st) for st in states])
        return [second(st, arg) for st in states]
    ctx = mp.get_context("fork")
    _ROUNDS = (prepare, first, second, bounds)
    gc.freeze()
    procs, conns = [], []
    try:
        for k in range(len(bounds)):
            parent_end, child_end = ctx.Pipe()
            p = ctx.Process(target=_rounds_worker, args=(child_end, k), daemon=True)
            p.start()
            child_end.close()
            procs.append(p)
            conns.append(parent_end)

        def receive(conn: Any, k: int) -> Any:
            try:
                ok, value = conn.recv()
            except EOFError:
                raise RuntimeError(f"worker for rows {bounds[k][0]}:{bounds[k][1]} died (out of memory?)") from None
            if not ok:
                raise RuntimeError(f"worker for rows {bounds[k][0]}:{bounds[k][1]} failed: {value}")
            return value

        firsts = [receive(c, k) for k, c in enumerate(conns)]
        arg = combine(firsts)
        del firsts
        for c in conns:
            c.send(arg)
        return [receive(c, k) for k, c in enumerate(conns)]
    finally:
        _ROUNDS = None
        for c in conns:
            c.close()
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.terminate()
                p.join()
        gc.unfreeze()
