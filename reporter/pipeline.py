"""The orchestrator of ``reporter run``: reads top to bottom, the only place that does I/O.

config -> source -> store (sync, read) -> panel -> metrics -> insights -> text -> charts and PDFs
-> one atomic write of the day's folder. Everything is computed before anything is written.
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
from reporter.panel import build_panel, members_frame
from reporter.render.service import Renderer
from reporter.sources import open_source
from reporter.sources.base import Source
from reporter.store import Store

if TYPE_CHECKING:
    from reporter.ingest import SyncResult
    from reporter.metrics import Metrics
    from reporter.model import Panel
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
    cfg = config.load(opts.config_path)
    requested = calendar.parse_date(opts.date)
    langs = parse_langs(opts.langs)
    paper = opts.paper or cfg.report.paper
    if paper not in config.PAPERS:
        raise ConfigError(f"--paper: expected one of {', '.join(config.PAPERS)}, got {paper!r}")
    clock = _Stopwatch()

    # The renderer starts first: its worker loads the chart and PDF libraries meanwhile.
    with Renderer(parallel=_parallel(opts)) as renderer:
        # -- gather ---------------------------------------------------------------------------
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
            as_of = resolved.session
            day = as_of.date().isoformat()
            if requested == "latest" and _complete(opts.out / day, day, langs):
                return RunResult(as_of=day, folder=opts.out / day, already_there=True)
            window = calendar.sessions(
                as_of - pd.Timedelta(days=int(cfg.metrics.history_sessions * 1.6) + 30), as_of
            )
            start = _window_start(store, members.index, window[-cfg.metrics.history_sessions])
            clock.lap("calendar")
            close, volume = store.read_wide(symbols, start, as_of.date())
            # the non-member series over their whole stored history: few columns, cheap
            history, _ = store.read_wide(cfg.universe.series, None, as_of.date())
            valuations = store.valuations()
        clock.lap("load")

        notes = [*member_notes, *synced.warnings]
        if synced.missing:
            notes.append(f"no data from the source for {len(synced.missing)} symbol(s): "
                         f"{', '.join(sorted(synced.missing)[:20])}")
        panel = build_panel(close, volume, members, source.info, as_of,
                            cfg.metrics.history_sessions, valuations, tuple(notes),
                            history_close=history)
        clock.lap("panel")

        # -- compute --------------------------------------------------------------------------
        from reporter.metrics import compute

        metrics = compute(panel, cfg.universe, cfg.metrics)
        report = _report(metrics.to_dict(), panel, resolved)
        clock.lap("metrics")
        from reporter.insights import derive, insights_config
        from reporter.insights.text import render_text

        found = derive(report, insights_config(cfg.raw.get("insights", {})))
        report.update(found.to_dict())
        _validate(report)
        texts = {loc: render_text(found, report, loc) for loc in TEXT_LOCALES}
        clock.lap("insights")

        files = renderer.build_editions(
            report, texts, _chart_data(metrics), editions=langs, paper=paper,
            variant=opts.variant, title=cfg.report.title, author=cfg.report.author,
        )
        files["report.json"] = json_bytes(report)
        clock.lap("render")

    # -- write ----------------------------------------------------------------------------------
    folder = deliver.write_folder(opts.out, day, files)
    clock.lap("write")
    return RunResult(
        as_of=day, folder=folder, files=sorted(files),
        moved_from=requested if resolved.was_moved else None, warnings=list(panel.warnings),
        timings={**clock.seconds, **renderer.timings},
    )


def _window_start(store: Store, members: pd.Index, start: pd.Timestamp) -> dt.date:
    """The first session to read: the history window's, or the first stored session of any
    member if earlier, so that the A/D line and the McClellan figures always start from the
    stored member history's fixed start (DESIGN.md, "Definitions")."""
    firsts = [st.first_date for sym, st in store.states().items() if sym in members]
    return min([start.date(), *firsts])


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


def fetch(
    source_spec: str, config_path: Path | None = None, until: str | None = None
) -> SyncResult:
    """Fill the store from the source up to ``until`` (default: the last closed session)."""
    from reporter import ingest

    cfg = config.load(config_path)
    source, _, _, symbols = _open(source_spec, cfg)
    end = _until(source, cfg, calendar.parse_date(until or "latest"))
    with Store(store_path(source_spec)) as store:
        return ingest.sync(store, source, symbols, required=("^GSPC",), until=end)


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


def _complete(folder: Path, day: str, langs: Sequence[str]) -> bool:
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
