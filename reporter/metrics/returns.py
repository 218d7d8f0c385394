"""Close-to-close returns: against N sessions earlier and against the end of the previous period.

Closes are used as stored: a missing close gives NaN, never a filled-in value. Every function
keeps its input's shape (Series in, Series out; DataFrame in, DataFrame out).
"""

from __future__ import annotations

from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from reporter.metrics import _checks

Frame = TypeVar("Frame", pd.Series, pd.DataFrame)
Period = Literal["M", "Y"]


def simple_return(close: Frame, periods: int = 1) -> Frame:
    """Return against the close ``periods`` sessions (rows) earlier; NaN where either is missing."""
    n = _checks.window("periods", periods)
    return close / close.shift(n) - 1


def _period_keys(index: pd.Index, freq: Period) -> pd.PeriodIndex:
    if freq not in ("M", "Y"):
        raise ValueError(f"freq must be 'M' or 'Y', got {freq!r}")
    return pd.DatetimeIndex(index).to_period(freq)


def _period_ends(close: Frame, keys: pd.PeriodIndex) -> Frame:
    """Each calendar period's last close (the last non-missing one), every period in the span."""
    last = close.groupby(keys).last()
    full = pd.period_range(keys[0], keys[-1], freq=keys.freq)
    return last.reindex(full)


def _per_session(by_period: Frame, keys: pd.PeriodIndex, like: Frame) -> Frame:
    out = by_period.reindex(keys)
    out.index = like.index
    return out


def previous_period_close(close: Frame, freq: Period) -> Frame:
    """At each session, the last close of the previous month (``"M"``) or year (``"Y"``).

    NaN where the data holds no close in that previous period.
    """
    keys = _period_keys(close.index, freq)
    if len(keys) == 0:
        return close.astype("float64")
    ends = _period_ends(close, keys)
    return _per_session(ends.shift(1), keys, close)


def period_to_date_return(close: Frame, freq: Period) -> Frame:
    """Month- or year-to-date return: against the last close of the previous period."""
    return close / previous_period_close(close, freq) - 1


def previous_period_return(close: Frame, freq: Period) -> Frame:
    """At each session, the whole return of the previous month or year.

    Its last close against the last close of the period before it; NaN when either is absent.
    """
    keys = _period_keys(close.index, freq)
    if len(keys) == 0:
        return close.astype("float64")
    ends = _period_ends(close, keys)
    whole = ends / ends.shift(1) - 1
    return _per_session(whole.shift(1), keys, close)


def rebase(close: Frame, base: float = 100.0) -> Frame:
    """Scale each series so its first available value equals ``base`` (for charts)."""
    b = _checks.positive("base", base)
    if isinstance(close, pd.Series):
        first = close.dropna()
        return close * (b / first.iloc[0]) if len(first) else close.astype("float64")
    firsts = close.bfill().iloc[0] if len(close) else pd.Series(np.nan, index=close.columns)
    return close * (b / firsts)
