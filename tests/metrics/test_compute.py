"""compute() end to end on hand-made panels: every figure worked out by hand below."""

from __future__ import annotations

import copy
import dataclasses
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporter.errors import DataError
from reporter.metrics import Metrics, compute
from reporter.model import Panel
from tests.support.panels import METRICS, SECTORS, UNIVERSE, business_days, days, make_panel
from tests.support.schema import validate

# Mon 2024-01-29 .. Mon 2024-02-05: 6 sessions across a month end, nothing from 2023.
IDX = business_days("2024-01-29", 6)
FLAT6 = [100.0] * 6


def sector_closes() -> dict[str, list[float | None]]:
    last = {"XLK": 102, "XLF": 101, "XLE": 99, "XLV": 100.5, "XLY": 98, "XLU": 100.2}
    out: dict[str, list[float | None]] = {s: [100.0] * 5 + [last.get(s, 100.0)] for s in SECTORS}
    out["XLC"] = [None] * 6  # a sector ETF without data
    return out


def hand_panel() -> Panel:
    close = {
        "^RUT": [100, 101, 102, 101, 103, 104],
        "^GSPC": [100, 100.5, 101, 101.5, 102, 102.5],
        "^IXIC": [200] * 6,
        "^DJI": [38000, 38100, 38500, 38900, 38950, 39020],
        "^VIX": [15, 14, 16, 17, 15, 15.5],
        "XLG": [50] * 5 + [50.5],
        "RSP": [100] * 5 + [101],
        "SPY": [400] * 6,
        "IWM": [200] * 6,
        **sector_closes(),
        "NVDA": [10, 11, 12, 13, 14, 15],
        "AAA": [10, 11, 12, 11, 12, 13],
        "BBB": [None, None, None, 20, 21, 20],  # listed on Feb 1
        "CCC": [5] * 6,  # no trade (volume 0) on the as-of day
    }
    volume = {"CCC": [100, 100, 100, 100, 100, 0]}
    sectors = {
        "NVDA": "Information Technology",
        "AAA": "Information Technology",
        "BBB": "Energy",
        "CCC": "Financials",
    }
    valuations = pd.DataFrame(
        {
            "Date": ["2024-02-01", "2024-02-01", "2024-02-02", "2024-02-06", "2024-02-06"],
            "Symbol": ["IWM", "SPY", "SPY", "IWM", "SPY"],
            "TrailingPE": [15.0, 20.0, 21.0, 14.0, 22.0],
        }
    )
    return make_panel(IDX, close, volume=volume, sectors=sectors, valuations=valuations)


@pytest.fixture(scope="module")
def metrics() -> Metrics:
    return compute(hand_panel(), UNIVERSE, METRICS)


@pytest.fixture(scope="module")
def out(metrics: Metrics) -> dict:
    return metrics.to_dict()


def test_header_and_history(out: dict) -> None:
    assert out["as_of"] == "2024-02-05"
    assert out["history"] == {
        "first_session": "2024-01-29",
        "last_session": "2024-02-05",
        "sessions": 6,
        "series_start": "2024-01-29",  # no longer history given: the window's first session
    }


def test_index_returns(out: dict) -> None:
    rut = out["indices"]["^RUT"]
    assert rut["close"] == 104
    assert rut["return_1d"] == pytest.approx(104 / 103 - 1)
    assert rut["return_5d"] == pytest.approx(104 / 100 - 1)  # against Jan 29
    assert rut["return_mtd"] == pytest.approx(104 / 102 - 1)  # against Jan 31
    # nothing from December or a year back: null, never a guess
    assert rut["return_prev_month"] is None
    assert rut["return_ytd"] is None
    assert rut["return_1y"] is None
    assert list(out["indices"]) == ["^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX"]
    assert out["indices"]["^IXIC"]["return_1d"] == 0.0
    # every configured non-member series is listed; a series without data is all null
    assert set(UNIVERSE.series) <= set(out["returns"])
    assert set(out["returns"]["XLC"].values()) == {None}
    assert "AAA" not in out["returns"]  # members are not series


def test_volatility(out: dict) -> None:
    vol = out["volatility"]
    assert vol["symbol"] == "^VIX" and vol["level"] == 15.5
    assert vol["change_1d"] == pytest.approx(0.5)
    assert vol["return_1d"] == pytest.approx(15.5 / 15 - 1)
    assert vol["high_52w"] is None and vol["low_52w"] is None  # under 252 sessions


