"""Breadth of participation: members against the index, momentum, highs and lows, volume,
the Arms index, the share above the averages, and the Zweig breadth thrust."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.rules.base import SPX, Ctx, finding, ramp

#: Zweig breadth thrust thresholds (from the definition; stated in the sentence).
ZWEIG_LOW, ZWEIG_HIGH = 0.40, 0.615

def breadth_divergence_day(c: Ctx) -> list[Finding]:
    """The index moved at least ``divergence_index_move`` one way while most members went the
    other (advancers' share beyond 50% by ``divergence_share_margin``)."""
    r = c.num(f"indices.{SPX}.return_1d")
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    if r is None or adv is None or dec is None or adv + dec == 0:
        return []
    cfg = c.cfg
    share = adv / (adv + dec)
    params = {"symbol": SPX, "return_1d": r, "advancers": int(adv), "decliners": int(dec)}
    ev = [c.ev(f"indices.{SPX}.return_1d"), c.ev("breadth.advancers"), c.ev("breadth.decliners")]
    move, margin = cfg.divergence_index_move, cfg.divergence_share_margin
    tilt = abs(share - 0.5)
    score = 0.4 + 0.3 * ramp(tilt, margin, 0.3) + 0.3 * ramp(abs(r), move, 4 * move)
    if r >= move and share <= 0.5 - margin:
        return [finding("breadth_divergence_narrow", score, params, ev)]
    if r <= -move and share >= 0.5 + margin:
        return [finding("breadth_divergence_broad", score, params, ev)]
    return []


def breadth_trend(c: Ctx) -> list[Finding]:
    """The share of members above their 50-day average over five sessions against the index:
    opposite directions are narrowing (risk) or expanding (opportunity) breadth; the same
    direction confirms the move."""
    p50, before = c.num("breadth.pct_above_50d"), c.num("breadth.pct_above_50d_5d_ago")
    r5 = c.num(f"indices.{SPX}.return_5d")
    cfg = c.cfg
    if p50 is None or before is None or r5 is None:
        return []
    change = p50 - before
    if abs(change) < cfg.pct_above_50d_change:
        return []
    move = cfg.divergence_index_move_5d
    if change < 0 and r5 >= move:
        fid = "breadth_narrowing"
    elif change > 0 and r5 <= -move:
        fid = "breadth_expanding"
    else:
        fid = "breadth_confirm_up" if change > 0 else "breadth_confirm_down"
    score = 0.4 + 0.4 * ramp(abs(change), cfg.pct_above_50d_change, 4 * cfg.pct_above_50d_change)
    if fid in ("breadth_narrowing", "breadth_expanding"):
        score += 0.2 * ramp(abs(r5), move, 4 * move)
    params = {"symbol": SPX, "return_5d": r5, "pct_50d": p50, "pct_50d_before": before}
    ev = [
        c.ev(f"indices.{SPX}.return_5d"),
        c.ev("breadth.pct_above_50d"),
        c.ev("breadth.pct_above_50d_5d_ago"),
    ]
    return [finding(fid, score, params, ev)]


def breadth_momentum(c: Ctx) -> list[Finding]:
    """The index over five sessions against the ratio-adjusted McClellan oscillator's sign."""
    r5 = c.num(f"indices.{SPX}.return_5d")
    osc = c.num("breadth.mcclellan_oscillator_ratio_adjusted")
    if r5 is None or osc is None:
        return []
    cfg = c.cfg
    move = cfg.divergence_index_move_5d
    score = 0.35 + 0.35 * ramp(abs(osc), 0, cfg.mcclellan_overbought) + 0.3 * ramp(
        abs(r5), move, 4 * move
    )
    params = {"symbol": SPX, "return_5d": r5, "oscillator": osc}
    ev = [c.ev(f"indices.{SPX}.return_5d"), c.ev("breadth.mcclellan_oscillator_ratio_adjusted")]
    if r5 >= move and osc < 0:
        return [finding("breadth_momentum_negative", score, params, ev)]
    if r5 <= -move and osc > 0:
        return [finding("breadth_momentum_positive", score, params, ev)]
    return []


def highs_lows(c: Ctx) -> list[Finding]:
    """New 52-week highs (or lows) of at least ``new_highs_lows_min`` members and at least
    twice the other side."""
    highs, lows = c.num("breadth.new_highs"), c.num("breadth.new_lows")
    if highs is None or lows is None:
        return []
    need = c.cfg.new_highs_lows_min
    hli = c.num("breadth.high_low_index")
    params = {"new_highs": int(highs), "new_lows": int(lows), "high_low_index": hli}
    ev = [c.ev("breadth.new_highs"), c.ev("breadth.new_lows")]
    if hli is not None:
        ev.append(c.ev("breadth.high_low_index"))
    if highs >= need and highs >= 2 * lows:
        score = 0.3 + 0.5 * ramp(highs, need, 5 * need)
        return [finding("new_highs_expand", score, params, ev)]
    if lows >= need and lows >= 2 * highs:
        score = 0.45 + 0.5 * ramp(lows, need, 5 * need)
        return [finding("new_lows_expand", score, params, ev)]
    return []


def volume_thrust(c: Ctx) -> list[Finding]:
    """A 90% day: up (or down) volume at least ``volume_thrust_share`` of member volume."""
    share = c.num("breadth.up_volume_share")
    path = "breadth.up_volume_share"
    if share is None:
        up, down = c.num("breadth.up_volume"), c.num("breadth.down_volume")
        if up is None or down is None or up + down <= 0:
            return []
        share, path = up / (up + down), "breadth.up_volume"
    need = c.cfg.volume_thrust_share
    ev = [c.ev(path)] if path.endswith("share") else [c.ev(path), c.ev("breadth.down_volume")]
    if share >= need:
        score = 0.6 + 0.4 * ramp(share, need, 1.0)
        return [finding("up_volume_thrust", score, {"share": share, "threshold": need}, ev)]
    if 1 - share >= need:
        score = 0.6 + 0.4 * ramp(1 - share, need, 1.0)
        params = {"share": 1 - share, "threshold": need}
        return [finding("down_volume_thrust", score, params, ev)]
    return []


def mcclellan(c: Ctx) -> list[Finding]:
    """Ratio-adjusted McClellan oscillator beyond its overbought / oversold bounds."""
    osc = c.num("breadth.mcclellan_oscillator_ratio_adjusted")
    if osc is None:
        return []
    cfg = c.cfg
    ev = [c.ev("breadth.mcclellan_oscillator_ratio_adjusted")]
    if osc >= cfg.mcclellan_overbought:
        score = 0.3 + 0.4 * ramp(osc, cfg.mcclellan_overbought, 2 * cfg.mcclellan_overbought)
        params = {"oscillator": osc, "threshold": cfg.mcclellan_overbought}
        return [finding("mcclellan_overbought", score, params, ev)]
    if osc <= cfg.mcclellan_oversold:
        score = 0.3 + 0.4 * ramp(-osc, -cfg.mcclellan_oversold, -2 * cfg.mcclellan_oversold)
        params = {"oscillator": osc, "threshold": cfg.mcclellan_oversold}
        return [finding("mcclellan_oversold", score, params, ev)]
    return []


def trin(c: Ctx) -> list[Finding]:
    """Arms index extremes read with the day's direction: a low TRIN on an up day is a buying
    climax, a high TRIN on a down day panic selling (other combinations say little)."""
    value = c.num("breadth.trin")
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    if value is None or adv is None or dec is None:
        return []
    cfg = c.cfg
    ev = [c.ev("breadth.trin"), c.ev("breadth.advancers"), c.ev("breadth.decliners")]
    if value <= cfg.trin_climax and adv > dec:
        score = 0.3 + 0.4 * ramp(cfg.trin_climax - value, 0, cfg.trin_climax / 2)
        params = {"trin": value, "threshold": cfg.trin_climax}
        return [finding("trin_climax", score, params, ev)]
    if value >= cfg.trin_panic and dec > adv:
        score = 0.3 + 0.4 * ramp(value, cfg.trin_panic, 2 * cfg.trin_panic)
        params = {"trin": value, "threshold": cfg.trin_panic}
        return [finding("trin_panic", score, params, ev)]
    return []


def participation_levels(c: Ctx) -> list[Finding]:
    """Washed-out short-term breadth (few members above the 50-day) and weak long-term breadth
    (few above the 200-day)."""
    cfg, out = c.cfg, []
    p50, p200 = c.num("breadth.pct_above_50d"), c.num("breadth.pct_above_200d")
    if p50 is not None and p50 <= cfg.pct_above_50d_washout:
        score = 0.35 + 0.45 * ramp(cfg.pct_above_50d_washout - p50, 0, cfg.pct_above_50d_washout)
        params = {"pct_50d": p50, "threshold": cfg.pct_above_50d_washout}
        out.append(finding("pct50_washout", score, params, [c.ev("breadth.pct_above_50d")]))
    if p200 is not None and p200 <= cfg.pct_above_200d_weak:
        score = 0.35 + 0.45 * ramp(cfg.pct_above_200d_weak - p200, 0, cfg.pct_above_200d_weak / 2)
        params = {"pct_200d": p200, "threshold": cfg.pct_above_200d_weak}
        out.append(finding("trend_weak", score, params, [c.ev("breadth.pct_above_200d")]))
    return out


def zweig(c: Ctx) -> list[Finding]:
    """A Zweig breadth thrust that fired within the last ``recent_sessions`` sessions."""
    day = c.get("breadth.zweig_thrust_last")
    ago = c.sessions_since(day)
    if ago is None or ago > c.cfg.recent_sessions:
        return []
    params = {"date": day, "sessions_ago": ago, "low": ZWEIG_LOW, "high": ZWEIG_HIGH}
    score = 0.9 if ago == 0 else 0.8 - 0.3 * ramp(ago, 0, c.cfg.recent_sessions)
    return [finding("zweig_thrust", score, params, [c.ev("breadth.zweig_thrust_last", day)])]
