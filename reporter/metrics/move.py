"""The records that judge the day's move (issue 13): what happened next after days like it,
the quality of the move, who carried each sector, member baskets and the trend map.

Assembly only: the definitions live in ``analogs``, ``quality``, ``carry``, ``baskets`` and
``trend``; this module picks the rows they need and turns NaN into None.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from reporter.metrics import analogs as an
from reporter.metrics import baskets as bk
from reporter.metrics import carry as ca
from reporter.metrics import quality as qu
from reporter.metrics import trend as tr
from reporter.metrics.result import (
    Analogs,
    Basket,
    Baskets,
    IndexMove,
    MomentumBaskets,
    Mover,
    Quality,
    SectorCarry,
    Signal,
    TrendRow,
    VolatilityBaskets,
)
from reporter.metrics.returns import simple_return
from reporter.metrics.sectors import rank_best_first
from reporter.vocabulary import (
    CAPITULATION,
    LARGE_CAPS,
    SECTOR_ETFS,
    SMALL_CAPS,
    VIX,
    Capitulation,
)

#: The indices whose returns follow each signal: the S&P 500 and the Russell 2000.
FORWARD = (LARGE_CAPS, SMALL_CAPS)

# -- signal thresholds (documented in the schema's analogs description) --
RATIO = 4.0  # a 4:1 day
VOLUME_SHARE = 0.9  # a 90% up- or down-volume day (capitulation: vocabulary.Capitulation)
NEW_HIGHS_SHARE = 0.05  # new highs expanding: at least 5% of the members judged
NEW_HIGHS_MULTIPLE = 2.0  # ... and at least twice the new lows
RUN_MIN, RUN_LOOKBACK = 5, 252  # record run: >= 5 sessions, longest of its leader in a year
BIG_MOVE = 0.02  # S&P 500 1D beyond +-2%
VIX_SPIKE = 0.20  # VIX 1D return >= +20%

VOLUME_AVERAGES = (20, 50)
CAPITULATION_VOLUME_SESSIONS = 20  # capitulation: volume against its 20-session average
MOVE_SESSIONS = 20  # realized volatility window
DOLLAR_VOLUME_SESSIONS = 20
LARGEST, MOVERS = 10, 3
RSI_SESSIONS = 14
RSI_ROWS = 1000  # Wilder's smoothing over the last 1,000 sessions: the whole history's value
RS_SESSIONS, RS_RANK_BACK = 63, 21


def _num(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _day(value: pd.Timestamp | None) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


# --- what happened next ----------------------------------------------------------------------


def member_signals(
    counts: pd.DataFrame,
    volumes: pd.DataFrame,
    highs: pd.Series,
    lows: pd.Series,
    judged_highs: pd.Series,
    thrust: pd.Series,
    zweig: pd.Series,
    index_return: pd.Series,
    sigmas: pd.Series,
    volume: pd.DataFrame,
    rule: Capitulation = CAPITULATION,
) -> dict[str, pd.Series]:
    """The signals on member data, over the member history (``counts``' sessions).
    ``sigmas``: the S&P 500's 1D move in standard deviations (:func:`quality_record`'s);
    ``volume``: the members' daily volume, for the capitulation day's volume leg."""
    zweig_fired = thrust.astype("float64").where(zweig.notna())
    return {
        "advancing_4to1": an.ratio_day(counts, RATIO, advancing=True),
        "declining_4to1": an.ratio_day(counts, RATIO, advancing=False),
        "up_volume_90": an.volume_day(volumes, VOLUME_SHARE, up=True),
        "down_volume_90": an.volume_day(volumes, VOLUME_SHARE, up=False),
        "new_highs_expanding": an.new_highs_expanding(
            highs, lows, judged_highs, NEW_HIGHS_SHARE, NEW_HIGHS_MULTIPLE
        ),
        "zweig_thrust": zweig_fired,
        "capitulation": an.capitulation(
            counts, volumes, index_return, sigmas,
            qu.volume_ratio_series(volume, CAPITULATION_VOLUME_SESSIONS), rule,
        ),
    }


def index_signals(series_close: pd.DataFrame) -> dict[str, pd.Series]:
    """The signals on index data, over the indices' whole stored history."""
    daily = simple_return(series_close.reindex(columns=[LARGE_CAPS, SMALL_CAPS, VIX]), 1)
    small_run, large_run = an.record_runs(
        daily[SMALL_CAPS], daily[LARGE_CAPS], RUN_MIN, RUN_LOOKBACK
    )
    return {
        "small_caps_record_run": small_run,
        "large_caps_record_run": large_run,
        "sp500_up_2pct": an.threshold_move(daily[LARGE_CAPS], BIG_MOVE),
        "sp500_down_2pct": an.threshold_move(daily[LARGE_CAPS], -BIG_MOVE),
        "vix_spike": an.threshold_move(daily[VIX], VIX_SPIKE),
    }


