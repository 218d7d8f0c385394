"""One crafted input per finding id on which its rule fires, and one just beside it on which it
does not. Each case tweaks the quiet baseline (``inputs.baseline``) in place; thresholds are
the defaults of the configuration schema (``InsightsConfig`` in ``reporter/config.py``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from reporter.insights.rules.specs import STORIES
from tests.support.insight_inputs import put

STORY_IDS = tuple(STORIES)

Tweak = Callable[[dict[str, Any]], None]


def _ranks(report: dict[str, Any], field: str, rank: str) -> None:
    rows = [r for r in report["sectors"] if r[field] is not None]
    for n, row in enumerate(sorted(rows, key=lambda r: -r[field]), start=1):
        row[rank] = n


def sectors_1d(report: dict[str, Any], values: dict[str, float]) -> None:
    """Set 1D sector returns, keep the list ordered best first and the 1D ranks right."""
    for row in report["sectors"]:
        if row["symbol"] in values:
            row["return_1d"] = values[row["symbol"]]
    report["sectors"].sort(key=lambda r: -r["return_1d"])
    _ranks(report, "return_1d", "rank_1d")


def sectors_mtd(report: dict[str, Any], values: dict[str, float]) -> None:
    for row in report["sectors"]:
        if row["symbol"] in values:
            row["return_mtd"] = values[row["symbol"]]
    _ranks(report, "return_mtd", "rank_mtd")


def sector(report: dict[str, Any], symbol: str) -> dict[str, Any]:
    return next(r for r in report["sectors"] if r["symbol"] == symbol)


def paths(items: dict[str, Any]) -> Tweak:
    """Set each path to (a fresh copy of) its value."""

    def tweak(report: dict[str, Any]) -> None:
        for path, value in items.items():
            put(report, path, copy.deepcopy(value))

    return tweak


def nothing(report: dict[str, Any]) -> None:
    return None


def _leadership(rank_of_previous: int) -> Tweak:
    def tweak(report: dict[str, Any]) -> None:
        summary = report["sector_summary"]
        summary.update(leader_mtd="XLE", leader_prev_month="XLK", leadership_changed=True)
        sector(report, "XLE")["rank_mtd"] = 1
        sector(report, "XLE")["return_mtd"] = 0.05
        sector(report, "XLK")["rank_mtd"] = rank_of_previous

    return tweak


def _leadership_at_a_loss(with_mtd: bool) -> Tweak:
    """A new month-to-date leader (XLE) at -0.5% with every sector down, last month's (XLK)
    now last; without XLK's month-to-date figure when not ``with_mtd``."""

    def tweak(report: dict[str, Any]) -> None:
        _leadership(11)(report)
        values = {row["symbol"]: -0.01 - 0.002 * n for n, row in enumerate(report["sectors"])}
        sectors_mtd(report, values | {"XLE": -0.005, "XLK": -0.08})
        if not with_mtd:
            sector(report, "XLK")["return_mtd"] = None

    return tweak


def _cross(kind: str, day: str) -> Tweak:
    return paths({"watchlist.NVDA.last_cross": {"kind": kind, "date": day}})


def _run(leader: str, length: int, since: str | None = "2025-01-10") -> Tweak:
    """A run of ``length`` sessions led by ``leader``, which leads today by 0.2 points."""
    return paths(
        {
            "size_rotation.spread_1d": 0.002 if leader == "^RUT" else -0.002,
            "size_rotation.run": {
                "leader": leader,
                "length": length,
                "start": "2025-06-06",
                "longest_since": since,
            }
        }
    )


def _valuation(small_pe: float, large_pe: float) -> Tweak:
    return paths(
        {
            "size_rotation.valuation": {
                "small": "IWM",
                "large": "SPY",
                "small_pe": small_pe,
                "large_pe": large_pe,
                "discount": small_pe / large_pe - 1,
                "date": "2025-06-11",
            }
        }
    )


def _milestone(kind: str, level: float) -> Tweak:
    return paths(
        {
            "milestones": [{"symbol": "^GSPC", "level": level, "kind": kind, "date": "2025-06-12"}],
            "indices.^GSPC.close": 6012.5,
            "indices.^GSPC.return_1d": 0.004,
        }
    )


def _sectors(values: dict[str, float]) -> Tweak:
    return lambda report: sectors_1d(report, values)


def _mtd(values: dict[str, float]) -> Tweak:
    return lambda report: sectors_mtd(report, values)


SPX = "indices.^GSPC"
VIX_DOWN = {"volatility.change_1d": -0.2, "volatility.return_1d": -0.0116}
#: NVDA's averages ten sessions ago: below today's (rising) / above (falling).
RISING = {f"watchlist.NVDA.sma_{n}_10d_ago": v
          for n, v in ((20, 130.0), (50, 128.0), (200, 120.0))}
FALLING = {f"watchlist.NVDA.sma_{n}_10d_ago": v
           for n, v in ((20, 140.0), (50, 150.0), (200, 135.0))}


def _bbs(*rows: tuple[str, float, float]) -> Tweak:
    """Breadth by sector: (ETF, share above the 50-day average, its five-session change)."""

    def tweak(report: dict[str, Any]) -> None:
        report["breadth_by_sector"] = [
            {"etf": etf, "pct_above_50d": share, "pct_above_50d_change_5d": change}
            for etf, share, change in rows
        ]

    return tweak


