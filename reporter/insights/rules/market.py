"""The index over the month: where the S&P 500 stands month to date, beside last month."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.rules.base import SPX, Ctx, finding, ramp


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
