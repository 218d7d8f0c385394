"""Breadth of participation: members against the index, momentum, highs and lows, volume and
the Arms index, the share above the averages, the summation index, the Zweig breadth thrust."""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import SPX, Ctx, ahead, finding, ramp, trigger

#: Zweig breadth thrust thresholds (from the definition; stated in the sentence).
ZWEIG_LOW, ZWEIG_HIGH = 0.40, 0.615
#: A share of half the members: the line between a minority and a majority.
HALF = 0.5

OSC = "breadth.mcclellan_oscillator_ratio_adjusted"
PCT50, PCT200 = "breadth.pct_above_50d", "breadth.pct_above_200d"
NET = "breadth.net_advances"
UP_SHARE = "breadth.up_volume_share"
#: Member volume against its 20-session average (report.json ``quality``).
VOLUME = "quality.volume_vs_20d"
SUMMATION = "breadth.summation_index"


def breadth_divergence_day(c: Ctx) -> list[Finding]:
    """The index moved at least ``divergence_index_move`` one way while most members went the
    other (advancers' share beyond 50% by ``divergence_share_margin``)."""
    r = c.num(f"indices.{SPX}.return_1d")
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    net = c.num(NET)
    if r is None or adv is None or dec is None or adv + dec == 0 or net is None:
        return []
    cfg = c.cfg
    share = adv / (adv + dec)
    params: dict[str, Any] = {"symbol": SPX, "return_1d": r, "advancers": int(adv),
                              "decliners": int(dec)}
    ev = [c.ev(f"indices.{SPX}.return_1d"), c.ev("breadth.advancers"), c.ev("breadth.decliners")]
    move, margin = cfg.divergence_index_move, cfg.divergence_share_margin
    tilt = abs(share - 0.5)
    score = 0.4 + 0.3 * ramp(tilt, margin, 0.3) + 0.3 * ramp(abs(r), move, 4 * move)
    if r >= move and share <= 0.5 - margin and net < 0:
        fid = "breadth_divergence_narrow"
        params["trigger"] = trigger(NET, 0, net, "above", "invalidates", fid)
        return [finding(fid, score, params, [*ev, c.ev(NET)])]
    if r <= -move and share >= 0.5 + margin and net > 0:
        fid = "breadth_divergence_broad"
        params["trigger"] = trigger(NET, 0, net, "below", "invalidates", fid)
        return [finding(fid, score, params, [*ev, c.ev(NET)])]
    return []


def breadth_trend(c: Ctx) -> list[Finding]:
    """The share of members above their 50-day average over five sessions against the index:
    opposite directions are narrowing (risk) or expanding (opportunity) breadth; the same
    direction confirms the move. When the share moved at least ``pct_above_50d_change`` the
    other way today (``params["turned"]``), the sentence says both: five sessions one way, the
    day the other ("still down from 42.1% five sessions ago, though up from 5.8% the session
    before"), never a bare "thinning" on a day participation jumped."""
    p50, before = c.num(PCT50), c.num("breadth.pct_above_50d_5d_ago")
    prev = c.num("breadth.pct_above_50d_prev")
    r5 = c.num(f"indices.{SPX}.return_5d")
    cfg = c.cfg
    if p50 is None or before is None or r5 is None:
        return []
    change = p50 - before
    if abs(change) < cfg.pct_above_50d_change:
        return []
    move = cfg.divergence_index_move_5d
    day = None if prev is None else p50 - prev
    turned = day is not None and day * change < 0 and abs(day) >= cfg.pct_above_50d_change
    params: dict[str, Any] = {"symbol": SPX, "return_5d": r5, "pct_50d": p50,
                              "pct_50d_before": before, "pct_50d_prev": prev,
                              "turned": turned}
    if change < 0 and r5 >= move:
        fid = "breadth_narrowing"
        params["trigger"] = trigger(PCT50, before, p50, "above", "invalidates", fid)
    elif change > 0 and r5 <= -move:
        fid = "breadth_expanding"
        params["trigger"] = trigger(PCT50, before, p50, "below", "invalidates", fid)
    else:
        fid = "breadth_confirm_up" if change > 0 else "breadth_confirm_down"
    score = 0.4 + 0.4 * ramp(abs(change), cfg.pct_above_50d_change, 4 * cfg.pct_above_50d_change)
    if fid in ("breadth_narrowing", "breadth_expanding"):
        score += 0.2 * ramp(abs(r5), move, 4 * move)
    ev = [c.ev(f"indices.{SPX}.return_5d"), c.ev(PCT50), c.ev("breadth.pct_above_50d_5d_ago")]
    if prev is not None:
        ev.append(c.ev("breadth.pct_above_50d_prev"))
    return [finding(fid, score, params, ev)]


