import numpy as np
import pandas as pd
import pytest

from reporter import calendar
from reporter.errors import ConfigError, DataError

AVAILABLE = pd.DatetimeIndex(["2025-12-29", "2025-12-30", "2025-12-31", "2026-01-02"])


def test_sessions_skip_weekends_and_holidays():
    days = calendar.sessions("2025-12-24", "2026-01-02")
    # Christmas (Thu 25th) and New Year's Day (Thu 1st) are NYSE holidays; 27/28 a weekend.
    assert [d.strftime("%m-%d") for d in days] == ["12-24", "12-26", "12-29", "12-30", "12-31",
                                                   "01-02"]


def test_weekend_and_holiday_resolve_to_the_session_before():
    r = calendar.resolve("2026-01-01", AVAILABLE)  # holiday
    assert r.session == pd.Timestamp("2025-12-31") and r.was_moved
    r = calendar.resolve("2025-12-30", AVAILABLE)
    assert r.session == pd.Timestamp("2025-12-30") and not r.was_moved
    r = calendar.resolve("latest", AVAILABLE)
    assert r.session == pd.Timestamp("2026-01-02") and not r.was_moved


def test_a_date_without_data_is_an_error_naming_it():
    with pytest.raises(DataError, match="2026-01-05"):
        calendar.resolve("2026-01-05", AVAILABLE)
    with pytest.raises(DataError, match="2025-12-26"):
        calendar.resolve("2025-12-26", AVAILABLE)


def test_a_date_far_outside_the_data_and_the_calendar_is_a_clear_error():
    with pytest.raises(DataError, match="2030-01-02"):
        calendar.resolve("2030-01-02", AVAILABLE)
    with pytest.raises(DataError, match="1990-01-02"):
        calendar.resolve("1990-01-02", AVAILABLE)


def test_sessions_carry_no_calendar_frequency():
    # A custom business-day frequency on the index would travel with every chart series.
    assert calendar.sessions("2025-12-01", "2025-12-31").freq is None


def test_bad_date_text():
    with pytest.raises(ConfigError, match="2025-13-01"):
        calendar.parse_date("2025-13-01")
    assert calendar.parse_date("latest") == "latest"


def test_last_closed_session_respects_the_close():
    import datetime as dt

    # Friday 2026-02-06 at 15:00 New York (20:00 UTC): the market is still open.
    before = dt.datetime(2026, 2, 6, 20, 0, tzinfo=dt.UTC)
    after = dt.datetime(2026, 2, 6, 22, 0, tzinfo=dt.UTC)  # 17:00 New York
    assert calendar.last_closed_session(before) == pd.Timestamp("2026-02-05")
    assert calendar.last_closed_session(after) == pd.Timestamp("2026-02-06")
    sunday = dt.datetime(2026, 2, 8, 12, 0, tzinfo=dt.UTC)
    assert calendar.last_closed_session(sunday) == pd.Timestamp("2026-02-06")


@pytest.fixture
def table(monkeypatch):
    """The calendar's own sessions, installed as a run installs its cached table."""
    monkeypatch.setattr(calendar, "_installed", None)
    days = calendar.session_days().copy()
    assert calendar.use_sessions(days, until=pd.Timestamp(days[-1]).date())
    return days


def test_the_table_answers_as_the_exchange_calendar_on_every_day(table):
    cal = calendar._xnys()
    every_day = pd.date_range(calendar.FIRST, pd.Timestamp(table[-1]), freq="D")
    sessions = set(cal.sessions.tz_localize(None))
    for day in every_day:
        assert calendar.is_session(day) == (day in sessions), day
        expected = pd.Timestamp(cal.date_to_session(day, direction="previous")).tz_localize(None)
        assert calendar.previous_session_on_or_before(day) == expected, day


@pytest.mark.parametrize(("start", "end"), [
    ("2025-12-24", "2026-01-02"), ("1990-01-01", "1998-01-10"), ("2025-07-05", "2025-07-06"),
    ("2030-01-01", "2031-01-01"), ("2010-01-01", "2025-12-31"),
])
def test_the_table_gives_the_calendars_sessions_in_a_range(table, start, end):
    cal = calendar._xnys()
    lo, hi = max(pd.Timestamp(start), cal.first_session), min(pd.Timestamp(end), cal.last_session)
    expected = ([] if lo > hi else
                list(cal.sessions_in_range(lo, hi).tz_localize(None)))
    got = calendar.sessions(start, end)
    assert list(got) == expected and got.name == "Date" and got.freq is None


@pytest.mark.parametrize("bad", [
    "not a table",
    pd.DatetimeIndex(["1998-01-02", "1998-01-05"]).to_numpy(),  # ns, not days
    np.array(["1998-01-05", "2030-01-02"], dtype="datetime64[D]"),  # late start
    np.array(["1998-01-02", "2030-01-02", "2029-01-02"], dtype="datetime64[D]"),
    np.array(["1998-01-02", "2020-01-02"], dtype="datetime64[D]"),  # too short
])
def test_a_table_that_is_not_the_calendars_is_refused(monkeypatch, bad):
    monkeypatch.setattr(calendar, "_installed", None)
    assert not calendar.use_sessions(bad, until=pd.Timestamp("2026-01-02").date())
    assert calendar._installed is None
