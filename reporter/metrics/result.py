"""The metrics stage's output: typed, frozen records, and their JSON-ready form for report.json.

Missing figures are None (never NaN) so later stages need no NaN checks; dates are
``datetime.date``. :meth:`Metrics.to_dict` turns dates into ``YYYY-MM-DD`` strings.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class History:
    """The member window the breadth figures use, and where the long series history begins."""

    first_session: dt.date
    last_session: dt.date
    sessions: int
    series_start: dt.date | None  # first session of ^GSPC's stored history


@dataclass(frozen=True)
class Returns:
    """A series' close on the as-of session and its returns (fractions)."""

    close: float | None
    return_1d: float | None
    return_5d: float | None
    return_mtd: float | None
    return_prev_month: float | None
    return_ytd: float | None
    return_1y: float | None
    high_52w: float | None  # highest close of the last 252 sessions
    from_high_52w: float | None  # close / high_52w - 1
    sma_50: float | None
    sma_200: float | None
    close_prev: float | None  # close on the session before
    sma_200_prev: float | None  # the 200-session average on the session before


@dataclass(frozen=True)
class Volatility:
    symbol: str
    level: float | None
    change_1d: float | None  # in index points
    return_1d: float | None
    high_52w: float | None  # highest close of the last 252 sessions
    low_52w: float | None
    level_5d_ago: float | None
    sma_20: float | None  # 20-session average of the close, the as-of session included
    percentile_1y: float | None  # share of the last 252 closes (today's included) <= today's


@dataclass(frozen=True)
class Run:
    """The outperformance run ending on the as-of session (no run: leader None, length 0)."""

    leader: str | None
    length: int
    start: dt.date | None
    longest_since: dt.date | None  # end of the latest earlier run as long; None: longest in data
    history_start: dt.date | None  # first session where both series have a 1D return


@dataclass(frozen=True)
class LongestRun:
    leader: str
    length: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class MegaVsEqual:
    mega: str
    equal: str
    spread_1d: float | None
    spread_mtd: float | None
    spread_ytd: float | None
    run: Run


@dataclass(frozen=True)
class Valuation:
    small: str
    large: str
    small_pe: float
    large_pe: float
    discount: float  # small_pe / large_pe - 1
    date: dt.date


@dataclass(frozen=True)
class SizeRotation:
    small: str
    large: str
    spread_1d: float | None
    spread_5d: float | None
    spread_mtd: float | None
    spread_ytd: float | None
    spread_1y: float | None
    run: Run
    longest_run_ytd: LongestRun | None
    mega_vs_equal: MegaVsEqual
    valuation: Valuation | None


@dataclass(frozen=True)
class SectorRow:
    symbol: str
    sector: str | None
    return_1d: float | None
    return_5d: float | None
    return_mtd: float | None
    return_prev_month: float | None
    return_ytd: float | None
    rank_1d: int | None
    rank_mtd: int | None
    rank_ytd: int | None
    above_sma_50: bool | None  # close above its 50-session average
    sma_50_rising: bool | None  # the 50-session average above its value 10 sessions earlier
    from_high_52w: float | None  # close / highest close of the last 252 sessions - 1


@dataclass(frozen=True)
class SectorSummary:
    total: int  # sectors with a 1D return
    advancing: int
    declining: int
    unchanged: int
    dispersion_1d: float | None
    dispersion_mtd: float | None
    leaders: tuple[str, ...]  # 5 best by 1D, best first
    laggards: tuple[str, ...]  # 3 worst by 1D, worst last
    leaders_mtd: tuple[str, ...]
    laggards_mtd: tuple[str, ...]
    leader_mtd: str | None
    leader_prev_month: str | None
    leadership_changed: bool | None


