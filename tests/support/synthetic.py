"""Synthetic but full-size inputs for the chart and PDF tests and the render benchmark.

Seeded numpy, business days for sessions: nothing here depends on the other stages, so the
renderer can be tested while they are written. The report dict follows the ``report.json``
contract; the sentences stand in for the insights stage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reporter.model import RenderedText
from reporter.render.charts.data import ChartData
from reporter.vocabulary import SECTOR_ETFS

AS_OF = "2025-12-31"
INDEX_LEVELS = {"^GSPC": 6845.5, "^RUT": 2481.9, "^IXIC": 23242.1, "^DJI": 48063.3, "^VIX": 14.95}


def sessions(n: int = 252, as_of: str = AS_OF) -> pd.DatetimeIndex:
    return pd.bdate_range(end=as_of, periods=n, name="Date")


def _walk(rng: np.random.Generator, n: int, start: float, vol: float, drift: float) -> np.ndarray:
    steps = rng.normal(drift, vol, n)
    steps[0] = 0.0
    return start * np.exp(np.cumsum(steps))


def make_chart_data(seed: int = 7, n: int = 252, as_of: str = AS_OF) -> ChartData:
    """Price-like series for every chart, ending at the report's index levels."""
    rng = np.random.default_rng(seed)
    idx = sessions(n, as_of)
    closes = {}
    for symbol in ("^GSPC", "^RUT", "^IXIC", "^DJI"):
        path = _walk(rng, n, 1.0, 0.011, 0.0006)
        closes[symbol] = path / path[-1] * INDEX_LEVELS[symbol]
    index_closes = pd.DataFrame(closes, index=idx)
    rs_line = index_closes["^RUT"] / index_closes["^GSPC"]
    ad_line = pd.Series(np.cumsum(rng.integers(-180, 200, n)), index=idx, dtype="float64")
    p50 = pd.Series(np.clip(0.55 + np.cumsum(rng.normal(0, 0.03, n)) * 0.3, 0.05, 0.95), idx)
    p200 = pd.Series(np.clip(0.60 + np.cumsum(rng.normal(0, 0.01, n)) * 0.3, 0.05, 0.95), idx)
    p200.iloc[:30] = np.nan  # too little history at the start: a gap, not a guess
    nnh = pd.Series(rng.integers(-40, 60, n), index=idx, dtype="float64")
    mcc = pd.Series(np.convolve(rng.normal(0, 40, n), np.ones(5) / 5, mode="same"), idx)
    sectors = list(SECTOR_ETFS.values())
    sector_returns = pd.DataFrame(
        {"1D": rng.normal(0.001, 0.008, 11), "MTD": rng.normal(0.01, 0.03, 11)}, index=sectors
    )
    participation = pd.DataFrame(
        np.clip(rng.uniform(0.2, 0.9, (n, 11)), 0, 1), index=idx, columns=list(SECTOR_ETFS)
    )
    nvda = _walk(rng, n, 120.0, 0.025, 0.001)
    close = pd.Series(nvda / nvda[-1] * 186.5, index=idx)
    watch = {
        "NVDA": pd.DataFrame(
            {
                "close": close,
                "sma_20": close.rolling(20).mean(),
                "sma_50": close.rolling(50).mean(),
                "sma_200": close.rolling(200).mean(),
            }
        )
    }
    run_start = str(idx[-5].date())
    return ChartData(
        index_closes=index_closes,
        rs_line=rs_line,
        run_start=run_start,
        run_leader="^RUT",
        sector_returns=sector_returns,
        ad_line=ad_line,
        pct_above_50d=p50,
        pct_above_200d=p200,
        net_new_highs=nnh,
        mcclellan=mcc,
        sector_participation=participation,
        watch=watch,
    )


def _ret(rng: np.random.Generator, scale: float) -> float:
    return float(round(rng.normal(0.0, scale), 6))


