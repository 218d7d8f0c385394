"""The A/D line and the summation index start on the first session of the stored member history,
whatever the as-of date: read through the price store as a run reads it (window start, wide
read, the as-of session's High and Low, build_panel, compute)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reporter import calendar
from reporter.metrics import Metrics, compute
from reporter.model import SourceInfo
from reporter.panel import build_panel
from reporter.pipeline import _window_start
from reporter.store import Store
from tests.support.panels import METRICS, UNIVERSE

HISTORY = 260  # the configuration's smallest window, so that it moves within the data
MEMBERS = pd.DataFrame(
    {"name": ["M1", "M2", "M3", "M4"],
     "sector": ["Energy", "Energy", "Financials", "Utilities"]},
    index=pd.Index(["M1", "M2", "M3", "M4"], name="symbol"),
)
FIRST_MEMBER_DAY = dt.date(2023, 6, 1)


def bars(days: pd.DatetimeIndex, closes: np.ndarray, *, ranges: bool = True) -> pd.DataFrame:
    high = closes * 1.01 if ranges else np.full(len(closes), np.nan)
    low = closes * 0.98 if ranges else np.full(len(closes), np.nan)
    return pd.DataFrame(
        {"Open": closes, "High": high, "Low": low, "Close": closes,
         "Volume": np.full(len(closes), 1000.0)},
        index=days,
    )


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "s.duckdb"
    days = calendar.sessions(pd.Timestamp("2023-01-03"), pd.Timestamp("2024-06-28"))
    rng = np.random.default_rng(11)
    data = {"^GSPC": bars(days, 4000 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days)))))}
    member_days = days[days >= pd.Timestamp(FIRST_MEMBER_DAY)]
    for sym in MEMBERS.index:
        walk = 50 * np.exp(np.cumsum(rng.normal(0, 0.02, len(member_days))))
        data[sym] = bars(member_days, walk, ranges=sym != "M4")  # M4: close only
    # M3 has no row on the last session
    data["M3"] = data["M3"].iloc[:-1]
    with Store(path) as store:
        store.write(data, dict.fromkeys(data), replace_from=dict.fromkeys(data))
    return path


def report(path: Path, day: str) -> Metrics:
    as_of = pd.Timestamp(day)
    symbols = [*UNIVERSE.series, *MEMBERS.index]
    with Store(path, read_only=True) as store:
        start = _window_start(store, MEMBERS.index, as_of, HISTORY)
        close, volume = store.read_wide(symbols, start, as_of.date())
        history, _ = store.read_wide(UNIVERSE.series, None, as_of.date())
        day_range = store.read_range(MEMBERS.index, as_of.date())
    source = SourceInfo(name="csv", description="hand-made store")
    panel = build_panel(close, volume, MEMBERS, source, as_of, HISTORY,
                        history_close=history, day_range=day_range)
    return compute(panel, UNIVERSE, METRICS)


DAYS = ["2024-01-31", "2024-03-28", "2024-06-28"]


def test_ad_line_start_is_the_same_for_every_as_of_date(store_path: Path) -> None:
    reports = {day: report(store_path, day) for day in DAYS}
    # the first report's window reaches back before the members (to January 2023): its A/D
    # line still starts on the first member session
    assert reports[DAYS[0]].history.first_session < FIRST_MEMBER_DAY
    assert {r.breadth.ad_line_start for r in reports.values()} == {FIRST_MEMBER_DAY}
    later = reports[DAYS[-1]]
    for day in DAYS[:-1]:
        stamp = pd.Timestamp(day)
        assert int(later.series.ad_line[stamp]) == reports[day].breadth.ad_line, day
        assert later.series.mcclellan["summation"][stamp] == pytest.approx(
            reports[day].breadth.summation_index, rel=1e-12
        ), day


def test_the_as_of_session_range_comes_from_the_store(store_path: Path) -> None:
    with Store(store_path, read_only=True) as store:
        got = store.read_range([*MEMBERS.index, "NOPE"], dt.date(2024, 6, 28))
        closes, _ = store.read_wide(MEMBERS.index, dt.date(2024, 6, 28), dt.date(2024, 6, 28))
    assert list(got.index) == ["M1", "M2", "M3", "M4", "NOPE"]
    assert list(got.columns) == ["High", "Low"]
    m1 = closes.loc["2024-06-28", "M1"]
    assert (got.loc["M1", "High"], got.loc["M1", "Low"]) == (m1 * 1.01, m1 * 0.98)
    assert got.loc[["M3", "M4", "NOPE"]].isna().all().all()  # no row; close only; unknown
    quality = report(store_path, "2024-06-28").quality
    # M1 and M2 close at (1 - 0.98) / (1.01 - 0.98) = 2/3 of their range: in neither quarter
    assert (quality.close_top_quarter, quality.close_bottom_quarter) == (0.0, 0.0)
    assert quality.close_range_base == 2


def test_an_unknown_volume_reads_back_unknown_not_zero(tmp_path: Path) -> None:
    """A close-only series stores NULL volume: it must read back as NaN (unknown, the close is
    used), not 0 (did not trade, the close is dropped from breadth)."""
    days = calendar.sessions(pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-05"))
    closes = np.array([10.0, 11.0, 12.0, 13.0])
    only = bars(days, closes, ranges=False).assign(Volume=np.nan)
    with Store(tmp_path / "s.duckdb") as store:
        store.write({"M1": only}, {"M1": None}, replace_from={"M1": None})
        close, volume = store.read_wide(["M1"], None, None)
        got = store.read_range(["M1"], days[-1].date())
    assert close["M1"].tolist() == closes.tolist()
    assert volume["M1"].isna().all()
    assert got.isna().all().all()
