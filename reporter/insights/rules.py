"""The insight rules: read the metrics part of report.json, return language-neutral findings.

Each rule fires only when its evidence holds and a figure it needs is present (a null figure
silences the rule, never a guess). Scores are saliences in [0, 1]; every finding id has one
fixed kind, a tone weight and a topic in ``SPECS``.

Tone: ``tone_score = clip(sum(weight(id) * score) / tone_scale, -1, 1)`` over every finding
(key points included); ``positive`` from ``+tone_threshold``, ``negative`` from
``-tone_threshold``, otherwise ``neutral``. Weights are signed: what argues for higher prices
is positive, what argues for caution negative; contrarian signals (oversold readings, panic
gauges) carry small weights because they describe stress today and only a possibility later.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from reporter import calendar
from reporter.config import InsightsConfig
from reporter.insights.findings import Finding, Insights, Kind

SPX, RUT, NDX, DJI = "^GSPC", "^RUT", "^IXIC", "^DJI"
HEADLINE = (SPX, NDX, RUT, DJI)

#: Sector character (GICS SPDR ETFs). XLU is both defensive and rate-sensitive.
SECTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "defensive": ("XLP", "XLU", "XLV"),
    "rate_sensitive": ("XLRE", "XLU"),
    "cyclical": ("XLY", "XLI", "XLB", "XLF", "XLE"),
    "growth": ("XLK", "XLC"),
}

#: A one-day size spread below this (0.005 percentage points) is a tie, not a lead.
MIN_SPREAD = 0.00005

#: Zweig breadth thrust thresholds (from the definition; stated in the sentence).
ZWEIG_LOW, ZWEIG_HIGH = 0.40, 0.615


@dataclass(frozen=True)
class Spec:
    """What every finding with this id is: its kind, its tone weight, its key-point group (for
    variety among key points) and its topic tag (None: no tag)."""

    kind: Kind
    weight: float
    group: str
    tag: str | None


def _specs() -> dict[str, Spec]:
    kp, ins, risk, opp = "key_point", "insight", "risk", "opportunity"
    table: list[tuple[str, str, float, str, str | None]] = [
        # key data points
        ("kp_index_up", kp, 0.5, "index", None),
        ("kp_index_down", kp, -0.5, "index", None),
        ("kp_index_flat", kp, 0.0, "index", None),
        ("kp_all_time_high", kp, 0.6, "index", "records"),
        ("kp_round_level", kp, 0.6, "index", "milestones"),
        ("kp_advancers_lead", kp, 0.3, "ad", None),
        ("kp_decliners_lead", kp, -0.3, "ad", None),
        ("kp_ad_even", kp, 0.0, "ad", None),
        ("kp_pct_above", kp, 0.0, "pct_above", None),
        ("kp_net_new_highs", kp, 0.2, "highs_lows", None),
        ("kp_net_new_lows", kp, -0.2, "highs_lows", None),
        ("kp_small_lead", kp, 0.1, "size", None),
        ("kp_large_lead", kp, 0.0, "size", None),
        ("kp_vix_up", kp, -0.3, "vix", None),
        ("kp_vix_down", kp, 0.3, "vix", None),
        ("kp_vix_flat", kp, 0.0, "vix", None),
        ("kp_sector_range", kp, 0.0, "sectors", None),
        ("kp_watch_up", kp, 0.2, "watch", None),
        ("kp_watch_down", kp, -0.2, "watch", None),
        # insights
        ("size_run_small", ins, 0.3, "size", "small_caps"),
        ("size_run_large", ins, 0.0, "size", "large_caps"),
        ("size_gap_ytd_small", ins, 0.1, "size", "small_caps"),
        ("size_gap_ytd_large", ins, 0.0, "size", "large_caps"),
        ("sector_lead_defensive", ins, -0.4, "sectors", "defensive"),
        ("sector_lead_rate_sensitive", ins, 0.0, "sectors", "rate_sensitive"),
        ("sector_lead_cyclical", ins, 0.4, "sectors", "cyclical"),
        ("sector_lead_growth", ins, 0.3, "sectors", "growth"),
        ("sector_leadership_change", ins, 0.0, "sectors", "sector_rotation"),
        ("sector_laggard", ins, -0.1, "sectors", "sector_rotation"),
        ("sector_dispersion_high", ins, 0.0, "sectors", "sector_rotation"),
        ("sector_sweep_up", ins, 0.4, "sectors", "breadth"),
        ("sector_sweep_down", ins, -0.4, "sectors", "breadth"),
        ("mtd_up", ins, 0.3, "index", None),
        ("mtd_down", ins, -0.3, "index", None),
        ("new_highs_expand", ins, 0.4, "highs_lows", "breadth"),
        ("breadth_confirm_up", ins, 0.4, "pct_above", "breadth"),
        ("breadth_confirm_down", ins, -0.4, "pct_above", "breadth"),
        ("watch_trend_up", ins, 0.2, "watch", "bellwether"),
        ("watch_trend_down", ins, -0.2, "watch", "bellwether"),
        ("watch_near_high", ins, 0.2, "watch", "bellwether"),
        # risks
        ("breadth_divergence_narrow", risk, -0.6, "ad", "breadth"),
        ("breadth_narrowing", risk, -0.6, "pct_above", "breadth"),
        ("breadth_momentum_negative", risk, -0.4, "mcclellan", "breadth"),
        ("concentration", risk, -0.4, "size", "concentration"),
        ("vix_stress", risk, -0.7, "vix", "volatility"),
        ("vix_elevated", risk, -0.4, "vix", "volatility"),
        ("vix_spike", risk, -0.6, "vix", "volatility"),
        ("vix_complacent", risk, -0.2, "vix", "volatility"),
        ("new_lows_expand", risk, -0.6, "highs_lows", "breadth"),
        ("down_volume_thrust", risk, -0.7, "volume", "breadth"),
        ("mcclellan_overbought", risk, -0.1, "mcclellan", "overbought"),
        ("trin_climax", risk, -0.1, "trin", "overbought"),
        ("trend_weak", risk, -0.5, "pct_above", "breadth"),
        ("watch_death_cross", risk, -0.4, "watch", "bellwether"),
        ("watch_drawdown", risk, -0.3, "watch", "bellwether"),
        # opportunities
        ("breadth_divergence_broad", opp, 0.4, "ad", "breadth"),
        ("breadth_expanding", opp, 0.5, "pct_above", "breadth"),
        ("breadth_momentum_positive", opp, 0.4, "mcclellan", "breadth"),
        ("broadening", opp, 0.4, "size", "broadening"),
        ("mcclellan_oversold", opp, 0.1, "mcclellan", "oversold"),
        ("trin_panic", opp, 0.1, "trin", "oversold"),
        ("pct50_washout", opp, 0.1, "pct_above", "oversold"),
        ("zweig_thrust", opp, 0.8, "thrust", "thrust"),
        ("up_volume_thrust", opp, 0.7, "volume", "thrust"),
        ("vix_relief", opp, 0.4, "vix", "volatility"),
        ("vix_extreme", opp, 0.1, "vix", "volatility"),
        ("watch_golden_cross", opp, 0.4, "watch", "bellwether"),
        ("valuation_discount", opp, 0.2, "valuation", "valuation"),
    ]
    return {i: Spec(kind, w, g, t) for i, kind, w, g, t in table}  # type: ignore[arg-type]


SPECS: dict[str, Spec] = _specs()

#: Key points per group at most (others: 1), so the 5-7 lines cover different figures.
GROUP_CAPS = {"index": 2}


# --- reading the report ------------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in _STEP.findall(path)]


def _ramp(x: float, lo: float, hi: float) -> float:
    """0 at ``lo``, 1 at ``hi``, linear between, clipped."""
    if hi <= lo:
        return 1.0 if x >= hi else 0.0
    return min(1.0, max(0.0, (x - lo) / (hi - lo)))


class _Ctx:
    """The report, the thresholds, and helpers that read a key path and cite it as evidence."""

    def __init__(self, report: dict[str, Any], cfg: InsightsConfig) -> None:
        self.report = report
        self.cfg = cfg
        self.as_of: str | None = report.get("as_of")

    def get(self, path: str) -> Any:
        node: Any = self.report
        for step in _steps(path):
            if isinstance(step, int):
                if not isinstance(node, list) or step >= len(node):
                    return None
            elif not isinstance(node, dict) or step not in node:
                return None
            node = node[step]
        return node

    def num(self, path: str) -> float | None:
        value = self.get(path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value) if math.isfinite(value) else None

    def ev(self, path: str, date: str | None = None) -> dict[str, Any]:
        return {"path": path, "value": self.get(path), "date": date or self.as_of}

    def sessions_since(self, day: str | None) -> int | None:
        """NYSE sessions from ``day`` to the as-of date (0 on the day itself)."""
        if not day or not self.as_of:
            return None
        try:
            start, end = dt.date.fromisoformat(day), dt.date.fromisoformat(self.as_of)
        except ValueError:
            return None
        if start > end:
            return None
        return max(0, len(calendar.sessions(start, end)) - 1)

    def sector_rows(self) -> list[tuple[int, dict[str, Any]]]:
        rows = self.report.get("sectors") or []
        return [(i, r) for i, r in enumerate(rows) if isinstance(r, dict) and r.get("symbol")]


def _finding(fid: str, score: float, params: dict[str, Any], evidence: Iterable[dict]) -> Finding:
    return Finding(
        id=fid,
        kind=SPECS[fid].kind,
        score=round(min(1.0, max(0.0, score)), 4),
        params=params,
        evidence=tuple(evidence),
    )


Rule = Callable[[_Ctx], list[Finding]]


# --- key data points ---------------------------------------------------------------------------


def kp_indices(c: _Ctx) -> list[Finding]:
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
            out.append(_finding(fid, 0.95 if fid == "kp_round_level" else 0.9, params, evidence))
            continue
        fid = "kp_index_up" if r > 0 else "kp_index_down" if r < 0 else "kp_index_flat"
        if sym == SPX:
            score = 0.5 + 0.5 * _ramp(abs(r), 0, cfg.index_move_big)
        elif abs(r) >= cfg.index_move_notable:
            gap = abs(r - spx_r) if spx_r is not None else 0.0
            score = 0.6 * _ramp(abs(r), 0, cfg.index_move_big) + 0.3 * _ramp(
                gap, 0, cfg.index_move_notable
            )
        else:
            continue
        out.append(_finding(fid, score, params, evidence))
    return out


def kp_advance_decline(c: _Ctx) -> list[Finding]:
    """Advancers against decliners among members; salience grows with the imbalance."""
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    if adv is None or dec is None or adv + dec == 0:
        return []
    share = adv / (adv + dec)
    fid = "kp_advancers_lead" if adv > dec else "kp_decliners_lead" if dec > adv else "kp_ad_even"
    params = {"advancers": int(adv), "decliners": int(dec)}
    score = 0.3 + 0.7 * _ramp(abs(share - 0.5), 0, 0.4)
    ev = [c.ev("breadth.advancers"), c.ev("breadth.decliners")]
    return [_finding(fid, score, params, ev)]


def kp_pct_above(c: _Ctx) -> list[Finding]:
    """Shares of members above their 50- and 200-day averages; salient at the extremes."""
    p50, p200 = c.num("breadth.pct_above_50d"), c.num("breadth.pct_above_200d")
    if p50 is None or p200 is None:
        return []
    score = 0.25 + 0.65 * _ramp(abs(p50 - 0.5), 0.1, 0.4)
    ev = [c.ev("breadth.pct_above_50d"), c.ev("breadth.pct_above_200d")]
    return [_finding("kp_pct_above", score, {"pct_50d": p50, "pct_200d": p200}, ev)]


def kp_highs_lows(c: _Ctx) -> list[Finding]:
    """New 52-week highs against new lows; salient as either reaches a fifth of the members."""
    highs, lows = c.num("breadth.new_highs"), c.num("breadth.new_lows")
    total = c.num("breadth.members_total") or 500.0
    if highs is None or lows is None:
        return []
    fid = "kp_net_new_highs" if highs >= lows else "kp_net_new_lows"
    score = 0.2 + 0.7 * _ramp(max(highs, lows), 0, 0.2 * total)
    ev = [c.ev("breadth.new_highs"), c.ev("breadth.new_lows")]
    return [_finding(fid, score, {"new_highs": int(highs), "new_lows": int(lows)}, ev)]


def kp_size(c: _Ctx) -> list[Finding]:
    """Russell 2000 against S&P 500 today; salience from the spread and the run behind it."""
    spread = c.num("size_rotation.spread_1d")
    if spread is None or abs(spread) < MIN_SPREAD:
        return []
    small, large = c.get("size_rotation.small") or RUT, c.get("size_rotation.large") or SPX
    run = c.num("size_rotation.run.length") or 0
    fid = "kp_small_lead" if spread > 0 else "kp_large_lead"
    params = {"small": small, "large": large, "spread_1d": spread, "run_length": int(run)}
    score = (
        0.2
        + 0.4 * _ramp(abs(spread), 0, c.cfg.size_spread_notable)
        + 0.3 * _ramp(run, 1, 2 * c.cfg.run_notable)
    )
    ev = [c.ev("size_rotation.spread_1d"), c.ev("size_rotation.run.length")]
    return [_finding(fid, score, params, ev)]


def kp_vix(c: _Ctx) -> list[Finding]:
    """The VIX close and its change; salient on big moves and high levels."""
    level, change = c.num("volatility.level"), c.num("volatility.change_1d")
    ret = c.num("volatility.return_1d")
    if level is None or change is None or ret is None:
        return []
    cfg = c.cfg
    fid = "kp_vix_up" if change > 0 else "kp_vix_down" if change < 0 else "kp_vix_flat"
    score = (
        0.2
        + 0.4 * _ramp(abs(ret), 0, cfg.vix_spike)
        + 0.35 * _ramp(level, cfg.vix_elevated, cfg.vix_extreme)
    )
    params = {"symbol": c.get("volatility.symbol") or "^VIX", "level": level,
              "change_1d": change, "return_1d": ret}
    ev = [c.ev("volatility.level"), c.ev("volatility.change_1d"), c.ev("volatility.return_1d")]
    return [_finding(fid, score, params, ev)]


def kp_sector_range(c: _Ctx) -> list[Finding]:
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
    score = 0.2 + 0.5 * _ramp(best["return_1d"] - worst["return_1d"], 0, 0.04)
    ev = [c.ev(f"sectors[{bi}].return_1d"), c.ev(f"sectors[{wi}].return_1d")]
    return [_finding("kp_sector_range", score, params, ev)]


def kp_watch(c: _Ctx) -> list[Finding]:
    """A watch-list stock's move of at least ``watch_move`` in the session."""
    out = []
    for sym in sorted(c.report.get("watchlist") or {}):
        r, close = c.num(f"returns.{sym}.return_1d"), c.num(f"returns.{sym}.close")
        if r is None or close is None or abs(r) < c.cfg.watch_move:
            continue
        fid = "kp_watch_up" if r > 0 else "kp_watch_down"
        score = 0.3 + 0.5 * _ramp(abs(r), c.cfg.watch_move, 3 * c.cfg.watch_move)
        ev = [c.ev(f"returns.{sym}.close"), c.ev(f"returns.{sym}.return_1d")]
        out.append(_finding(fid, score, {"symbol": sym, "close": close, "return_1d": r}, ev))
    return out


