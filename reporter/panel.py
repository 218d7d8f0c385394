"""Assemble the Panel the metrics read: NYSE sessions, members with sectors, history window."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter import calendar
from reporter.config import is_symbol
from reporter.errors import DataError
from reporter.model import Panel, SourceInfo
from reporter.vocabulary import (
    BENCHMARK,
    DATA_WARNINGS,
    EQUAL_WEIGHT_ETF,
    LARGE_CAPS,
    MEGA_CAP_ETF,
    SECTOR_ETFS,
    SMALL_CAPS,
)

REQUIRED_SERIES = (BENCHMARK,)


def members_frame(constituents: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Index members by symbol with ``name`` and ``sector``; unknown sectors are dropped with a
    warning (breadth by sector needs one of the 11 GICS sectors), and so are symbols that are
    not tickers (a symbol names a file: ``../x`` or markup must never reach a path or a page).
    A symbol listed more than once counts once, with its first row; a warning says so when the
    rows disagree on the sector."""
    symbols = constituents["Symbol"]
    twice = constituents[symbols.duplicated(keep=False)]
    warnings = []
    for sym, rows in twice.groupby("Symbol", sort=False):
        sectors = list(dict.fromkeys(str(s) for s in rows["GICS Sector"]))
        if len(sectors) > 1:
            warnings.append(DATA_WARNINGS["member_twice"].text(
                symbol=repr(str(sym)[:40]), count=len(rows),
                sectors=", ".join(repr(s[:60]) for s in sectors), sector=repr(sectors[0])))
    constituents = constituents[~symbols.duplicated(keep="first")]
    frame = pd.DataFrame(
        {
            "name": constituents["Security"].to_numpy(),
            "sector": constituents["GICS Sector"].to_numpy(),
        },
        index=pd.Index(constituents["Symbol"].to_numpy(), name="symbol"),
    )
    valid = np.array([isinstance(s, str) and is_symbol(s) for s in frame.index], dtype=bool)
    warnings += [
        DATA_WARNINGS["member_invalid"].text(symbol=repr(str(sym)[:40]))
        for sym in frame.index[~valid]
    ]
    frame = frame[valid]
    unknown = frame[~frame["sector"].isin(list(SECTOR_ETFS))]
    warnings += [
        DATA_WARNINGS["member_sector"].text(symbol=sym, sector=repr(str(sec)[:60]))
        for sym, sec in unknown["sector"].items()
    ]
    return frame[frame["sector"].isin(list(SECTOR_ETFS))], warnings


def build_panel(
    close: pd.DataFrame,
    volume: pd.DataFrame,
    members: pd.DataFrame,
    source: SourceInfo,
    as_of: pd.Timestamp,
    history_sessions: int,
    valuations: pd.DataFrame | None = None,
    warnings: tuple[str, ...] = (),
    history_close: pd.DataFrame | None = None,
    day_range: pd.DataFrame | None = None,
) -> Panel:
    """Align the stored frames to NYSE sessions ending on ``as_of`` and keep the history window
    (``history_sessions``, or from the first member row if that is earlier).

    ``history_close``: the non-member series' closes over their whole stored history; aligned
    the same way (from their first row, or the calendar's first session if later) but not cut
    to the window. ``day_range``: the members' High and Low on ``as_of`` (by symbol).
    """
    notes = list(warnings)
    close = close[close.index <= as_of]
    if close.empty:
        raise DataError(f"no data on or before {as_of.date()}")
    sessions = calendar.sessions(close.index[0], as_of)
    off_calendar = close.index.difference(sessions)
    history = None
    if history_close is not None:
        kept = history_close[history_close.index <= as_of]
        long_sessions = calendar.sessions(kept.index[0], as_of) if len(kept) else kept.index
        if len(long_sessions):
            inside = kept.index[kept.index >= long_sessions[0]]
            off_calendar = off_calendar.union(inside.difference(long_sessions))
            history = kept.reindex(long_sessions)
    if len(off_calendar):
        notes.append(
            f"{len(off_calendar)} row date(s) are not NYSE sessions and were ignored "
            f"(first {off_calendar[0].date()})"
        )
    # The window, reaching back to the first stored member row where that is earlier: the A/D
    # line and the McClellan figures start from the member history's fixed first session.
    first_member = close.reindex(columns=close.columns.intersection(members.index))
    first_member_day = first_member.first_valid_index()
    start = sessions[-history_sessions:][0]
    if first_member_day is not None:
        start = min(start, calendar.session_label(first_member_day))
    sessions = sessions[sessions >= start]
    close = close.reindex(sessions)
    volume = volume.reindex(index=sessions, columns=close.columns)
    for sym in REQUIRED_SERIES:
        if sym not in close.columns or close[sym].notna().sum() == 0:
            raise DataError(f"required series {sym} is missing from the data")
        if pd.isna(close[sym].iloc[-1]):
            last = calendar.session_label(close[sym].last_valid_index())
            raise DataError(
                f"{sym} has no close on {as_of.date()}: its data ends on {last.date()} (stale)"
            )
    notes += _gaps(close, members, as_of)
    vals = None
    if valuations is not None and not valuations.empty:
        vals = valuations[pd.to_datetime(valuations["Date"]) <= as_of].reset_index(drop=True)
    kept = members[members.index.isin(close.columns)]
    return Panel(
        close=close,
        volume=volume,
        members=kept,
        source=source,
        valuations=vals,
        warnings=tuple(notes),
        history_close=history,
        day_range=None if day_range is None else day_range.reindex(kept.index),
    )


#: What else is empty when a series lacks a close, beside its own returns.
_USED_BY = {
    SMALL_CAPS: "the size rotation figures",
    LARGE_CAPS: "the size rotation figures",
    MEGA_CAP_ETF: "the mega-cap against equal-weight figures",
    EQUAL_WEIGHT_ETF: "the mega-cap against equal-weight figures",
    **{etf: "the sector ranking" for etf in SECTOR_ETFS.values()},
}


def _gaps(close: pd.DataFrame, members: pd.DataFrame, as_of: pd.Timestamp) -> list[str]:
    """Say why figures are empty: a series without a close on the as-of session (its data
    ends early) or on the session before (no 1-day return), and a day no member has data on."""
    notes = []
    day = as_of.date()
    prev = close.index[-2].date() if len(close.index) > 1 else None
    for sym in close.columns:
        if sym in members.index:
            continue
        series = close[sym]
        also = _USED_BY.get(str(sym), "the figures built on it")
        if pd.isna(series.iloc[-1]):
            last = series.last_valid_index()
            ends = (f"its data ends on {calendar.session_label(last).date()}" if last is not None
                    else "no data at all")
            notes.append(f"{sym} has no close on {day} ({ends}): its returns, and {also}, "
                         "are empty (stale data)")
        elif prev is not None and pd.isna(series.iloc[-2]):
            notes.append(f"{sym} has no close on {prev}, the session before {day}: its 1-day "
                         f"return, and the 1-day values of {also}, are empty")
    listed = [s for s in members.index if s in close.columns]
    if len(members) and not close[listed].iloc[-1].notna().any():
        notes.append(f"none of the {len(members)} index members has a close on {day} (their "
                     "data starts later, or is missing): the breadth figures are empty")
    return notes