def analogs_record(
    series_close: pd.DataFrame,
    members: Mapping[str, pd.Series],
    indices: Mapping[str, pd.Series],
) -> Analogs:
    """Every signal, whether it fired today, and the S&P 500 and Russell 2000 returns after its
    earlier occurrences (on the indices' whole history, whatever the signal's own history)."""
    index = series_close.index
    closes = series_close.reindex(columns=list(FORWARD))
    signals: dict[str, Signal] = {}
    for history, found in (("members", members), ("indices", indices)):
        if not found:
            continue
        # one alignment of every signal of the group onto the indices' sessions
        frame = pd.DataFrame(dict(found)).reindex(index)
        values = frame.to_numpy(dtype="float64", na_value=np.nan)
        for j, name in enumerate(frame.columns):
            column = values[:, j]
            earlier = np.flatnonzero(column[:-1] == 1.0)
            judged = np.flatnonzero(np.isfinite(column))
            today = column[-1] if len(column) else math.nan
            fired = pd.Series(column, index=index)
            signals[str(name)] = Signal(
                history=history,
                history_start=_day(index[judged[0]]) if len(judged) else None,
                fired_today=None if not math.isfinite(today) else bool(today == 1.0),
                occurrences=len(earlier),
                last_before=_day(index[earlier[-1]]) if len(earlier) else None,
                forward=an.forward_stats(fired, closes, an.HORIZONS),
            )
    return Analogs(
        horizons=an.HORIZONS,
        symbols=FORWARD,
        min_sample=an.SMALL_SAMPLE,
        fired_today=tuple(k for k, v in signals.items() if v.fired_today),
        signals=signals,
    )


# --- the quality of the move -----------------------------------------------------------------


def quality_record(
    volume: pd.DataFrame,
    close_today: pd.Series,
    day_range: pd.DataFrame | None,
    day_volumes: pd.DataFrame,
    series_close: pd.DataFrame,
    headline: Sequence[str],
) -> Quality:
    """The quality-of-move figures on the as-of session (members' ``volume``: recent rows)."""
    ratios = {n: qu.volume_ratio(volume, n) for n in VOLUME_AVERAGES}
    if day_range is not None and {"High", "Low"} <= set(day_range.columns):
        spots = qu.range_shares(close_today, day_range["High"], day_range["Low"])
    else:
        spots = qu.RangeShares(math.nan, math.nan, 0)
    up = an.volume_day(day_volumes.iloc[[-1]], VOLUME_SHARE, up=True).iloc[-1]
    down = an.volume_day(day_volumes.iloc[[-1]], VOLUME_SHARE, up=False).iloc[-1]
    moves = {}
    for sym in headline:
        if sym not in series_close:
            moves[sym] = IndexMove(None, None, None)
            continue
        recent = series_close[sym].iloc[-(MOVE_SESSIONS + 2) :]
        r, sigmas = qu.move_in_sigmas(recent, MOVE_SESSIONS)
        sd = qu.daily_volatility(recent, MOVE_SESSIONS, skip_last=True)
        moves[sym] = IndexMove(return_1d=_num(r), volatility_20d=_num(sd), sigmas=_num(sigmas))
    realized = (
        _num(qu.realized_volatility(series_close[LARGE_CAPS].iloc[-(MOVE_SESSIONS + 1) :]))
        if LARGE_CAPS in series_close
        else None
    )
    vix = _num(series_close[VIX].iloc[-1]) if VIX in series_close else None
    implied = None if vix is None else vix / 100
    return Quality(
        up_volume_day=None if math.isnan(up) else bool(up == 1.0),
        down_volume_day=None if math.isnan(down) else bool(down == 1.0),
        volume_vs_20d=_num(ratios[20].aggregate),
        volume_vs_50d=_num(ratios[50].aggregate),
        volume_median_ratio_20d=_num(ratios[20].median),
        volume_median_ratio_50d=_num(ratios[50].median),
        volume_base_20d=ratios[20].base,
        volume_base_50d=ratios[50].base,
        close_top_quarter=_num(spots.top),
        close_bottom_quarter=_num(spots.bottom),
        close_range_base=spots.base,
        index_moves=moves,
        realized_volatility_20d=realized,
        vix=vix,
        implied_minus_realized=_diff(implied, realized),
        implied_to_realized=None
        if implied is None or not realized
        else implied / realized,
    )


