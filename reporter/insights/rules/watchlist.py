"""The watch list: bellwether technicals (crosses, distance from the high, the averages).

"Uptrend" (and "downtrend") is said only when the close is above (below) each of the 20-, 50-
and 200-day averages and each average is higher (lower) than ten sessions before.
"""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import Ctx, ahead, finding, ramp, trigger

SPANS = (20, 50, 200)


def _trend(c: Ctx, base: str, close: float) -> str | None:
    """"up", "down" or None: the close beyond every average and every average moving its way."""
    pairs: list[tuple[float, float]] = []
    for n in SPANS:
        now, before = c.num(f"{base}.sma_{n}"), c.num(f"{base}.sma_{n}_10d_ago")
        if now is None or before is None:
            return None
        pairs.append((now, before))
    if all(close > now > before for now, before in pairs):
        return "up"
    if all(close < now < before for now, before in pairs):
        return "down"
    return None


def watchlist(c: Ctx) -> list[Finding]:
    """Per stock: a recent golden / death cross, the distance from the 52-week high (a drawdown
    from ``watch_drawdown``, a lesser risk from ``watch_below_high``; an opportunity when within
    it and in an uptrend) and a trend on every horizon."""
    cfg, out = c.cfg, []
    for sym in sorted(c.report.get("watchlist") or {}):
        base = f"watchlist.{sym}"
        close = c.num(f"{base}.close")
        if close is None:
            continue
        s50, s200 = c.num(f"{base}.sma_50"), c.num(f"{base}.sma_200")
        cross = c.get(f"{base}.last_cross")
        if isinstance(cross, dict) and cross.get("kind") in ("golden", "death"):
            ago = c.sessions_since(cross.get("date"))
            recent = ago is not None and ago <= cfg.cross_recent_sessions
            if recent and ago is not None and s50 is not None and s200 is not None:
                fid = "watch_golden_cross" if cross["kind"] == "golden" else "watch_death_cross"
                score = 0.4 + 0.3 * (1 - ago / cfg.cross_recent_sessions)
                params: dict[str, Any] = {
                    "symbol": sym,
                    "date": cross["date"],
                    "sessions_ago": ago,
                    "sma_50": s50,
                    "sma_200": s200,
                }
                golden = fid == "watch_golden_cross"
                if (s50 >= s200) == golden:  # still on the side it crossed to
                    params["trigger"] = trigger(f"{base}.sma_50", s200, s50,
                                                "below" if golden else "above", "invalidates",
                                                fid, symbol=sym)
                    ev = [c.ev(f"{base}.last_cross.kind", cross["date"]), c.ev(f"{base}.sma_50"),
                          c.ev(f"{base}.sma_200")]
                    out.append(finding(fid, score, params, ev))
        trend = _trend(c, base, close)
        out += _distance(c, sym, close, s50, trend)
        smas = [c.num(f"{base}.sma_{n}") for n in SPANS]
        if trend is not None and all(s is not None for s in smas):
            params = {"symbol": sym, "close": close,
                      **{f"sma_{n}": s for n, s in zip(SPANS, smas, strict=True)},
                      **{f"sma_{n}_10d_ago": c.num(f"{base}.sma_{n}_10d_ago") for n in SPANS}}
            ev = [c.ev(f"{base}.close")] + [c.ev(f"{base}.sma_{n}") for n in SPANS] + [
                c.ev(f"{base}.sma_{n}_10d_ago") for n in SPANS]
            out.append(finding(f"watch_trend_{trend}", 0.3, params, ev))
    return out


def _distance(c: Ctx, sym: str, close: float, s50: float | None,
              trend: str | None) -> list[Finding]:
    """The stock against its 52-week high. A risk's trigger is its 50-day average: regaining it
    eases the risk, losing it confirms it."""
    cfg = c.cfg
    base = f"watchlist.{sym}"
    off, high = c.num(f"{base}.from_high_52w"), c.num(f"{base}.high_52w")
    if off is None or high is None:
        return []
    ev = [c.ev(f"{base}.from_high_52w"), c.ev(f"{base}.high_52w")]
    params: dict[str, Any] = {"symbol": sym, "close": close, "high_52w": high, "from_high": off,
                              "sma_50": s50}
    out = []
    if off <= -cfg.watch_below_high and s50 is not None:
        fid = "watch_drawdown" if off <= -cfg.watch_drawdown else "watch_below_high"
        score = (0.3 + 0.4 * ramp(-off, cfg.watch_drawdown, 2 * cfg.watch_drawdown)
                 if fid == "watch_drawdown"
                 else 0.25 + 0.2 * ramp(-off, cfg.watch_below_high, cfg.watch_drawdown))
        params["trigger"] = ahead(f"{base}.close", close, s50, "invalidates", "confirms", fid,
                                  symbol=sym, ref="sma_50")
        out.append(finding(fid, score, params, [*ev, c.ev(f"{base}.sma_50")]))
    elif off >= -cfg.watch_near_high:
        out.append(finding("watch_near_high", 0.3 + 0.2 * (off >= 0), dict(params), ev))
    if s50 is not None and s50 > 0 and close / s50 - 1 >= cfg.watch_extended:
        fid = "watch_extended"
        stretch = close / s50 - 1
        params = {**params, "above_50": stretch, "threshold": cfg.watch_extended,
                  "trigger": trigger(f"{base}.close", s50, close, "below", "confirms", fid,
                                     symbol=sym, ref="sma_50")}
        out.append(finding(fid, 0.25 + 0.3 * ramp(stretch, cfg.watch_extended,
                                                  2 * cfg.watch_extended),
                           params, [c.ev(f"{base}.close"), c.ev(f"{base}.sma_50")]))
    if off > -cfg.watch_below_high and trend == "up" and s50 is not None:
        fid = "watch_leading"
        lead = {**params, "trigger": trigger(f"{base}.close", s50, close, "below",
                                             "invalidates", fid, symbol=sym, ref="sma_50")}
        lead.pop("above_50", None)
        lead.pop("threshold", None)
        out.append(finding(fid, 0.3 + 0.2 * ramp(off, -cfg.watch_below_high, 0), lead,
                           [*ev, c.ev(f"{base}.sma_50")]))
    return out
