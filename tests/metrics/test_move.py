"""The quality of the move, who carried it, member baskets and the trend map, on hand-made data.

Every expected figure below is worked out by hand (or by a plain loop written out here).
"""

from __future__ import annotations

import dataclasses
import math
import statistics

import numpy as np
import pandas as pd
import pytest

from reporter.metrics import baskets as bk
from reporter.metrics import carry as ca
from reporter.metrics import compute
from reporter.metrics import quality as qu
from reporter.metrics import trend as tr
from tests.metrics.test_compute import hand_panel
from tests.support.panels import METRICS, UNIVERSE, business_days

# --- the quality of the move -------------------------------------------------------------------


def test_volume_ratio() -> None:
    idx = business_days("2024-01-01", 4)
    v = pd.DataFrame(
        {
            "A": [100.0, 200, 300, 400],  # average of the 3 before: 200 -> 2.0
            "B": [10.0, 10, 10, 5],  # 0.5
            "C": [np.nan, 10, 10, 10],  # not on each session: left out
            "D": [0.0, 10, 10, 10],  # no trade on one: left out
        },
        index=idx,
    )
    got = qu.volume_ratio(v, 3)
    assert got.base == 2
    assert got.aggregate == pytest.approx(405 / (630 / 3))
    assert got.median == pytest.approx((2.0 + 0.5) / 2)
    short = qu.volume_ratio(v, 4)  # 5 rows needed
    assert (math.isnan(short.aggregate), math.isnan(short.median), short.base) == (True, True, 0)
    with pytest.raises(ValueError, match="sessions"):
        qu.volume_ratio(v, 0)


def test_range_shares() -> None:
    members = pd.Index(["A", "B", "C", "D", "E", "F", "G"])
    close = pd.Series([10.0, 10.0, 9.5, 10.0, 10.0, 12.0, np.nan], index=members)
    high = pd.Series([10.0, 12.0, 10.0, np.nan, 10.0, 11.0, 10.0], index=members)
    low = pd.Series([8.0, 8.0, 9.0, 8.0, 10.0, 9.0, 9.0], index=members)
    # A: (10-8)/2 = 1 (top); B: 2/4 = 0.5; C: 0.5/1 = 0.5; D: no High; E: no range;
    # F: close above its High (inconsistent); G: no close
    got = qu.range_shares(close, high, low)
    assert (got.top, got.bottom, got.base) == (pytest.approx(1 / 3), 0.0, 3)
    pair = ["A", "B", "C", "D"]
    edge = qu.range_shares(pd.Series([8.0, 8.5, 9.5, 9.49], index=pair),
                           pd.Series([10.0] * 4, index=pair), pd.Series([8.0] * 4, index=pair))
    # 0 and 0.25: bottom quarter; 0.75: top quarter; 0.745: neither
    assert (edge.top, edge.bottom, edge.base) == (0.25, 0.5, 4)
    none = qu.range_shares(close, high * np.nan, low * np.nan)
    assert (math.isnan(none.top), math.isnan(none.bottom), none.base) == (True, True, 0)


def test_move_in_sigmas_and_realized_volatility() -> None:
    idx = business_days("2024-01-01", 6)
    close = pd.Series([100.0, 101, 100, 101, 100, 103], index=idx)
    r = [close.iloc[i] / close.iloc[i - 1] - 1 for i in range(1, 6)]
    ret, sig = qu.move_in_sigmas(close, 4)
    assert ret == pytest.approx(r[-1])
    assert sig == pytest.approx(r[-1] / statistics.stdev(r[:4]))
    assert qu.realized_volatility(close, 5) == pytest.approx(statistics.stdev(r) * math.sqrt(252))
    assert math.isnan(qu.move_in_sigmas(close, 5)[1])  # 5 prior returns need 7 closes
    flat = pd.Series([100.0] * 5 + [101.0], index=idx)
    assert math.isnan(qu.move_in_sigmas(flat, 4)[1])  # no prior movement: no sigma
    with pytest.raises(ValueError, match="sessions"):
        qu.daily_volatility(close, 1)


