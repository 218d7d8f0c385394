"""Bellwether technicals: moving-average crossovers and distance from the 52-week high."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter.metrics.rolling import rolling_high

GOLDEN = 1
DEATH = -1


def crosses(fast: pd.Series, slow: pd.Series) -> pd.Series:
    """+1 on a session where ``fast`` moves above ``slow`` (golden cross), -1 where it moves below
    (death cross), 0 otherwise.

    A day on which the two are exactly equal is not a side: the cross is dated on the first
    session strictly on the other side. A session without both averages breaks the comparison.
    """
    if not fast.index.equals(slow.index):
        raise ValueError("both averages must share one index")
    diff = (fast - slow).to_numpy(dtype="float64", na_value=np.nan)
    side = pd.Series(np.sign(diff)).replace(0.0, np.nan).ffill().to_numpy(copy=True)
    side[np.isnan(diff)] = np.nan
    prev = np.full(side.shape, np.nan)
    prev[1:] = side[:-1]
    out = np.zeros(side.shape, dtype="int64")
    out[(side == 1) & (prev == -1)] = GOLDEN
    out[(side == -1) & (prev == 1)] = DEATH
    return pd.Series(out, index=fast.index)


def last_cross(fast: pd.Series, slow: pd.Series) -> tuple[str, pd.Timestamp] | None:
    """The latest crossover in the data as (``"golden"`` | ``"death"``, session), or None."""
    marks = crosses(fast, slow)
    hits = np.flatnonzero(marks.to_numpy() != 0)
    if len(hits) == 0:
        return None
    i = hits[-1]
    return ("golden" if marks.iloc[i] == GOLDEN else "death", fast.index[i])


def from_high(close: pd.Series, window: int = 252) -> pd.Series:
    """Close against the highest close of the last ``window`` sessions, minus 1 (0 at a high)."""
    return close / rolling_high(close, window) - 1
