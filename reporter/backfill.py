"""The flow of ``reporter backfill``: one sync, one read, one task per session, one write each.

The coordinator (this process) syncs the store, picks the sessions whose outputs are missing,
reads the history they all need once (``pipeline.read_range``) and ships it to the workers of a
Dask cluster once (``reporter.cluster``). Each task cuts its session's panel from that history
and builds the session's files (``build_session``, the ``build`` stage of a run: a pure
function of its inputs, so a worker needs no store and no data folder); the coordinator writes
each day folder atomically as its result arrives. A report.json from a backfill is the one a
``reporter run`` of the same session writes, byte for byte.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reporter import calendar, deliver, pipeline
from reporter.cluster import Cluster, Scheduler, TaskLost
from reporter.errors import DataError, ReporterError
from reporter.pipeline import BuildSpec, History

#: What each local worker imports before it takes work (see ``dask_setup``).
PRELOAD = ("reporter.backfill",)


@dataclass(frozen=True)
class SessionResult:
    """One session's answer from a worker: its files, or the one-line reason it failed."""

    day: str
    code: int  # 0, or the exit code of the error
    message: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0  # spent building it on the worker


@dataclass(frozen=True)
class Outcome:
    """What the coordinator reports of one session."""

    day: str
    code: int
    message: str = ""
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0  # spent building it on its worker
    notes: tuple[str, ...] = ()  # about its day folder, for the operator (a link replaced)


@dataclass
class BackfillResult:
    first: str
    last: str  # the last session in the range
    sessions: int  # in the range
    skipped: int  # outputs already there
    outcomes: list[Outcome] = field(default_factory=list)
    sync_warnings: list[str] = field(default_factory=list)
    scheduler: str = ""
    dashboard: str | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds: sync, read, ...

    @property
    def failed(self) -> list[Outcome]:
        return sorted((o for o in self.outcomes if o.code != 0), key=lambda o: o.day)


def build_session(history: History, day: str, spec: BuildSpec) -> SessionResult:
    """The task: one session's files from the shared history (runs on a worker).

    Rendering stays in this process, one language after the other: the cluster already keeps
    every core busy with one session per worker process. Every failure becomes an answer, so
    one session's bad data never stops the others.
    """
    from reporter.cluster import settle_worker
    from reporter.errors import ReporterError
    from reporter.render import Renderer

    start = time.perf_counter()
    try:
        resolved = calendar.ResolvedDate(pd.Timestamp(day), day)
        panel = history.panel(resolved.session)
        with Renderer(parallel=False) as renderer:
            files = pipeline.build(panel, resolved, spec, renderer)
    except ReporterError as exc:
        return SessionResult(day, exc.exit_code, str(exc))
    except Exception as exc:  # the worker answers; it never dies with a traceback
        return SessionResult(day, 1, f"internal error: {describe(exc)}")
    seconds = time.perf_counter() - start
    settle_worker()
    return SessionResult(day, 0, "", files, panel.warnings, seconds)


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line (just the type when there is no message)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def dask_setup(worker: object = None) -> None:
    """Dask preload, in each local worker before it takes work: load what a session needs
    (while the coordinator reads the data) and leave Ctrl-C to the coordinator."""
    from reporter.cluster import warm_worker

    warm_worker()
    import reporter.insights.text  # noqa: F401
    import reporter.metrics  # noqa: F401
    import reporter.render.editions  # noqa: F401


def plan(synced: pipeline.Synced, first: str, last: str, out: Path, langs: tuple[str, ...],
         force: bool) -> tuple[list[str], list[str]]:
    """The sessions from ``first`` to ``last`` (``latest``: the end of the data), and those of
    them to build: all with ``force``, else those missing an output."""
    stored = synced.sessions
    days = [d.date().isoformat() for d in stored]
    inside = [d for d in days if d >= first and (last == "latest" or d <= last)]
    # A stored row on a day that is not a session is not a report (a run would move it).
    chosen = [d for d in inside if calendar.resolve(d, stored).session == pd.Timestamp(d)]
    if not chosen:
        span = f"{days[0]} to {days[-1]}" if days else "nothing"
        raise DataError(f"no sessions from {first} to {last} in the data (it covers {span})")
    todo = [d for d in chosen if force or not pipeline.complete(out / d, d, langs)]
    return chosen, todo


def backfill(source: str, spec: BuildSpec, first: str, last: str, out: Path, *,
             scheduler: Scheduler, force: bool = False, verbose: bool = False,
             on_start: Callable[[int, Cluster], None] | None = None,
             on_session: Callable[[Outcome], None] | None = None) -> BackfillResult:
    """Build and write every session from ``first`` to ``last`` whose outputs are missing.

    ``on_start(todo, cluster)`` is called once the cluster is ready, ``on_session`` after each
    session is written or has failed. Interrupted (Ctrl-C, SIGTERM), the cluster stops and
    the folders already written stay; no folder is ever half-written.
    """
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    synced = pipeline.sync_store(source, spec.config, None if last == "latest" else last)
    chosen, todo = plan(synced, first, last, out, spec.langs, force)
    result = BackfillResult(first=first, last=chosen[-1], sessions=len(chosen),
                            skipped=len(chosen) - len(todo),
                            sync_warnings=synced.result.to_say(), scheduler=str(scheduler))
    timings["sync"] = time.perf_counter() - clock
    if not todo:
        return result
    with Cluster(scheduler, preload=PRELOAD if scheduler.is_local else (),
                 verbose=verbose) as cluster:
        cluster.start()  # workers load their libraries while the history is read
        history = pipeline.read_range(synced, spec.config, [pd.Timestamp(d) for d in todo])
        timings["read"] = time.perf_counter() - clock - timings["sync"]
        cluster.ready()
        cluster.check_environment()
        result.dashboard = cluster.dashboard
        timings["cluster"] = time.perf_counter() - clock - timings["sync"] - timings["read"]
        if on_start is not None:
            on_start(len(todo), cluster)
        write_s = 0.0
        for day, answer in cluster.map(build_session, todo, history, spec):
            if isinstance(answer, TaskLost):
                outcome = Outcome(day, answer.exit_code, str(answer))
            elif answer.code != 0:
                outcome = Outcome(day, answer.code, answer.message)
            else:
                began = time.perf_counter()
                try:
                    notes: list[str] = []
                    deliver.write_folder(out, day, answer.files, notes=notes)
                    outcome = Outcome(day, 0, "", answer.warnings, answer.seconds, tuple(notes))
                except ReporterError as exc:
                    outcome = Outcome(day, exc.exit_code, str(exc))
                write_s += time.perf_counter() - began
            result.outcomes.append(outcome)
            if on_session is not None:
                on_session(outcome)
        timings["write"] = write_s
    timings["total"] = time.perf_counter() - clock
    result.timings = timings
    return result
