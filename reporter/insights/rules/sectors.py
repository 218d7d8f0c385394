"""Sectors: the character of today's leadership, rotation month to date, persistent laggards,
dispersion and sweeps."""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import Ctx, finding, ramp
from reporter.vocabulary import SECTOR_GROUPS


def _sector_item(row: dict[str, Any], field: str) -> dict[str, Any]:
    return {"symbol": row["symbol"], "return": row.get(field)}


def sector_character(c: Ctx) -> list[Finding]:
    """The character of today's leadership: at least two of the three best sectors (1D) from
    one group (defensive, rate-sensitive, cyclical, growth; ties in that order)."""
    rows = [(i, r) for i, r in c.sector_rows() if isinstance(r.get("return_1d"), int | float)]
    top = sorted(rows, key=lambda x: -x[1]["return_1d"])[:3]
    if len(top) < 3:
        return []
    best_group, members = None, []
    for group, symbols in SECTOR_GROUPS.items():
        inside = [(i, r) for i, r in top if r["symbol"] in symbols]
        if len(inside) >= 2 and len(inside) > len(members):
            best_group, members = group, inside
    if best_group is None:
        return []
    disp = c.num("sector_summary.dispersion_1d") or 0.0
    score = 0.3 + 0.2 * (len(members) == 3) + 0.3 * ramp(disp, 0, c.cfg.sector_dispersion_high)
    params = {"sectors": [_sector_item(r, "return_1d") for _, r in members]}
    ev = [c.ev(f"sectors[{i}].return_1d") for i, _ in members]
    return [finding(f"sector_lead_{best_group}", score, params, ev)]


def sector_leadership_change(c: Ctx) -> list[Finding]:
    """A new top sector month to date while last month's leader has fallen into the bottom
    ``reversal_bottom`` by month-to-date return: a genuine rotation, not a reshuffle at the top."""
    if c.get("sector_summary.leadership_changed") is not True:
        return []
    now, before = c.get("sector_summary.leader_mtd"), c.get("sector_summary.leader_prev_month")
    rows = {r["symbol"]: (i, r) for i, r in c.sector_rows()}
    if now not in rows or before not in rows:
        return []
    (ni, nrow), (bi, brow) = rows[now], rows[before]
    total = sum(1 for _, r in rows.values() if r.get("rank_mtd") is not None)
    rank = brow.get("rank_mtd")
    if nrow.get("return_mtd") is None or brow.get("return_prev_month") is None or rank is None:
        return []
    if rank <= total - c.cfg.reversal_bottom:
        return []
    params = {
        "leader": now,
        "leader_mtd": nrow["return_mtd"],
        "previous": before,
        "previous_return": brow["return_prev_month"],
        "previous_rank": rank,
        "total": total,
    }
    ev = [
        c.ev("sector_summary.leader_mtd"),
        c.ev("sector_summary.leader_prev_month"),
        c.ev(f"sectors[{ni}].return_mtd"),
        c.ev(f"sectors[{bi}].return_prev_month"),
        c.ev(f"sectors[{bi}].rank_mtd"),
    ]
    score = 0.4 + 0.2 * ramp(rank, total - c.cfg.reversal_bottom, total)
    return [finding("sector_leadership_change", score, params, ev)]


def sector_laggard(c: Ctx) -> list[Finding]:
    """A sector in the bottom ``laggard_bottom`` both month to date and year to date (the worst
    such one by summed rank)."""
    rows = c.sector_rows()
    n_mtd = sum(1 for _, r in rows if r.get("rank_mtd") is not None)
    n_ytd = sum(1 for _, r in rows if r.get("rank_ytd") is not None)
    k = c.cfg.laggard_bottom
    found = [
        (i, r)
        for i, r in rows
        if r.get("rank_mtd") is not None
        and r.get("rank_ytd") is not None
        and r.get("return_mtd") is not None
        and r.get("return_ytd") is not None
        and r["rank_mtd"] > n_mtd - k
        and r["rank_ytd"] > n_ytd - k
    ]
    if not found or n_mtd <= k:
        return []
    i, row = max(found, key=lambda x: (x[1]["rank_mtd"] + x[1]["rank_ytd"], x[1]["symbol"]))
    params = {
        "symbol": row["symbol"],
        "return_mtd": row["return_mtd"],
        "return_ytd": row["return_ytd"],
        "rank_mtd": row["rank_mtd"],
        "rank_ytd": row["rank_ytd"],
        "total": n_ytd,
    }
    score = 0.35 + 0.2 * ramp(-row["return_ytd"], 0, 0.2)
    ev = [c.ev(f"sectors[{i}].{f}") for f in ("return_mtd", "return_ytd", "rank_mtd", "rank_ytd")]
    return [finding("sector_laggard", score, params, ev)]


def sector_dispersion(c: Ctx) -> list[Finding]:
    """Sector returns spread widely today (population standard deviation, 1D)."""
    disp = c.num("sector_summary.dispersion_1d")
    high = c.cfg.sector_dispersion_high
    if disp is None or disp < high:
        return []
    score = 0.3 + 0.5 * ramp(disp, high, 2 * high)
    return [
        finding(
            "sector_dispersion_high", score, {"dispersion": disp},
            [c.ev("sector_summary.dispersion_1d")],
        )
    ]


def sector_sweep(c: Ctx) -> list[Finding]:
    """At least ``sector_sweep`` sectors moved the same way."""
    total = c.num("sector_summary.total")
    up, down = c.num("sector_summary.advancing"), c.num("sector_summary.declining")
    if total is None or up is None or down is None or total == 0:
        return []
    need = c.cfg.sector_sweep
    out = []
    for fid, count, path in (
        ("sector_sweep_up", up, "sector_summary.advancing"),
        ("sector_sweep_down", down, "sector_summary.declining"),
    ):
        if count >= need:
            score = 0.35 + 0.4 * ramp(count, need, total)
            params = {"count": int(count), "total": int(total)}
            out.append(finding(fid, score, params, [c.ev(path), c.ev("sector_summary.total")]))
    return out
