"""Hand-built metrics dicts (the metrics part of report.json) for the rule tests.

``baseline()`` is a quiet session on which no insight, risk or opportunity rule should fire: every
figure sits well inside every default threshold. Tests copy it and tweak one figure.
"""

from __future__ import annotations

import copy
from typing import Any

SECTOR_NAMES = {
    "XLK": "Information Technology",
    "XLF": "Financials",
    "XLE": "Energy",
    "XLV": "Health Care",
    "XLI": "Industrials",
    "XLP": "Consumer Staples",
    "XLY": "Consumer Discretionary",
    "XLU": "Utilities",
    "XLB": "Materials",
    "XLRE": "Real Estate",
    "XLC": "Communication Services",
}

# symbol: (1D, MTD, previous month, YTD) -- ordered by 1D, best first. The three best come from
# three different groups (growth, cyclical, defensive); the two worst by MTD (XLB, XLC) differ
# from the two worst by YTD (XLE, XLRE); no sector leads MTD that did not lead last month.
_SECTORS = [
    ("XLK", 0.0040, 0.012, 0.030, 0.060),
    ("XLF", 0.0030, 0.008, 0.010, 0.040),
    ("XLV", 0.0020, 0.006, 0.005, 0.030),
    ("XLI", 0.0010, 0.004, 0.008, 0.050),
    ("XLY", 0.0005, 0.002, 0.004, 0.020),
    ("XLP", 0.0002, 0.001, 0.002, 0.010),
    ("XLC", -0.0005, -0.004, 0.006, 0.045),
    ("XLU", -0.0010, 0.000, 0.003, 0.015),
    ("XLB", -0.0015, -0.006, 0.001, 0.025),
    ("XLRE", -0.0020, -0.002, 0.002, -0.010),
    ("XLE", -0.0030, -0.001, 0.000, -0.020),
]


def _ranks(values: list[float]) -> list[int]:
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [0] * len(values)
    for rank, i in enumerate(order, start=1):
        ranks[i] = rank
    return ranks


def _returns(close: float, r1: float, r5: float, mtd: float, prev: float, ytd: float,
             y1: float) -> dict[str, float]:
    return {
        "close": close,
        "return_1d": r1,
        "return_5d": r5,
        "return_mtd": mtd,
        "return_prev_month": prev,
        "return_ytd": ytd,
        "return_1y": y1,
    }