# --- size, concentration, valuation --------------------------------------------------------------


def size_run(c: _Ctx) -> list[Finding]:
    """A run of at least ``run_notable`` sessions in which one size index beat the other, with
    the last time a run was as long (or: the longest in the data)."""
    length = c.num("size_rotation.run.length")
    leader = c.get("size_rotation.run.leader")
    small, large = c.get("size_rotation.small") or RUT, c.get("size_rotation.large") or SPX
    if length is None or length < c.cfg.run_notable or leader not in (small, large):
        return []
    since = c.get("size_rotation.run.longest_since")
    if not since and not c.get("history.first_session"):
        return []
    other = large if leader == small else small
    params = {
        "leader": leader,
        "other": other,
        "length": int(length),
        "start": c.get("size_rotation.run.start"),
        "since": since,
        "first_session": c.get("history.first_session"),
    }
    old = since is None
    if since and c.as_of:
        old = (dt.date.fromisoformat(c.as_of) - dt.date.fromisoformat(since)).days >= 365
    score = 0.4 + 0.4 * _ramp(length, c.cfg.run_notable, 3 * c.cfg.run_notable) + 0.2 * old
    ev = [c.ev("size_rotation.run.leader"), c.ev("size_rotation.run.length")]
    if since:
        ev.append(c.ev("size_rotation.run.longest_since", since))
    else:
        ev.append(c.ev("history.first_session", params["first_session"]))
    fid = "size_run_small" if leader == small else "size_run_large"
    return [_finding(fid, score, params, ev)]


