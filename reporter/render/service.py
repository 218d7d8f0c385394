"""The render stage in a worker process started before the data is ready.

Loading the chart and PDF libraries takes about as long as reading the prices and computing
every figure. A run therefore forks its renderer first: the worker loads the libraries while
this process reads the store and computes, then renders the editions (forking once more, so
the two languages are laid out on two cores) and hands back the bytes. Importing this module is
cheap; only the worker loads ``reporter.render.editions``.

``Renderer(parallel=False)`` renders here, one language after the other: for callers that
already keep every core busy (backfill workers), and where fork is not available.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import signal
import time
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from reporter.errors import RenderError

if TYPE_CHECKING:
    from reporter.model import RenderedText
    from reporter.render.chart_data import ChartData
    from reporter.vocabulary import UpDownColors

__all__ = ["Renderer", "portable_error"]


class Renderer:
    """Build the editions in a forked worker (``parallel``) or in this process.

    Use it as a context manager: leaving the block ends a worker that was never given work
    (a run that stops early) and reaps it, so no process outlives the run.
    """

    def __init__(self, *, parallel: bool) -> None:
        self.timings: dict[str, float] = {}
        self._parallel = parallel
        self._proc: Any = None
        self._conn: Connection | None = None
        if parallel and "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            mine, theirs = ctx.Pipe()
            self._proc = ctx.Process(target=_serve, args=(theirs, mine), name="reporter-render")
            self._proc.start()
            theirs.close()
            self._conn = mine

    def __enter__(self) -> Renderer:
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

    def build_editions(
        self,
        report: dict,
        texts: Mapping[str, RenderedText],
        chart_data: ChartData,
        *,
        editions: Sequence[str],
        paper: str,
        variant: str,
        title: str,
        author: str,
        colors: Mapping[str, UpDownColors] | None = None,
    ) -> dict[str, bytes]:
        """Every PDF edition and chart SVG by file name, as ``render.build_editions``."""
        kwargs = {"editions": list(editions), "paper": paper, "variant": variant,
                  "title": title, "author": author, "colors": colors}
        if self._conn is None:
            from reporter.render.editions import build_editions

            return build_editions(report, dict(texts), chart_data, parallel=self._parallel,
                                  timings=self.timings, **kwargs)
        try:
            self._conn.send((report, dict(texts), chart_data, kwargs))
            reply = self._conn.recv()
        except (EOFError, OSError):
            proc, self._proc = self._proc, None
            proc.join()
            raise RenderError(
                f"the render worker process died (exit code {proc.exitcode})"
            ) from None
        except BaseException:  # interrupted: the worker's answer is not wanted any more
            self.close()
            raise
        self.close(grace=5.0)  # it answered and is exiting
        status, payload, timings = reply
        self.timings.update(timings)
        if status == "error":
            raise payload
        return payload


def _serve(conn: Connection, parent_end: Connection) -> None:
    """The worker: load the render libraries, wait for one job, answer, exit."""
    parent_end.close()  # so the parent's exit reads as end-of-file here
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it ends this worker
    signal.signal(signal.SIGTERM, _end_with_children)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    loaded: BaseException | None = None
    try:
        from reporter.render.editions import build_editions
    except BaseException as exc:  # reported with the job, where the caller can raise it
        loaded = exc
    timings["render.import"] = time.perf_counter() - start
    # What is loaded now lives as long as the process: keep it out of every collection.
    gc.freeze()
    try:
        job = conn.recv()
    except (EOFError, OSError):
        return
    timings["render.waited"] = time.perf_counter() - start - timings["render.import"]
    report, texts, chart_data, kwargs = job
    try:
        if loaded is not None:
            raise loaded
        files = build_editions(report, texts, chart_data, parallel=True, timings=timings,
                               **kwargs)
        reply: tuple[str, Any, dict[str, float]] = ("ok", files, timings)
    except BaseException as exc:
        reply = ("error", portable_error(exc), timings)
    try:
        conn.send(reply)
    except (OSError, ValueError):
        pass
    finally:
        conn.close()


def _end_with_children(signum: int, _frame: object) -> None:
    """Ended by the parent: take the language worker forked from here down as well."""
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