def _trend(symbol: str, above: bool, rising: bool) -> Tweak:
    """A sector ETF against its 50-day average."""

    def tweak(report: dict[str, Any]) -> None:
        row = sector(report, symbol)
        row["above_sma_50"], row["sma_50_rising"] = above, rising

    return tweak


def _all(*tweaks: Tweak) -> Tweak:
    def tweak(report: dict[str, Any]) -> None:
        for t in tweaks:
            t(report)

    return tweak


def _averages(sma_50: float, sma_200: float) -> Tweak:
    """The S&P 500 (close 6,000) against its averages."""
    return paths({f"{SPX}.sma_50": sma_50, f"{SPX}.sma_200": sma_200})


def _day(r: float, adv: int, dec: int, **more: Any) -> Tweak:
    """The S&P 500's day and the members' count, for the stories."""
    return paths({f"{SPX}.return_1d": r, "breadth.advancers": adv, "breadth.decliners": dec,
                  "breadth.net_advances": adv - dec,
                  **{k.replace("__", "."): v for k, v in more.items()}})


#: A capitulation's size and volume: 2 standard deviations down on 1.2 times the average volume.
CAPITULATION = {"quality__volume_vs_20d": 1.2, "quality__index_moves__^GSPC__sigmas": -2.0}


_WEEK = {
    "sessions": ["2025-06-04", "2025-06-05", "2025-06-06", "2025-06-09", "2025-06-10",
                 "2025-06-12"],
    "returns": {"^GSPC": [0.002, -0.004, 0.01, 0.0, 0.001]},
    "week_start": "2025-06-09",
    "week_return": {"^GSPC": 0.004, "^RUT": -0.002, "^IXIC": 0.006, "^DJI": 0.001},
    "week_breadth": {"advancers_sum": 1100, "decliners_sum": 900, "new_highs_sum": 40,
                     "new_lows_sum": 22, "net_advances_sum": 200},
}


def _week(is_week_end: bool, streak: dict[str, Any] | None = None) -> Tweak:
    def tweak(report: dict[str, Any]) -> None:
        report["week"] = {**copy.deepcopy(_WEEK), "is_week_end": is_week_end,
                          "streak_before": {"^GSPC": streak or {"direction": "up", "length": 1,
                                                                "return": 0.001}}}

    return tweak



# --- what happened next, the quality of the move, who carried it, baskets (issue 13) ----------


def _analogs(sid: str, n_spx: int, n_rut: int, median_spx: float = 0.017,
             median_rut: float = -0.013, history: str = "members") -> Tweak:
    """``sid`` fired today; its earlier occurrences counted at every horizon."""

    def stats(n: int, median: float, share: float) -> dict[str, Any]:
        return {"n": n, "median": median, "share_positive": share, "first": "2021-03-01",
                "last": "2025-03-14", "small_sample": n < 10}

    def tweak(report: dict[str, Any]) -> None:
        forward = {
            "^GSPC": {h: stats(n_spx, median_spx, 0.81) for h in ("5", "21", "63")},
            "^RUT": {h: stats(n_rut, median_rut, 0.381) for h in ("5", "21", "63")},
        }
        report["analogs"] = {
            "horizons": [5, 21, 63], "symbols": ["^GSPC", "^RUT"], "min_sample": 10,
            "fired_today": [sid],
            "signals": {sid: {"history": history, "history_start": "2021-03-01",
                              "fired_today": True, "occurrences": 49,
                              "last_before": "2025-03-14", "forward": forward}},
        }

    return tweak


def _quality(**figures: Any) -> Tweak:
    """A quality record where nothing stands out, with ``figures`` changed."""

    def tweak(report: dict[str, Any]) -> None:
        report["quality"] = {
            "up_volume_day": False, "down_volume_day": False, "volume_vs_20d": 1.0,
            "volume_vs_50d": 1.0, "volume_median_ratio_20d": 1.0,
            "volume_median_ratio_50d": 1.0, "volume_base_20d": 500, "volume_base_50d": 500,
            "close_top_quarter": 0.3, "close_bottom_quarter": 0.3, "close_range_base": 500,
            "index_moves": {"^GSPC": {"return_1d": 0.001, "volatility_20d": 0.01,
                                      "sigmas": 0.1}},
            "realized_volatility_20d": 0.15, "vix": 18.0, "implied_minus_realized": 0.03,
            "implied_to_realized": 1.2, **figures,
        }

    return tweak


def _move(r: float, sigmas: float) -> Tweak:
    return _quality(index_moves={"^GSPC": {"return_1d": r, "volatility_20d": 0.01,
                                           "sigmas": sigmas}})


def _vix_realized(vix: float, realized: float) -> Tweak:
    return _quality(vix=vix, realized_volatility_20d=realized,
                    implied_minus_realized=vix / 100 - realized,
                    implied_to_realized=vix / 100 / realized)


def _carry(etf_r: float, median: float) -> Tweak:
    def tweak(report: dict[str, Any]) -> None:
        report["sector_carry"] = [{
            "sector": "Information Technology", "etf": "XLK", "etf_return_1d": etf_r,
            "median_return_1d": median, "gap": etf_r - median, "members_used": 68,
            "largest_used": 10,
            "movers": [{"symbol": "NVDA", "return_1d": 0.041, "dollar_volume_20d": 3.0e10},
                       {"symbol": "AAPL", "return_1d": 0.005, "dollar_volume_20d": 2.0e10}],
        }]

    return tweak


