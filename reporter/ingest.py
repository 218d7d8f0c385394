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
    result.warnings.extend(getattr(source, "warnings", []))
    valuations = source.valuations(["IWM", "SPY"]) if bars else None
    if bars or valuations is not None:
        store.write(bars, versions, replace_from=replace_from, valuations=valuations)
    return result
