"""Moving windows: simple averages, rolling extremes and the seeded exponential average.

Every function keeps its input's shape (Series in, Series out; DataFrame in, DataFrame out) and
returns NaN wherever the window is not full: a missing close inside a window makes it incomplete.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from reporter.metrics import _checks

Frame = TypeVar("Frame", pd.Series, pd.DataFrame)


def _rolling(values: Frame, window: int, how: str) -> Frame:
    """A full-window rolling reduction; a wide frame goes through in a single pass.

    pandas rolls a DataFrame one column at a time, which costs more than the arithmetic for
    hundreds of members. Laying the columns end to end with one NaN between them gives the same
    windows in one call: a window reaching into the previous column holds that NaN, so it is
    incomplete and NaN, exactly as at the start of a column.
    """
    n = _checks.window("window", window)
    if isinstance(values, pd.Series) or values.shape[1] <= 1:
        return getattr(values.rolling(n, min_periods=n), how)()
    x = values.to_numpy(dtype="float64", na_value=np.nan)
    rows, cols = x.shape
    laid = np.empty((cols, rows + 1))
    laid[:, :rows] = x.T
    laid[:, rows] = np.nan
    rolled = getattr(pd.Series(laid.ravel(), copy=False).rolling(n, min_periods=n), how)()
    out = rolled.to_numpy().reshape((cols, rows + 1))[:, :rows].T
    return pd.DataFrame(out, index=values.index, columns=values.columns, copy=False)


def _extreme(values: Frame, window: int, high: bool) -> Frame:
    """Rolling max / min over full windows; a wide frame by doubling spans.

    The extreme over 2k rows is the extreme of two spans of k rows, so log2(window) whole-frame
    passes give every span of the largest power of two within the window, and two overlapping
    such spans cover each window. Exact (a max is a max), so it equals pandas' rolling max, at
    a fraction of the cost on hundreds of columns. A missing value stands in as the infinity
    that wins every comparison, so a window holding one comes out infinite and then NaN, as in
    pandas (an input equal to that infinity counts as missing too).
    """
    n = _checks.window("window", window)
    if isinstance(values, pd.Series) or values.shape[1] <= 1:
        return getattr(values.rolling(n, min_periods=n), "max" if high else "min")()
    x = values.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(x.shape, np.nan)
    if len(x) >= n:
        wins = np.inf if high else -np.inf
        pick = np.maximum if high else np.minimum
        spans, spare = np.where(np.isnan(x), wins, x), np.empty_like(x)
        span, rows = 1, len(x)  # spans[:rows]: the extreme of ``span`` rows from each row on
        while span * 2 <= n:
            pick(spans[: rows - span], spans[span:rows], out=spare[: rows - span])
            spans, spare = spare, spans
            rows -= span
            span *= 2
        found = out[n - 1 :]
        pick(spans[: rows - (n - span)], spans[n - span : rows], out=found)
        found[found == wins] = np.nan
    return pd.DataFrame(out, index=values.index, columns=values.columns, copy=False)


def sma(values: Frame, window: int) -> Frame:
    """Simple average of the last ``window`` values including the current one."""
    return _rolling(values, window, "mean")


def rolling_high(values: Frame, window: int) -> Frame:
    """Highest of the last ``window`` values including the current one."""
    return _extreme(values, window, high=True)


def rolling_low(values: Frame, window: int) -> Frame:
    """Lowest of the last ``window`` values including the current one."""
    return _extreme(values, window, high=False)


def seeded_ema(values: pd.Series, alpha: float, seed: int) -> pd.Series:
    """Exponential average ``e = e_prev + alpha * (x - e_prev)`` seeded with a simple average.

    The first value is the plain mean of the first ``seed`` defined inputs and sits on the
    session of the last of them; earlier sessions are NaN. A NaN input later on is skipped (the
    average carries over it) and its own session is NaN. This is the McClellan/Zweig convention,
    which pandas' ``ewm`` alone does not give (it seeds with the first value).
    """
    a = _checks.fraction("alpha", alpha)
    n = _checks.window("seed", seed)
    x = values.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(x.shape, np.nan)
    defined = np.flatnonzero(~np.isnan(x))
    if len(defined) >= n:
        k = defined[n - 1]
        tail = x[k:].copy()
        tail[0] = x[defined[:n]].mean()
        smoothed = (
            pd.Series(tail).ewm(alpha=a, adjust=False, ignore_na=True).mean().to_numpy(copy=True)
        )
        smoothed[np.isnan(tail)] = np.nan
        out[k:] = smoothed
    return pd.Series(out, index=values.index, name=values.name)