def test_size_rotation(out: dict) -> None:
    sr = out["size_rotation"]
    # RUT 1D: +1%, +0.99%, -0.98%, +1.98%, +0.97%; GSPC: +0.5%, +0.50%, +0.50%, +0.49%, +0.49%
    assert sr["spread_1d"] == pytest.approx((104 / 103 - 1) - (102.5 / 102 - 1))
    assert sr["spread_5d"] == pytest.approx(0.04 - 0.025)
    assert sr["spread_mtd"] == pytest.approx((104 / 102 - 1) - (102.5 / 101 - 1))
    assert sr["spread_ytd"] is None and sr["spread_1y"] is None
    # RUT led Feb 2 and Feb 5; the earlier RUT run (Jan 30-31) was as long -> ended Jan 31
    assert sr["run"] == {
        "leader": "^RUT",
        "length": 2,
        "start": "2024-02-02",
        "longest_since": "2024-01-31",
        "history_start": "2024-01-30",  # the first session with both 1D returns
    }
    # longest this year: two runs of 2, the latest reported
    assert sr["longest_run_ytd"] == {
        "leader": "^RUT",
        "length": 2,
        "start": "2024-02-02",
        "end": "2024-02-05",
    }
    # XLG 50 -> 50.5 and RSP 100 -> 101: both exactly +1%, an exact tie: no run
    mve = sr["mega_vs_equal"]
    assert mve["spread_1d"] == 0.0
    assert mve["run"] == {
        "leader": None,
        "length": 0,
        "start": None,
        "longest_since": None,
        "history_start": "2024-01-30",
    }
    # latest date on or before Feb 5 with both P/Es: Feb 1 (15 vs 20) -> 15/20 - 1 = -25%
    assert sr["valuation"] == {
        "small": "IWM",
        "large": "SPY",
        "small_pe": 15.0,
        "large_pe": 20.0,
        "discount": pytest.approx(-0.25),
        "date": "2024-02-01",
    }


def test_sectors_ranked_best_first_nulls_last(out: dict) -> None:
    order = [row["symbol"] for row in out["sectors"]]
    # +2%, +1%, +0.5%, +0.2%, four flat in configuration order, -1%, -2%, then no data
    assert order == ["XLK", "XLF", "XLV", "XLU", "XLI", "XLP", "XLB", "XLRE", "XLE", "XLY", "XLC"]
    assert [row["rank_1d"] for row in out["sectors"]] == [1, 2, 3, 4, 5, 5, 5, 5, 9, 10, None]
    assert out["sectors"][0]["sector"] == "Information Technology"
    assert out["sectors"][0]["return_1d"] == pytest.approx(0.02)
    s = out["sector_summary"]
    assert (s["total"], s["advancing"], s["declining"], s["unchanged"]) == (10, 4, 2, 4)
    assert s["leaders"] == ["XLK", "XLF", "XLV", "XLU", "XLI"]
    assert s["laggards"] == ["XLRE", "XLE", "XLY"]  # worst last
    values = [0.02, 0.01, 0.005, 0.002, 0, 0, 0, 0, -0.01, -0.02]
    mean = sum(values) / 10
    std = (sum((v - mean) ** 2 for v in values) / 10) ** 0.5
    assert s["dispersion_1d"] == pytest.approx(std, rel=1e-9)
    assert s["leader_mtd"] == "XLK"  # MTD equals 1D here (Feb 1, 2 flat at 100)
    assert s["leader_prev_month"] is None and s["leadership_changed"] is None


