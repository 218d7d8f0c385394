"""A worker process forked before its work is ready, so its libraries load meanwhile.

Loading the chart and PDF libraries takes about as long as reading the prices and computing
every figure. A run therefore forks its renderer first: the worker imports the render module
while the parent reads the store and computes, then runs the one call it is given and hands
back the result. Importing this module is cheap; only the worker imports the target module.

``parallel=False`` (or no fork on this platform) runs the call in this process instead: for
callers that already keep every core busy (backfill workers).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing as mp
import os
import pickle
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, NoReturn, Self

from reporter.errors import RenderError

__all__ = ["PrestartedWorker", "portable_error"]


class PrestartedWorker:
    """``module.function`` run once, in a worker forked now (``parallel``) or in this process.

    The function takes a ``timings`` dict it may fill with seconds per step; those of the
    worker's own start (``render.import``, ``render.warm``, ``render.waited``) are added, and
    all of them end up in ``self.timings``. ``warm`` names a function of the module that the
    worker runs while it waits for its work (never in this process). Use it as a context
    manager: leaving the block ends a worker that was never given work (a run that stops early)
    and reaps it, so no process outlives the run.
    """

    def __init__(self, module: str, function: str, *, parallel: bool,
                 warm: str | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.parallel = parallel
        self._target = (module, function)
        self._proc: Any = None
        self._conn: Connection | None = None
        if parallel and "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            mine, theirs = ctx.Pipe()
            self._proc = ctx.Process(target=_serve, args=(theirs, mine, module, function, warm),
                                     name="reporter-render")
            self._proc.start()
            theirs.close()
            self._conn = mine

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, *, grace: float = 0.0) -> None:
        """End the worker and reap it: at once if it never got work (a run that stopped early),
        else after ``grace`` seconds to exit by itself."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            self._proc.join(grace)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join()
            self._proc = None

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The function's result for these arguments; its exception if it raised one."""
        return self.submit(*args, **kwargs)()

    def submit(self, *args: Any, **kwargs: Any) -> Callable[[], Any]:
        """Hand the worker its call now and go on; the returned function waits for the result
        (or raises the call's exception). Without a worker, the call runs when asked for."""
        if self._conn is None:
            return lambda: _load(*self._target)(*args, timings=self.timings, **kwargs)
        try:
            self._conn.send((args, kwargs))
        except (EOFError, OSError):
            self._died()
        except BaseException:  # interrupted: the worker's answer is not wanted any more
            self.close()
            raise
        return self._answer

    def _answer(self) -> Any:
        if self._conn is None:
            raise RenderError("the render worker was stopped before it answered")
        try:
            reply = self._conn.recv()
        except (EOFError, OSError):
            self._died()
        except BaseException:  # interrupted: the worker's answer is not wanted any more
            self.close()
            raise
        self.close(grace=5.0)  # it answered and is exiting
        status, payload, timings = reply
        self.timings.update(timings)
        if status == "error":
            raise payload
        return payload

    def _died(self) -> NoReturn:
        proc, self._proc = self._proc, None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        proc.join()
        raise RenderError(
            f"the render worker process died (exit code {proc.exitcode})"
        ) from None


def _load(module: str, function: str) -> Callable[..., Any]:
    target: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return target


def _serve(conn: Connection, parent_end: Connection, module: str, function: str,
           warm: str | None) -> None:
    """The worker: load the module, run its ``warm`` function, wait for one call, answer,
    exit."""
    parent_end.close()  # so the parent's exit reads as end-of-file here
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it ends this worker
    signal.signal(signal.SIGTERM, _end_with_children)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    target: Callable[..., Any] | None = None
    loaded: BaseException | None = None
    try:
        target = _load(module, function)
    except BaseException as exc:  # reported with the call, where the caller can raise it
        loaded = exc
    timings["render.import"] = time.perf_counter() - start
    if target is not None and warm is not None:
        with contextlib.suppress(Exception):  # only a head start: the call reports any fault
            _load(module, warm)()
        timings["render.warm"] = time.perf_counter() - start - timings["render.import"]
    # What is loaded now lives as long as the process: keep it out of every collection. The
    # worker answers one call and exits: no collection either once the call's objects are dead.
    gc.freeze()
    gc.disable()
    try:
        args, kwargs = conn.recv()
    except (EOFError, OSError):
        return
    timings["render.waited"] = (time.perf_counter() - start - timings["render.import"]
                                - timings.get("render.warm", 0.0))
    try:
        if target is None:
            raise loaded or RenderError(f"cannot load {module}.{function}")
        reply: tuple[str, Any, dict[str, float]] = (
            "ok", target(*args, timings=timings, **kwargs), timings
        )
    except BaseException as exc:
        reply = ("error", portable_error(exc), timings)
    try:
        conn.send(reply)
    except (OSError, ValueError):
        pass
    finally:
        conn.close()


def _end_with_children(signum: int, _frame: object) -> None:
    """Ended by the parent: take the processes forked from here (one per language) down too."""
    for child in mp.active_children():
        child.terminate()
    os._exit(128 + signum)


def portable_error(exc: BaseException) -> BaseException:
    """``exc`` if it survives the trip to the parent, else a RenderError describing it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        text = " ".join(str(exc).split())
        return RenderError(f"rendering failed: {type(exc).__name__}: {text}")
    return exc
