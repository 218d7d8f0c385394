"""Context from history: how rare a figure's value on the as-of session is in its whole series.

This is what lets a sentence say "its biggest gain since 22 August 2025" or "the most new highs
in the data": every answer comes from the series itself, never from a guess.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from reporter.metrics import _checks
from reporter.metrics.result import Context

#: Too little history: a value with no earlier session to compare against says nothing.
MIN_SESSIONS = 2


def _check_series(series: pd.Series) -> None:
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError("the series must be indexed by session dates (a DatetimeIndex)")
    if not (series.index.is_monotonic_increasing and series.index.is_unique):
        raise ValueError("the series' sessions must be ascending and unique")


def context_of(
    series: pd.Series, as_of: dt.date | pd.Timestamp, min_sessions: int = MIN_SESSIONS
) -> Context:
    """The context of ``series``' value on ``as_of`` within its history up to that session.

    The history is every session up to and including ``as_of`` where the series has a value;
    ``direction`` is "high" when today's value is above the history's median (then ``since`` is
    the latest earlier session with a value >= today's), "low" otherwise (a value <= today's);
    ``since`` is None when no earlier session was as extreme. ``percentile``: the share of the
    history (today included) with a value <= today's. With no value on ``as_of``, or fewer than
    ``min_sessions`` sessions of history, every field but ``value`` is None.
    """
    n = _checks.window("min_sessions", min_sessions)
    _check_series(series)
    day = pd.Timestamp(as_of)
    end = int(series.index.searchsorted(day, side="right"))
    values = series.to_numpy(dtype="float64", na_value=np.nan)[:end]
    if end == 0 or series.index[end - 1] != day or not np.isfinite(values[-1]):
        return Context(value=None, since=None, percentile=None, history_start=None, direction=None)
    today = float(values[-1])
    where = np.flatnonzero(np.isfinite(values))  # the history: positions with a value
    if len(where) < n:
        return Context(value=today, since=None, percentile=None, history_start=None, direction=None)
    history = values[where]
    high = today > float(np.median(history))
    earlier = history[:-1]
    hits = np.flatnonzero(earlier >= today if high else earlier <= today)
    return Context(
        value=today,
        since=_date(series.index[where[hits[-1]]]) if len(hits) else None,
        percentile=float(np.count_nonzero(history <= today)) / len(history),
        history_start=_date(series.index[where[0]]),
        direction="high" if high else "low",
    )


def _date(day: pd.Timestamp) -> dt.date:
    return pd.Timestamp(day).date()


def percentile_in_window(series: pd.Series, window: int) -> float:
    """Share of the last ``window`` values (the last one included) that are <= the last one.

    NaN unless each of those ``window`` values is known (as a rolling window must be full).
    """
    n = _checks.window("window", window)
    values = series.to_numpy(dtype="float64", na_value=np.nan)[-n:]
    if len(values) < n or np.isnan(values).any():
        return float("nan")
    return float(np.count_nonzero(values <= values[-1])) / n
