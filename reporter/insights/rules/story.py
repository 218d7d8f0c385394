"""The session's story: one of ``STORIES``, classified from several signals at once.

Signals: the S&P 500's 1-day move (``r``) and its size in standard deviations of its prior
20-day volatility (``z``), the advancers' share of advancers and decliners (``a``), up volume's
share of member volume (``u``), member volume against its 20-session average (``v``), a Zweig
breadth thrust firing today, the
losing streak and the fall of the sessions before today (``week``), the Russell 2000 - S&P 500
spread, the sectors' dispersion, and over five sessions the index against the share of
members above their 50-day average. Thresholds are the ``story_*`` keys of ``[insights]``.

The first story that holds, in this order, is the session's:

1. ``capitulation``: a "90% down day" (1 - u >= volume_thrust_share, 1 - a >=
   story_broad_share) that is large (r <= -story_capitulation_move, and z <=
   -story_capitulation_sigmas or r <= -story_capitulation_drop) and heavy (v >
   story_capitulation_volume): ``vocabulary.Capitulation``, the same test as the ``analogs``
   signal ``capitulation``. Selling is a capitulation only with size and volume: a
   one-sided day on light volume (2025-12-31: -0.7%, 0.58 times the average volume) is a
   broad sell-off, not a capitulation;
2. ``breadth_thrust``: a Zweig thrust fired today, or r > 0, u >= volume_thrust_share and
   a >= story_broad_share (a "90% up day");
3. ``relief_rally``: r >= story_rally_move after story_relief_streak losing sessions in a row
   or a fall of story_relief_drop over the four sessions before;
4. ``broad_selloff`` / 5. ``broad_rally``: |r| >= story_flat_move with at least
   story_broad_share of the members going the index's way; worded as broad (普跌 / 普涨) only
   when ``sweeping`` (story_sweep_share of the members, or volume_thrust_share of the volume,
   went the index's way), else "most stocks fell / rose" (多数下跌 / 多数上涨); a sweeping
   day is a "sell-off" / "rally" only when ``sharp`` (|r| >= story_sharp_move), else a
   "broad decline" / "broad advance";
6. ``narrow_rally`` / 7. ``narrow_selloff``: |r| >= story_flat_move with most members going the
   other way;
8. ``size_rotation``: |r| < story_flat_move, |spread| >= story_rotation_spread;
9. ``sector_rotation``: |r| < story_flat_move, dispersion >= story_rotation_dispersion;
10. ``divergence_up`` / 11. ``divergence_down``: the index moved divergence_index_move_5d or
    more over five sessions one way while the share above the 50-day average moved
    pct_above_50d_change or more the other;
12. ``mixed_gain`` / 13. ``mixed_loss``: |r| >= story_flat_move, participation in between;
14. ``quiet``: none of the above.
"""

from __future__ import annotations

import math
from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import RUT, SPX, Ctx, finding, ramp
from reporter.metrics.analogs import capitulation_day

#: The day's member volume against its 20-session average, and the S&P 500's move in standard
#: deviations of its prior 20-day volatility (report.json ``quality``).
VOLUME = "quality.volume_vs_20d"
SIGMAS = f"quality.index_moves.{SPX}.sigmas"


def _compound(returns: list[Any]) -> float | None:
    if not returns or not all(isinstance(x, int | float) and math.isfinite(x) for x in returns):
        return None
    total = 1.0
    for x in returns:
        total *= 1.0 + x
    return total - 1.0


def signals(c: Ctx) -> dict[str, Any] | None:
    """The figures the story is told from, or None without the S&P 500's move and close and
    the members' advancers and decliners (every story's headline states them)."""
    r = c.num(f"indices.{SPX}.return_1d")
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    if r is None or adv is None or dec is None or c.num(f"indices.{SPX}.close") is None:
        return None
    unch = c.num("breadth.unchanged") or 0.0
    share = adv / (adv + dec) if adv is not None and dec is not None and adv + dec > 0 else None
    streak = c.get(f"week.streak_before.{SPX}")
    returns = c.get(f"week.returns.{SPX}")
    prior = _compound(returns[:-1]) if isinstance(returns, list) and len(returns) > 1 else None
    return {
        "symbol": SPX,
        "close": c.num(f"indices.{SPX}.close"),
        "return_1d": r,
        "return_5d": c.num(f"indices.{SPX}.return_5d"),
        "advancers": int(adv) if adv is not None else None,
        "decliners": int(dec) if dec is not None else None,
        "members": int(adv + dec + unch) if adv is not None and dec is not None else None,
        "advancing_share": share,
        "up_volume_share": c.num("breadth.up_volume_share"),
        "volume_vs_20d": c.num(VOLUME),
        "sigmas": c.num(SIGMAS),
        "zweig_today": bool(c.as_of and c.get("breadth.zweig_thrust_last") == c.as_of),
        "streak_direction": streak.get("direction") if isinstance(streak, dict) else None,
        "streak_length": int(streak.get("length") or 0) if isinstance(streak, dict) else 0,
        "streak_return": streak.get("return") if isinstance(streak, dict) else None,
        "prior_return": prior,
        "prior_sessions": len(returns) - 1 if isinstance(returns, list) else 0,
        "small": c.get("size_rotation.small") or RUT,
        "small_return": c.num(f"indices.{c.get('size_rotation.small') or RUT}.return_1d"),
        "spread_1d": c.num("size_rotation.spread_1d"),
        "dispersion_1d": c.num("sector_summary.dispersion_1d"),
        "pct_50d": c.num("breadth.pct_above_50d"),
        "pct_50d_before": c.num("breadth.pct_above_50d_5d_ago"),
    }