def test_breadth(out: dict) -> None:
    b = out["breadth"]
    # Feb 5: NVDA 15>14, AAA 13>12 up; BBB 20<21 down; CCC did not trade (volume 0): missing
    assert (b["advancers"], b["decliners"], b["unchanged"], b["missing"]) == (2, 1, 0, 1)
    assert b["members_total"] == 4
    assert b["ad_ratio"] == 2.0 and b["net_advances"] == 1
    # A-D per session: 0, +2, +2, 0 (AAA down, NVDA up; BBB's first day missing), +3, +1
    assert b["ad_line"] == 8 and b["ad_line_start"] == "2024-01-29"
    assert b["ad_line_change_5d"] == 8
    assert (b["advancers_prev"], b["decliners_prev"], b["net_advances_prev"]) == (3, 0, 3)
    assert b["advancers_5d_avg"] == pytest.approx((2 + 2 + 1 + 3 + 2) / 5)
    # volume: NVDA 1000 + AAA 1000 up; BBB 1000 down -> TRIN (2/1)/(2000/1000) = 1
    assert (b["up_volume"], b["down_volume"]) == (2000.0, 1000.0)
    assert b["trin"] == pytest.approx(1.0)
    assert b["up_volume_share"] == pytest.approx(2 / 3)
    # six sessions are too few for any windowed figure
    for key in (
        "pct_above_20d",
        "pct_above_50d",
        "pct_above_200d",
        "new_highs",
        "new_lows",
        "net_new_highs",
        "high_low_index",
        "mcclellan_oscillator",
        "mcclellan_oscillator_ratio_adjusted",
        "summation_index",
        "summation_index_ratio_adjusted",
        "zweig_ema",
        "zweig_thrust_last",
        "pct_above_50d_5d_ago",
    ):
        assert b[key] is None, key


def test_breadth_by_sector_and_coverage(out: dict) -> None:
    rows = {r["etf"]: r for r in out["breadth_by_sector"]}
    assert [r["etf"] for r in out["breadth_by_sector"]] == list(SECTORS)
    assert rows["XLK"] == {
        "sector": "Information Technology",
        "etf": "XLK",
        "members": 2,
        "advancers": 2,
        "decliners": 0,
        "unchanged": 0,
        "missing": 0,
        "pct_above_50d": None,
        "pct_above_200d": None,
        "new_highs": None,
        "new_lows": None,
        "pct_above_50d_5d_ago": None,
        "pct_above_50d_change_5d": None,
        "return_1d": pytest.approx(0.02),  # XLK 100 -> 102 on Feb 5
        "return_5d": pytest.approx(0.02),  # against Jan 29's 100
        "pct_above_50d_base": 0,  # 6 sessions: no member has 50 closes
        "pct_above_200d_base": 0,
    }
    assert (rows["XLE"]["decliners"], rows["XLF"]["missing"], rows["XLU"]["members"]) == (1, 1, 0)
    assert out["coverage"] == {
        "members_total": 4,
        "members_used": 3,
        "members_missing": ["CCC"],
        "sessions": 6,
        "first_session": "2024-01-29",
    }


def test_watchlist(out: dict) -> None:
    nvda = out["watchlist"]["NVDA"]
    assert nvda["close"] == 15 and nvda["n"] == 3
    assert nvda["return_n"] == pytest.approx(15 / 12 - 1)  # against Jan 31
    assert nvda["sma_20"] is None and nvda["sma_200"] is None
    assert nvda["last_cross"] is None and nvda["high_52w"] is None


def test_milestones(out: dict) -> None:
    # ^DJI 39,020 is above 39,000, which the earlier high 38,950 never reached, and a record.
    # ^GSPC 102.5 and ^RUT 104 are records, but 100 was reached before.
    assert out["milestones"] == [
        {"symbol": "^DJI", "level": 39000.0, "kind": "round_level", "date": "2024-02-05"},
        {"symbol": "^DJI", "level": 39020.0, "kind": "all_time_high", "date": "2024-02-05"},
        {"symbol": "^GSPC", "level": 102.5, "kind": "all_time_high", "date": "2024-02-05"},
        {"symbol": "^RUT", "level": 104.0, "kind": "all_time_high", "date": "2024-02-05"},
    ]


def test_chart_series(metrics: Metrics) -> None:
    s = metrics.series
    assert list(s.index_rebased.columns) == ["^GSPC", "^RUT", "^IXIC", "^DJI"]
    assert s.index_rebased.iloc[0].tolist() == [100.0] * 4
    assert s.index_rebased["^RUT"].iloc[-1] == pytest.approx(104.0)
    assert s.relative_strength.iloc[-1] == pytest.approx(104 / 102.5 * 100)
    assert s.ad_line.tolist() == [0, 2, 4, 4, 7, 8]
    assert list(s.sector_pct_above_50d.columns) == list(SECTORS)
    assert list(s.mcclellan.columns) == ["oscillator", "summation"]
    assert list(s.watchlist["NVDA"].columns) == ["close", "sma_20", "sma_50", "sma_200"]
    for obj in (s.ad_line, s.pct_above, s.net_new_highs, s.mcclellan, s.breadth_counts):
        assert obj.index.equals(IDX)


