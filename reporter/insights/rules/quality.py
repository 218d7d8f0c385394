"""The quality of the day's move, who carried it, and what the member baskets say about it
(report.json ``quality``, ``sector_carry``, ``baskets``). Each sentence only when its
preconditions hold; the figures are the metrics', never recomputed here. Thresholds: the keys
of ``[insights]`` named below.

- ``quality_broad_advance`` / ``quality_broad_decline``: the S&P 500 rose (fell) as shown, more
  members advanced (declined) than not, at least ``move_volume_lopsided`` of member volume
  traded on the move's side, and total member volume was at least ``move_volume_heavy`` times
  its 20-day average: "a broad, high-volume advance (decline)".
- ``quality_light_advance`` / ``quality_light_decline``: the same lopsided, broad day on volume
  at most ``move_volume_light`` times the 20-day average: the move lacked volume.
- ``quality_faded`` / ``quality_recovered``: the S&P 500 rose (fell) but at least
  ``move_close_fade`` of the members closed in the bottom (top) quarter of their range, more
  than in the other; silent where the range figures are null.
- ``quality_sigma_move``: the S&P 500's move was at least ``move_sigmas`` standard deviations of
  its prior 20 daily returns; the direction word follows the return as shown.
- ``quality_vix_below_realized`` / ``quality_vix_rich``: the VIX below the S&P 500's 20-day
  realized volatility, or at least ``move_vix_rich`` times it.
- ``carry_largest``: the sector whose ETF's 1D return is furthest (at least ``carry_gap``) from
  its median member's; the word (carried, held back, dragged, cushioned) from the signs of the
  ETF's return and of the gap, with the movers among its largest members (by average dollar
  volume: a proxy for weight, said so) that went the claim's way against the median member.
- ``basket_squeeze``: the S&P 500 rose, momentum losers rose and beat the winners by at least
  ``basket_squeeze``, and high-volatility members beat low-volatility ones; when at least
  ``story_sweep_share`` of the members that moved rose (``broad``), the losers led a broad
  advance, and the sentence says so instead of setting the squeeze against it.
- ``basket_broad``: the S&P 500 rose, winners and losers both rose, their spread is under
  ``basket_quiet``, and most members advanced: a broad advance, not a squeeze.
- ``basket_unwind``: the S&P 500 fell and momentum winners fell, by at least ``basket_squeeze``
  more than the losers: momentum unwinding.
"""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import SPX, Ctx, finding, ramp, shown

_Q = "quality"
_B = "breadth"


def _day(c: Ctx) -> tuple[float, int, int] | None:
    """The S&P 500's 1D return with advancers and decliners, or None."""
    r = c.num(f"indices.{SPX}.return_1d")
    adv, dec = c.num(f"{_B}.advancers"), c.num(f"{_B}.decliners")
    if r is None or adv is None or dec is None:
        return None
    return r, int(adv), int(dec)


def volume_quality(c: Ctx) -> list[Finding]:
    """A broad move on heavy or on light volume."""
    day = _day(c)
    share, ratio = c.num(f"{_B}.up_volume_share"), c.num(f"{_Q}.volume_vs_20d")
    if day is None or share is None or ratio is None:
        return []
    r, adv, dec = day
    cfg = c.cfg
    sign = shown(r)
    if sign > 0 and adv > dec and share >= cfg.move_volume_lopsided:
        side, part = "advance", share
    elif sign < 0 and dec > adv and 1 - share >= cfg.move_volume_lopsided:
        side, part = "decline", 1 - share
    else:
        return []
    if ratio >= cfg.move_volume_heavy:
        fid = f"quality_broad_{side}"
        score = 0.45 + 0.25 * ramp(ratio, cfg.move_volume_heavy, 2.0)
    elif ratio <= cfg.move_volume_light:
        fid = f"quality_light_{side}"
        score = 0.35 + 0.2 * ramp(cfg.move_volume_light - ratio, 0.0, 0.4)
    else:
        return []
    params = {
        "symbol": SPX, "return_1d": r, "advancers": adv, "decliners": dec,
        "volume_share": part, "up_volume_share": share, "volume_vs_20d": ratio,
        "volume_vs_50d": c.num(f"{_Q}.volume_vs_50d"),
        "extreme_day": bool(c.get(f"{_Q}.up_volume_day") if side == "advance"
                            else c.get(f"{_Q}.down_volume_day")),
        "close_quarter": c.num(f"{_Q}.close_top_quarter" if side == "advance"
                               else f"{_Q}.close_bottom_quarter"),
    }
    ev = [c.ev(f"indices.{SPX}.return_1d"), c.ev(f"{_B}.advancers"), c.ev(f"{_B}.decliners"),
          c.ev(f"{_B}.up_volume_share"), c.ev(f"{_Q}.volume_vs_20d")]
    return [finding(fid, score, params, ev)]