def breadth_momentum(c: Ctx) -> list[Finding]:
    """The index over five sessions against the ratio-adjusted McClellan oscillator's sign."""
    r5 = c.num(f"indices.{SPX}.return_5d")
    osc = c.num(OSC)
    if r5 is None or osc is None:
        return []
    cfg = c.cfg
    move = cfg.divergence_index_move_5d
    score = 0.35 + 0.35 * ramp(abs(osc), 0, cfg.mcclellan_overbought) + 0.3 * ramp(
        abs(r5), move, 4 * move
    )
    params: dict[str, Any] = {"symbol": SPX, "return_5d": r5, "oscillator": osc}
    ev = [c.ev(f"indices.{SPX}.return_5d"), c.ev(OSC)]
    if r5 >= move and osc < 0:
        fid = "breadth_momentum_negative"
        params["trigger"] = trigger(OSC, 0, osc, "above", "invalidates", fid)
        return [finding(fid, score, params, ev)]
    if r5 <= -move and osc > 0:
        fid = "breadth_momentum_positive"
        params["trigger"] = trigger(OSC, 0, osc, "below", "invalidates", fid)
        return [finding(fid, score, params, ev)]
    return []


def highs_lows(c: Ctx) -> list[Finding]:
    """New 52-week highs (or lows) of at least ``new_highs_lows_min`` members and at least
    twice the other side."""
    highs, lows = c.num("breadth.new_highs"), c.num("breadth.new_lows")
    if highs is None or lows is None:
        return []
    need = c.cfg.new_highs_lows_min
    hli = c.num("breadth.high_low_index")
    params: dict[str, Any] = {"new_highs": int(highs), "new_lows": int(lows),
                              "high_low_index": hli}
    ev = [c.ev("breadth.new_highs"), c.ev("breadth.new_lows")]
    if hli is not None:
        ev.append(c.ev("breadth.high_low_index"))
    if highs >= need and highs >= 2 * lows:
        score = 0.3 + 0.5 * ramp(highs, need, 5 * need)
        return [finding("new_highs_expand", score, params, ev)]
    if lows >= need and lows >= 2 * highs:
        fid = "new_lows_expand"
        params["trigger"] = trigger("breadth.new_lows", need, lows, "below", "invalidates", fid)
        score = 0.45 + 0.5 * ramp(lows, need, 5 * need)
        return [finding(fid, score, params, ev)]
    return []


def volume_thrust(c: Ctx) -> list[Finding]:
    """A 90% day: up (or down) volume at least ``volume_thrust_share`` of member volume. A
    90% down day is answered by a 90% up day; a 90% up day is confirmed by a Zweig thrust
    (or, once that average is above its bar, by a majority above the 50-day average)."""
    share = c.num(UP_SHARE)
    path = UP_SHARE
    if share is None:
        up, down = c.num("breadth.up_volume"), c.num("breadth.down_volume")
        if up is None or down is None or up + down <= 0:
            return []
        share, path = up / (up + down), "breadth.up_volume"
    need = c.cfg.volume_thrust_share
    ev = [c.ev(path)] if path.endswith("share") else [c.ev(path), c.ev("breadth.down_volume")]
    if share >= need:
        fid = "up_volume_thrust"
        score = 0.6 + 0.4 * ramp(share, need, 1.0)
        ema, p50 = c.num("breadth.zweig_ema"), c.num(PCT50)
        if ema is not None and ema < ZWEIG_HIGH:
            t = trigger("breadth.zweig_ema", ZWEIG_HIGH, ema, "above", "confirms", fid)
        elif p50 is not None and p50 < HALF:
            t = trigger(PCT50, HALF, p50, "above", "confirms", fid)
        else:
            return []
        params = {"share": share, "threshold": need, "trigger": t}
        return [finding(fid, score, params, ev)]
    if 1 - share >= need:
        # heavy selling only on volume above its average: a one-sided day on light volume
        # (2025-12-31, 0.58 times the average) is worded, and ranked, as the lesser risk
        fid = "down_volume_thrust"
        volume = c.num(VOLUME)
        heavy = volume is not None and volume > c.cfg.story_capitulation_volume
        score = (0.6 + 0.4 * ramp(1 - share, need, 1.0)) if heavy else (
            0.4 + 0.2 * ramp(1 - share, need, 1.0))
        params = {"share": 1 - share, "threshold": need,
                  "trigger": trigger(UP_SHARE, need, share, "above", "invalidates", fid)}
        if volume is not None:
            params["volume_vs_20d"] = volume
            params["heavy"] = heavy
            ev.append(c.ev(VOLUME))
        return [finding(fid, score, params, ev)]
    return []


