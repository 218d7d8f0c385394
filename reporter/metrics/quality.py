"""The quality of the day's move: volume behind it, where members closed in their range, and
how large the index moves were against their own recent volatility.

Functions take the recent rows they need (sessions x members or one series) and read the last
row as the as-of session; they return NaN (or a base of 0) where the data is too short.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reporter.metrics import _checks

#: Sessions a year, to annualize a daily standard deviation.
YEAR_SESSIONS = 252


@dataclass(frozen=True)
class VolumeRatio:
    """Today's member volume against its average over the ``sessions`` sessions before."""

    aggregate: float  # total volume today / average daily total of those sessions
    median: float  # the median member's own ratio
    base: int  # members with a volume on today and on each of those sessions


@dataclass(frozen=True)
class RangeShares:
    """Shares of members closing in the top / bottom quarter of their day's High-Low range."""

    top: float
    bottom: float
    base: int  # members with a High above their Low and a Close within the range


def volume_ratio(volume: pd.DataFrame, sessions: int) -> VolumeRatio:
    """Member volume on the last row against the ``sessions`` rows before it.

    A member counts when its volume is known and above 0 on the last row and on each of the
    ``sessions`` rows before (a row with volume 0 did not trade). NaN figures, base 0, when no
    member qualifies or the frame is shorter than ``sessions`` + 1 rows.
    """
    n = _checks.window("sessions", sessions)
    v = volume.to_numpy(dtype="float64", na_value=np.nan)[-(n + 1) :]
    if len(v) < n + 1:
        return VolumeRatio(math.nan, math.nan, 0)
    with np.errstate(invalid="ignore"):
        ok = (v > 0).all(axis=0)
    if not ok.any():
        return VolumeRatio(math.nan, math.nan, 0)
    today = v[-1, ok]
    average = v[:-1, ok].mean(axis=0)
    return VolumeRatio(
        aggregate=float(today.sum() / average.sum()),
        median=float(np.median(today / average)),
        base=int(ok.sum()),
    )


def range_shares(close: pd.Series, high: pd.Series, low: pd.Series) -> RangeShares:
    """Where each member closed in its day's range: (close - low) / (high - low).

    Top quarter: >= 0.75; bottom quarter: <= 0.25. A member counts when its Close, High and Low
    are known, High > Low and the Close lies within [Low, High] (a row inconsistent with itself
    says nothing). The three series are aligned by member; NaN shares, base 0, with none.
    """
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    h = high.reindex(close.index).to_numpy(dtype="float64", na_value=np.nan)
    lo = low.reindex(close.index).to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(c) & np.isfinite(h) & np.isfinite(lo) & (h > lo) & (c >= lo) & (c <= h)
    if not ok.any():
        return RangeShares(math.nan, math.nan, 0)
    where = (c[ok] - lo[ok]) / (h[ok] - lo[ok])
    base = int(ok.sum())
    return RangeShares(
        top=float(np.count_nonzero(where >= 0.75)) / base,
        bottom=float(np.count_nonzero(where <= 0.25)) / base,
        base=base,
    )


def daily_volatility(close: pd.Series, sessions: int = 20, skip_last: bool = False) -> float:
    """Sample standard deviation (n - 1) of the last ``sessions`` 1D returns of ``close``.

    ``skip_last``: of the ``sessions`` returns before the last one (the prior window a day's
    move is measured against). NaN unless each of those returns is known.
    """
    n = _checks.window("sessions", sessions, minimum=2)
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    if skip_last:
        c = c[:-1]
    c = c[-(n + 1) :]
    if len(c) < n + 1:
        return math.nan
    r = c[1:] / c[:-1] - 1
    if not np.isfinite(r).all():
        return math.nan
    return float(np.std(r, ddof=1))


def move_in_sigmas(close: pd.Series, sessions: int = 20) -> tuple[float, float]:
    """(the last 1D return, that return / the std of the ``sessions`` 1D returns before it).

    NaN where a return is missing or the prior returns did not move at all."""
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    r = c[-1] / c[-2] - 1 if len(c) >= 2 else math.nan
    sigma = daily_volatility(close, sessions, skip_last=True)
    if not math.isfinite(r) or not math.isfinite(sigma) or sigma == 0:
        return float(r), math.nan
    return float(r), r / sigma


def realized_volatility(close: pd.Series, sessions: int = 20) -> float:
    """Annualized realized volatility: std of the last ``sessions`` 1D returns x sqrt(252)."""
    return daily_volatility(close, sessions) * math.sqrt(YEAR_SESSIONS)


def move_in_sigmas_series(close: pd.Series, sessions: int = 20) -> pd.Series:
    """:func:`move_in_sigmas` on every session: each 1D return over the sample standard
    deviation of the ``sessions`` 1D returns before it. NaN where a return of the window is
    missing or those returns did not move at all."""
    n = _checks.window("sessions", sessions, minimum=2)
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    r = np.full(len(c), np.nan)
    if len(c) >= 2:
        r[1:] = c[1:] / c[:-1] - 1
    sd = np.full(len(c), np.nan)
    if len(c) > n + 1:
        # window i holds the returns at sessions i + 1 .. i + n: the ones before session i + n + 1
        windows = np.lib.stride_tricks.sliding_window_view(r[1:], n)[:-1]
        sd[n + 1 :] = np.std(windows, axis=1, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(np.isfinite(sd) & (sd > 0), r / np.where(sd > 0, sd, 1.0), np.nan)
    return pd.Series(z, index=close.index, name=close.name)


def volume_ratio_series(volume: pd.DataFrame, sessions: int) -> pd.Series:
    """:func:`volume_ratio`'s ``aggregate`` on every session: the day's total volume of the
    members traded on it and on each of the ``sessions`` before, over the sum of their average
    volume on those sessions. NaN where no member qualifies or fewer sessions precede."""
    n = _checks.window("sessions", sessions)
    v = volume.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(len(v), np.nan)
    if len(v) > n:
        with np.errstate(invalid="ignore"):
            traded = v > 0
        clean = np.where(traded, v, 0.0)
        # running sums with a zero row first: a window's sum is a difference of two rows
        counts = np.zeros((len(v) + 1, v.shape[1]), dtype="int64")
        np.cumsum(traded, axis=0, out=counts[1:])
        sums = np.zeros((len(v) + 1, v.shape[1]))
        np.cumsum(clean, axis=0, out=sums[1:])
        # per session t from n on: members trading on t and on the n sessions before
        ok = (counts[n + 1 :] - counts[: len(v) - n]) == n + 1
        before = (sums[n:-1] - sums[: len(v) - n]) / n
        today = np.where(ok, clean[n:], 0.0).sum(axis=1)
        base = np.where(ok, before, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[n:] = np.where(np.any(ok, axis=1), today / np.where(base > 0, base, 1.0), np.nan)
    return pd.Series(out, index=volume.index)
