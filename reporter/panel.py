"""Assemble the Panel the metrics read: NYSE sessions, members with sectors, history window."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter import calendar
from reporter.config import is_symbol
from reporter.errors import DataError
from reporter.model import SECTOR_ETFS, Panel, SourceInfo

REQUIRED_SERIES = ("^GSPC",)


def members_frame(constituents: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Index members by symbol with ``name`` and ``sector``; unknown sectors are dropped with a
    warning (breadth by sector needs one of the 11 GICS sectors), and so are symbols that are
    not tickers (a symbol names a file: ``../x`` or markup must never reach a path or a page)."""
    frame = pd.DataFrame(
        {
            "name": constituents["Security"].to_numpy(),
            "sector": constituents["GICS Sector"].to_numpy(),
        },
        index=pd.Index(constituents["Symbol"].to_numpy(), name="symbol"),
    )
    valid = np.array([isinstance(s, str) and is_symbol(s) for s in frame.index], dtype=bool)
    warnings = [
        f"member {str(sym)[:40]!r} is not a valid symbol and is left out"
        for sym in frame.index[~valid]
    ]
    frame = frame[valid]
    unknown = frame[~frame["sector"].isin(list(SECTOR_ETFS))]
    warnings += [
        f"member {sym} has an unknown GICS sector {str(sec)[:60]!r} and is left out"
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
) -> Panel:
    """Align the stored frames to NYSE sessions ending on ``as_of`` and keep the history window
    (``history_sessions``, or from the first member row if that is earlier).

    ``history_close``: the non-member series' closes over their whole stored history; aligned
    the same way (from their first row, or the calendar's first session if later) but not cut
    to the window.
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
    if first_member_day is not None and first_member_day < start:
        start = first_member_day
    sessions = sessions[sessions >= start]
    close = close.reindex(sessions)
    volume = volume.reindex(index=sessions, columns=close.columns)
    for sym in REQUIRED_SERIES:
        if sym not in close.columns or close[sym].notna().sum() == 0:
            raise DataError(f"required series {sym} is missing from the data")
        if pd.isna(close[sym].iloc[-1]):
            last = close[sym].last_valid_index()
            raise DataError(
                f"{sym} has no close on {as_of.date()}: its data ends on {last.date()} (stale)"
            )
    stale = [
        s for s in close.columns if s not in members.index and pd.isna(close[s].iloc[-1])
    ]
    if stale:
        notes.append(f"no close on {as_of.date()} for {', '.join(stale)}; their figures are empty")
    vals = None
    if valuations is not None and not valuations.empty:
        vals = valuations[pd.to_datetime(valuations["Date"]) <= as_of].reset_index(drop=True)
    return Panel(
        close=close,
        volume=volume,
        members=members[members.index.isin(close.columns)],
        source=source,
        valuations=vals,
        warnings=tuple(notes),
        history_close=history,
    )