def _build() -> dict[str, Any]:
    r1 = [s[1] for s in _SECTORS]
    mtd = [s[2] for s in _SECTORS]
    ytd = [s[4] for s in _SECTORS]
    rk1, rkm, rky = _ranks(r1), _ranks(mtd), _ranks(ytd)
    sectors = [
        {
            "symbol": sym,
            "sector": SECTOR_NAMES[sym],
            "return_1d": a,
            "return_5d": a * 2,
            "return_mtd": m,
            "return_prev_month": p,
            "return_ytd": y,
            "rank_1d": rk1[i],
            "rank_mtd": rkm[i],
            "rank_ytd": rky[i],
        }
        for i, (sym, a, m, p, y) in enumerate(_SECTORS)
    ]
    returns = {
        sym: _returns(50.0 + i, a, a * 2, m, p, y, 0.1)
        for i, (sym, a, m, p, y) in enumerate(_SECTORS)
    }
    returns.update(
        {
            "XLG": _returns(50.0, 0.0012, 0.003, 0.011, 0.02, 0.05, 0.12),
            "RSP": _returns(180.0, 0.0008, 0.002, 0.008, 0.015, 0.03, 0.08),
            "SPY": _returns(600.0, 0.0010, 0.002, 0.010, 0.020, 0.03, 0.10),
            "IWM": _returns(210.0, 0.0015, 0.001, 0.012, 0.010, 0.01, 0.05),
            "NVDA": _returns(140.0, 0.0050, 0.010, 0.020, 0.030, 0.05, 0.30),
        }
    )
    return {
        "as_of": "2025-06-12",
        "history": {"first_session": "2021-02-26", "last_session": "2025-06-12", "sessions": 1076},
        "indices": {
            "^GSPC": _returns(6000.0, 0.0010, 0.0020, 0.010, 0.020, 0.030, 0.10),
            "^RUT": _returns(2100.0, 0.0015, 0.0010, 0.012, 0.010, 0.010, 0.05),
            "^IXIC": _returns(19500.0, 0.0020, 0.0030, 0.015, 0.025, 0.040, 0.12),
            "^DJI": _returns(42000.0, 0.0005, 0.0010, 0.008, 0.015, 0.020, 0.08),
            "^VIX": _returns(17.0, 0.0119, 0.02, -0.05, 0.10, -0.02, -0.1),
        },
        "returns": returns,
        "volatility": {
            "symbol": "^VIX",
            "level": 17.0,
            "change_1d": 0.2,
            "return_1d": 0.0119,
            "high_52w": 45.0,
            "low_52w": 12.5,
        },
        "size_rotation": {
            "small": "^RUT",
            "large": "^GSPC",
            "spread_1d": 0.002,
            "spread_5d": -0.001,
            "spread_mtd": 0.002,
            "spread_ytd": -0.020,
            "spread_1y": -0.05,
            "run": {"leader": "^RUT", "length": 1, "start": "2025-06-12",
                    "longest_since": "2025-06-10"},
            "longest_run_ytd": {"leader": "^GSPC", "length": 6, "start": "2025-02-03",
                                "end": "2025-02-10"},
            "mega_vs_equal": {
                "mega": "XLG",
                "equal": "RSP",
                "spread_1d": 0.0004,
                "spread_mtd": 0.003,
                "spread_ytd": 0.02,
                "run": {"leader": "XLG", "length": 2, "start": "2025-06-11",
                        "longest_since": "2025-06-06"},
            },
            "valuation": None,
        },
        "sectors": sectors,
        "sector_summary": {
            "total": 11,
            "advancing": 6,
            "declining": 5,
            "unchanged": 0,
            "dispersion_1d": 0.0021,
            "dispersion_mtd": 0.005,
            "leaders": ["XLK", "XLF", "XLV", "XLI", "XLY"],
            "laggards": ["XLRE", "XLE"],
            "leaders_mtd": ["XLK", "XLF", "XLV", "XLI", "XLY"],
            "laggards_mtd": ["XLRE", "XLC", "XLB"],
            "leader_mtd": "XLK",
            "leader_prev_month": "XLK",
            "leadership_changed": False,
        },
        "breadth": {
            "advancers": 260,
            "decliners": 235,
            "unchanged": 5,
            "missing": 3,
            "members_total": 503,
            "ad_ratio": 260 / 235,
            "net_advances": 25,
            "ad_line": 1500,
            "ad_line_start": "2021-03-01",
            "ad_line_change_5d": 40,
            "pct_above_20d": 0.52,
            "pct_above_50d": 0.55,
            "pct_above_200d": 0.60,
            "new_highs": 12,
            "new_lows": 8,
            "net_new_highs": 4,
            "high_low_index": 55.0,
            "mcclellan_oscillator": 5.0,
            "mcclellan_oscillator_ratio_adjusted": 10.0,
            "summation_index": 300.0,
            "summation_index_ratio_adjusted": 600.0,
            "up_volume": 1.1e9,
            "down_volume": 0.9e9,
            "up_volume_share": 0.55,
            "trin": None,  # the volume rules stay silent on the quiet session
            "zweig_thrust_last": "2023-11-03",
            "zweig_ema": 0.52,
            "pct_above_50d_prev": 0.54,
            "pct_above_50d_5d_ago": 0.53,
            "pct_above_200d_prev": 0.60,
            "pct_above_200d_5d_ago": 0.59,
        },
        "breadth_by_sector": [],
        # the quality of the move: ordinary volume, an ordinary move
        "quality": {
            "volume_vs_20d": 0.95,
            "index_moves": {"^GSPC": {"return_1d": 0.001, "volatility_20d": 0.008,
                                      "sigmas": 0.125}},
        },
        "watchlist": {
            "NVDA": {
                "close": 140.0,
                "sma_20": 138.0,
                "sma_50": 142.0,
                "sma_200": 130.0,
                "return_n": 0.02,
                "n": 20,
                "last_cross": {"kind": "golden", "date": "2024-01-05"},
                "high_52w": 150.0,
                "from_high_52w": 140.0 / 150.0 - 1,
            }
        },
        "milestones": [],
        "coverage": {
            "members_total": 503,
            "members_used": 500,
            "members_missing": ["AAA", "BBB", "CCC"],
            "sessions": 1076,
            "first_session": "2021-02-26",
        },
    }


_BASE = _build()


def baseline() -> dict[str, Any]:
    """A fresh deep copy of the quiet session."""
    return copy.deepcopy(_BASE)


def put(report: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set ``a.b.c`` (``sectors[2].return_1d`` style indices allowed) and return the report."""
    import re

    steps = [int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]
    node: Any = report
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value
    return report
