"""How many processes a stage runs on: one rule for every stage that can use several cores.

Cleaning (:mod:`newsscope.clean.parallel`), the vectorizer (:mod:`newsscope.vectorize.store`)
and the topic sweep (:func:`newsscope.topics.selection.sweep_k`) take an ``n_jobs`` argument with
the same meaning: None (the default) uses every available core once the corpus is large enough
for worker processes to pay for their start-up, and one process below; -1 every core; a
positive number that many processes. It never changes a result, so it is never part of a cache
key. Stages whose workers are *forked* (they inherit the data instead of receiving it) run in
one process where forking is not possible (Windows, macOS' default start method, inside a
daemonic worker).
"""

from __future__ import annotations

import multiprocessing as mp
import os

__all__ = ["available_cores", "can_fork", "resolve_jobs"]


def available_cores() -> int:
    """Return the number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Return True if this process can fork worker processes."""
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def resolve_jobs(n_jobs: int | None, n_items: int, *, min_items: int, fork: bool = True) -> int:
    """Return how many processes work on ``n_items`` items.

    Parameters
    ----------
    n_jobs : int or None
        None: every available core from ``min_items`` items up, else 1. -1: every available
        core. A positive integer: that many processes.
    n_items : int
        Articles or documents to work on; never more processes than items.
    min_items : int
        The stage's threshold for ``n_jobs=None``.
    fork : bool
        The stage's workers are forked: 1 where this process cannot fork.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        For any other ``n_jobs`` (0, -2, 1.5, "2").
    """
    if n_jobs is None:
        jobs = available_cores() if n_items >= min_items else 1
    elif isinstance(n_jobs, (int,)) and not isinstance(n_jobs, bool) and n_jobs == -1:
        jobs = available_cores()
    elif isinstance(n_jobs, (int,)) and not isinstance(n_jobs, bool) and n_jobs >= 1:
        jobs = n_jobs
    else:
        raise ValueError(f"n_jobs must be None, -1 or a positive integer, got {n_jobs!r}")
    if jobs > 1 and fork and not can_fork():
        return 1
    return max(1, min(jobs, n_items))
