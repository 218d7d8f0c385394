"""Independent jobs on every core: the first job here, each other one in a process forked for it.

Each language of the report is drawn and laid out once, on its own core; fork shares the loaded
libraries with the children at no cost. Cyclic garbage collection pauses while a job runs: the
chart and PDF engines allocate a few million short-lived objects, and every collection they
trigger also walks every long-lived object of the process, about a tenth of the render's time.
What a job leaves behind is a few megabytes, collected once the pause ends.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from reporter.errors import RenderError
from reporter.render.speed.service import portable_error

J = TypeVar("J")
R = TypeVar("R")

__all__ = ["collector_paused", "run_each"]


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


def run_each(
    work: Callable[[J], R],
    jobs: Sequence[J],
    *,
    key: Callable[[J], str],
    parallel: bool,
    meanwhile: Callable[[], object] | None = None,
) -> dict[str, R]:
    """``work(job)`` for every job, by ``key(job)``. With ``parallel`` (and fork available),
    every job but the first runs in a process forked for it; ``meanwhile`` then runs here once
    the first job is done, while the others finish (e.g. loading what comes next)."""
    if len(jobs) < 2 or not parallel or "fork" not in mp.get_all_start_methods():
        return {key(job): _paused(work, job) for job in jobs}
    ctx = mp.get_context("fork")
    workers: list[tuple[J, Any, Connection]] = []
    finished = False
    try:
        for job in jobs[1:]:
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_run_forked, args=(work, job, writer, reader),
                               name=f"reporter-render-{key(job)}")
            proc.start()
            writer.close()
            workers.append((job, proc, reader))
        done = {key(jobs[0]): _paused(work, jobs[0])}
        if meanwhile is not None:
            meanwhile()
        for job, proc, reader in workers:
            try:
                status, payload = reader.recv()
            except EOFError:
                proc.join()
                raise RenderError(
                    f"the {key(job)} render worker died (exit code {proc.exitcode})"
                ) from None
            if status == "error":
                raise payload
            done[key(job)] = payload
        finished = True
    finally:
        for _job, proc, reader in workers:
            reader.close()
            if not finished and proc.is_alive():
                proc.terminate()
            proc.join()
    return done


def _run_forked(work: Callable[[J], R], job: J, writer: Connection, reader: Connection) -> None:
    """One job in a forked process: one answer, then exit (nothing waits for more)."""
    reader.close()  # if the parent dies, sending fails instead of blocking
    try:
        reply: tuple[str, Any] = ("ok", _paused(work, job))
    except BaseException as exc:
        reply = ("error", portable_error(exc))
    with contextlib.suppress(OSError):  # the parent is gone: nobody to answer
        writer.send(reply)
