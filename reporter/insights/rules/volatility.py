"""Volatility: the VIX's regime (its level against the bands and its 20-day average), one-day
spikes and relief, complacency and extreme fear.

The regime is one of five, each a level statement (the sentence gives the day's change as a
signed figure, so no word claims a move the VIX did not make): stress (at or above
``vix_stress``), elevated and not easing (at or above ``vix_elevated`` and its 20-day average),
easing (elevated but below its 20-day average), picking up (below ``vix_elevated``, above its
20-day average) and calm (below both).

One reading per figure: a VIX low enough to read as complacency (a risk) is not also listed as
calm that supports risk-taking (an opportunity); the complacency reading, the more specific of
the two, stands. And one side per day (:func:`vix`): the VIX is a risk or an opportunity, never
both (2025-04-09: "stress" at 33.6 and "relief" after a 35% fall). The day's change decides, as
the note shows it (points, two decimals): a VIX that rose is read as a risk, one that fell as
an opportunity; an unchanged one by its level (at or above ``vix_elevated``: a risk).
"""

from __future__ import annotations

from typing import Any

from reporter.i18n import shown_sign
from reporter.insights.findings import Finding
from reporter.insights.rules.base import Ctx, finding, ramp, trigger
from reporter.vocabulary import VIX

LEVEL = "volatility.level"


def volatility(c: Ctx) -> list[Finding]:
    """The regime, complacency and extreme fear."""
    level, change = c.num(LEVEL), c.num("volatility.change_1d")
    if level is None or change is None:
        return []
    cfg, out = c.cfg, []
    vix = c.get("volatility.symbol") or VIX
    sma = c.num("volatility.sma_20")
    base: dict[str, Any] = {"symbol": vix, "level": level, "change_1d": change}
    ev = [c.ev(LEVEL), c.ev("volatility.change_1d")]
    complacent = _complacency(c, vix, level)
    if level >= cfg.vix_stress:
        fid = "vix_stress"
        score = 0.6 + 0.4 * ramp(level, cfg.vix_stress, cfg.vix_extreme)
        params = {**base, "threshold": cfg.vix_stress,
                  "trigger": trigger(LEVEL, cfg.vix_stress, level, "below", "invalidates", fid)}
        out.append(finding(fid, score, params, ev))
    elif sma is not None:
        ev.append(c.ev("volatility.sma_20"))
        elevated = level >= cfg.vix_elevated
        above = level > sma
        if elevated:
            fid = "vix_elevated" if above else "vix_easing"
            effect = "invalidates" if above else "confirms"
            score = 0.35 + 0.3 * ramp(level, cfg.vix_elevated, cfg.vix_stress)
            t = trigger(LEVEL, cfg.vix_elevated, level, "below", effect, fid)
        else:
            fid = "vix_rising" if above else "vix_calm"
            effect = "confirms" if above else "invalidates"
            ratio = level / sma - 1 if sma > 0 else 0.0
            score = (0.25 + 0.35 * ramp(ratio, 0.0, 0.25) if above
                     else 0.25 + 0.2 * ramp(-ratio, 0.0, 0.2))
            t = trigger(LEVEL, cfg.vix_elevated, level, "above", effect, fid)
        params = {**base, "sma_20": sma, "threshold": cfg.vix_elevated, "trigger": t}
        if not (fid == "vix_calm" and complacent):  # one reading of the same level
            out.append(finding(fid, score, params, ev))
    out += complacent
    pct = c.num("volatility.percentile_1y")
    if (cfg.vix_elevated <= level < cfg.vix_extreme and pct is not None
            and pct >= cfg.vix_fear_percentile and sma is not None and level >= sma):
        fid = "vix_fear"
        score = 0.3 + 0.3 * ramp(pct, cfg.vix_fear_percentile, 1.0)
        params = {"symbol": vix, "level": level, "percentile": pct, "sma_20": sma,
                  "trigger": trigger(LEVEL, sma, level, "below", "confirms", fid)}
        out.append(finding(fid, score, params, [c.ev(LEVEL), c.ev("volatility.percentile_1y"),
                                                c.ev("volatility.sma_20")]))
    if level >= cfg.vix_extreme:
        fid = "vix_extreme"
        score = 0.5 + 0.3 * ramp(level, cfg.vix_extreme, 1.5 * cfg.vix_extreme)
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_extreme,
                  "trigger": trigger(LEVEL, cfg.vix_stress, level, "below", "confirms", fid)}
        out.append(finding(fid, score, params, [c.ev(LEVEL)]))
    return out


