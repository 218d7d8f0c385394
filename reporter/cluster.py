"""Dask distributed for ``reporter backfill``: a local cluster or a remote scheduler, one task
per item, each item answered exactly once, and a stop that leaves no process behind.

Speed machinery, apart from the flow (``reporter.backfill``). ``dask`` and ``distributed`` load
only when a cluster starts: ``parse_scheduler`` and importing this module stay cheap.

- ``local[:N]``: a cluster of N worker processes on this machine (one thread each; default:
  one per core), started in the background while the caller reads its data. ``tcp://HOST:PORT``:
  an existing scheduler (``dask scheduler``, dask-kubernetes, dask-jobqueue); its workers need
  only the package installed, at the same version.
- The shared input is scattered once; tasks take it as a dependency, so each worker receives it
  once. A worker that dies mid-task (out of memory, ``kill -9``) has its task rerun elsewhere
  by the scheduler; if the shared input is lost with it (it lived only there), it is scattered
  again and the items not yet answered are resubmitted. Every item is yielded once.
- Every wait is bounded (start, connection, first worker, progress, results, stop).
- SIGTERM raises ``Terminated`` (like Ctrl-C raises ``KeyboardInterrupt``) while a ``Cluster``
  is open, so the ``with`` block unwinds; leaving it closes the client and the cluster, then
  ends whatever process the cluster started that is still alive (workers, nannies, the
  multiprocessing resource tracker).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import queue
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reporter.errors import ConfigError, ReporterError, Terminated

LOCAL = "local"
#: Seconds a local cluster may take to start (workers load the chart and PDF libraries).
START_TIMEOUT = 180.0
#: Seconds to reach a remote scheduler, and then to see its first worker.
CONNECT_TIMEOUT = 30.0
WORKER_TIMEOUT = 120.0
#: Seconds without any task finishing before the run gives up on the rest.
STALL_TIMEOUT = 900.0
#: Seconds to fetch one finished task's result from its worker.
RESULT_TIMEOUT = 120.0
#: Seconds the cluster gets to stop before its remaining processes are killed.
CLOSE_TIMEOUT = 10.0
#: How often the shared input may be scattered again after it was lost with its workers.
RESCATTER_LIMIT = 3
MAX_LOCAL_WORKERS = 64


@dataclass(frozen=True)
class Scheduler:
    """Where tasks run: a local cluster of ``workers`` processes, or a scheduler's address."""

    address: str | None = None
    workers: int = 1

    @property
    def is_local(self) -> bool:
        return self.address is None

    def __str__(self) -> str:
        return f"{LOCAL}:{self.workers}" if self.address is None else self.address


def usable_cores() -> int:
    """Cores this process may run on (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def parse_scheduler(text: str) -> Scheduler:
    """``local``, ``local:N`` or ``tcp://HOST:PORT`` (also ``tls://``); ConfigError otherwise."""
    value = text.strip()
    if value == LOCAL:
        return Scheduler(workers=usable_cores())
    if value.startswith(LOCAL + ":"):
        count = value[len(LOCAL) + 1:]
        if not count.isdigit() or not 1 <= int(count) <= MAX_LOCAL_WORKERS:
            raise ConfigError(f"--scheduler: expected local:N with N from 1 to "
                              f"{MAX_LOCAL_WORKERS}, got {text!r}")
        return Scheduler(workers=int(count))
    scheme, sep, rest = value.partition("://")
    host, colon, port = rest.rpartition(":")
    if (sep and scheme in ("tcp", "tls") and colon and host and port.isdigit()
            and 0 < int(port) < 65536 and "/" not in host and " " not in host):
        return Scheduler(address=value)
    raise ConfigError(f"--scheduler: expected local, local:N or tcp://HOST:PORT, got {text!r}")