def size_gap_ytd(c: _Ctx) -> list[Finding]:
    """Small against large caps year to date, when the gap reaches ``size_gap_ytd``."""
    small, large = c.get("size_rotation.small") or RUT, c.get("size_rotation.large") or SPX
    spread = c.num("size_rotation.spread_ytd")
    rs, rl = c.num(f"indices.{small}.return_ytd"), c.num(f"indices.{large}.return_ytd")
    if spread is None or rs is None or rl is None or abs(spread) < c.cfg.size_gap_ytd:
        return []
    fid = "size_gap_ytd_small" if spread > 0 else "size_gap_ytd_large"
    params = {"small": small, "large": large, "small_ytd": rs, "large_ytd": rl, "spread": spread}
    score = 0.3 + 0.4 * _ramp(abs(spread), c.cfg.size_gap_ytd, 3 * c.cfg.size_gap_ytd)
    ev = [
        c.ev("size_rotation.spread_ytd"),
        c.ev(f"indices.{small}.return_ytd"),
        c.ev(f"indices.{large}.return_ytd"),
    ]
    return [_finding(fid, score, params, ev)]


def mega_vs_equal(c: _Ctx) -> list[Finding]:
    """Mega caps (XLG) against the equal-weight S&P 500 (RSP) month to date: a lead of
    ``concentration_spread`` means narrow leadership (risk), a lag means broadening."""
    base = "size_rotation.mega_vs_equal"
    spread = c.num(f"{base}.spread_mtd")
    if spread is None or abs(spread) < c.cfg.concentration_spread:
        return []
    mega, equal = c.get(f"{base}.mega") or "XLG", c.get(f"{base}.equal") or "RSP"
    params = {
        "mega": mega,
        "equal": equal,
        "spread_mtd": spread,
        "mega_mtd": c.num(f"returns.{mega}.return_mtd"),
        "equal_mtd": c.num(f"returns.{equal}.return_mtd"),
    }
    fid = "concentration" if spread > 0 else "broadening"
    need = c.cfg.concentration_spread
    score = 0.35 + 0.5 * _ramp(abs(spread), need, 3 * need)
    return [_finding(fid, score, params, [c.ev(f"{base}.spread_mtd")])]


