"""The orchestrator of ``reporter run``: reads top to bottom, the only place that does I/O.

Three stages: ``gather`` (config -> source -> store sync and read -> the session's
``History``), ``build`` (panel -> metrics -> insights -> text -> charts and PDFs, every file as
bytes; no I/O, so a backfill runs it on workers that have no store) and one atomic write of
the day's folder. Everything is computed before anything is written.
The renderer is started first: its worker process loads the chart and PDF libraries while this
process reads the data (``reporter.render.Renderer``). ``RunResult.timings`` holds the seconds
of every stage, the renderer's steps included, for the benchmark (``bench/run.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reporter import calendar, config, deliver, resources
from reporter.errors import ConfigError, DataError
from reporter.files import read_bytes
from reporter.model import Panel, SourceInfo
from reporter.panel import build_panel, members_frame
from reporter.render import Renderer, side_by_side
from reporter.resources import cache_dir, keep_in_cache
from reporter.sources import open_source
from reporter.sources.base import Source
from reporter.stopwatch import Stopwatch
from reporter.store import Store
from reporter.vocabulary import (
    BENCHMARK,
    DATA_WARNINGS,
    EDITIONS,
    LOCALES,
    PAPERS,
    REPORT_JSON,
    pdf_file_name,
)

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from reporter.ingest import SyncResult
    from reporter.metrics import Metrics
    from reporter.model import RenderedText
    from reporter.render.charts.data import ChartData

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
    warnings: list[str] = field(default_factory=list)  # every data warning the report states
    news: list[str] = field(default_factory=list)  # the warnings to say now (see ingest)
    notes: list[str] = field(default_factory=list)  # about the output folder, for the operator
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def store_path(spec: str) -> Path:
    """One store per source, so sample, live and CSV data never mix."""
    if spec.startswith("csv:"):
        digest = hashlib.sha1(str(Path(spec[4:]).expanduser().resolve()).encode()).hexdigest()[:12]
        return cache_dir() / f"store-csv-{digest}.duckdb"
    return cache_dir() / f"store-{spec}.duckdb"


def parse_langs(text: str | Sequence[str]) -> tuple[str, ...]:
    items = [x.strip() for x in (text.split(",") if isinstance(text, str) else text) if x.strip()]
    bad = [x for x in items if x not in EDITIONS]
    if bad or not items:
        raise ConfigError(f"--lang: expected a list of {', '.join(EDITIONS)}, got {text!r}")
    return tuple(dict.fromkeys(items))


def run(opts: RunOptions, progress: Callable[[str], None] | None = None,
        renderer: Renderer | None = None) -> RunResult:
    """One day's report: everything computed first, then the day's folder written at once.
    ``progress`` is told each stage as it begins (a terminal's status line). ``renderer``: one
    the caller started earlier still (the command line, before it loads the data libraries);
    the run ends it, as it ends its own."""
    # The renderer starts first: its worker loads the chart and PDF libraries meanwhile.
    with renderer or Renderer(parallel=_parallel(opts)) as renderer:
        spec = build_spec(opts)
        requested = calendar.parse_date(opts.date)
        clock = Stopwatch()
        stage = progress or (lambda _: None)
        # -- source -> store -> the session's history -------------------------------------------
        stage("reading the data")
        gathered = gather(opts, spec, requested, clock)
        day = gathered.resolved.session.date().isoformat()
        if gathered.history is None:
            return RunResult(as_of=day, folder=opts.out / day, already_there=True)
        panel = gathered.history.panel(gathered.resolved.session)
        clock.lap("panel")
        # -- metrics -> insights -> text -> charts and PDFs, every file as bytes ----------------
        files = build(panel, gathered.resolved, spec, renderer, clock, stage)

    # -- one atomic write of the day's folder ------------------------------------------------------
    stage("writing the day folder")
    folder_notes: list[str] = []
    folder = deliver.write_folder(opts.out, day, files, notes=folder_notes)
    clock.lap("write")
    synced = gathered.synced
    return RunResult(
        as_of=day, folder=folder, files=sorted(files),
        moved_from=requested if gathered.resolved.was_moved else None,
        warnings=list(panel.warnings),
        news=[*synced.news, *(w for w in panel.warnings if w not in synced.quiet)],
        notes=folder_notes, timings={**clock.seconds, **renderer.timings},
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
    paper = (opts.paper or cfg.report.paper).lower()
    if paper not in PAPERS:
        raise ConfigError(
            f"--paper: expected one of {', '.join(PAPERS)}, got {opts.paper or paper!r}"
        )
    return BuildSpec(config=cfg, langs=langs, paper=paper, variant=opts.variant)


@dataclass(frozen=True)
class History:
    """Stored prices covering what one or more sessions read, with what every report cut from
    them states. Read once by whoever has the store; plain data, so it can travel to a process
    (or a machine) that has no store and no data folder."""

    close: pd.DataFrame  # sessions x symbols, every symbol wanted, as ``Store.read_wide``
    volume: pd.DataFrame
    series_close: pd.DataFrame  # the non-member series over their whole stored history
    high: pd.DataFrame  # the members' High on each session to report (sessions x members)
    low: pd.DataFrame
    members: pd.DataFrame
    source: SourceInfo
    valuations: pd.DataFrame | None
    notes: tuple[str, ...]
    history_sessions: int
    member_start: dt.date | None  # the first stored session of any member (the fixed start)

    def panel(self, as_of: pd.Timestamp) -> Panel:
        """The panel of one session: exactly the rows a run of that session alone reads."""
        start = pd.Timestamp(window_start(as_of, self.history_sessions, self.member_start))
        return build_panel(
            self.close.loc[start:as_of], self.volume.loc[start:as_of], self.members,
            self.source, as_of, self.history_sessions, self.valuations, self.notes,
            history_close=self.series_close.loc[:as_of], day_range=self.day_range(as_of),
        )

    def day_range(self, as_of: pd.Timestamp) -> pd.DataFrame:
        """The members' High and Low on ``as_of``, as ``Store.read_range`` gives them."""
        where = pd.Index(self.high.columns, name="symbol")
        if as_of not in self.high.index:
            return pd.DataFrame({"High": float("nan"), "Low": float("nan")}, index=where)
        return pd.DataFrame({"High": self.high.loc[as_of].to_numpy(),
                             "Low": self.low.loc[as_of].to_numpy()}, index=where)


@dataclass(frozen=True)
class Gathered:
    """What the gather stage found: the session to report, its history (None when the report
    of ``latest`` is already there) and what the sync said."""

    resolved: calendar.ResolvedDate
    history: History | None
    synced: SyncResult


def window_start(as_of: pd.Timestamp, history_sessions: int,
                 member_start: dt.date | None) -> dt.date:
    """The first session a report for ``as_of`` reads: the ``history_sessions`` window's, or
    the first stored session of any member if earlier, so that the A/D line and the McClellan
    figures always start from the stored member history's fixed start (DESIGN.md,
    "Definitions")."""
    window = calendar.sessions(as_of - pd.Timedelta(days=int(history_sessions * 1.6) + 30), as_of)
    first = window[-history_sessions].date()
    return first if member_start is None else min(first, member_start)


def _member_start(store: Store, members: pd.Index) -> dt.date | None:
    """The first stored session of any member: the fixed start of the A/D line."""
    firsts = [st.first_date for sym, st in store.states().items() if sym in members]
    return min(firsts) if firsts else None


def _window_start(
    store: Store, members: pd.Index, as_of: pd.Timestamp, history_sessions: int
) -> dt.date:
    """The first session a run of ``as_of`` reads from this store (``window_start``)."""
    return window_start(as_of, history_sessions, _member_start(store, members))


def gather(opts: RunOptions, spec: BuildSpec, requested: str,
           clock: Stopwatch | None = None) -> Gathered:
    """Every read of a run: the source, the store (synced first unless ``opts.sync`` is
    False), the session to report and the history it needs."""
    clock = clock or Stopwatch()
    cfg = spec.config
    _session_table()
    source, members, member_notes, symbols = _open(opts.source, cfg)
    clock.lap("open")
    with Store(store_path(opts.source), read_only=not opts.sync) as store:
        synced = _sync(store, source, symbols, _until(source, cfg, requested), opts.sync)
        clock.lap("sync")
        resolved = calendar.resolve(requested, _sessions(store))
        day = resolved.session.date().isoformat()
        clock.lap("load")
        if requested == "latest" and complete(opts.out / day, day, spec.langs):
            return Gathered(resolved, None, synced)
        history = read_history(store, source, cfg, members, symbols,
                               (*member_notes, *_sync_notes(synced)), synced.missing,
                               [resolved.session])
    clock.lap("load")
    return Gathered(resolved, history, synced)


def _session_table() -> None:
    """Look NYSE days up in the table of sessions kept in the cache (``calendar.use_sessions``);
    without a usable one, build the calendar and keep its table for the next run. Only a
    cache: one that cannot be read or written costs the build, nothing else."""
    path = cache_dir() / f"xnys-sessions-{calendar.calendar_version()}.npy"
    try:
        days = np.load(io.BytesIO(read_bytes(path)), allow_pickle=False)
    except (OSError, ValueError, EOFError):
        days = None
    if days is not None and calendar.use_sessions(days, until=dt.date.today()):
        return
    kept = io.BytesIO()
    np.save(kept, calendar.session_days(), allow_pickle=False)
    with contextlib.suppress(OSError):
        keep_in_cache(path, kept.getvalue())


def read_history(store: Store, source: Source, cfg: config.Config, members: pd.DataFrame,
                 symbols: Sequence[str], notes: Sequence[str], missing: Sequence[str],
                 days: Sequence[pd.Timestamp]) -> History:
    """One read of the store for the sessions ``days`` (ascending): every panel a run of one
    of them reads is a slice of it (``History.panel``). ``missing``: symbols the source did not
    supply this time, read as missing, as from an empty store."""
    hs = cfg.metrics.history_sessions
    member_start = _member_start(store, members.index)
    start = window_start(days[0], hs, member_start)
    end = days[-1].date()
    close, volume = store.read_wide(symbols, start, end)
    # the non-member series over their whole stored history: few columns, cheap
    series, _ = store.read_wide(cfg.universe.series, None, end)
    # the members' High and Low, on the reported sessions only (where they closed in them)
    if len(days) == 1:  # one session's rows: the plain read is the cheaper one
        one = store.read_range(members.index, end)
        high = pd.DataFrame([one["High"].to_numpy()], index=pd.DatetimeIndex(list(days)),
                            columns=one.index.rename(None))
        low = pd.DataFrame([one["Low"].to_numpy()], index=high.index, columns=high.columns)
    else:
        high, low = store.read_wide(members.index, days[0].date(), end, ("high", "low"))
    gone = list(missing)
    if gone:  # not supplied this time: missing, as from an empty store
        close[gone] = float("nan")
        volume[gone] = float("nan")
        series[[s for s in gone if s in series]] = float("nan")
        for frame in (high, low):
            frame[[s for s in gone if s in frame]] = float("nan")
    return History(close=close, volume=volume, series_close=series, high=high, low=low,
                   members=members, source=source.info, valuations=store.valuations(),
                   notes=tuple(notes), history_sessions=hs, member_start=member_start)


def build(panel: Panel, resolved: calendar.ResolvedDate, spec: BuildSpec, renderer: Renderer,
          clock: Stopwatch | None = None,
          progress: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """One session's files by name (PDFs, charts, web page, report.json) from its panel
    alone: no store, no data folder, nothing written."""
    clock = clock or Stopwatch()
    stage = progress or (lambda _: None)
    cfg = spec.config
    # -- metrics -> report.json -> insights -> the text of each language -------------------
    stage("computing the figures")
    from reporter.metrics import compute

    metrics = compute(panel, cfg.universe, cfg.metrics, cfg.insights.capitulation())
    report = _report(metrics.to_dict(), panel, resolved)
    clock.lap("metrics")
    # each stage's modules load with it: the findings and their wording count as insights
    from reporter.insights import derive
    from reporter.insights.text import render_text

    found = derive(report, cfg.insights)
    report.update(found.to_dict())
    texts: dict[str, RenderedText] = {loc: render_text(found, report, loc) for loc in LOCALES}
    clock.lap("insights")

    # -- charts -> HTML -> layout -> PDF -> editions, in the renderer -----------------------
    stage("rendering charts and PDFs")
    rendered = renderer.build_editions(
        report, texts, _chart_data(metrics), editions=spec.langs, paper=spec.paper,
        variant=spec.variant, title=cfg.report.title, author=cfg.report.author,
    )
    # while the renderer works: a report that does not match its schema stops the run here,
    # before anything is written (the renderer is stopped as the run leaves its block)
    _validate(report)
    report_json = json_bytes(report)
    files = rendered()
    files[REPORT_JSON] = report_json
    clock.lap("render")
    return files


def _sync(store: Store, source: Source, symbols: list[str], until: dt.date | None,
          sync: bool) -> SyncResult:
    """Fill the store from the source; without ``sync``, only what the store says of itself."""
    from reporter import ingest

    if sync:
        return ingest.sync(store, source, symbols, required=(BENCHMARK,), until=until)
    # the coordinator synced, and said what was new
    return ingest.SyncResult(
        warnings=ingest.stored_warnings(store, symbols, required=(BENCHMARK,)),
        quiet=set(ingest.stored_notes(store, symbols)),
    )


def _sync_notes(synced: SyncResult) -> list[str]:
    """The data warnings of a sync, as the report states them."""
    notes = list(synced.warnings)
    if synced.missing:
        notes.append(DATA_WARNINGS["no_data"].text(
            count=len(synced.missing), symbols=", ".join(sorted(synced.missing)[:20])))
    return notes


def _sessions(store: Store) -> pd.DatetimeIndex:
    """Every session of the benchmark in the store: the calendar the data has."""
    return pd.DatetimeIndex(store.closes(BENCHMARK, pd.Timestamp("1900-01-01").date()).index)


def _parallel(opts: RunOptions) -> bool:
    """Lay out the languages side by side, unless told otherwise or running inside a worker
    process (``render.side_by_side``)."""
    return opts.parallel if opts.parallel is not None else side_by_side()


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
    sessions: pd.DatetimeIndex  # the sessions of the benchmark in the store
    result: SyncResult


def sync_store(source_spec: str, cfg: config.Config, until: str | None = None) -> Synced:
    """Sync the store as a run does (up to ``until``, default the last closed session)."""
    from reporter import ingest

    source, members, member_notes, symbols = _open(source_spec, cfg)
    end = _until(source, cfg, calendar.parse_date(until or "latest"))
    with Store(store_path(source_spec)) as store:
        result = ingest.sync(store, source, symbols, required=(BENCHMARK,), until=end)
        sessions = _sessions(store)
    return Synced(source_spec, source, members, symbols,
                  (*member_notes, *_sync_notes(result)), sessions, result)


def read_range(synced: Synced, cfg: config.Config, days: Sequence[pd.Timestamp]) -> History:
    """One read of the synced store for the sessions ``days`` (ascending)."""
    with Store(store_path(synced.source_spec), read_only=True) as store:
        return read_history(store, synced.source, cfg, synced.members, synced.symbols,
                            synced.notes, synced.result.missing, days)


def _open(spec: str, cfg: config.Config) -> tuple[Source, pd.DataFrame, list[str], list[str]]:
    """The source, its members (with sectors), notes on left-out members, and every symbol."""
    source = open_source(spec, cache_dir=cache_dir(), constituents=cfg.universe.constituents)
    listed = source.constituents()
    members, notes = members_frame(listed)
    if members.empty:
        first = f" ({notes[0]})" if notes else ""
        raise DataError(f"no usable member in the member list of {source.info.description}: "
                        f"all {len(listed)} row(s) left out{first}")
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
        return _sessions(store)


def complete(folder: Path, day: str, langs: Sequence[str]) -> bool:
    wanted = [pdf_file_name(day, e) for e in langs] + [REPORT_JSON]
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
def _validator() -> Validator:
    """A validator of the shipped schema, built once. The schema itself is checked by the
    tests; checking it against its meta-schema on every run cost ten times the validation."""
    from jsonschema.validators import validator_for

    schema = load_schema()
    return validator_for(schema)(schema)


@functools.cache
def load_schema() -> dict:
    """The JSON Schema of a full report.json, shipped with the package: the metrics' keys plus
    the report-level keys the orchestrator and the insights stage add."""
    text = resources.package_file("schema/report.schema.json").read_text("utf-8")
    schema = json.loads(text)
    schema["required"] = [*schema["required"], *schema["$defs"]["report_keys"]["const"]]
    return schema


def json_bytes(report: dict) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def _chart_data(metrics: Metrics) -> ChartData:
    """Map the metrics' series onto what the charts draw."""
    from reporter.render.charts.data import ChartData

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