@dataclass(frozen=True)
class Breadth:
    advancers: int
    decliners: int
    unchanged: int
    missing: int
    members_total: int
    ad_ratio: float | None
    net_advances: int
    ad_line: int
    ad_line_start: dt.date
    ad_line_change_5d: int | None
    pct_above_20d: float | None
    pct_above_50d: float | None
    pct_above_200d: float | None
    new_highs: int | None
    new_lows: int | None
    net_new_highs: int | None
    high_low_index: float | None
    mcclellan_oscillator: float | None
    mcclellan_oscillator_ratio_adjusted: float | None
    summation_index: float | None
    summation_index_ratio_adjusted: float | None
    up_volume: float | None
    down_volume: float | None
    up_volume_share: float | None
    trin: float | None
    zweig_thrust_last: dt.date | None
    zweig_ema: float | None
    # context for "expanding / narrowing" statements
    advancers_prev: int | None
    decliners_prev: int | None
    net_advances_prev: int | None
    advancers_5d_avg: float | None
    decliners_5d_avg: float | None
    pct_above_50d_prev: float | None
    pct_above_50d_5d_ago: float | None
    pct_above_200d_prev: float | None
    pct_above_200d_5d_ago: float | None
    new_highs_prev: int | None
    new_lows_prev: int | None
    high_low_index_prev: float | None
    mcclellan_oscillator_prev: float | None
    summation_index_prev: float | None
    summation_index_5d_ago: float | None
    trin_prev: float | None  # the Arms index of the previous session
    # the members each share above an average is taken over (a close on each of its sessions)
    pct_above_20d_base: int
    pct_above_50d_base: int
    pct_above_200d_base: int


@dataclass(frozen=True)
class SectorBreadth:
    sector: str
    etf: str
    members: int
    advancers: int
    decliners: int
    unchanged: int
    missing: int
    pct_above_50d: float | None
    pct_above_200d: float | None
    new_highs: int | None
    new_lows: int | None
    pct_above_50d_5d_ago: float | None
    pct_above_50d_change_5d: float | None  # today's share minus the share 5 sessions earlier
    return_1d: float | None  # of the sector's ETF
    return_5d: float | None
    pct_above_50d_base: int  # members with a close on each of the 50 sessions
    pct_above_200d_base: int


@dataclass(frozen=True)
class Cross:
    kind: str  # "golden" | "death"
    date: dt.date


@dataclass(frozen=True)
class Watch:
    close: float | None
    sma_20: float | None
    sma_50: float | None
    sma_200: float | None
    return_n: float | None
    n: int
    last_cross: Cross | None
    high_52w: float | None
    from_high_52w: float | None
    sma_20_10d_ago: float | None
    sma_50_10d_ago: float | None
    sma_200_10d_ago: float | None
    return_5d: float | None


@dataclass(frozen=True)
class Milestone:
    symbol: str
    level: float | None  # the round level; the close itself for an all-time high
    kind: str  # "round_level" | "all_time_high"
    date: dt.date


@dataclass(frozen=True)
class Coverage:
    members_total: int
    members_used: int  # members compared on the as-of session (advancing, declining or flat)
    members_missing: tuple[str, ...]
    sessions: int
    first_session: dt.date


@dataclass(frozen=True)
class Context:
    """How rare a figure's value on the as-of session is in its series' whole history.

    ``direction`` is "high" when the value is above the history's median, else "low";
    ``since`` is the latest earlier session at least as extreme that way (None: the most extreme
    since ``history_start``); ``percentile`` the share of sessions (today's included) with a
    value <= today's. Too little history (or no value today): every field but ``value`` None.
    """

    value: float | None
    since: dt.date | None
    percentile: float | None
    history_start: dt.date | None
    direction: str | None  # "high" | "low"


@dataclass(frozen=True)
class Streak:
    """Consecutive sessions before the as-of date that moved the same way (sign of 1D return)."""

    direction: str | None  # "up" | "down"; None when the session before moved neither way
    length: int
    compound_return: float | None = field(metadata={"key": "return"})


@dataclass(frozen=True)
class WeekBreadth:
    """Breadth counts summed over the sessions of the as-of date's calendar week so far."""

    advancers_sum: int
    decliners_sum: int
    new_highs_sum: int | None  # None when a session of the week has no new-high count
    new_lows_sum: int | None
    net_advances_sum: int


