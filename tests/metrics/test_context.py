"""context_of and percentile_in_window on small hand-made series: every answer worked out here."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from reporter.metrics.context import context_of, percentile_in_window
from reporter.metrics.result import Context
from tests.support.panels import business_days

NONE = Context(value=None, since=None, percentile=None, history_start=None, direction=None)


def series(values: list[float | None], start: str = "2025-03-03") -> pd.Series:
    idx = business_days(start, len(values))
    return pd.Series([np.nan if v is None else v for v in values], index=idx, dtype="float64")


def day(s: pd.Series, i: int) -> dt.date:
    return s.index[i].date()


def test_a_high_value_since_the_last_at_least_as_high() -> None:
    s = series([1.0, 5.0, 2.0, 3.0, 4.0])
    # median of 1, 5, 2, 3, 4 is 3; 4 > 3: high; the last earlier value >= 4 is the 5 (Mar 4)
    c = context_of(s, s.index[-1])
    assert c == Context(4.0, day(s, 1), 4 / 5, day(s, 0), "high")


def test_a_low_value_since_the_last_at_least_as_low() -> None:
    s = series([3.0, 1.0, 4.0, 5.0, 2.0])
    # median 3; 2 <= 3: low; the last earlier value <= 2 is the 1 (Mar 4); <= 2: 1 and 2
    c = context_of(s, s.index[-1])
    assert c == Context(2.0, day(s, 1), 2 / 5, day(s, 0), "low")


def test_the_most_extreme_in_the_history_has_no_since() -> None:
    s = series([1.0, 2.0, 3.0, 10.0])
    assert context_of(s, s.index[-1]) == Context(10.0, None, 1.0, day(s, 0), "high")
    s = series([5.0, 4.0, 3.0, -1.0])
    assert context_of(s, s.index[-1]) == Context(-1.0, None, 1 / 4, day(s, 0), "low")


def test_ties_count_as_at_least_as_extreme_and_in_the_percentile() -> None:
    s = series([7.0, 1.0, 7.0, 2.0, 7.0])
    # median 7: a value equal to the median is "low"; the last earlier value <= 7 is Mar 6 (2)
    c = context_of(s, s.index[-1])
    assert c == Context(7.0, day(s, 3), 1.0, day(s, 0), "low")
    s = series([1.0, 9.0, 2.0, 9.0, 3.0, 9.0])
    # median (3 + 9) / 2 = 6; 9 > 6: high; the tie on Mar 6 is as high
    c = context_of(s, s.index[-1])
    assert c == Context(9.0, day(s, 3), 1.0, day(s, 0), "high")


def test_all_equal_values() -> None:
    s = series([2.5] * 4)
    # equal to the median: low; yesterday was as low; every session is <= today's
    assert context_of(s, s.index[-1]) == Context(2.5, day(s, 2), 1.0, day(s, 0), "low")


def test_too_short_and_no_value_today() -> None:
    s = series([3.0])
    assert context_of(s, s.index[0]) == Context(3.0, None, None, None, None)
    s = series([None, None, 3.0])  # one defined session only
    assert context_of(s, s.index[-1]) == Context(3.0, None, None, None, None)
    s = series([1.0, 2.0, None])
    assert context_of(s, s.index[-1]) == NONE  # no value on the as-of session
    assert context_of(series([]), pd.Timestamp("2025-03-03")) == NONE
    # a date the series does not reach, or one before it starts
    s = series([1.0, 2.0])
    assert context_of(s, s.index[-1] + pd.Timedelta(days=1)) == NONE
    assert context_of(s, s.index[0] - pd.Timedelta(days=1)) == NONE
    # a longer minimum
    s = series([1.0, 2.0, 3.0])
    assert context_of(s, s.index[-1], min_sessions=4) == Context(3.0, None, None, None, None)
    assert context_of(s, s.index[-1], min_sessions=3).percentile == 1.0


def test_gaps_are_left_out_of_the_history() -> None:
    s = series([None, 4.0, None, 1.0, None, 3.0])
    # history: Mar 4 (4), Mar 6 (1), Mar 10 (3); median 3: low; last earlier <= 3: Mar 6
    c = context_of(s, s.index[-1])
    assert c == Context(3.0, day(s, 3), 2 / 3, day(s, 1), "low")
    s = series([1.0, np.inf, 2.0, 5.0])  # an infinite value is undefined too
    c = context_of(s, s.index[-1])
    assert c == Context(5.0, None, 1.0, day(s, 0), "high")


def test_an_earlier_as_of_date_sees_only_its_past() -> None:
    s = series([1.0, 3.0, 2.0, 10.0, 0.0])
    # as of Mar 5: history 1, 3, 2; median 2; 2 is low; last earlier <= 2: Mar 3
    c = context_of(s, s.index[2])
    assert c == Context(2.0, day(s, 0), 2 / 3, day(s, 0), "low")
    c = context_of(s, s.index[2].date())  # a date works as well as a timestamp
    assert c.since == day(s, 0)


def test_the_input_is_not_changed() -> None:
    s = series([3.0, None, 1.0, 2.0])
    before = s.copy()
    context_of(s, s.index[-1])
    pd.testing.assert_series_equal(s, before)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_bad_minimum_is_a_value_error(bad: object) -> None:
    s = series([1.0, 2.0])
    with pytest.raises(ValueError, match="min_sessions"):
        context_of(s, s.index[-1], min_sessions=bad)  # type: ignore[arg-type]


def test_bad_index_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="DatetimeIndex"):
        context_of(pd.Series([1.0, 2.0]), pd.Timestamp("2025-01-01"))
    s = series([1.0, 2.0, 3.0]).iloc[[0, 2, 1]]
    with pytest.raises(ValueError, match="ascending"):
        context_of(s, s.index[0])


def test_percentile_in_window() -> None:
    s = series([5.0, 1.0, 3.0, 3.0, 2.0, 3.0])
    # the last 4: 3, 3, 2, 3: all <= 3
    assert percentile_in_window(s, 4) == 1.0
    # the last 6: 1, 2, 3, 3, 3 are <= 3, the 5 is not
    assert percentile_in_window(s, 6) == 5 / 6
    assert percentile_in_window(s, 1) == 1.0
    assert np.isnan(percentile_in_window(s, 7))  # not enough values
    assert np.isnan(percentile_in_window(series([1.0, None, 2.0]), 3))  # a gap in the window
    assert percentile_in_window(series([1.0, None, 2.0, 0.5]), 2) == 1 / 2
    with pytest.raises(ValueError, match="window"):
        percentile_in_window(s, 0)