def valuation(c: _Ctx) -> list[Finding]:
    """Small caps (IWM) at a P/E discount of at least ``valuation_discount`` to SPY."""
    base = "size_rotation.valuation"
    disc = c.num(f"{base}.discount")
    spe, lpe = c.num(f"{base}.small_pe"), c.num(f"{base}.large_pe")
    if disc is None or spe is None or lpe is None or disc > -c.cfg.valuation_discount:
        return []
    date = c.get(f"{base}.date")
    params = {
        "small": c.get(f"{base}.small") or "IWM",
        "large": c.get(f"{base}.large") or "SPY",
        "small_pe": spe,
        "large_pe": lpe,
        "discount": disc,
        "date": date,
    }
    score = 0.3 + 0.4 * _ramp(-disc, c.cfg.valuation_discount, 3 * c.cfg.valuation_discount)
    ev = [c.ev(f"{base}.{k}", date) for k in ("small_pe", "large_pe", "discount")]
    return [_finding("valuation_discount", score, params, ev)]


# --- sectors -------------------------------------------------------------------------------------


def _sector_item(row: dict[str, Any], field: str) -> dict[str, Any]:
    return {"symbol": row["symbol"], "return": row.get(field)}


def sector_character(c: _Ctx) -> list[Finding]:
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
    score = 0.3 + 0.2 * (len(members) == 3) + 0.3 * _ramp(disp, 0, c.cfg.sector_dispersion_high)
    params = {"sectors": [_sector_item(r, "return_1d") for _, r in members]}
    ev = [c.ev(f"sectors[{i}].return_1d") for i, _ in members]
    return [_finding(f"sector_lead_{best_group}", score, params, ev)]


