"""Equally weighted baskets of index members: momentum winners and losers, high and low
volatility, to tell a broad advance from a squeeze of the losers.

Rebalance rule: a basket for a window (1 day, 5 days, month to date) is formed on the window's
base session, the close its return is measured from, using only closes up to that session; it
is equally weighted at that close and held to the as-of session, so its return is the mean of
its members' returns over the window. A member without a close at the end of the window is left
out of that mean (the basket's ``size`` says how many were held). Closes are usable closes
(a row with volume 0 is missing).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from reporter.metrics import _checks

#: The momentum score skips the last month and looks back a year: close 21 sessions before
#: the base / close 252 sessions before it - 1.
SKIP, LOOKBACK = 21, 252
#: Realized volatility window of the volatility score (standard deviation of 1D returns).
VOLATILITY_SESSIONS = 60
#: Share of the scored members in each basket (a fifth).
FRACTION = 0.2


def momentum(close: pd.DataFrame, skip: int = SKIP, lookback: int = LOOKBACK) -> pd.Series:
    """Per member, as of the last row: close ``skip`` rows before / close ``lookback`` rows
    before - 1. NaN where either close (or the last row's, since the basket is bought there) is
    missing, or the frame is too short."""
    s = _checks.window("skip", skip)
    b = _checks.window("lookback", lookback)
    if s >= b:
        raise ValueError(f"skip ({s}) must be shorter than lookback ({b})")
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    if len(c) <= b:
        return pd.Series(np.nan, index=close.columns)
    score = c[-1 - s] / c[-1 - b] - 1
    return pd.Series(np.where(np.isfinite(c[-1]), score, np.nan), index=close.columns)


def volatility(close: pd.DataFrame, sessions: int = VOLATILITY_SESSIONS) -> pd.Series:
    """Per member, as of the last row: sample standard deviation (n - 1) of its last
    ``sessions`` 1D returns. NaN unless each of the ``sessions`` + 1 closes is known."""
    n = _checks.window("sessions", sessions, minimum=2)
    c = close.to_numpy(dtype="float64", na_value=np.nan)[-(n + 1) :]
    if len(c) < n + 1:
        return pd.Series(np.nan, index=close.columns)
    r = c[1:] / c[:-1] - 1
    sd = np.std(r, axis=0, ddof=1)
    return pd.Series(np.where(np.isfinite(r).all(axis=0), sd, np.nan), index=close.columns)


def fifths(scores: pd.Series, fraction: float = FRACTION) -> tuple[np.ndarray, np.ndarray]:
    """(top, bottom): positions in ``scores`` of the ``fraction`` of the scored members (rounded
    down) with the highest and with the lowest scores, best (worst) first; ties keep the order
    of ``scores``. Empty with too few scored."""
    f = _checks.fraction("fraction", fraction)
    if f > 0.5:
        raise ValueError(f"fraction must be at most 0.5, got {fraction!r}")
    values = scores.to_numpy(dtype="float64", na_value=np.nan)
    known = np.flatnonzero(np.isfinite(values))
    k = int(len(known) * f)
    up = known[np.argsort(-values[known], kind="stable")]
    down = known[np.argsort(values[known], kind="stable")]
    return up[:k], down[:k]


def held_return(base: pd.Series, end: pd.Series, at: np.ndarray) -> tuple[float, int]:
    """(mean of end / base - 1 over the members at positions ``at`` with both closes, how
    many); NaN with none. ``base`` and ``end`` list the members in the same order."""
    if len(at) == 0:
        return math.nan, 0
    b = base.to_numpy(dtype="float64", na_value=np.nan)[at]
    e = end.to_numpy(dtype="float64", na_value=np.nan)[at]
    r = e / b - 1
    r = r[np.isfinite(r)]
    return (float(r.mean()) if len(r) else math.nan), len(r)