def capitulation(s: dict[str, Any], c: Ctx) -> bool:
    """A capitulation: a 90% down day with most members falling, on a large fall and heavy
    volume (:func:`reporter.metrics.analogs.capitulation_day`, the test of the ``analogs``
    signal too, on the configured thresholds). Without the volume or the size of the move
    known, no capitulation is claimed."""
    def num(key: str) -> float:
        value = s[key]
        return math.nan if value is None else float(value)

    return bool(capitulation_day(
        num("return_1d"), num("sigmas"), num("advancing_share"), num("up_volume_share"),
        num("volume_vs_20d"), c.cfg.capitulation()))


def sweeping(s: dict[str, Any], c: Ctx) -> bool:
    """A move that reached nearly every stock, in the index's direction: at least
    ``story_sweep_share`` of the members that moved went its way, or 90% of their volume did.
    Only such a day is worded a broad sell-off (普跌) or a broad rally (普涨); a day on which
    most, but fewer, went that way is "most stocks fell / rose" (多数下跌 / 多数上涨)."""
    a, u = s["advancing_share"], s["up_volume_share"]
    if s["return_1d"] < 0:
        a = None if a is None else 1 - a
        u = None if u is None else 1 - u
    return bool((a is not None and a >= c.cfg.story_sweep_share)
                or (u is not None and u >= c.cfg.volume_thrust_share))


def classify(s: dict[str, Any], c: Ctx) -> str:
    """The story of the signals ``s`` (see the module docstring for the order)."""
    cfg = c.cfg
    r, a, u = s["return_1d"], s["advancing_share"], s["up_volume_share"]
    flat, broad = cfg.story_flat_move, cfg.story_broad_share
    extreme = cfg.volume_thrust_share
    if capitulation(s, c):
        return "capitulation"
    if a is not None and u is not None and (
            s["zweig_today"] or (r > 0 and u >= extreme and a >= broad)):
        return "breadth_thrust"
    slide = (s["streak_direction"] == "down" and s["streak_length"] >= cfg.story_relief_streak) or (
        s["prior_return"] is not None and s["prior_return"] <= -cfg.story_relief_drop)
    if r >= cfg.story_rally_move and slide:
        return "relief_rally"
    if a is not None and abs(r) >= flat:
        if r < 0 and 1 - a >= broad:
            return "broad_selloff"
        if r > 0 and a >= broad:
            return "broad_rally"
        if r > 0 and a < 0.5:
            return "narrow_rally"
        if r < 0 and a > 0.5:
            return "narrow_selloff"
    if abs(r) < flat:
        spread, disp = s["spread_1d"], s["dispersion_1d"]
        if spread is not None and abs(spread) >= cfg.story_rotation_spread:
            return "size_rotation"
        if disp is not None and disp >= cfg.story_rotation_dispersion:
            return "sector_rotation"
    r5, now, before = s["return_5d"], s["pct_50d"], s["pct_50d_before"]
    if r5 is not None and now is not None and before is not None:
        move, change = cfg.divergence_index_move_5d, cfg.pct_above_50d_change
        if r5 >= move and now - before <= -change:
            return "divergence_up"
        if r5 <= -move and now - before >= change:
            return "divergence_down"
    if r >= flat:
        return "mixed_gain"
    if r <= -flat:
        return "mixed_loss"
    return "quiet"


#: The figures each story cites, by report path.
_EVIDENCE: dict[str, tuple[str, ...]] = {
    "base": (f"indices.{SPX}.return_1d", "breadth.advancers", "breadth.decliners"),
    "capitulation": ("breadth.up_volume_share", SIGMAS, VOLUME),
    "breadth_thrust": ("breadth.up_volume_share", "breadth.zweig_thrust_last"),
    "relief_rally": (f"week.streak_before.{SPX}.length", f"week.streak_before.{SPX}.return"),
    "size_rotation": ("size_rotation.spread_1d",),
    "sector_rotation": ("sector_summary.dispersion_1d",),
    "divergence_up": (f"indices.{SPX}.return_5d", "breadth.pct_above_50d",
                      "breadth.pct_above_50d_5d_ago"),
    "divergence_down": (f"indices.{SPX}.return_5d", "breadth.pct_above_50d",
                        "breadth.pct_above_50d_5d_ago"),
}


def story(c: Ctx) -> Finding | None:
    """The session's story as a finding (kind "story"): its id, the signals as params, the
    figures it rests on as evidence. Its score is how clearly the day fits it."""
    s = signals(c)
    if s is None:
        return None
    sid = classify(s, c)
    if sid in ("broad_selloff", "broad_rally"):
        s = {**s, "sweeping": sweeping(s, c),
             "sharp": abs(s["return_1d"]) >= c.cfg.story_sharp_move}
    r = abs(s["return_1d"])
    score = {
        "capitulation": 0.95, "breadth_thrust": 0.95, "relief_rally": 0.85,
        "quiet": 0.3, "mixed_gain": 0.4, "mixed_loss": 0.4,
    }.get(sid, 0.5 + 0.4 * ramp(r, c.cfg.story_flat_move, 0.02))
    paths = (*_EVIDENCE["base"], *_EVIDENCE.get(sid, ()))
    ev = [c.ev(p) for p in paths if c.get(p) is not None]
    return finding(sid, score, s, ev)
