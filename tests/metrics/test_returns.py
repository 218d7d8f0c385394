"""Returns: close-to-close against N sessions earlier and against the previous period's end."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reporter.metrics.returns import (
    period_to_date_return,
    previous_period_close,
    previous_period_return,
    rebase,
    simple_return,
)
from tests.support.panels import days, frame

# Sessions across a year end and a month end (gaps between them do not matter to the rules).
IDX = days("2023-12-28", "2023-12-29", "2024-01-02", "2024-01-31", "2024-02-01")
CLOSES = [50.0, 40.0, 44.0, 48.0, 60.0]


def series(values: list[float | None], index: pd.DatetimeIndex = IDX) -> pd.Series:
    return frame({"X": values}, index)["X"]


def test_simple_return_by_hand() -> None:
    r1 = simple_return(series(CLOSES), 1)
    # 40/50-1 = -0.2; 44/40-1 = 0.1; 48/44-1 = 0.0909..; 60/48-1 = 0.25
    assert math.isnan(r1.iloc[0])
    assert r1.iloc[1:].tolist() == pytest.approx([-0.2, 0.1, 48 / 44 - 1, 0.25])
    r3 = simple_return(series(CLOSES), 3)
    # 48/50-1 = -0.04; 60/40-1 = 0.5; fewer than 3 sessions before: NaN
    assert r3.iloc[:3].isna().all()
    assert r3.iloc[3:].tolist() == pytest.approx([-0.04, 0.5])


def test_simple_return_uses_closes_as_stored() -> None:
    r1 = simple_return(series([50.0, None, 44.0, 48.0, 60.0]), 1)
    # no close on the previous session: NaN, not a return against an older close
    assert math.isnan(r1.iloc[1]) and math.isnan(r1.iloc[2])
    assert r1.iloc[3] == pytest.approx(48 / 44 - 1)


def test_month_and_year_to_date_by_hand() -> None:
    s = series(CLOSES)
    mtd = period_to_date_return(s, "M")
    # Dec: no November in the data -> NaN. Jan: base = Dec 29 close 40 -> 44/40-1, 48/40-1.
    # Feb 1: base = Jan 31 close 48 -> 60/48-1 = 0.25
    assert mtd.iloc[:2].isna().all()
    assert mtd.iloc[2:].tolist() == pytest.approx([0.1, 0.2, 0.25])
    ytd = period_to_date_return(s, "Y")
    # 2023: no 2022 close -> NaN. 2024: base = 2023's last close 40 -> 0.1, 0.2, 0.5
    assert ytd.iloc[:2].isna().all()
    assert ytd.iloc[2:].tolist() == pytest.approx([0.1, 0.2, 0.5])


def test_previous_month_return_by_hand() -> None:
    prev = previous_period_return(series(CLOSES), "M")
    # Jan sessions: December's return needs November's close -> NaN.
    # Feb 1: January's return = Jan 31 / Dec 29 - 1 = 48/40-1 = 0.2
    assert prev.iloc[:4].isna().all()
    assert prev.iloc[4] == pytest.approx(0.2)


def test_previous_period_close_takes_the_last_close_the_series_has() -> None:
    s = series([50.0, 40.0, 44.0, None, 60.0])  # no close on Jan 31
    base = previous_period_close(s, "M")
    # January's last close is then Jan 2's 44
    assert base.iloc[4] == 44.0
    assert period_to_date_return(s, "M").iloc[4] == pytest.approx(60 / 44 - 1)


def test_previous_period_null_when_the_series_has_no_close_that_month() -> None:
    s = series([None, None, 44.0, 48.0, 60.0])  # listed in January
    assert period_to_date_return(s, "M").iloc[2:4].isna().all()  # no December close
    assert period_to_date_return(s, "Y").isna().all()
    assert period_to_date_return(s, "M").iloc[4] == pytest.approx(0.25)


def test_shapes_are_kept() -> None:
    f = frame({"A": CLOSES, "B": [1.0, 2.0, 3.0, 4.0, 5.0]}, IDX)
    for out in (
        simple_return(f, 2),
        period_to_date_return(f, "M"),
        previous_period_return(f, "Y"),
        rebase(f),
    ):
        assert isinstance(out, pd.DataFrame)
        assert out.shape == f.shape and out.index.equals(f.index)
        assert list(out.columns) == ["A", "B"]
    assert isinstance(simple_return(f["A"], 1), pd.Series)
    mtd = period_to_date_return(f, "M")
    assert mtd["B"].iloc[4] == pytest.approx(5 / 4 - 1)  # column by column


def test_rebase() -> None:
    s = series([None, 40.0, 44.0, 48.0, 60.0])
    out = rebase(s)
    assert math.isnan(out.iloc[0])
    assert out.iloc[1:].tolist() == pytest.approx([100.0, 110.0, 120.0, 150.0])
    f = rebase(frame({"A": [None, 2.0, 4.0, 1.0, 1.0], "B": CLOSES}, IDX), base=1.0)
    assert f["A"].iloc[2] == pytest.approx(2.0) and f["B"].iloc[4] == pytest.approx(1.2)


def test_inputs_are_not_mutated() -> None:
    f = frame({"A": CLOSES, "B": [None, 2.0, 3.0, 4.0, 5.0]}, IDX)
    before = f.copy(deep=True)
    simple_return(f, 1)
    period_to_date_return(f, "M")
    previous_period_return(f, "M")
    rebase(f)
    pd.testing.assert_frame_equal(f, before)


@pytest.mark.parametrize("periods", [0, -1, 1.5, True, None])
def test_bad_periods_raise(periods: object) -> None:
    with pytest.raises(ValueError, match="periods"):
        simple_return(series(CLOSES), periods)  # type: ignore[arg-type]


def test_bad_frequency_and_base_raise() -> None:
    with pytest.raises(ValueError, match="freq"):
        period_to_date_return(series(CLOSES), "Q")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="base"):
        rebase(series(CLOSES), base=0)


def test_empty_input() -> None:
    empty = pd.Series([], index=pd.DatetimeIndex([], name="Date"), dtype="float64")
    assert period_to_date_return(empty, "M").empty
    assert simple_return(empty, 1).empty
    assert np.isnan(rebase(series([None] * 5))).all()