# --- who carried it --------------------------------------------------------------------------


def carry_records(
    closes: pd.DataFrame,
    volume: pd.DataFrame,
    sector_of: pd.Series,
    etf_return: Callable[[str], float | None],
) -> tuple[SectorCarry, ...]:
    """Per sector (``SECTOR_ETFS`` order): ETF against the median member, and the movers
    among its largest members. ``closes``/``volume``: the members' recent usable rows."""
    recent = closes.iloc[-(DOLLAR_VOLUME_SESSIONS + 1) :]
    size = ca.dollar_volume(recent, volume, DOLLAR_VOLUME_SESSIONS)
    last2 = closes.to_numpy(dtype="float64", na_value=np.nan)[-2:]
    r1 = pd.Series(
        last2[-1] / last2[0] - 1 if len(last2) == 2 else np.nan, index=closes.columns
    )
    labels = sector_of.reindex(closes.columns).to_numpy()
    rows = []
    for sector, etf in SECTOR_ETFS.items():
        mine = labels == sector
        returns, sizes = r1[mine], size[mine]  # the sector's members, in member-list order
        median, used = ca.median_return(returns)
        big = ca.largest(sizes, LARGEST)
        moved = big[ca.top_movers(returns.iloc[big], MOVERS)]
        etf_r = etf_return(etf)
        med = _num(median)
        rows.append(
            SectorCarry(
                sector=sector,
                etf=etf,
                etf_return_1d=etf_r,
                median_return_1d=med,
                gap=_diff(etf_r, med),
                members_used=used,
                largest_used=len(big),
                movers=tuple(
                    Mover(
                        symbol=str(returns.index[i]),
                        return_1d=_num(returns.iloc[i]),
                        dollar_volume_20d=_num(sizes.iloc[i]),
                    )
                    for i in moved
                ),
            )
        )
    return tuple(rows)


# --- member baskets --------------------------------------------------------------------------


def _month_base(index: pd.DatetimeIndex) -> int | None:
    """Position of the last session of the month before the last session's month."""
    months = index.to_period("M")
    before = np.flatnonzero(months < months[-1])
    return int(before[-1]) if len(before) else None