@dataclass(frozen=True)
class Week:
    """The five sessions before the report and the calendar week so far."""

    sessions: tuple[dt.date, ...]  # the 6 sessions ending on the as-of date (fewer in short data)
    returns: dict[str, tuple[float | None, ...]]  # 1D returns on sessions[1:], oldest first
    streak_before: dict[str, Streak]
    is_week_end: bool  # the as-of date is the last NYSE session of its calendar week
    is_year_end: bool  # ... and of its calendar year (the year-to-date returns are the year's)
    week_start: dt.date  # first session of the as-of date's calendar week
    week_return: dict[str, float | None]  # since the previous week's last close
    week_breadth: WeekBreadth


# --- issue 13: what happened next, the quality of the move, who carried it, baskets, trend ---


@dataclass(frozen=True)
class ForwardStats:
    """An index's returns ``horizon`` sessions after the earlier occurrences of a signal."""

    n: int  # occurrences counted (de-clustered, forward window ending by the as-of date)
    median: float | None
    share_positive: float | None  # share of the counted returns above 0
    first: dt.date | None  # first and last counted occurrence
    last: dt.date | None
    small_sample: bool  # n below the analogs' min_sample


@dataclass(frozen=True)
class Signal:
    """One signal: whether it fired on the as-of session, and what followed it before."""

    history: str  # "indices" (index series, from their first stored session) | "members"
    history_start: dt.date | None  # first session the signal could be judged
    fired_today: bool | None  # None: it cannot be judged on the as-of session
    occurrences: int  # earlier sessions it fired on, before de-clustering
    last_before: dt.date | None  # the latest of them
    forward: dict[str, dict[str, ForwardStats]]  # index symbol -> horizon ("5") -> stats


@dataclass(frozen=True)
class Analogs:
    horizons: tuple[int, ...]
    symbols: tuple[str, ...]
    min_sample: int
    fired_today: tuple[str, ...]  # ids of the signals that fired on the as-of session
    signals: dict[str, Signal]


@dataclass(frozen=True)
class IndexMove:
    return_1d: float | None
    volatility_20d: float | None  # std (n - 1) of the 20 daily returns before the as-of session
    sigmas: float | None  # return_1d / volatility_20d


@dataclass(frozen=True)
class Quality:
    up_volume_day: bool | None  # up volume >= 90% of up + down volume
    down_volume_day: bool | None
    volume_vs_20d: float | None  # total member volume / average daily total of 20 sessions before
    volume_vs_50d: float | None
    volume_median_ratio_20d: float | None  # the median member's volume / its own average
    volume_median_ratio_50d: float | None
    volume_base_20d: int
    volume_base_50d: int
    close_top_quarter: float | None  # share of members closing in the top quarter of the range
    close_bottom_quarter: float | None
    close_range_base: int
    index_moves: dict[str, IndexMove]
    realized_volatility_20d: float | None  # ^GSPC, annualized
    vix: float | None
    implied_minus_realized: float | None  # VIX / 100 - realized_volatility_20d
    implied_to_realized: float | None  # (VIX / 100) / realized_volatility_20d


@dataclass(frozen=True)
class Mover:
    symbol: str
    return_1d: float | None
    dollar_volume_20d: float | None  # average close x volume of the 20 sessions before


@dataclass(frozen=True)
class SectorCarry:
    sector: str
    etf: str
    etf_return_1d: float | None
    median_return_1d: float | None  # the median member's 1D return
    gap: float | None  # etf_return_1d - median_return_1d
    members_used: int  # members with a 1D return
    largest_used: int  # members among the largest by dollar volume (at most 10)
    movers: tuple[Mover, ...]  # up to 3 of the largest, by absolute 1D return


@dataclass(frozen=True)
class Basket:
    return_1d: float | None
    return_5d: float | None
    return_mtd: float | None
    size_1d: int  # members held over the window (with a close at both ends)
    size_5d: int
    size_mtd: int