def _baskets(winners: float, losers: float, high_low: float = 0.012) -> Tweak:
    def tweak(report: dict[str, Any]) -> None:
        def basket(r: float) -> dict[str, Any]:
            return {"return_1d": r, "return_5d": r, "return_mtd": r, "size_1d": 100,
                    "size_5d": 100, "size_mtd": 100}

        report["baskets"] = {
            "formed_1d": "2025-06-11", "formed_5d": "2025-06-04", "formed_mtd": "2025-05-30",
            "momentum": {"winners": basket(winners), "losers": basket(losers),
                         "spread_1d": winners - losers, "spread_5d": winners - losers,
                         "spread_mtd": winners - losers},
            "volatility": {"high": basket(0.01 + high_low), "low": basket(0.01),
                           "spread_1d": high_low, "spread_5d": high_low, "spread_mtd": high_low},
        }

    return tweak


UP_DAY = _day(0.012, 400, 100, breadth__up_volume_share=0.8)
DOWN_DAY = _day(-0.012, 100, 400, breadth__up_volume_share=0.2)

RELIEF = {"direction": "down", "length": 3, "return": -0.03}

#: id -> (fires, does not fire). The key-point ids are judged on the candidates, the others on
#: derive()'s output.
CASES: dict[str, tuple[Tweak, Tweak]] = {
    # key data points
    "kp_index_up": (nothing, paths({f"{SPX}.return_1d": -0.001})),
    "kp_index_down": (paths({f"{SPX}.return_1d": -0.012}), nothing),
    "kp_index_flat": (paths({f"{SPX}.return_1d": 0.0}), nothing),
    "kp_all_time_high": (_milestone("all_time_high", 6012.5), nothing),
    "kp_round_level": (_milestone("round_level", 6000.0), _milestone("all_time_high", 6012.5)),
    "kp_advancers_lead": (nothing, paths({"breadth.advancers": 200, "breadth.decliners": 300})),
    "kp_decliners_lead": (paths({"breadth.advancers": 200, "breadth.decliners": 300}), nothing),
    "kp_ad_even": (paths({"breadth.advancers": 250, "breadth.decliners": 250}), nothing),
    "kp_pct_above": (nothing, paths({"breadth.pct_above_50d": None})),
    "kp_net_new_highs": (nothing, paths({"breadth.new_highs": 5})),
    "kp_net_new_lows": (paths({"breadth.new_highs": 5}), nothing),
    # a spread must show at least 0.1 percentage points to be a key point
    "kp_small_lead": (nothing, paths({"size_rotation.spread_1d": 0.0009})),
    "kp_large_lead": (paths({"size_rotation.spread_1d": -0.002}), nothing),
    "kp_vix_up": (nothing, paths(VIX_DOWN)),
    "kp_vix_down": (paths(VIX_DOWN), nothing),
    "kp_vix_flat": (paths({"volatility.change_1d": 0.0, "volatility.return_1d": 0.0}), nothing),
    "kp_sector_range": (nothing, paths({"sectors": []})),
    "kp_watch_up": (
        paths({"returns.NVDA.return_1d": 0.03}),
        paths({"returns.NVDA.return_1d": 0.029}),
    ),
    "kp_watch_down": (
        paths({"returns.NVDA.return_1d": -0.03}),
        paths({"returns.NVDA.return_1d": -0.029}),
    ),
    # size rotation, concentration, valuation
    "size_run_small": (_run("^RUT", 4), _run("^RUT", 3)),
    "size_run_large": (_run("^GSPC", 4), _run("^GSPC", 3)),
    "size_gap_ytd_small": (
        paths({"size_rotation.spread_ytd": 0.04, "indices.^RUT.return_ytd": 0.07}),
        paths({"size_rotation.spread_ytd": 0.039, "indices.^RUT.return_ytd": 0.069}),
    ),
    "size_gap_ytd_large": (
        paths({"size_rotation.spread_ytd": -0.04, "indices.^RUT.return_ytd": -0.01}),
        paths({"size_rotation.spread_ytd": -0.039, "indices.^RUT.return_ytd": -0.009}),
    ),
    "concentration": (
        paths({"size_rotation.mega_vs_equal.spread_mtd": 0.02}),
        paths({"size_rotation.mega_vs_equal.spread_mtd": 0.0199}),
    ),
    "broadening": (
        paths({"size_rotation.mega_vs_equal.spread_mtd": -0.02}),
        paths({"size_rotation.mega_vs_equal.spread_mtd": -0.0199}),
    ),
    "valuation_discount": (_valuation(17.0, 25.0), _valuation(21.5, 25.0)),
    # sectors
    "sector_lead_defensive": (
        _sectors({"XLU": 0.02, "XLP": 0.015}),
        _sectors({"XLU": 0.02}),
    ),
    "sector_lead_rate_sensitive": (
        _sectors({"XLRE": 0.02, "XLU": 0.015}),
        _sectors({"XLRE": 0.02}),
    ),
    "sector_lead_cyclical": (
        _sectors({"XLE": 0.02, "XLI": 0.015}),
        _sectors({"XLE": 0.02, "XLF": -0.01}),
    ),
    "sector_lead_growth": (
        _sectors({"XLC": 0.02}),
        _sectors({"XLC": 0.02, "XLK": -0.01}),
    ),
    "sector_leadership_change": (_leadership(9), _leadership(8)),
    "sector_laggard": (_mtd({"XLE": -0.01}), _mtd({"XLE": -0.003})),
    "sector_dispersion_high": (
        paths({"sector_summary.dispersion_1d": 0.015}),
        paths({"sector_summary.dispersion_1d": 0.0149}),
    ),
    "sector_sweep_up": (
        paths({"sector_summary.advancing": 10, "sector_summary.declining": 1}),
        paths({"sector_summary.advancing": 9, "sector_summary.declining": 2}),
    ),
    "sector_sweep_down": (
        paths({"sector_summary.advancing": 1, "sector_summary.declining": 10}),
        paths({"sector_summary.advancing": 2, "sector_summary.declining": 9}),
    ),
    # index context
    "mtd_up": (paths({f"{SPX}.return_mtd": 0.03}), paths({f"{SPX}.return_mtd": 0.0299})),
    "mtd_down": (paths({f"{SPX}.return_mtd": -0.03}), paths({f"{SPX}.return_mtd": -0.0299})),
    # breadth
    "new_highs_expand": (
        paths({"breadth.new_highs": 25, "breadth.new_lows": 12}),
        paths({"breadth.new_highs": 25, "breadth.new_lows": 13}),
    ),
    "new_lows_expand": (
        paths({"breadth.new_highs": 3, "breadth.new_lows": 25}),
        paths({"breadth.new_highs": 3, "breadth.new_lows": 24}),
    ),
    "breadth_confirm_up": (
        paths({"breadth.pct_above_50d": 0.61, "breadth.pct_above_50d_5d_ago": 0.55}),
        paths({"breadth.pct_above_50d": 0.59, "breadth.pct_above_50d_5d_ago": 0.55}),
    ),
    "breadth_confirm_down": (
        paths({"breadth.pct_above_50d": 0.49, "breadth.pct_above_50d_5d_ago": 0.55}),
        paths({"breadth.pct_above_50d": 0.51, "breadth.pct_above_50d_5d_ago": 0.55}),
    ),
    "breadth_narrowing": (
        paths({"breadth.pct_above_50d": 0.49, "breadth.pct_above_50d_5d_ago": 0.55,
               f"{SPX}.return_5d": 0.01}),
        paths({"breadth.pct_above_50d": 0.49, "breadth.pct_above_50d_5d_ago": 0.55,
               f"{SPX}.return_5d": 0.009}),
    ),
    "breadth_expanding": (
        paths({"breadth.pct_above_50d": 0.61, "breadth.pct_above_50d_5d_ago": 0.55,
               f"{SPX}.return_5d": -0.01}),
        paths({"breadth.pct_above_50d": 0.61, "breadth.pct_above_50d_5d_ago": 0.55,
               f"{SPX}.return_5d": -0.009}),
    ),
    "breadth_divergence_narrow": (_day(0.003, 220, 280), _day(0.003, 230, 270)),
    "breadth_divergence_broad": (_day(-0.003, 280, 220), _day(-0.003, 270, 230)),
    "breadth_momentum_negative": (
        paths({f"{SPX}.return_5d": 0.01, "breadth.mcclellan_oscillator_ratio_adjusted": -5.0}),
        paths({f"{SPX}.return_5d": 0.01, "breadth.mcclellan_oscillator_ratio_adjusted": 5.0}),
    ),
    "breadth_momentum_positive": (
        paths({f"{SPX}.return_5d": -0.01, "breadth.mcclellan_oscillator_ratio_adjusted": 5.0}),
        paths({f"{SPX}.return_5d": -0.01, "breadth.mcclellan_oscillator_ratio_adjusted": -5.0}),
    ),
    "up_volume_thrust": (
        paths({"breadth.up_volume_share": 0.92}),
        paths({"breadth.up_volume_share": 0.88}),
    ),
    "down_volume_thrust": (
        paths({"breadth.up_volume_share": 0.08}),
        paths({"breadth.up_volume_share": 0.12}),
    ),
    "mcclellan_overbought": (
        paths({"breadth.mcclellan_oscillator_ratio_adjusted": 50.0}),
        paths({"breadth.mcclellan_oscillator_ratio_adjusted": 49.9}),
    ),
    "mcclellan_oversold": (
        paths({"breadth.mcclellan_oscillator_ratio_adjusted": -50.0}),
        paths({"breadth.mcclellan_oscillator_ratio_adjusted": -49.9}),
    ),
    "trin_climax": (paths({"breadth.trin": 0.5}), paths({"breadth.trin": 0.51})),
    "trin_panic": (
        paths({"breadth.trin": 2.0, "breadth.advancers": 200, "breadth.decliners": 300}),
        paths({"breadth.trin": 1.99, "breadth.advancers": 200, "breadth.decliners": 300}),
    ),
    "pct50_washout": (
        paths({"breadth.pct_above_50d": 0.2}),
        paths({"breadth.pct_above_50d": 0.21}),
    ),
    "trend_weak": (
        paths({"breadth.pct_above_200d": 0.4}),
        paths({"breadth.pct_above_200d": 0.41}),
    ),
    # 2025-05-29 is 10 sessions before 2025-06-12 (May 29, 30, June 2-6, 9-12), 05-28 is 11
    "zweig_thrust": (
        paths({"breadth.zweig_thrust_last": "2025-05-29"}),
        paths({"breadth.zweig_thrust_last": "2025-05-28"}),
    ),
    # volatility
    "vix_stress": (paths({"volatility.level": 30.0}), paths({"volatility.level": 29.99})),
    "vix_elevated": (
        paths({"volatility.level": 20.0, "volatility.sma_20": 19.0}),
        paths({"volatility.level": 19.99, "volatility.sma_20": 19.0}),
    ),
    "vix_complacent": (paths({"volatility.level": 11.99}), paths({"volatility.level": 12.0})),
    # extreme fear is a (contrarian) opportunity on a day the VIX eased: on a rising day the
    # VIX is read as a risk (stress) only
    "vix_extreme": (
        paths({"volatility.level": 40.0, "volatility.change_1d": -0.5,
               "volatility.return_1d": -0.0123}),
        paths({"volatility.level": 39.99, "volatility.change_1d": -0.5,
               "volatility.return_1d": -0.0123}),
    ),
    "vix_spike": (
        paths({"volatility.return_1d": 0.15, "volatility.change_1d": 2.22}),
        paths({"volatility.return_1d": 0.149, "volatility.change_1d": 2.2}),
    ),
    "vix_relief": (
        paths({"volatility.level": 20.0, "volatility.return_1d": -0.15,
               "volatility.change_1d": -3.53}),
        paths({"volatility.level": 19.99, "volatility.return_1d": -0.15,
               "volatility.change_1d": -3.53}),
    ),
    # watch list; 2025-05-14 is 20 sessions before 2025-06-12 (Memorial Day May 26 closed)
    "watch_golden_cross": (_cross("golden", "2025-05-14"), _cross("golden", "2025-05-13")),
    "watch_death_cross": (
        lambda r: (_cross("death", "2025-05-14")(r), put(r, "watchlist.NVDA.sma_50", 125.0)),
        lambda r: (_cross("death", "2025-05-13")(r), put(r, "watchlist.NVDA.sma_50", 125.0)),
    ),
    "watch_drawdown": (
        paths({"watchlist.NVDA.from_high_52w": -0.2}),
        paths({"watchlist.NVDA.from_high_52w": -0.19}),
    ),
    "watch_near_high": (
        paths({"watchlist.NVDA.from_high_52w": -0.02}),
        paths({"watchlist.NVDA.from_high_52w": -0.021}),
    ),
    # an uptrend needs the close above every average and every average rising
    "watch_trend_up": (
        paths({"watchlist.NVDA.sma_50": 135.0, **RISING}),
        paths({"watchlist.NVDA.sma_50": 135.0, **RISING,
               "watchlist.NVDA.sma_20_10d_ago": 138.0}),
    ),
    "watch_trend_down": (
        paths({"watchlist.NVDA.close": 125.0, **FALLING}),
        paths({"watchlist.NVDA.close": 125.0, **FALLING,
               "watchlist.NVDA.sma_200_10d_ago": 130.0}),
    ),

    # --- the analyst's note (issue 12) --------------------------------------------------------
    "vix_easing": (
        paths({"volatility.level": 22.0, "volatility.sma_20": 24.0}),
        paths({"volatility.level": 22.0, "volatility.sma_20": 21.0}),
    ),
    "vix_rising": (
        paths({"volatility.sma_20": 16.0}),
        paths({"volatility.sma_20": 17.5}),
    ),
    "vix_calm": (
        paths({"volatility.sma_20": 18.0}),
        paths({"volatility.sma_20": 16.0}),
    ),
    # fear high in its year, read as a (contrarian) opportunity on a day the VIX eased
    "vix_fear": (
        paths({"volatility.level": 25.0, "volatility.sma_20": 24.0,
               "volatility.percentile_1y": 0.9, "volatility.change_1d": -0.3,
               "volatility.return_1d": -0.0119}),
        paths({"volatility.level": 25.0, "volatility.sma_20": 24.0,
               "volatility.percentile_1y": 0.84, "volatility.change_1d": -0.3,
               "volatility.return_1d": -0.0119}),
    ),
    "volume_confirms_advance": (
        paths({"breadth.trin": 0.9, "breadth.up_volume_share": 0.6}),
        paths({"breadth.trin": 1.1, "breadth.up_volume_share": 0.6}),
    ),
    "volume_thin_advance": (
        paths({"breadth.trin": 1.2}),
        paths({"breadth.trin": 0.9}),
    ),
    "volume_confirms_decline": (
        _day(0.001, 200, 300, breadth__up_volume_share=0.4, breadth__trin=1.2),
        _day(0.001, 200, 300, breadth__up_volume_share=0.6, breadth__trin=1.2),
    ),
    "volume_thin_decline": (
        _day(0.001, 200, 300, breadth__up_volume_share=0.6, breadth__trin=0.8),
        _day(0.001, 200, 300, breadth__up_volume_share=0.45, breadth__trin=0.8),
    ),
    "summation_divergence": (
        paths({f"{SPX}.return_5d": 0.01, "breadth.summation_index": 280.0,
               "breadth.summation_index_5d_ago": 300.0}),
        paths({f"{SPX}.return_5d": 0.009, "breadth.summation_index": 280.0,
               "breadth.summation_index_5d_ago": 300.0}),
    ),
    "summation_improving": (
        paths({f"{SPX}.return_5d": -0.01, "breadth.summation_index": 320.0,
               "breadth.summation_index_5d_ago": 300.0}),
        paths({f"{SPX}.return_5d": -0.009, "breadth.summation_index": 320.0,
               "breadth.summation_index_5d_ago": 300.0}),
    ),
    "narrow_near_high": (
        paths({f"{SPX}.from_high_52w": -0.03}),
        paths({f"{SPX}.from_high_52w": -0.031}),
    ),
    # near the high, few new highs, and new lows keeping pace over ten sessions
    "few_new_highs": (
        paths({f"{SPX}.from_high_52w": -0.01, "breadth.high_low_index": 50.0}),
        paths({f"{SPX}.from_high_52w": -0.01, "breadth.high_low_index": 50.1}),
    ),
    "breadth_overbought": (
        paths({"breadth.pct_above_50d": 0.75}),
        paths({"breadth.pct_above_50d": 0.749}),
    ),
    "short_term_oversold": (
        paths({"breadth.pct_above_20d": 0.3}),
        paths({"breadth.pct_above_20d": 0.301}),
    ),
    "concentration_ytd": (
        paths({"size_rotation.mega_vs_equal.spread_ytd": 0.05}),
        paths({"size_rotation.mega_vs_equal.spread_ytd": 0.0499}),
    ),
    "broadening_ytd": (
        paths({"size_rotation.mega_vs_equal.spread_ytd": -0.05}),
        paths({"size_rotation.mega_vs_equal.spread_ytd": -0.0499}),
    ),
    # XLK leads the day (+0.4%); its members above their 50-day average decide its footing
    "leader_rebounding": (_bbs(("XLK", 0.4, 0.0)), _bbs(("XLK", 0.5, 0.0))),
    "leader_trending": (
        _all(_bbs(("XLK", 0.6, 0.0)), _trend("XLK", True, True)),
        _all(_bbs(("XLK", 0.6, 0.0)), _trend("XLK", True, False)),
    ),
    "sector_leaders": (_bbs(("XLK", 0.4, 0.0)), _bbs(("XLK", 0.5, 0.0))),
    "sector_shifts": (_bbs(("XLE", 0.5, 0.1)), _bbs(("XLE", 0.5, 0.099))),
    "sector_participation_slump": (_bbs(("XLE", 0.3, -0.3)), _bbs(("XLE", 0.3, -0.29))),
    "sector_participation_surge": (_bbs(("XLE", 0.6, 0.3)), _bbs(("XLE", 0.6, 0.29))),
    "sector_strength": (
        _all(_bbs(("XLE", 0.6, 0.0)), _trend("XLE", True, True)),
        _all(_bbs(("XLE", 0.6, 0.0)), _trend("XLE", True, False)),
    ),
    "sector_weakness": (
        _all(_bbs(("XLB", 0.3, 0.0)), _trend("XLB", False, False)),
        _all(_bbs(("XLB", 0.3, 0.0)), _trend("XLB", True, False)),
    ),
    "index_above_averages": (_averages(5900.0, 5700.0), _averages(6100.0, 5700.0)),
    # stretched: 7% above the 200-day and a third of that above the 50-day (or half of it)
    "index_support": (_averages(5900.0, 5700.0), _averages(5850.0, 5600.0)),
    "index_extended": (_averages(5850.0, 5600.0), _averages(5850.0, 5620.0)),
    "index_below_50d": (_averages(6100.0, 5800.0), _averages(5990.0, 5800.0)),
    "index_200d_support": (_averages(6100.0, 5800.0), _averages(6100.0, 6200.0)),
    "index_below_200d": (_averages(6100.0, 6200.0), _averages(6100.0, 5990.0)),
    "index_reclaiming": (_averages(5900.0, 6100.0), _averages(5900.0, 5990.0)),
    "watch_below_high": (
        paths({"watchlist.NVDA.from_high_52w": -0.08}),
        paths({"watchlist.NVDA.from_high_52w": -0.079}),
    ),
    "watch_extended": (
        paths({"watchlist.NVDA.sma_50": 125.0}),
        paths({"watchlist.NVDA.sma_50": 125.1}),
    ),
    "watch_leading": (
        paths({"watchlist.NVDA.from_high_52w": -0.05, "watchlist.NVDA.sma_50": 135.0, **RISING}),
        paths({"watchlist.NVDA.from_high_52w": -0.08, "watchlist.NVDA.sma_50": 135.0, **RISING}),
    ),
    # stories: the quiet session is flat (S&P 500 +0.1%), 260 advancers to 235 decliners
    "quiet": (nothing, _day(0.005, 260, 235)),
    "mixed_gain": (_day(0.005, 260, 235), _day(0.002, 260, 235)),
    "mixed_loss": (_day(-0.005, 240, 255), _day(-0.002, 240, 255)),
    "broad_rally": (_day(0.005, 350, 150), _day(0.005, 320, 180)),
    "narrow_rally": (_day(0.005, 240, 255), _day(0.005, 260, 235)),
    "broad_selloff": (_day(-0.005, 150, 350), _day(-0.005, 180, 320)),
    "narrow_selloff": (_day(-0.005, 260, 235), _day(-0.005, 240, 255)),
    # a 90% down day, a 2-sigma fall of 1.5% and volume above its average; beside it the same
    # day on average volume
    "capitulation": (
        _day(-0.015, 30, 470, breadth__up_volume_share=0.1, **CAPITULATION),
        _day(-0.015, 30, 470, breadth__up_volume_share=0.1,
             **{**CAPITULATION, "quality__volume_vs_20d": 1.0}),
    ),
    "breadth_thrust": (
        _day(0.01, 470, 30, breadth__up_volume_share=0.9),
        _day(0.01, 470, 30, breadth__up_volume_share=0.89),
    ),
    "relief_rally": (
        _all(_day(0.01, 300, 195), _week(False, RELIEF)),
        _all(_day(0.01, 300, 195), _week(False, {**RELIEF, "length": 2, "return": -0.02})),
    ),
    "size_rotation": (
        paths({"size_rotation.spread_1d": 0.0075}),
        paths({"size_rotation.spread_1d": 0.0074}),
    ),
    "sector_rotation": (
        paths({"sector_summary.dispersion_1d": 0.01}),
        paths({"sector_summary.dispersion_1d": 0.0099}),
    ),
    "divergence_up": (
        paths({f"{SPX}.return_5d": 0.01, "breadth.pct_above_50d": 0.49,
               "breadth.pct_above_50d_5d_ago": 0.55}),
        paths({f"{SPX}.return_5d": 0.009, "breadth.pct_above_50d": 0.49,
               "breadth.pct_above_50d_5d_ago": 0.55}),
    ),
    "divergence_down": (
        paths({f"{SPX}.return_5d": -0.01, "breadth.pct_above_50d": 0.61,
               "breadth.pct_above_50d_5d_ago": 0.55}),
        paths({f"{SPX}.return_5d": -0.009, "breadth.pct_above_50d": 0.61,
               "breadth.pct_above_50d_5d_ago": 0.55}),
    ),
    # the summary and the week
    "summary_indices": (nothing, paths({"indices.^DJI.return_1d": None})),
    "summary_breadth": (nothing, paths({"breadth.up_volume_share": None})),
    "summary_week": (nothing, paths({f"{SPX}.return_mtd": None})),
    "summary_meaning": (nothing, _day(0.001, 400, 100, breadth__trin=1.2)),
    "summary_tension": (_day(0.001, 400, 100, breadth__trin=1.2), nothing),
    "summary_view": (_averages(5900.0, 5700.0), nothing),
    "week_streak": (_week(False), nothing),
    "week_review": (_week(True), _week(False)),
    # what happened next: n of at least 10 for both indices, else a small sample
    "history_after": (_analogs("up_volume_90", 21, 21), _analogs("up_volume_90", 21, 9)),
    "history_small": (_analogs("zweig_thrust", 4, 4), _analogs("zweig_thrust", 10, 10)),
    # the quality of the move
    "quality_broad_advance": (_all(UP_DAY, _quality(volume_vs_20d=1.2)),
                              _all(UP_DAY, _quality(volume_vs_20d=1.09))),
    "quality_broad_decline": (_all(DOWN_DAY, _quality(volume_vs_20d=1.2)),
                              _all(_day(-0.012, 100, 400, breadth__up_volume_share=0.26),
                                   _quality(volume_vs_20d=1.2))),
    "quality_light_advance": (_all(UP_DAY, _quality(volume_vs_20d=0.7)),
                              _all(UP_DAY, _quality(volume_vs_20d=0.81))),
    "quality_light_decline": (_all(DOWN_DAY, _quality(volume_vs_20d=0.7)),
                              _all(_day(0.012, 100, 400, breadth__up_volume_share=0.2),
                                   _quality(volume_vs_20d=0.7))),
    "quality_faded": (_all(UP_DAY, _quality(close_top_quarter=0.2, close_bottom_quarter=0.45)),
                      _all(UP_DAY, _quality(close_top_quarter=0.2, close_bottom_quarter=0.39))),
    "quality_recovered": (
        _all(DOWN_DAY, _quality(close_top_quarter=0.45, close_bottom_quarter=0.2)),
        _all(DOWN_DAY, _quality(close_top_quarter=0.45, close_bottom_quarter=None)),
    ),
    "quality_sigma_move": (_move(0.03, 3.0), _move(0.019, 1.9)),
    "quality_vix_below_realized": (_vix_realized(20.0, 0.25), _vix_realized(25.0, 0.25)),
    "quality_vix_rich": (_vix_realized(15.0, 0.09), _vix_realized(13.4, 0.09)),
    # who carried it
    "carry_largest": (_carry(0.02, 0.01), _carry(0.0149, 0.01)),
    # baskets
    "basket_squeeze": (_all(UP_DAY, _baskets(0.005, 0.02)),
                       _all(UP_DAY, _baskets(0.005, 0.02, high_low=-0.001))),
    "basket_broad": (_all(UP_DAY, _baskets(0.012, 0.01)),
                     _all(UP_DAY, _baskets(0.016, 0.01))),
    "basket_unwind": (_all(DOWN_DAY, _baskets(-0.03, -0.01)),
                      _all(DOWN_DAY, _baskets(-0.018, -0.01))),
}
#: The headline states the story: it fires exactly when its story does.
CASES.update({f"headline_{sid}": CASES[sid] for sid in STORY_IDS})