def sector_leadership_change(c: _Ctx) -> list[Finding]:
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
    score = 0.4 + 0.2 * _ramp(rank, total - c.cfg.reversal_bottom, total)
    return [_finding("sector_leadership_change", score, params, ev)]


def sector_laggard(c: _Ctx) -> list[Finding]:
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
    score = 0.35 + 0.2 * _ramp(-row["return_ytd"], 0, 0.2)
    ev = [c.ev(f"sectors[{i}].{f}") for f in ("return_mtd", "return_ytd", "rank_mtd", "rank_ytd")]
    return [_finding("sector_laggard", score, params, ev)]


def sector_dispersion(c: _Ctx) -> list[Finding]:
    """Sector returns spread widely today (population standard deviation, 1D)."""
    disp = c.num("sector_summary.dispersion_1d")
    high = c.cfg.sector_dispersion_high
    if disp is None or disp < high:
        return []
    score = 0.3 + 0.5 * _ramp(disp, high, 2 * high)
    return [
        _finding(
            "sector_dispersion_high", score, {"dispersion": disp},
            [c.ev("sector_summary.dispersion_1d")],
        )
    ]


def sector_sweep(c: _Ctx) -> list[Finding]:
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
            score = 0.35 + 0.4 * _ramp(count, need, total)
            params = {"count": int(count), "total": int(total)}
            out.append(_finding(fid, score, params, [c.ev(path), c.ev("sector_summary.total")]))
    return out


# --- index context -------------------------------------------------------------------------------


def month_to_date(c: _Ctx) -> list[Finding]:
    """The S&P 500 month to date when the move reaches ``mtd_notable`` (with last month)."""
    mtd = c.num(f"indices.{SPX}.return_mtd")
    if mtd is None or abs(mtd) < c.cfg.mtd_notable:
        return []
    prev = c.num(f"indices.{SPX}.return_prev_month")
    params = {"symbol": SPX, "return_mtd": mtd, "return_prev_month": prev}
    score = 0.3 + 0.5 * _ramp(abs(mtd), c.cfg.mtd_notable, 3 * c.cfg.mtd_notable)
    ev = [c.ev(f"indices.{SPX}.return_mtd")]
    if prev is not None:
        ev.append(c.ev(f"indices.{SPX}.return_prev_month"))
    return [_finding("mtd_up" if mtd > 0 else "mtd_down", score, params, ev)]


# --- breadth ----------------------------------------------------------------------------------


def breadth_divergence_day(c: _Ctx) -> list[Finding]:
    """The index moved at least ``divergence_index_move`` one way while most members went the
    other (advancers' share beyond 50% by ``divergence_share_margin``)."""
    r = c.num(f"indices.{SPX}.return_1d")
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    if r is None or adv is None or dec is None or adv + dec == 0:
        return []
    cfg = c.cfg
    share = adv / (adv + dec)
    params = {"symbol": SPX, "return_1d": r, "advancers": int(adv), "decliners": int(dec)}
    ev = [c.ev(f"indices.{SPX}.return_1d"), c.ev("breadth.advancers"), c.ev("breadth.decliners")]
    move, margin = cfg.divergence_index_move, cfg.divergence_share_margin
    tilt = abs(share - 0.5)
    score = 0.4 + 0.3 * _ramp(tilt, margin, 0.3) + 0.3 * _ramp(abs(r), move, 4 * move)
    if r >= move and share <= 0.5 - margin:
        return [_finding("breadth_divergence_narrow", score, params, ev)]
    if r <= -move and share >= 0.5 + margin:
        return [_finding("breadth_divergence_broad", score, params, ev)]
    return []