def test_json_ready_and_valid(out: dict) -> None:
    json.dumps(out, allow_nan=False)
    validate(out)


def test_leadership_change_across_months() -> None:
    idx = days("2023-12-29", "2024-01-31", "2024-02-01", "2024-02-02")
    closes: dict[str, list[float | None]] = {s: [100, 101, 101, 101] for s in SECTORS}
    closes["XLK"] = [100, 110, 111, 112]  # January +10%: last month's leader
    closes["XLE"] = [100, 105, 120, 121]  # February so far +15.2%: this month's leader
    closes.update({"^GSPC": FLAT6[:4], "^RUT": FLAT6[:4], "AAA": [1, 2, 3, 4]})
    panel = make_panel(idx, closes, sectors={"AAA": "Energy"})
    s = compute(panel, UNIVERSE, METRICS).to_dict()["sector_summary"]
    assert (s["leader_mtd"], s["leader_prev_month"], s["leadership_changed"]) == (
        "XLE",
        "XLK",
        True,
    )
    rows = {r["symbol"]: r for r in compute(panel, UNIVERSE, METRICS).to_dict()["sectors"]}
    assert rows["XLK"]["return_prev_month"] == pytest.approx(0.10)
    assert rows["XLE"]["return_mtd"] == pytest.approx(121 / 105 - 1)
    assert rows["XLK"]["return_ytd"] == pytest.approx(0.12)
    closes["XLE"] = [100, 105, 105, 106]  # now XLK leads both months
    s = compute(make_panel(idx, closes, sectors={"AAA": "Energy"}), UNIVERSE, METRICS).to_dict()
    assert s["sector_summary"]["leadership_changed"] is False


def test_panel_is_not_mutated() -> None:
    panel = hand_panel()
    before = copy.deepcopy(panel)
    compute(panel, UNIVERSE, METRICS)
    for f in ("close", "volume", "members", "valuations"):
        pd.testing.assert_frame_equal(getattr(panel, f), getattr(before, f))


def test_metrics_are_frozen(metrics: Metrics) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        metrics.as_of = None  # type: ignore[misc]


def test_empty_panel_is_a_data_error() -> None:
    panel = hand_panel()
    empty = dataclasses.replace(panel, close=panel.close.iloc[:0], volume=panel.volume.iloc[:0])
    with pytest.raises(DataError, match="no sessions"):
        compute(empty, UNIVERSE, METRICS)


def test_unordered_sessions_are_a_data_error() -> None:
    panel = hand_panel()
    swapped = panel.close.iloc[[0, 2, 1, 3, 4, 5]]
    with pytest.raises(DataError, match="2024-01-30"):
        compute(dataclasses.replace(panel, close=swapped), UNIVERSE, METRICS)


def test_single_session_panel() -> None:
    panel = hand_panel()
    one = dataclasses.replace(panel, close=panel.close.iloc[:1], volume=panel.volume.iloc[:1])
    out = compute(one, UNIVERSE, METRICS).to_dict()
    assert out["breadth"]["missing"] == 4 and out["breadth"]["ad_line"] == 0
    assert out["indices"]["^GSPC"]["return_1d"] is None
    validate(out)


# --- property: any panel gives schema-valid, JSON-ready output --------------------------------

price = st.one_of(st.none(), st.floats(0.5, 500, allow_nan=False))


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 30),
    data=st.data(),
)
def test_any_panel_gives_valid_output(n: int, data: st.DataObject) -> None:
    idx = business_days("2024-12-20", n)
    symbols = ["^GSPC", "^RUT", "^VIX", "XLG", "RSP", "XLK", "XLE", "NVDA", "M1", "M2", "M3"]
    closes = {s: data.draw(st.lists(price, min_size=n, max_size=n)) for s in symbols}
    volume = {
        s: data.draw(st.lists(st.sampled_from([0.0, 5.0, None]), min_size=n, max_size=n))
        for s in ("M1", "M2")
    }
    sectors = {"M1": "Energy", "M2": "Information Technology", "M3": "Utilities", "GONE": "Energy"}
    out = compute(make_panel(idx, closes, volume=volume, sectors=sectors), UNIVERSE, METRICS)
    d = out.to_dict()
    json.dumps(d, allow_nan=False)
    validate(d)
    b = d["breadth"]
    assert b["advancers"] + b["decliners"] + b["unchanged"] + b["missing"] == 4
    assert "GONE" in d["coverage"]["members_missing"]  # a member without any column