def test_the_series_forms_agree_with_the_day_figures_on_every_session() -> None:
    """The capitulation signal reads the move in sigmas and the volume ratio on every session
    of the history: each value is the as-of figure of the panel cut at that session."""
    rng = np.random.default_rng(7)
    idx = business_days("2024-01-01", 40)
    close = pd.Series(100 * np.cumprod(1 + rng.normal(0, 0.01, 40)), index=idx)
    close.iloc[12] = np.nan  # a gap: no sigma for the windows that hold it
    close.iloc[30:34] = close.iloc[29]  # session 34: its 4 prior returns are 0, no sigma
    v = pd.DataFrame(rng.integers(1, 1000, size=(40, 5)).astype("float64"), index=idx,
                     columns=list("ABCDE"))
    v.iloc[5, 0] = 0.0  # A did not trade: out of the windows that hold session 5
    v.iloc[20, 1] = np.nan
    v.iloc[:, 4] = np.nan  # E never has a volume
    z = qu.move_in_sigmas_series(close, 4)
    ratio = qu.volume_ratio_series(v, 6)
    for i in range(40):
        _, sigmas = qu.move_in_sigmas(close.iloc[: i + 1], 4)
        day = qu.volume_ratio(v.iloc[: i + 1], 6).aggregate
        for got, expected in ((z.iloc[i], sigmas), (ratio.iloc[i], day)):
            if math.isnan(expected):
                assert math.isnan(got), i
            else:
                assert got == pytest.approx(expected, rel=1e-12), i
    assert z.notna().sum() >= 20 and ratio.notna().sum() == 40 - 6
    assert qu.volume_ratio_series(v.iloc[:6], 6).isna().all()  # 7 rows needed


# --- who carried it ------------------------------------------------------------------------------


def test_dollar_volume_largest_and_movers() -> None:
    idx = business_days("2024-01-01", 4)
    close = pd.DataFrame({"A": [10.0, 10, 10, 99], "B": [5.0, 5, 5, 5], "C": [1.0, np.nan, 1, 1]},
                         index=idx)
    volume = pd.DataFrame({"A": [1.0, 1, 1, 1e9], "B": [10.0, 10, 30, 1], "C": [5.0, 5, 5, 5]},
                          index=idx)
    size = ca.dollar_volume(close, volume, 3)
    # the last row (its huge volume) is left out: A 10, B (50 + 50 + 150) / 3, C lacks a close
    assert size["A"] == pytest.approx(10.0)
    assert size["B"] == pytest.approx(250 / 3)
    assert math.isnan(size["C"])
    assert ca.largest(size, 2).tolist() == [1, 0]  # B, then A
    returns = pd.Series({"A": 0.01, "B": -0.05, "D": np.nan, "E": 0.05})
    assert ca.top_movers(returns, 3).tolist() == [1, 3, 0]  # |B| = |E|: list order, then A
    assert ca.median_return(returns) == (pytest.approx(0.01), 3)
    med, n = ca.median_return(returns.iloc[[2]])
    assert math.isnan(med) and n == 0


# --- baskets -----------------------------------------------------------------------------------


