"""Bring the store up to date with a source, fetching only what it lacks.

Adjusted prices change backwards after each dividend or split, so an incremental fetch overlaps
the last stored sessions; a symbol whose overlap disagrees with the store is refetched whole.
A versioned source (a CSV folder) is followed exactly: a file whose content changed is read
again whole, and a symbol whose file is gone is dropped from the store, so a warm store gives
the report an empty one would.

Data warnings about stored bars are kept with them (every report states them), but said on the
terminal once, when the bars are new: ``SyncResult.news`` has those, with the file they came
from; ``SyncResult.quiet`` the warnings a report states that were said before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reporter import calendar
from reporter.errors import MissingSymbolsError
from reporter.sources.base import ABSENT, Source
from reporter.store import Store
from reporter.vocabulary import DATA_WARNINGS, VALUATION_ETFS, reworded

OVERLAP_SESSIONS = 5
_REL_TOL = 1e-6


@dataclass
class SyncResult:
    calls: int = 0  # source.fetch calls made
    fetched: list[str] = field(default_factory=list)
    refetched_whole: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # optional symbols the source lacks
    warnings: list[str] = field(default_factory=list)  # what a report from the store states
    news: list[str] = field(default_factory=list)  # new notes, with their origin, to say now
    quiet: set[str] = field(default_factory=set)  # warnings already said when they were new

    def to_say(self) -> list[str]:
        """The warnings to show the operator now: the new ones, with where they come from,
        then those about the present state (a missing file, a series that ends early)."""
        return [*self.news, *(w for w in self.warnings if w not in self.quiet)]


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
    # A versioned source that no longer has a symbol: the store forgets it (a cold store
    # never had it). A live source's silence may be passing: its history stays stored, and
    # the run leaves it out (pipeline).
    gone = [s for s in result.missing if versions.get(s) == ABSENT and s in states]
    for s in gone:
        replace_from[s] = None
    fresh = {s: list(n) for s, n in (getattr(source, "notes", None) or {}).items() if s in bars}
    valuations = source.valuations(list(VALUATION_ETFS)) if bars else None
    if bars or gone or valuations is not None:
        store.write(bars, versions, replace_from=replace_from, valuations=valuations,
                    notes=fresh)
    # Notes about stored bars come from the store, so every report built from the same bars
    # states the same warnings, whether or not this run was the one that fetched them.
    about_symbols = {n for ns in (getattr(source, "notes", None) or {}).values() for n in ns}
    general = [w for w in getattr(source, "warnings", []) if w not in about_symbols]
    stored = stored_notes(store, symbols)
    result.warnings.extend(dict.fromkeys(
        [*general, *stored, *_staleness(store, symbols, required, until)]
    ))
    origin = getattr(source, "origin", None)
    result.news = [f"{origin(s) if origin else source.info.name}: {n}"
                   for s in sorted(fresh) for n in fresh[s]]
    result.quiet = set(stored)
    return result


def stored_notes(store: Store, symbols: Sequence[str]) -> list[str]:
    """The notes recorded with the stored bars of ``symbols``, in symbol order."""
    stored = store.notes(symbols)
    return list(dict.fromkeys(reworded(n) for s in symbols for n in stored.get(s, [])))


def stored_warnings(store: Store, symbols: Sequence[str], *, required: Sequence[str],
                    until: dt.date | None = None) -> list[str]:
    """What a report from the stored bars must state: the notes recorded with the bars of
    ``symbols``, and a required series that ends early. Reads only, so a read-only run (a
    backfill worker) can state the same warnings as the run that synced."""
    return [*stored_notes(store, symbols), *_staleness(store, symbols, required, until)]


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
                notes.append(DATA_WARNINGS["stale_live"].text(
                    symbol=sym, last=state.last_date, closed=later[-1].date()))
            continue
        others = [states[s].last_date for s in symbols if s != sym and s in states]
        if others and max(others) > state.last_date:
            ahead = sum(d > state.last_date for d in others)
            notes.append(DATA_WARNINGS["stale_versioned"].text(
                symbol=sym, last=state.last_date, count=ahead, latest=max(others)))
    return notes
