"""The orchestrator of ``reporter run``: reads top to bottom, the only place that does I/O.

Three stages: ``gather`` (config -> source -> store sync and read -> the session's
``History``), ``build`` (panel -> metrics -> insights -> text -> charts and PDFs, every file as
bytes; no I/O, so a backfill runs it on workers that have no store) and one atomic write of
the day's folder. Everything is computed before anything is written.
The renderer is started first: its worker process loads the chart and PDF libraries while this
process reads the data (``reporter.render.service``). ``RunResult.timings`` holds the seconds
of every stage, the renderer's steps included, for the benchmark (``bench/run.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from reporter import calendar, config, deliver
from reporter.errors import ConfigError, DataError
from reporter.model import Panel, SourceInfo
from reporter.panel import build_panel, members_frame
from reporter.render.service import Renderer
from reporter.sources import open_source
from reporter.sources.base import Source
from reporter.store import Store

if TYPE_CHECKING:
    from reporter.ingest import SyncResult
    from reporter.metrics import Metrics
    from reporter.render.chart_data import ChartData

EDITIONS = ("zh-CN", "en-US", "bilingual")
TEXT_LOCALES = ("zh-CN", "en-US")
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class RunOptions:
    date: str = "latest"
    source: str = "yahoo"
    out: Path = Path("output")
    langs: tuple[str, ...] = EDITIONS
    config_path: Path | None = None
    config: config.Config | None = None  # already loaded (the CLI's); else read from config_path
    paper: str | None = None
    variant: str = "pdf/ua-1"
    sync: bool = True  # False: use the store as it is, read-only (parallel backfill workers)
    parallel: bool | None = None  # languages on two cores; None: yes, unless in a worker process


@dataclass
class RunResult:
    as_of: str
    folder: Path
    files: list[str] = field(default_factory=list)
    already_there: bool = False
    moved_from: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def cache_dir() -> Path:
    env = os.environ.get("REPORTER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reporter"


def store_path(spec: str) -> Path:
    """One store per source, so sample, live and CSV data never mix."""
    if spec.startswith("csv:"):
        digest = hashlib.sha1(str(Path(spec[4:]).resolve()).encode()).hexdigest()[:12]
        return cache_dir() / f"store-csv-{digest}.duckdb"
    return cache_dir() / f"store-{spec}.duckdb"


def parse_langs(text: str | Sequence[str]) -> tuple[str, ...]:
    items = [x.strip() for x in (text.split(",") if isinstance(text, str) else text) if x.strip()]
    bad = [x for x in items if x not in EDITIONS]
    if bad or not items:
        raise ConfigError(f"--lang: expected a list of {', '.join(EDITIONS)}, got {text!r}")
    return tuple(dict.fromkeys(items))


def edition_file(day: str, edition: str) -> str:
    return f"market-breadth_{day}_{edition}.pdf"


def run(opts: RunOptions) -> RunResult:
    spec = build_spec(opts)
    requested = calendar.parse_date(opts.date)
    clock = _Stopwatch()

    # The renderer starts first: its worker loads the chart and PDF libraries meanwhile.
    with Renderer(parallel=_parallel(opts)) as renderer:
        gathered = gather(opts, spec, requested, clock)
        day = gathered.resolved.session.date().isoformat()
        if gathered.history is None:
            return RunResult(as_of=day, folder=opts.out / day, already_there=True)
        panel = gathered.history.panel(gathered.resolved.session)
        clock.lap("panel")
        files = build(panel, gathered.resolved, spec, renderer, clock)

    # -- write ----------------------------------------------------------------------------------
    folder = deliver.write_folder(opts.out, day, files)
    clock.lap("write")
    return RunResult(
        as_of=day, folder=folder, files=sorted(files),
        moved_from=requested if gathered.resolved.was_moved else None,
        warnings=list(panel.warnings), timings={**clock.seconds, **renderer.timings},
    )


@dataclass(frozen=True)
class BuildSpec:
    """How a session's files are made, besides its data: the configuration and the editions.
    Plain data, so a backfill can ship it to its workers."""

    config: config.Config
    langs: tuple[str, ...] = EDITIONS
    paper: str = "a4"
    variant: str = "pdf/ua-1"


def build_spec(opts: RunOptions) -> BuildSpec:
    """The checked configuration, editions and paper of a run (before any data is read)."""
    cfg = opts.config if opts.config is not None else config.load(opts.config_path)
    langs = parse_langs(opts.langs)
    paper = opts.paper or cfg.report.paper
    if paper not in config.PAPERS:
        raise ConfigError(f"--paper: expected one of {', '.join(config.PAPERS)}, got {paper!r}")
    return BuildSpec(config=cfg, langs=langs, paper=paper, variant=opts.variant)


@dataclass(frozen=True)
class History:
    """Stored prices covering the history window of one or more sessions, with what every
    report cut from them states. Read once by whoever has the store; plain data, so it can
    travel to a process (or a machine) that has no store and no data folder."""

    close: pd.DataFrame  # sessions x symbols, every symbol wanted, as ``Store.read_wide``
    volume: pd.DataFrame
    members: pd.DataFrame
    source: SourceInfo
    valuations: pd.DataFrame | None
    notes: tuple[str, ...]
    history_sessions: int

    def panel(self, as_of: pd.Timestamp) -> Panel:
        """The panel of one session: exactly the rows a run of that session alone reads."""
        start = pd.Timestamp(window_start(as_of, self.history_sessions))
        return build_panel(self.close.loc[start:as_of], self.volume.loc[start:as_of],
                           self.members, self.source, as_of, self.history_sessions,
                           self.valuations, self.notes)


@dataclass(frozen=True)
class Gathered:
    """What the gather stage found: the session to report and its history (None when the
    report of ``latest`` is already there)."""

    resolved: calendar.ResolvedDate
    history: History | None


def window_start(as_of: pd.Timestamp, history_sessions: int) -> dt.date:
    """The first session a report for ``as_of`` reads: ``history_sessions`` sessions back."""
    window = calendar.sessions(
        as_of - pd.Timedelta(days=int(history_sessions * 1.6) + 30), as_of
    )
    return window[-history_sessions].date()


def gather(opts: RunOptions, spec: BuildSpec, requested: str,
           clock: _Stopwatch | None = None) -> Gathered:
    """Every read of a run: the source, the store (synced first unless ``opts.sync`` is
    False), the session to report and the history it needs."""
    clock = clock or _Stopwatch()
    cfg = spec.config
    source, members, member_notes, symbols = _open(opts.source, cfg)
    until = _until(source, cfg, requested)
    from reporter import ingest

    clock.lap("open")
    with Store(store_path(opts.source), read_only=not opts.sync) as store:
        synced = (
            ingest.sync(store, source, symbols, required=("^GSPC",), until=until)
            if opts.sync
            else ingest.SyncResult(
                warnings=ingest.stored_warnings(store, symbols, required=("^GSPC",))
            )
        )
        clock.lap("sync")
        sessions_avail = store.closes("^GSPC", pd.Timestamp("1900-01-01").date()).index
        clock.lap("load")
        resolved = calendar.resolve(requested, sessions_avail)
        day = resolved.session.date().isoformat()
        if requested == "latest" and complete(opts.out / day, day, spec.langs):
            return Gathered(resolved, None)
        start = window_start(resolved.session, cfg.metrics.history_sessions)
        clock.lap("calendar")
        history = read_history(store, source, cfg, members, symbols,
                               [*member_notes, *sync_notes(synced)], start,
                               resolved.session.date())
    clock.lap("load")
    return Gathered(resolved, history)


def sync_notes(synced: SyncResult) -> list[str]:
    """What a report must say about the sync that filled its store."""
    notes = list(synced.warnings)
    if synced.missing:
        notes.append(f"no data from the source for {len(synced.missing)} symbol(s): "
                     f"{', '.join(sorted(synced.missing)[:20])}")
    return notes


def read_history(store: Store, source: Source, cfg: config.Config, members: pd.DataFrame,
                 symbols: Sequence[str], notes: Sequence[str], start: dt.date,
                 end: dt.date) -> History:
    """The stored prices of ``symbols`` from ``start`` to ``end`` and the valuations."""
    close, volume = store.read_wide(symbols, start, end)
    return History(close=close, volume=volume, members=members, source=source.info,
                   valuations=store.valuations(), notes=tuple(notes),
                   history_sessions=cfg.metrics.history_sessions)


def build(panel: Panel, resolved: calendar.ResolvedDate, spec: BuildSpec, renderer: Renderer,
          clock: _Stopwatch | None = None) -> dict[str, bytes]:
    """One session's files by name (PDFs, charts, report.json) from its panel alone: no
    store, no data folder, nothing written."""
    clock = clock or _Stopwatch()
    cfg = spec.config
    # -- compute --------------------------------------------------------------------------
    from reporter.metrics import compute

    metrics = compute(panel, cfg.universe, cfg.metrics)
    report = _report(metrics.to_dict(), panel, resolved)
    clock.lap("metrics")
    from reporter.insights import derive
    from reporter.insights.text import render_text

    found = derive(report, cfg.insights)
    report.update(found.to_dict())
    _validate(report)
    texts = {loc: render_text(found, report, loc) for loc in TEXT_LOCALES}
    clock.lap("insights")

    files = renderer.build_editions(
        report, texts, _chart_data(metrics), editions=spec.langs, paper=spec.paper,
        variant=spec.variant, title=cfg.report.title, author=cfg.report.author,
    )
    files["report.json"] = json_bytes(report)
    clock.lap("render")
    return files


def _parallel(opts: RunOptions) -> bool:
    """Lay out the languages side by side, unless told otherwise or running inside a worker
    process (a backfill's pool already keeps every core busy: no process per language)."""
    if opts.parallel is not None:
        return opts.parallel
    return multiprocessing.parent_process() is None


class _Stopwatch:
    """Seconds spent in each stage of a run (``RunResult.timings``), for the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Add the time since the previous lap to ``stage``."""
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


def fetch(source_spec: str, cfg: config.Config, until: str | None = None) -> SyncResult:
    """Fill the store from the source up to ``until`` (default: the last closed session)."""
    return sync_store(source_spec, cfg, until).result


@dataclass(frozen=True)
class Synced:
    """A source opened and its store brought up to date: what a backfill reads its history
    from, once, for every session."""

    source_spec: str
    source: Source
    members: pd.DataFrame
    symbols: list[str]
    notes: tuple[str, ...]  # what every report from this store states (members, sync)
    sessions: pd.DatetimeIndex  # the sessions of ^GSPC in the store
    result: SyncResult


def sync_store(source_spec: str, cfg: config.Config, until: str | None = None) -> Synced:
    """Sync the store as a run does (up to ``until``, default the last closed session)."""
    from reporter import ingest

    source, members, member_notes, symbols = _open(source_spec, cfg)
    end = _until(source, cfg, calendar.parse_date(until or "latest"))
    with Store(store_path(source_spec)) as store:
        result = ingest.sync(store, source, symbols, required=("^GSPC",), until=end)
        sessions = store.closes("^GSPC", pd.Timestamp("1900-01-01").date()).index
    return Synced(source_spec, source, members, symbols,
                  (*member_notes, *sync_notes(result)), sessions, result)


def read_range(synced: Synced, cfg: config.Config, first: pd.Timestamp,
               last: pd.Timestamp) -> History:
    """One read of the store for the sessions ``first`` to ``last``: every panel a run of one
    of them would read is a slice of it (``History.panel``)."""
    start = window_start(first, cfg.metrics.history_sessions)
    with Store(store_path(synced.source_spec), read_only=True) as store:
        return read_history(store, synced.source, cfg, synced.members, synced.symbols,
                            synced.notes, start, last.date())


def _open(spec: str, cfg: config.Config) -> tuple[Source, pd.DataFrame, list[str], list[str]]:
    """The source, its members (with sectors), notes on left-out members, and every symbol."""
    source = open_source(spec, cache_dir=cache_dir(), constituents=cfg.universe.constituents)
    members, notes = members_frame(source.constituents())
    symbols = list(dict.fromkeys([*cfg.universe.series, *members.index]))
    return source, members, notes, symbols


def _until(source: Source, cfg: config.Config, requested: str) -> dt.date | None:
    """The last session to fetch from a live source: the last closed one, or the requested
    date if earlier. Sources that version their data (CSV, sample) need no bound."""
    if source.version(cfg.universe.series[0]) is not None:
        return None
    last = calendar.last_closed_session().date()
    if requested == "latest":
        return last
    return min(last, pd.Timestamp(requested).date())


def available_sessions(source_spec: str) -> pd.DatetimeIndex:
    """Sessions of ^GSPC already in the store (empty when the store has none)."""
    path = store_path(source_spec)
    if not path.exists():
        return pd.DatetimeIndex([], name="Date")
    with Store(path, read_only=True) as store:
        return store.closes("^GSPC", pd.Timestamp("1900-01-01").date()).index


def complete(folder: Path, day: str, langs: Sequence[str]) -> bool:
    wanted = [edition_file(day, e) for e in langs] + ["report.json"]
    return all((folder / name).is_file() for name in wanted)


def _report(figures: dict, panel: Panel, resolved: calendar.ResolvedDate) -> dict:
    info = panel.source
    head = {
        "schema_version": SCHEMA_VERSION,
        "as_of": resolved.session.date().isoformat(),
        "requested_date": resolved.requested if resolved.was_moved else None,
        "market": "US equities",
        "source": {
            "name": info.name,
            "description": info.description,
            "is_sample": info.is_sample,
            "retrieved_at": info.retrieved_at,
        },
        "warnings": list(panel.warnings),
    }
    figures = {k: v for k, v in figures.items() if k != "as_of"}
    return {**head, **figures}


def _validate(report: dict) -> None:
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(report))  # the error jsonschema.validate raises
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise DataError(
            f"report.json would not match its schema at {where}: {error.message}"
        )