def make_report(seed: int = 7, as_of: str = AS_OF, *, is_sample: bool = False) -> dict:
    """A report dict with every key of the contract, plausible figures, a few nulls."""
    rng = np.random.default_rng(seed)
    indices = {}
    for symbol, level in INDEX_LEVELS.items():
        indices[symbol] = {
            "close": level,
            "return_1d": _ret(rng, 0.008),
            "return_5d": _ret(rng, 0.015),
            "return_mtd": _ret(rng, 0.03),
            "return_prev_month": _ret(rng, 0.03),
            "return_ytd": _ret(rng, 0.12),
            "return_1y": _ret(rng, 0.12),
        }
    indices["^GSPC"]["return_1d"] = -0.003411
    indices["^RUT"]["return_1d"] = 0.012345
    indices["^RUT"]["return_mtd"] = 0.0412
    indices["^GSPC"]["return_mtd"] = 0.0105
    etf = list(SECTOR_ETFS.items())
    sector_rows = []
    for sector, symbol in etf:
        sector_rows.append(
            {
                "symbol": symbol,
                "sector": sector,
                "return_1d": _ret(rng, 0.008),
                "return_5d": _ret(rng, 0.015),
                "return_mtd": _ret(rng, 0.03),
                "return_prev_month": _ret(rng, 0.03),
                "return_ytd": _ret(rng, 0.15),
            }
        )
    sector_rows[0]["return_1d"] = 0.0187  # XLK leads the day
    sector_rows.sort(key=lambda r: -r["return_1d"])
    for key, rank in (("return_1d", "rank_1d"), ("return_mtd", "rank_mtd"),
                      ("return_ytd", "rank_ytd")):
        order = sorted(sector_rows, key=lambda r, k=key: -r[k])
        for i, row in enumerate(order, start=1):
            row[rank] = i
    by_mtd = sorted(sector_rows, key=lambda r: -r["return_mtd"])
    by_prev = sorted(sector_rows, key=lambda r: -r["return_prev_month"])
    breadth_by_sector = []
    for sector, symbol in etf:
        members = int(rng.integers(20, 70))
        adv = int(rng.integers(0, members))
        dec = members - adv - 1
        breadth_by_sector.append(
            {
                "sector": sector,
                "etf": symbol,
                "members": members,
                "advancers": adv,
                "decliners": dec,
                "unchanged": 1,
                "missing": 0,
                "pct_above_50d": float(round(rng.uniform(0.2, 0.9), 4)),
                "pct_above_200d": float(round(rng.uniform(0.2, 0.9), 4)),
                "new_highs": int(rng.integers(0, 6)),
                "new_lows": int(rng.integers(0, 4)),
            }
        )
    report = {
        "as_of": as_of,
        "history": {"first_session": "2021-03-01", "last_session": as_of, "sessions": 1220},
        "indices": indices,
        "returns": {
            "XLG": {"close": 54.21, "return_1d": -0.0041, "return_mtd": 0.008},
            "RSP": {"close": 190.4, "return_1d": 0.0063, "return_mtd": 0.021},
        },
        "volatility": {
            "symbol": "^VIX",
            "level": 14.95,
            "change_1d": -0.62,
            "return_1d": -0.0398,
            "high_52w": 52.33,
            "low_52w": 12.7,
        },
        "size_rotation": {
            "small": "^RUT",
            "large": "^GSPC",
            "spread_1d": 0.015756,
            "spread_5d": 0.0211,
            "spread_mtd": 0.0307,
            "spread_ytd": -0.0345,
            "spread_1y": -0.0502,
            "run": {"leader": "^RUT", "length": 5, "start": "2025-12-24",
                    "longest_since": "2025-07-18"},
            "longest_run_ytd": {"leader": "^GSPC", "length": 9, "start": "2025-03-03",
                                "end": "2025-03-13"},
            "mega_vs_equal": {
                "mega": "XLG",
                "equal": "RSP",
                "spread_1d": -0.0104,
                "spread_mtd": -0.013,
                "spread_ytd": 0.0712,
                "run": {"leader": "RSP", "length": 3, "start": "2025-12-29",
                        "longest_since": None},
            },
            "valuation": None,
        },
        "sectors": sector_rows,
        "sector_summary": {
            "total": 11,
            "advancing": sum(1 for r in sector_rows if r["return_1d"] > 0),
            "declining": sum(1 for r in sector_rows if r["return_1d"] < 0),
            "dispersion_1d": 0.0071,
            "dispersion_mtd": 0.0244,
            "leaders": [r["symbol"] for r in sector_rows[:3]],
            "laggards": [r["symbol"] for r in sector_rows[-3:]][::-1],
            "leaders_mtd": [r["symbol"] for r in by_mtd[:3]],
            "laggards_mtd": [r["symbol"] for r in by_mtd[-3:]][::-1],
            "leader_mtd": by_mtd[0]["symbol"],
            "leader_prev_month": by_prev[0]["symbol"],
            "leadership_changed": by_mtd[0]["symbol"] != by_prev[0]["symbol"],
        },
        "breadth": {
            "advancers": 312,
            "decliners": 181,
            "unchanged": 5,
            "missing": 5,
            "members_total": 503,
            "ad_ratio": 1.7238,
            "net_advances": 131,
            "ad_line": 4321.0,
            "ad_line_start": "2021-03-01",
            "pct_above_20d": 0.5843,
            "pct_above_50d": 0.6215,
            "pct_above_200d": 0.5512,
            "new_highs": 41,
            "new_lows": 12,
            "net_new_highs": 29,
            "high_low_index": 68.4,
            "mcclellan_oscillator": 35.24,
            "mcclellan_oscillator_ratio_adjusted": 41.7,
            "summation_index": 512.3,
            "summation_index_ratio_adjusted": 733.0,
            "up_volume": 2.31e9,
            "down_volume": 1.12e9,
            "trin": 0.8357,
            "zweig_thrust_last": "2025-05-02",
            "zweig_ema": 0.5611,
        },
        "breadth_by_sector": breadth_by_sector,
        "watchlist": {
            "NVDA": {
                "close": 186.5,
                "sma_20": 181.2,
                "sma_50": 184.9,
                "sma_200": 158.3,
                "return_n": 0.0312,
                "n": 20,
                "last_cross": {"kind": "golden", "date": "2025-05-09"},
                "high_52w": 207.04,
                "from_high_52w": -0.0992,
            }
        },
        "milestones": [
            {"symbol": "^DJI", "level": 48000, "kind": "round_level", "date": as_of},
            {"symbol": "^RUT", "level": None, "kind": "all_time_high", "date": as_of},
        ],
        "coverage": {
            "members_total": 503,
            "members_used": 498,
            "members_missing": ["GEV", "SOLV", "SNDK", "Q", "SW"],
            "sessions": 1220,
            "first_session": "2021-03-01",
        },
        "source": {
            "name": "sample" if is_sample else "csv",
            "description": "Sample data (seeded)" if is_sample else "CSV files",
            "is_sample": is_sample,
            "retrieved_at": "2026-01-02T06:00:00Z",
        },
        "warnings": ["FISV has no close on 2025-11-12; counted as missing."],
        "tone": "positive",
        "tone_score": 0.42,
        "insights": {"key_points": [], "insights": [], "risks": [], "opportunities": []},
    }
    return report


