"""Every figure of the report from one price panel: the metrics stage's entry point.

Pure: reads the panel, never changes it, does no I/O. The heavy lifting is vectorised over the
wide member frame; per-symbol Python work is limited to the few dozen non-member series.

Two histories: the member window (``panel.close``) for breadth, and the non-member series over
their whole stored history (``panel.history_close`` when the panel carries it) for returns,
runs, milestones, the week and the context of the headline figures. Figures that look back a
fixed number of sessions are computed on a recent slice of the long history: the same values,
without the cost of decades of rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from reporter import calendar
from reporter.config import MetricsConfig, UniverseConfig
from reporter.errors import DataError
from reporter.metrics import breadth as br
from reporter.metrics import milestones as ms
from reporter.metrics import move, rotation, sectors
from reporter.metrics import quality as qu
from reporter.metrics import watchlist as wl
from reporter.metrics import week as wk
from reporter.metrics.context import context_of, percentile_in_window
from reporter.metrics.result import (
    Analogs,
    Breadth,
    ChartSeries,
    Context,
    Coverage,
    Cross,
    History,
    LongestRun,
    MegaVsEqual,
    Metrics,
    Milestone,
    Returns,
    Run,
    SectorBreadth,
    SectorRow,
    SectorSummary,
    SizeRotation,
    Valuation,
    Volatility,
    Watch,
    Week,
    WeekBreadth,
)
from reporter.metrics.returns import (
    period_to_date_return,
    previous_period_return,
    rebase,
    simple_return,
)
from reporter.metrics.rolling import rolling_high, rolling_low, sma
from reporter.model import Panel
from reporter.vocabulary import (
    CAPITULATION,
    EQUAL_WEIGHT_ETF,
    HEADLINE_INDICES,
    LARGE_CAP_ETF,
    LARGE_CAPS,
    MEGA_CAP_ETF,
    SECTOR_ETFS,
    SMALL_CAP_ETF,
    SMALL_CAPS,
    VIX,
    Capitulation,
)

CHART_SESSIONS = 252  # chart window
YEAR_SESSIONS = 252  # 1Y return, 52-week windows
HIGH_LOW_LOOKBACK = 252  # new highs/lows: the as-of close against the previous 252
HIGH_LOW_SMOOTHING = 10
WATCH_AVERAGES = (20, 50, 200)
LEADERS, LAGGARDS = 5, 3
TREND_SESSIONS = 10  # "rising average": against its value this many sessions earlier
WEEK_SESSIONS = 5  # the sessions before the report that the week looks at
VIX_AVERAGE = 20

RETURN_FIELDS = (
    "close",
    "return_1d",
    "return_5d",
    "return_mtd",
    "return_prev_month",
    "return_ytd",
    "return_1y",
    "high_52w",
    "from_high_52w",
    "sma_50",
    "sma_200",
    "close_prev",
    "sma_200_prev",
)


# --- small converters: NaN -> None, numpy -> Python ---------------------------------------


def _num(value: object) -> float | None:
    if value is None:
        return None
    # float() of a pandas cell: a numpy or Python number (anything else raises, as it should)
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _int(value: object) -> int | None:
    number = _num(value)
    return None if number is None else round(number)


def _day(value: object) -> dt.date | None:
    """A session label as a date; None for none (None or NaT)."""
    return None if value is None or value is pd.NaT else calendar.session_label(value).date()


def _back(series: pd.Series, sessions: int) -> object:
    """The value ``sessions`` rows before the last one, or None when the data is shorter."""
    return series.iloc[-1 - sessions] if len(series) > sessions else None


def _back_row(frame: pd.DataFrame, sessions: int) -> pd.Series | None:
    """The row ``sessions`` rows before the last one, or None when the data is shorter."""
    return frame.iloc[-1 - sessions] if len(frame) > sessions else None


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


# --- returns of the non-member series -------------------------------------------------------


def _recent(close: pd.DataFrame) -> pd.DataFrame:
    """The rows from 1 January two years before the last session's year: every figure of the
    return table (previous month, previous year, 252 and 200 sessions back) lies within them,
    so they give the same values as the whole history."""
    if len(close) == 0:
        return close
    first = pd.Timestamp(year=close.index[-1].year - 2, month=1, day=1)
    return close.loc[first:]


def _return_table(close: pd.DataFrame) -> pd.DataFrame:
    """One row per symbol: close, returns and trend figures on the last session (NaN where
    unknown). Pass :func:`_recent` rows: the values are those of the whole history."""
    sma_50 = sma(close, 50)
    high = rolling_high(close, YEAR_SESSIONS)
    columns = {
        "close": close,
        "return_1d": simple_return(close, 1),
        "return_5d": simple_return(close, 5),
        "return_mtd": period_to_date_return(close, "M"),
        "return_prev_month": previous_period_return(close, "M"),
        "return_ytd": period_to_date_return(close, "Y"),
        "return_1y": simple_return(close, YEAR_SESSIONS),
        "high_52w": high,
        "from_high_52w": close / high - 1,
        "sma_50": sma_50,
        "sma_200": sma(close, 200),
    }
    table = pd.DataFrame({name: frame.iloc[-1] for name, frame in columns.items()})
    # the session before: whether a level held ("still above") or was reached today
    for name, frame in (("close_prev", close), ("sma_200_prev", columns["sma_200"])):
        before = _back_row(frame, 1)
        table[name] = np.nan if before is None else before
    earlier = _back_row(sma_50, TREND_SESSIONS)
    table["sma_50_earlier"] = np.nan if earlier is None else earlier
    return table


def _returns_records(table: pd.DataFrame) -> dict[str, Returns]:
    rows = table.to_dict("index")
    return {
        str(symbol): Returns(**{f: _num(row[f]) for f in RETURN_FIELDS})
        for symbol, row in rows.items()
    }


# --- size rotation ---------------------------------------------------------------------------


def _run(a: pd.Series, b: pd.Series, a_name: str, b_name: str) -> Run:
    """The current run over the whole history of both return series."""
    both = np.flatnonzero(a.notna().to_numpy() & b.notna().to_numpy())
    start = _day(a.index[both[0]]) if len(both) else None
    current = rotation.current_run(a, b)
    if current is None:
        return Run(leader=None, length=0, start=None, longest_since=None, history_start=start)
    return Run(
        leader=a_name if current.sign > 0 else b_name,
        length=current.length,
        start=_day(a.index[current.start]),
        longest_since=_day(rotation.longest_since(a, b)),
        history_start=start,
    )


def _longest_ytd(a: pd.Series, b: pd.Series, a_name: str, b_name: str) -> LongestRun | None:
    year = a.index[-1].year
    in_year = pd.DatetimeIndex(a.index).year == year
    best = rotation.longest_run(a[in_year], b[in_year])
    if best is None:
        return None
    days = a.index[in_year]
    return LongestRun(
        leader=a_name if best.sign > 0 else b_name,
        length=best.length,
        start=pd.Timestamp(days[best.start]).date(),
        end=pd.Timestamp(days[best.end]).date(),
    )


def _valuation(valuations: pd.DataFrame | None, as_of: pd.Timestamp) -> Valuation | None:
    """Latest P/E pair of the small- and large-cap ETFs on one date on or before the as-of."""
    if valuations is None or len(valuations) == 0:
        return None
    frame = pd.DataFrame(
        {
            "Date": pd.to_datetime(valuations["Date"]).dt.normalize(),
            "Symbol": valuations["Symbol"].astype(str),
            "PE": pd.to_numeric(valuations["TrailingPE"], errors="coerce"),
        }
    )
    frame = frame[
        (frame["Date"] <= as_of)
        & frame["Symbol"].isin([SMALL_CAP_ETF, LARGE_CAP_ETF])
        & np.isfinite(frame["PE"])
        & (frame["PE"] > 0)
    ]
    wide = frame.drop_duplicates(["Date", "Symbol"], keep="last").pivot(
        index="Date", columns="Symbol", values="PE"
    )
    if SMALL_CAP_ETF not in wide or LARGE_CAP_ETF not in wide:
        return None
    both = wide[[SMALL_CAP_ETF, LARGE_CAP_ETF]].dropna().sort_index()
    if both.empty:
        return None
    small_pe, large_pe = (float(v) for v in both.iloc[-1])
    return Valuation(
        small=SMALL_CAP_ETF,
        large=LARGE_CAP_ETF,
        small_pe=small_pe,
        large_pe=large_pe,
        discount=small_pe / large_pe - 1,
        date=pd.Timestamp(both.index[-1]).date(),
    )


def _size_rotation(
    table: pd.DataFrame, daily: pd.DataFrame, valuations: pd.DataFrame | None
) -> SizeRotation:
    def spread(a: str, b: str, field: str) -> float | None:
        return _diff(_num(table.at[a, field]), _num(table.at[b, field]))

    small, large, mega, equal = SMALL_CAPS, LARGE_CAPS, MEGA_CAP_ETF, EQUAL_WEIGHT_ETF
    return SizeRotation(
        small=small,
        large=large,
        spread_1d=spread(small, large, "return_1d"),
        spread_5d=spread(small, large, "return_5d"),
        spread_mtd=spread(small, large, "return_mtd"),
        spread_ytd=spread(small, large, "return_ytd"),
        spread_1y=spread(small, large, "return_1y"),
        run=_run(daily[small], daily[large], small, large),
        longest_run_ytd=_longest_ytd(daily[small], daily[large], small, large),
        mega_vs_equal=MegaVsEqual(
            mega=mega,
            equal=equal,
            spread_1d=spread(mega, equal, "return_1d"),
            spread_mtd=spread(mega, equal, "return_mtd"),
            spread_ytd=spread(mega, equal, "return_ytd"),
            run=_run(daily[mega], daily[equal], mega, equal),
        ),
        valuation=_valuation(valuations, daily.index[-1]),
    )


# --- sectors ---------------------------------------------------------------------------------


def _above(a: float | None, b: float | None) -> bool | None:
    return None if a is None or b is None else a > b


def _sectors(
    table: pd.DataFrame, etfs: Sequence[str]
) -> tuple[tuple[SectorRow, ...], SectorSummary]:
    names = {etf: sector for sector, etf in SECTOR_ETFS.items()}
    t = table.loc[list(etfs)]
    r1, mtd, prev = t["return_1d"], t["return_mtd"], t["return_prev_month"]
    rank = {c: sectors.rank_best_first(t[c]) for c in ("return_1d", "return_mtd", "return_ytd")}
    rows = tuple(
        SectorRow(
            symbol=sym,
            sector=names.get(sym),
            return_1d=_num(t.at[sym, "return_1d"]),
            return_5d=_num(t.at[sym, "return_5d"]),
            return_mtd=_num(t.at[sym, "return_mtd"]),
            return_prev_month=_num(t.at[sym, "return_prev_month"]),
            return_ytd=_num(t.at[sym, "return_ytd"]),
            rank_1d=_int(rank["return_1d"][sym]),
            rank_mtd=_int(rank["return_mtd"][sym]),
            rank_ytd=_int(rank["return_ytd"][sym]),
            above_sma_50=_above(_num(t.at[sym, "close"]), _num(t.at[sym, "sma_50"])),
            sma_50_rising=_above(_num(t.at[sym, "sma_50"]), _num(t.at[sym, "sma_50_earlier"])),
            from_high_52w=_num(t.at[sym, "from_high_52w"]),
        )
        for sym in sectors.order_best_first(r1)
    )
    leader_mtd = next(iter(sectors.top(mtd, 1)), None)
    leader_prev = next(iter(sectors.top(prev, 1)), None)
    changed = None if leader_mtd is None or leader_prev is None else leader_mtd != leader_prev
    known = r1.dropna()
    summary = SectorSummary(
        total=len(known),
        advancing=int((known > 0).sum()),
        declining=int((known < 0).sum()),
        unchanged=int((known == 0).sum()),
        dispersion_1d=_num(sectors.dispersion(r1)),
        dispersion_mtd=_num(sectors.dispersion(mtd)),
        leaders=tuple(sectors.top(r1, LEADERS)),
        laggards=tuple(sectors.bottom(r1, LAGGARDS)),
        leaders_mtd=tuple(sectors.top(mtd, LEADERS)),
        laggards_mtd=tuple(sectors.bottom(mtd, LAGGARDS)),
        leader_mtd=leader_mtd,
        leader_prev_month=leader_prev,
        leadership_changed=changed,
    )
    return rows, summary


# --- breadth ---------------------------------------------------------------------------------


def _tail(frame: pd.DataFrame, warmup: int) -> pd.DataFrame:
    """The rows a windowed figure needs for the chart window: exact, and far cheaper."""
    return frame.iloc[-(CHART_SESSIONS + warmup) :]


class _Breadth:
    """Every breadth series, computed once over the member frame.

    The shares above the averages and the new highs and lows cover the whole window (not only
    the chart's), since the context of today's figures needs their history.
    """

    def __init__(self, panel: Panel, members: list[str]) -> None:
        index = panel.close.index
        close = panel.close.reindex(columns=members)
        self.volume = panel.volume.reindex(index=index, columns=members)
        self.closes = br.usable_closes(close, self.volume)
        self.sign = br.change_sign(self.closes)
        self.counts = br.advance_decline(self.sign)
        self.net = br.net_advances(self.counts)
        self.ad_line = br.ad_line(self.counts)
        self.mcclellan = br.mcclellan(self.net)
        self.mcclellan_ra = br.mcclellan(br.ratio_adjusted_net(self.counts))
        # up and down volume over the whole window: the 90% days are signals with a history
        self.day_volumes = br.volume_by_direction(self.sign, self.volume)
        self.volumes = self.day_volumes.iloc[-2:]
        self.trin = br.arms_index(self.counts.iloc[-2:], self.volumes)
        # the A/D line runs from the first session of the stored member history, whatever
        # earlier sessions the window holds (they have no member data, so the line is 0 there)
        held = close.notna().to_numpy().any(axis=1)
        self.ad_start = pd.Timestamp(index[int(held.argmax()) if held.any() else 0])
        self.zweig = br.zweig_ema(self.counts)
        self.thrust = br.zweig_thrust(self.zweig)
        self.above20 = br.above_average(self.closes.iloc[-20:], 20)
        self.above50 = br.above_average(self.closes, 50)
        self.above200 = br.above_average(self.closes, 200)
        self.highs = br.new_highs(self.closes, HIGH_LOW_LOOKBACK)
        self.lows = br.new_lows(self.closes, HIGH_LOW_LOOKBACK)
        self.pct50 = br.share(self.above50)
        self.pct200 = br.share(self.above200)
        self.high_count = br.count(self.highs)
        self.low_count = br.count(self.lows)
        # the chart window and its warm-up only: a rolling sum started earlier would differ
        # in the last digits from the figure reported so far
        recent = CHART_SESSIONS + HIGH_LOW_SMOOTHING
        self.hl_index = br.high_low_index(
            self.high_count.iloc[-recent:], self.low_count.iloc[-recent:], HIGH_LOW_SMOOTHING
        )

    def record(self) -> Breadth:
        c = self.counts
        last = c.iloc[-1]
        adv, dec = int(last["advancers"]), int(last["decliners"])
        judged = (c["advancers"] + c["decliners"] + c["unchanged"]) > 0
        last5 = c.iloc[-5:]
        full5 = len(last5) == 5 and bool(judged.iloc[-5:].all())
        up = _num(self.volumes["up_volume"].iloc[-1])
        down = _num(self.volumes["down_volume"].iloc[-1])
        highs, lows = _int(self.high_count.iloc[-1]), _int(self.low_count.iloc[-1])
        fired = self.thrust[self.thrust]
        line_5d = _back(self.ad_line, 5)
        return Breadth(
            advancers=adv,
            decliners=dec,
            unchanged=int(last["unchanged"]),
            missing=int(last["missing"]),
            members_total=self.closes.shape[1],
            ad_ratio=adv / dec if dec else None,
            net_advances=adv - dec,
            ad_line=int(self.ad_line.iloc[-1]),
            ad_line_start=self.ad_start.date(),
            ad_line_change_5d=None if line_5d is None else int(self.ad_line.iloc[-1] - line_5d),
            pct_above_20d=_num(br.share(self.above20).iloc[-1]),
            pct_above_50d=_num(self.pct50.iloc[-1]),
            pct_above_200d=_num(self.pct200.iloc[-1]),
            new_highs=highs,
            new_lows=lows,
            net_new_highs=None if highs is None or lows is None else highs - lows,
            high_low_index=_num(self.hl_index.iloc[-1]),
            mcclellan_oscillator=_num(self.mcclellan["oscillator"].iloc[-1]),
            mcclellan_oscillator_ratio_adjusted=_num(self.mcclellan_ra["oscillator"].iloc[-1]),
            summation_index=_num(self.mcclellan["summation"].iloc[-1]),
            summation_index_ratio_adjusted=_num(self.mcclellan_ra["summation"].iloc[-1]),
            up_volume=up,
            down_volume=down,
            up_volume_share=None
            if up is None or down is None or up + down == 0
            else up / (up + down),
            trin=_num(self.trin.iloc[-1]),
            zweig_thrust_last=_day(fired.index[-1]) if len(fired) else None,
            zweig_ema=_num(self.zweig.iloc[-1]),
            advancers_prev=_int(_back(c["advancers"].where(judged), 1)),
            decliners_prev=_int(_back(c["decliners"].where(judged), 1)),
            net_advances_prev=_int(_back(self.net, 1)),
            advancers_5d_avg=float(last5["advancers"].mean()) if full5 else None,
            decliners_5d_avg=float(last5["decliners"].mean()) if full5 else None,
            pct_above_50d_prev=_num(_back(self.pct50, 1)),
            pct_above_50d_5d_ago=_num(_back(self.pct50, 5)),
            pct_above_200d_prev=_num(_back(self.pct200, 1)),
            pct_above_200d_5d_ago=_num(_back(self.pct200, 5)),
            new_highs_prev=_int(_back(self.high_count, 1)),
            new_lows_prev=_int(_back(self.low_count, 1)),
            high_low_index_prev=_num(_back(self.hl_index, 1)),
            mcclellan_oscillator_prev=_num(_back(self.mcclellan["oscillator"], 1)),
            summation_index_prev=_num(_back(self.mcclellan["summation"], 1)),
            summation_index_5d_ago=_num(_back(self.mcclellan["summation"], WEEK_SESSIONS)),
            trin_prev=_num(_back(self.trin, 1)),
            pct_above_20d_base=br.judged(self.above20.iloc[[-1]]),
            pct_above_50d_base=br.judged(self.above50.iloc[[-1]]),
            pct_above_200d_base=br.judged(self.above200.iloc[[-1]]),
        )

    def sector_pct50(self, sector_of: pd.Series) -> pd.DataFrame:
        """Share above the 50-day average per sector (GICS names) over the chart window."""
        return br.share_by_group(_tail(self.above50, 0), sector_of, list(SECTOR_ETFS))

    def by_sector(
        self, sector_of: pd.Series, pct50_history: pd.DataFrame, table: pd.DataFrame
    ) -> tuple[SectorBreadth, ...]:
        order = list(SECTOR_ETFS)
        sign = self.sign.iloc[[-1]]
        adv = br.count_by_group(sign, sector_of, order, 1).iloc[0]
        dec = br.count_by_group(sign, sector_of, order, -1).iloc[0]
        unch = br.count_by_group(sign, sector_of, order, 0).iloc[0]
        pct50 = pct50_history.iloc[-1]
        earlier = _back_row(pct50_history, WEEK_SESSIONS)
        pct50_before = pd.Series(np.nan, index=order) if earlier is None else earlier
        pct200 = br.share_by_group(self.above200.iloc[[-1]], sector_of, order).iloc[0]
        base50 = br.judged_by_group(self.above50.iloc[[-1]], sector_of, order).iloc[0]
        base200 = br.judged_by_group(self.above200.iloc[[-1]], sector_of, order).iloc[0]
        highs = self._count_by_group(self.highs, sector_of, order)
        lows = self._count_by_group(self.lows, sector_of, order)
        size = sector_of.reindex(self.closes.columns).value_counts()
        rows = []
        for sector in order:
            n = int(size.get(sector, 0))
            etf = SECTOR_ETFS[sector]
            now, before = _num(pct50[sector]), _num(pct50_before[sector])
            rows.append(
                SectorBreadth(
                    sector=sector,
                    etf=etf,
                    members=n,
                    advancers=int(adv[sector]),
                    decliners=int(dec[sector]),
                    unchanged=int(unch[sector]),
                    missing=n - int(adv[sector] + dec[sector] + unch[sector]),
                    pct_above_50d=_num(pct50[sector]),
                    pct_above_200d=_num(pct200[sector]),
                    new_highs=_int(highs[sector]),
                    new_lows=_int(lows[sector]),
                    pct_above_50d_5d_ago=before,
                    pct_above_50d_change_5d=_diff(now, before),
                    return_1d=_num(table.at[etf, "return_1d"]) if etf in table.index else None,
                    return_5d=_num(table.at[etf, "return_5d"]) if etf in table.index else None,
                    pct_above_50d_base=int(base50[sector]),
                    pct_above_200d_base=int(base200[sector]),
                )
            )
        return tuple(rows)

    @staticmethod
    def _count_by_group(flags: pd.DataFrame, groups: pd.Series, order: list[str]) -> pd.Series:
        """Members flagged on the last session per group; NaN where none could be judged."""
        last = flags.iloc[[-1]]
        hits = br.count_by_group(last, groups, order, 1).iloc[0].astype("float64")
        judged = br.share_by_group(last, groups, order).iloc[0]
        return hits.where(judged.notna())

    def coverage(self, panel: Panel) -> Coverage:
        last = self.sign.iloc[-1]
        missing = tuple(sorted(str(s) for s in last.index[last.isna()]))
        return Coverage(
            members_total=self.closes.shape[1],
            members_used=self.closes.shape[1] - len(missing),
            members_missing=missing,
            sessions=len(panel.close.index),
            first_session=pd.Timestamp(panel.close.index[0]).date(),
        )


# --- watch list and milestones ---------------------------------------------------------------


def _watch(close: pd.Series, n: int) -> tuple[Watch, pd.DataFrame]:
    """The watch-list figures over the symbol's whole history (crosses: the latest in it)."""
    avgs = {f"sma_{w}": sma(close, w) for w in WATCH_AVERAGES}
    cross = wl.last_cross(avgs["sma_50"], avgs["sma_200"])
    high = _num(rolling_high(close, YEAR_SESSIONS).iloc[-1])
    last = _num(close.iloc[-1])
    record = Watch(
        close=last,
        sma_20=_num(avgs["sma_20"].iloc[-1]),
        sma_50=_num(avgs["sma_50"].iloc[-1]),
        sma_200=_num(avgs["sma_200"].iloc[-1]),
        return_n=_num(simple_return(close, n).iloc[-1]),
        n=n,
        last_cross=None if cross is None else Cross(kind=cross[0], date=cross[1].date()),
        high_52w=high,
        from_high_52w=None if high is None or last is None else last / high - 1,
        sma_20_10d_ago=_num(_back(avgs["sma_20"], TREND_SESSIONS)),
        sma_50_10d_ago=_num(_back(avgs["sma_50"], TREND_SESSIONS)),
        sma_200_10d_ago=_num(_back(avgs["sma_200"], TREND_SESSIONS)),
        return_5d=_num(simple_return(close, 5).iloc[-1]),
    )
    frame = pd.DataFrame({"close": close, **avgs}).iloc[-CHART_SESSIONS:]
    return record, frame


def _milestones(
    series_close: pd.DataFrame, close: pd.DataFrame, steps: dict[str, float], as_of: dt.date
) -> tuple[Milestone, ...]:
    """Milestones over each series' whole history (a member's: over the window)."""
    found: list[Milestone] = []
    for symbol, step in steps.items():
        if symbol in series_close.columns:
            series = series_close[symbol]
        elif symbol in close.columns:
            series = close[symbol]
        else:
            continue
        level = _num(ms.round_level_crossings(series, step).iloc[-1])
        if level is not None:
            found.append(Milestone(symbol, level, "round_level", as_of))
        if bool(ms.all_time_highs(series).iloc[-1]):
            found.append(Milestone(symbol, _num(series.iloc[-1]), "all_time_high", as_of))
    return tuple(found)


def _volatility(close: pd.DataFrame, table: pd.DataFrame) -> Volatility:
    if VIX not in close.columns:
        return Volatility(VIX, None, None, None, None, None, None, None, None)
    vix = close[VIX]
    level = _num(vix.iloc[-1])
    recent = vix.iloc[-(YEAR_SESSIONS + VIX_AVERAGE) :]
    return Volatility(
        symbol=VIX,
        level=level,
        change_1d=_diff(level, _num(_back(vix, 1))),
        return_1d=_num(table.at[VIX, "return_1d"]),
        high_52w=_num(rolling_high(recent, YEAR_SESSIONS).iloc[-1]),
        low_52w=_num(rolling_low(recent, YEAR_SESSIONS).iloc[-1]),
        level_5d_ago=_num(_back(vix, WEEK_SESSIONS)),
        sma_20=_num(sma(recent, VIX_AVERAGE).iloc[-1]),
        percentile_1y=_num(percentile_in_window(vix, YEAR_SESSIONS)),
    )


# --- the week and the context of the headline figures ------------------------------------


def _next_session(day: pd.Timestamp) -> pd.Timestamp:
    """The NYSE session after ``day``; past the calendar's range, the next weekday."""
    after = calendar.sessions(day + pd.Timedelta(days=1), day + pd.Timedelta(days=14))
    return after[0] if len(after) else day + pd.offsets.BDay(1)


def _week(series_close: pd.DataFrame, headline: list[str], b: _Breadth) -> Week:
    as_of = series_close.index[-1]
    following = _next_session(as_of)
    days = series_close.index[-(WEEK_SESSIONS + 1) :]
    start = wk.week_start(series_close.index)
    daily = simple_return(series_close[headline].iloc[-(WEEK_SESSIONS + 1) :], 1).iloc[1:]
    counts = b.counts.loc[start:]
    highs, lows = b.high_count.loc[start:], b.low_count.loc[start:]
    adv, dec = int(counts["advancers"].sum()), int(counts["decliners"].sum())
    return Week(
        sessions=tuple(pd.Timestamp(d).date() for d in days),
        returns={s: tuple(_num(v) for v in daily[s]) for s in headline},
        streak_before={s: wk.streak_before(series_close[s]) for s in headline},
        is_week_end=wk.is_week_end(as_of, following),
        is_year_end=wk.is_year_end(as_of, following),
        week_start=start.date(),
        week_return={s: _num(wk.week_return(series_close[s])) for s in headline},
        week_breadth=WeekBreadth(
            advancers_sum=adv,
            decliners_sum=dec,
            new_highs_sum=None if highs.isna().any() else int(highs.sum()),
            new_lows_sum=None if lows.isna().any() else int(lows.sum()),
            net_advances_sum=adv - dec,
        ),
    )


#: The headline indices whose 1D return gets context; the first two also their 5D return.
CONTEXT_INDICES = HEADLINE_INDICES


def _context(
    series_close: pd.DataFrame, b: _Breadth, etfs: Sequence[str], as_of: pd.Timestamp
) -> dict[str, Context]:
    """The context of each headline figure, keyed by its path in report.json.

    Non-member series use their whole history; breadth figures the member window, from the
    first session each is defined. Every path is present (its fields null without data).
    """
    daily = simple_return(
        series_close.reindex(columns=list(dict.fromkeys([*CONTEXT_INDICES, *etfs]))), 1
    )
    weekly = simple_return(series_close[[LARGE_CAPS, SMALL_CAPS]], 5)
    vix = series_close[VIX]
    histories: dict[str, pd.Series] = {
        **{f"indices.{s}.return_1d": daily[s] for s in CONTEXT_INDICES},
        **{f"indices.{s}.return_5d": weekly[s] for s in (LARGE_CAPS, SMALL_CAPS)},
        "volatility.level": vix,
        "volatility.change_1d": vix - vix.shift(1),
        "size_rotation.spread_1d": daily[SMALL_CAPS] - daily[LARGE_CAPS],
        "breadth.net_advances": b.net,
        "breadth.new_highs": b.high_count,
        "breadth.new_lows": b.low_count,
        "breadth.pct_above_50d": b.pct50,
        "breadth.pct_above_200d": b.pct200,
        **{f"sectors.{s}.return_1d": daily[s] for s in etfs},
    }
    return {path: context_of(series, as_of) for path, series in histories.items()}


def _analogs(series_close: pd.DataFrame, b: _Breadth, rule: Capitulation) -> Analogs:
    """The signals of the member history and of the indices' whole history, and what the
    S&P 500 and the Russell 2000 did after their earlier occurrences."""
    judged = pd.Series(
        (~np.isnan(b.highs.to_numpy(dtype="float64", na_value=np.nan))).sum(axis=1),
        index=b.highs.index,
    )
    index_return = simple_return(series_close[LARGE_CAPS].reindex(b.counts.index), 1)
    # on the index's whole history, as quality.index_moves reads the as-of session
    sigmas = qu.move_in_sigmas_series(series_close[LARGE_CAPS], move.MOVE_SESSIONS)
    members = move.member_signals(
        b.counts, b.day_volumes, b.high_count, b.low_count, judged, b.thrust, b.zweig,
        index_return, sigmas, b.volume, rule,
    )
    return move.analogs_record(series_close, members, move.index_signals(series_close))


# --- entry point -----------------------------------------------------------------------------


def _non_members(panel: Panel, universe: UniverseConfig, members: set[str]) -> list[str]:
    """Configured series first, then any other non-member column of the panel."""
    listed = list(universe.series)
    extra = [str(c) for c in panel.close.columns if c not in members and c not in listed]
    return listed + extra


def _check_sessions(index: pd.Index, what: str = "the price panel") -> None:
    if len(index) == 0:
        raise DataError(f"{what} holds no sessions")
    values = pd.DatetimeIndex(index)
    bad = np.flatnonzero(values[1:] <= values[:-1])
    if len(bad):
        day = values[bad[0] + 1].date()
        raise DataError(f"{what}'s sessions are not ascending and unique at {day}")


def _series_close(panel: Panel, columns: list[str]) -> pd.DataFrame:
    """The non-member series' closes over their whole history, ending on the as-of session.

    From ``panel.history_close`` where the panel carries it; a column it lacks, or sessions
    before its start, come from the panel's window.
    """
    window = panel.close.reindex(columns=columns)
    long = panel.history_close
    if long is None:
        return window
    _check_sessions(long.index, "the series history")
    if long.index[-1] != panel.close.index[-1]:
        raise DataError(
            f"the series history ends on {long.index[-1].date()}, "
            f"not on the as-of session {panel.close.index[-1].date()}"
        )
    out = long.reindex(columns=columns)
    lacking = [c for c in columns if c not in long.columns]
    if long.index[0] > window.index[0]:
        out = out.combine_first(window)
    elif lacking:
        out[lacking] = window[lacking].reindex(out.index)
    return out


def _chart_series(
    b: _Breadth,
    series_close: pd.DataFrame,
    headline: list[str],
    sector_pct50: pd.DataFrame,
    watch_frames: dict[str, pd.DataFrame],
) -> ChartSeries:
    window = b.counts.index[-CHART_SESSIONS:]
    sector_pct = sector_pct50.copy()
    sector_pct.columns = list(SECTOR_ETFS.values())
    net_new = (b.high_count - b.low_count).rename("net_new_highs")
    highs_lows = pd.DataFrame(
        {
            "new_highs": b.high_count,
            "new_lows": b.low_count,
            "net_new_highs": net_new,
            "high_low_index": b.hl_index,
        }
    )
    pct = pd.DataFrame({"pct_above_50d": b.pct50, "pct_above_200d": b.pct200})
    # the index lines and the size ratio span a year of returns: 252 sessions of moves need
    # 253 closes, so a line's end label is the 1-year return the tables show
    year = b.counts.index[-(CHART_SESSIONS + 1):]
    recent = series_close.reindex(year)
    strength = recent[SMALL_CAPS] / recent[LARGE_CAPS]
    return ChartSeries(
        index_rebased=rebase(recent[headline]),
        relative_strength=rebase(strength).rename(f"{SMALL_CAPS}/{LARGE_CAPS}"),
        breadth_counts=b.counts.loc[window],
        ad_line=b.ad_line.loc[window],
        pct_above=pct.reindex(window),
        new_highs_lows=highs_lows.reindex(window),
        net_new_highs=net_new.reindex(window),
        mcclellan=b.mcclellan.loc[window],
        sector_pct_above_50d=sector_pct.reindex(window),
        watchlist=watch_frames,
    )


def compute(
    panel: Panel,
    universe: UniverseConfig,
    cfg: MetricsConfig,
    capitulation: Capitulation = CAPITULATION,
) -> Metrics:
    """Every figure of the report for the panel's last session (the as-of date).
    ``capitulation``: the definition of a capitulation day (the story's, from ``[insights]``)."""
    close = panel.close
    _check_sessions(close.index)
    as_of = pd.Timestamp(close.index[-1]).date()
    members = [str(s) for s in panel.members.index]
    symbols = _non_members(panel, universe, set(members))
    # the fixed comparisons need their columns even when the configuration leaves them out
    pairs = [SMALL_CAPS, LARGE_CAPS, MEGA_CAP_ETF, EQUAL_WEIGHT_ETF]
    fixed = [s for s in (*pairs, VIX) if s not in symbols]
    series_close = _series_close(panel, symbols + fixed)
    table = _return_table(_recent(series_close))
    sector_rows, sector_summary = _sectors(table, universe.sectors)
    b = _Breadth(panel, members)
    if "sector" in panel.members:
        # plain objects: pandas 3's string arrays are slow to take apart member by member
        sector_of = panel.members["sector"].astype(str).astype(object)
    else:
        sector_of = pd.Series(dtype=str)
    watch: dict[str, Watch] = {}
    watch_frames: dict[str, pd.DataFrame] = {}
    for symbol in universe.watchlist:
        watch[symbol], watch_frames[symbol] = _watch(
            series_close[symbol], cfg.watch_return_sessions
        )
    headline = [s for s in universe.indices if s != VIX]
    sector_pct50 = b.sector_pct50(sector_of)
    records = _returns_records(table)
    return Metrics(
        as_of=as_of,
        history=History(
            first_session=pd.Timestamp(close.index[0]).date(),
            last_session=as_of,
            sessions=len(close.index),
            series_start=_day(series_close[LARGE_CAPS].first_valid_index()),
        ),
        indices={s: records[s] for s in universe.indices},
        returns={s: records[s] for s in symbols},
        volatility=_volatility(series_close, table),
        size_rotation=_size_rotation(
            table, simple_return(series_close[pairs], 1), panel.valuations
        ),
        sectors=sector_rows,
        sector_summary=sector_summary,
        breadth=b.record(),
        breadth_by_sector=b.by_sector(sector_of, sector_pct50, table),
        watchlist=watch,
        milestones=_milestones(series_close, close, cfg.milestone_steps, as_of),
        coverage=b.coverage(panel),
        context=_context(series_close, b, universe.sectors, close.index[-1]),
        week=_week(series_close, headline, b),
        analogs=_analogs(series_close, b, capitulation),
        quality=move.quality_record(
            b.volume.iloc[-(max(move.VOLUME_AVERAGES) + 1) :],
            b.closes.iloc[-1],
            panel.day_range,
            b.day_volumes,
            series_close,
            headline,
        ),
        sector_carry=move.carry_records(
            b.closes.iloc[-(move.DOLLAR_VOLUME_SESSIONS + 1) :],
            b.volume,
            sector_of,
            lambda etf: _num(table.at[etf, "return_1d"]) if etf in table.index else None,
        ),
        baskets=move.baskets_record(b.closes),
        trend=move.trend_records(series_close, table, headline, universe.sectors),
        series=_chart_series(b, series_close, headline, sector_pct50, watch_frames),
    )