@functools.cache
def _validator():  # type: ignore[no-untyped-def]
    """A validator of the shipped schema, built once. The schema itself is checked by the
    tests; checking it against its meta-schema on every run cost ten times the validation."""
    from jsonschema.validators import validator_for

    schema = load_schema()
    return validator_for(schema)(schema)


@functools.cache
def load_schema() -> dict:
    """The JSON Schema of a full report.json, shipped with the package: the metrics' keys plus
    the report-level keys the orchestrator and the insights stage add."""
    text = resources.files("reporter").joinpath("schema/report.schema.json").read_text("utf-8")
    schema = json.loads(text)
    schema["required"] = [*schema["required"], *schema["$defs"]["report_keys"]["const"]]
    return schema


def json_bytes(report: dict) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def _chart_data(metrics: Metrics) -> ChartData:
    """Map the metrics' series onto what the charts draw."""
    from reporter.render.chart_data import ChartData

    s = metrics.series
    run = metrics.size_rotation.run
    sectors = pd.DataFrame(
        {"1D": [r.return_1d for r in metrics.sectors],
         "MTD": [r.return_mtd for r in metrics.sectors]},
        index=pd.Index([r.symbol for r in metrics.sectors]),
        dtype="float64",
    )
    return ChartData(
        index_closes=s.index_rebased,
        rs_line=s.relative_strength,
        run_start=run.start.isoformat() if run.start else None,
        run_leader=run.leader,
        run_length=run.length or None,
        sector_returns=sectors,
        ad_line=s.ad_line,
        pct_above_50d=s.pct_above["pct_above_50d"],
        pct_above_200d=s.pct_above["pct_above_200d"],
        net_new_highs=s.net_new_highs,
        mcclellan=s.mcclellan["oscillator"],
        sector_participation=s.sector_pct_above_50d,
        watch=s.watchlist,
    )
