"""Outperformance runs between two series (small vs large caps, mega-cap vs equal weight).

A run is a stretch of consecutive sessions in which one series' 1D return exceeded the other's.
A tie or a missing return ends a run and belongs to no run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RunStretch:
    """One run: +1 when ``a`` led, -1 when ``b`` led; ``start``/``end`` are positions."""

    sign: int
    length: int
    start: int
    end: int


def _check_pair(a: pd.Series, b: pd.Series) -> None:
    if not a.index.equals(b.index):
        raise ValueError("both return series must share one index")


def leader_sign(a: pd.Series, b: pd.Series) -> pd.Series:
    """+1 where ``a`` returned more, -1 where ``b`` did, 0 on a tie or a missing return."""
    _check_pair(a, b)
    x = a.to_numpy(dtype="float64", na_value=np.nan)
    y = b.to_numpy(dtype="float64", na_value=np.nan)
    sign = np.where(x > y, 1, np.where(x < y, -1, 0))
    return pd.Series(sign, index=a.index, dtype="int64")


def run_lengths(a: pd.Series, b: pd.Series) -> pd.Series:
    """Signed length of the run that includes each session (so far): +n for ``a``, -n for ``b``.

    0 on a tie or where a return is missing.
    """
    s = leader_sign(a, b).to_numpy()
    n = len(s)
    if n == 0:
        return pd.Series([], index=a.index, dtype="int64")
    change = np.ones(n, dtype=bool)
    change[1:] = s[1:] != s[:-1]
    starts = np.flatnonzero(change)
    start_of = starts[np.cumsum(change) - 1]
    length = np.arange(n) - start_of + 1
    return pd.Series(np.where(s != 0, s * length, 0), index=a.index, dtype="int64")


def _ends(signed: np.ndarray) -> np.ndarray:
    """Positions where a run ends (the next session is not the same leader, or data ends)."""
    s = np.sign(signed)
    end = np.ones(len(s), dtype=bool)
    end[:-1] = s[1:] != s[:-1]
    return np.flatnonzero(end & (s != 0))


def current_run(a: pd.Series, b: pd.Series) -> RunStretch | None:
    """The run ending on the last session, or None when that session is a tie or missing."""
    signed = run_lengths(a, b).to_numpy()
    if len(signed) == 0 or signed[-1] == 0:
        return None
    length = int(abs(signed[-1]))
    end = len(signed) - 1
    return RunStretch(int(np.sign(signed[-1])), length, end - length + 1, end)


def longest_since(a: pd.Series, b: pd.Series) -> pd.Timestamp | None:
    """End date of the latest earlier run by the same leader at least as long as the current one.

    None when there is no current run, or when the current run is the longest in the data.
    """
    run = current_run(a, b)
    if run is None:
        return None
    signed = run_lengths(a, b).to_numpy()
    ends = _ends(signed)
    ends = ends[ends < run.start]
    same = ends[(np.sign(signed[ends]) == run.sign) & (np.abs(signed[ends]) >= run.length)]
    return a.index[same[-1]] if len(same) else None


def longest_run(a: pd.Series, b: pd.Series) -> RunStretch | None:
    """The longest run in the given span (the latest one on equal length); None when none.

    Pass the span already cut (e.g. this year's sessions): a run is counted within it only.
    """
    signed = run_lengths(a, b).to_numpy()
    ends = _ends(signed)
    if len(ends) == 0:
        return None
    lengths = np.abs(signed[ends])
    best = ends[np.flatnonzero(lengths == lengths.max())[-1]]
    length = int(abs(signed[best]))
    return RunStretch(int(np.sign(signed[best])), length, int(best) - length + 1, int(best))
