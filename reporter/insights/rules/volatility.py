"""Volatility: the VIX's level bands and its one-day moves."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.rules.base import Ctx, finding, ramp
from reporter.vocabulary import VOLATILITY


def volatility(c: Ctx) -> list[Finding]:
    """VIX bands (complacent / elevated / stress / extreme), one-day spikes and relief."""
    level, ret = c.num("volatility.level"), c.num("volatility.return_1d")
    change = c.num("volatility.change_1d")
    if level is None:
        return []
    cfg, out = c.cfg, []
    vix = c.get("volatility.symbol") or VOLATILITY
    lev = [c.ev("volatility.level")]
    if level >= cfg.vix_stress:
        score = 0.6 + 0.4 * ramp(level, cfg.vix_stress, cfg.vix_extreme)
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_stress}
        out.append(finding("vix_stress", score, params, lev))
    elif level >= cfg.vix_elevated:
        score = 0.3 + 0.3 * ramp(level, cfg.vix_elevated, cfg.vix_stress)
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_elevated}
        out.append(finding("vix_elevated", score, params, lev))
    elif level < cfg.vix_complacent:
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_complacent}
        out.append(finding("vix_complacent", 0.3, params, lev))
    if level >= cfg.vix_extreme:
        score = 0.5 + 0.3 * ramp(level, cfg.vix_extreme, 1.5 * cfg.vix_extreme)
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_extreme}
        out.append(finding("vix_extreme", score, params, lev))
    if ret is not None and change is not None:
        moves = [*lev, c.ev("volatility.return_1d"), c.ev("volatility.change_1d")]
        params = {"symbol": vix, "level": level, "return_1d": ret, "change_1d": change}
        if ret >= cfg.vix_spike:
            score = 0.5 + 0.5 * ramp(ret, cfg.vix_spike, 3 * cfg.vix_spike)
            out.append(finding("vix_spike", score, params, moves))
        elif ret <= -cfg.vix_relief and level >= cfg.vix_elevated:
            score = 0.4 + 0.4 * ramp(-ret, cfg.vix_relief, 3 * cfg.vix_relief)
            out.append(finding("vix_relief", score, params, moves))
    return out