def volume_confirmation(c: Ctx) -> list[Finding]:
    """Did volume back the day's breadth? The day's direction is that of advancers against
    decliners. Up volume's share and the Arms index (TRIN) both weigh volume: an advance with
    most volume in advancers and TRIN at or below 1 is confirmed (an opportunity), else thin (a
    risk); a decline with most volume in decliners is confirmed (a risk: even when TRIN reads
    below 1, which a lopsided count of stocks can cause), else thin (an opportunity)."""
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    share, trin = c.num(UP_SHARE), c.num("breadth.trin")
    if adv is None or dec is None or share is None or trin is None or adv == dec:
        return []
    params: dict[str, Any] = {"advancers": int(adv), "decliners": int(dec), "share": share,
                              "trin": trin}
    ev = [c.ev("breadth.advancers"), c.ev("breadth.decliners"), c.ev(UP_SHARE),
          c.ev("breadth.trin")]
    ratio = max(adv, dec) / max(1.0, min(adv, dec))
    extreme = c.cfg.volume_thrust_share
    if share >= extreme or 1 - share >= extreme:  # a 90% day says it (volume_thrust)
        return []
    if adv > dec:
        if share >= HALF and trin <= 1:
            fid = "volume_confirms_advance"
            score = 0.3 + 0.4 * ramp(share, HALF, 0.9)
            params["trigger"] = trigger(UP_SHARE, HALF, share, "below", "invalidates", fid)
        else:
            fid = "volume_thin_advance"
            score = 0.35 + 0.25 * ramp(trin, 1.0, 2.0) + 0.2 * ramp(ratio, 1.0, 4.0)
            params["trigger"] = ahead(UP_SHARE, share, HALF, "invalidates", "confirms", fid)
    elif share <= HALF:
        fid = "volume_confirms_decline"
        score = 0.3 + 0.4 * ramp(1 - share, HALF, 0.9)
        params["trigger"] = trigger(UP_SHARE, HALF, share, "above", "invalidates", fid)
    else:
        fid = "volume_thin_decline"
        score = 0.3 + 0.3 * ramp(share, HALF, 0.7)
        params["trigger"] = trigger(UP_SHARE, HALF, share, "below", "invalidates", fid)
    return [finding(fid, score, params, ev)]


def summation(c: Ctx) -> list[Finding]:
    """The summation index's five-session direction against the index's: a rising index on
    falling breadth momentum is a divergence (risk), a falling index on rising breadth
    momentum the reverse (opportunity). Its level depends on where the running sum starts
    (``breadth.ad_line_start``), so the sentence reads its direction and says so."""
    now, before = c.num(SUMMATION), c.num("breadth.summation_index_5d_ago")
    r5 = c.num(f"indices.{SPX}.return_5d")
    if now is None or before is None or r5 is None:
        return []
    move = c.cfg.divergence_index_move_5d
    params: dict[str, Any] = {"symbol": SPX, "return_5d": r5, "summation": now,
                              "summation_before": before, "start": c.get("breadth.ad_line_start")}
    ev = [c.ev(f"indices.{SPX}.return_5d"), c.ev(SUMMATION), c.ev("breadth.summation_index_5d_ago")]
    score = 0.3 + 0.3 * ramp(abs(now - before), 0, 100) + 0.2 * ramp(abs(r5), move, 4 * move)
    if r5 >= move and now < before:
        fid = "summation_divergence"
        params["trigger"] = trigger(SUMMATION, before, now, "above", "invalidates", fid)
        return [finding(fid, score, params, ev)]
    if r5 <= -move and now > before:
        fid = "summation_improving"
        params["trigger"] = trigger(SUMMATION, before, now, "below", "invalidates", fid)
        return [finding(fid, score, params, ev)]
    return []


