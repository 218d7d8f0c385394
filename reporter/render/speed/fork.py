"""Independent jobs on every core: the first job here, each other one in a process forked for it.

Each edition of the report is drawn and laid out once, in its own process; fork shares the loaded
libraries with the children at no cost. Cyclic garbage collection pauses while a job runs: the
chart and PDF engines allocate a few million short-lived objects, and every collection they
trigger also walks every long-lived object of the process, about a tenth of the render's time.
Without fork (or ``parallel``) the jobs run here one after the other, and each one's garbage,
a laid-out document of some 200 MB held in reference cycles, is collected as the job ends: jobs
in turn never hold their memory at once (a backfill worker's peak).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from reporter.errors import RenderError
from reporter.render.speed.service import portable_error

J = TypeVar("J")
R = TypeVar("R")

__all__ = ["Forks", "collector_paused", "run_each", "step_back"]

#: How far a job that steps back lowers its priority: two nice levels weigh about 1.6 times
#: less, so with two jobs behind the one ahead gets about 0.9 of a core and each of them about
#: 0.55 (four levels gave it a whole core, and it then finished first, by 0.3-0.5 s).
BEHIND = 2


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the block runs (see the module)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _paused(work: Callable[[J], R], job: J) -> R:
    with collector_paused():
        return work(job)


class Forks:
    """Jobs started in processes forked for them, each result taken when the caller needs it.

    The caller orders the work: what must wait for what, and which job runs here meanwhile
    (with two cores, two jobs at a time keeps the longest from finishing last, alone). Without
    ``parallel`` (or fork) each job runs here when it is started. A context manager: leaving
    the block ends and reaps every process whose result was not taken (an error elsewhere).
    """

    def __init__(self, *, parallel: bool) -> None:
        self.parallel = parallel and "fork" in mp.get_all_start_methods()
        self._running: list[tuple[Any, Connection]] = []

    def __enter__(self) -> Forks:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc, reader in self._running:
            reader.close()
            if proc.is_alive():
                proc.terminate()
            proc.join()
        self._running.clear()

    def start(self, work: Callable[[J], R], job: J, *, name: str,
              behind: bool = False) -> Callable[[], R]:
        """Start ``work(job)``; the returned function waits for its result (or raises its
        error; a worker that died is a RenderError naming ``name``). A job ``behind`` yields
        the processor to the others (``step_back``)."""
        if not self.parallel:
            here = _paused(work, job)
            gc.collect()  # the job's document, before the next job lays out its own
            return lambda: here
        ctx = mp.get_context("fork")
        reader, writer = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_run_forked, args=(work, job, writer, reader, behind),
                           name=f"reporter-render-{name}")
        proc.start()
        writer.close()
        self._running.append((proc, reader))

        def answer() -> R:
            try:
                status, payload = reader.recv()
            except EOFError:
                proc.join()
                raise RenderError(
                    f"the {name} render worker died (exit code {proc.exitcode})"
                ) from None
            finally:
                reader.close()
            proc.join()
            self._running.remove((proc, reader))
            if status == "error":
                raise payload
            done: R = payload
            return done

        return answer


def run_each(
    work: Callable[[J], R],
    jobs: Sequence[J],
    *,
    key: Callable[[J], str],
    parallel: bool,
) -> dict[str, R]:
    """``work(job)`` for every job, by ``key(job)``. With ``parallel`` (and fork available),
    every job but the first runs in a process forked for it."""
    if len(jobs) < 2:
        parallel = False
    with Forks(parallel=parallel) as forks:
        started = {key(job): forks.start(work, job, name=key(job)) for job in jobs[1:]}
        done = {key(jobs[0]): _paused(work, jobs[0])} if jobs else {}
        for name, result in started.items():
            done[name] = result()
    return done


def step_back() -> None:
    """This process yields part of the processor to the jobs that did not step back
    (``BEHIND``). Only lowers this process's priority, which any process may do; where it
    cannot, nothing changes."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(BEHIND)


def _run_forked(work: Callable[[J], R], job: J, writer: Connection, reader: Connection,
                behind: bool) -> None:
    """One job in a forked process: one answer, then exit (nothing waits for more)."""
    reader.close()  # if the parent dies, sending fails instead of blocking
    if behind:
        step_back()
    try:
        reply: tuple[str, Any] = ("ok", _paused(work, job))
    except BaseException as exc:
        reply = ("error", portable_error(exc))
    with contextlib.suppress(OSError):  # the parent is gone: nobody to answer
        writer.send(reply)
