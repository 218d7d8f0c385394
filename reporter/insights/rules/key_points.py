"""Key data points: the candidates for the 5-7 figures that matter today, each with a salience."""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import (
    HEADLINE,
    MIN_SPREAD,
    RUT,
    SPX,
    Ctx,
    finding,
    ramp,
    shown,
)
from reporter.vocabulary import RUN_CLAIM_MIN, VIX


def kp_indices(c: Ctx) -> list[Finding]:
    """Headline index moves and milestones. The S&P 500 always; another index when it moved at
    least ``index_move_notable``, scored higher the more it differs from the S&P 500. A milestone
    (first close above a round level, else an all-time high) replaces the plain move."""
    cfg, out = c.cfg, []
    spx_r = c.num(f"indices.{SPX}.return_1d")
    marks: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, m in enumerate(c.report.get("milestones") or []):
        if not isinstance(m, dict) or m.get("symbol") not in HEADLINE:
            continue
        sym = m["symbol"]
        kind = m.get("kind")
        if kind == "round_level" or (kind == "all_time_high" and sym not in marks):
            marks[sym] = (i, m)
    for sym in HEADLINE:
        base = f"indices.{sym}"
        close, r = c.num(f"{base}.close"), c.num(f"{base}.return_1d")
        if close is None or r is None:
            continue
        params = {"symbol": sym, "close": close, "return_1d": r}
        evidence = [c.ev(f"{base}.close"), c.ev(f"{base}.return_1d")]
        if sym in marks:
            i, m = marks[sym]
            level = m.get("level")
            # a first close above a round level is also a record: without the level, say that
            round_level = m.get("kind") == "round_level" and isinstance(level, int | float)
            fid = "kp_round_level" if round_level else "kp_all_time_high"
            if round_level:
                params["level"] = level
            evidence.append(c.ev(f"milestones[{i}].kind", m.get("date")))
            out.append(finding(fid, 0.95 if fid == "kp_round_level" else 0.9, params, evidence))
            continue
        # the words follow the move as shown (one decimal): +0.04% is "little changed"
        fid = {1: "kp_index_up", -1: "kp_index_down", 0: "kp_index_flat"}[shown(r)]
        if sym == SPX:
            score = 0.5 + 0.5 * ramp(abs(r), 0, cfg.index_move_big)
        elif abs(r) >= cfg.index_move_notable:
            gap = abs(r - spx_r) if spx_r is not None else 0.0
            score = 0.6 * ramp(abs(r), 0, cfg.index_move_big) + 0.3 * ramp(
                gap, 0, cfg.index_move_notable
            )
        else:
            continue
        out.append(finding(fid, score, params, evidence))
    return out


#: From this share of all members going one way, a day is "nearly all up" ("nearly all down"):
#: a plain "more rose than fell" would understate it.
NEARLY_ALL = 0.9


def kp_advance_decline(c: Ctx) -> list[Finding]:
    """Advancers against decliners among members; salience grows with the imbalance. When the
    side ahead holds ``NEARLY_ALL`` of all members (unchanged ones counted), the sentence says
    nearly all of them moved that way (``params["nearly_all"]``)."""
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    if adv is None or dec is None or adv + dec == 0:
        return []
    share = adv / (adv + dec)
    fid = "kp_advancers_lead" if adv > dec else "kp_decliners_lead" if dec > adv else "kp_ad_even"
    members = adv + dec + (c.num("breadth.unchanged") or 0.0)
    params: dict[str, Any] = {"advancers": int(adv), "decliners": int(dec),
                              "members": int(members),
                              "nearly_all": max(adv, dec) >= NEARLY_ALL * members}
    score = 0.3 + 0.7 * ramp(abs(share - 0.5), 0, 0.4)
    ev = [c.ev("breadth.advancers"), c.ev("breadth.decliners")]
    if c.get("breadth.unchanged") is not None:
        ev.append(c.ev("breadth.unchanged"))
    return [finding(fid, score, params, ev)]


def kp_pct_above(c: Ctx) -> list[Finding]:
    """Shares of members above their 50- and 200-day averages; salient at the extremes."""
    p50, p200 = c.num("breadth.pct_above_50d"), c.num("breadth.pct_above_200d")
    if p50 is None or p200 is None:
        return []
    score = 0.25 + 0.65 * ramp(abs(p50 - 0.5), 0.1, 0.4)
    ev = [c.ev("breadth.pct_above_50d"), c.ev("breadth.pct_above_200d")]
    return [finding("kp_pct_above", score, {"pct_50d": p50, "pct_200d": p200}, ev)]


