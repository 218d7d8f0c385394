"""The trend map: RSI and relative strength against the benchmark, ranked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter.metrics import _checks


def rsi(close: pd.DataFrame, sessions: int = 14) -> pd.DataFrame:
    """Wilder's relative strength index of each column, over the rows given.

    Gains and losses of the close-to-close changes are averaged with Wilder's smoothing
    (``avg = avg_prev + (x - avg_prev) / sessions``), each seeded with the simple average of the
    column's first ``sessions`` known changes; RSI = 100 - 100 / (1 + avg gain / avg loss): 100
    when there are no losses (50 when there are no changes at all). A missing close leaves its
    changes out (the averages carry over them) and its RSI is NaN. NaN until ``sessions``
    changes are known. The seed's weight fades as (1 - 1/sessions)^rows: after 1,000 rows of
    RSI(14) it is below 1e-30, so a long recent stretch gives the whole history's value.
    """
    n = _checks.window("sessions", sessions)
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    change = np.full(c.shape, np.nan)
    change[1:] = c[1:] - c[:-1]
    with np.errstate(invalid="ignore"):
        up = _seeded(np.where(change > 0, change, np.where(np.isnan(change), np.nan, 0.0)), n)
        down = _seeded(np.where(change < 0, -change, np.where(np.isnan(change), np.nan, 0.0)), n)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 100 - 100 / (1 + up / down)
    value = np.where(down == 0, np.where(up > 0, 100.0, 50.0), value)
    value[np.isnan(up) | np.isnan(down)] = np.nan
    return pd.DataFrame(value, index=close.index, columns=close.columns)


def _seeded(x: np.ndarray, n: int) -> np.ndarray:
    """:func:`reporter.metrics.rolling.seeded_ema` with alpha 1/n and seed n, every column in
    one pass: each column's seed (the mean of its first n known values) is put on the row of
    the last of them, earlier rows blanked, and one exponential average runs over all columns
    (it starts each column at its first known value, skips missing ones)."""
    start = np.full(x.shape[1], -1)
    seeded = x.copy()
    for j in range(x.shape[1]):
        known = np.flatnonzero(~np.isnan(x[:, j]))
        if len(known) >= n:
            k = known[n - 1]
            seeded[:k, j] = np.nan
            seeded[k, j] = x[known[:n], j].mean()
            start[j] = k
        else:
            seeded[:, j] = np.nan
    if not (start >= 0).any():
        return np.full(x.shape, np.nan)
    frame = pd.DataFrame(seeded, copy=False)
    smooth = frame.ewm(alpha=1 / n, adjust=False, ignore_na=True).mean().to_numpy(copy=True)
    smooth[np.isnan(seeded)] = np.nan
    return smooth


def relative_change(close: pd.DataFrame, benchmark: pd.Series, sessions: int = 63) -> pd.DataFrame:
    """Change of each series' ratio to ``benchmark`` over ``sessions``: ratio now / ratio
    ``sessions`` rows before - 1 (its return less the benchmark's, compounded). NaN where a
    close is missing."""
    n = _checks.window("sessions", sessions)
    ratio = close.div(benchmark, axis=0)
    return ratio / ratio.shift(n) - 1

