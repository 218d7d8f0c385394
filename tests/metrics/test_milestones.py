"""Round-level milestones and all-time highs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reporter.metrics.milestones import all_time_highs, round_level_crossings


def s(values: list[float | None]) -> pd.Series:
    return pd.Series([math.nan if v is None else v for v in values], dtype="float64")


def levels(x: pd.Series) -> list[float | None]:
    return [None if math.isnan(v) else v for v in x.tolist()]


def test_round_levels_by_hand() -> None:
    closes = s([4950, 4990, 5010, 4980, 5150, 5150, 5200])
    # idx0: no earlier close. idx1: 4900 was reached (4950). idx2: 5000 > earlier max 4990.
    # idx3: below the max. idx4: highest multiple under 5150 is 5100, never reached.
    # idx5: 5100 reached the day before. idx6: exactly 5200 is not *above* 5200; 5100 reached.
    assert levels(round_level_crossings(closes, 100)) == [
        None,
        None,
        5000.0,
        None,
        5100.0,
        None,
        None,
    ]


def test_round_level_jump_reports_the_highest_level() -> None:
    # from 990 to 1250: 1000, 1100 and 1200 are all new; the milestone is 1200
    assert levels(round_level_crossings(s([990, 1250]), 100)) == [None, 1200.0]
    # Dow-style: 49,900 -> 50,100 crosses 50,000
    assert levels(round_level_crossings(s([49900, 50100]), 1000)) == [None, 50000.0]


def test_all_time_highs_by_hand() -> None:
    closes = s([10, None, 11, 11, 10.5, 12])
    # idx0: nothing earlier; idx2: 11 > 10 (the gap is skipped); idx3: equal is not above
    assert all_time_highs(closes).tolist() == [False, False, True, False, False, True]


def test_bad_step_and_no_mutation() -> None:
    closes = s([1, 2, 3])
    before = closes.copy()
    for bad in (0, -5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="step"):
            round_level_crossings(closes, bad)
    round_level_crossings(closes, 1)
    all_time_highs(closes)
    pd.testing.assert_series_equal(closes, before)