def test_momentum_volatility_scores_and_fifths() -> None:
    idx = business_days("2023-01-02", 260)
    up = pd.Series(np.linspace(50, 150, 260), index=idx)
    close = pd.DataFrame({"UP": up, "DOWN": 200 - up, "GAP": up}, index=idx)
    close.iloc[-1 - 252, 2] = np.nan  # GAP lacks the close a year before the last row
    score = bk.momentum(close, 21, 252)
    assert score["UP"] == pytest.approx(up.iloc[-22] / up.iloc[-253] - 1)
    assert score["DOWN"] == pytest.approx((200 - up.iloc[-22]) / (200 - up.iloc[-253]) - 1)
    assert math.isnan(score["GAP"])
    assert bk.momentum(close.iloc[:252]).isna().all()  # a year and a day are needed
    with pytest.raises(ValueError, match="skip"):
        bk.momentum(close, 252, 21)
    vol = bk.volatility(close, 3)
    r = [up.iloc[i] / up.iloc[i - 1] - 1 for i in range(-3, 0)]
    assert vol["UP"] == pytest.approx(statistics.stdev(r))
    scores = pd.Series({"A": 1.0, "B": 5.0, "C": 3.0, "D": np.nan, "E": 5.0, "F": 0.0,
                        "G": 2.0, "H": 4.0, "I": 0.5, "J": 1.5, "K": 2.5})
    top, bottom = bk.fifths(scores)  # 10 scored -> 2 each; B and E tie: list order
    assert (list(scores.index[top]), list(scores.index[bottom])) == (["B", "E"], ["F", "I"])
    assert [len(x) for x in bk.fifths(scores.iloc[:4])] == [0, 0]  # 3 scored: no fifth
    with pytest.raises(ValueError, match="fraction"):
        bk.fifths(scores, 0.6)


def test_held_return() -> None:
    base = pd.Series({"A": 10.0, "B": 20.0, "C": 5.0})
    end = pd.Series({"A": 11.0, "B": 19.0, "C": np.nan})
    assert bk.held_return(base, end, np.array([0, 1, 2])) == (pytest.approx(0.025), 2)
    assert bk.held_return(base, end, np.array([1])) == (pytest.approx(-0.05), 1)
    got, n = bk.held_return(base, end, np.array([], dtype=int))
    assert math.isnan(got) and n == 0


# --- trend -------------------------------------------------------------------------------------


def plain_rsi(closes: list[float], n: int = 14) -> float | None:
    changes = [b - a for a, b in zip(closes, closes[1:], strict=False)]
    if len(changes) < n:
        return None
    gain = sum(max(c, 0) for c in changes[:n]) / n
    loss = sum(max(-c, 0) for c in changes[:n]) / n
    for c in changes[n:]:
        gain = (gain * (n - 1) + max(c, 0)) / n
        loss = (loss * (n - 1) + max(-c, 0)) / n
    if loss == 0:
        return 100.0 if gain > 0 else 50.0
    return 100 - 100 / (1 + gain / loss)


def test_rsi_against_a_plain_loop() -> None:
    rng = np.random.default_rng(7)
    idx = business_days("2023-01-02", 80)
    walk = 100 + np.cumsum(rng.normal(0, 1, 80))
    late = np.r_[np.full(30, np.nan), walk[30:]]  # listed later: its own seed
    close = pd.DataFrame({"W": walk, "L": late, "UP": np.arange(80.0) + 1}, index=idx)
    got = tr.rsi(close, 14)
    for i in (14, 40, 79):
        assert got["W"].iloc[i] == pytest.approx(plain_rsi(list(walk[: i + 1])), rel=1e-12)
    assert got["W"].iloc[:14].isna().all()  # 14 changes need 15 closes
    assert got["L"].iloc[79] == pytest.approx(plain_rsi(list(walk[30:])), rel=1e-12)
    assert got["L"].iloc[:44].isna().all()
    assert got["UP"].iloc[-1] == 100.0  # no losses at all
    assert tr.rsi(close.iloc[:, :0] + 0.0, 14).empty
    with pytest.raises(ValueError, match="sessions"):
        tr.rsi(close, 0)


def test_rsi_skips_a_missing_close() -> None:
    idx = business_days("2023-01-02", 40)
    walk = pd.Series(100 + np.sin(np.arange(40.0)) * 3, index=idx)
    gap = walk.copy()
    gap.iloc[25] = np.nan
    got = tr.rsi(gap.to_frame("G"), 14)["G"]
    assert math.isnan(got.iloc[25]) and math.isnan(got.iloc[26])  # no change into or out of it
    assert np.isfinite(got.iloc[27])


def test_relative_change() -> None:
    idx = business_days("2024-01-01", 4)
    close = pd.DataFrame({"X": [10.0, 11, 12, 13]}, index=idx)
    bench = pd.Series([100.0, 100, 110, 100], index=idx)
    got = tr.relative_change(close, bench, 2)["X"]
    assert got.iloc[-1] == pytest.approx((13 / 100) / (11 / 100) - 1)
    assert got.iloc[:2].isna().all()


