"""The engine interface: :class:`Engine` (map over partitions, keep results where they are, reduce).

Implementations: :class:`~newsscope.engine.base.LocalEngine` (this process) and
:class:`~newsscope.engine.dask.DaskEngine` (a Dask cluster); :func:`~newsscope.engine.base.get_engine`
chooses one. This module imports neither, so both can import it (no cycle).
"""

from __future__ import annotations

import math
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["Engine", "PartitionError", "partition_bounds"]


class PartitionError(RuntimeError):
    """A task failed on one partition; the message names the step, the partition and the cause."""


def partition_bounds(n: int, size: int, *, min_parts: int = 1) -> list[tuple[int, int]]:
    """Split ``range(n)`` into contiguous ``(start, stop)`` partitions.

    Parameters
    ----------
    n : int
        Number of items.
    size : int
        Largest partition.
    min_parts : int
        At least this many partitions (when there are that many items), so that every worker
        gets work on a small input.

    Returns
    -------
    list of (int, int)
        In order; sizes differ by at most one. Empty for ``n == 0``.

    Examples
    --------
    >>> partition_bounds(10, 4)
    [(0, 4), (4, 7), (7, 10)]
    >>> partition_bounds(10, 100, min_parts=2)
    [(0, 5), (5, 10)]
    """
    if size < 1:
        raise ValueError(f"partition size must be at least 1, got {size}")
    if n <= 0:
        return []
    parts = min(n, max(math.ceil(n / size), min_parts))
    base, extra = divmod(n, parts)
    out, lo = [], 0
    for k in range(parts):
        hi = lo + base + (k < extra)
        out.append((lo, hi))
        lo = hi
    return out


def _label(func: Callable) -> str:
    return getattr(func, "__name__", type(func).__name__).lstrip("_").replace("_", "-")


class _Task:
    """A picklable wrapper naming the step and partition in any error a task raises."""

    def __init__(self, func: Callable, step: str, k: int, n: int) -> None:
        self.func, self.step, self.k, self.n = func, step, k, n

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.func(*args, **kwargs)
        except PartitionError:
            raise
        except Exception as exc:  # add where it happened; the original type and message stay in the text
            raise PartitionError(f"{self.step}: partition {self.k + 1} of {self.n} failed: {type(exc).__name__}: {exc}") from exc


class Engine(ABC):
    """Run a function over partitions and reduce the results.

    Handles returned by :meth:`map` and :meth:`submit` are the values themselves
    (:class:`LocalEngine`) or futures (Dask); pass them to further ``map``/``submit`` calls as
    items or arguments, and call :meth:`gather` for the values.

    Parameters
    ----------
    progress : bool
        Show a progress bar (stderr) for steps given a ``desc``.
    """

    #: Engine name (``local``, ``dask``, ``dask-local``).
    name: str = "engine"

    def __init__(self, progress: bool = True) -> None:
        self.progress = progress

    @property
    @abstractmethod
    def n_workers(self) -> int:
        """Number of tasks that can run at the same time."""

    @abstractmethod
    def map(self, func: Callable, items: Sequence[Any], *args: Any, desc: str | None = None, **kwargs: Any) -> list[Any]:
        """Apply ``func(item, *args, **kwargs)`` to every item; return one handle per item, in order.

        ``args`` and ``kwargs`` may be handles (e.g. from :meth:`scatter`). With ``desc`` the
        call waits for every task and shows a progress bar.
        """

    @abstractmethod
    def imap(self, func: Callable, items: Sequence[Any], *args: Any, desc: str | None = None,
             **kwargs: Any) -> Iterator[tuple[int, Any]]:
        """Yield ``(position, value)`` of ``func(item, ...)`` as tasks finish (any order on a cluster).

        For results that the driver consumes one by one (e.g. writes to a store), so that an
        interrupted run keeps what was finished and memory holds few results at a time.
        """

    @abstractmethod
    def submit(self, func: Callable, *args: Any, **kwargs: Any) -> Any:
        """Run one task ``func(*args, **kwargs)`` and return its handle."""

    @abstractmethod
    def gather(self, handles: Any) -> Any:
        """Return the values of a handle or of a list of handles."""

    @abstractmethod
    def scatter(self, obj: Any) -> Any:
        """Send ``obj`` once to every worker; return a handle to pass to tasks."""

    def release(self, handles: Any) -> None:
        """Drop handles whose values are no longer needed (frees worker memory)."""

    def close(self) -> None:
        """Release the engine's resources (a cluster it started)."""

    def reduce(self, func: Callable[[Any, Any], Any], handles: Sequence[Any], *, gather: bool = True) -> Any:
        """Combine handles pairwise with ``func(a, b)`` in a fixed tree (partition order).

        The tree depends only on the number of handles, so a reduction gives the same result on
        every engine (also for floating-point sums). Returns the value, or a handle when
        ``gather`` is False. Raises ValueError for no handles.
        """
        level = list(handles)
        if not level:
            raise ValueError("nothing to reduce: no partitions")
        step = _label(func)
        while len(level) > 1:
            nxt = [self.submit(_Task(func, step, k, (len(level) + 1) // 2), level[i], level[i + 1])
                   for k, i in enumerate(range(0, len(level) - 1, 2))]
            if len(level) % 2:
                nxt.append(level[-1])
            level = nxt
        return self.gather(level[0]) if gather else level[0]

    def map_reduce(self, func: Callable, items: Sequence[Any], reduce: Callable[[Any, Any], Any], *args: Any,
                   desc: str | None = None, **kwargs: Any) -> Any:
        """``reduce`` over ``map(func, items, ...)``; the value (see :meth:`reduce`)."""
        return self.reduce(reduce, self.map(func, items, *args, desc=desc, **kwargs))

    def partitions(self, n: int, size: int) -> list[tuple[int, int]]:
        """Partition bounds for ``n`` items: at most ``size`` per partition, work for every worker.

        The bounds depend on ``n``, ``size`` and the number of workers only.
        """
        return partition_bounds(n, size, min_parts=2 * self.n_workers if n >= 4 * self.n_workers else 1)

    def _bar(self, total: int, desc: str | None):
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit="part", file=sys.stderr, disable=not (self.progress and desc),
                    mininterval=0.5, leave=False)

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} workers={self.n_workers}>"