def range_quality(c: Ctx) -> list[Finding]:
    """The S&P 500 rose but most members closed near their lows, or the reverse."""
    day = _day(c)
    top, bottom = c.num(f"{_Q}.close_top_quarter"), c.num(f"{_Q}.close_bottom_quarter")
    if day is None or top is None or bottom is None:
        return []
    sign, fade = shown(day[0]), c.cfg.move_close_fade
    if sign > 0 and bottom >= fade and bottom > top:
        fid, far = "quality_faded", bottom
    elif sign < 0 and top >= fade and top > bottom:
        fid, far = "quality_recovered", top
    else:
        return []
    params = {"symbol": SPX, "return_1d": day[0], "top": top, "bottom": bottom,
              "base": c.get(f"{_Q}.close_range_base")}
    ev = [c.ev(f"indices.{SPX}.return_1d"), c.ev(f"{_Q}.close_top_quarter"),
          c.ev(f"{_Q}.close_bottom_quarter")]
    return [finding(fid, 0.4 + 0.2 * ramp(far, fade, 0.7), params, ev)]


def sigma_move(c: Ctx) -> list[Finding]:
    """The S&P 500's move against its own recent volatility."""
    path = f"{_Q}.index_moves.{SPX}"
    r, sigmas, vol = (c.num(f"{path}.{k}") for k in ("return_1d", "sigmas", "volatility_20d"))
    least = c.cfg.move_sigmas
    if r is None or sigmas is None or vol is None or abs(sigmas) < least or shown(r) == 0:
        return []
    params = {"symbol": SPX, "return_1d": r, "sigmas": sigmas, "volatility_20d": vol}
    ev = [c.ev(f"{path}.return_1d"), c.ev(f"{path}.sigmas"), c.ev(f"{path}.volatility_20d")]
    return [finding("quality_sigma_move", 0.4 + 0.3 * ramp(abs(sigmas), least, 5.0), params,
                    ev)]


def vix_vs_realized(c: Ctx) -> list[Finding]:
    """The VIX against the volatility the S&P 500 has just delivered."""
    vix, realized = c.num(f"{_Q}.vix"), c.num(f"{_Q}.realized_volatility_20d")
    ratio = c.num(f"{_Q}.implied_to_realized")
    if vix is None or realized is None or ratio is None:
        return []
    if ratio < 1:
        fid, score = "quality_vix_below_realized", 0.35 + 0.2 * ramp(1 - ratio, 0.0, 0.4)
    elif ratio >= c.cfg.move_vix_rich:
        fid, score = "quality_vix_rich", 0.25 + 0.15 * ramp(ratio, c.cfg.move_vix_rich, 2.5)
    else:
        return []
    params = {"vix": vix, "realized": realized, "ratio": ratio}
    ev = [c.ev(f"{_Q}.vix"), c.ev(f"{_Q}.realized_volatility_20d"),
          c.ev(f"{_Q}.implied_to_realized")]
    return [finding(fid, score, params, ev)]