def make_texts() -> dict[str, RenderedText]:
    """Hand-written sentences standing in for the insights stage."""
    zh = RenderedText(
        locale="zh-CN",
        tone_label="偏多",
        key_points=(
            "罗素2000指数上涨1.2%，标普500指数下跌0.3%，小盘股跑赢1.58个百分点。",
            "小盘股已连续5个交易日跑赢大盘股，为2025年7月18日以来最长。",
            "11个行业中有7个上涨，信息技术（XLK）以+1.9%领涨。",
            "62.2%的成分股位于50日均线上方，55.1%位于200日均线上方。",
            "新高41家、新低12家，麦克莱伦振荡指标为+35.2。",
        ),
        insights=(
            "小盘股的相对强势从单日扩展到月度：本月罗素2000累计上涨4.1%，标普500上涨1.1%。",
            "参与度改善：上涨家数与下跌家数之比为1.72，TRIN为0.84，资金流入与价格上涨一致。",
        ),
        risks=("标普500前50大权重股本月落后等权指数1.3个百分点，领涨集中度下降可能带来波动。",),
        opportunities=("若小盘股的强势延续，等权与小盘风格的配置价值上升。",),
        tags=("小盘轮动", "市场广度", "行业轮动"),
    )
    en = RenderedText(
        locale="en-US",
        tone_label="Positive",
        key_points=(
            "The Russell 2000 rose 1.2% while the S&P 500 fell 0.3%: small caps ahead by "
            "1.58 pp.",
            "Small caps have beaten large caps for 5 sessions in a row, the longest since "
            "July 18, 2025.",
            "7 of 11 sectors rose; Information Technology (XLK) led with +1.9%.",
            "62.2% of members closed above their 50-day average, 55.1% above their 200-day.",
            "41 new highs against 12 new lows; McClellan oscillator at +35.2.",
        ),
        insights=(
            "Small-cap strength now shows over the month too: the Russell 2000 is up 4.1% "
            "month to date against 1.1% for the S&P 500.",
            "Participation improved: advancers outnumbered decliners 1.72 to 1 and TRIN was "
            "0.84, volume confirming the advance.",
        ),
        risks=(
            "The 50 largest S&P 500 stocks trail the equal-weight index by 1.3 pp this month; "
            "a rotation out of leaders can be volatile.",
        ),
        opportunities=("If small-cap strength persists, equal-weight and small-cap exposure "
                       "gains appeal.",),
        tags=("Size rotation", "Market breadth", "Sector rotation"),
    )
    return {"zh-CN": zh, "en-US": en}
