"""Breadth: counts, A/D line, % above average, highs/lows, McClellan, TRIN, Zweig thrust."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporter.metrics import breadth as br
from tests.support.panels import business_days, frame

IDX = business_days("2024-05-06", 5)  # d0..d4
# AAA and BBB trade throughout; NEW lists on d2; VOL has volume 0 on d2; FLAT never moves.
CLOSE = frame(
    {
        "AAA": [10, 11, 11, 10, 12],
        "BBB": [20, 19, 19.5, 19.5, 21],
        "NEW": [None, None, 5, 6, 5],
        "VOL": [30, 31, 32, 33, 34],
        "FLAT": [7, 7, 7, 7, 7],
    },
    IDX,
)
VOLUME = frame(
    {
        "AAA": [1000] * 5,
        "BBB": [3000] * 5,
        "NEW": [None, None, 500, 500, 500],
        "VOL": [200, 200, 0, 200, 200],
        "FLAT": [100] * 5,
    },
    IDX,
)


def usable() -> pd.DataFrame:
    return br.usable_closes(CLOSE, VOLUME)


def test_volume_zero_row_is_missing() -> None:
    u = usable()
    assert math.isnan(u.loc[IDX[2], "VOL"])
    assert u.loc[IDX[3], "VOL"] == 33
    # unknown volume (NaN) keeps the close; only an explicit 0 blanks it
    assert br.usable_closes(CLOSE, VOLUME.drop(columns="AAA"))["AAA"].notna().all()
    assert br.usable_closes(CLOSE, None).equals(CLOSE)


def test_advance_decline_counts_by_hand() -> None:
    counts = br.advance_decline(br.change_sign(usable()))
    # d0: nothing to compare with -> all 5 missing
    # d1: AAA up, BBB down, VOL up, FLAT flat, NEW not listed (missing, not a decliner)
    # d2: AAA flat (11=11), BBB up, FLAT flat; NEW has no previous close, VOL volume 0: missing
    # d3: AAA down, BBB flat, NEW up (6>5), FLAT flat; VOL's previous row did not trade: missing
    # d4: AAA, BBB, VOL up; NEW down (5<6); FLAT flat
    assert counts.to_dict("list") == {
        "advancers": [0, 2, 1, 1, 3],
        "decliners": [0, 1, 0, 1, 1],
        "unchanged": [0, 1, 2, 2, 1],
        "missing": [5, 1, 2, 1, 0],
    }
    # A/D line: 0, +1, +1, 0, +2 cumulated -> 0, 1, 2, 2, 4
    assert br.ad_line(counts).tolist() == [0, 1, 2, 2, 4]
    net = br.net_advances(counts)
    assert math.isnan(net.iloc[0]) and net.iloc[1:].tolist() == [1, 1, 0, 2]


def test_pct_above_average_by_hand() -> None:
    above = br.above_average(usable(), 3)
    # window d2..d4: AAA mean(11,10,12)=11 < 12 yes; BBB mean(19.5,19.5,21)=20 < 21 yes;
    # NEW mean(5,6,5)=5.33 > 5 no; FLAT mean 7 = 7 not above; VOL lacks d2: not counted
    last = above.iloc[4]
    assert last[["AAA", "BBB", "NEW", "FLAT"]].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert math.isnan(last["VOL"])
    assert br.share(above).iloc[4] == pytest.approx(2 / 4)
    # d1: no member has 3 closes yet -> NaN, not 0
    assert math.isnan(br.share(above).iloc[1])


def test_new_highs_and_lows_by_hand() -> None:
    u = usable()
    highs, lows = br.new_highs(u, 2), br.new_lows(u, 2)
    # d4 against d2, d3: AAA 12 >= 11, 10 high; BBB 21 high; NEW 5 <= 5, 6 low;
    # FLAT 7 both; VOL lacks d2 -> not judged
    assert br.count(highs).iloc[4] == 3 and br.count(lows).iloc[4] == 2
    # d3 against d1, d2: AAA 10 low; BBB 19.5 high; FLAT both; NEW, VOL not judged
    assert br.count(highs).iloc[3] == 2 and br.count(lows).iloc[3] == 2
    # d2 against d0, d1: AAA 11 high; BBB 19.5 neither; FLAT both
    assert br.count(highs).iloc[2] == 2 and br.count(lows).iloc[2] == 1
    # too little history: NaN, never 0
    assert br.count(highs).iloc[:2].isna().all()
    # high-low index over 2 sessions: d2 2/3*100, d3 2/4*100 = 50, d4 3/5*100 = 60
    hl = br.high_low_index(br.count(highs), br.count(lows), 2)
    assert hl.iloc[3] == pytest.approx((200 / 3 + 50) / 2)
    assert hl.iloc[4] == pytest.approx((50 + 60) / 2)
    assert hl.iloc[:3].isna().all()


def test_high_low_index_day_with_neither_counts_as_50() -> None:
    highs = pd.Series([0.0, 4.0, 0.0])
    lows = pd.Series([0.0, 1.0, 3.0])
    # daily: 50 (neither), 80, 0 -> 3-session mean 130/3
    assert br.high_low_index(highs, lows, 3).iloc[2] == pytest.approx(130 / 3)


def test_mcclellan_on_a_ramp_by_hand() -> None:
    # net advances 0, 1, 2, ...: EMA19 seeds at idx 18 with mean(0..18) = 9 and then stays at
    # k - 9 (9 + .1*(19-9) = 10 on idx 19, ...); EMA39 seeds at idx 38 with mean(0..38) = 19
    # and stays at k - 19. So the oscillator is (k-9) - (k-19) = 10 from idx 38 on, and the
    # summation index runs 10, 20, 30, ...
    net = pd.Series(np.arange(45, dtype="float64"))
    mc = br.mcclellan(net)
    assert mc["oscillator"].iloc[:38].isna().all()
    assert mc["oscillator"].iloc[38:].tolist() == pytest.approx([10.0] * 7)
    assert mc["summation"].iloc[38:].tolist() == pytest.approx([10, 20, 30, 40, 50, 60, 70])
    assert mc["summation"].iloc[:38].isna().all()


def test_mcclellan_matches_a_plain_loop_with_a_leading_gap() -> None:
    rng = np.random.default_rng(3)
    values = [math.nan] + list(rng.integers(-300, 300, size=80).astype(float))
    got = br.mcclellan(pd.Series(values))

    def ema(xs: list[float], alpha: float, seed: int) -> list[float]:
        out, e = [], 0.0
        for i, x in enumerate(xs):
            if i < seed - 1:
                out.append(math.nan)
            elif i == seed - 1:
                e = sum(xs[:seed]) / seed
                out.append(e)
            else:
                e = e + alpha * (x - e)
                out.append(e)
        return out

    xs = values[1:]
    osc = [a - b for a, b in zip(ema(xs, 0.10, 19), ema(xs, 0.05, 39), strict=True)]
    total, summation = 0.0, []
    for o in osc:
        if not math.isnan(o):
            total += o
        summation.append(total if not math.isnan(o) else math.nan)
    np.testing.assert_allclose(got["oscillator"].iloc[1:], osc, rtol=1e-10)
    np.testing.assert_allclose(got["summation"].iloc[1:], summation, rtol=1e-10)


def test_ratio_adjusted_net_by_hand() -> None:
    counts = pd.DataFrame({"advancers": [3, 0], "decliners": [1, 0], "unchanged": [0, 5]})
    out = br.ratio_adjusted_net(counts)
    assert out.iloc[0] == pytest.approx(1000 * 2 / 4)  # 500
    assert math.isnan(out.iloc[1])  # A + D = 0


def test_up_down_volume_and_trin_by_hand() -> None:
    u = usable()
    sign = br.change_sign(u)
    vols = br.volume_by_direction(sign, VOLUME)
    # d4: advancers AAA 1000 + BBB 3000 + VOL 200 = 4200; decliner NEW 500
    assert vols.iloc[4].tolist() == [4200.0, 500.0]
    counts = br.advance_decline(sign)
    trin = br.arms_index(counts, vols)
    # (3/1) / (4200/500) = 3 / 8.4
    assert trin.iloc[4] == pytest.approx(3 / 8.4)
    # d2: no decliners -> a divisor is 0 -> NaN
    assert math.isnan(trin.iloc[2])
    # d0: nothing compared -> volumes unknown
    assert vols.iloc[0].isna().all()


def zweig_counts(ratios: list[float]) -> pd.DataFrame:
    adv = [round(r * 10) for r in ratios]
    return pd.DataFrame(
        {"advancers": adv, "decliners": [10 - a for a in adv], "unchanged": [0] * len(adv)}
    )


def test_zweig_thrust_by_hand() -> None:
    # A/(A+D) = 0.3 for 10 sessions, then 1.0. EMA seeds at idx 9 with 0.3, then with 2/11:
    # idx10 0.3 + 2/11*0.7 = 0.42727; idx11 0.53140; idx12 0.61660 > 0.615 -> fires, since
    # idx 9 (0.3 < 0.40) is within the 10 sessions before. idx 13, 14 fire again.
    counts = zweig_counts([0.3] * 10 + [1.0] * 5)
    ema = br.zweig_ema(counts)
    assert ema.iloc[:9].isna().all()
    e, expected = 0.3, [0.3]
    for _ in range(5):
        e += 2 / 11 * (1.0 - e)
        expected.append(e)
    assert ema.iloc[9:].tolist() == pytest.approx(expected)
    fired = br.zweig_thrust(ema)
    assert list(np.flatnonzero(fired)) == [12, 13, 14]


def test_zweig_thrust_needs_the_low_within_ten_sessions() -> None:
    # stays near 0.5 (never below 0.40) then surges: no thrust
    counts = zweig_counts([0.5] * 10 + [1.0] * 5)
    assert not br.zweig_thrust(br.zweig_ema(counts)).any()


def test_zweig_thrust_window_boundary() -> None:
    # the low (0.30) exactly 10 sessions before the 0.70 close counts ...
    assert list(np.flatnonzero(br.zweig_thrust(pd.Series([0.3] + [0.5] * 9 + [0.7])))) == [10]
    # ... 11 sessions before it does not
    assert not br.zweig_thrust(pd.Series([0.3] + [0.5] * 10 + [0.7])).any()


def test_share_by_group_and_count_by_group() -> None:
    flags = frame({"A": [1, None], "B": [0, 1], "C": [1, 1], "D": [1, 0]}, IDX[:2])
    groups = pd.Series({"A": "x", "B": "x", "C": "y", "D": "z"})
    out = br.share_by_group(flags, groups, ["x", "y", "w"])
    # x: session 0 A=1, B=0 -> 0.5; session 1 A not judged, B=1 -> 1.0; w has no member
    assert out["x"].tolist() == [0.5, 1.0] and out["y"].tolist() == [1.0, 1.0]
    assert out["w"].isna().all()
    counted = br.count_by_group(flags, groups, ["x", "z"], 1)
    assert counted.to_dict("list") == {"x": [1, 1], "z": [1, 0]}


def test_no_input_is_mutated() -> None:
    c0, v0 = CLOSE.copy(deep=True), VOLUME.copy(deep=True)
    u = br.usable_closes(CLOSE, VOLUME)
    sign = br.change_sign(u)
    counts = br.advance_decline(sign)
    counts0 = counts.copy()
    for fn in (br.ad_line, br.net_advances, br.ratio_adjusted_net, br.zweig_ema):
        fn(counts)
    br.above_average(CLOSE, 2)
    br.new_highs(CLOSE, 2)
    br.new_lows(CLOSE, 2)
    br.volume_by_direction(sign, VOLUME)
    pd.testing.assert_frame_equal(CLOSE, c0)
    pd.testing.assert_frame_equal(VOLUME, v0)
    pd.testing.assert_frame_equal(counts, counts0)


def test_bad_parameters_raise() -> None:
    with pytest.raises(ValueError, match="window"):
        br.above_average(CLOSE, 0)
    with pytest.raises(ValueError, match="lookback"):
        br.new_highs(CLOSE, 0)
    with pytest.raises(ValueError, match="window"):
        br.high_low_index(pd.Series([1.0]), pd.Series([1.0]), 0)
    with pytest.raises(ValueError, match="span"):
        br.zweig_ema(zweig_counts([0.5]), 0)
    with pytest.raises(ValueError, match="low"):
        br.zweig_thrust(pd.Series([0.5]), high=0.3, low=0.4)


# --- properties ------------------------------------------------------------------------------

cells = st.one_of(
    st.none(),
    st.tuples(st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0]), st.sampled_from([0.0, 10.0, None])),
)


@st.composite
def member_frames(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_days = draw(st.integers(1, 12))
    n_members = draw(st.integers(1, 8))
    grid = draw(
        st.lists(
            st.lists(cells, min_size=n_members, max_size=n_members),
            min_size=n_days,
            max_size=n_days,
        )
    )
    idx = business_days("2024-01-01", n_days)
    names = [f"M{i}" for i in range(n_members)]
    close = pd.DataFrame(
        [[np.nan if c is None else c[0] for c in row] for row in grid], index=idx, columns=names
    )
    volume = pd.DataFrame(
        [[np.nan if c is None or c[1] is None else c[1] for c in row] for row in grid],
        index=idx,
        columns=names,
    )
    return close, volume


@settings(max_examples=150, deadline=None)
@given(member_frames())
def test_counts_always_add_up_to_the_members(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    close, volume = frames
    counts = br.advance_decline(br.change_sign(br.usable_closes(close, volume)))
    total = counts[["advancers", "decliners", "unchanged", "missing"]].sum(axis=1)
    assert (total == close.shape[1]).all()
    assert (counts >= 0).all().all()


@settings(max_examples=150, deadline=None)
@given(member_frames())
def test_ad_line_changes_by_advancers_minus_decliners(
    frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    close, volume = frames
    counts = br.advance_decline(br.change_sign(br.usable_closes(close, volume)))
    line = br.ad_line(counts)
    assert line.iloc[0] == 0
    step = line.diff().iloc[1:]
    assert (step == (counts["advancers"] - counts["decliners"]).iloc[1:]).all()


@settings(max_examples=100, deadline=None)
@given(member_frames())
def test_counts_match_a_plain_loop(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    close, volume = frames
    counts = br.advance_decline(br.change_sign(br.usable_closes(close, volume)))
    for t in range(len(close)):
        a = d = u = 0
        for m in close.columns:

            def ok(i: int, m: str = m) -> bool:
                return i >= 0 and not math.isnan(close[m].iloc[i]) and volume[m].iloc[i] != 0

            if ok(t) and ok(t - 1):
                now, before = close[m].iloc[t], close[m].iloc[t - 1]
                a += now > before
                d += now < before
                u += now == before
        assert counts.iloc[t][["advancers", "decliners", "unchanged"]].tolist() == [a, d, u]