def carry(c: Ctx) -> list[Finding]:
    """The sector its largest names moved furthest from its median member."""
    rows = c.get("sector_carry")
    if not isinstance(rows, list):
        return []
    best: tuple[int, dict[str, Any]] | None = None
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("gap"), int | float):
            continue
        if best is None or abs(row["gap"]) > abs(best[1]["gap"]):
            best = (i, row)
    if best is None:
        return []
    i, row = best
    etf_r, median, gap = row.get("etf_return_1d"), row.get("median_return_1d"), row["gap"]
    movers = [m for m in row.get("movers") or () if m.get("return_1d") is not None]
    if etf_r is None or median is None or abs(gap) < c.cfg.carry_gap:
        return []
    etf_sign = shown(etf_r)
    if etf_sign == 0:
        return []
    how = {(1, True): "carried", (1, False): "held_back", (-1, False): "dragged",
           (-1, True): "cushioned"}[(etf_sign, gap > 0)]
    # the movers named are those that went the claim's way against the median member (above
    # it when the ETF beat the median, below it when it trailed); none: none named
    movers = [m for m in movers if (m["return_1d"] > median) == (gap > 0)
              and m["return_1d"] != median]
    base = f"sector_carry[{i}]"
    params = {
        "etf": row["etf"], "sector": row["sector"], "etf_return_1d": etf_r,
        "median_return_1d": median, "gap": gap, "how": how,
        "members_used": row.get("members_used"), "largest_used": row.get("largest_used"),
        "movers": [{"symbol": m["symbol"], "return_1d": m["return_1d"]} for m in movers],
    }
    ev = [c.ev(f"{base}.etf_return_1d"), c.ev(f"{base}.median_return_1d"), c.ev(f"{base}.gap"),
          c.ev(f"{base}.movers")]
    score = 0.35 + 0.25 * ramp(abs(gap), c.cfg.carry_gap, 0.02)
    return [finding("carry_largest", score, params, ev)]


def baskets(c: Ctx) -> list[Finding]:
    """Momentum winners against losers: a broad advance, a squeeze, an unwind."""
    day = _day(c)
    m = "baskets.momentum"
    win, lose = c.num(f"{m}.winners.return_1d"), c.num(f"{m}.losers.return_1d")
    spread = c.num(f"{m}.spread_1d")
    vol = c.num("baskets.volatility.spread_1d")
    if day is None or win is None or lose is None or spread is None:
        return []
    r, adv, dec = day
    sign = shown(r)
    squeeze, quiet = c.cfg.basket_squeeze, c.cfg.basket_quiet
    params: dict[str, Any] = {"symbol": SPX, "return_1d": r, "winners": win, "losers": lose,
                              "spread": spread, "volatility_spread": vol,
                              "advancers": adv, "decliners": dec}
    ev = [c.ev(f"indices.{SPX}.return_1d"), c.ev(f"{m}.winners.return_1d"),
          c.ev(f"{m}.losers.return_1d"), c.ev(f"{m}.spread_1d")]
    if sign > 0 and spread <= -squeeze and shown(lose) > 0 and vol is not None and vol > 0:
        ev.append(c.ev("baskets.volatility.spread_1d"))
        # on a day nearly every member rose, the squeeze is part of a broad advance, not instead
        params["broad"] = adv + dec > 0 and adv / (adv + dec) >= c.cfg.story_sweep_share
        if params["broad"]:
            ev += [c.ev(f"{_B}.advancers"), c.ev(f"{_B}.decliners")]
        fid, score = "basket_squeeze", 0.45 + 0.3 * ramp(-spread, squeeze, 0.04)
    elif (sign > 0 and abs(spread) < quiet and shown(win) > 0 and shown(lose) > 0
          and adv > dec):
        ev += [c.ev(f"{_B}.advancers"), c.ev(f"{_B}.decliners")]
        fid, score = "basket_broad", 0.3 + 0.2 * ramp(min(win, lose), 0.0, 0.02)
    elif sign < 0 and spread <= -squeeze and shown(win) < 0:
        fid, score = "basket_unwind", 0.4 + 0.3 * ramp(-spread, squeeze, 0.04)
    else:
        return []
    return [finding(fid, score, params, ev)]
