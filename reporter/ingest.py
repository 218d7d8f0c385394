"""Bring the store up to date with a source, fetching only what it lacks.

Adjusted prices change backwards after each dividend or split, so an incremental fetch overlaps
the last stored sessions; a symbol whose overlap disagrees with the store is refetched whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reporter import calendar
from reporter.errors import MissingSymbolsError
from reporter.sources.base import Source
from reporter.store import Store

OVERLAP_SESSIONS = 5
_REL_TOL = 1e-6


@dataclass
class SyncResult:
    calls: int = 0  # source.fetch calls made
    fetched: list[str] = field(default_factory=list)
    refetched_whole: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # optional symbols the source lacks
    warnings: list[str] = field(default_factory=list)


def _fetch(source: Source, symbols: list[str], start: dt.date | None, until: dt.date | None,
           result: SyncResult, required: set[str]) -> dict[str, pd.DataFrame]:
    if not symbols:
        return {}
    result.calls += 1
    try:
        return source.fetch(symbols, start, until)
    except MissingSymbolsError as exc:
        hard = [s for s in exc.missing if s in required]
        if hard:
            raise
        result.missing.extend(exc.missing)
        return dict(exc.found)


def sync(
    store: Store,
    source: Source,
    symbols: Sequence[str],
    *,
    required: Sequence[str],
    until: dt.date | None = None,
) -> SyncResult:
    """Fetch what the store lacks. ``until``: the last session wanted (live sources only)."""
    result = SyncResult()
    required_set = set(required)
    states = store.states()
    versions = {s: source.version(s) for s in symbols}
    whole: list[str] = []
    incremental: dict[dt.date, list[str]] = {}
    for s in symbols:
        state = states.get(s)
        if state is None:
            whole.append(s)
        elif versions[s] is not None:
            if versions[s] != state.version:
                whole.append(s)
        elif until is None or state.last_date < until:
            back = calendar.sessions(state.last_date - dt.timedelta(days=15), state.last_date)
            start = back[-OVERLAP_SESSIONS].date() if len(back) >= OVERLAP_SESSIONS else None
            if start is None:
                whole.append(s)
            else:
                incremental.setdefault(start, []).append(s)

    bars: dict[str, pd.DataFrame] = {}
    replace_from: dict[str, dt.date | None] = {}
    for start, group in sorted(incremental.items()):
        got = _fetch(source, group, start, until, result, required_set)
        for s, frame in got.items():
            old = store.closes(s, start)
            common = old.index.intersection(frame.index)
            new = frame["Close"].reindex(common).to_numpy()
            agrees = len(common) > 0 and np.allclose(new, old.reindex(common).to_numpy(),
                                                     rtol=_REL_TOL, atol=0.0)
            if agrees:
                bars[s] = frame
                replace_from[s] = start
            else:
                whole.append(s)
                result.refetched_whole.append(s)
    got = _fetch(source, whole, None, until, result, required_set)
    for s, frame in got.items():
        bars[s] = frame
        replace_from[s] = None
    result.fetched = sorted(bars)
    fresh = {s: list(n) for s, n in (getattr(source, "notes", None) or {}).items() if s in bars}
    valuations = source.valuations(["IWM", "SPY"]) if bars else None
    if bars or valuations is not None:
        store.write(bars, versions, replace_from=replace_from, valuations=valuations,
                    notes=fresh)
    # Notes about stored bars come from the store, so every report built from the same bars
    # states the same warnings, whether or not this run was the one that fetched them.
    about_symbols = {n for ns in (getattr(source, "notes", None) or {}).values() for n in ns}
    general = [w for w in getattr(source, "warnings", []) if w not in about_symbols]
    result.warnings.extend(dict.fromkeys(
        [*general, *stored_warnings(store, symbols, required=required, until=until)]
    ))
    return result


def stored_warnings(store: Store, symbols: Sequence[str], *, required: Sequence[str],
                    until: dt.date | None = None) -> list[str]:
    """What a report from the stored bars must state: the notes recorded with the bars of
    ``symbols``, and a required series that ends early. Reads only, so a read-only run (a
    backfill worker) can state the same warnings as the run that synced."""
    stored = store.notes(symbols)
    notes = [n for s in symbols for n in stored.get(s, [])]
    return [*dict.fromkeys(notes), *_staleness(store, symbols, required, until)]


def _staleness(store: Store, symbols: Sequence[str], required: Sequence[str],
               until: dt.date | None) -> list[str]:
    """A required series that ends early limits which session can be reported: say so.

    Live sources (``until`` given): it lacks a session that has closed. Versioned sources: other
    series go on after it, so ``latest`` is older than the rest of the data.
    """
    states = store.states()
    notes = []
    for sym in required:
        state = states.get(sym)
        if state is None:
            continue
        if until is not None:
            later = calendar.sessions(state.last_date + dt.timedelta(days=1), until)
            if len(later):
                notes.append(
                    f"{sym}: the source has no data after {state.last_date}, though the "
                    f"session of {later[-1].date()} has closed; the latest report is for "
                    f"{state.last_date} (stale data)"
                )
            continue
        others = [states[s].last_date for s in symbols if s != sym and s in states]
        if others and max(others) > state.last_date:
            ahead = sum(d > state.last_date for d in others)
            notes.append(
                f"{sym} ends on {state.last_date}, before {ahead} other series (up to "
                f"{max(others)}); no report can be later than {state.last_date} (stale data)"
            )
    return notes