def narrow_near_high(c: Ctx) -> list[Finding]:
    """The S&P 500 within ``near_high`` of its 52-week high while fewer than ``narrow_share``
    of members are above their 50-day (else their 200-day) average: an advance resting on
    fewer stocks."""
    off = c.num(f"indices.{SPX}.from_high_52w")
    cfg = c.cfg
    if off is None or off < -cfg.near_high:
        return []
    for span, path in ((50, PCT50), (200, PCT200)):
        share = c.num(path)
        if share is None or share >= cfg.narrow_share:
            continue
        fid = "narrow_near_high"
        params: dict[str, Any] = {
            "symbol": SPX, "from_high": off, "span": span, "share": share,
            "trigger": (trigger(path, HALF, share, "below", "confirms", fid) if share >= HALF
                        else trigger(path, cfg.narrow_share, share, "above", "invalidates",
                                     fid)),
        }
        score = 0.35 + 0.35 * ramp(cfg.narrow_share - share, 0, 0.25) + 0.1 * (off >= 0)
        score -= 0.1 * (span == 200)
        ev = [c.ev(f"indices.{SPX}.from_high_52w"), c.ev(path)]
        return [finding(fid, score, params, ev)]
    return []


def few_new_highs(c: Ctx) -> list[Finding]:
    """The S&P 500 within ``near_high`` of its 52-week high while fewer than
    ``new_highs_lows_min`` members make new highs and, over ten sessions, new lows have kept
    pace with them (high-low index at or below 50): records on thin leadership, not one quiet
    day in a run of highs."""
    off, highs = c.num(f"indices.{SPX}.from_high_52w"), c.num("breadth.new_highs")
    hli = c.num("breadth.high_low_index")
    cfg = c.cfg
    need = cfg.new_highs_lows_min
    if off is None or highs is None or off < -cfg.near_high or highs >= need:
        return []
    if hli is not None and hli > 50:
        return []
    fid = "few_new_highs"
    params = {"symbol": SPX, "from_high": off, "new_highs": int(highs), "threshold": need,
              "trigger": trigger("breadth.new_highs", need, highs, "above", "invalidates", fid)}
    score = 0.3 + 0.3 * ramp(need - highs, 0, need) + 0.1 * (off >= 0)
    ev = [c.ev(f"indices.{SPX}.from_high_52w"), c.ev("breadth.new_highs")]
    if hli is not None:
        ev.append(c.ev("breadth.high_low_index"))
    return [finding(fid, score, params, ev)]


def mcclellan(c: Ctx) -> list[Finding]:
    """Ratio-adjusted McClellan oscillator beyond its overbought / oversold bounds."""
    osc = c.num(OSC)
    if osc is None:
        return []
    cfg = c.cfg
    ev = [c.ev(OSC)]
    if osc >= cfg.mcclellan_overbought:
        fid = "mcclellan_overbought"
        score = 0.3 + 0.4 * ramp(osc, cfg.mcclellan_overbought, 2 * cfg.mcclellan_overbought)
        params = {"oscillator": osc, "threshold": cfg.mcclellan_overbought,
                  "trigger": trigger(OSC, 0, osc, "below", "confirms", fid)}
        return [finding(fid, score, params, ev)]
    if osc <= cfg.mcclellan_oversold:
        fid = "mcclellan_oversold"
        score = 0.3 + 0.4 * ramp(-osc, -cfg.mcclellan_oversold, -2 * cfg.mcclellan_oversold)
        params = {"oscillator": osc, "threshold": cfg.mcclellan_oversold,
                  "trigger": trigger(OSC, cfg.mcclellan_oversold, osc, "above", "confirms", fid)}
        return [finding(fid, score, params, ev)]
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
    osc, share = c.num(OSC), c.num(UP_SHARE)
    if value <= cfg.trin_climax and adv > dec and osc is not None and osc > 0:
        fid = "trin_climax"
        score = 0.3 + 0.4 * ramp(cfg.trin_climax - value, 0, cfg.trin_climax / 2)
        params = {"trin": value, "threshold": cfg.trin_climax,
                  "trigger": trigger(OSC, 0, osc, "below", "confirms", fid)}
        return [finding(fid, score, params, [*ev, c.ev(OSC)])]
    if value >= cfg.trin_panic and dec > adv and share is not None:
        fid = "trin_panic"
        need = cfg.volume_thrust_share
        score = 0.3 + 0.4 * ramp(value, cfg.trin_panic, 2 * cfg.trin_panic)
        params = {"trin": value, "threshold": cfg.trin_panic,
                  "trigger": trigger(UP_SHARE, need, share, "above", "confirms", fid)}
        return [finding(fid, score, params, [*ev, c.ev(UP_SHARE)])]
    return []


