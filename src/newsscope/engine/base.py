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
    "ENGINE_NAMES", "ENGINE_ENV", "SCHEDULER_ENV", "CONNECT_TIMEOUT", "Engine", "LocalEngine", "PartitionError",
    "get_engine", "engine_scope",
    "engine_requested", "partition_bounds",
]

#: Engine names accepted by :func:`get_engine`.
ENGINE_NAMES: tuple[str, ...] = ("local", "dask", "dask-local")
#: Environment variable naming the default engine (``local``, ``dask`` or ``dask-local``).
ENGINE_ENV = "NEWSSCOPE_ENGINE"
#: Environment variable holding the Dask scheduler address (``tcp://host:8786``).
SCHEDULER_ENV = "NEWSSCOPE_DASK_SCHEDULER"
#: Seconds :func:`get_engine` waits for a Dask scheduler (and its first worker) by default.
CONNECT_TIMEOUT = 30.0


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
               threads_per_worker: int = 1, processes: bool = True, progress: bool = True,
               timeout: float = CONNECT_TIMEOUT) -> Engine:
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
    timeout : float
        ``"dask"``: seconds to wait for the scheduler and for its first worker. A TCP address
        where nothing listens fails at once (before the Dask client's own retries).

    Raises
    ------
    ValueError
        For an unknown name, or ``"dask"`` without a scheduler address.
    ConnectionError
        When the scheduler cannot be reached within ``timeout`` or has no worker; the message
        names the address and the setting it came from (``scheduler=`` or
        ``NEWSSCOPE_DASK_SCHEDULER``).
    RuntimeError
        When the workers run another newsscope version than this process (the message lists
        the workers and their versions).
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
        origin = ("scheduler= (--scheduler on the command line)" if scheduler
                  else f"the environment variable {SCHEDULER_ENV}")
        if engine is None and os.environ.get(ENGINE_ENV, "").strip():
            origin += f"; engine 'dask' from the environment variable {ENGINE_ENV}"
        _probe_scheduler(address, timeout, origin)
        try:
            return DaskEngine(address=address, timeout=timeout, progress=progress)
        except ConnectionError as exc:
            raise ConnectionError(f"{exc} [address from {origin}]") from exc
    return DaskEngine.local(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=processes, progress=progress)


def _probe_scheduler(address: str, timeout: float, origin: str) -> None:
    """Fail within ``timeout``, naming ``address`` and ``origin``, when no Dask scheduler answers there.

    Two checks before the Dask client connects: a plain TCP connect, which tells a wrong port or
    a scheduler that is not running within milliseconds (the client retries a refused
    connection until its timeout); and Dask's handshake under a deadline, because the client
    waits for the handshake without one (a server that accepts the connection but is no Dask
    scheduler would hang it). Only ``tcp`` addresses are probed; others are left to the client.
    """
    import asyncio
    import socket
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import parse_address, parse_host_port

    try:
        scheme, loc = parse_address(address)
        host, port = parse_host_port(loc, 8786)
    except ValueError as exc:
        raise ValueError(f"Dask scheduler address {address!r} (from {origin}) is not valid: {exc}; "
                         "use e.g. tcp://host:8786") from exc
    if scheme != "tcp":
        return
    advice = ("Start `dask scheduler` there (and `dask worker <address>` on the workers), correct the address, "
              "or use engine='dask-local' for a cluster on this machine")
    try:
        with socket.create_connection((host, port), timeout=max(0.1, min(timeout, 10.0))):
            pass
    except OSError as exc:
        reason = "nothing listens there (connection refused)" if isinstance(exc, ConnectionRefusedError) else \
            f"{type(exc).__name__}: {exc}"
        raise ConnectionError(f"cannot reach the Dask scheduler at {address} (address from {origin}): {reason}. "
                              f"{advice}") from exc

    async def handshake() -> None:
        from distributed.comm import connect

        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
        await comm.close()

    # in a thread of its own: this may be called from a running event loop (a notebook's kernel)
    with ThreadPoolExecutor(1, thread_name_prefix="newsscope-probe") as pool:
        try:
            pool.submit(asyncio.run, handshake()).result()
        except (OSError, asyncio.TimeoutError, TimeoutError) as exc:
            raise ConnectionError(f"cannot reach the Dask scheduler at {address} (address from {origin}): no Dask "
                                  f"scheduler answered within {timeout:g} s{f' ({exc})' if str(exc) else ''}; is "
                                  f"another service listening on port {port}? {advice}") from exc


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
