"""Breadth of participation among index members.

Inputs are wide frames (sessions x members). Per-member transforms keep the frame's shape and
mark a member that cannot be judged on a session with NaN; per-session counts and shares keep the
session index. A member's row with no close, or with volume 0, is missing for that session.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reporter.metrics import _checks
from reporter.metrics.rolling import rolling_high, rolling_low, seeded_ema, sma

COUNT_COLUMNS = ("advancers", "decliners", "unchanged", "missing")


def _values(frame: pd.DataFrame) -> np.ndarray:
    return frame.to_numpy(dtype="float64", na_value=np.nan)


def _like(frame: pd.DataFrame, values: np.ndarray) -> pd.DataFrame:
    """A frame around a freshly made array: no copy (pandas 3 copies an array by default)."""
    return pd.DataFrame(values, index=frame.index, columns=frame.columns, copy=False)


def usable_closes(close: pd.DataFrame, volume: pd.DataFrame | None) -> pd.DataFrame:
    """Closes with the no-trade rows blanked: volume exactly 0 means the member did not trade.

    An unknown volume (NaN, or a symbol absent from ``volume``) leaves the close in place.
    """
    values = _values(close).copy()
    if volume is not None:
        vol = _values(volume.reindex(index=close.index, columns=close.columns))
        values[vol == 0] = np.nan
    return _like(close, values)


def change_sign(close: pd.DataFrame) -> pd.DataFrame:
    """+1 / -1 / 0 as the close is above / below / equal to the previous session's, as stored.

    NaN where either close is missing (always on the first session).
    """
    c = _values(close)
    out = np.full(c.shape, np.nan)
    if len(c) > 1:
        out[1:] = np.sign(c[1:] - c[:-1])
    return _like(close, out)


def advance_decline(sign: pd.DataFrame) -> pd.DataFrame:
    """Per session: advancers, decliners, unchanged and missing members (columns of ``sign``)."""
    s = _values(sign)
    adv = (s == 1).sum(axis=1)
    dec = (s == -1).sum(axis=1)
    unch = (s == 0).sum(axis=1)
    miss = s.shape[1] - adv - dec - unch
    data = dict(zip(COUNT_COLUMNS, (adv, dec, unch, miss), strict=True))
    return pd.DataFrame(data, index=sign.index, dtype="int64")


def net_advances(counts: pd.DataFrame) -> pd.Series:
    """Advancers minus decliners; NaN on a session where no member could be compared."""
    net = (counts["advancers"] - counts["decliners"]).astype("float64")
    judged = counts["advancers"] + counts["decliners"] + counts["unchanged"]
    return net.where(judged > 0).rename("net_advances")


def ad_line(counts: pd.DataFrame) -> pd.Series:
    """Running sum of advancers minus decliners, 0 on the first session of the data."""
    net = counts["advancers"] - counts["decliners"]
    line = net.cumsum() - (net.iloc[0] if len(net) else 0)
    return line.astype("int64").rename("ad_line")


def above_average(close: pd.DataFrame, window: int) -> pd.DataFrame:
    """1.0 where the close exceeds its ``window``-session average (including that day), else 0.0.

    NaN where the member lacks a close on any of those sessions.
    """
    avg = _values(sma(close, window))
    out = np.where(_values(close) > avg, 1.0, 0.0)
    out[np.isnan(avg)] = np.nan
    return _like(close, out)


def _extreme(close: pd.DataFrame, lookback: int, high: bool) -> pd.DataFrame:
    n = _checks.window("lookback", lookback) + 1
    c = _values(close)
    ref = _values(rolling_high(close, n) if high else rolling_low(close, n))
    out = np.where(c >= ref if high else c <= ref, 1.0, 0.0)
    out[np.isnan(ref)] = np.nan
    return _like(close, out)


def new_highs(close: pd.DataFrame, lookback: int = 252) -> pd.DataFrame:
    """1.0 where the close is at or above each of the previous ``lookback`` closes, else 0.0.

    NaN unless the member has a close on the session and on each of those before it.
    """
    return _extreme(close, lookback, high=True)


def new_lows(close: pd.DataFrame, lookback: int = 252) -> pd.DataFrame:
    """1.0 where the close is at or below each of the previous ``lookback`` closes, else 0.0."""
    return _extreme(close, lookback, high=False)


def share(flags: pd.DataFrame) -> pd.Series:
    """Per session, the fraction of judged members (non-NaN) flagged 1; NaN when none judged."""
    f = _values(flags)
    judged = (~np.isnan(f)).sum(axis=1)
    hits = np.nansum(f, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(judged > 0, hits / np.maximum(judged, 1), np.nan)
    return pd.Series(out, index=flags.index)


def count(flags: pd.DataFrame) -> pd.Series:
    """Per session, how many members are flagged 1; NaN when no member could be judged."""
    f = _values(flags)
    judged = (~np.isnan(f)).sum(axis=1)
    return pd.Series(np.where(judged > 0, np.nansum(f, axis=1), np.nan), index=flags.index)


def judged(flags: pd.DataFrame) -> int:
    """How many members could be judged (non-NaN) on the frame's last session: the base of
    :func:`share` there."""
    if len(flags) == 0:
        return 0
    return int(np.count_nonzero(~np.isnan(_values(flags.iloc[[-1]]))))


def _one_hot(columns: pd.Index, groups: pd.Series, order: Sequence[str]) -> np.ndarray:
    """Members x groups matrix of 0/1: which group each member belongs to."""
    labels = groups.reindex(columns).to_numpy(dtype=object)
    hot = np.zeros((len(columns), len(order)))
    for j, g in enumerate(order):
        hot[:, j] = labels == g
    return hot


def share_by_group(flags: pd.DataFrame, groups: pd.Series, order: Sequence[str]) -> pd.DataFrame:
    """:func:`share` within each group of members (``groups``: member -> label), one column each.

    Members without a label in ``order`` are left out.
    """
    f = _values(flags)
    hot = _one_hot(flags.columns, groups, order)
    hits = np.nan_to_num(f) @ hot
    judged = (~np.isnan(f)).astype("float64") @ hot
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(judged > 0, hits / np.maximum(judged, 1), np.nan)
    return pd.DataFrame(out, index=flags.index, columns=list(order))


def judged_by_group(flags: pd.DataFrame, groups: pd.Series, order: Sequence[str]) -> pd.DataFrame:
    """Per session and group, how many members could be judged (non-NaN): the base of
    :func:`share_by_group`."""
    hot = _one_hot(flags.columns, groups, order)
    judged = (~np.isnan(_values(flags))).astype("float64") @ hot
    return pd.DataFrame(judged.astype("int64"), index=flags.index, columns=list(order))


def count_by_group(
    values: pd.DataFrame, groups: pd.Series, order: Sequence[str], target: float
) -> pd.DataFrame:
    """Per session and group, how many members have exactly ``target`` (e.g. +1 for advancers)."""
    hot = _one_hot(values.columns, groups, order)
    hits = (_values(values) == target).astype("float64") @ hot
    return pd.DataFrame(hits.astype("int64"), index=values.index, columns=list(order))


def high_low_index(highs: pd.Series, lows: pd.Series, window: int = 10) -> pd.Series:
    """``window``-session average of highs / (highs + lows) x 100, a day with neither being 50."""
    n = _checks.window("window", window)
    total = highs + lows
    with np.errstate(invalid="ignore", divide="ignore"):
        daily = (100 * highs / total).where(total > 0, 50.0).where(total.notna())
    return daily.rolling(n, min_periods=n).mean().rename("high_low_index")


def ratio_adjusted_net(counts: pd.DataFrame) -> pd.Series:
    """1000 x (A - D) / (A + D): net advances scaled by the day's participation.

    NaN where A + D = 0.
    """
    a = counts["advancers"].astype("float64")
    d = counts["decliners"].astype("float64")
    total = a + d
    return (1000 * (a - d) / total.where(total > 0)).rename("ratio_adjusted_net")


def mcclellan(net: pd.Series) -> pd.DataFrame:
    """Oscillator = EMA19 - EMA39 of ``net`` (smoothing 0.10 / 0.05, seeded with simple averages)
    and summation index = running sum of the oscillator from its first defined session."""
    osc = seeded_ema(net, 0.10, 19) - seeded_ema(net, 0.05, 39)
    return pd.DataFrame({"oscillator": osc, "summation": osc.cumsum()}, index=net.index)


def volume_by_direction(sign: pd.DataFrame, volume: pd.DataFrame) -> pd.DataFrame:
    """Per session, the summed volume of advancing and of declining members.

    Unknown volumes count as nothing; NaN when no compared member has a known volume.
    """
    s = _values(sign)
    v = _values(volume.reindex(index=sign.index, columns=sign.columns))
    known = ~np.isnan(v) & ~np.isnan(s)
    vol = np.where(known, v, 0.0)
    up = np.where(s == 1, vol, 0.0).sum(axis=1)
    down = np.where(s == -1, vol, 0.0).sum(axis=1)
    any_known = known.any(axis=1)
    data = {
        "up_volume": np.where(any_known, up, np.nan),
        "down_volume": np.where(any_known, down, np.nan),
    }
    return pd.DataFrame(data, index=sign.index)


def arms_index(counts: pd.DataFrame, volumes: pd.DataFrame) -> pd.Series:
    """TRIN = (advancers / decliners) / (up volume / down volume); NaN where a divisor is 0."""
    a = counts["advancers"].astype("float64")
    d = counts["decliners"].astype("float64")
    up = volumes["up_volume"]
    down = volumes["down_volume"]
    ok = (d > 0) & (down > 0) & (up > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        trin = (a / d) / (up / down)
    return trin.where(ok).rename("trin")


def zweig_ema(counts: pd.DataFrame, span: int = 10) -> pd.Series:
    """EMA (smoothing 2/(span+1), seeded with a simple average) of A / (A + D)."""
    n = _checks.window("span", span)
    a = counts["advancers"].astype("float64")
    total = a + counts["decliners"]
    return seeded_ema(a / total.where(total > 0), 2 / (n + 1), n).rename("zweig_ema")


def zweig_thrust(
    ema: pd.Series, high: float = 0.615, low: float = 0.40, window: int = 10
) -> pd.Series:
    """True on a session whose EMA closes above ``high`` when, within the ``window`` sessions
    before it, the EMA was below ``low``."""
    n = _checks.window("window", window)
    if not 0 < low < high < 1:
        raise ValueError(f"need 0 < low < high < 1, got low={low!r}, high={high!r}")
    before = ema.shift(1).rolling(n, min_periods=1).min()
    return ((ema > high) & (before < low)).rename("zweig_thrust")