def _complacency(c: Ctx, vix: str, level: float) -> list[Finding]:
    """A VIX below ``vix_complacent`` or in the lowest ``vix_low_percentile`` of its year."""
    cfg = c.cfg
    pct = c.num("volatility.percentile_1y")
    low = pct is not None and pct <= cfg.vix_low_percentile
    if (level >= cfg.vix_complacent and not low) or level >= cfg.vix_elevated:
        return []
    fid = "vix_complacent"
    params: dict[str, Any] = {
        "symbol": vix, "level": level, "threshold": cfg.vix_complacent, "percentile": pct,
        "trigger": trigger(LEVEL, cfg.vix_elevated, level, "above", "confirms", fid),
    }
    ev = [c.ev(LEVEL)]
    if pct is not None:
        ev.append(c.ev("volatility.percentile_1y"))
    # a VIX well above the volatility the index realizes prices protection richly: investors
    # are paying for it, which is not complacency (the sentence says so instead)
    ratio = c.num("quality.implied_to_realized")
    if ratio is not None:
        params["implied_to_realized"] = ratio
        params["rich"] = ratio >= cfg.vix_rich_to_realized
        ev.append(c.ev("quality.implied_to_realized"))
    score = 0.3 + 0.3 * ramp(cfg.vix_low_percentile - (pct if pct is not None else 0.0), 0.0,
                             cfg.vix_low_percentile)
    return [finding(fid, score, params, ev)]


def vix_moves(c: Ctx) -> list[Finding]:
    """One-day spikes (a risk) and, while still elevated, sharp falls (relief)."""
    level, ret = c.num(LEVEL), c.num("volatility.return_1d")
    change = c.num("volatility.change_1d")
    if level is None or ret is None or change is None:
        return []
    cfg = c.cfg
    vix = c.get("volatility.symbol") or VIX
    moves = [c.ev(LEVEL), c.ev("volatility.return_1d"), c.ev("volatility.change_1d")]
    params: dict[str, Any] = {"symbol": vix, "level": level, "return_1d": ret, "change_1d": change}
    if ret >= cfg.vix_spike:
        high = c.num("volatility.high_52w")
        ahead = [x for x in (cfg.vix_elevated, cfg.vix_stress, cfg.vix_extreme, high)
                 if x is not None and x > level]
        if not ahead:
            return []
        fid = "vix_spike"
        score = 0.5 + 0.5 * ramp(ret, cfg.vix_spike, 3 * cfg.vix_spike)
        params["trigger"] = trigger(LEVEL, min(ahead), level, "above", "confirms", fid)
        return [finding(fid, score, params, moves)]
    if ret <= -cfg.vix_relief and level >= cfg.vix_elevated:
        fid = "vix_relief"
        score = 0.4 + 0.4 * ramp(-ret, cfg.vix_relief, 3 * cfg.vix_relief)
        params["trigger"] = trigger(LEVEL, cfg.vix_elevated, level, "below", "confirms", fid)
        return [finding(fid, score, params, moves)]
    return []


def vix(c: Ctx) -> list[Finding]:
    """Every VIX reading of the day (:func:`volatility`, :func:`vix_moves`) on one side: the
    risks when the VIX rose (or, unchanged as shown, stands at or above ``vix_elevated``), the
    opportunities when it fell (or, unchanged, stands below it). A side with no reading leaves
    the other's standing."""
    found = [*volatility(c), *vix_moves(c)]
    level, change = c.num(LEVEL), c.num("volatility.change_1d")
    kinds = {f.kind for f in found}
    if level is None or change is None or not {"risk", "opportunity"} <= kinds:
        return found
    way = shown_sign(change, 2)
    side = "risk" if way > 0 or (way == 0 and level >= c.cfg.vix_elevated) else "opportunity"
    return [f for f in found if f.kind in (side, "insight", "key_point")]
