"""The orchestrator of ``reporter run``: reads top to bottom, the only place that does I/O.

config -> source -> store (sync, read) -> panel -> metrics -> insights -> text -> charts and PDFs
-> one atomic write of the day's folder. Everything is computed before anything is written.
The renderer is started first: its worker process loads the chart and PDF libraries while this
process reads the data (``reporter.render.Renderer``). ``RunResult.timings`` holds the seconds
of every stage, the renderer's steps included, for the benchmark (``bench/run.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from reporter import calendar, config, deliver, resources
from reporter.errors import ConfigError, DataError
from reporter.panel import build_panel, members_frame
from reporter.render import Renderer
from reporter.sources import open_source
from reporter.sources.base import Source
from reporter.stopwatch import Stopwatch
from reporter.store import Store
from reporter.vocabulary import (
    BENCHMARK,
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
    from reporter.model import Panel, RenderedText
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


def cache_dir() -> Path:
    env = os.environ.get("REPORTER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reporter"


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


def run(opts: RunOptions, progress: Callable[[str], None] | None = None) -> RunResult:
    """One day's report: everything computed first, then the day's folder written at once.
    ``progress`` is told each stage as it begins (a terminal's status line)."""
    cfg = opts.config if opts.config is not None else config.load(opts.config_path)
    requested = calendar.parse_date(opts.date)
    langs = parse_langs(opts.langs)
    paper = (opts.paper or cfg.report.paper).lower()
    if paper not in PAPERS:
        raise ConfigError(
            f"--paper: expected one of {', '.join(PAPERS)}, got {opts.paper or paper!r}"
        )
    clock = Stopwatch()
    stage = progress or (lambda _: None)

    # The renderer starts first: its worker loads the chart and PDF libraries meanwhile.
    with Renderer(parallel=_parallel(opts)) as renderer:
        # -- source -> store -> the session's panel ---------------------------------------------
        stage("reading the data")
        source, members, member_notes, symbols = _open(opts.source, cfg)
        clock.lap("open")
        with Store(store_path(opts.source), read_only=not opts.sync) as store:
            synced = _sync(store, source, symbols, _until(source, cfg, requested), opts.sync)
            clock.lap("sync")
            resolved = calendar.resolve(requested, _sessions(store))
            day = resolved.session.date().isoformat()
            clock.lap("load")
            if requested == "latest" and _complete(opts.out / day, day, langs):
                return RunResult(as_of=day, folder=opts.out / day, already_there=True)
            start = _window_start(store, members.index, resolved.session,
                                  cfg.metrics.history_sessions)
            clock.lap("calendar")
            close, volume = store.read_wide(symbols, start, resolved.session.date())
            if synced.missing:  # not supplied this time: missing, as from an empty store
                close[synced.missing] = float("nan")
                volume[synced.missing] = float("nan")
            # the non-member series over their whole stored history: few columns, cheap
            history, _ = store.read_wide(cfg.universe.series, None, resolved.session.date())
            if synced.missing:
                history[[s for s in synced.missing if s in history]] = float("nan")
            # the members' High and Low, for the as-of session only (where they closed in it)
            day_range = store.read_range(members.index, resolved.session.date())
            if synced.missing:
                day_range.loc[day_range.index.isin(synced.missing)] = float("nan")
            valuations = store.valuations()
        clock.lap("load")
        panel = build_panel(close, volume, members, source.info, resolved.session,
                            cfg.metrics.history_sessions, valuations,
                            (*member_notes, *_sync_notes(synced)), history_close=history,
                            day_range=day_range)
        clock.lap("panel")

        # -- metrics -> report.json -> insights -> the text of each language -------------------
        stage("computing the figures")
        from reporter.insights import derive
        from reporter.insights.text import render_text
        from reporter.metrics import compute

        metrics = compute(panel, cfg.universe, cfg.metrics)
        report = _report(metrics.to_dict(), panel, resolved)
        clock.lap("metrics")
        found = derive(report, cfg.insights)
        report.update(found.to_dict())
        _validate(report)
        texts: dict[str, RenderedText] = {loc: render_text(found, report, loc) for loc in LOCALES}
        clock.lap("insights")

        # -- charts -> HTML -> layout -> PDF -> editions, in the renderer -----------------------
        stage("rendering charts and PDFs")
        files = renderer.build_editions(
            report, texts, _chart_data(metrics), editions=langs, paper=paper,
            variant=opts.variant, title=cfg.report.title, author=cfg.report.author,
        )
        files[REPORT_JSON] = json_bytes(report)
        clock.lap("render")

    # -- one atomic write of the day's folder ------------------------------------------------------
    stage("writing the day folder")
    folder_notes: list[str] = []
    folder = deliver.write_folder(opts.out, day, files, notes=folder_notes)
    clock.lap("write")
    return RunResult(
        as_of=day, folder=folder, files=sorted(files),
        moved_from=requested if resolved.was_moved else None, warnings=list(panel.warnings),
        news=[*synced.news, *(w for w in panel.warnings if w not in synced.quiet)],
        notes=folder_notes, timings={**clock.seconds, **renderer.timings},
    )


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
        notes.append(f"no data from the source for {len(synced.missing)} symbol(s): "
                     f"{', '.join(sorted(synced.missing)[:20])}")
    return notes


def _sessions(store: Store) -> pd.DatetimeIndex:
    """Every session of the benchmark in the store: the calendar the data has."""
    return pd.DatetimeIndex(store.closes(BENCHMARK, pd.Timestamp("1900-01-01").date()).index)


def _window_start(
    store: Store, members: pd.Index, as_of: pd.Timestamp, history_sessions: int
) -> dt.date:
    """The first session to read: the ``history_sessions`` window's, or the first stored
    session of any member if earlier, so that the A/D line and the McClellan figures always
    start from the stored member history's fixed start (DESIGN.md, "Definitions")."""
    window = calendar.sessions(as_of - pd.Timedelta(days=int(history_sessions * 1.6) + 30), as_of)
    firsts = [st.first_date for sym, st in store.states().items() if sym in members]
    return min([window[-history_sessions].date(), *firsts])


def _parallel(opts: RunOptions) -> bool:
    """Lay out the languages side by side, unless told otherwise or running inside a worker
    process (a backfill's pool already keeps every core busy: no process per language)."""
    if opts.parallel is not None:
        return opts.parallel
    return multiprocessing.parent_process() is None


def fetch(source_spec: str, cfg: config.Config, until: str | None = None) -> SyncResult:
    """Fill the store from the source up to ``until`` (default: the last closed session)."""
    from reporter import ingest

    source, _, _, symbols = _open(source_spec, cfg)
    end = _until(source, cfg, calendar.parse_date(until or "latest"))
    with Store(store_path(source_spec)) as store:
        return ingest.sync(store, source, symbols, required=(BENCHMARK,), until=end)


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


def _complete(folder: Path, day: str, langs: Sequence[str]) -> bool:
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