#: Extra variants of the wording (each must render too).
VARIANTS: dict[str, Tweak] = {
    "size_run_small_record": _run("^RUT", 5, since=None),
    "size_run_large_record": _run("^GSPC", 6, since=None),
    "zweig_today": paths({"breadth.zweig_thrust_last": "2025-06-12"}),
    "golden_today": _cross("golden", "2025-06-12"),
    "death_today": _cross("death", "2025-06-12"),
    "nvda_at_high": paths({"watchlist.NVDA.from_high_52w": 0.0, "watchlist.NVDA.close": 150.0}),
    "all_sectors_up": paths({"sector_summary.advancing": 11, "sector_summary.declining": 0}),
    "all_sectors_down": paths({"sector_summary.advancing": 0, "sector_summary.declining": 11}),
    "no_sector_fell": _sectors({"XLC": 0.001, "XLU": 0.001, "XLB": 0.001, "XLRE": 0.001,
                                "XLE": 0.0005}),
    "no_sector_rose": _sectors({"XLK": -0.001, "XLF": -0.001, "XLV": -0.001, "XLI": -0.002,
                                "XLY": -0.002, "XLP": -0.0005}),
    "highs_lows_level": paths({"breadth.new_highs": 7, "breadth.new_lows": 7}),
    "mtd_no_prev": paths({f"{SPX}.return_mtd": 0.04, f"{SPX}.return_prev_month": None}),
    "highs_no_hli": paths({"breadth.new_highs": 40, "breadth.new_lows": 2,
                           "breadth.high_low_index": None}),
    "lows_no_hli": paths({"breadth.new_highs": 2, "breadth.new_lows": 40,
                          "breadth.high_low_index": None}),
    "small_run_kp": paths({"size_rotation.run.length": 3}),
    "large_run_kp": paths({"size_rotation.spread_1d": -0.004, "size_rotation.run.leader": "^GSPC",
                           "size_rotation.run.length": 3}),
    "other_index": paths({"indices.^IXIC.return_1d": 0.015}),
    "down_volume_heavy": paths({"breadth.up_volume_share": 0.08, "quality.volume_vs_20d": 1.4}),
    "down_volume_unknown": paths({"breadth.up_volume_share": 0.08,
                                  "quality.volume_vs_20d": None}),
    "volume_from_counts": paths({"breadth.up_volume_share": None, "breadth.up_volume": 9.5e9,
                                 "breadth.down_volume": 0.5e9}),
    "history_indices": _analogs("sp500_up_2pct", 43, 43, 0.0004, -0.02, history="indices"),
    "history_small_indices": _analogs("vix_spike", 3, 3, history="indices"),
    "history_flat_and_down": _analogs("capitulation", 16, 16, -0.0004, -0.02),
    "broad_advance_no_range": _all(UP_DAY, _quality(volume_vs_20d=1.2, close_top_quarter=None,
                                                    close_bottom_quarter=None)),
    "broad_decline_range": _all(DOWN_DAY, _quality(volume_vs_20d=1.5)),
    "sigma_fall": _move(-0.03, -3.0),
    "carry_held_back": _carry(0.01, 0.02),
    "carry_dragged": _carry(-0.02, -0.01),
    "carry_cushioned": _carry(-0.01, -0.02),
    "carry_no_mover_beyond": _carry(0.06, 0.045),
    # a run whose leader fell today held up better; it is not "in charge" / "in favor"
    "size_run_large_fell": lambda r: (_run("^GSPC", 6)(r), put(r, f"{SPX}.return_1d", -0.007)),
    "size_run_large_fell_record": lambda r: (_run("^GSPC", 6, since=None)(r),
                                             put(r, f"{SPX}.return_1d", -0.007)),
    "size_run_small_fell": lambda r: (_run("^RUT", 5)(r), put(r, "indices.^RUT.return_1d", -0.004)),
    "size_run_small_fell_record": lambda r: (_run("^RUT", 5, since=None)(r),
                                             put(r, "indices.^RUT.return_1d", -0.004)),
    # a new month-to-date leader at a loss "held up best"
    "leadership_at_a_loss": _leadership_at_a_loss(True),
    "leadership_at_a_loss_no_mtd": _leadership_at_a_loss(False),
    # five sessions one way, today at least 5 points the other
    "breadth_down_turned_up": paths({"breadth.pct_above_50d": 0.49, "breadth.pct_above_50d_5d_ago":
                                     0.55, "breadth.pct_above_50d_prev": 0.43}),
    "breadth_up_turned_down": paths({"breadth.pct_above_50d": 0.61, "breadth.pct_above_50d_5d_ago":
                                     0.55, "breadth.pct_above_50d_prev": 0.67}),
    "narrowing_turned_up": paths({"breadth.pct_above_50d": 0.49, "breadth.pct_above_50d_5d_ago":
                                  0.55, "breadth.pct_above_50d_prev": 0.43,
                                  f"{SPX}.return_5d": 0.01}),
    "expanding_turned_down": paths({"breadth.pct_above_50d": 0.61, "breadth.pct_above_50d_5d_ago":
                                    0.55, "breadth.pct_above_50d_prev": 0.67,
                                    f"{SPX}.return_5d": -0.01}),
    # nearly all members one way (90% of all of them)
    "nearly_all_up": paths({"breadth.advancers": 450, "breadth.decliners": 45,
                            "breadth.unchanged": 5, "breadth.net_advances": 405}),
    "nearly_all_down": paths({"breadth.advancers": 45, "breadth.decliners": 450,
                              "breadth.unchanged": 5, "breadth.net_advances": -405}),
}