# --- compute() on a short hand-made panel: too little history gives null, never a guess -----


@pytest.fixture(scope="module")
def short() -> dict:
    return compute(hand_panel(), UNIVERSE, METRICS).to_dict()


def test_short_history_gives_nulls(short: dict) -> None:
    q = short["quality"]
    # 6 sessions: no 20-session volume average, no High/Low in a hand panel, no 20 prior returns
    assert (q["volume_vs_20d"], q["volume_base_20d"]) == (None, 0)
    assert (q["close_top_quarter"], q["close_bottom_quarter"], q["close_range_base"]) == (
        None, None, 0,
    )
    assert q["index_moves"]["^GSPC"]["sigmas"] is None
    assert q["index_moves"]["^GSPC"]["return_1d"] == pytest.approx(102.5 / 102 - 1)
    assert q["realized_volatility_20d"] is None and q["implied_minus_realized"] is None
    assert q["vix"] == 15.5
    b = short["baskets"]
    assert b["momentum"]["winners"]["return_1d"] is None
    assert b["momentum"]["winners"]["size_1d"] == 0
    assert (b["formed_1d"], b["formed_5d"], b["formed_mtd"]) == (
        "2024-02-02", "2024-01-29", "2024-01-31",
    )
    assert all(row["rsi_14"] is None and row["rs_rank"] is None for row in short["trend"])
    for signal in short["analogs"]["signals"].values():
        for horizons in signal["forward"].values():
            assert all(h["n"] == 0 and h["median"] is None and h["small_sample"]
                       for h in horizons.values())
    # the record run needs a year of history: not judged
    assert short["analogs"]["signals"]["small_caps_record_run"]["fired_today"] is None
    # NVDA and AAA advanced, BBB declined (CCC did not trade): 2 < 4 x 1, not a 4:1 day
    assert short["analogs"]["signals"]["advancing_4to1"]["fired_today"] is False


def test_sector_carry_on_the_hand_panel(short: dict) -> None:
    rows = {r["etf"]: r for r in short["sector_carry"]}
    tech = rows["XLK"]
    # NVDA 14 -> 15, AAA 12 -> 13: median of 1/14 and 1/12; XLK 100 -> 102
    assert tech["median_return_1d"] == pytest.approx((1 / 14 + 1 / 12) / 2)
    assert tech["gap"] == pytest.approx(0.02 - (1 / 14 + 1 / 12) / 2)
    assert (tech["members_used"], tech["largest_used"], tech["movers"]) == (2, 0, [])
    assert rows["XLU"]["median_return_1d"] is None and rows["XLU"]["members_used"] == 0


def test_missing_high_low_gives_null_range_shares() -> None:
    panel = hand_panel()
    members = panel.members.index
    full = pd.DataFrame({"High": [16.0, 14.0, 21.0, 6.0], "Low": [14.0, 12.0, 19.0, 4.0]},
                        index=members)
    with_range = compute(dataclasses.replace(panel, day_range=full), UNIVERSE, METRICS)
    # NVDA 15 in 14-16: 0.5; AAA 13 in 12-14: 0.5; BBB 20 in 19-21: 0.5; CCC did not trade
    assert (with_range.quality.close_top_quarter, with_range.quality.close_range_base) == (0.0, 3)
    gaps = full.copy()
    gaps.loc["AAA", "High"] = np.nan
    gaps.loc["BBB", "High"] = 20.0  # the close at the High: top quarter
    partial = compute(dataclasses.replace(panel, day_range=gaps), UNIVERSE, METRICS).quality
    assert (partial.close_top_quarter, partial.close_range_base) == (pytest.approx(0.5), 2)
    nothing = compute(dataclasses.replace(panel, day_range=full * np.nan), UNIVERSE, METRICS)
    assert (nothing.quality.close_top_quarter, nothing.quality.close_range_base) == (None, 0)