def breadth_trend(c: _Ctx) -> list[Finding]:
    """The share of members above their 50-day average over five sessions against the index:
    opposite directions are narrowing (risk) or expanding (opportunity) breadth; the same
    direction confirms the move."""
    p50, before = c.num("breadth.pct_above_50d"), c.num("breadth.pct_above_50d_5d_ago")
    r5 = c.num(f"indices.{SPX}.return_5d")
    cfg = c.cfg
    if p50 is None or before is None or r5 is None:
        return []
    change = p50 - before
    if abs(change) < cfg.pct_above_50d_change:
        return []
    move = cfg.divergence_index_move_5d
    if change < 0 and r5 >= move:
        fid = "breadth_narrowing"
    elif change > 0 and r5 <= -move:
        fid = "breadth_expanding"
    else:
        fid = "breadth_confirm_up" if change > 0 else "breadth_confirm_down"
    score = 0.4 + 0.4 * _ramp(abs(change), cfg.pct_above_50d_change, 4 * cfg.pct_above_50d_change)
    if fid in ("breadth_narrowing", "breadth_expanding"):
        score += 0.2 * _ramp(abs(r5), move, 4 * move)
    params = {"symbol": SPX, "return_5d": r5, "pct_50d": p50, "pct_50d_before": before}
    ev = [
        c.ev(f"indices.{SPX}.return_5d"),
        c.ev("breadth.pct_above_50d"),
        c.ev("breadth.pct_above_50d_5d_ago"),
    ]
    return [_finding(fid, score, params, ev)]


def breadth_momentum(c: _Ctx) -> list[Finding]:
    """The index over five sessions against the ratio-adjusted McClellan oscillator's sign."""
    r5 = c.num(f"indices.{SPX}.return_5d")
    osc = c.num("breadth.mcclellan_oscillator_ratio_adjusted")
    if r5 is None or osc is None:
        return []
    cfg = c.cfg
    move = cfg.divergence_index_move_5d
    score = 0.35 + 0.35 * _ramp(abs(osc), 0, cfg.mcclellan_overbought) + 0.3 * _ramp(
        abs(r5), move, 4 * move
    )
    params = {"symbol": SPX, "return_5d": r5, "oscillator": osc}
    ev = [c.ev(f"indices.{SPX}.return_5d"), c.ev("breadth.mcclellan_oscillator_ratio_adjusted")]
    if r5 >= move and osc < 0:
        return [_finding("breadth_momentum_negative", score, params, ev)]
    if r5 <= -move and osc > 0:
        return [_finding("breadth_momentum_positive", score, params, ev)]
    return []


def highs_lows(c: _Ctx) -> list[Finding]:
    """New 52-week highs (or lows) of at least ``new_highs_lows_min`` members and at least
    twice the other side."""
    highs, lows = c.num("breadth.new_highs"), c.num("breadth.new_lows")
    if highs is None or lows is None:
        return []
    need = c.cfg.new_highs_lows_min
    hli = c.num("breadth.high_low_index")
    params = {"new_highs": int(highs), "new_lows": int(lows), "high_low_index": hli}
    ev = [c.ev("breadth.new_highs"), c.ev("breadth.new_lows")]
    if hli is not None:
        ev.append(c.ev("breadth.high_low_index"))
    if highs >= need and highs >= 2 * lows:
        score = 0.3 + 0.5 * _ramp(highs, need, 5 * need)
        return [_finding("new_highs_expand", score, params, ev)]
    if lows >= need and lows >= 2 * highs:
        score = 0.45 + 0.5 * _ramp(lows, need, 5 * need)
        return [_finding("new_lows_expand", score, params, ev)]
    return []


def volume_thrust(c: _Ctx) -> list[Finding]:
    """A 90% day: up (or down) volume at least ``volume_thrust_share`` of member volume."""
    share = c.num("breadth.up_volume_share")
    path = "breadth.up_volume_share"
    if share is None:
        up, down = c.num("breadth.up_volume"), c.num("breadth.down_volume")
        if up is None or down is None or up + down <= 0:
            return []
        share, path = up / (up + down), "breadth.up_volume"
    need = c.cfg.volume_thrust_share
    ev = [c.ev(path)] if path.endswith("share") else [c.ev(path), c.ev("breadth.down_volume")]
    if share >= need:
        score = 0.6 + 0.4 * _ramp(share, need, 1.0)
        return [_finding("up_volume_thrust", score, {"share": share, "threshold": need}, ev)]
    if 1 - share >= need:
        score = 0.6 + 0.4 * _ramp(1 - share, need, 1.0)
        params = {"share": 1 - share, "threshold": need}
        return [_finding("down_volume_thrust", score, params, ev)]
    return []


def mcclellan(c: _Ctx) -> list[Finding]:
    """Ratio-adjusted McClellan oscillator beyond its overbought / oversold bounds."""
    osc = c.num("breadth.mcclellan_oscillator_ratio_adjusted")
    if osc is None:
        return []
    cfg = c.cfg
    ev = [c.ev("breadth.mcclellan_oscillator_ratio_adjusted")]
    if osc >= cfg.mcclellan_overbought:
        score = 0.3 + 0.4 * _ramp(osc, cfg.mcclellan_overbought, 2 * cfg.mcclellan_overbought)
        params = {"oscillator": osc, "threshold": cfg.mcclellan_overbought}
        return [_finding("mcclellan_overbought", score, params, ev)]
    if osc <= cfg.mcclellan_oversold:
        score = 0.3 + 0.4 * _ramp(-osc, -cfg.mcclellan_oversold, -2 * cfg.mcclellan_oversold)
        params = {"oscillator": osc, "threshold": cfg.mcclellan_oversold}
        return [_finding("mcclellan_oversold", score, params, ev)]
    return []


