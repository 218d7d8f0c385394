"""Sector ranking, dispersion and leadership: small functions over one return per sector."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter.metrics import _checks


def rank_best_first(returns: pd.Series) -> pd.Series:
    """Rank 1 for the highest return; equal returns share the better rank; NaN stays NaN."""
    return returns.rank(ascending=False, method="min", na_option="keep")


def order_best_first(returns: pd.Series) -> list[str]:
    """Labels by return, best first, missing returns last; ties keep the input order."""
    values = returns.to_numpy(dtype="float64", na_value=np.nan)
    key = np.where(np.isnan(values), np.inf, -values)
    return [str(returns.index[i]) for i in np.argsort(key, kind="stable")]


def top(returns: pd.Series, n: int) -> list[str]:
    """The ``n`` best labels (fewer when fewer returns are known), best first."""
    k = _checks.window("n", n)
    return order_best_first(returns.dropna())[:k]


def bottom(returns: pd.Series, n: int) -> list[str]:
    """The ``n`` worst labels (fewer when fewer are known), in ranking order: worst last."""
    k = _checks.window("n", n)
    ranked = order_best_first(returns.dropna())
    return ranked[-k:] if ranked else []


def dispersion(returns: pd.Series) -> float:
    """Population standard deviation of the known returns; NaN with fewer than two."""
    values = returns.dropna().to_numpy(dtype="float64")
    return float(values.std(ddof=0)) if len(values) >= 2 else float("nan")
