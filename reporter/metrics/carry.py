"""Who carried the sector: its ETF's 1D return against the median member's, and the members
that moved most among the sector's largest.

The data has no index weights, so "largest" is a stated proxy: the members with the highest
average dollar volume (close x volume) over the sessions before the as-of session.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter.metrics import _checks


def dollar_volume(close: pd.DataFrame, volume: pd.DataFrame, sessions: int = 20) -> pd.Series:
    """Per member, the average of close x volume over the ``sessions`` rows before the last.

    NaN unless the member has a close and a volume above 0 on each of them. The last row (the
    as-of session) is left out, so the day's own move does not decide who counts as large.
    """
    n = _checks.window("sessions", sessions)
    c = close.to_numpy(dtype="float64", na_value=np.nan)[-(n + 1) : -1]
    v = volume.reindex(index=close.index, columns=close.columns)
    vol = v.to_numpy(dtype="float64", na_value=np.nan)[-(n + 1) : -1]
    if len(c) < n:
        return pd.Series(np.nan, index=close.columns)
    traded = c * vol
    with np.errstate(invalid="ignore"):
        ok = (np.isfinite(traded) & (vol > 0)).all(axis=0)
    out = np.where(ok, traded.mean(axis=0), np.nan)
    return pd.Series(out, index=close.columns)


def largest(size: pd.Series, n: int = 10) -> np.ndarray:
    """Positions in ``size`` of the ``n`` largest known values, largest first; ties keep the
    order of ``size``."""
    k = _checks.window("n", n)
    values = size.to_numpy(dtype="float64", na_value=np.nan)
    known = np.flatnonzero(np.isfinite(values))
    return known[np.argsort(-values[known], kind="stable")][:k]


def top_movers(returns: pd.Series, n: int = 3) -> np.ndarray:
    """Positions in ``returns`` of the ``n`` largest absolute known returns, largest first;
    ties keep the order of ``returns``."""
    k = _checks.window("n", n)
    values = returns.to_numpy(dtype="float64", na_value=np.nan)
    known = np.flatnonzero(np.isfinite(values))
    return known[np.argsort(-np.abs(values[known]), kind="stable")][:k]


def median_return(returns: pd.Series) -> tuple[float, int]:
    """(median of the known returns, how many are known); NaN with none."""
    values = returns.to_numpy(dtype="float64", na_value=np.nan)
    known = values[np.isfinite(values)]
    return (float(np.median(known)) if len(known) else float("nan")), len(known)