def trin(c: _Ctx) -> list[Finding]:
    """Arms index extremes read with the day's direction: a low TRIN on an up day is a buying
    climax, a high TRIN on a down day panic selling (other combinations say little)."""
    value = c.num("breadth.trin")
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    if value is None or adv is None or dec is None:
        return []
    cfg = c.cfg
    ev = [c.ev("breadth.trin"), c.ev("breadth.advancers"), c.ev("breadth.decliners")]
    if value <= cfg.trin_climax and adv > dec:
        score = 0.3 + 0.4 * _ramp(cfg.trin_climax - value, 0, cfg.trin_climax / 2)
        params = {"trin": value, "threshold": cfg.trin_climax}
        return [_finding("trin_climax", score, params, ev)]
    if value >= cfg.trin_panic and dec > adv:
        score = 0.3 + 0.4 * _ramp(value, cfg.trin_panic, 2 * cfg.trin_panic)
        params = {"trin": value, "threshold": cfg.trin_panic}
        return [_finding("trin_panic", score, params, ev)]
    return []


def participation_levels(c: _Ctx) -> list[Finding]:
    """Washed-out short-term breadth (few members above the 50-day) and weak long-term breadth
    (few above the 200-day)."""
    cfg, out = c.cfg, []
    p50, p200 = c.num("breadth.pct_above_50d"), c.num("breadth.pct_above_200d")
    if p50 is not None and p50 <= cfg.pct_above_50d_washout:
        score = 0.35 + 0.45 * _ramp(cfg.pct_above_50d_washout - p50, 0, cfg.pct_above_50d_washout)
        params = {"pct_50d": p50, "threshold": cfg.pct_above_50d_washout}
        out.append(_finding("pct50_washout", score, params, [c.ev("breadth.pct_above_50d")]))
    if p200 is not None and p200 <= cfg.pct_above_200d_weak:
        score = 0.35 + 0.45 * _ramp(cfg.pct_above_200d_weak - p200, 0, cfg.pct_above_200d_weak / 2)
        params = {"pct_200d": p200, "threshold": cfg.pct_above_200d_weak}
        out.append(_finding("trend_weak", score, params, [c.ev("breadth.pct_above_200d")]))
    return out


def zweig(c: _Ctx) -> list[Finding]:
    """A Zweig breadth thrust that fired within the last ``recent_sessions`` sessions."""
    day = c.get("breadth.zweig_thrust_last")
    ago = c.sessions_since(day)
    if ago is None or ago > c.cfg.recent_sessions:
        return []
    params = {"date": day, "sessions_ago": ago, "low": ZWEIG_LOW, "high": ZWEIG_HIGH}
    score = 0.9 if ago == 0 else 0.8 - 0.3 * _ramp(ago, 0, c.cfg.recent_sessions)
    return [_finding("zweig_thrust", score, params, [c.ev("breadth.zweig_thrust_last", day)])]


# --- volatility ----------------------------------------------------------------------------------


def volatility(c: _Ctx) -> list[Finding]:
    """VIX bands (complacent / elevated / stress / extreme), one-day spikes and relief."""
    level, ret = c.num("volatility.level"), c.num("volatility.return_1d")
    change = c.num("volatility.change_1d")
    if level is None:
        return []
    cfg, out = c.cfg, []
    vix = c.get("volatility.symbol") or "^VIX"
    lev = [c.ev("volatility.level")]
    if level >= cfg.vix_stress:
        score = 0.6 + 0.4 * _ramp(level, cfg.vix_stress, cfg.vix_extreme)
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_stress}
        out.append(_finding("vix_stress", score, params, lev))
    elif level >= cfg.vix_elevated:
        score = 0.3 + 0.3 * _ramp(level, cfg.vix_elevated, cfg.vix_stress)
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_elevated}
        out.append(_finding("vix_elevated", score, params, lev))
    elif level < cfg.vix_complacent:
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_complacent}
        out.append(_finding("vix_complacent", 0.3, params, lev))
    if level >= cfg.vix_extreme:
        score = 0.5 + 0.3 * _ramp(level, cfg.vix_extreme, 1.5 * cfg.vix_extreme)
        params = {"symbol": vix, "level": level, "threshold": cfg.vix_extreme}
        out.append(_finding("vix_extreme", score, params, lev))
    if ret is not None and change is not None:
        moves = [*lev, c.ev("volatility.return_1d"), c.ev("volatility.change_1d")]
        params = {"symbol": vix, "level": level, "return_1d": ret, "change_1d": change}
        if ret >= cfg.vix_spike:
            score = 0.5 + 0.5 * _ramp(ret, cfg.vix_spike, 3 * cfg.vix_spike)
            out.append(_finding("vix_spike", score, params, moves))
        elif ret <= -cfg.vix_relief and level >= cfg.vix_elevated:
            score = 0.4 + 0.4 * _ramp(-ret, cfg.vix_relief, 3 * cfg.vix_relief)
            out.append(_finding("vix_relief", score, params, moves))
    return out