def kp_highs_lows(c: Ctx) -> list[Finding]:
    """New 52-week highs against new lows; salient as either reaches a fifth of the members."""
    highs, lows = c.num("breadth.new_highs"), c.num("breadth.new_lows")
    total = c.num("breadth.members_total") or 500.0
    if highs is None or lows is None or max(highs, lows) == 0:  # no figure that shows as zero
        return []
    fid = "kp_net_new_highs" if highs >= lows else "kp_net_new_lows"
    score = 0.2 + 0.7 * ramp(max(highs, lows), 0, 0.2 * total)
    ev = [c.ev("breadth.new_highs"), c.ev("breadth.new_lows")]
    return [finding(fid, score, {"new_highs": int(highs), "new_lows": int(lows)}, ev)]


def kp_size(c: Ctx) -> list[Finding]:
    """Russell 2000 against S&P 500 today, when the spread shows at least 0.1 percentage points;
    salience from the spread and the run behind it (named from 3 sessions)."""
    spread = c.num("size_rotation.spread_1d")
    if spread is None or abs(spread) < MIN_SPREAD or shown(spread, 1) == 0:
        return []
    small, large = c.get("size_rotation.small") or RUT, c.get("size_rotation.large") or SPX
    run = c.num("size_rotation.run.length") or 0
    fid = "kp_small_lead" if spread > 0 else "kp_large_lead"
    params = {"small": small, "large": large, "spread_1d": spread,
              "run_length": int(run) if run >= RUN_CLAIM_MIN else 0}
    score = (
        0.2
        + 0.4 * ramp(abs(spread), 0, c.cfg.size_spread_notable)
        + 0.3 * ramp(run, 1, 2 * c.cfg.run_notable)
    )
    ev = [c.ev("size_rotation.spread_1d"), c.ev("size_rotation.run.length")]
    return [finding(fid, score, params, ev)]


def kp_vix(c: Ctx) -> list[Finding]:
    """The VIX close and its change; salient on big moves and high levels."""
    level, change = c.num("volatility.level"), c.num("volatility.change_1d")
    ret = c.num("volatility.return_1d")
    if level is None or change is None or ret is None:
        return []
    cfg = c.cfg
    # the words follow the change as shown: points with two decimals, percent with one
    move = shown(change, 2, 1.0) if shown(ret) != 0 else 0
    fid = {1: "kp_vix_up", -1: "kp_vix_down", 0: "kp_vix_flat"}[move]
    score = (
        0.2
        + 0.4 * ramp(abs(ret), 0, cfg.vix_spike)
        + 0.35 * ramp(level, cfg.vix_elevated, cfg.vix_extreme)
    )
    params = {"symbol": c.get("volatility.symbol") or VIX, "level": level,
              "change_1d": change, "return_1d": ret}
    ev = [c.ev("volatility.level"), c.ev("volatility.change_1d"), c.ev("volatility.return_1d")]
    return [finding(fid, score, params, ev)]


def kp_sector_range(c: Ctx) -> list[Finding]:
    """Best and worst sector of the day; salient as the gap between them widens."""
    rows = [(i, r) for i, r in c.sector_rows() if isinstance(r.get("return_1d"), int | float)]
    if len(rows) < 2:
        return []
    (bi, best), (wi, worst) = max(rows, key=lambda x: x[1]["return_1d"]), min(
        rows, key=lambda x: x[1]["return_1d"]
    )
    params = {
        "best": best["symbol"],
        "best_return": best["return_1d"],
        "worst": worst["symbol"],
        "worst_return": worst["return_1d"],
    }
    score = 0.2 + 0.5 * ramp(best["return_1d"] - worst["return_1d"], 0, 0.04)
    ev = [c.ev(f"sectors[{bi}].return_1d"), c.ev(f"sectors[{wi}].return_1d")]
    return [finding("kp_sector_range", score, params, ev)]


def kp_watch(c: Ctx) -> list[Finding]:
    """A watch-list stock's move of at least ``watch_move`` in the session."""
    out = []
    for sym in sorted(c.report.get("watchlist") or {}):
        r, close = c.num(f"returns.{sym}.return_1d"), c.num(f"returns.{sym}.close")
        if r is None or close is None or abs(r) < c.cfg.watch_move:
            continue
        fid = "kp_watch_up" if r > 0 else "kp_watch_down"
        score = 0.3 + 0.5 * ramp(abs(r), c.cfg.watch_move, 3 * c.cfg.watch_move)
        ev = [c.ev(f"returns.{sym}.close"), c.ev(f"returns.{sym}.return_1d")]
        out.append(finding(fid, score, {"symbol": sym, "close": close, "return_1d": r}, ev))
    return out
