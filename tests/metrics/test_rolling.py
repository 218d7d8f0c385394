"""Moving windows and the seeded exponential average."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reporter.metrics.rolling import rolling_high, rolling_low, seeded_ema, sma


def s(values: list[float | None]) -> pd.Series:
    return pd.Series([np.nan if v is None else v for v in values], dtype="float64")


def nan_list(x: pd.Series) -> list[float | None]:
    return [None if math.isnan(v) else v for v in x.tolist()]


def test_sma_by_hand() -> None:
    assert nan_list(sma(s([1, 2, 3, 4]), 2)) == [None, 1.5, 2.5, 3.5]
    # a missing value makes every window containing it incomplete
    assert nan_list(sma(s([1, None, 3, 4]), 2)) == [None, None, None, 3.5]
    assert nan_list(sma(s([1, 2]), 3)) == [None, None]


def test_rolling_extremes_by_hand() -> None:
    x = s([3, 1, 4, 1, 5])
    assert nan_list(rolling_high(x, 3)) == [None, None, 4, 4, 5]
    assert nan_list(rolling_low(x, 3)) == [None, None, 1, 1, 1]


def test_seeded_ema_by_hand() -> None:
    # seed = mean(2, 4, 6) = 4 on the 3rd value; then 4 + .5*(8-4) = 6; 6 + .5*(10-6) = 8
    assert nan_list(seeded_ema(s([2, 4, 6, 8, 10]), 0.5, 3)) == [None, None, 4, 6, 8]
    # leading NaN: the seed takes the first 3 defined values
    assert nan_list(seeded_ema(s([None, 2, 4, 6, 8]), 0.5, 3)) == [None, None, None, 4, 6]
    # a gap is skipped: 4 + .5*(10-4) = 7, and the gap itself is NaN
    assert nan_list(seeded_ema(s([2, 4, 6, None, 10]), 0.5, 3)) == [None, None, 4, None, 7]
    # too few values for the seed: nothing, never a guess
    assert nan_list(seeded_ema(s([1, 2]), 0.5, 3)) == [None, None]


def test_seeded_ema_matches_a_plain_loop() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=60)
    got = seeded_ema(pd.Series(x), 0.1, 19).to_numpy()
    e = sum(x[:19]) / 19
    expected = [math.nan] * 18 + [e]
    for v in x[19:]:
        e = e + 0.1 * (v - e)
        expected.append(e)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_shapes_and_no_mutation() -> None:
    f = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, None, 1.0]})
    before = f.copy(deep=True)
    for out in (sma(f, 2), rolling_high(f, 2), rolling_low(f, 2)):
        assert out.shape == f.shape and list(out.columns) == ["a", "b"]
    x = s([1, 2, 3])
    out = seeded_ema(x, 0.5, 2)
    assert out.index.equals(x.index)
    pd.testing.assert_frame_equal(f, before)
    pd.testing.assert_series_equal(x, s([1, 2, 3]))


@pytest.mark.parametrize("window", [0, -3, 2.5, True])
def test_bad_windows_raise(window: object) -> None:
    for fn in (sma, rolling_high, rolling_low):
        with pytest.raises(ValueError, match="window"):
            fn(s([1, 2, 3]), window)  # type: ignore[arg-type]


@pytest.mark.parametrize(("alpha", "seed"), [(0, 3), (1.5, 3), (-0.1, 3), (0.5, 0)])
def test_bad_ema_parameters_raise(alpha: float, seed: int) -> None:
    with pytest.raises(ValueError):
        seeded_ema(s([1, 2, 3]), alpha, seed)


def test_wide_rolling_extremes_by_hand() -> None:
    """A wide frame goes through doubling spans; worked out by hand, gaps included."""
    f = pd.DataFrame(
        {"a": [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0], "b": [2.0, None, 7.0, 1.0, 8.0, 2.0, 8.0]}
    )
    high, low = rolling_high(f, 3), rolling_low(f, 3)
    assert nan_list(high["a"]) == [None, None, 4, 4, 5, 9, 9]
    assert nan_list(low["a"]) == [None, None, 1, 1, 1, 1, 2]
    # every window holding b's gap (rows 1..3) is incomplete
    assert nan_list(high["b"]) == [None, None, None, None, 8, 8, 8]
    assert nan_list(low["b"]) == [None, None, None, None, 1, 1, 2]
    assert nan_list(rolling_high(f, 7)["a"]) == [None] * 6 + [9]
    assert nan_list(rolling_high(f, 8)["a"]) == [None] * 7  # longer than the data
    pd.testing.assert_frame_equal(rolling_low(f, 1), f)


def test_wide_rolling_extremes_equal_pandas() -> None:
    """Every window length against pandas' own rolling max and min, with gaps and ties."""
    rng = np.random.default_rng(11)
    x = rng.integers(0, 20, size=(300, 7)).astype("float64")  # many ties
    x[rng.random(x.shape) < 0.05] = np.nan
    x[:40, 3] = np.nan  # a member listed late
    f = pd.DataFrame(x)
    for window in (1, 2, 3, 5, 8, 50, 64, 200, 253, 299, 300, 301):
        for fn, how in ((rolling_high, "max"), (rolling_low, "min")):
            want = getattr(f.rolling(window, min_periods=window), how)()
            pd.testing.assert_frame_equal(fn(f, window), want, check_exact=True)
