"""NYSE sessions (exchange_calendars' XNYS) and the resolution of a requested report date.

Building the exchange calendar takes about a fifth of a second; a run therefore looks days up
in a table of its sessions that the orchestrator keeps in its cache (``use_sessions``), and
builds the calendar only without one, for a day the table does not reach, or for the time of
day (``last_closed_session``: the live sources).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reporter.errors import ConfigError, DataError

if TYPE_CHECKING:
    from exchange_calendars import ExchangeCalendar


#: The first session the calendar is built from.
FIRST = "1998-01-02"
#: The sessions a caller read from its cache (``use_sessions``); None: ask the calendar.
_installed: np.ndarray | None = None


@lru_cache(maxsize=1)
def _xnys() -> ExchangeCalendar:
    import exchange_calendars as xcals

    return xcals.get_calendar("XNYS", start=FIRST)


@lru_cache(maxsize=1)
def _calendar_days() -> np.ndarray:
    return np.asarray(_xnys().sessions.tz_localize(None).to_numpy(), dtype="datetime64[D]")


def calendar_version() -> str:
    """The version of the exchange calendar package: a table of its sessions is kept per
    version, since a new version may add a closure."""
    from importlib.metadata import version

    return version("exchange_calendars")


def session_days() -> np.ndarray:
    """Every session of the calendar as sorted ``datetime64[D]`` days (installed or built)."""
    return _installed if _installed is not None else _calendar_days()


def use_sessions(days: object, *, until: dt.date) -> bool:
    """Look days up in ``days`` (a table of ``session_days`` kept by the caller) instead of
    building the exchange calendar, about a fifth of a second a run. Refused (False, nothing
    changes) unless it is a plain sorted table from ``FIRST`` reaching ``until``."""
    global _installed
    if not isinstance(days, np.ndarray) or days.dtype != np.dtype("datetime64[D]"):
        return False
    if days.ndim != 1 or len(days) < 2 or days[0] != np.datetime64(FIRST, "D"):
        return False
    if days[-1] < np.datetime64(until, "D") or not bool((np.diff(days).astype(int) > 0).all()):
        return False
    _installed = days
    return True


def _inside(day: pd.Timestamp) -> np.datetime64 | None:
    """``day`` as a day of the installed table, when the table covers it."""
    if _installed is None or day != day.normalize():
        return None
    d = np.datetime64(day.date(), "D")
    return d if _installed[0] <= d <= _installed[-1] else None


def sessions(start: dt.date | str, end: dt.date | str) -> pd.DatetimeIndex:
    """NYSE sessions from ``start`` to ``end`` inclusive, as tz-naive midnight timestamps.

    Plain dates, without the calendar's custom business-day frequency: that frequency carries
    the whole holiday calendar into every series indexed by sessions, and into every copy of
    one sent to another process (a chart's series pickled to 160 kB instead of 5 kB).
    """
    days = session_days()
    lo = max(pd.Timestamp(start), pd.Timestamp(days[0]))
    hi = min(pd.Timestamp(end), pd.Timestamp(days[-1]))
    if lo > hi:
        return pd.DatetimeIndex([], name="Date")
    first = int(np.searchsorted(days, np.datetime64(lo.ceil("D").date(), "D"), side="left"))
    last = int(np.searchsorted(days, np.datetime64(hi.date(), "D"), side="right"))
    return pd.DatetimeIndex(days[first:last].astype("datetime64[ns]"), name="Date")


def session_label(label: object) -> pd.Timestamp:
    """A row label of a frame indexed by sessions, as the Timestamp it is: pandas types such
    labels (``first_valid_index()``, ``idxmax()``) as any scalar at all."""
    if not isinstance(label, pd.Timestamp):
        raise TypeError(f"expected a session, got {label!r}")
    return label


def is_session(day: dt.date | str) -> bool:
    ts = pd.Timestamp(day)
    d = _inside(ts)
    if d is None:
        return bool(_xnys().is_session(ts))
    assert _installed is not None
    return bool(_installed[np.searchsorted(_installed, d)] == d)


def previous_session_on_or_before(day: dt.date | str) -> pd.Timestamp:
    ts = pd.Timestamp(day)
    d = _inside(ts)
    if d is None:
        cal = _xnys()
        return pd.Timestamp(cal.date_to_session(ts, direction="previous")).tz_localize(None)
    assert _installed is not None
    return pd.Timestamp(_installed[np.searchsorted(_installed, d, side="right") - 1])


def last_closed_session(now: dt.datetime | None = None) -> pd.Timestamp:
    """The latest session whose close (plus a 30-minute settling margin) has passed in New York."""
    cal = _xnys()
    now_ts = pd.Timestamp(now or dt.datetime.now(dt.UTC))
    if now_ts.tzinfo is None:
        now_ts = now_ts.tz_localize("UTC")
    minute = now_ts.floor("min") - pd.Timedelta(minutes=30)
    last = cal.minute_to_past_session(minute) if not cal.is_open_on_minute(minute) else None
    if last is None:
        last = cal.previous_session(cal.minute_to_session(minute, direction="previous"))
    session = pd.Timestamp(last)
    if cal.session_close(session) > minute:
        session = pd.Timestamp(cal.previous_session(session))
    return session.tz_localize(None) if session.tzinfo else session


@dataclass(frozen=True)
class ResolvedDate:
    session: pd.Timestamp  # the session the report is for
    requested: str  # what the user asked for ("latest" or YYYY-MM-DD)

    @property
    def was_moved(self) -> bool:
        return self.requested != "latest" and pd.Timestamp(self.requested) != self.session


def parse_date(text: str, option: str = "--date") -> str:
    """Validate a date option: ``latest`` or ``YYYY-MM-DD``. A well-written date that does not
    exist (``2025-13-01``, ``2025-02-30``) is named as such, not as a format error."""
    if text == "latest":
        return text
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ConfigError(f"{option}: expected YYYY-MM-DD or latest, got {text!r}")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise ConfigError(f"{option}: {text} is not a date ({exc})") from None


def resolve(requested: str, available: pd.DatetimeIndex) -> ResolvedDate:
    """Map ``latest`` or a calendar date onto a session present in the data.

    A weekend or holiday moves to the session before it; a session the data does not reach, or
    one before the data starts, is an error naming the date.
    """
    if len(available) == 0:
        raise DataError("no market data available")
    if requested == "latest":
        return ResolvedDate(available[-1], requested)
    day = pd.Timestamp(requested)
    if day > available[-1] + pd.Timedelta(days=7) or day < available[0]:
        # Far outside the data (and possibly outside the calendar's range): no lookup needed.
        raise DataError(f"no data for {day.date()} (data covers {available[0].date()} "
                        f"to {available[-1].date()})")
    session = previous_session_on_or_before(day)
    if session > available[-1]:
        raise DataError(
            f"no data for {session.date()}: the data ends on {available[-1].date()}"
        )
    if session < available[0] or session not in available:
        raise DataError(f"no data for {session.date()} (data covers {available[0].date()} "
                        f"to {available[-1].date()})")
    return ResolvedDate(session, requested)
