"""Moving-average crossovers and the distance from the 52-week high."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reporter.metrics.watchlist import crosses, from_high, last_cross
from tests.support.panels import business_days

IDX = business_days("2024-03-01", 8)


def s(values: list[float | None]) -> pd.Series:
    return pd.Series([math.nan if v is None else v for v in values], index=IDX, dtype="float64")


def test_crosses_by_hand() -> None:
    fast = s([1, 2, 3, 3, 2, 1, 1, 2])
    slow = s([2, 2, 2, 3, 3, 3, 1, 1])
    # fast - slow: -1, 0, +1, 0, -1, -2, 0, +1. Equal days are no side, so the sides are
    # -, -, +, +, -, -, -, +: golden on idx 2, death on idx 4, golden on idx 7
    assert crosses(fast, slow).tolist() == [0, 0, 1, 0, -1, 0, 0, 1]
    assert last_cross(fast, slow) == ("golden", IDX[7])


def test_no_cross_before_both_averages_exist() -> None:
    fast = s([None, None, 5, 5, 1, 1, 1, 1])
    slow = s([None, None, 1, 1, 1, 1, 2, 2])
    # first comparable day is not a cross; the first real change is idx 6 (above -> below)
    assert crosses(fast, slow).tolist() == [0, 0, 0, 0, 0, 0, -1, 0]
    assert last_cross(fast, slow) == ("death", IDX[6])
    assert last_cross(s([1.0] * 8), s([2.0] * 8)) is None


def test_from_high() -> None:
    out = from_high(s([10, 12, 11, 9, 12, 13, None, 13]), 3)
    assert math.isnan(out.iloc[0]) and math.isnan(out.iloc[1])
    # 11/12-1; 9/12-1; 12/12-1 = 0; 13/13-1; a missing close in the window: NaN
    assert out.iloc[2:6].tolist() == pytest.approx([11 / 12 - 1, 9 / 12 - 1, 0.0, 0.0])
    assert out.iloc[6:].isna().all()


def test_errors_and_no_mutation() -> None:
    fast, slow = s([1, 2, 3, 4, 5, 6, 7, 8]), s([2, 2, 2, 2, 2, 2, 2, 2])
    f0, s0 = fast.copy(), slow.copy()
    crosses(fast, slow)
    pd.testing.assert_series_equal(fast, f0)
    pd.testing.assert_series_equal(slow, s0)
    with pytest.raises(ValueError, match="index"):
        crosses(fast, slow.iloc[1:])
    with pytest.raises(ValueError, match="window"):
        from_high(fast, 0)
