"""Sectors: the character of today's leadership, whether the leaders are trending or
rebounding, the week's participation shifts, rotation month to date, persistent laggards,
dispersion and sweeps."""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import Ctx, finding, ramp, shown, trigger
from reporter.vocabulary import SECTOR_GROUPS

#: The line between a minority and a majority of a sector's members.
HALF = 0.5


def _sector_item(row: dict[str, Any], field: str) -> dict[str, Any]:
    return {"symbol": row["symbol"], "return": row.get(field)}


def sector_character(c: Ctx) -> list[Finding]:
    """The character of today's leadership: the best sector (1D) and at least one more of the
    three best from its group (defensive, rate-sensitive, cyclical, growth; ties in that order),
    each of them up on the day. "Cyclical leadership" is said only when a cyclical sector led."""
    rows = [(i, r) for i, r in c.sector_rows() if isinstance(r.get("return_1d"), int | float)]
    top = sorted(rows, key=lambda x: -x[1]["return_1d"])[:3]
    if len(top) < 3:
        return []
    best_group: str | None = None
    members: list[tuple[int, dict[str, Any]]] = []
    for group, symbols in SECTOR_GROUPS.items():
        if top[0][1]["symbol"] not in symbols:
            continue
        inside = [(i, r) for i, r in top if r["symbol"] in symbols and shown(r["return_1d"]) > 0]
        if len(inside) >= 2 and len(inside) > len(members) and inside[0] == top[0]:
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
        "previous_mtd": brow.get("return_mtd"),
        "previous_rank": rank,
        "total": total,
    }
    ev = [
        c.ev("sector_summary.leader_mtd"),
        c.ev("sector_summary.leader_prev_month"),
        c.ev(f"sectors[{ni}].return_mtd"),
        c.ev(f"sectors[{bi}].return_prev_month"),
        c.ev(f"sectors[{bi}].rank_mtd"),
        c.ev(f"sectors[{bi}].return_mtd"),
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
    fid = "sector_laggard"
    ev = [c.ev(f"sectors[{i}].{f}") for f in ("return_mtd", "return_ytd", "rank_mtd", "rank_ytd")]
    # it stops lagging when most of its members regain their 50-day average, or (when most
    # already have) when its month turns positive
    b = c.breadth_row(row["symbol"])
    share = b[1].get("pct_above_50d") if b else None
    if isinstance(share, int | float) and share < HALF and b is not None:
        t = trigger(f"breadth_by_sector[{b[0]}].pct_above_50d", HALF, share, "above",
                    "invalidates", fid, symbol=row["symbol"])
        ev.append(c.ev(f"breadth_by_sector[{b[0]}].pct_above_50d"))
    elif row["return_mtd"] < 0:
        t = trigger(f"sectors[{i}].return_mtd", 0, row["return_mtd"], "above", "invalidates",
                    fid, symbol=row["symbol"])
    else:
        return []
    params = {
        "symbol": row["symbol"],
        "return_mtd": row["return_mtd"],
        "return_ytd": row["return_ytd"],
        "rank_mtd": row["rank_mtd"],
        "rank_ytd": row["rank_ytd"],
        "total": n_ytd,
        "trigger": t,
    }
    score = 0.35 + 0.2 * ramp(-row["return_ytd"], 0, 0.2)
    return [finding(fid, score, params, ev)]


def sector_dispersion(c: Ctx) -> list[Finding]:
    """Sector returns spread widely today (population standard deviation, 1D) while they went
    both ways: when (nearly) all moved together the spread is the size of the tide, not
    rotation."""
    disp = c.num("sector_summary.dispersion_1d")
    high = c.cfg.sector_dispersion_high
    up, down = c.num("sector_summary.advancing"), c.num("sector_summary.declining")
    if disp is None or disp < high:
        return []
    if up is not None and down is not None and max(up, down) >= c.cfg.sector_sweep:
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


# --- the leaders' footing and the week's shifts --------------------------------------------------


def _leader(c: Ctx, i: int, row: dict[str, Any]) -> dict[str, Any] | None:
    """A leading sector's footing: its day, the share of its members above their 50-day average
    and whether its ETF is above a rising 50-day average."""
    b = c.breadth_row(row["symbol"])
    share = b[1].get("pct_above_50d") if b else None
    if b is None or not isinstance(share, int | float):
        return None
    return {
        "symbol": row["symbol"],
        "return": row["return_1d"],
        "pct_50d": share,
        "above_sma_50": row.get("above_sma_50"),
        "sma_50_rising": row.get("sma_50_rising"),
        "row": i,
        "breadth_row": b[0],
    }


def _trending(item: dict[str, Any], need: float) -> bool:
    return bool(item["pct_50d"] >= need and item["above_sma_50"] and item["sma_50_rising"])


def sector_leaders(c: Ctx) -> list[Finding]:
    """Which of the day's three best sectors (each up on the day) are trending (at least
    ``sector_trend_share`` of members above their 50-day average, the ETF above a rising
    50-day average) and which are rebounding (fewer than that share above): an insight naming
    both, a risk for the best rebounding leader (leadership without participation) and an
    opportunity for the best trending one."""
    rows = [(i, r) for i, r in c.sector_rows() if isinstance(r.get("return_1d"), int | float)]
    top = [(i, r) for i, r in sorted(rows, key=lambda x: -x[1]["return_1d"])[:3]
           if shown(r["return_1d"]) > 0]
    need = c.cfg.sector_trend_share
    leaders = [x for x in (_leader(c, i, r) for i, r in top) if x is not None]
    trending = [x for x in leaders if _trending(x, need)]
    rebounding = [x for x in leaders if x["pct_50d"] < need]
    if not trending and not rebounding:
        return []

    def item(x: dict[str, Any]) -> dict[str, Any]:
        return {k: x[k] for k in ("symbol", "return", "pct_50d")}

    def cite(x: dict[str, Any]) -> list[dict[str, Any]]:
        return [c.ev(f"sectors[{x['row']}].return_1d"),
                c.ev(f"breadth_by_sector[{x['breadth_row']}].pct_above_50d")]

    ev = [e for x in trending + rebounding for e in cite(x)]
    params = {"trending": [item(x) for x in trending], "rebounding": [item(x) for x in rebounding],
              "threshold": need}
    out = [finding("sector_leaders", 0.45, params, ev)]
    if rebounding:
        x = rebounding[0]
        fid = "leader_rebounding"
        path = f"breadth_by_sector[{x['breadth_row']}].pct_above_50d"
        first = x["row"] == top[0][0]
        score = 0.3 + 0.3 * ramp(x["return"], 0, 0.03) + 0.2 * ramp(need - x["pct_50d"], 0, 0.3)
        out.append(finding(fid, score - 0.1 * (not first), {
            **item(x), "led": first, "threshold": need,
            "trigger": trigger(path, need, x["pct_50d"], "above", "invalidates", fid,
                               symbol=x["symbol"]),
        }, cite(x)))
    if trending:
        x = trending[0]
        fid = "leader_trending"
        path = f"breadth_by_sector[{x['breadth_row']}].pct_above_50d"
        first = x["row"] == top[0][0]
        score = 0.3 + 0.3 * ramp(x["pct_50d"] - need, 0, 0.3) + 0.1 * first
        out.append(finding(fid, score, {
            **item(x), "led": first, "threshold": need,
            "trigger": trigger(path, need, x["pct_50d"], "below", "invalidates", fid,
                               symbol=x["symbol"]),
        }, cite(x)))
    return out


def participation_shifts(c: Ctx) -> list[Finding]:
    """The week's largest moves in the share of a sector's members above their 50-day average
    (the heatmap's last column against five sessions before): named from
    ``sector_shift_named``; a fall (rise) of ``sector_shift`` or more is a risk (opportunity)."""
    rows = [(j, r) for j, r in enumerate(c.report.get("breadth_by_sector") or [])
            if isinstance(r, dict) and isinstance(r.get("pct_above_50d_change_5d"), int | float)
            and isinstance(r.get("pct_above_50d"), int | float) and r.get("etf")]
    if not rows:
        return []
    cfg = c.cfg

    def item(j: int, r: dict[str, Any]) -> dict[str, Any]:
        return {"symbol": r["etf"], "change": r["pct_above_50d_change_5d"],
                "now": r["pct_above_50d"], "row": j}

    ranked = sorted(rows, key=lambda x: x[1]["pct_above_50d_change_5d"])
    falls = [item(j, r) for j, r in ranked[:2]
             if r["pct_above_50d_change_5d"] <= -cfg.sector_shift_named]
    rises = [item(j, r) for j, r in reversed(ranked[-2:])
             if r["pct_above_50d_change_5d"] >= cfg.sector_shift_named]
    out: list[Finding] = []
    if not falls and not rises:
        return out

    def cite(x: dict[str, Any]) -> list[dict[str, Any]]:
        return [c.ev(f"breadth_by_sector[{x['row']}].pct_above_50d_change_5d"),
                c.ev(f"breadth_by_sector[{x['row']}].pct_above_50d")]

    biggest = max(abs(x["change"]) for x in falls + rises)
    params = {"rises": [{k: x[k] for k in ("symbol", "change", "now")} for x in rises],
              "falls": [{k: x[k] for k in ("symbol", "change", "now")} for x in falls]}
    out.append(finding("sector_shifts", 0.3 + 0.4 * ramp(biggest, cfg.sector_shift_named, 0.5),
                       params, [e for x in rises + falls for e in cite(x)]))
    for x, fid in ((falls[0] if falls else None, "sector_participation_slump"),
                   (rises[0] if rises else None, "sector_participation_surge")):
        if x is None or abs(x["change"]) < cfg.sector_shift:
            continue
        path = f"breadth_by_sector[{x['row']}].pct_above_50d"
        slump = fid == "sector_participation_slump"
        if slump:
            t = (trigger(path, HALF, x["now"], "above", "invalidates", fid, symbol=x["symbol"])
                 if x["now"] < HALF else
                 trigger(path, HALF, x["now"], "below", "confirms", fid, symbol=x["symbol"]))
        else:
            t = (trigger(path, HALF, x["now"], "below", "invalidates", fid, symbol=x["symbol"])
                 if x["now"] >= HALF else
                 trigger(path, HALF, x["now"], "above", "confirms", fid, symbol=x["symbol"]))
        score = 0.35 + 0.4 * ramp(abs(x["change"]), cfg.sector_shift, 0.6)
        out.append(finding(fid, score, {"symbol": x["symbol"], "change": x["change"],
                                        "now": x["now"], "trigger": t}, cite(x)))
    return out


def sector_standing(c: Ctx) -> list[Finding]:
    """The strongest and the weakest sector by participation, whatever the day did: the
    sector with the largest share of members above their 50-day average whose ETF is above a
    rising 50-day average (strength, an opportunity), and the one with the smallest share whose
    ETF is below a falling one (weakness, a risk). Sectors named by another sector finding of
    the same side today are left to it; ``extreme`` says whether the one named is also first
    among every sector (else the sentence ranks it nowhere)."""
    need = c.cfg.sector_trend_share
    items = []
    for i, row in c.sector_rows():
        b = c.breadth_row(row["symbol"])
        share = b[1].get("pct_above_50d") if b else None
        if b is None or not isinstance(share, int | float):
            continue
        items.append((i, b[0], row, share))
    named = {f.params.get("symbol")
             for f in sector_leaders(c) + sector_laggard(c) + participation_shifts(c)}
    out = []
    strong = [x for x in items if x[3] >= need and x[2].get("above_sma_50") is True
              and x[2].get("sma_50_rising") is True and x[2]["symbol"] not in named]
    weak = [x for x in items if x[3] < need and x[2].get("above_sma_50") is False
            and x[2].get("sma_50_rising") is False and x[2]["symbol"] not in named]
    for pool, fid, pick in ((strong, "sector_strength", max), (weak, "sector_weakness", min)):
        if not pool:
            continue
        i, j, row, share = pick(pool, key=lambda x: (x[3], x[2]["symbol"]))
        path = f"breadth_by_sector[{j}].pct_above_50d"
        strength = fid == "sector_strength"
        t = trigger(path, need, share, "below" if strength else "above", "invalidates", fid,
                    symbol=row["symbol"])
        score = 0.25 + 0.3 * ramp(abs(share - need), 0, 0.4)
        # "the strongest / weakest" only of the sector that leads every sector on the share,
        # not only those left to this finding (a sector named elsewhere may rank beyond it)
        shares = [x[3] for x in items]
        extreme = share >= max(shares) if strength else share <= min(shares)
        params = {"symbol": row["symbol"], "pct_50d": share, "return_mtd": row.get("return_mtd"),
                  "threshold": need, "trigger": t, "extreme": extreme}
        ev = [c.ev(path), c.ev(f"sectors[{i}].above_sma_50"), c.ev(f"sectors[{i}].sma_50_rising")]
        out.append(finding(fid, score, params, ev))
    return out
