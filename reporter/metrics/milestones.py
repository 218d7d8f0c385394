"""Milestones: a first close above a round level, and all-time highs, within the data at hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter.metrics import _checks


def _prior_high(close: pd.Series) -> pd.Series:
    """Highest close strictly before each session; NaN when there is none."""
    return close.cummax().ffill().shift(1)


def round_level_crossings(close: pd.Series, step: float) -> pd.Series:
    """The round level (a multiple of ``step``) first closed above on each session, else NaN.

    On a session whose close is above a multiple of ``step`` that no earlier close reached, the
    value is the highest such multiple. Needs at least one earlier close.
    """
    size = _checks.positive("step", step)
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    level = np.floor(c / size) * size
    level = np.where(level >= c, level - size, level)  # "above" is strict
    prior = _prior_high(close).to_numpy(dtype="float64", na_value=np.nan)
    out = np.where(level > prior, level, np.nan)  # NaN prior or close compares False
    return pd.Series(out, index=close.index, name=close.name)


def all_time_highs(close: pd.Series) -> pd.Series:
    """True where the close exceeds every earlier close in the data (needs an earlier close)."""
    c = close.to_numpy(dtype="float64", na_value=np.nan)
    prior = _prior_high(close).to_numpy(dtype="float64", na_value=np.nan)
    return pd.Series(c > prior, index=close.index, name=close.name)
