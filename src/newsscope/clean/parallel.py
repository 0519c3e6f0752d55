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
import threading
from collections.abc import Callable
from typing import Any

from newsscope import cores

__all__ = ["PARALLEL_MIN_ARTICLES", "MIN_BLOCK", "resolve_jobs", "block_bounds", "map_blocks",
           "map_blocks_two_rounds"]

#: With ``n_jobs=None`` corpora of at least this many articles are cleaned on all cores; smaller
#: ones in this process (starting workers costs more than it saves there).
PARALLEL_MIN_ARTICLES = 20_000

#: The smallest block of rows a worker is given (fewer, larger blocks below that).
MIN_BLOCK = 500

_TASK: tuple | None = None


def resolve_jobs(n_jobs: int | None, n_items: int) -> int:
    """How many processes a phase over ``n_items`` articles runs on.

    None: all available cores from :data:`PARALLEL_MIN_ARTICLES` articles up, else 1; -1: all
    available cores; a positive number: that many (:func:`newsscope.cores.resolve_jobs`). Always
    1 where processes cannot be forked.
    """
    return cores.resolve_jobs(n_jobs, n_items, min_items=PARALLEL_MIN_ARTICLES)


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


def _take(counter: Any, n_blocks: int) -> int | None:
    """The next block nobody has taken yet (None when all are taken)."""
    with counter.get_lock():
        k = counter.value
        if k >= n_blocks:
            return None
        counter.value = k + 1
    return k


def _blocks_worker(conn: Any) -> None:
    func, bounds, counter = _TASK  # inherited from the parent at fork
    try:
        while (k := _take(counter, len(bounds))) is not None:
            try:
                conn.send((k, True, func(*bounds[k])))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
                import traceback

                conn.send((k, False, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
                return
        conn.send(None)
    finally:
        conn.close()


def map_blocks(func: Callable[[int, int], Any], n: int, n_jobs: int) -> list[Any]:
    """``[func(lo, hi) for lo, hi in block_bounds(n, n_jobs)]``, on ``n_jobs`` processes.

    This process and ``n_jobs - 1`` forked workers take blocks in turn until none is left;
    the workers send their blocks' results back (a thread here receives them meanwhile).

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
    ctx = mp.get_context("fork")
    counter = ctx.Value("l", 0)
    results: list[Any] = [None] * len(bounds)
    done = [False] * len(bounds)
    errors: list[str] = []
    _TASK = (func, bounds, counter)
    # the inherited objects go to the permanent generation, so the workers' garbage collections
    # do not touch (and copy) every page of this process' heap
    gc.freeze()
    procs, conns, threads = [], [], []
    try:
        for _ in range(min(n_jobs, len(bounds)) - 1):
            recv_end, send_end = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_blocks_worker, args=(send_end,), daemon=True)
            proc.start()
            send_end.close()
            procs.append(proc)
            conns.append(recv_end)

        def collect(conn: Any) -> None:
            while True:
                try:
                    msg = conn.recv()
                except (EOFError, OSError):
                    errors.append("a worker died before it finished (out of memory?)")
                    return
                if msg is None:
                    return
                k, ok, value = msg
                if not ok:
                    errors.append(f"block {bounds[k][0]}:{bounds[k][1]} failed in a worker: {value}")
                    return
                results[k] = value
                done[k] = True

        threads = [threading.Thread(target=collect, args=(c,), daemon=True) for c in conns]
        for t in threads:
            t.start()
        try:
            while (k := _take(counter, len(bounds))) is not None:
                results[k] = func(*bounds[k])
                done[k] = True
        except BaseException:
            with counter.get_lock():  # the workers stop after their current block
                counter.value = len(bounds)
            raise
        finally:
            for t in threads:
                t.join()
        if errors:
            raise RuntimeError(errors[0])
        if not all(done):  # pragma: no cover - a worker stopped without saying why
            raise RuntimeError("some blocks were not computed")
        return results
    finally:
        _TASK = None
        _stop_workers(procs, conns)


def _stop_workers(procs: list, conns: list) -> None:
    """Close the pipes, wait for the workers (a minute at most, then end them), thaw the GC."""
    for c in conns:
        c.close()
    for proc in procs:
        proc.join(timeout=60)
        if proc.is_alive():
            proc.terminate()
            proc.join()
    gc.unfreeze()


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

    The rows are cut into ``n_jobs`` blocks; this process takes the first, a forked worker
    each other one. Each computes ``state = prepare(lo, hi)`` and ``first(state)``; this
    process combines the blocks' first results (``arg = combine(results)``) and sends ``arg``
    to the workers; each returns ``second(state, arg)`` from the state it kept (so it is not
    computed twice).

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
        for k in range(1, len(bounds)):
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

        state = prepare(*bounds[0])
        firsts = [first(state)] + [receive(c, k) for k, c in enumerate(conns, start=1)]
        arg = combine(firsts)
        del firsts
        for c in conns:
            c.send(arg)
        own = second(state, arg)
        del state
        return [own] + [receive(c, k) for k, c in enumerate(conns, start=1)]
    finally:
        _ROUNDS = None
        _stop_workers(procs, conns)