class TaskLost(ReporterError):
    """A task could not be completed by the cluster (its workers kept dying, or it stalled)."""


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """SIGTERM raises ``Terminated`` in the main thread, so cleanup runs as for Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the cluster stops (the stop is bounded): a second Ctrl-C
    must not cut the cleanup short and leave processes behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _quiet_logs(verbose: bool) -> int:
    """Dask's own log lines stay out of the output unless ``--verbose``; returns the level."""
    level = logging.WARNING if verbose else logging.CRITICAL
    for name in ("distributed", "dask", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(level)
    return level


class Cluster:
    """A Dask cluster for one run: ``start()`` early, ``map()`` the tasks, leave the ``with``.

    ``preload`` names modules each local worker imports before it takes work (the heavy
    libraries load while the caller reads its data).
    """

    def __init__(self, scheduler: Scheduler, *, preload: Sequence[str] = (),
                 verbose: bool = False) -> None:
        self.scheduler = scheduler
        self.preload = list(preload)
        self.verbose = verbose
        self.client: Any = None
        self._cluster: Any = None
        self._starter: threading.Thread | None = None
        self._start_error: BaseException | None = None
        self._closing = False
        self._before: set[tuple[int, float]] = set()  # processes that were there: not ours

    # -- start ------------------------------------------------------------------------------
    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(interrupted=exc_type is not None)

    def start(self) -> None:
        """Begin starting the cluster (or connecting) in the background."""
        self._before = set(_descendants())
        self._starter = threading.Thread(target=self._start, name="reporter-cluster-start",
                                         daemon=True)
        self._starter.start()

    def _start(self) -> None:
        # Ctrl-C is the coordinator's: blocked in this thread, it stays blocked in the event
        # loop's thread started from here and in every worker process spawned from that one
        # (a signal mask is inherited), so a terminal's Ctrl-C, sent to the whole process
        # group, never hits a worker that is still starting. The multiprocessing resource
        # tracker starts first: starting it unblocks SIGINT in the thread that starts it.
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            import dask
            from distributed import Client, LocalCluster

            level = _quiet_logs(self.verbose)
            dask.config.set({"distributed.admin.tick.limit": "1h"})  # long renders are normal
            if self.scheduler.is_local:
                cluster = LocalCluster(
                    n_workers=self.scheduler.workers, threads_per_worker=1, processes=True,
                    dashboard_address=":0" if self.verbose else None, silence_logs=level,
                    preload=self.preload, memory_limit=0, scheduler_port=0,
                )
                self._cluster = cluster
                if self._closing:
                    return
                self.client = Client(cluster, timeout=CONNECT_TIMEOUT)
            else:
                self.client = Client(self.scheduler.address, timeout=CONNECT_TIMEOUT)
        except BaseException as exc:  # reported to the caller by ready()
            self._start_error = exc

    def ready(self) -> Any:
        """The connected client, once the cluster has a worker (every wait bounded)."""
        assert self._starter is not None, "start() first"
        self._starter.join(START_TIMEOUT)
        if self._starter.is_alive():
            raise TaskLost(f"the Dask cluster ({self.scheduler}) did not start within "
                           f"{START_TIMEOUT:.0f} s")
        if self._start_error is not None:
            exc = self._start_error
            if isinstance(exc, (KeyboardInterrupt, Terminated)):
                raise exc
            where = f"the Dask scheduler at {self.scheduler.address}" if self.scheduler.address \
                else "a local Dask cluster"
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise ConfigError(f"--scheduler: cannot use {where}: {text}") from None
        if not self.scheduler.is_local:
            try:
                self.client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
            except TimeoutError:
                raise ConfigError(f"--scheduler: the Dask scheduler at "
                                  f"{self.scheduler.address} has no worker (waited "
                                  f"{WORKER_TIMEOUT:.0f} s)") from None
        return self.client

    @property
    def dashboard(self) -> str | None:
        """The Dask dashboard's address, when the scheduler serves one."""
        if self.client is None:
            return None
        try:
            info = self.client.scheduler_info()
        except Exception:
            return None
        if "dashboard" not in info.get("services", {}):
            return None
        return str(self.client.dashboard_link)

    def check_environment(self) -> None:
        """A remote cluster runs this package at this version, on every worker and on the
        scheduler (which unpickles the tasks): else one error now, not one per session."""
        if self.scheduler.is_local:
            return
        client = self.ready()
        expected = _installed_version()
        where = f"--scheduler {self.scheduler.address}"
        try:
            found = client.run(_installed_version, on_error="return")
        except Exception as exc:
            raise ConfigError(f"{where}: cannot ask the workers for their reporter version: "
                              f"{_one_line(exc)}") from None
        for worker, version in sorted(found.items()):
            if version != expected:
                have = _one_line(version) if isinstance(version, BaseException) else version
                raise ConfigError(f"{where}: worker {worker} has reporter {have}, this "
                                  f"machine {expected}: install reporter {expected} on every "
                                  "worker")
        try:
            client.submit(_installed_version, pure=False).result(timeout=WORKER_TIMEOUT)
        except Exception as exc:
            reason = _one_line(exc).split(". ")[0]  # Dask's first sentence, without its link
            raise ConfigError(f"{where}: the scheduler cannot run reporter's tasks ({reason}); "
                              f"install reporter {expected} where the scheduler runs too") from None

    # -- tasks ------------------------------------------------------------------------------
    def map(self, func: Callable[..., Any], items: Sequence[str], shared: Any,
            *args: Any) -> Iterator[tuple[str, Any]]:
        """``func(shared, item, *args)`` for every item on the cluster; yields ``(item,
        result)`` as each finishes, each item once. A task the cluster could not complete
        yields ``(item, TaskLost)``; only a stall (no task finished for ``STALL_TIMEOUT``)
        ends the iteration early, by raising TaskLost.

        At most about two tasks per worker thread are submitted at a time: results wait on
        the workers only until the caller has taken them, however slowly it writes.
        """
        client = self.ready()
        done: queue.Queue[Any] = queue.Queue()
        token = uuid.uuid4().hex[:6]
        local = self.scheduler.is_local
        waiting = collections.deque(items)
        scatters = 0
        gave_up = (f"the shared history was lost with its workers again after being shipped "
                   f"{RESCATTER_LIMIT + 1} time(s)")

        def scatter() -> Any:
            try:
                return client.scatter(shared, broadcast=local, hash=False,
                                      timeout=WORKER_TIMEOUT)
            except Exception as exc:
                raise TaskLost(f"could not ship the history to the cluster: "
                               f"{_one_line(exc)}") from None

        def submit(item: str, data: Any) -> Any:
            # a fresh key for every attempt: a key once cancelled stays cancelled
            fut = client.submit(func, data, item, *args,
                                key=f"session-{item}-{token}-{uuid.uuid4().hex[:8]}")
            fut.add_done_callback(lambda f, item=item: done.put((item, f)))
            return fut

        def fill(data: Any) -> None:
            limit = 2 * sum(client.nthreads().values()) + 2
            while waiting and len(pending) < limit:
                item = waiting.popleft()
                pending[item] = submit(item, data)

        pending: dict[str, Any] = {}
        data = scatter()
        fill(data)
        try:
            while pending:
                try:
                    item, fut = done.get(timeout=STALL_TIMEOUT)
                except queue.Empty:
                    raise TaskLost(f"no session finished within {STALL_TIMEOUT:.0f} s; "
                                   f"{len(pending) + len(waiting)} not done") from None
                if item not in pending or pending[item] is not fut:
                    continue  # an earlier attempt, already replaced
                if fut.status == "cancelled":  # the shared input was lost with its workers
                    if data.status == "cancelled":  # not shipped again yet
                        if scatters >= RESCATTER_LIMIT:
                            del pending[item]
                            yield item, TaskLost(gave_up)
                            continue
                        scatters += 1
                        data = scatter()
                    pending[item] = submit(item, data)
                    continue
                del pending[item]
                fill(data)
                yield item, self._outcome(fut)
            while waiting:  # only when the shared input was lost for good
                yield waiting.popleft(), TaskLost(gave_up)
        finally:
            for fut in pending.values():
                fut.cancel()

    def _outcome(self, fut: Any) -> Any:
        """The finished task's result, or TaskLost saying why there is none."""
        try:
            if fut.status == "finished":
                return fut.result(timeout=RESULT_TIMEOUT)
            exc = fut.exception(timeout=RESULT_TIMEOUT)
        except TimeoutError:
            return TaskLost(f"its result did not arrive within {RESULT_TIMEOUT:.0f} s")
        except Exception as err:  # e.g. lost with its worker after it finished
            exc = err
        finally:
            fut.release()
        name = type(exc).__name__
        if name == "KilledWorker":
            return TaskLost("its worker process died on every attempt (KilledWorker)")
        text = " ".join(str(exc).split())
        return TaskLost(f"the cluster failed it: {name}: {text}" if text else name)

    # -- stop -------------------------------------------------------------------------------
    def close(self, *, interrupted: bool = False) -> None:
        """Close the client and the cluster, then end any process the cluster started that
        is still alive. Interrupted, the local workers are killed first: they hold nothing
        (the coordinator writes every file) and a worker inside a render would make a polite
        stop wait for it. Bounded: ``CLOSE_TIMEOUT`` seconds, then SIGKILL."""
        self._closing = True
        with _signals_held():
            deadline = time.monotonic() + CLOSE_TIMEOUT

            def left() -> float:
                return max(0.5, deadline - time.monotonic())

            if self._starter is None:
                return
            if interrupted and self.scheduler.is_local:
                for nanny in list(getattr(self._cluster, "workers", {}).values()):
                    with contextlib.suppress(Exception):  # a killed worker is not replaced
                        nanny.close_gracefully(reason="reporter-interrupted")
                _reap(self._before, grace=0.0)
            self._starter.join(left())
            client, self.client = self.client, None
            if client is not None:
                with contextlib.suppress(BaseException):
                    client.close(timeout=left())
            cluster, self._cluster = self._cluster, None
            if cluster is not None:
                with contextlib.suppress(BaseException):
                    cluster.close(timeout=left())
            _reap(self._before, grace=min(left(), 2.0))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _installed_version() -> str:
    """On a worker: the ``reporter`` version installed there."""
    from importlib.metadata import version

    return version("reporter")


def _descendants() -> list[tuple[int, float]]:
    """(pid, start time) of every process below this one."""
    import psutil

    found = []
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            found.append((proc.pid, proc.create_time()))
    return found


def _reap(before: set[tuple[int, float]], grace: float) -> None:
    """End the processes started below this one since ``before`` was taken: SIGTERM, then
    SIGKILL after ``grace`` seconds (at once with 0). Processes that were there before are
    left alone, and so is the multiprocessing resource tracker: it exits by itself with this
    process once the workers are gone, and cleans up after killed workers as it does."""
    import psutil

    ours = []
    for pid, started in _descendants():
        if (pid, started) in before:
            continue
        with contextlib.suppress(psutil.Error):
            proc = psutil.Process(pid)
            if "multiprocessing.resource_tracker" not in " ".join(proc.cmdline()):
                ours.append(proc)
    if not ours:
        return
    alive = ours
    if grace > 0:
        for proc in ours:
            with contextlib.suppress(psutil.Error):
                proc.terminate()
        _gone, alive = psutil.wait_procs(ours, timeout=grace)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(alive, timeout=3.0)


_settled = False


def settle_worker() -> None:
    """Once per worker process, after its first task: what is alive now (the libraries, the
    caches the first session filled, the shared history) lives as long as the process; keep
    it out of every later garbage collection (about 7% of a session's CPU time, measured)."""
    global _settled
    if not _settled:
        import gc

        from distributed import get_worker

        try:
            get_worker()
        except ValueError:  # not in a worker (a test calling the task directly): leave it
            return
        gc.collect()
        gc.freeze()
        _settled = True


def warm_worker() -> None:
    """Run in each local worker before it takes work (Dask preload): load the libraries a
    session needs, and leave Ctrl-C to the coordinator (it stops the cluster)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
