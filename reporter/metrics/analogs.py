"""What happened next: daily signals, and the index returns that followed their earlier sessions.

A signal is a float Series over sessions: 1.0 on a session it fired, 0.0 where it could be judged
and did not fire, NaN where its inputs are missing (before its history starts, a gap). Every
signal on a session uses only data up to that session, so a signal computed from a longer
history has the same value on that session (no look-ahead).

The returns after a signal (:func:`forward_stats`) are taken at each earlier session it fired
whose forward window ends on or before the last session of the data (the as-of date): the
as-of session itself never counts, and no return reaches past it. Occurrences that overlap
count once, per horizon: walking forward in time, an occurrence less than ``horizon`` sessions
after the last one counted is skipped (so the counted windows never share a session's return).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from reporter.metrics import _checks, rotation
from reporter.metrics.result import ForwardStats
from reporter.vocabulary import CAPITULATION, Capitulation

#: Sessions after an occurrence at which the forward returns are read.
HORIZONS = (5, 21, 63)
#: Fewer counted occurrences than this: the sample is flagged as small.
SMALL_SAMPLE = 10


def _floats(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="float64", na_value=np.nan)


def _signal(fired: np.ndarray, defined: np.ndarray, index: pd.Index, name: str) -> pd.Series:
    return pd.Series(np.where(defined, fired.astype("float64"), np.nan), index=index, name=name)


def ratio_day(counts: pd.DataFrame, ratio: float = 4.0, advancing: bool = True) -> pd.Series:
    """A ``ratio``:1 day: advancers >= ``ratio`` x decliners (``advancing``), or decliners >=
    ``ratio`` x advancers; the leading side must be above 0. NaN where no member was compared."""
    k = _checks.positive("ratio", ratio)
    a = _floats(counts["advancers"])
    d = _floats(counts["decliners"])
    judged = a + d + _floats(counts["unchanged"]) > 0
    lead, other = (a, d) if advancing else (d, a)
    name = "advancing" if advancing else "declining"
    return _signal((lead >= k * other) & (lead > 0), judged, counts.index, f"{name}_{k:g}to1")


def volume_day(volumes: pd.DataFrame, share: float = 0.9, up: bool = True) -> pd.Series:
    """A ``share`` up-volume day: up volume >= ``share`` of up + down volume (``up``), or the
    same of down volume. NaN where up + down volume is 0 or unknown."""
    s = _checks.fraction("share", share)
    upv = _floats(volumes["up_volume"])
    down = _floats(volumes["down_volume"])
    total = upv + down
    with np.errstate(invalid="ignore", divide="ignore"):
        part = (upv if up else down) / total
    defined = np.isfinite(part) & (total > 0)
    return _signal(part >= s, defined, volumes.index, "up_volume" if up else "down_volume")


def new_highs_expanding(
    highs: pd.Series,
    lows: pd.Series,
    judged: pd.Series,
    min_share: float = 0.05,
    multiple: float = 2.0,
) -> pd.Series:
    """New 52-week highs expanding: highs >= ``min_share`` of the members judged that day,
    highs >= ``multiple`` x new lows, and more highs than on the session before.

    NaN where the counts of that day or of the session before are unknown (no member judged).
    """
    m = _checks.fraction("min_share", min_share)
    k = _checks.positive("multiple", multiple)
    h, lo, n = _floats(highs), _floats(lows), _floats(judged)
    before = np.full(len(h), np.nan)
    before[1:] = h[:-1]
    defined = (n > 0) & np.isfinite(h) & np.isfinite(lo) & np.isfinite(before)
    with np.errstate(invalid="ignore"):
        fired = (h >= m * n) & (h >= k * lo) & (h > before)
    return _signal(fired, defined, highs.index, "new_highs_expanding")


def capitulation_day(
    index_return: ArrayLike,
    sigmas: ArrayLike,
    advancing_share: ArrayLike,
    up_volume_share: ArrayLike,
    volume_ratio: ArrayLike,
    rule: Capitulation = CAPITULATION,
) -> np.ndarray:
    """Whether each session is a capitulation day by ``rule`` (:class:`Capitulation`): one-sided
    (1 - up volume's share >= ``down_volume``, 1 - advancers' share >= ``decliners``), large (a
    1D return <= -``move``, and <= -``drop`` or <= -``sigmas`` standard deviations) and heavy
    (member volume over its 20-session average > ``volume``). The one test of the story
    ``capitulation`` and of the signal: a NaN figure fails its leg (a NaN ``sigmas`` leaves
    the ``drop`` leg)."""
    r, z = np.asarray(index_return, "float64"), np.asarray(sigmas, "float64")
    a, u = np.asarray(advancing_share, "float64"), np.asarray(up_volume_share, "float64")
    v = np.asarray(volume_ratio, "float64")
    with np.errstate(invalid="ignore"):
        one_sided = (1 - u >= rule.down_volume) & (1 - a >= rule.decliners)
        large = (r <= -rule.move) & ((r <= -rule.drop) | (z <= -rule.sigmas))
        return np.asarray(one_sided & large & (v > rule.volume))


def capitulation(
    counts: pd.DataFrame,
    volumes: pd.DataFrame,
    index_return: pd.Series,
    sigmas: pd.Series,
    volume_ratio: pd.Series,
    rule: Capitulation = CAPITULATION,
) -> pd.Series:
    """A capitulation day (:func:`capitulation_day`) on each session of ``counts``: advancers'
    share of advancers + decliners, up volume's share of up + down volume (``volumes``), the
    S&P 500's ``index_return`` and its move in ``sigmas``, and member volume against its
    20-session average (``volume_ratio``).

    Judged where the return, both shares and the volume ratio are known (the member history
    from its 21st session); NaN elsewhere.
    """
    for name in ("down_volume", "decliners"):
        _checks.fraction(name, getattr(rule, name))
    if min(rule.move, rule.drop, rule.sigmas, rule.volume) < 0:
        raise ValueError(f"capitulation thresholds must not be negative, got {rule!r}")
    index = counts.index
    a, d = _floats(counts["advancers"]), _floats(counts["decliners"])
    up = _floats(volumes["up_volume"].reindex(index))
    down = _floats(volumes["down_volume"].reindex(index))
    with np.errstate(invalid="ignore", divide="ignore"):
        adv = np.where(a + d > 0, a / np.where(a + d > 0, a + d, 1.0), np.nan)
        upv = np.where(up + down > 0, up / np.where(up + down > 0, up + down, 1.0), np.nan)
    r = _floats(index_return.reindex(index))
    z = _floats(sigmas.reindex(index))
    v = _floats(volume_ratio.reindex(index))
    defined = np.isfinite(r) & np.isfinite(adv) & np.isfinite(upv) & np.isfinite(v)
    fired = capitulation_day(r, z, adv, upv, v, rule)
    return _signal(fired, defined, index, "capitulation")


def threshold_move(returns: pd.Series, level: float) -> pd.Series:
    """A move beyond ``level``: return >= ``level`` for a positive level, <= for a negative one.

    NaN where the return is unknown."""
    if not np.isfinite(level) or level == 0:
        raise ValueError(f"level must be a non-zero finite number, got {level!r}")
    r = _floats(returns)
    with np.errstate(invalid="ignore"):
        fired = r >= level if level > 0 else r <= level
    return _signal(fired, np.isfinite(r), returns.index, f"move_{level:g}")


def record_runs(
    a: pd.Series, b: pd.Series, min_length: int = 5, lookback: int = 252
) -> tuple[pd.Series, pd.Series]:
    """Record outperformance runs between two 1D return series: (``a`` led, ``b`` led).

    A session fires when the run ending on it (:mod:`reporter.metrics.rotation`: consecutive
    sessions one return exceeded the other) is at least ``min_length`` sessions long and longer
    than every run of the same leader that ended within the ``lookback`` sessions before the
    run began. Judged where both returns are known, from ``lookback`` sessions after the first
    such session on (each judged run has that much history behind it); NaN elsewhere.
    """
    n_min = _checks.window("min_length", min_length)
    back = _checks.window("lookback", lookback)
    signed = rotation.run_lengths(a, b).to_numpy(dtype="int64")
    n = len(signed)
    both = np.isfinite(_floats(a)) & np.isfinite(_floats(b))
    defined = np.zeros(n, dtype=bool)
    known = np.flatnonzero(both)
    if len(known):
        defined[known[0] + back :] = True
    defined &= both
    length = np.abs(signed)
    start = np.arange(n) - length + 1  # first session of the run holding each session
    before = start - 1
    out = []
    for lead in (1, -1):
        mine = np.where(np.sign(signed) == lead, length, 0).astype("float64")
        # longest run of this leader ending in the ``back`` sessions up to each session: a run
        # ending there reaches its full length there, a run cut by the window is shorter
        best = pd.Series(mine).rolling(back, min_periods=1).max().to_numpy()
        prior = np.where(before >= 0, best[np.maximum(before, 0)], 0.0)
        fired = (np.sign(signed) == lead) & (length >= n_min) & (length > prior)
        out.append(_signal(fired, defined, a.index, "record_run"))
    return out[0], out[1]


def declustered(positions: np.ndarray, horizon: int) -> np.ndarray:
    """The occurrences that count once overlaps are removed: walking forward, one less than
    ``horizon`` sessions after the last counted one is skipped. ``positions`` ascending."""
    h = _checks.window("horizon", horizon)
    kept: list[int] = []
    last = None
    for p in positions.tolist():
        if last is None or p - last >= h:
            kept.append(p)
            last = p
    return np.asarray(kept, dtype="int64")


def forward_stats(
    fired: pd.Series,
    closes: pd.DataFrame,
    horizons: Sequence[int] = HORIZONS,
    small: int = SMALL_SAMPLE,
) -> dict[str, dict[str, ForwardStats]]:
    """Per column of ``closes`` and per horizon (keyed ``"5"``, ...): the column's returns that
    many sessions after each earlier session ``fired``.

    The signal and the closes share one index of sessions ending on the as-of date (the last
    row). Counted: sessions before the as-of date where the signal fired, de-clustered for the
    horizon (:func:`declustered`), whose forward window ends on or before the as-of date, and
    where the column has a close at both ends. ``small_sample`` when fewer than ``small``.
    """
    spans = [_checks.window("horizon", h) for h in horizons]
    k = _checks.window("small", small)
    if not fired.index.equals(closes.index):
        raise ValueError("the signal and the closes must share one index")
    flags = _floats(fired)
    last = len(flags) - 1
    earlier = np.flatnonzero(flags[:last] == 1.0) if last > 0 else np.zeros(0, dtype="int64")
    windows = {}
    for h in spans:
        counted = declustered(earlier, h)
        windows[h] = counted[counted + h <= last]
    days = closes.index
    out: dict[str, dict[str, ForwardStats]] = {}
    for column in closes.columns:
        c = closes[column].to_numpy(dtype="float64", na_value=np.nan)
        out[str(column)] = {}
        for h, counted in windows.items():
            starts, ends = c[counted], c[counted + h]
            ok = np.isfinite(starts) & np.isfinite(ends)
            at = counted[ok]
            returns = (ends[ok] / starts[ok] - 1).tolist()
            n = len(returns)
            out[str(column)][str(h)] = ForwardStats(
                n=n,
                median=float(statistics.median(returns)) if n else None,
                share_positive=sum(1 for r in returns if r > 0) / n if n else None,
                first=_date(days[at[0]]) if n else None,
                last=_date(days[at[-1]]) if n else None,
                small_sample=n < k,
            )
    return out


def _date(day: object) -> dt.date:
    return pd.Timestamp(day).date()  # type: ignore[arg-type]
