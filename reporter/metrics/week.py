"""The week around the report: what the sessions before it did, and the calendar week so far.

A calendar week runs Monday to Sunday; sessions are the rows of the series (NYSE sessions), so
a holiday simply has no row and a short week has fewer sessions.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from reporter.metrics.result import Streak


def _week(day: pd.Timestamp | dt.date) -> pd.Period:
    return pd.Timestamp(day).to_period("W-SUN")


def _check_index(index: pd.Index) -> pd.DatetimeIndex:
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError("the series must be indexed by session dates (a DatetimeIndex)")
    if not (index.is_monotonic_increasing and index.is_unique):
        raise ValueError("the series' sessions must be ascending and unique")
    return index


def week_start(sessions: pd.Index) -> pd.Timestamp:
    """The first session in the calendar week of the last session."""
    index = _check_index(sessions)
    if len(index) == 0:
        raise ValueError("no sessions")
    weeks = index.to_period("W-SUN")
    return pd.Timestamp(index[np.flatnonzero(weeks == weeks[-1])[0]])


def is_week_end(as_of: pd.Timestamp | dt.date, next_session: pd.Timestamp | dt.date) -> bool:
    """True when the next session falls in a later calendar week than ``as_of``."""
    if pd.Timestamp(next_session) <= pd.Timestamp(as_of):
        raise ValueError(f"the next session {next_session} is not after {as_of}")
    return bool(_week(next_session) > _week(as_of))


def is_year_end(as_of: pd.Timestamp | dt.date, next_session: pd.Timestamp | dt.date) -> bool:
    """True when the next session falls in a later calendar year than ``as_of``."""
    if pd.Timestamp(next_session) <= pd.Timestamp(as_of):
        raise ValueError(f"the next session {next_session} is not after {as_of}")
    return bool(pd.Timestamp(next_session).year > pd.Timestamp(as_of).year)


def week_return(close: pd.Series) -> float:
    """The last close against the last close of the previous calendar week, minus 1.

    NaN where the last close is missing or the previous week holds no close.
    """
    index = _check_index(close.index)
    if len(close) == 0:
        return float("nan")
    values = close.to_numpy(dtype="float64", na_value=np.nan)
    weeks = index.to_period("W-SUN")
    before = np.flatnonzero((weeks == weeks[-1] - 1) & ~np.isnan(values))
    if len(before) == 0:
        return float("nan")
    return float(values[-1] / values[before[-1]] - 1)


def streak_before(close: pd.Series) -> Streak:
    """The run of same-signed 1D returns ending on the session before the last one.

    Its direction is the sign of that session's return ("up" / "down"); an unchanged or missing
    close on it means no streak (direction None, length 0, no return). The streak stops at the
    first earlier session that moved the other way, was unchanged, or lacks a close; its return
    compounds the streak's sessions (the close before the streak to the close ending it).
    """
    _check_index(close.index)
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    if len(c) < 3:
        return Streak(direction=None, length=0, compound_return=None)
    with np.errstate(invalid="ignore"):
        sign = np.sign(c[1:-1] - c[:-2])  # 1D moves of sessions 1 .. n-2 (the last excluded)
    last = sign[-1]
    if np.isnan(last) or last == 0:
        return Streak(direction=None, length=0, compound_return=None)
    other = np.flatnonzero(sign != last)  # NaN compares unequal: a gap ends the streak
    length = len(sign) - (int(other[-1]) + 1 if len(other) else 0)
    end = len(c) - 2
    return Streak(
        direction="up" if last > 0 else "down",
        length=length,
        compound_return=float(c[end] / c[end - length] - 1),
    )