def participation_levels(c: Ctx) -> list[Finding]:
    """Washed-out short-term breadth (few members above the 50-day), weak long-term breadth
    (few above the 200-day), overbought breadth (many above the 50-day) and a short-term
    oversold reading (few above the 20-day)."""
    cfg, out = c.cfg, []
    p20, p50, p200 = c.num("breadth.pct_above_20d"), c.num(PCT50), c.num(PCT200)
    if p50 is not None and p50 >= cfg.pct_above_50d_overbought:
        fid = "breadth_overbought"
        score = 0.25 + 0.35 * ramp(p50, cfg.pct_above_50d_overbought, 0.9)
        level = min(cfg.narrow_share, cfg.pct_above_50d_overbought)
        params = {"pct_50d": p50, "threshold": cfg.pct_above_50d_overbought,
                  "trigger": trigger(PCT50, level, p50, "below", "confirms", fid)}
        out.append(finding(fid, score, params, [c.ev(PCT50)]))
    if p20 is not None and p20 <= cfg.pct_above_20d_oversold:
        fid = "short_term_oversold"
        score = 0.25 + 0.35 * ramp(cfg.pct_above_20d_oversold - p20, 0, 0.2)
        params = {"pct_20d": p20, "threshold": cfg.pct_above_20d_oversold,
                  "trigger": trigger("breadth.pct_above_20d",
                                     max(HALF, cfg.pct_above_20d_oversold), p20, "above",
                                     "confirms", fid)}
        out.append(finding(fid, score, params, [c.ev("breadth.pct_above_20d")]))
    if p50 is not None and p50 <= cfg.pct_above_50d_washout:
        fid = "pct50_washout"
        score = 0.35 + 0.45 * ramp(cfg.pct_above_50d_washout - p50, 0, cfg.pct_above_50d_washout)
        params = {"pct_50d": p50, "threshold": cfg.pct_above_50d_washout,
                  "trigger": trigger(PCT50, max(HALF, cfg.pct_above_50d_washout), p50, "above",
                                     "confirms", fid)}
        out.append(finding(fid, score, params, [c.ev(PCT50)]))
    if p200 is not None and p200 <= cfg.pct_above_200d_weak:
        fid = "trend_weak"
        score = 0.35 + 0.45 * ramp(cfg.pct_above_200d_weak - p200, 0, cfg.pct_above_200d_weak / 2)
        params = {"pct_200d": p200, "threshold": cfg.pct_above_200d_weak,
                  "trigger": trigger(PCT200, max(HALF, cfg.pct_above_200d_weak), p200, "above",
                                     "invalidates", fid)}
        out.append(finding(fid, score, params, [c.ev(PCT200)]))
    return out


def zweig(c: Ctx) -> list[Finding]:
    """A Zweig breadth thrust that fired within the last ``recent_sessions`` sessions; it fails
    if the advancing share's average falls back below one half."""
    day = c.get("breadth.zweig_thrust_last")
    ago = c.sessions_since(day)
    ema = c.num("breadth.zweig_ema")
    if ago is None or ago > c.cfg.recent_sessions or ema is None or ema < HALF:
        return []
    fid = "zweig_thrust"
    params = {"date": day, "sessions_ago": ago, "low": ZWEIG_LOW, "high": ZWEIG_HIGH,
              "trigger": trigger("breadth.zweig_ema", HALF, ema, "below", "invalidates", fid)}
    score = 0.9 if ago == 0 else 0.8 - 0.3 * ramp(ago, 0, c.cfg.recent_sessions)
    ev = [c.ev("breadth.zweig_thrust_last", day), c.ev("breadth.zweig_ema")]
    return [finding(fid, score, params, ev)]