def baskets_record(closes: pd.DataFrame) -> Baskets:
    """Momentum and volatility baskets for the 1-day, 5-day and month-to-date windows, each
    formed on its window's base session (``baskets``' rebalance rule)."""
    c = closes
    last = len(c) - 1
    bases = {
        "1d": last - 1 if last >= 1 else None,
        "5d": last - 5 if last >= 5 else None,
        "mtd": _month_base(pd.DatetimeIndex(c.index)) if len(c) else None,
    }
    end = c.iloc[-1] if len(c) else pd.Series(dtype="float64")
    picks: dict[str, dict[str, tuple[float, int]]] = {
        k: {} for k in ("winners", "losers", "high", "low")
    }
    for window, base in bases.items():
        if base is None:
            for k in picks:
                picks[k][window] = (math.nan, 0)
            continue
        upto = c.iloc[: base + 1]
        start = upto.iloc[-1]
        winners, losers = bk.fifths(bk.momentum(upto.iloc[-(bk.LOOKBACK + 1) :]))
        wild, calm = bk.fifths(bk.volatility(upto.iloc[-(bk.VOLATILITY_SESSIONS + 1) :]))
        for key, at in (("winners", winners), ("losers", losers), ("high", wild), ("low", calm)):
            picks[key][window] = bk.held_return(start, end, at)

    def basket(key: str) -> Basket:
        p = picks[key]
        return Basket(
            return_1d=_num(p["1d"][0]),
            return_5d=_num(p["5d"][0]),
            return_mtd=_num(p["mtd"][0]),
            size_1d=p["1d"][1],
            size_5d=p["5d"][1],
            size_mtd=p["mtd"][1],
        )

    win, lose, high, low = (basket(k) for k in ("winners", "losers", "high", "low"))
    formed = {k: None if b is None else _day(c.index[b]) for k, b in bases.items()}
    return Baskets(
        formed_1d=formed["1d"],
        formed_5d=formed["5d"],
        formed_mtd=formed["mtd"],
        momentum=MomentumBaskets(
            winners=win,
            losers=lose,
            spread_1d=_diff(win.return_1d, lose.return_1d),
            spread_5d=_diff(win.return_5d, lose.return_5d),
            spread_mtd=_diff(win.return_mtd, lose.return_mtd),
        ),
        volatility=VolatilityBaskets(
            high=high,
            low=low,
            spread_1d=_diff(high.return_1d, low.return_1d),
            spread_5d=_diff(high.return_5d, low.return_5d),
            spread_mtd=_diff(high.return_mtd, low.return_mtd),
        ),
    )


# --- the trend map ---------------------------------------------------------------------------


def trend_records(
    series_close: pd.DataFrame, table: pd.DataFrame, indices: Sequence[str], etfs: Sequence[str]
) -> tuple[TrendRow, ...]:
    """Each headline index and sector ETF: distance from its 50- and 200-day averages, RSI(14)
    (:func:`trend.rsi` over the last ``RSI_ROWS`` sessions) and its 63-session relative strength
    against the S&P 500, ranked (the S&P 500 itself is not). ``table``: the return table."""
    kinds = {**{s: "index" for s in indices}, **{s: "sector" for s in etfs}}
    symbols = [s for s in kinds if s in series_close.columns and s in table.index]
    close = series_close[symbols]
    recent = series_close.iloc[-(RS_SESSIONS + RS_RANK_BACK + 1) :]
    bench = recent[LARGE_CAPS] if LARGE_CAPS in recent else pd.Series(np.nan, index=recent.index)
    rs = tr.relative_change(recent[symbols], bench, RS_SESSIONS)
    rs[[s for s in symbols if s == LARGE_CAPS]] = np.nan
    now = rs.iloc[-1] if len(rs) else pd.Series(np.nan, index=symbols)
    back = rs.iloc[-1 - RS_RANK_BACK] if len(rs) > RS_RANK_BACK else pd.Series(
        np.nan, index=symbols
    )
    rank_now, rank_back = rank_best_first(now), rank_best_first(back)
    rsi = tr.rsi(close.iloc[-RSI_ROWS:], RSI_SESSIONS).iloc[-1]
    rows = []
    for sym in kinds:
        if sym not in symbols:
            continue
        last, s50, s200 = (_num(table.at[sym, f]) for f in ("close", "sma_50", "sma_200"))
        rank, before = _int(rank_now[sym]), _int(rank_back[sym])
        rows.append(
            TrendRow(
                symbol=sym,
                kind=kinds[sym],
                close=last,
                sma_50=s50,
                sma_200=s200,
                vs_sma_50=None if last is None or not s50 else last / s50 - 1,
                vs_sma_200=None if last is None or not s200 else last / s200 - 1,
                rsi_14=_num(rsi[sym]),
                rs_change_63d=_num(now[sym]),
                rs_rank=rank,
                rs_rank_21d_ago=before,
                rs_rank_change_21d=None if rank is None or before is None else before - rank,
            )
        )
    ranked = sorted(
        range(len(rows)),
        key=lambda i: (rows[i].rs_rank is None, rows[i].rs_rank or 0, i),
    )
    return tuple(rows[i] for i in ranked)


def _int(value: object) -> int | None:
    number = _num(value)
    return None if number is None else round(number)