@dataclass(frozen=True)
class MomentumBaskets:
    winners: Basket
    losers: Basket
    spread_1d: float | None  # winners - losers
    spread_5d: float | None
    spread_mtd: float | None


@dataclass(frozen=True)
class VolatilityBaskets:
    high: Basket
    low: Basket
    spread_1d: float | None  # high - low
    spread_5d: float | None
    spread_mtd: float | None


@dataclass(frozen=True)
class Baskets:
    formed_1d: dt.date | None  # the base session of each window: baskets formed at its close
    formed_5d: dt.date | None
    formed_mtd: dt.date | None
    momentum: MomentumBaskets
    volatility: VolatilityBaskets


@dataclass(frozen=True)
class TrendRow:
    symbol: str
    kind: str  # "index" | "sector"
    close: float | None
    sma_50: float | None
    sma_200: float | None
    vs_sma_50: float | None  # close / sma_50 - 1
    vs_sma_200: float | None
    rsi_14: float | None
    rs_change_63d: float | None  # ratio to ^GSPC now / 63 sessions before - 1
    rs_rank: int | None  # 1 = strongest rs_change_63d among the rows
    rs_rank_21d_ago: int | None
    rs_rank_change_21d: int | None  # rs_rank_21d_ago - rs_rank: positive = climbed


@dataclass(frozen=True, eq=False)
class ChartSeries:
    """Pandas objects for the charts, over the last 252 sessions (fewer if the data is shorter).

    Shares are fractions; columns are yfinance symbols where a column is a series.
    """

    index_rebased: pd.DataFrame  # headline indices (not ^VIX), 100 at the window's first close
    relative_strength: pd.Series  # ^RUT / ^GSPC, 100 at the window's start
    breadth_counts: pd.DataFrame  # advancers, decliners, unchanged, missing
    ad_line: pd.Series
    pct_above: pd.DataFrame  # pct_above_50d, pct_above_200d
    new_highs_lows: pd.DataFrame  # new_highs, new_lows, net_new_highs, high_low_index
    net_new_highs: pd.Series
    mcclellan: pd.DataFrame  # oscillator, summation
    sector_pct_above_50d: pd.DataFrame  # sessions x sector ETF
    watchlist: dict[str, pd.DataFrame]  # per symbol: close, sma_20, sma_50, sma_200


@dataclass(frozen=True)
class Metrics:
    as_of: dt.date
    history: History
    indices: dict[str, Returns]
    returns: dict[str, Returns]
    volatility: Volatility
    size_rotation: SizeRotation
    sectors: tuple[SectorRow, ...]  # by 1D return, best first, missing last
    sector_summary: SectorSummary
    breadth: Breadth
    breadth_by_sector: tuple[SectorBreadth, ...]  # in SECTOR_ETFS order
    watchlist: dict[str, Watch]
    milestones: tuple[Milestone, ...]
    coverage: Coverage
    context: dict[str, Context]  # keyed by the figure's path in report.json
    week: Week
    analogs: Analogs
    quality: Quality
    sector_carry: tuple[SectorCarry, ...]  # in SECTOR_ETFS order
    baskets: Baskets
    trend: tuple[TrendRow, ...]  # by rs_rank, best first; unranked last
    series: ChartSeries = field(repr=False, compare=False, metadata={"json": False})

    def to_dict(self) -> dict[str, Any]:
        """The metrics part of report.json: only JSON types, NaN as None, dates as strings."""
        out = _plain(self)
        assert isinstance(out, dict)
        return out


def _plain(value: Any) -> Any:
    kind: type = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if hasattr(kind, "__dataclass_fields__") and not isinstance(value, type):
        return {key: _plain(getattr(value, name)) for name, key in _json_fields(kind)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} into report.json")


@functools.cache
def _json_fields(kind: type) -> tuple[tuple[str, str], ...]:
    """(attribute, JSON key) of a record's fields that go into report.json, in order."""
    return tuple(
        (f.name, f.metadata.get("key", f.name))
        for f in fields(kind)
        if f.metadata.get("json", True)
    )
