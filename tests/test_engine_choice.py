"""Choosing and reaching an engine: NEWSSCOPE_ENGINE, the scheduler setting, unreachable schedulers.

A small ``LocalCluster`` (2 workers as threads of this process: quick to start) stands in for a
running cluster that is reached by its address, as a user's ``dask scheduler`` would be. The
version check on connect needs workers in other processes and is in ``test_engine_dask.py``.
"""

from __future__ import annotations

import socket
import time

import pandas as pd
import pytest

from newsscope import engine as engine_mod
from newsscope import corpus, synth
from newsscope.engine import LocalEngine, engine_requested, get_engine
from newsscope.engine.dask import DaskEngine

ENV, SCHED = "NEWSSCOPE_ENGINE", "NEWSSCOPE_DASK_SCHEDULER"


@pytest.fixture(scope="module")
def cluster():
    eng = get_engine("dask-local", n_workers=2, threads_per_worker=1, processes=False, progress=False)
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, news100_path) -> dict:
    out = tmp_path_factory.mktemp("choice-corpus")
    synth.generate_pages(corpus.load_corpus("builtin:news100"), out, 40, seed=11)
    return {"folder": out / "pages", "manifest": out / "manifest.csv"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_environment_variable_names_the_default_engine(monkeypatch, cluster):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.delenv(SCHED, raising=False)
    assert isinstance(get_engine(), LocalEngine) and not engine_requested()
    monkeypatch.setenv(ENV, "local")
    assert isinstance(get_engine(), LocalEngine) and not engine_requested()
    assert engine_requested("dask") and not engine_requested("local")
    monkeypatch.setenv(ENV, " Dask ")
    assert engine_requested()
    with pytest.raises(ValueError, match=SCHED):  # dask chosen by the environment, but no address
        get_engine()
    monkeypatch.setenv(SCHED, cluster.address)
    with get_engine() as eng:  # connects to the running cluster, does not start one
        assert isinstance(eng, DaskEngine) and eng.name == "dask" and eng.address == cluster.address
        assert eng.gather(eng.map(abs, [-1, -2])) == [1, 2]
    assert isinstance(get_engine("local"), LocalEngine)  # an explicit name wins over the environment
    monkeypatch.setenv(ENV, "spark")
    with pytest.raises(ValueError, match=f"'spark'.*one of local, dask, dask-local.*environment variable {ENV}"):
        get_engine()


def test_the_environment_moves_load_clean_onto_the_cluster_with_the_same_table(monkeypatch, cluster, pages):
    from distributed import get_task_stream

    monkeypatch.delenv(ENV, raising=False)
    ref = engine_mod.load_clean(pages["folder"], manifest=pages["manifest"], include_removed=True)
    assert len(ref) >= 40
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(pages["folder"].parent / "cache-env"))  # no cached table to find
    monkeypatch.setenv(ENV, "dask")
    monkeypatch.setenv(SCHED, cluster.address)
    with get_task_stream(client=cluster.client) as stream:
        got = engine_mod.load_clean(pages["folder"], manifest=pages["manifest"], include_removed=True)
    keys = [str(t["key"]) for t in stream.data]
    steps = {k.rsplit("-", 2)[0] for k in keys if k.startswith("newsscope-")}
    assert {"newsscope-parse-partition", "newsscope-shingle-partition", "newsscope-finish-partition"} <= steps, steps
    pd.testing.assert_frame_equal(ref, got, check_exact=True)


def test_nothing_listening_at_the_address_fails_at_once_naming_address_and_setting(monkeypatch):
    address = f"tcp://127.0.0.1:{_free_port()}"
    t0 = time.perf_counter()
    with pytest.raises(ConnectionError) as err:
        get_engine("dask", scheduler=address)  # the default 30 s timeout is not waited for
    assert time.perf_counter() - t0 < 5
    assert address in str(err.value) and "scheduler=" in str(err.value) and "connection refused" in str(err.value)
    monkeypatch.setenv(ENV, "dask")
    monkeypatch.setenv(SCHED, address)
    with pytest.raises(ConnectionError, match=f"{address}.*environment variable {SCHED}.*{ENV}"):
        get_engine()
    with pytest.raises(ValueError, match="not valid"):
        get_engine("dask", scheduler="tcp://127.0.0.1:notaport")


def test_a_server_that_is_no_scheduler_times_out_within_the_timeout(monkeypatch):
    """Something accepts the connection but never answers as a scheduler would: bounded wait, clear error."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        t0 = time.perf_counter()
        with pytest.raises(ConnectionError, match=f"cannot reach the Dask scheduler at {address}.*scheduler="):
            get_engine("dask", scheduler=address, timeout=1.5)
        assert time.perf_counter() - t0 < 15