# --- watch list ----------------------------------------------------------------------------------


def watchlist(c: _Ctx) -> list[Finding]:
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
                out.append(_finding(fid, score, params, ev))
        off, high = c.num(f"{base}.from_high_52w"), c.num(f"{base}.high_52w")
        if off is not None and high is not None:
            ev = [c.ev(f"{base}.from_high_52w"), c.ev(f"{base}.high_52w")]
            params = {"symbol": sym, "close": close, "high_52w": high, "from_high": off}
            if off <= -cfg.watch_drawdown:
                score = 0.3 + 0.4 * _ramp(-off, cfg.watch_drawdown, 2 * cfg.watch_drawdown)
                out.append(_finding("watch_drawdown", score, params, ev))
            elif off >= -cfg.watch_near_high:
                out.append(_finding("watch_near_high", 0.3 + 0.2 * (off >= 0), params, ev))
        smas = [c.num(f"{base}.sma_{n}") for n in (20, 50, 200)]
        if all(s is not None for s in smas):
            s20, s50, s200 = smas
            params = {"symbol": sym, "close": close, "sma_20": s20, "sma_50": s50, "sma_200": s200}
            ev = [c.ev(f"{base}.close")] + [c.ev(f"{base}.sma_{n}") for n in (20, 50, 200)]
            if all(close > s for s in smas):  # type: ignore[operator]
                out.append(_finding("watch_trend_up", 0.3, params, ev))
            elif all(close < s for s in smas):  # type: ignore[operator]
                out.append(_finding("watch_trend_down", 0.3, params, ev))
    return out


KEY_POINT_RULES: tuple[Rule, ...] = (
    kp_indices,
    kp_advance_decline,
    kp_pct_above,
    kp_highs_lows,
    kp_size,
    kp_vix,
    kp_sector_range,
    kp_watch,
)

RULES: tuple[Rule, ...] = (
    size_run,
    size_gap_ytd,
    mega_vs_equal,
    valuation,
    sector_character,
    sector_leadership_change,
    sector_laggard,
    sector_dispersion,
    sector_sweep,
    month_to_date,
    breadth_divergence_day,
    breadth_trend,
    breadth_momentum,
    highs_lows,
    volume_thrust,
    mcclellan,
    trin,
    participation_levels,
    zweig,
    volatility,
    watchlist,
)


# --- assembling ----------------------------------------------------------------------------------


def _by_score(found: Iterable[Finding]) -> list[Finding]:
    """Highest score first; ties keep rule order (a stable sort), so output is deterministic."""
    return sorted(found, key=lambda f: -f.score)


def select_key_points(candidates: list[Finding], cfg: InsightsConfig) -> tuple[Finding, ...]:
    """The ``key_points_min``-``key_points_max`` most salient figures: candidates scoring at
    least ``key_point_min_score``, at most ``GROUP_CAPS`` (else 1) per group; then, when fewer
    than the minimum qualify, the best remaining ones regardless of score and group."""
    ranked = _by_score(candidates)
    chosen: list[Finding] = []
    used: dict[str, int] = {}
    for f in ranked:
        group = SPECS[f.id].group
        if len(chosen) >= cfg.key_points_max or f.score < cfg.key_point_min_score:
            continue
        if used.get(group, 0) >= GROUP_CAPS.get(group, 1):
            continue
        chosen.append(f)
        used[group] = used.get(group, 0) + 1
    for f in ranked:
        if len(chosen) >= cfg.key_points_min:
            break
        if f not in chosen:
            chosen.append(f)
    return tuple(_by_score(chosen))


def tone_of(findings: Iterable[Finding], cfg: InsightsConfig) -> tuple[str, float]:
    """``(label, score)``: see the module docstring."""
    total = sum(SPECS[f.id].weight * f.score for f in findings)
    score = round(max(-1.0, min(1.0, total / cfg.tone_scale)), 4)
    if score >= cfg.tone_threshold:
        return "positive", score
    if score <= -cfg.tone_threshold:
        return "negative", score
    return "neutral", score


def key_point_candidates(report: dict[str, Any], cfg: InsightsConfig) -> list[Finding]:
    """Every figure that may become a key data point, before the selection."""
    ctx = _Ctx(report, cfg)
    return [f for rule in KEY_POINT_RULES for f in rule(ctx)]


def derive(report: dict[str, Any], cfg: InsightsConfig) -> Insights:
    """Every finding of the session in ``report`` (the metrics part of report.json)."""
    ctx = _Ctx(report, cfg)
    key_points = select_key_points(key_point_candidates(report, cfg), cfg)
    found = [f for rule in RULES for f in rule(ctx)]
    by_kind = {
        k: _by_score(f for f in found if f.kind == k) for k in ("insight", "risk", "opportunity")
    }
    tone, score = tone_of([*key_points, *found], cfg)
    return Insights(
        key_points=key_points,
        insights=tuple(by_kind["insight"]),
        risks=tuple(by_kind["risk"]),
        opportunities=tuple(by_kind["opportunity"]),
        tone=tone,  # type: ignore[arg-type]
        tone_score=score,
    )
