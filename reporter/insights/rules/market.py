"""The index: where the S&P 500 stands month to date (beside last month) and against its 50-
and 200-day averages."""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import SPX, Ctx, finding, ramp, trigger


def month_to_date(c: Ctx) -> list[Finding]:
    """The S&P 500 month to date when the move reaches ``mtd_notable`` (with last month)."""
    mtd = c.num(f"indices.{SPX}.return_mtd")
    if mtd is None or abs(mtd) < c.cfg.mtd_notable:
        return []
    prev = c.num(f"indices.{SPX}.return_prev_month")
    params = {"symbol": SPX, "return_mtd": mtd, "return_prev_month": prev}
    score = 0.3 + 0.5 * ramp(abs(mtd), c.cfg.mtd_notable, 3 * c.cfg.mtd_notable)
    ev = [c.ev(f"indices.{SPX}.return_mtd")]
    if prev is not None:
        ev.append(c.ev(f"indices.{SPX}.return_prev_month"))
    return [finding("mtd_up" if mtd > 0 else "mtd_down", score, params, ev)]


def index_trend(c: Ctx) -> list[Finding]:
    """Where the S&P 500 closes against its 50- and 200-day averages (level statements: the
    report holds no slope for the index's averages, so no word says "uptrend"). Below both is
    a risk (invalidated above the 200-day), below the 50-day alone a lesser one (invalidated
    above it, and the 200-day below is support: an opportunity, invalidated below it); above the
    50-day but below the 200-day an opportunity (confirmed above the 200-day), above both one
    too (invalidated below the 50-day). Above the 50-day the risk is the way back to it
    (confirmed below it): stretched (``index_extended`` above the 200-day, or half that above
    the 50-day) or, when not, the cushion above the 50-day."""
    base = f"indices.{SPX}"
    close, s50, s200 = c.num(f"{base}.close"), c.num(f"{base}.sma_50"), c.num(f"{base}.sma_200")
    if close is None or s50 is None or s200 is None or s50 <= 0 or s200 <= 0:
        return []
    path = f"{base}.close"
    # "still above the 200-day" (仍守在) claims persistence: only when the session before
    # closed above its 200-day average too; unknown or not: "is above"
    before, before_200 = c.num(f"{base}.close_prev"), c.num(f"{base}.sma_200_prev")
    held = before is not None and before_200 is not None and before > before_200
    params: dict[str, Any] = {"symbol": SPX, "close": close, "sma_50": s50, "sma_200": s200,
                              "vs_50": close / s50 - 1, "vs_200": close / s200 - 1,
                              "held_200d": held}
    ev = [c.ev(path), c.ev(f"{base}.sma_50"), c.ev(f"{base}.sma_200")]
    if before is not None and before_200 is not None:
        ev += [c.ev(f"{base}.close_prev"), c.ev(f"{base}.sma_200_prev")]
    out: list[Finding] = []
    if close < s50 and close < s200:
        fid = "index_below_200d"
        score = 0.45 + 0.4 * ramp(s200 / close - 1, 0, 0.1)
        t = trigger(path, s200, close, "above", "invalidates", fid, ref="sma_200")
    elif close < s50:
        fid = "index_below_50d"
        score = 0.3 + 0.3 * ramp(s50 / close - 1, 0, 0.05)
        t = trigger(path, s50, close, "above", "invalidates", fid, ref="sma_50")
        # the long-term trend holds: the 200-day average below is support
        sid = "index_200d_support"
        support = trigger(path, s200, close, "below", "invalidates", sid, ref="sma_200")
        out.append(finding(sid, 0.25 + 0.3 * ramp(0.05 - (close / s200 - 1), 0, 0.05),
                           {**params, "trigger": support}, ev))
    elif close < s200:
        fid = "index_reclaiming"
        score = 0.3 + 0.3 * ramp(close / s50 - 1, 0, 0.05)
        t = trigger(path, s200, close, "above", "confirms", fid, ref="sma_200")
    else:
        fid = "index_above_averages"
        score = 0.3 + 0.3 * ramp(close / s200 - 1, 0, 0.1)
        t = trigger(path, s50, close, "below", "invalidates", fid, ref="sma_50")
    out.insert(0, finding(fid, score, {**params, "trigger": t}, ev))
    if close < s50:
        return out
    # above the 50-day average: how much cushion it leaves, or how stretched the index is
    # stretched: far above the 200-day and clear of the 50-day, or far above the 50-day
    need = c.cfg.index_extended
    vs_50, vs_200 = close / s50 - 1, close / s200 - 1
    if need > 0 and ((vs_200 >= need and vs_50 >= need / 3) or vs_50 >= need / 2):
        fid = "index_extended"
        score = 0.3 + 0.4 * ramp(max(vs_200, 2 * vs_50), need, 2 * need)
        extra: dict[str, Any] = {"threshold": need}
    else:
        fid = "index_support"
        score = 0.2 + 0.3 * ramp(0.03 - (close / s50 - 1), 0, 0.03)
        extra = {}
    t = trigger(path, s50, close, "below", "confirms", fid, ref="sma_50")
    out.append(finding(fid, score, {**params, **extra, "trigger": t}, ev))
    return out
