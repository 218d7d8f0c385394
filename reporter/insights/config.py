"""Thresholds of the insight rules: the ``[insights]`` table of the configuration, validated once.

The defaults here equal the documented ones in ``reporter/defaults/config.toml``; a user's table
only needs the keys it changes. Every problem is reported at once, each with its key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from reporter.errors import ConfigError


@dataclass(frozen=True)
class InsightsConfig:
    """Every threshold the rules use. Fractions are returns or shares (0.02 = 2%)."""

    # key data points and tone
    key_points_min: int = 5
    key_points_max: int = 7
    key_point_min_score: float = 0.35
    tone_scale: float = 2.5
    tone_threshold: float = 0.2
    # index moves
    index_move_big: float = 0.02
    index_move_notable: float = 0.01
    mtd_notable: float = 0.03
    # breadth against the index
    divergence_index_move: float = 0.003
    divergence_share_margin: float = 0.05
    divergence_index_move_5d: float = 0.01
    pct_above_50d_change: float = 0.05
    pct_above_50d_washout: float = 0.20
    pct_above_200d_weak: float = 0.40
    new_highs_lows_min: int = 25
    mcclellan_overbought: float = 50.0
    mcclellan_oversold: float = -50.0
    trin_climax: float = 0.5
    trin_panic: float = 2.0
    volume_thrust_share: float = 0.90
    recent_sessions: int = 10
    # volatility
    vix_complacent: float = 12.0
    vix_elevated: float = 20.0
    vix_stress: float = 30.0
    vix_extreme: float = 40.0
    vix_spike: float = 0.15
    vix_relief: float = 0.15
    # size rotation and concentration
    run_notable: int = 4
    size_spread_notable: float = 0.01
    size_gap_ytd: float = 0.05
    concentration_spread: float = 0.02
    valuation_discount: float = 0.15
    # sectors
    sector_dispersion_high: float = 0.015
    sector_sweep: int = 10
    laggard_bottom: int = 2
    reversal_bottom: int = 3
    # watch list
    cross_recent_sessions: int = 20
    watch_move: float = 0.03
    watch_drawdown: float = 0.20
    watch_near_high: float = 0.02


# (low, high) accepted for each key; ints must be whole numbers.
_RANGES: dict[str, tuple[float, float]] = {
    "key_points_min": (1, 12),
    "key_points_max": (1, 12),
    "key_point_min_score": (0.0, 1.0),
    "tone_scale": (0.1, 100.0),
    "tone_threshold": (0.0, 1.0),
    "index_move_big": (0.0001, 1.0),
    "index_move_notable": (0.0, 1.0),
    "mtd_notable": (0.0, 1.0),
    "divergence_index_move": (0.0, 1.0),
    "divergence_share_margin": (0.0, 0.5),
    "divergence_index_move_5d": (0.0, 1.0),
    "pct_above_50d_change": (0.0, 1.0),
    "pct_above_50d_washout": (0.0, 1.0),
    "pct_above_200d_weak": (0.0, 1.0),
    "new_highs_lows_min": (1, 100000),
    "mcclellan_overbought": (0.0, 1000.0),
    "mcclellan_oversold": (-1000.0, 0.0),
    "trin_climax": (0.0, 1.0),
    "trin_panic": (1.0, 100.0),
    "volume_thrust_share": (0.5, 1.0),
    "recent_sessions": (1, 252),
    "vix_complacent": (0.0, 200.0),
    "vix_elevated": (0.0, 200.0),
    "vix_stress": (0.0, 200.0),
    "vix_extreme": (0.0, 200.0),
    "vix_spike": (0.0001, 10.0),
    "vix_relief": (0.0001, 1.0),
    "run_notable": (2, 252),
    "size_spread_notable": (0.0001, 1.0),
    "size_gap_ytd": (0.0, 1.0),
    "concentration_spread": (0.0, 1.0),
    "valuation_discount": (0.0, 1.0),
    "sector_dispersion_high": (0.0001, 1.0),
    "sector_sweep": (1, 11),
    "laggard_bottom": (1, 5),
    "reversal_bottom": (1, 10),
    "cross_recent_sessions": (1, 252),
    "watch_move": (0.0001, 1.0),
    "watch_drawdown": (0.0, 1.0),
    "watch_near_high": (0.0, 1.0),
}

_ORDERED = (
    ("vix_complacent", "vix_elevated"),
    ("vix_elevated", "vix_stress"),
    ("vix_stress", "vix_extreme"),
    ("key_points_min", "key_points_max"),
    ("index_move_notable", "index_move_big"),
)


def insights_config(raw: dict[str, Any] | None) -> InsightsConfig:
    """Build the thresholds from the ``[insights]`` table (``Config.raw["insights"]``).

    Missing keys keep their defaults; unknown keys, wrong types, values out of range and
    thresholds in the wrong order are all listed in one ConfigError.
    """
    table = {} if raw is None else raw
    if not isinstance(table, dict):
        raise ConfigError(f"insights: expected a table of thresholds, got {table!r}")
    known = {f.name: f for f in fields(InsightsConfig)}
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key in sorted(set(table) - set(known)):
        problems.append(f"insights.{key}: unknown setting")
    for name, spec in known.items():
        if name not in table:
            continue
        value = table[name]
        lo, hi = _RANGES[name]
        is_int = spec.type in ("int", int)
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "a whole number" if is_int else "a number"
            problems.append(f"insights.{name}: expected {kind}, got {value!r}")
            continue
        if is_int and not isinstance(value, int):
            problems.append(f"insights.{name}: expected a whole number, got {value!r}")
            continue
        if not lo <= value <= hi:
            problems.append(f"insights.{name}: expected a value from {lo} to {hi}, got {value!r}")
            continue
        values[name] = value if is_int else float(value)
    cfg = InsightsConfig(**values)
    for low, high in _ORDERED:
        if getattr(cfg, low) > getattr(cfg, high):
            problems.append(
                f"insights.{low}: must not exceed insights.{high} "
                f"({getattr(cfg, low)!r} > {getattr(cfg, high)!r})"
            )
    if problems:
        raise ConfigError("invalid configuration: " + "; ".join(problems))
    return cfg
