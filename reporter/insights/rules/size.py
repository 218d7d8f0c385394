"""Size rotation, concentration and valuation: small against large caps, mega caps against
the equal-weight index, and the small-cap P/E discount."""

from __future__ import annotations

import datetime as dt

from reporter.insights.findings import Finding
from reporter.insights.rules.base import MIN_SPREAD, RUT, SPX, Ctx, finding, ramp, shown, trigger
from reporter.vocabulary import (
    EQUAL_WEIGHT_ETF,
    LARGE_CAP_ETF,
    MEGA_CAP_ETF,
    RUN_CLAIM_MIN,
    SMALL_CAP_ETF,
)


def size_run(c: Ctx) -> list[Finding]:
    """A run of at least ``run_notable`` sessions in which one size index beat the other, with
    the last time a run was as long (or: the longest in the data). Today's lead must show: a
    spread under ``MIN_SPREAD`` (or one that rounds to 0.0 points) extends no run worth a
    sentence. The leader's own day is a param: "in charge" / "in favor" only when it rose."""
    length = c.num("size_rotation.run.length")
    leader = c.get("size_rotation.run.leader")
    small, large = c.get("size_rotation.small") or RUT, c.get("size_rotation.large") or SPX
    if length is None or length < c.cfg.run_notable or leader not in (small, large):
        return []
    spread = c.num("size_rotation.spread_1d")
    if spread is None or abs(spread) < MIN_SPREAD or shown(spread) != (1 if leader == small
                                                                       else -1):
        return []
    since = c.get("size_rotation.run.longest_since")
    # where the search for an earlier run as long began: both series' first common session
    start_path = next((p for p in ("size_rotation.run.history_start", "history.series_start",
                                   "history.first_session") if c.get(p)), None)
    if length < RUN_CLAIM_MIN or (not since and start_path is None):  # no run claim under 3
        return []
    other = large if leader == small else small
    params = {
        "leader": leader,
        "other": other,
        "length": int(length),
        "start": c.get("size_rotation.run.start"),
        "since": since,
        "first_session": c.get(start_path) if start_path else None,
        "spread_1d": spread,
        "leader_return": c.num(f"indices.{leader}.return_1d"),
    }
    old = since is None
    if since and c.as_of:
        old = (dt.date.fromisoformat(c.as_of) - dt.date.fromisoformat(since)).days >= 365
    score = 0.4 + 0.4 * ramp(length, c.cfg.run_notable, 3 * c.cfg.run_notable) + 0.2 * old
    ev = [c.ev("size_rotation.run.leader"), c.ev("size_rotation.run.length"),
          c.ev("size_rotation.spread_1d")]
    if params["leader_return"] is not None:
        ev.append(c.ev(f"indices.{leader}.return_1d"))
    if since:
        ev.append(c.ev("size_rotation.run.longest_since", since))
    elif start_path is not None:
        ev.append(c.ev(start_path, params["first_session"]))
    fid = "size_run_small" if leader == small else "size_run_large"
    return [finding(fid, score, params, ev)]


def size_gap_ytd(c: Ctx) -> list[Finding]:
    """Small against large caps year to date, when the gap reaches ``size_gap_ytd``: small caps
    ahead is broadening participation (an opportunity), behind is leadership confined to the
    largest stocks (a risk); either fades when the gap narrows back inside the threshold."""
    small, large = c.get("size_rotation.small") or RUT, c.get("size_rotation.large") or SPX
    spread = c.num("size_rotation.spread_ytd")
    rs, rl = c.num(f"indices.{small}.return_ytd"), c.num(f"indices.{large}.return_ytd")
    if spread is None or rs is None or rl is None or abs(spread) < c.cfg.size_gap_ytd:
        return []
    fid = "size_gap_ytd_small" if spread > 0 else "size_gap_ytd_large"
    need = c.cfg.size_gap_ytd
    t = (trigger("size_rotation.spread_ytd", need, spread, "below", "invalidates", fid)
         if spread > 0 else
         trigger("size_rotation.spread_ytd", -need, spread, "above", "invalidates", fid))
    params = {"small": small, "large": large, "small_ytd": rs, "large_ytd": rl, "spread": spread,
              "threshold": need, "trigger": t}
    score = 0.3 + 0.4 * ramp(abs(spread), c.cfg.size_gap_ytd, 3 * c.cfg.size_gap_ytd)
    ev = [
        c.ev("size_rotation.spread_ytd"),
        c.ev(f"indices.{small}.return_ytd"),
        c.ev(f"indices.{large}.return_ytd"),
    ]
    return [finding(fid, score, params, ev)]


