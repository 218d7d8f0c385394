"""The watch list: bellwether technicals (crosses, distance from the high, the averages)."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.rules.base import Ctx, finding, ramp


def watchlist(c: Ctx) -> list[Finding]:
    """Bellwether technicals: recent golden / death crosses, distance from the 52-week high,
    and the close against all three moving averages."""
    cfg, out = c.cfg, []
    for sym in sorted(c.report.get("watchlist") or {}):
        base = f"watchlist.{sym}"
        close = c.num(f"{base}.close")
        if close is None:
            continue
        cross = c.get(f"{base}.last_cross")
        if isinstance(cross, dict) and cross.get("kind") in ("golden", "death"):
            ago = c.sessions_since(cross.get("date"))
            s50, s200 = c.num(f"{base}.sma_50"), c.num(f"{base}.sma_200")
            recent = ago is not None and ago <= cfg.cross_recent_sessions
            if recent and s50 is not None and s200 is not None:
                fid = "watch_golden_cross" if cross["kind"] == "golden" else "watch_death_cross"
                score = 0.4 + 0.3 * (1 - ago / cfg.cross_recent_sessions)
                params = {
                    "symbol": sym,
                    "date": cross["date"],
                    "sessions_ago": ago,
                    "sma_50": s50,
                    "sma_200": s200,
                }
                ev = [c.ev(f"{base}.last_cross.kind", cross["date"]), c.ev(f"{base}.sma_50"),
                      c.ev(f"{base}.sma_200")]
                out.append(finding(fid, score, params, ev))
        off, high = c.num(f"{base}.from_high_52w"), c.num(f"{base}.high_52w")
        if off is not None and high is not None:
            ev = [c.ev(f"{base}.from_high_52w"), c.ev(f"{base}.high_52w")]
            params = {"symbol": sym, "close": close, "high_52w": high, "from_high": off}
            if off <= -cfg.watch_drawdown:
                score = 0.3 + 0.4 * ramp(-off, cfg.watch_drawdown, 2 * cfg.watch_drawdown)
                out.append(finding("watch_drawdown", score, params, ev))
            elif off >= -cfg.watch_near_high:
                out.append(finding("watch_near_high", 0.3 + 0.2 * (off >= 0), params, ev))
        smas = [c.num(f"{base}.sma_{n}") for n in (20, 50, 200)]
        if all(s is not None for s in smas):
            s20, s50, s200 = smas
            params = {"symbol": sym, "close": close, "sma_20": s20, "sma_50": s50, "sma_200": s200}
            ev = [c.ev(f"{base}.close")] + [c.ev(f"{base}.sma_{n}") for n in (20, 50, 200)]
            if all(close > s for s in smas):  # type: ignore[operator]
                out.append(finding("watch_trend_up", 0.3, params, ev))
            elif all(close < s for s in smas):  # type: ignore[operator]
                out.append(finding("watch_trend_down", 0.3, params, ev))
    return out
