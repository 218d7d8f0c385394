"""The week functions on hand-made series over real NYSE weeks, holiday weeks included.

2025 calendar used below: Good Friday 18 April (the week ends Thursday 17 April), Martin Luther
King Day Monday 20 January (the week starts Tuesday 21 January), Independence Day Friday
4 July (the week ends Thursday 3 July), and 1 January 2026, a Thursday (the week of 29 December
2025 runs Monday to Wednesday, then Friday 2 January).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from reporter import calendar
from reporter.metrics import compute
from reporter.metrics import week as wk
from reporter.metrics.result import Streak
from tests.support.panels import METRICS, SECTORS, UNIVERSE, make_panel


def closes(start: str, end: str, values: list[float | None]) -> pd.Series:
    idx = calendar.sessions(start, end)
    assert len(idx) == len(values), list(idx.date)
    return pd.Series([np.nan if v is None else v for v in values], index=idx, dtype="float64")


def ts(day: str) -> pd.Timestamp:
    return pd.Timestamp(day)


# --- the calendar week ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "first"),
    [
        ("2025-04-07", "2025-04-17", "2025-04-14"),  # Good Friday week, as of the Thursday
        ("2025-04-07", "2025-04-21", "2025-04-21"),  # a Monday starts its own week
        ("2025-01-13", "2025-01-22", "2025-01-21"),  # MLK Day: the week starts on Tuesday
        ("2025-06-23", "2025-07-03", "2025-06-30"),  # Independence Day week
        ("2025-12-22", "2026-01-02", "2025-12-29"),  # across the year end and New Year's Day
        ("2025-12-29", "2025-12-29", "2025-12-29"),  # a single session
    ],
)
def test_week_start(start: str, end: str, first: str) -> None:
    assert wk.week_start(calendar.sessions(start, end)) == ts(first)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-04-17", True),  # Thursday before Good Friday: the week's last session
        ("2025-04-16", False),
        ("2025-07-03", True),  # Thursday before Independence Day
        ("2025-07-02", False),
        ("2025-04-25", True),  # an ordinary Friday
        ("2025-04-24", False),  # an ordinary Thursday
        ("2025-12-31", False),  # Wednesday; Friday 2 January 2026 trades in the same week
        ("2026-01-02", True),
        ("2025-11-28", True),  # the half day after Thanksgiving, a Friday
    ],
)
def test_is_week_end_with_the_nyse_calendar(as_of: str, expected: bool) -> None:
    after = calendar.sessions(ts(as_of) + pd.Timedelta(days=1), ts(as_of) + pd.Timedelta(days=10))
    assert wk.is_week_end(ts(as_of), after[0]) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-12-31", True),  # a Wednesday; the next session is Friday 2 January 2026
        ("2025-12-30", False),
        ("2021-12-31", True),  # New Year's Day on a Saturday: NYSE trades on the Friday before
        ("2022-12-30", True),  # 31 December a Saturday: the Friday is the year's last session
        ("2023-01-03", False),  # ... and 2 January 2023 was a holiday
        ("2026-01-02", False),
    ],
)
def test_is_year_end_with_the_nyse_calendar(as_of: str, expected: bool) -> None:
    after = calendar.sessions(ts(as_of) + pd.Timedelta(days=1), ts(as_of) + pd.Timedelta(days=10))
    assert wk.is_year_end(ts(as_of), after[0]) is expected
    with pytest.raises(ValueError, match="not after"):
        wk.is_year_end(ts(as_of), ts(as_of))


def test_is_week_end_needs_a_later_session() -> None:
    with pytest.raises(ValueError, match="not after"):
        wk.is_week_end(ts("2025-04-17"), ts("2025-04-17"))


def test_week_return_against_the_previous_weeks_last_close() -> None:
    # Independence Day week: as of Monday 7 July, the previous week ended Thursday 3 July
    s = closes("2025-06-30", "2025-07-07", [100, 101, 102, 104, 110])
    assert wk.week_return(s) == pytest.approx(110 / 104 - 1)
    # Good Friday: the week after Easter measures from Thursday 17 April
    s = closes("2025-04-16", "2025-04-22", [50, 40, 44, 45])
    assert wk.week_return(s) == pytest.approx(45 / 40 - 1)
    # the previous week's last session has no close: its last known close counts
    s = closes("2025-06-30", "2025-07-08", [100, 101, 102, None, 110, 121])
    assert wk.week_return(s) == pytest.approx(121 / 102 - 1)
    # no close at all in the previous week, or none today: NaN
    s = closes("2025-06-30", "2025-07-08", [None, None, None, None, 110, 121])
    assert np.isnan(wk.week_return(s))
    s = closes("2025-06-30", "2025-07-08", [100, 101, 102, 104, 110, None])
    assert np.isnan(wk.week_return(s))
    # the previous week is the calendar week before, not any earlier one
    s = closes("2025-06-23", "2025-07-08", [1.0] * 5 + [None] * 4 + [2.0, 3.0])
    assert np.isnan(wk.week_return(s))


# --- the streak before the as-of session ---------------------------------------------------


def test_streak_before_the_last_session() -> None:
    # moves: +, -, -, - (across Good Friday), then today + (not part of the streak)
    s = closes("2025-04-14", "2025-04-22", [100, 101, 99, 98, 97, 105])
    assert list(s.index[3:5]) == [ts("2025-04-17"), ts("2025-04-21")]
    streak = wk.streak_before(s)
    assert streak == Streak("down", 3, pytest.approx(97 / 101 - 1))
    # up into the as-of session; today's own move does not matter
    s = closes("2025-04-14", "2025-04-22", [100, 99, 100, 101, 102, 90])
    assert wk.streak_before(s) == Streak("up", 3, pytest.approx(102 / 99 - 1))


def test_streak_stops_at_an_unchanged_close_or_a_gap() -> None:
    s = closes("2025-04-14", "2025-04-22", [100, 101, 101, 102, 103, 103])
    assert wk.streak_before(s) == Streak("up", 2, pytest.approx(103 / 101 - 1))
    s = closes("2025-04-14", "2025-04-22", [100, None, 101, 102, 103, 103])
    assert wk.streak_before(s) == Streak("up", 2, pytest.approx(103 / 101 - 1))
    # the session before today unchanged or missing: no streak
    s = closes("2025-04-14", "2025-04-22", [100, 101, 102, 103, 103, 104])
    assert wk.streak_before(s) == Streak(None, 0, None)
    s = closes("2025-04-14", "2025-04-22", [100, 101, 102, 103, None, 104])
    assert wk.streak_before(s) == Streak(None, 0, None)


def test_streak_over_the_whole_series_and_short_series() -> None:
    s = closes("2025-04-14", "2025-04-22", [100, 99, 98, 97, 96, 97])
    assert wk.streak_before(s) == Streak("down", 4, pytest.approx(96 / 100 - 1))
    assert wk.streak_before(s.iloc[:2]) == Streak(None, 0, None)  # no session before today moved
    assert wk.streak_before(s.iloc[:3]) == Streak("down", 1, pytest.approx(99 / 100 - 1))


def test_bad_index_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="DatetimeIndex"):
        wk.streak_before(pd.Series([1.0, 2.0, 3.0]))
    s = closes("2025-04-14", "2025-04-16", [1.0, 2.0, 3.0]).iloc[[1, 0, 2]]
    with pytest.raises(ValueError, match="ascending"):
        wk.week_return(s)
    with pytest.raises(ValueError, match="no sessions"):
        wk.week_start(pd.DatetimeIndex([]))


# --- the week in compute() -------------------------------------------------------------------


def week_panel(start: str, end: str, gspc: list[float], members: dict[str, list[float | None]]):
    idx = calendar.sessions(start, end)
    n = len(idx)
    close: dict[str, list[float | None]] = {
        "^GSPC": gspc,
        "^RUT": [100.0 + i for i in range(n)],
        **{s: [100.0] * n for s in SECTORS},
        **members,
    }
    sectors = {m: "Energy" for m in members}
    return make_panel(idx, close, sectors=sectors)


def test_week_in_compute_on_the_independence_day_week() -> None:
    # Thu 26 June .. Thu 3 July 2025: 6 sessions, the as-of date ends its week
    gspc = [100.0, 101.0, 100.0, 99.0, 98.0, 99.5]
    members = {
        "M1": [10.0, 11.0, 12.0, 11.0, 12.0, 13.0],  # up Mon, down Tue, up Wed, up Thu
        "M2": [10.0, 9.0, 9.0, 10.0, 11.0, 10.0],  # up Mon, up Tue, up Wed, down Thu
        "M3": [5.0, 5.0, None, 5.0, 5.0, 4.0],  # missing Mon and Tue, flat Wed, down Thu
    }
    out = compute(week_panel("2025-06-26", "2025-07-03", gspc, members), UNIVERSE, METRICS)
    w = out.to_dict()["week"]
    assert w["sessions"] == [
        "2025-06-26",
        "2025-06-27",
        "2025-06-30",
        "2025-07-01",
        "2025-07-02",
        "2025-07-03",
    ]
    assert w["returns"]["^GSPC"] == pytest.approx(
        [101 / 100 - 1, 100 / 101 - 1, 99 / 100 - 1, 98 / 99 - 1, 99.5 / 98 - 1]
    )
    assert w["returns"]["^IXIC"] == [None] * 5  # configured, no data
    assert w["is_week_end"] is True
    assert w["week_start"] == "2025-06-30"
    assert w["week_return"]["^GSPC"] == pytest.approx(99.5 / 101 - 1)  # against Fri 27 June
    assert w["streak_before"]["^GSPC"] == {
        "direction": "down",
        "length": 3,
        "return": pytest.approx(98 / 101 - 1),
    }
    # Mon: M1 up, M2 flat, M3 missing; Tue: M1 down, M2 up, M3 missing (no close Monday);
    # Wed: M1 up, M2 up, M3 flat; Thu: M1 up, M2 down, M3 down -> 5 up, 3 down
    assert w["week_breadth"] == {
        "advancers_sum": 5,
        "decliners_sum": 3,
        "new_highs_sum": None,  # under 253 sessions: no new-high counts
        "new_lows_sum": None,
        "net_advances_sum": 2,
    }


def test_week_end_on_an_ordinary_wednesday_and_a_friday() -> None:
    members = {"M1": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}
    flat = [100.0] * 6
    wed = compute(week_panel("2025-04-24", "2025-05-01", flat, members), UNIVERSE, METRICS)
    assert wed.week.is_week_end is False  # Thursday 1 May follows in the same week
    assert wed.week.week_start == pd.Timestamp("2025-04-28").date()
    assert wed.week.streak_before["^GSPC"] == Streak(None, 0, None)
    fri = compute(week_panel("2025-04-28", "2025-05-05", flat, members), UNIVERSE, METRICS)
    assert fri.week.week_start == pd.Timestamp("2025-05-05").date()  # a Monday: week of one
    assert fri.week.week_return["^GSPC"] == 0.0


def test_a_short_panel_has_a_short_week() -> None:
    panel = week_panel("2025-07-02", "2025-07-03", [100.0, 101.0], {"M1": [1.0, 2.0]})
    w = compute(panel, UNIVERSE, METRICS).to_dict()["week"]
    assert w["sessions"] == ["2025-07-02", "2025-07-03"]
    assert w["returns"]["^GSPC"] == [pytest.approx(0.01)]
    assert w["week_return"]["^GSPC"] is None  # nothing from the week before
    one = dataclasses.replace(panel, close=panel.close.iloc[:1], volume=panel.volume.iloc[:1])
    w = compute(one, UNIVERSE, METRICS).to_dict()["week"]
    assert w["sessions"] == ["2025-07-02"] and w["returns"]["^GSPC"] == []