#: The other window's spread, the other way round, that the concentration sentence names (0.5
#: percentage points; a smaller one rounds to nothing worth a clause).
CONTRARY_SPREAD = 0.005


def mega_vs_equal(c: Ctx) -> list[Finding]:
    """Mega caps (XLG) against the equal-weight S&P 500 (RSP), month to date (a lead of
    ``concentration_spread``) and year to date (``concentration_ytd``): a mega-cap lead means
    narrow leadership (risk), a lag broadening (opportunity). Either turns when the spread
    changes sign."""
    base = "size_rotation.mega_vs_equal"
    mega, equal = c.get(f"{base}.mega") or MEGA_CAP_ETF, c.get(f"{base}.equal") or EQUAL_WEIGHT_ETF
    out = []
    for field, need, ids in (
        ("mtd", c.cfg.concentration_spread, ("concentration", "broadening")),
        ("ytd", c.cfg.concentration_ytd, ("concentration_ytd", "broadening_ytd")),
    ):
        path = f"{base}.spread_{field}"
        spread = c.num(path)
        if spread is None or abs(spread) < need or need <= 0:
            continue
        fid = ids[0] if spread > 0 else ids[1]
        params = {
            "mega": mega,
            "equal": equal,
            f"spread_{field}": spread,
            f"mega_{field}": c.num(f"returns.{mega}.return_{field}"),
            f"equal_{field}": c.num(f"returns.{equal}.return_{field}"),
            "trigger": trigger(path, 0, spread, "below" if spread > 0 else "above",
                               "invalidates", fid),
        }
        score = 0.35 + 0.5 * ramp(abs(spread), need, 3 * need)
        if field == "ytd":
            score -= 0.1  # the month says more about today than the year
        ev = [c.ev(path)]
        # the other window the other way round (mega caps ahead this month, behind this year):
        # the sentence says so, and reads the lead as a watch item, not the trend
        other = "ytd" if field == "mtd" else "mtd"
        against = c.num(f"{base}.spread_{other}")
        if against is not None and against * spread < 0 and abs(against) >= CONTRARY_SPREAD:
            params["against"] = against
            ev.append(c.ev(f"{base}.spread_{other}"))
            score -= 0.1
        out.append(finding(fid, score, params, ev))
    return out


def valuation(c: Ctx) -> list[Finding]:
    """Small caps (IWM) at a P/E discount of at least ``valuation_discount`` to SPY."""
    base = "size_rotation.valuation"
    disc = c.num(f"{base}.discount")
    spe, lpe = c.num(f"{base}.small_pe"), c.num(f"{base}.large_pe")
    if disc is None or spe is None or lpe is None or disc > -c.cfg.valuation_discount:
        return []
    date = c.get(f"{base}.date")
    params = {
        "small": c.get(f"{base}.small") or SMALL_CAP_ETF,
        "large": c.get(f"{base}.large") or LARGE_CAP_ETF,
        "small_pe": spe,
        "large_pe": lpe,
        "discount": disc,
        "date": date,
    }
    params["trigger"] = trigger(f"{base}.discount", -c.cfg.valuation_discount, disc, "above",
                                "invalidates", "valuation_discount")
    score = 0.3 + 0.4 * ramp(-disc, c.cfg.valuation_discount, 3 * c.cfg.valuation_discount)
    ev = [c.ev(f"{base}.{k}", date) for k in ("small_pe", "large_pe", "discount")]
    return [finding("valuation_discount", score, params, ev)]
