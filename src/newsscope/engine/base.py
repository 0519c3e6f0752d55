"""The engine abstraction: map a function over partitions, keep results where they are, reduce.

An :class:`Engine` runs the partitioned stages of :mod:`newsscope.engine`. Two implementations
share one interface:

:class:`LocalEngine`
    Runs every task at once, in this process, one after the other. Handles are the values.
:class:`~newsscope.engine.dask.DaskEngine`
    Submits tasks to a Dask cluster (a scheduler address, or a ``LocalCluster`` on this
    machine). Handles are futures: results of one step stay on the workers and feed the next
    step without passing through this process, until :meth:`Engine.gather` fetches them.

The partitioned code is the same on both engines, and so are the partition boundaries and the
reduction tree (pairwise, in partition order), so a result never depends on the engine. It does
not depend on the partitioning either: every stage returns rows in a fixed order (input order,
``origin`` or ``doc_id``) and reduces counts exactly (integers).

Choosing an engine (:func:`get_engine`): ``"local"`` (the default), ``"dask"`` (a running
cluster: ``scheduler="tcp://host:8786"`` or the environment variable
``NEWSSCOPE_DASK_SCHEDULER``), ``"dask-local"`` (a ``LocalCluster`` started for the run and
shut down after it), an :class:`Engine`, or a ``distributed.Client``. ``NEWSSCOPE_ENGINE``
sets the default name, so a notebook run can be moved onto a cluster without editing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsscope.engine.core import Engine, PartitionError, _label, _Task, partition_bounds  # noqa: F401 - public here too

__all__ = [
    "ENGINE_NAMES", "ENGINE_ENV", "SCHEDULER_ENV", "Engine", "LocalEngine", "PartitionError", "get_engine", "engine_scope",
    "engine_requested", "partition_bounds",
]

#: Engine names accepted by :func:`get_engine`.
ENGINE_NAMES: tuple[str, ...] = ("local", "dask", "dask-local")
#: Environment variable naming the default engine (``local``, ``dask`` or ``dask-local``).
ENGINE_ENV = "NEWSSCOPE_ENGINE"
#: Environment variable holding the Dask scheduler address (``tcp://host:8786``).
SCHEDULER_ENV = "NEWSSCOPE_DASK_SCHEDULER"


class LocalEngine(Engine):
    """Run every task immediately in this process (the reference engine; no dependencies).

    Parameters
    ----------
    progress : bool
        Show a progress bar over partitions for steps given a ``desc``.
    """

    name = "local"

    @property
    def n_workers(self) -> int:
        """1: tasks run one after the other."""
        return 1

    def map(self, func: Callable, items: Sequence[Any], *args: Any, desc: str | None = None, **kwargs: Any) -> list[Any]:
        """Apply ``func`` to every item now; the handles are the values."""
        items = list(items)
        step = desc or _label(func)
        out = []
        with self._bar(len(items), desc) as bar:
            for k, item in enumerate(items):
                out.append(_Task(func, step, k, len(items))(item, *args, **kwargs))
                bar.update(1)
        return out

    def imap(self, func: Callable, items: Sequence[Any], *args: Any, desc: str | None = None,
             **kwargs: Any) -> Iterator[tuple[int, Any]]:
        """Compute one item at a time, in order, and yield it."""
        items = list(items)
        step = desc or _label(func)
        with self._bar(len(items), desc) as bar:
            for k, item in enumerate(items):
                value = _Task(func, step, k, len(items))(item, *args, **kwargs)
                bar.update(1)
                yield k, value

    def submit(self, func: Callable, *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` now and return its value."""
        return func(*args, **kwargs)

    def gather(self, handles: Any) -> Any:
        """The handles are already the values."""
        return handles

    def scatter(self, obj: Any) -> Any:
        """Nothing to send: return ``obj``."""
        return obj


def get_engine(engine: str | Engine | Any = None, *, scheduler: str | None = None, n_workers: int | None = None,
               threads_per_worker: int = 1, processes: bool = True, progress: bool = True) -> Engine:
    """Return an engine from a name, an :class:`Engine` or a ``distributed.Client``.

    Parameters
    ----------
    engine : {"local", "dask", "dask-local"}, Engine, distributed.Client or None
        None: the environment variable ``NEWSSCOPE_ENGINE``, else ``"local"``.
        ``"dask"``: connect to the scheduler at ``scheduler`` (or ``NEWSSCOPE_DASK_SCHEDULER``).
        ``"dask-local"``: start a ``LocalCluster`` on this machine (closed with the engine).
    scheduler : str, optional
        Scheduler address such as ``tcp://10.0.0.5:8786``. Giving one with ``engine=None``
        selects ``"dask"``.
    n_workers, threads_per_worker, processes
        ``"dask-local"`` only: worker processes (default: one per core), threads per worker
        (1: stages are Python-bound), processes (False: threads in this process).
    progress : bool
        Progress bars (stderr).

    Raises
    ------
    ValueError
        For an unknown name, or ``"dask"`` without a scheduler address.
    ConnectionError
        When the scheduler cannot be reached.
    """
    if isinstance(engine, Engine):
        return engine
    if engine is not None and not isinstance(engine, str):
        from distributed import Client

        if isinstance(engine, Client):
            from newsscope.engine.dask import DaskEngine

            return DaskEngine(client=engine, progress=progress)
        raise TypeError(f"engine={engine!r}: give a name {ENGINE_NAMES}, an Engine or a distributed.Client")
    name = engine or os.environ.get(ENGINE_ENV) or ("dask" if scheduler else "local")
    name = name.strip().lower()
    if name not in ENGINE_NAMES:
        raise ValueError(f"engine={name!r}: use one of {', '.join(ENGINE_NAMES)}"
                         + (f" (from the environment variable {ENGINE_ENV})" if engine is None else ""))
    if name == "local":
        return LocalEngine(progress=progress)
    from newsscope.engine.dask import DaskEngine

    if name == "dask":
        address = scheduler or os.environ.get(SCHEDULER_ENV)
        if not address:
            raise ValueError(f"engine='dask' needs a scheduler address: scheduler='tcp://host:8786' (--scheduler on the "
                             f"command line) or the environment variable {SCHEDULER_ENV}; for a cluster on this "
                             "machine use engine='dask-local'")
        return DaskEngine(address=address, progress=progress)
    return DaskEngine.local(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=processes, progress=progress)


def engine_requested(engine: str | Engine | Any = None) -> bool:
    """Return True if work should go to an engine: one is given, or ``NEWSSCOPE_ENGINE`` names one.

    ``None`` and ``"local"`` (and an unset or ``local`` environment variable) mean: run the
    stage's own sequential code. Stages use this to keep their default path unchanged.
    """
    if engine is None:
        engine = os.environ.get(ENGINE_ENV, "").strip() or None
    return engine is not None and not (isinstance(engine, str) and engine.strip().lower() == "local")


@contextmanager
def engine_scope(engine: str | Engine | Any = None, **options: Any) -> Iterator[Engine]:
    """Yield an engine for one call; close it afterwards only if it was created here.

    An :class:`Engine` or ``Client`` passed in stays open (the caller owns it); a name starts
    an engine (and, for ``"dask-local"``, a cluster) that is shut down on exit, also on errors.
    """
    owned = not isinstance(engine, Engine)  # a Client given by the caller is wrapped, never closed
    eng = get_engine(engine, **options)
    try:
        yield eng
    finally:
        if owned:
            eng.close()
