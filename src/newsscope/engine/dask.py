"""The Dask engine: partitioned stages on a Dask cluster, or on a ``LocalCluster`` on this machine.

Every task is a plain function of :mod:`newsscope` (pickled by reference), so the workers need the
same newsscope version installed (checked when connecting) and, for parsing, the page files at
the same path (a shared or network file system). Results of one step stay on the workers as
futures until they are gathered; the process that started the run (the *driver*) writes caches
and result tables, so the workers need no access to ``data/processed``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from newsscope.engine.core import Engine, _label, _Task

__all__ = ["DaskEngine"]


def _worker_version() -> str:
    import newsscope

    return newsscope.__version__


class DaskEngine(Engine):
    """Run tasks on a Dask cluster.

    Use :meth:`local` for a cluster on this machine, or give a scheduler ``address`` or a
    ``client``. The engine closes what it opened (client, local cluster) in :meth:`close`; a
    client passed in stays open.

    Parameters
    ----------
    address : str, optional
        Scheduler address (``tcp://host:8786``).
    client : distributed.Client, optional
        An existing client (not closed by the engine).
    timeout : float
        Seconds to wait for the scheduler and for at least one worker.
    progress : bool
        Progress bars (stderr) for steps given a ``desc``.

    Raises
    ------
    ConnectionError
        When the scheduler cannot be reached or has no worker within ``timeout``.
    RuntimeError
        When a worker runs another newsscope version than this process.
    """

    name = "dask"

    def __init__(self, address: str | None = None, *, client: Any = None, timeout: float = 30.0, progress: bool = True,
                 _cluster: Any = None) -> None:
        super().__init__(progress=progress)
        from distributed import Client

        self._cluster = _cluster
        self._own_client = client is None
        if client is None:
            target = _cluster if _cluster is not None else address
            if target is None:
                raise ValueError("DaskEngine needs a scheduler address, a client or a cluster")
            try:
                client = Client(target, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                if _cluster is not None:
                    _cluster.close()
                raise ConnectionError(f"cannot reach the Dask scheduler at {address}: {exc} "
                                      "(is `dask scheduler` running there and the port open?)") from exc
        self.client = client
        self.address = client.scheduler.address
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ConnectionError(f"the Dask scheduler at {self.address} has no workers (waited {timeout:g} s); "
                                  "start some with `dask worker <address>`") from exc
        if _cluster is None:
            try:
                self._check_versions()
            except Exception:
                self.close()
                raise

    @classmethod
    def local(cls, n_workers: int | None = None, *, threads_per_worker: int = 1, processes: bool = True,
              progress: bool = True, **cluster_options: Any) -> "DaskEngine":
        """Start a ``distributed.LocalCluster`` on this machine and return an engine owning it.

        Parameters
        ----------
        n_workers : int, optional
            Worker processes (default: the cores available to this process).
        threads_per_worker : int
            Threads per worker (1: the stages are pure Python and hold the GIL).
        processes : bool
            Workers in separate processes (True) or as threads of this process (False: quick to
            start, but one core's worth of Python at a time).
        **cluster_options
            Passed to ``LocalCluster`` (e.g. ``memory_limit="4GiB"``, ``dashboard_address=":8787"``).
        """
        import multiprocessing

        from distributed import LocalCluster

        if multiprocessing.parent_process() is not None:
            raise RuntimeError("a LocalCluster cannot be started inside a worker process: a script that starts one must "
                               "keep its code under `if __name__ == '__main__':` (worker processes import the script)")
        if n_workers is None:
            n_workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        import dask

        cluster_options.setdefault("dashboard_address", ":0")  # any free port (the HTTP server always runs)
        # no statistical profiler in the workers (it samples every task's stack every 10 ms); the
        # distributed config is loaded (imported above) before it is changed, so the change is undone cleanly
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=processes,
                                   **cluster_options)
        engine = cls(progress=progress, _cluster=cluster)
        engine.name = "dask-local"
        return engine

    def _check_versions(self) -> None:
        from newsscope import __version__

        try:
            versions = self.client.run(_worker_version)
        except Exception as exc:  # newsscope missing on a worker
            raise RuntimeError(f"the workers of {self.address} cannot import newsscope ({type(exc).__name__}: {exc}); "
                               f"install newsscope {__version__} and its requirements on every worker") from exc
        other = {w: v for w, v in versions.items() if v != __version__}
        if other:
            raise RuntimeError(f"the workers of {self.address} run another newsscope version than this process "
                               f"({__version__}): {other}; install newsscope {__version__} on every worker")

    @property
    def n_workers(self) -> int:
        """Threads across the cluster's workers (tasks that can run at once)."""
        return max(1, sum(self.client.nthreads().values()))

    def _key(self, step: str, k: int) -> str:
        return f"newsscope-{step}-{k}-{uuid.uuid4().hex[:12]}"

    def map(self, func: Callable, items: Sequence[Any], *args: Any, desc: str | None = None, **kwargs: Any) -> list[Any]:
        """Submit ``func(item, *args, **kwargs)`` per item; with ``desc`` wait (progress bar)."""
        items = list(items)
        step = desc or _label(func)
        futures = [self.client.submit(_Task(func, step, k, len(items)), item, *args, key=self._key(_label(func), k),
                                      pure=False, **kwargs)
                   for k, item in enumerate(items)]
        if desc:
            self._wait(futures, desc)
        return futures

    def imap(self, func: Callable, items: Sequence[Any], *args: Any, desc: str | None = None,
             **kwargs: Any) -> Iterator[tuple[int, Any]]:
        """Submit every item; yield ``(position, value)`` as tasks finish (each result fetched once)."""
        from distributed import as_completed

        futures = self.map(func, items, *args, **kwargs)
        position = {f.key: k for k, f in enumerate(futures)}
        with self._bar(len(futures), desc) as bar:
            for f in as_completed(futures, loop=self.client.loop):
                value = f.result()
                bar.update(1)
                k = position[f.key]
                futures[k] = None  # the worker may drop it
                f.release()
                yield k, value

    def _wait(self, futures: list[Any], desc: str) -> None:
        from distributed import as_completed

        with self._bar(len(futures), desc) as bar:
            for f in as_completed(futures, loop=self.client.loop):
                if f.status == "error":
                    raise f.exception()
                bar.update(1)

    def submit(self, func: Callable, *args: Any, **kwargs: Any) -> Any:
        """Submit one task; return its future."""
        return self.client.submit(func, *args, key=self._key(_label(func), 0), pure=False, **kwargs)

    def gather(self, handles: Any) -> Any:
        """Fetch the values of futures (a list keeps its order)."""
        return self.client.gather(handles)

    def scatter(self, obj: Any) -> Any:
        """Send ``obj`` to every worker once; return its future."""
        return self.client.scatter(obj, broadcast=True, hash=False)

    def release(self, handles: Any) -> None:
        """Cancel/forget futures that are no longer needed."""
        items = handles if isinstance(handles, (list, tuple)) else [handles]
        for f in items:
            if hasattr(f, "release"):
                f.release()

    def close(self) -> None:
        """Close the client and the local cluster this engine started (idempotent)."""
        if self._own_client and getattr(self, "client", None) is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __repr__(self) -> str:
        if getattr(self, "client", None) is None:
            return f"<DaskEngine {self.name!r} closed>"
        return f"<DaskEngine {self.name!r} {self.address} workers={self.n_workers}>"

